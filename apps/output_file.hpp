#pragma once
// The one way a command writes a file it was asked for (--out, --plot, --plots, the batch results
// file when it is rewritten): whole or not at all, and without damaging what the path names.
//
// What the path names decides how it is written:
//   - a regular file or no file: a temporary file in the same directory, synced, then renamed over
//     the target, so that a reader or a crash sees the old contents or the new, never a mixture.
//     An existing file's permission bits (and, when allowed, owner) carry over to the new one; a
//     new file gets 0666 less the umask, as any program's output would. Hard links to the old
//     file keep the old contents (rename replaces the directory entry, not the inode).
//   - a symbolic link: followed, and its final target replaced as above; the link stays a link.
//     A dangling link creates its target.
//   - a FIFO, a character device (/dev/null, /dev/stdout, a terminal) or a socket: opened and
//     written directly. Renaming over one would replace the device node itself. A path naming one
//     of this process's descriptors (/dev/stdout, /dev/fd/N) is written through that descriptor,
//     whatever is behind it: after `> file` the shell's file gets the text at its own offset.
//   - a directory: refused.

#include <string>
#include <vector>

namespace resample::cli {

// One file written in two steps: stage() writes the text where it cannot be seen yet, commit()
// puts it in place. Destroying a staged, uncommitted file removes what stage() wrote, so a run
// that fails between the two leaves nothing behind. Errors are usage_errors naming `option` and
// the path.
class staged_file {
 public:
  staged_file(std::string path, std::string option);
  staged_file(staged_file&& other) noexcept;
  staged_file& operator=(staged_file&&) = delete;
  staged_file(const staged_file&) = delete;
  staged_file& operator=(const staged_file&) = delete;
  ~staged_file();

  void stage(const std::string& text);
  void commit();

 private:
  void discard() noexcept;

  std::string path_;       // as given, for messages and for writing a special file directly
  std::string option_;     // "--out", "--plot", ...
  std::string target_;     // the regular file to replace (symbolic links followed)
  std::string temporary_;  // the staged text, beside target_; empty once committed or discarded
  std::string direct_;     // the text for a special file, written at commit
  int descriptor_ = -1;    // the open descriptor a path such as /dev/stdout names, else -1
  bool special_ = false;
};

// Writes all of `data` to `fd`, continuing a short write (a full disk then reports its error
// rather than leaving part of the data); false with errno set when it cannot.
bool write_all(int fd, const std::string& data);

// Makes a new or renamed directory entry for `path` durable (fsync of its directory), best effort.
void sync_directory_of(const std::string& path);

// Writes `text` to `path` whole or not at all (stage, then commit).
void write_file_atomically(const std::string& path, const std::string& text, const std::string& option);

// The files a command-line run writes besides its main output (--plot, --plots): staged as the run
// makes them and committed only after the main output has been written, so that a run that fails
// (on --out, or anywhere before) leaves none of them. Directories it was asked to create for them
// are removed again, if still empty, when the run fails.
class side_files {
 public:
  side_files() = default;
  side_files(const side_files&) = delete;
  side_files& operator=(const side_files&) = delete;
  ~side_files();

  void stage(const std::string& path, const std::string& text, const std::string& option);
  // Creates `directory` (and its parents) if missing, remembering it for removal on failure.
  void create_directory(const std::string& directory, const std::string& option);
  void commit();

 private:
  std::vector<staged_file> files_;
  std::vector<std::string> created_;
  bool committed_ = false;
};

}  // namespace resample::cli
