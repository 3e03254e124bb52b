#include "resample/inference/test_result.hpp"

#include <algorithm>

#include "resample/error.hpp"

namespace resample::inference {

alternative parse_alternative(std::string_view text) {
  if (text == "two-sided" || text == "two_sided" || text == "two.sided") return alternative::two_sided;
  if (text == "greater") return alternative::greater;
  if (text == "less") return alternative::less;
  throw_invalid_argument("resample::parse_alternative",
                         "alternative = '" + std::string(text) + "', expected two-sided, greater or less");
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

method_choice parse_method(std::string_view text) {
  if (text == "auto") return method_choice::automatic;
  if (text == "exact") return method_choice::exact;
  if (text == "mc" || text == "monte-carlo" || text == "monte_carlo") return method_choice::monte_carlo;
  if (text == "approx" || text == "approximate" || text == "normal") return method_choice::approximate;
  throw_invalid_argument("resample::parse_method",
                         "method = '" + std::string(text) + "', expected exact, mc, approx or auto");
}

zero_method parse_zero_method(std::string_view text) {
  if (text == "pratt") return zero_method::pratt;
  if (text == "wilcox") return zero_method::wilcox;
  throw_invalid_argument("resample::parse_zero_method",
                         "zero method = '" + std::string(text) + "', expected pratt or wilcox");
}

std::string to_string(zero_method z) { return z == zero_method::pratt ? "pratt" : "wilcox"; }

double tail_probability::p() const { return std::clamp(static_cast<double>(more + equal), 0.0, 1.0); }

double tail_probability::mid_p() const { return std::clamp(static_cast<double>(more + equal / 2), 0.0, 1.0); }

}  // namespace resample::inference
