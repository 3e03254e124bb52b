#pragma once
// The batch job file: parsed and validated whole before any job runs, so that a typo in job 180
// is reported in a second rather than after an hour of computing the first 179.
//
//   {"defaults": {"stat": "mean"},
//    "jobs": [{"id": "j1", "command": "bootstrap", "values": [2, 9, 8], "seed": 7}, ...]}
//
// Every key of a job other than "id" and "command" is a long option of the command without its
// dashes. The job becomes the argument list the command would get on the command line.

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace resample::cli::batch {

// How a command-line option takes its value, which decides how a JSON value maps onto it.
enum class option_kind {
  flag,      // true -> "--name", false -> nothing
  single,    // one value; a JSON array becomes one comma-joined value ("values": [2, 9] -> "2,9")
  repeated,  // may be given many times; a JSON array repeats the option ("pre": ["a", "b"])
};

// Long option names (without dashes) of a command and how each takes its value.
using option_shapes = std::map<std::string, option_kind>;

// The shapes of every long option defined on `app`, read from CLI11 itself so that they cannot
// drift from the command's real definition.
option_shapes describe_options(const CLI::App& app);

// Commands whose option shapes are known, keyed by command name. A command registers here by
// building a throwaway CLI::App with its add_X_options function and calling describe_options.
// For a command without shapes the job file is still checked for structure and types; unknown
// keys then surface as that job's error line when the command parses its arguments.
std::map<std::string, std::function<option_shapes()>>& batch_option_shapes();

struct job {
  std::size_t index = 0;          // position in "jobs", from 0
  std::string id;                 // unique within the file
  std::string command;            // a name in batch_runners()
  nlohmann::json options;         // resolved: defaults merged under the job's own keys (sorted)
  nlohmann::json seed;            // options["seed"] if given, else null
  std::vector<std::string> args;  // the command-line arguments the options become
};

// Parses and validates the job file text. Throws usage_error with a one-line message naming the
// file, the job (index and id) and the key at fault.
std::vector<job> parse_job_file(const std::string& text, const std::string& source_name);

}  // namespace resample::cli::batch
