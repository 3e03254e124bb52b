#pragma once
// `resample ordinal`: the paired table of (pre, post) levels of each endpoint, marginal homogeneity
// (Stuart-Maxwell, Bhapkar; exact conditional), symmetry (Bowker), the ordered-scores version (the
// sign-flip test of the mean level change) and, for a dichotomy, McNemar with Newcombe's interval.

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli_common.hpp"
#include "resample/monte_carlo_blocks.hpp"
#include "result_table.hpp"

namespace resample::cli {

struct ordinal_options {
  input_options input;
  output_options output;
  std::optional<double> dichotomize;  // --dichotomize K: "level >= K" is the positive state
  std::string method = "auto";        // exact, mc, auto
  std::uint64_t resamples = 100000;
  std::uint64_t seed = 20021;
  unsigned threads = 0;
  double level = 0.95;
  // Not options: set by a batch runner from current_batch_job().
  const std::atomic<bool>* cancel = nullptr;
  const block_distributor* distribute = nullptr;
};

void add_ordinal_options(CLI::App& command, ordinal_options& options);
nlohmann::json run_ordinal(const ordinal_options& options);
std::string render_ordinal_text(const nlohmann::json& result);
result_table ordinal_table(const nlohmann::json& result);

}  // namespace resample::cli
