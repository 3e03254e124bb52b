#pragma once
// Each subcommand lives in its own file and registers itself on the top-level CLI::App.
//
// Analysis subcommands follow one pattern so that batch jobs can run them without the terminal:
//   struct X_options;                                  // everything the command reads
//   void add_X_options(CLI::App&, X_options&);         // the option definitions, shared by CLI and batch
//   nlohmann::json run_X(const X_options&);            // the work: engine calls only, returns the result
//   std::string render_X_text(const nlohmann::json&);  // the human table
//   result_table X_table(const nlohmann::json&);       // the rows of --format csv and markdown
// and registers itself with register_analysis_command below, which makes it both a subcommand
// and a batch job type.

#include <CLI/CLI.hpp>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "option_errors.hpp"
#include "resample/monte_carlo_blocks.hpp"
#include "result_table.hpp"

namespace resample::cli {

void register_report_command(CLI::App& app);
void register_bootstrap_command(CLI::App& app);
void register_test_command(CLI::App& app);
void register_batch_command(CLI::App& app);
void register_power_command(CLI::App& app);
void register_coverage_command(CLI::App& app);
void register_ordinal_command(CLI::App& app);

// Thrown by a command whose outcome is neither success nor a usage error, after it has printed
// everything it had to say (resample batch: 2 when jobs failed, 130/143 when stopped by a signal).
// main() returns `code`; nothing else is printed.
struct exit_status {
  int code;
};
void register_plan_command(CLI::App& app);

// Parses `args` (the command's long options, e.g. {"--values", "2,9,8", "--stat", "mean"}) and
// returns the command's JSON result. Throws like the command line does for bad input.
using batch_runner = std::function<nlohmann::json(const std::vector<std::string>& args)>;

// Commands that batch jobs may name, keyed by subcommand name.
std::map<std::string, batch_runner>& batch_runners();

// A batch job's arguments parsed into a command's options by the same option set as its command
// line (add_options(CLI::App&, Options&)), so a job accepts exactly what the command does.
template <class Options, class AddOptions>
Options parse_batch_job(const std::vector<std::string>& args, const char* command, AddOptions add_options) {
  Options options;
  CLI::App parser{std::string(command) + " batch job", command};
  add_options(parser, options);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 consumes from the back
  parser.parse(reversed);
  return options;
}

// What the batch hands a running job besides its arguments: a stop flag for the Monte Carlo
// engines to check once per block (cancelled_error ends the job without a line), and, for a job
// split over MPI ranks, where its Monte Carlo blocks run. The scheduler sets it on the thread
// that calls the runner, for the duration of the call; a runner reads it before doing any work.
// A thread-local rather than a runner parameter, so that runners without Monte Carlo loops need
// no change.
struct batch_job_context {
  const std::atomic<bool>* cancel = nullptr;
  const block_distributor* distribute = nullptr;
};
const batch_job_context& current_batch_job();

class batch_job_scope {
 public:
  explicit batch_job_scope(const batch_job_context& context);
  ~batch_job_scope();
  batch_job_scope(const batch_job_scope&) = delete;
  batch_job_scope& operator=(const batch_job_scope&) = delete;

 private:
  batch_job_context previous_;
};

// One analysis command of the pattern above. The command line and a batch job parse the same
// options and run the same function; the command line then prints the result in its --format
// (render_result: JSON, the text table, or the rows of `table` as CSV or markdown) to
// options.output, a batch job returns the JSON. run_X adds the envelope with with_envelope(). The prepare
// hooks adjust the options first (the command line shows progress; a batch job takes the stop flag and its
// MPI block distribution).
template <class Options>
struct analysis_command {
  const char* name;
  const char* description;
  void (*add_options)(CLI::App&, Options&);
  nlohmann::json (*run)(const Options&);
  std::string (*render_text)(const nlohmann::json&);
  result_table (*table)(const nlohmann::json&);
  void (*prepare_command_line)(Options&) = nullptr;
  void (*prepare_batch_job)(Options&) = nullptr;
};

// The result in the run's --format.
std::string render_result(const output_options& output, const nlohmann::json& result,
                          std::string (*render_text)(const nlohmann::json&),
                          result_table (*table)(const nlohmann::json&));

template <class Options>
void register_analysis_command(CLI::App& app, const analysis_command<Options>& c) {
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(c.name, c.description);
  c.add_options(*command, *options);
  command->callback([options, c] {
    const command_line_run run(options->output);
    if (c.prepare_command_line) c.prepare_command_line(*options);
    const nlohmann::json result = on_input(options->input, [&] { return c.run(*options); });
    emit(options->output, render_result(options->output, result, c.render_text, c.table));
  });
  batch_runners()[c.name] = [c](const std::vector<std::string>& args) {
    auto options = parse_batch_job<Options>(args, c.name, c.add_options);
    if (c.prepare_batch_job) c.prepare_batch_job(options);
    return on_input(options.input, [&] { return c.run(options); });
  };
}

// The batch job's stop flag and MPI distribution, for commands with Monte Carlo loops.
template <class Options>
void take_batch_job_context(Options& options) {
  options.cancel = current_batch_job().cancel;
  options.distribute = current_batch_job().distribute;
}

}  // namespace resample::cli
