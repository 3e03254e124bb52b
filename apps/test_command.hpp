#pragma once
// `resample test`: exact paired tests (sign-flip, sign, Wilcoxon signed-rank, t) with estimates
// and, for several endpoints, max-T and Holm adjusted p-values.

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "resample/monte_carlo_blocks.hpp"
#include "result_table.hpp"

namespace resample::cli {

struct test_options {
  input_options input;
  output_options output;
  std::string tests = "all";  // comma list of signflip, sign, wilcoxon, t, or all
  std::string stat = "mean";  // sign-flip statistic
  std::string alternative = "two-sided";
  std::string zero_method = "pratt";
  std::string method = "auto";  // exact, mc, approx (Wilcoxon), auto
  std::uint64_t resamples = 100000;
  std::uint64_t seed = 20021;
  unsigned threads = 0;
  bool mid_p = false;
  std::string max_memory;   // bytes, or with K/M/G/T suffix; empty: half of RAM
  std::string max_seconds;  // empty: no limit
  std::string plot;         // --plot FILE.svg: the sign-flip null with the observed statistic
  double level = 0.95;
  std::vector<double> improved_by;      // proportions with d >= K
  std::vector<std::string> proportion;  // extra counts "K/N"
  bool announce = false;  // not an option: the command line announces a long run, a batch job does not
  // Not options: set by a batch runner from current_batch_job() (the sign-flip Monte Carlo test).
  const std::atomic<bool>* cancel = nullptr;
  const block_distributor* distribute = nullptr;
};

void add_test_options(CLI::App& command, test_options& options);
nlohmann::json run_test(const test_options& options);
std::string render_test_text(const nlohmann::json& result);
result_table test_table(const nlohmann::json& result);

}  // namespace resample::cli
