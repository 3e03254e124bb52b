#include "data_directory.hpp"

#include <cstdlib>
#include <system_error>

namespace resample::cli {

std::filesystem::path data_directory() {
  if (const char* given = std::getenv("RESAMPLE_DATA_DIR"); given != nullptr && *given != '\0') return given;
  std::error_code error;
  // Linux names the running executable here, whatever directory it was started from or moved to.
  const auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return std::filesystem::path("share") / "resample";
  return (executable.parent_path() / ".." / "share" / "resample").lexically_normal();
}

// The shipped example study (data/example_study.json: the paper table of data/README.md).
std::filesystem::path default_study_path() { return data_directory() / "example_study.json"; }

}  // namespace resample::cli
