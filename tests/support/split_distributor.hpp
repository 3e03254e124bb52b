// A block_distributor for tests: the blocks of a Monte Carlo run as three contiguous ranges, run
// here one after the other and merged, as three MPI ranks would run and rank 0 would merge them.

#pragma once

#include <cstdint>

#include "resample/monte_carlo_blocks.hpp"

namespace resample::test {

// `seen_blocks` receives the block count the engine asked to distribute.
inline block_distributor split_in_three(std::uint64_t& seen_blocks) {
  return [&seen_blocks](std::uint64_t blocks, const block_range_runner& run) {
    seen_blocks = blocks;
    block_partial all;
    for (std::uint64_t r = 0; r < 3; ++r) merge_partial(all, run(blocks * r / 3, blocks * (r + 1) / 3));
    return all;
  };
}

}  // namespace resample::test
