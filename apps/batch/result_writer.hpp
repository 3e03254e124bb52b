#pragma once
// The results file: one JSON line per finished job, appended durably.
//
// Every line goes out in a single write() of the whole line on an O_APPEND descriptor, followed by
// fsync(), so a crash or SIGKILL leaves whole lines only (at worst a line missing, never a half
// line once write() has returned). --resume reads the file back and skips jobs already done.

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace resample::cli::batch {

// What --resume found in an existing results file.
struct previous_results {
  std::map<std::string, nlohmann::json> ok_options;  // id -> "options" of its "ok" line
};

// Held for the whole run by the process that writes the results file, so that two runs on one
// --out cannot interleave: without it, one run's truncation or --resume rewrite (a rename) drops the
// lines the other has appended since, and two --resume runs both run the pending jobs. The lock is
// flock() on "FILE.lock" beside the file (symbolic links followed), not on FILE itself, because
// the rewrite replaces FILE's inode: a second run opening FILE afterwards would lock the new inode
// and get in. The lock file stays after the run; removing it would let a third run lock a new
// inode while a second still holds the old one. A --out that is not a regular file (/dev/null, a
// FIFO) takes no lock: there is nothing to lose, and no lock file belongs beside a device.
// Throws usage_error naming the lock file when another run holds it.
class results_lock {
 public:
  explicit results_lock(const std::string& path);
  ~results_lock();
  results_lock(const results_lock&) = delete;
  results_lock& operator=(const results_lock&) = delete;

 private:
  int fd_ = -1;
};

// Refuses (usage_error) a results file that is the job file itself (the same inode, however
// spelled): the first line written would destroy the jobs.
void check_not_the_job_file(const std::string& path, const std::string& jobs);

// Prepares `path` for a run. Without resume, refuses a non-empty existing file unless overwrite
// (then empties it). With resume, keeps the "ok" lines and drops the rest: error lines (those jobs
// run again), lines that are not JSON, and a truncated last line (each with a warning on stderr);
// when anything is dropped the file is rewritten atomically (write_file_atomically). A --out that
// is not a regular file (/dev/null, a FIFO) is written as it is and cannot be resumed from.
// Throws usage_error when the file cannot be read or written.
previous_results prepare_results_file(const std::string& path, bool resume, bool overwrite);

class result_writer {
 public:
  explicit result_writer(const std::string& path);
  ~result_writer();
  result_writer(const result_writer&) = delete;
  result_writer& operator=(const result_writer&) = delete;

  // Appends one line (which must end in '\n') and makes it durable. Thread-safe. Throws
  // usage_error when the line cannot be written whole (disk full, I/O error).
  void append(const std::string& line);

 private:
  std::string path_;
  int fd_ = -1;
  bool regular_ = true;
  std::mutex mutex_;
};

}  // namespace resample::cli::batch
