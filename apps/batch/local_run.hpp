#pragma once
// `resample batch` in one process: the jobs run concurrently on TBB (scheduler.hpp) while this
// thread appends their lines to --out as they finish.

#include "run_common.hpp"

namespace resample::cli::batch {

// The exit code of the run (run_common.hpp's exit_code); throws usage_error for a bad job file or
// results file, and what writing a line threw.
int run_single_process(const run_options& options);

}  // namespace resample::cli::batch
