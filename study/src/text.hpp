#pragma once
// Small text helpers the study's readers share (CSV cells, id columns, --where clauses).

#include <string_view>

namespace resample::study_text {

// The text without its leading and trailing spaces and tabs, the only blanks a cell may carry.
inline std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

}  // namespace resample::study_text
