#pragma once
// What the two ways of running a batch share (local_run.hpp: one process; mpi_run.hpp: MPI
// ranks): the options, the count of outcomes and the exit code and summary made from it, the job
// file and the jobs still to run, and the queue that hands finished lines from the TBB threads to
// the thread that writes them.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "job_file.hpp"
#include "result_writer.hpp"

namespace resample::cli::batch {

struct run_options {
  std::string jobs;
  std::string out;
  bool resume = false;
  bool overwrite = false;
  bool mpi = false;
  unsigned threads = 0;
  std::uint64_t split_blocks = 64;  // --mpi: split a job over all ranks from this many blocks (0: never)
};

struct tally {
  std::size_t ok = 0, failed = 0, skipped = 0, not_run = 0;
};

// The CSV reader's check: a FIFO or device given as JOBS would block or never end.
std::string read_job_file(const std::string& path);

// The jobs still to run: all of them, less those --resume finds done. A job whose options changed
// since its "ok" line was written is an error: rerunning it silently would leave two answers.
std::vector<const job*> pending_jobs(const std::vector<job>& jobs, const previous_results& done,
                                     const std::string& out, std::size_t& skipped);

// 128 + the signal that stopped the run; 130 when jobs were not run; 2 when any failed; else 0.
int exit_code(const tally& t);

// The last line of a run, on stderr.
void print_summary(const tally& t, double seconds, const std::string& out);

// Finished lines, handed from the TBB threads that ran the jobs to the thread that writes them (or,
// under MPI, sends them to rank 0).
class line_queue {
 public:
  void push(std::string line) {
    std::lock_guard lock(mutex_);
    lines_.push_back(std::move(line));
    ready_.notify_one();
  }
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    ready_.notify_one();
  }
  // Waits up to `wait` for lines; returns those queued and whether the producer has finished.
  std::pair<std::deque<std::string>, bool> take(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, wait, [&] { return !lines_.empty() || closed_; });
    std::deque<std::string> taken;
    taken.swap(lines_);
    return {std::move(taken), closed_};
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::string> lines_;
  bool closed_ = false;
};

}  // namespace resample::cli::batch
