#include "output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <utility>

#include "cli_common.hpp"

namespace resample::cli {

namespace {

namespace fs = std::filesystem;

// Temporary names must differ between the threads of one process too: batch jobs write their
// plots concurrently.
std::atomic<unsigned long> temporary_serial{0};

std::string os_reason() { return std::strerror(errno); }

// Where a file created at `path` ends up: through any dangling symbolic links, so that writing
// through a link creates its target rather than replacing the link with a file.
std::string follow_dangling_links(std::string path) {
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(path, ec)) || ec) return path;
    fs::path link = fs::read_symlink(path, ec);
    if (ec) return path;
    if (link.is_relative()) link = fs::path(path).parent_path() / link;
    path = link.string();
  }
  return path;  // a loop of links: creating the temporary file beside it reports the error
}

// /dev/stdout, /dev/fd/N and /proc/self/fd/N name a descriptor this process has open. Behind one
// may be a regular file the shell opened (`> file`, or one redirection shared by a group of
// commands): renaming over it would drop what the others wrote, and a second open of it would
// write at an offset of its own, over their lines. So the text goes through that descriptor.
// Returns the descriptor's number, or -1 when the path does not lead to one.
int own_descriptor(std::string path) {
  const std::string self = "/proc/" + std::to_string(::getpid()) + "/fd/";
  for (int hops = 0; hops < 40; ++hops) {
    const std::string p = fs::absolute(path).lexically_normal().string();
    for (const std::string& prefix : {std::string("/dev/fd/"), std::string("/proc/self/fd/"), self}) {
      if (!p.starts_with(prefix)) continue;
      int fd = -1;
      const char* end = p.data() + p.size();
      const auto [stop, ec] = std::from_chars(p.data() + prefix.size(), end, fd);
      return ec == std::errc{} && stop == end ? fd : -1;
    }
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(p, ec)) || ec) return -1;
    fs::path link = fs::read_symlink(p, ec);
    if (ec) return -1;
    path = (link.is_relative() ? fs::path(p).parent_path() / link : link).string();
  }
  return -1;
}

fs::path directory_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

}  // namespace

bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void sync_directory_of(const std::string& path) {
  const int fd = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: the file itself is complete either way
  ::fsync(fd);
  ::close(fd);
}

staged_file::staged_file(std::string path, std::string option)
    : path_(std::move(path)), option_(std::move(option)) {}

staged_file::staged_file(staged_file&& other) noexcept
    : path_(std::move(other.path_)),
      option_(std::move(other.option_)),
      target_(std::move(other.target_)),
      temporary_(std::exchange(other.temporary_, std::string())),
      direct_(std::move(other.direct_)),
      descriptor_(other.descriptor_),
      special_(other.special_) {}

staged_file::~staged_file() { discard(); }

void staged_file::discard() noexcept {
  if (!temporary_.empty()) ::unlink(temporary_.c_str());
  temporary_.clear();
}

void staged_file::stage(const std::string& text) {
  struct stat existing {};
  bool replaces = false;
  if (::stat(path_.c_str(), &existing) == 0) {
    if (S_ISDIR(existing.st_mode))
      throw usage_error(option_ + ": '" + path_ + "' is a directory, expected a file path");
    descriptor_ = own_descriptor(path_);
    if (!S_ISREG(existing.st_mode) || descriptor_ >= 0) {
      special_ = true;
      direct_ = text;
      return;
    }
    std::error_code ec;
    target_ = fs::canonical(path_, ec).string();
    if (ec) target_ = path_;
    replaces = true;
  } else if (errno == ENOENT) {
    target_ = follow_dangling_links(path_);
  } else {
    throw usage_error(option_ + ": cannot write '" + path_ + "': " + os_reason());
  }

  const fs::path target(target_);
  const fs::path temporary =
      directory_of(target_) / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                               std::to_string(temporary_serial++));
  // 0666 less the umask for a new file, as the shell's redirection would give it.
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) throw usage_error(option_ + ": cannot write '" + path_ + "': " + os_reason());
  temporary_ = temporary.string();
  if (replaces) {
    // Owner first: changing it clears set-id bits that the mode then restores. Only root may give
    // a file away; for anyone else this fails and the new file is theirs, as a copy would be.
    [[maybe_unused]] const int given = ::fchown(fd, existing.st_uid, existing.st_gid);
    ::fchmod(fd, existing.st_mode & 07777);
  }
  const bool written = write_all(fd, text) && ::fsync(fd) == 0;
  const std::string reason = written ? std::string() : os_reason();
  if (::close(fd) != 0 || !written) {
    discard();
    throw usage_error(option_ + ": writing '" + path_ + "' failed (" +
                      (reason.empty() ? os_reason() : reason) + "); nothing was written");
  }
}

void staged_file::commit() {
  if (special_) {
    // Opened as it is (no O_CREAT, no O_TRUNC): a FIFO or a device is written, never replaced.
    const int fd = descriptor_ >= 0 ? descriptor_ : ::open(path_.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) throw usage_error(option_ + ": cannot open '" + path_ + "': " + os_reason());
    const bool written = write_all(fd, direct_);
    const std::string reason = written ? std::string() : os_reason();
    if (fd != descriptor_) ::close(fd);
    if (!written) throw usage_error(option_ + ": writing '" + path_ + "' failed: " + reason);
    special_ = false;
    return;
  }
  if (temporary_.empty()) return;
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
    const std::string reason = os_reason();
    discard();
    throw usage_error(option_ + ": cannot move the result into '" + path_ + "': " + reason);
  }
  temporary_.clear();
  sync_directory_of(target_);
}

void write_file_atomically(const std::string& path, const std::string& text, const std::string& option) {
  staged_file file(path, option);
  file.stage(text);
  file.commit();
}

side_files::~side_files() {
  if (committed_) return;
  files_.clear();  // removes the staged files first, so that the directories are empty again
  for (auto it = created_.rbegin(); it != created_.rend(); ++it) {
    std::error_code ignored;
    fs::remove(*it, ignored);  // removes only an empty directory
  }
}

void side_files::stage(const std::string& path, const std::string& text, const std::string& option) {
  files_.emplace_back(path, option);
  files_.back().stage(text);
}

void side_files::create_directory(const std::string& directory, const std::string& option) {
  // Each missing level, outermost first, so that a failure removes exactly what this run made.
  std::vector<fs::path> missing;
  std::error_code ec;
  fs::path start = fs::path(directory).lexically_normal();
  if (!start.has_filename()) start = start.parent_path();  // "plots/" names "plots"
  for (fs::path p = start; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (!fs::create_directory(*it, ec) && ec) break;
    created_.push_back(it->string());
  }
  if (ec || !fs::is_directory(directory))
    throw usage_error(option + ": cannot create the directory '" + directory + "'" +
                      (ec ? ": " + ec.message() : ""));
}

void side_files::commit() {
  for (auto& file : files_) file.commit();
  committed_ = true;
}

}  // namespace resample::cli
