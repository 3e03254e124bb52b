#pragma once
// SIGINT/SIGTERM during a batch: stop starting jobs; running Monte Carlo jobs stop at their next
// block boundary (the engines check stop_flag() once per block) without a line, the others finish
// and write theirs; exit 130/143 with a summary.

#include <atomic>

namespace resample::cli::batch {

// Installs the handlers. A second signal of either kind ends the process at once (the handlers
// reset themselves), for a user who does not want to wait for in-flight jobs.
void install_stop_handlers();

// True once a stop was requested (by a signal or by request_stop()).
bool stop_requested();

// The flag behind stop_requested(), for the engines' cancel option.
const std::atomic<bool>& stop_flag();

// The signal number that asked to stop, 0 if none (or if stopped by request_stop()).
int stop_signal_number();

// Asks to stop from inside the program (e.g. rank 0 of an MPI run passing on a stop).
void request_stop();

}  // namespace resample::cli::batch
