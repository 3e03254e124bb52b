// The resample command line: parse options, call the engine, format output. Exit codes:
// 0 success, 2 bad input or usage (one line on stderr), 1 an internal failure.

#include "run_cli.hpp"

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "cli_common.hpp"
#include "cli_tree.hpp"
#include "commands.hpp"
#include "option_errors.hpp"
#include "resample/error.hpp"
#include "resample/version.hpp"
#include "resample/vocabulary.hpp"

namespace resample::cli {

// Every subcommand, in the order --help lists them. One line per command keeps merges trivial.
void register_commands(CLI::App& app) {
  register_report_command(app);
  register_bootstrap_command(app);
  register_test_command(app);
  register_ordinal_command(app);
  register_batch_command(app);
  register_power_command(app);
  register_coverage_command(app);
  register_plan_command(app);
}

namespace {

// The exit-code contract promises one line on stderr, but messages quote user text (file names,
// cells, option values) that may hold newlines or terminal control bytes: those become '?'.
std::string one_line(std::string_view message) {
  std::string out(message);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

// "; did you mean '--stat'?" for the first word the parser did not take that is close to an option
// of the innermost subcommand given (or, at the top, to a subcommand); "" otherwise.
std::string suggestion(const CLI::App& app) {
  const CLI::App* at = &app;
  while (!at->get_subcommands().empty()) at = at->get_subcommands().front();
  std::vector<std::string> names;
  for (const auto* option : at->get_options())
    for (const auto& name : option->get_lnames()) names.push_back("--" + name);
  if (at == &app)
    for (const auto* command : app.get_subcommands({})) names.push_back(command->get_name());
  std::vector<std::string_view> candidates(names.begin(), names.end());
  for (const auto& word : at->remaining()) {
    const std::string_view given = std::string_view(word).substr(0, word.find('='));
    if (given.empty() || (given[0] == '-') != (given.substr(0, 2) == "--")) continue;
    const std::string text = did_you_mean(given, candidates);
    if (!text.empty()) return text;
  }
  return {};
}

int usage_failure(std::string_view message, std::string_view suffix = {}) {
  std::cerr << "resample: " << one_line(message) << suffix << "\n";
  return 2;
}

}  // namespace

void configure_app(CLI::App& app) {
  app.description("resample: exact and Monte Carlo resampling for paired before/after data");
  app.set_version_flag("--version", std::string("resample ") + resample::engine_version);
  app.require_subcommand(1);
  app.fallthrough(false);

  register_commands(app);
}

int run_cli(int argc, const char* const* argv) {
  CLI::App app{"", "resample"};
  configure_app(app);

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
    // "A subcommand is required" alone would not name the word that was not understood.
    const auto rest = app.remaining();
    const std::string hint = suggestion(app);
    if (!rest.empty() && std::string_view(e.what()).find(rest.front()) == std::string_view::npos)
      return usage_failure(
          std::string(e.what()) + ": '" + rest.front() + "' is not a command or option" + hint,
          " (see resample --help)");
    return usage_failure(std::string(e.what()) + hint, " (see resample --help)");
  } catch (const resample::error& e) {
    return usage_failure(engine_message(e));
  } catch (const resample::cli::usage_error& e) {
    return usage_failure(e.what());
  } catch (const std::bad_alloc&) {
    return usage_failure("out of memory; try a smaller --resamples or --max-memory");
  } catch (const std::exception& e) {
    std::cerr << "resample: internal error: " << one_line(e.what()) << "\n";
    return 1;
  }
}

}  // namespace resample::cli
