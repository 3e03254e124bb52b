#pragma once
// How an engine run executes, as opposed to what it computes: the thread count, a cancel flag,
// where its Monte Carlo blocks run and a progress counter. Every engine options struct carries one
// `execution exec` instead of repeating these four fields, so a front end (the CLI, a batch job, a
// planner pilot) sets them in one place and passes them on whole.
//
// None of the fields changes a result: a run gives the same bits on any number of threads, on
// one process or spread over MPI ranks, watched or not; a cancelled run gives no result at all.
// Not every entry point honours every field (a serial kernel has no threads to use, an exact
// algorithm no blocks to distribute): each options struct says which ones its functions read,
// and the others are ignored.
//
// The pointers are optional and not owned: they must outlive the run.

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "resample/monte_carlo_blocks.hpp"

namespace resample {

struct execution {
  // Worker threads: the run executes in a task arena of this many threads; 0 runs in the
  // caller's arena (by default all cores). Results never depend on it.
  std::size_t threads = 0;
  // Checked once per Monte Carlo block (or chunk of simulated trials): a set flag ends the run
  // with cancelled_error (resample/error.hpp) at that boundary.
  const std::atomic<bool>* cancel = nullptr;
  // Where the Monte Carlo blocks run (resample/monte_carlo_blocks.hpp), e.g. spread over MPI
  // ranks; null: all of them here.
  const block_distributor* distribute = nullptr;
  // Incremented by the work units finished (simulated trials), for a progress bar.
  std::atomic<std::uint64_t>* progress = nullptr;
};

// Whether the run's cancel flag is set (false without one).
inline bool cancel_requested(const execution& exec) { return cancel_requested(exec.cancel); }

}  // namespace resample
