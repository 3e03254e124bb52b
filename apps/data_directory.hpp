#pragma once
// Where the data files shipped with resample (data/ in the repository) are found at run time,
// without any path compiled in: the environment variable RESAMPLE_DATA_DIR when set, otherwise
// ../share/resample next to the running executable. An installed prefix has the files there
// (P/bin/resample, P/share/resample), and so has the build tree (build/bin/resample,
// build/share/resample, copied from data/ by CMake), so a moved prefix keeps working.

#include <filesystem>

namespace resample::cli {

// The directory; it need not exist (reading a file from it then fails with the file's name).
std::filesystem::path data_directory();

// The study `resample report` describes when no input is given: the shipped example study (its
// data file, endpoints and claims file; data/README.md).
std::filesystem::path default_study_path();

}  // namespace resample::cli
