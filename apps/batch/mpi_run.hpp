#pragma once
// `resample batch --mpi` (built only with RESAMPLE_MPI): one run of the job file over MPI ranks.
//
// The steps, each a member of mpi_run.cpp's run class:
//  1. plan: rank 0 reads the job file and the results file (the other ranks may not see them),
//     takes the results lock and decides which jobs remain; the plan and the job file's text go
//     to every rank;
//  2. assignment: jobs with a large B are split over all ranks by block ranges, the others go
//     round-robin, decided alike on every rank from the plan alone;
//  3. split jobs: every rank runs each split job on its own blocks, rank 0 merges the shares and
//     writes the line;
//  4. the rank's own jobs, on TBB: ranks other than 0 send each finished line to rank 0, which
//     writes its own lines and theirs as they come;
//  5. summary: rank 0 counts every rank's jobs not run and prints the summary.
// A failure that would leave a rank waiting for another (rank 0 cannot write, a rank cannot run
// its jobs) aborts every rank; lines already written stay valid and --resume completes the rest.

#include "run_common.hpp"

namespace resample::cli::batch {

// The exit code of this rank: on rank 0 that of the whole run (run_common.hpp's exit_code), 2 for
// a bad job file or results file; on the other ranks the same without the failed jobs (rank 0
// reports those): 0, 130 when stopped with jobs not run, 128+signal when stopped by a signal.
int run_mpi(const run_options& options);

}  // namespace resample::cli::batch
