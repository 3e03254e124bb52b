#pragma once
// A progress bar with an ETA on stderr for long runs: drawn only when stderr is a terminal and the
// run has lasted more than a second, so pipes, files, tests and short runs see nothing at all.
// Work reports progress through an atomic counter; the bar is redrawn by its own thread. A run
// whose engine counts nothing (a Monte Carlo bootstrap or test) gives total 0 and its predicted
// seconds instead: the bar then follows the clock against the prediction and never claims 100%
// (so does a counted run until its first unit is done, when its prediction is given).

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace resample::cli {

class progress_bar {
 public:
  progress_bar(std::uint64_t total, std::string label, double predicted_seconds = 0.0);
  ~progress_bar();  // stops the thread and erases the bar
  progress_bar(const progress_bar&) = delete;
  progress_bar& operator=(const progress_bar&) = delete;

  std::atomic<std::uint64_t>* counter() { return &done_; }

  // The bar's text after `elapsed` seconds (exposed for tests): label, bar, percentage, ETA.
  std::string line(double elapsed) const;

 private:
  void run();

  std::uint64_t total_;
  std::string label_;
  double predicted_;
  std::atomic<std::uint64_t> done_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace resample::cli
