#pragma once
// Batch results files (JSON lines) in a form two runs can be compared in.

#include <algorithm>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace resample::test {

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

// The lines with their "timings" removed, sorted: lines are written in completion order and
// "timings" is the only part of a line that is not a function of the job.
inline std::vector<std::string> comparable(const std::string& text) {
  static const std::regex timings(R"(,"timings":\{[^}]*\})");
  std::vector<std::string> lines;
  for (const auto& line : lines_of(text)) lines.push_back(std::regex_replace(line, timings, ""));
  std::sort(lines.begin(), lines.end());
  return lines;
}

}  // namespace resample::test
