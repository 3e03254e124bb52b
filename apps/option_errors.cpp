#include "option_errors.hpp"

#include <string_view>

namespace resample::cli {

std::string engine_reason(const std::exception& e) {
  const std::string_view what = e.what();
  constexpr std::string_view prefix = "resample::";
  if (what.substr(0, prefix.size()) == prefix) {
    const auto colon = what.find(": ");
    if (colon != std::string_view::npos) return std::string(what.substr(colon + 2));
  }
  return std::string(what);
}

std::string input_name(const input_options& input) {
  if (!input.values.empty() || input.data.empty()) return "--values";
  return "--data " + input.data;
}

}  // namespace resample::cli
