#pragma once
// Monte Carlo bootstrap: B resamples cut into blocks of resamples_per_block; block b always uses
// random_stream(seed, bootstrap, b), so the output is bit-identical for any thread count.
// Statistics on an integer score lattice are accumulated as an exact histogram (integer counts,
// merged in any order with the same result); other statistics keep the B replicates as doubles,
// written at fixed positions.
//
// The run is "blocks [0, B/resamples_per_block), then finish": monte_carlo_blocks runs any block
// range, partials of adjacent ranges merge exactly (merge_partial), and monte_carlo_finish turns
// the merged partial into the result monte_carlo_bootstrap returns, bit for bit. This is how one
// large run is split over MPI ranks (resample/monte_carlo_blocks.hpp).

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "resample/bootstrap/intervals.hpp"
#include "resample/distribution.hpp"
#include "resample/execution.hpp"
#include "resample/monte_carlo_blocks.hpp"
#include "resample/statistics.hpp"

namespace resample::bootstrap {

struct monte_carlo_options {
  std::uint64_t resamples = 10000;
  std::uint64_t seed = 20020;
  bool studentized = false;
  // se* of a statistic without an analytic SE (intervals.hpp); sum-type statistics always use theirs.
  studentized_se_method se_method = default_studentized_se;
  double max_memory_bytes = 0;  // 0: no limit
  // exec.cancel is checked once per block; exec.distribute decides where monte_carlo_bootstrap
  // runs its blocks (default: all here). exec.threads is not used: these functions run in the
  // caller's arena (bootstrap() sets one up). exec.progress is not used.
  execution exec{};
};

struct monte_carlo_result {
  weighted_distribution distribution;
  std::optional<weighted_distribution> studentized;
  std::uint64_t studentized_resamples = 0;  // replicates behind studentized (B - dropped)
  std::uint64_t studentized_dropped = 0;    // replicates with se* = 0
  std::string studentized_method;
  std::string path;  // how replicates were drawn and stored, e.g. "histogram, multinomial counts"
};

// Bytes the run would need beyond the input (the plan checked against max_memory_bytes).
double monte_carlo_memory_estimate(std::span<const double> sample, const statistic& stat,
                                   const monte_carlo_options& options);

// Runs in the caller's TBB arena. Throws infeasible_error when the plan exceeds max_memory_bytes,
// cancelled_error when options.exec.cancel is set at a block boundary.
monte_carlo_result monte_carlo_bootstrap(std::span<const double> sample, const statistic& stat,
                                         const monte_carlo_options& options);

// The blocks [first, last) of that run (last <= monte_carlo_block_count(options.resamples)):
// histogram paths fill `counts` (one per bin, summed over the range), replicate paths fill
// `values` (and `t_values` when studentized) for the range's resamples in order. The memory limit
// is not checked here (monte_carlo_bootstrap checks the whole run). Throws like
// monte_carlo_bootstrap.
block_partial monte_carlo_blocks(std::span<const double> sample, const statistic& stat,
                                 const monte_carlo_options& options, std::uint64_t first, std::uint64_t last);

// The result from the merged partial of all blocks [0, monte_carlo_block_count(resamples)).
// Throws invalid_argument for a partial that does not cover them or does not fit this run.
monte_carlo_result monte_carlo_finish(std::span<const double> sample, const statistic& stat,
                                      const monte_carlo_options& options, block_partial&& all);

}  // namespace resample::bootstrap
