#pragma once
// `resample bootstrap`: exact or Monte Carlo bootstrap of one endpoint, with confidence intervals.

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_common.hpp"
#include "resample/bootstrap/intervals.hpp"
#include "resample/monte_carlo_blocks.hpp"
#include "result_table.hpp"

namespace resample::cli {

struct bootstrap_options {
  input_options input;
  std::string stat = "mean";
  std::string method = "auto";  // exact | mc | auto
  std::uint64_t resamples = 10000;
  std::string ci;  // empty: planning::default_intervals() of the statistic
  std::string studentized_se{bootstrap::to_string(
      bootstrap::default_studentized_se)};  // auto | order_statistic | jackknife | nested
  double conf = 0.95;
  std::uint64_t seed = 20020;
  std::size_t threads = 0;  // 0: all cores
  std::string max_memory;   // bytes, or with K/M/G/T suffix; empty: half of RAM
  std::string max_seconds;  // empty: no limit
  std::string plot;         // --plot FILE.svg: the distribution with the estimate and intervals
  output_options output;
  // Not options. The command line announces a long run (a batch job does not: the batch has
  // its own progress line); a batch runner sets the rest from current_batch_job().
  bool announce = false;
  const std::atomic<bool>* cancel = nullptr;
  const block_distributor* distribute = nullptr;
};

void add_bootstrap_options(CLI::App& command, bootstrap_options& options);
nlohmann::json run_bootstrap(const bootstrap_options& options);
std::string render_bootstrap_text(const nlohmann::json& result);
result_table bootstrap_table(const nlohmann::json& result);

}  // namespace resample::cli
