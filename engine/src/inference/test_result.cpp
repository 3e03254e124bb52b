#include "resample/inference/test_result.hpp"

#include <algorithm>

#include "resample/error.hpp"
#include "resample/vocabulary.hpp"

namespace resample::inference {

alternative parse_alternative(std::string_view text) {
  if (text == "two-sided" || text == "two_sided" || text == "two.sided") return alternative::two_sided;
  if (text == "greater") return alternative::greater;
  if (text == "less") return alternative::less;
  constexpr std::array<std::string_view, 3> names{"two-sided", "greater", "less"};
  throw_invalid_argument("resample::parse_alternative", "alternative",
                         "alternative = '" + std::string(text) + "', expected two-sided, greater or less" +
                             did_you_mean(text, names));
}

std::string to_string(alternative a) {
  switch (a) {
    case alternative::two_sided:
      return "two-sided";
    case alternative::greater:
      return "greater";
    case alternative::less:
      return "less";
  }
  return "unknown";
}

zero_method parse_zero_method(std::string_view text) {
  if (text == "pratt") return zero_method::pratt;
  if (text == "wilcox") return zero_method::wilcox;
  constexpr std::array<std::string_view, 2> names{"pratt", "wilcox"};
  throw_invalid_argument(
      "resample::parse_zero_method", "zero_method",
      "zero method = '" + std::string(text) + "', expected pratt or wilcox" + did_you_mean(text, names));
}

std::string to_string(zero_method z) { return z == zero_method::pratt ? "pratt" : "wilcox"; }

double tail_probability::p() const { return std::clamp(static_cast<double>(more + equal), 0.0, 1.0); }

double tail_probability::mid_p() const { return std::clamp(static_cast<double>(more + equal / 2), 0.0, 1.0); }

}  // namespace resample::inference
