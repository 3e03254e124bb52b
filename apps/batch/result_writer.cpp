#include "result_writer.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "../cli_common.hpp"
#include "../output_file.hpp"

namespace resample::cli::batch {

namespace {

std::string os_error(const std::string& what, const std::string& path) {
  return "--out: " + what + " '" + path + "': " + std::strerror(errno);
}

bool is_special_file(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  return !ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status) &&
         !std::filesystem::is_directory(status);
}

}  // namespace

results_lock::results_lock(const std::string& path) {
  std::error_code ec;
  // prepare_results_file refuses the empty path and a directory, in its own words.
  if (path.empty() || is_special_file(path) || std::filesystem::is_directory(path, ec)) return;
  auto resolved = std::filesystem::weakly_canonical(path, ec);
  if (ec) resolved = path;
  const std::string lock_path = resolved.string() + ".lock";
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd_ < 0) throw usage_error(os_error("cannot create the lock file", lock_path));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const bool held = errno == EWOULDBLOCK;
    const std::string reason = os_error("cannot lock", lock_path);
    ::close(fd_);
    fd_ = -1;
    if (held)
      throw usage_error("--out: '" + path + "' is in use by another resample batch run (it holds the lock '" +
                        lock_path + "'); wait for it to finish or choose another --out");
    throw usage_error(reason);
  }
}

results_lock::~results_lock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

void check_not_the_job_file(const std::string& path, const std::string& jobs) {
  struct stat out {
  }, job{};
  if (::stat(path.c_str(), &out) == 0 && ::stat(jobs.c_str(), &job) == 0 && out.st_dev == job.st_dev &&
      out.st_ino == job.st_ino)
    throw usage_error("--out: '" + path + "' is the job file '" + jobs +
                      "' itself; choose another results file");
}

previous_results prepare_results_file(const std::string& path, bool resume, bool overwrite) {
  namespace fs = std::filesystem;
  if (path.empty()) throw usage_error("--out: required (the JSON-lines results file)");
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw usage_error("--out: '" + path + "' is a directory, expected a file path");
  const bool exists = fs::exists(path, ec);
  previous_results previous;
  if (is_special_file(path)) {
    if (resume)
      throw usage_error("--resume: --out '" + path +
                        "' is not a regular file (device or pipe), so it holds no results to resume from");
    return previous;  // written as it is: nothing to clear, and renaming over it would replace it
  }
  if (!resume) {
    const bool has_results = exists && fs::file_size(path, ec) > 0;
    if (has_results && !overwrite)
      throw usage_error(
          "--out: '" + path +
          "' already has results; use --resume to continue that run or --overwrite to start again");
    if (has_results) write_file_atomically(path, "", "--out");
    return previous;
  }
  if (!exists) return previous;

  std::ifstream file(path, std::ios::binary);
  if (!file) throw usage_error("--out: cannot read '" + path + "' to resume");
  std::stringstream buffer;
  buffer << file.rdbuf();
  const std::string text = buffer.str();

  std::string kept;
  bool dropped = false;
  std::size_t start = 0, line_number = 1;
  while (start < text.size()) {
    const auto newline = text.find('\n', start);
    if (newline == std::string::npos) {
      // Only a crash inside write() can leave this; the job it belonged to runs again.
      std::cerr << "resample batch: warning: " << path << ":" << line_number
                << ": last line is truncated (no newline); ignoring it\n";
      dropped = true;
      break;
    }
    const std::string line = text.substr(start, newline - start);
    start = newline + 1;
    const std::size_t this_line = line_number++;
    if (line.empty()) {
      dropped = true;
      continue;
    }
    nlohmann::json parsed;
    try {
      parsed = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error&) {
      std::cerr << "resample batch: warning: " << path << ":" << this_line
                << ": not a JSON line; ignoring it\n";
      dropped = true;
      continue;
    }
    if (!parsed.is_object() || !parsed.contains("id") || !parsed["id"].is_string() ||
        !parsed.contains("status")) {
      std::cerr << "resample batch: warning: " << path << ":" << this_line
                << ": not a result line; ignoring it\n";
      dropped = true;
      continue;
    }
    const std::string id = parsed["id"].get<std::string>();
    if (parsed["status"] != "ok" || previous.ok_options.contains(id)) {
      dropped = true;  // failed jobs run again; a duplicate "ok" adds nothing
      continue;
    }
    previous.ok_options[id] = parsed.contains("options") ? parsed["options"] : nlohmann::json(nullptr);
    kept += line;
    kept += '\n';
  }
  if (dropped) write_file_atomically(path, kept, "--out");
  return previous;
}

result_writer::result_writer(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw usage_error(os_error("cannot open", path));
  struct stat opened {};
  // fsync() of a device or pipe fails (EINVAL) and has nothing to make durable.
  regular_ = ::fstat(fd_, &opened) == 0 && S_ISREG(opened.st_mode);
  if (!regular_) return;
  sync_directory_of(path);  // the file's directory entry is durable before the first line is
}

result_writer::~result_writer() {
  if (fd_ >= 0) ::close(fd_);
}

void result_writer::append(const std::string& line) {
  std::lock_guard lock(mutex_);
  if (!write_all(fd_, line)) throw usage_error(os_error("cannot write", path_));
  if (regular_ && ::fsync(fd_) != 0) throw usage_error(os_error("cannot sync", path_));
}

}  // namespace resample::cli::batch
