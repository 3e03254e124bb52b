#pragma once
// `resample power`: power of one or more paired tests over a grid of sample sizes, by simulation
// from an effect model, with exact tests inside each simulated trial.

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_common.hpp"
#include "result_table.hpp"
#include "simulation_options.hpp"

namespace resample::cli {

struct power_options {
  input_options input;
  model_options model;
  std::string test = "signflip";
  std::string stat = "mean";  // of the sign-flip test
  std::string n = "6:60:2";
  std::uint64_t trials = 2000;
  double alpha = 0.05;
  std::string alternative = "two-sided";
  std::string zeros = "pratt";
  std::string target_power;  // empty: not asked
  std::uint64_t seed = 20026;
  std::size_t threads = 0;
  std::string max_seconds;  // empty: no limit
  std::string plot;         // --plot FILE.svg
  bool progress = false;    // set by the command line (never by batch jobs)
  output_options output;
  const std::atomic<bool>* cancel = nullptr;  // a batch job's stop flag (checked between trials)
};

void add_power_options(CLI::App& command, power_options& options);
nlohmann::json run_power(const power_options& options);
std::string render_power_text(const nlohmann::json& result);
result_table power_table(const nlohmann::json& result);

}  // namespace resample::cli
