#pragma once
// `resample coverage`: actual coverage of the bootstrap, t and Hodges-Lehmann intervals over a grid
// of sample sizes, by simulation from an effect model with an exact bootstrap inside each simulated
// sample (Monte Carlo beyond --exact-max-n).

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_common.hpp"
#include "resample/bootstrap/intervals.hpp"
#include "result_table.hpp"
#include "simulation_options.hpp"

namespace resample::cli {

struct coverage_options {
  input_options input;
  model_options model;
  std::string stat = "mean";
  std::string n = "6";  // --n: one size or a grid (parse_sample_sizes)
  std::string ci;       // empty: default_coverage_ci(stat)
  std::string studentized_se{bootstrap::to_string(
      bootstrap::default_studentized_se)};  // auto | order_statistic | jackknife | nested
  double conf = 0.95;
  std::uint64_t trials = 2000;
  std::size_t exact_max_n = 10;
  std::uint64_t resamples = 2000;  // Monte Carlo bootstrap beyond --exact-max-n
  std::uint64_t seed = 20026;
  std::size_t threads = 0;
  std::string max_memory;   // bytes, or with K/M/G/T suffix; empty: half of RAM
  std::string max_seconds;  // empty: no limit
  std::string plot;
  bool progress = false;
  output_options output;
  const std::atomic<bool>* cancel = nullptr;  // a batch job's stop flag (checked between trials)
};

void add_coverage_options(CLI::App& command, coverage_options& options);
nlohmann::json run_coverage(const coverage_options& options);
std::string render_coverage_text(const nlohmann::json& result);
result_table coverage_table(const nlohmann::json& result);

}  // namespace resample::cli
