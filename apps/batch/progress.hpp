#pragma once
// The batch progress line on stderr: jobs done of total, failures, elapsed time and an ETA.
// Drawn only when stderr is a terminal, so logs and pipes get the final summary alone.

#include <chrono>
#include <cstddef>

namespace resample::cli::batch {

class progress {
 public:
  progress(std::size_t total, bool enabled);
  // One job ended. Not thread-safe: the caller serialises (it does so to write the line anyway).
  void job_done(bool ok);
  // Clears the bar before the summary is printed.
  void finish();

 private:
  void draw();
  std::size_t total_, done_ = 0, failed_ = 0;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace resample::cli::batch
