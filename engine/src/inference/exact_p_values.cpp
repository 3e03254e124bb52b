#include "exact_p_values.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace resample::inference::detail {

double smallest_sign_pattern_p(std::size_t m, alternative alt) {
  return std::min(1.0, std::ldexp(alt == alternative::two_sided ? 2.0 : 1.0, -static_cast<int>(m)));
}

void set_p_values(test_result& r, const tail_probability& tail, bool mid_p) {
  r.p_value = tail.p();
  if (mid_p) r.mid_p = tail.mid_p();
  const long double p = tail.more + tail.equal;
  if (p > 0.0L && p < static_cast<long double>(std::numeric_limits<double>::min()))
    r.log10_p_value = static_cast<double>(std::log10(p));
}

void set_p_values(test_result& r, alternative alt, const tail_probability& upper,
                  const tail_probability& lower, bool mid_p) {
  switch (alt) {
    case alternative::greater:
      r.p_value = upper.p();
      if (mid_p) r.mid_p = upper.mid_p();
      break;
    case alternative::less:
      r.p_value = lower.p();
      if (mid_p) r.mid_p = lower.mid_p();
      break;
    case alternative::two_sided:
      r.p_value = std::min(1.0, 2.0 * std::min(upper.p(), lower.p()));
      if (mid_p) r.mid_p = std::min(1.0, 2.0 * std::min(upper.mid_p(), lower.mid_p()));
      break;
  }
}

}  // namespace resample::inference::detail
