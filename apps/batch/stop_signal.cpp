#include "stop_signal.hpp"

#include <atomic>
#include <csignal>

namespace resample::cli::batch {

namespace {

// Lock-free atomics are async-signal-safe; the handler only stores.
std::atomic<int> received_signal{0};
std::atomic<bool> stop{false};
static_assert(std::atomic<int>::is_always_lock_free && std::atomic<bool>::is_always_lock_free);

extern "C" void on_stop_signal(int number) {
  received_signal.store(number);
  stop.store(true);
}

}  // namespace

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  // SA_RESTART: a signal must not turn a result write() into a short write or EINTR.
  // SA_RESETHAND: the second signal gets the default action and ends the process.
  action.sa_flags = SA_RESTART | SA_RESETHAND;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

const std::atomic<bool>& stop_flag() { return stop; }

bool stop_requested() { return stop.load(std::memory_order_relaxed); }

int stop_signal_number() { return received_signal.load(); }

void request_stop() { stop.store(true); }

}  // namespace resample::cli::batch
