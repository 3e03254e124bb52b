#pragma once
// Reading the study layer's small JSON files (study, claims): errors name the file and the key,
// or the line and column where the JSON stops parsing. Internal to the study library.

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "resample/error.hpp"
#include "resample/vocabulary.hpp"

namespace resample::study_json {

// The parsed document; a parse error is a data_error "SOURCE:LINE:COLUMN: not valid JSON, expected
// WHAT".
inline nlohmann::json parse_json_object(std::string_view text, const std::string& source,
                                        const std::string& what) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // The byte offset as a line and column, as the CSV reader names its cells.
    const std::size_t at = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + at, '\n'));
    const auto line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
    const std::size_t column = line_start == std::string_view::npos || at == 0 ? at + 1 : at - line_start;
    throw data_error(source + ":" + std::to_string(line) + ":" + std::to_string(column) +
                     ": not valid JSON, expected " + what);
  }
}

struct json_reader {
  std::string source;

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw data_error(source + ": key '" + key + "': " + what);
  }
  std::string text(const nlohmann::json& j, const std::string& key) const {
    if (!j.is_string()) fail(key, "expected a string, got " + j.dump());
    return j.get<std::string>();
  }
  template <std::size_t N>
  void only(const nlohmann::json& object, const std::string& where,
            const std::array<std::string_view, N>& keys) const {
    if (!object.is_object()) fail(where, "expected an object, got " + object.dump());
    for (const auto& [key, value] : object.items()) {
      (void)value;
      if (std::find(keys.begin(), keys.end(), key) == keys.end())
        fail(where.empty() ? key : where + "." + key,
             "unknown key" + did_you_mean(key, std::span<const std::string_view>(keys.data(), keys.size())));
    }
  }
  // Runs an engine parser on a value; its invalid_argument becomes this file's error for the key.
  template <class F>
  auto parse(const std::string& key, F&& f) const {
    try {
      return f();
    } catch (const invalid_argument& e) {
      fail(key, e.reason());
    }
  }
};

}  // namespace resample::study_json
