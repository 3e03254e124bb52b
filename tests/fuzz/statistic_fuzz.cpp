// libFuzzer target: parse_statistic and the statistic kernels. The input's first line is a
// statistic spec; the bytes after it are read as doubles forming a sample.
// Invariants: a parsed statistic prints back to itself; on a finite sample every location
// statistic lies within [min, max] (up to rounding), sd is finite and >= 0, prop_ge and superiority
// are in [0, 1], rank_biserial in [-1, 1].

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "resample/error.hpp"
#include "resample/statistics.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const std::string_view spec = input.substr(0, newline);

  resample::statistic s;
  try {
    s = resample::parse_statistic(spec);
  } catch (const resample::invalid_argument&) {
    return 0;
  }
  if (resample::parse_statistic(resample::to_string(s)) != s) __builtin_trap();

  std::vector<double> sample;
  if (newline != std::string_view::npos) {
    const std::string_view rest = input.substr(newline + 1);
    for (std::size_t i = 0; i + sizeof(double) <= rest.size() && sample.size() < 64; i += sizeof(double)) {
      double x;
      std::memcpy(&x, rest.data() + i, sizeof x);
      if (std::isfinite(x)) sample.push_back(x);
    }
  }
  if (sample.size() < resample::minimum_sample_size(s)) {
    try {
      (void)resample::evaluate(s, sample);
      __builtin_trap();  // too small a sample must be refused
    } catch (const resample::invalid_argument&) {
    }
    return 0;
  }
  const double value = resample::evaluate(s, sample);
  const auto [lo, hi] = std::minmax_element(sample.begin(), sample.end());
  // Averages of equal values may round one unit in the last place away from them.
  const double slack = 4 * std::numeric_limits<double>::epsilon() * std::max(std::fabs(*lo), std::fabs(*hi));
  switch (s.kind) {
    case resample::statistic_kind::sd:
      if (!(value >= 0) || std::isnan(value)) __builtin_trap();
      // The true sd of finite values can exceed the largest double only with a range beyond it.
      if (!std::isfinite(value) && std::isfinite(*hi - *lo)) __builtin_trap();
      break;
    case resample::statistic_kind::prop_ge:
    case resample::statistic_kind::superiority:  // a share
      if (!(value >= 0 && value <= 1)) __builtin_trap();
      break;
    case resample::statistic_kind::rank_biserial:  // a correlation
      if (!(value >= -1 && value <= 1)) __builtin_trap();
      break;
    default:
      if (!(value >= *lo - slack && value <= *hi + slack)) __builtin_trap();
  }
  return 0;
}
