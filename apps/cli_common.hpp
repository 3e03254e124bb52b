#pragma once
// Options every analysis subcommand shares, and the one way results leave the program.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "output_file.hpp"
#include "resample/planning/limits.hpp"
#include "resample/study/paired.hpp"
#include "resample/study/study.hpp"

namespace resample::cli {

// Raised for a bad option value; main() prints it as one line and exits 2.
class usage_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct input_options {
  std::string data;                 // --data FILE
  std::vector<std::string> pre;     // --pre COL (repeatable: one per endpoint)
  std::vector<std::string> post;    // --post COL
  std::vector<std::string> column;  // --column COL (already differences)
  std::string values;               // --values 2,9,8
  std::string range;                // --range MIN:MAX declared scale of the columns read
  // The study description (resample/study/study.hpp); empty strings: not given (the file's or
  // the default applies).
  std::string study;                   // --study FILE.json
  std::string delimiter;               // --delimiter , ; tab (empty: detected)
  std::string decimal;                 // --decimal . or ,
  std::string id;                      // --id COL
  std::vector<std::string> direction;  // --direction, once for all endpoints or once per endpoint
  std::string na;                      // --na TOKENS, comma list (an empty cell is always missing)
  std::string missing;                 // --missing complete-case|error
  std::vector<std::string> where;      // --where COL=VALUE or COL!=VALUE, repeatable (all hold)
  std::vector<std::string> endpoint;   // --endpoint NAME: only these of the study's endpoints
};

struct output_options {
  bool json = false;            // --json: an alias of --format json
  std::string format = "text";  // --format text|markdown|json|csv
  std::string out;              // --out FILE
  // A command-line run's --plot/--plots files, committed by emit() after the main output; null
  // (a batch job, whose result line is its main output) writes them at once.
  side_files* side = nullptr;
};

// The side files of one command-line run: set on `options` for the run's duration; whatever was
// staged and not committed by emit() is removed when the run ends by an exception.
class command_line_run {
 public:
  explicit command_line_run(output_options& options) : options_(options) { options_.side = &files_; }
  ~command_line_run() { options_.side = nullptr; }
  command_line_run(const command_line_run&) = delete;
  command_line_run& operator=(const command_line_run&) = delete;

