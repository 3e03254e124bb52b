// The resample command line: parse options, call the engine, format output. Exit codes:
// 0 success, 2 bad input or usage (one line on stderr), 1 an internal failure.

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <new>

#include "cli_common.hpp"
#include "commands.hpp"
#include "resample/error.hpp"
#include "resample/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"resample: exact and Monte Carlo resampling for paired before/after data", "resample"};
  app.set_version_flag("--version", std::string("resample ") + resample::engine_version);
  app.require_subcommand(1);
  app.fallthrough(false);

  resample::cli::register_report_command(app);
  resample::cli::register_bootstrap_command(app);
  resample::cli::register_test_command(app);
  resample::cli::register_batch_command(app);

  try {
    app.parse(argc, argv);
    return 0;
  } catch (const resample::cli::exit_status& e) {
    return e.code;
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::cout << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::CallForVersion&) {
    std::cout << app.version() << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    // A subcommand's --help surfaces here too when thrown from the subcommand.
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "resample: " << e.what() << " (see resample --help)\n";
    return 2;
  } catch (const resample::error& e) {
    std::cerr << "resample: " << e.what() << "\n";
    return 2;
  } catch (const resample::cli::usage_error& e) {
    std::cerr << "resample: " << e.what() << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "resample: out of memory; try a smaller --resamples or --max-memory\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "resample: internal error: " << e.what() << "\n";
    return 1;
  }
}
