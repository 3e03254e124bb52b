#pragma once
// SIGINT/SIGTERM during a batch: stop starting jobs, let the running ones finish (or stop at their
// next block boundary where a runner checks), write their lines, and exit 130/143 with a summary.

namespace resample::cli::batch {

// Installs the handlers. A second signal of either kind ends the process at once (the handlers
// reset themselves), for a user who does not want to wait for in-flight jobs.
void install_stop_handlers();

// True once a stop was requested (by a signal or by request_stop()).
bool stop_requested();

// The signal number that asked to stop, 0 if none (or if stopped by request_stop()).
int stop_signal_number();

// Asks to stop from inside the program (e.g. rank 0 of an MPI run passing on a stop).
void request_stop();

// Thrown by a runner that noticed stop_requested() between blocks: the job produced no result
// and writes no line, so --resume runs it again.
struct job_cancelled {};

}  // namespace resample::cli::batch
