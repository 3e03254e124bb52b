#include "resample/check.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "resample/error.hpp"

namespace resample {

namespace {

// Six significant digits, as the engine's other messages show values.
std::string shown(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", x);
  return text;
}

}  // namespace

void check_level(const char* function, const char* parameter, double value) {
  if (value > 0.0 && value < 1.0) return;
  throw_invalid_argument(
      function, parameter,
      std::string(parameter) + " = " + shown(value) + ", expected 0 < " + parameter + " < 1");
}

void check_positive_finite(const char* function, const char* parameter, double value) {
  if (value > 0.0 && std::isfinite(value)) return;
  throw_invalid_argument(
      function, parameter,
      std::string(parameter) + " = " + shown(value) + ", expected a positive finite number");
}

void check_count(const char* function, const char* parameter, std::uint64_t value, std::uint64_t minimum) {
  if (value >= minimum) return;
  throw_invalid_argument(function, parameter,
                         std::string(parameter) + " = " + std::to_string(value) + ", expected " + parameter +
                             " >= " + std::to_string(minimum));
}

void check_sample(const char* function, std::span<const double> sample, std::size_t min_n) {
  if (sample.size() < min_n)
    throw_invalid_argument(
        function, "n", "n = " + std::to_string(sample.size()) + ", expected n >= " + std::to_string(min_n));
  for (double x : sample)
    if (!std::isfinite(x)) throw_invalid_argument(function, "sample", "the sample holds a non-finite value");
}

}  // namespace resample
