#pragma once
// Block ranges of a Monte Carlo run, so that one run can be split over processes (MPI ranks).
//
// Every Monte Carlo path cuts its B resamples into blocks of resamples_per_block, block b drawn
// from random_stream(seed, stream, b). A run over blocks [first, last) therefore gives the same
// bits wherever it runs, and its result is a partial that merges exactly with the partials of the
// neighbouring ranges:
//   - integer tallies (histogram bins, exceedance counts) are added;
//   - per-resample doubles are kept at their positions, so the merge is a concatenation in block
//     order.
// The single-call functions (monte_carlo_bootstrap, sign_flip_monte_carlo) are themselves "the
// partial over [0, blocks), then finish", so a merged partial finishes to exactly their result.

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

namespace resample {

// Resamples (or permutations, or simulated trials) per block of a Monte Carlo run.
inline constexpr std::uint64_t resamples_per_block = 1u << 14;

struct block_partial {
  std::uint64_t first_block = 0, last_block = 0;  // the blocks [first_block, last_block) it holds
  std::vector<std::uint64_t> counts;              // integer tallies: merged by adding
  std::vector<double> values;                     // one per resample, in resample order: concatenated
  std::vector<double> t_values;                   // a second per-resample series (studentized t*)
};

// Blocks of a run of `resamples` resamples (the last one may be short).
inline std::uint64_t monte_carlo_block_count(std::uint64_t resamples) {
  return (resamples + resamples_per_block - 1) / resamples_per_block;
}

// Appends `next` to `into`: next.first_block must equal into.last_block, and the tallies must have
// the same length (an empty `into` takes next's). Throws invalid_argument otherwise, since a gap or
// an overlap would silently change the result.
void merge_partial(block_partial& into, block_partial&& next);

// Runs the blocks [first, last) of one run here and returns their partial.
using block_range_runner = std::function<block_partial(std::uint64_t first, std::uint64_t last)>;

// Decides where the blocks [0, blocks) of a run are computed and returns their merged partial
// (e.g. each MPI rank runs a contiguous range, rank 0 merges). The default, without a
// distributor, is run(0, blocks) here. A distributor may also throw to end the run on a process
// that handed its share to another.
using block_distributor = std::function<block_partial(std::uint64_t blocks, const block_range_runner& run)>;

// Checked once per block by the Monte Carlo loops when the options carry a cancel flag: a set flag
// ends the run with cancelled_error (resample/error.hpp) at the next block boundary.
inline bool cancel_requested(const std::atomic<bool>* cancel) {
  return cancel != nullptr && cancel->load(std::memory_order_relaxed);
}

}  // namespace resample
