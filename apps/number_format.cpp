#include "number_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace resample::cli {

int decimals_for(double resolution) {
  if (!(resolution > 0.0) || !std::isfinite(resolution)) return 4;
  // Orders 10^-1 and 10^0 keep the four decimals of the paper's scores; each order beyond moves
  // the last digit with it.
  const int order = static_cast<int>(std::floor(std::log10(resolution)));
  const int shift = order > 0 ? order : (order < -1 ? order + 1 : 0);
  return std::clamp(4 - shift, 0, 20);
}

std::string format_fixed(double value, int decimals) {
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text.find_first_not_of("-0.") == std::string::npos && text.front() == '-') text.erase(0, 1);
  return text;
}

}  // namespace resample::cli
