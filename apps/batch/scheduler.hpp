#pragma once
// Runs batch jobs concurrently on TBB and turns each outcome into its result line.
//
// Jobs run in a tbb::task_group; each job's engine runs its own TBB parallel loops inside, so jobs
// and resamples share the one thread pool (nested parallelism). Each job runs in an isolated
// arena region so that a thread waiting for its job's inner loop does not pick up another whole
// job, which would hold the first job's line back until the second finished.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "job_file.hpp"
#include "resample/monte_carlo_blocks.hpp"

namespace resample::cli::batch {

struct job_outcome {
  const job* source = nullptr;
  bool ok = false;
  bool cancelled = false;    // stopped at a block boundary by a stop request; no line is written
  bool handed_over = false;  // a split job's share sent to another rank, which writes the line
  std::string line;          // the whole JSON line with its '\n' (empty when cancelled or handed over)
};

// Thrown by a block distributor on a rank that has sent its share of a split job's blocks to the
// rank that merges them: that rank writes the line, this one has no result.
struct share_handed_over {};

// The result line of one job, keys in a fixed order:
//   {"id", "command", "options", "seed", "status", "result"|"error", "timings", "engine_version"}
// Everything but "timings" is a function of the job alone, so lines compare equal across runs,
// thread counts and MPI ranks once "timings" is removed. "seed" is the job's seed option, else the
// "seed" its result reports (the command's default), else null. `rank` is recorded in "timings" when >= 0.
std::string result_line(const job& j, const nlohmann::json* result, const std::string* error,
                        double wall_seconds, int rank);

// Runs one job through its batch runner; never throws (failures become error lines). The runner
// sees the stop flag as its cancel flag and `distribute` (null: run every block here) as where its
// Monte Carlo blocks run.
job_outcome run_job(const job& j, int rank, const block_distributor* distribute = nullptr);

// Runs `todo` concurrently; `finished` is called (from worker threads, one call at a time) as each
// job ends. Stops starting jobs once stop_requested(); running jobs finish, or stop at their next
// block boundary (outcome.cancelled) when their engine checks the stop flag.
void run_jobs(const std::vector<const job*>& todo, int rank,
              const std::function<void(const job_outcome&)>& finished);

}  // namespace resample::cli::batch
