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

// Prepares `path` for a run. Without resume, refuses a non-empty existing file unless overwrite
// (then empties it). With resume, keeps the "ok" lines and drops the rest: error lines (those jobs
// run again), lines that are not JSON, and a truncated last line (each with a warning on stderr);
// when anything is dropped the file is rewritten atomically (temporary file, fsync, rename).
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
  std::mutex mutex_;
};

}  // namespace resample::cli::batch