 private:
  output_options& options_;
  side_files files_;
};

// A --plot/--plots file: staged for emit() to commit on the command line, written at once in a batch job.
void write_side_file(const output_options& options, const std::string& path, const std::string& text,
                     const std::string& option);

// The directory for --plots files, created if missing (and removed again if the run fails).
void create_side_directory(const output_options& options, const std::string& directory,
                           const std::string& option);

void add_input_options(CLI::App& command, input_options& options);

// Largest count a --resamples or --trials option takes. Counts become block indices, stream
// counters and doubles inside the engine, and no run gets anywhere near 2^63 resamples.
inline constexpr std::uint64_t max_count = std::uint64_t{1} << 63;

// A whole number min <= N <= max written in decimal digits (no sign, no spaces, not empty), with
// `scientific` also in the scientific form of a whole number (1e6, 2.5e6: counts), or a usage_error
// naming `option` that says "expected " + `expected`.
std::uint64_t parse_whole_number(const std::string& text, const std::string& option, std::uint64_t min,
                                 std::uint64_t max, const std::string& expected, bool scientific = false);

// A count 1 <= N <= 2^63 in decimal digits or scientific form (1e6), or a usage_error naming `option`.
std::uint64_t parse_count(const std::string& text, const std::string& option);

// --seed: exactly the 64-bit seeds 0 .. 2^64 - 1. CLI11's own conversion wraps "-1", saturates
// "18446744073709551616" and reads "" as 0, each a seed the user did not ask for.
std::uint64_t parse_seed(const std::string& text);
CLI::Option* add_seed_option(CLI::App& command, std::uint64_t& target, const std::string& description);
CLI::Option* add_seed_option(CLI::App& command, std::optional<std::uint64_t>& target,
                             const std::string& description);

// A check for a floating-point option: CLI11 reads "nan", "inf" and "1e999" (as infinity) as
// numbers; this refuses them with the option's name, as parse_finite_number does for --values.
CLI::Validator finite_number();

// Caps a --threads value at the cores TBB may use. A larger arena gains nothing and makes TBB print
// a multi-line warning on stderr; results do not depend on the thread count, so capping changes
// nothing else. Add after the option's range check.
CLI::Validator at_most_the_cores();

// --threads N on every command: 0 (the default) means all cores, 1 .. 65536 that many, capped at
// the cores (at_most_the_cores). `what` says what the threads do.
template <class T>
CLI::Option* add_threads_option(CLI::App& command, T& target, const std::string& what = "worker threads") {
  return command
      .add_option("--threads", target, what + "; 0: all cores (the default); results do not depend on it")
      ->check(CLI::Range(T{0}, T{1} << 16))
      ->transform(at_most_the_cores())
      ->type_name("UINT");
}

// Adds a count option (e.g. "--resamples") parsed by parse_count. CLI11's own unsigned conversion
// wraps "-5" and saturates "99999999999999999999" to 2^64 - 1 without a word.
CLI::Option* add_count_option(CLI::App& command, const std::string& name, std::uint64_t& target,
                              const std::string& description);
// --format, --json and --out; `html`: also --format html (the report).
void add_output_options(CLI::App& command, output_options& options, bool html = false);

// --studentized-se jackknife|nested on the commands with bootstrap intervals (bootstrap, coverage):
// the se* inside each resample for a studentized interval of a statistic without an analytic SE.
CLI::Option* add_studentized_se_option(CLI::App& command, std::string& target);
// Its value as the engine's choice, or a usage_error naming --studentized-se.
bootstrap::studentized_se_method parse_studentized_se(const std::string& text);

// Half of physical memory, the default --max-memory (the engine has no default of its own: it takes
// the limit as a parameter). 4 GiB when the system does not tell.
double default_max_memory_bytes();

// The --format a run writes: "json" when --json was given, else --format.
std::string output_format(const output_options& options);

// --max-memory SIZE: bytes, or with a K/M/G/T suffix (binary units, optional "i" and "B"). Empty:
// default_max_memory_bytes(). Throws usage_error for anything else.
double parse_memory(const std::string& text);

// --max-seconds S: a positive finite number of seconds. Empty: 0 (no limit).
double parse_seconds(const std::string& text);

// Adds --max-seconds to a command that checks it with check_max_seconds.
void add_max_seconds_option(CLI::App& command, std::string& target);

// "about 41 s", "about 0.35 s": estimates carry two digits at most.
std::string about_seconds(double seconds);

// "about 41 s", "about 72 min", "about 5.5 h", "about 3 days": a long run's predicted length.
std::string about_duration(double seconds);

// A run predicted to take longer than this says so on stderr before it starts, in one line.
inline constexpr double announce_above_seconds = 10.0;

// Throws the --max-seconds refusal (usage_error, one line) when estimate.seconds > limit, saying
// what would fit: fewer `count_option` (e.g. "--resamples") for a run that scales with it, or, for
// an exact run, "--method mc --resamples N" from `monte_carlo`, the Monte Carlo run's estimate
// (no suggestion when it is empty). A part that costs most of the time (estimate.costly_part) is
// named with its share.
void check_max_seconds(double limit, const planning::time_estimate& estimate, const std::string& count_option,
                       std::uint64_t count, const std::function<planning::time_estimate()>& monte_carlo = {});

using time_estimator = std::function<planning::time_estimate(planning::pilot_budget&)>;

// The time check of one run: with a --max-seconds limit, or when `predict` (the command line,
// which announces long runs; a batch job does not), the run is predicted once by `estimate`
// within one pilot budget (planning::pilot_seconds(limit)), and a prediction over the limit is
// refused by check_max_seconds (`monte_carlo`, when given, predicts the Monte Carlo alternative of
// an exact run within what is left of the same budget). A prediction made only to announce never
// refuses: bad input is left for the run to report. Returns the prediction (zero when none).
planning::time_estimate check_run_time(double limit, bool predict, const time_estimator& estimate,
                                       const std::string& count_option, std::uint64_t count,
                                       const time_estimator& monte_carlo = {});

// Right before a run predicted past announce_above_seconds starts: the one announcement line on
// stderr (terminal or not), e.g. "resample: about 72 min on 2 threads; --max-seconds refuses,
// Ctrl-C stops cleanly". `threads`: the run's --threads (0: all cores). Returns whether it
// announced (the caller then shows its progress bar).
bool announce_long_run(const planning::time_estimate& predicted, std::size_t threads);

// The data the input options describe: --values, or a study (--study FILE, or --data with
// --pre/--post or --column and the other study options), each endpoint with the patients it used
// and left out. Throws usage_error for an inconsistent combination and resample::data_error for
// bad data.
study_data load_input(const input_options& options);
// The study description the options give (a --study file with the options over it, or --data
// with --pre/--post or --column); load_input loads it. usage_error for --values.
study_description describe_input(const input_options& options);
// load_input's endpoints, in the order given.
std::vector<endpoint> load_endpoints(const input_options& options);

// Word-wraps a paragraph of terminal text at `width` columns: `first` before its first line,
// `rest` before the others. ANSI colour sequences take no width. A word longer than a line stays
// whole.
std::string wrap_text(const std::string& text, std::size_t width, const std::string& first,
                      const std::string& rest);

// The width text output wraps at: the terminal's (at least 60) when stdout is one and no --out is
// given, else 100, so that files and pipes get the same bytes on every machine.
std::size_t text_width(const output_options& output);

// Writes the text to stdout, or to --out FILE whole or not at all (write_file_atomically), then
// commits the run's side files: a failure on the main output leaves none of them.
void emit(const output_options& options, const std::string& text);

}  // namespace resample::cli
