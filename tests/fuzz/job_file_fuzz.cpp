// libFuzzer target: the batch job-file parser, parse_job_file(), on arbitrary bytes. It runs no
// job. Invariants besides "no crash":
//  - every rejection is a usage_error (what `resample batch` turns into exit 2) whose message is
//    one line starting with the file name, never another exception (that would be exit 1);
//  - an accepted file gives at least one job, ids are non-empty, unique and without newlines,
//    every command is one batch runs, and every argument is a long option "--name" or
//    "--name=value";
//  - for a command whose option shapes are known, the arguments parse with the command's own
//    option definitions without an unknown-option or wrong-count error (a value may still be
//    refused later: that is the job's error line, not the parser's business).

#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "batch/command_shapes.hpp"
#include "batch/job_file.hpp"
#include "bootstrap_command.hpp"
#include "cli_common.hpp"
#include "commands.hpp"
#include "coverage_command.hpp"
#include "power_command.hpp"
#include "test_command.hpp"

namespace {

constexpr const char* source = "fuzz.json";

// The batch runners and option shapes, registered once as `resample` does at start-up.
void register_once() {
  static const bool done = [] {
    CLI::App app;
    resample::cli::register_bootstrap_command(app);
    resample::cli::register_test_command(app);
    resample::cli::register_power_command(app);
    resample::cli::register_coverage_command(app);
    resample::cli::batch::register_command_option_shapes();
    return true;
  }();
  (void)done;
}

template <typename Options, void (*add)(CLI::App&, Options&)>
void check_arguments_parse(const std::vector<std::string>& args) {
  Options options;
  CLI::App app;
  add(app, options);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 consumes from the back
  try {
    app.parse(reversed);
  } catch (const CLI::ExtrasError&) {
    __builtin_trap();  // an option the shapes said the command has
  } catch (const CLI::ArgumentMismatch&) {
    __builtin_trap();  // a flag given a value, or a single option given twice
  } catch (const CLI::ParseError&) {
    // A value the option's own check refuses (e.g. --threads=-1): the job's error line.
  } catch (const resample::cli::usage_error& e) {
    // A value the option's parser refuses (e.g. "resamples": 0): the job's error line, which must
    // name the option and be one line.
    const std::string message = e.what();
    if (message.rfind("--", 0) != 0 || message.find('\n') != std::string::npos) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  register_once();
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<resample::cli::batch::job> jobs;
  try {
    jobs = resample::cli::batch::parse_job_file(text, source);
  } catch (const resample::cli::usage_error& e) {
    const std::string message = e.what();
    if (message.rfind(source, 0) != 0) __builtin_trap();
    if (message.find('\n') != std::string::npos) __builtin_trap();
    return 0;
  }
  if (jobs.empty()) __builtin_trap();
  std::set<std::string> ids;
  for (const auto& j : jobs) {
    if (j.id.empty() || j.id.find_first_of("\r\n") != std::string::npos) __builtin_trap();
    if (!ids.insert(j.id).second) __builtin_trap();
    if (!resample::cli::batch_runners().contains(j.command)) __builtin_trap();
    for (const auto& arg : j.args)
      if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) __builtin_trap();
    using namespace resample::cli;
    if (j.command == "bootstrap") check_arguments_parse<bootstrap_options, add_bootstrap_options>(j.args);
    if (j.command == "test") check_arguments_parse<test_options, add_test_options>(j.args);
    if (j.command == "power") check_arguments_parse<power_options, add_power_options>(j.args);
    if (j.command == "coverage") check_arguments_parse<coverage_options, add_coverage_options>(j.args);
  }
  return 0;
}
