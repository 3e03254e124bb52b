// Paired t test and interval (Boost.Math Student's t).

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "resample/check.hpp"
#include "resample/equality.hpp"
#include "resample/error.hpp"
#include "resample/inference/estimates.hpp"
#include "resample/vocabulary.hpp"

namespace resample::inference {

namespace {

struct moments {
  double mean = 0.0, sd = 0.0;
};

// On the values divided by a power of two near the largest |x| (exact): squares of 1e200 would
// overflow and squares of 1e-200 vanish, and t and its interval do not depend on the unit.
moments sample_moments(std::span<const double> d) {
  const double largest = largest_magnitude(d);
  const double scale = largest > 0.0 ? std::ldexp(1.0, std::ilogb(largest)) : 1.0;
  moments m;
  for (double x : d) m.mean += x / scale;
  m.mean /= static_cast<double>(d.size());
  double squares = 0.0;
  for (double x : d) squares += (x / scale - m.mean) * (x / scale - m.mean);
  m.sd = d.size() > 1 ? std::sqrt(squares / static_cast<double>(d.size() - 1)) * scale : 0.0;
  m.mean *= scale;
  return m;
}

}  // namespace

test_result t_test(std::span<const double> differences, alternative alt) {
  constexpr const char* function = "resample::t_test";
  if (differences.empty()) throw_invalid_argument(function, "n = 0 differences, expected at least 1");
  for (double d : differences)
    if (!std::isfinite(d)) throw_invalid_argument(function, "a difference is not finite");
  test_result r;
  r.test = to_string(test_kind::t);
  r.statistic = "t";
  r.alt = alt;
  r.exact = false;
  r.method = "students_t";
  r.n = differences.size();
  for (double d : differences) r.n_nonzero += d != 0.0;
  r.two_sided_convention = "2 * P(T_{n-1} >= |t|)";
  r.smallest_attainable_p = 0.0;
  r.notes.push_back("parametric: the p-value is exact for normally distributed differences");
  const auto m = sample_moments(differences);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (differences.size() < 2 || m.sd == 0.0) {
    r.observed = nan;
    r.p_value = nan;
    r.notes.push_back(differences.size() < 2
                          ? "n = 1: the t statistic is undefined"
                          : "all differences are equal (sd = 0): the t statistic is undefined");
    return r;
  }
  const double df = static_cast<double>(differences.size() - 1);
  r.degrees_of_freedom = df;
  r.observed = m.mean / (m.sd / std::sqrt(static_cast<double>(differences.size())));
  const boost::math::students_t_distribution<double> t(df);
  switch (alt) {
    case alternative::greater:
      r.p_value = boost::math::cdf(boost::math::complement(t, r.observed));
      break;
    case alternative::less:
      r.p_value = boost::math::cdf(t, r.observed);
      break;
    case alternative::two_sided:
      r.p_value = std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(t, std::fabs(r.observed))));
      break;
  }
  return r;
}

interval_estimate t_interval(std::span<const double> differences, double level) {
  constexpr const char* function = "resample::t_interval";
  check_level(function, "level", level);
  if (differences.empty()) throw_invalid_argument(function, "n = 0 differences, expected at least 1");
  interval_estimate r;
  r.name = "mean";
  r.inverts = std::string(to_string(test_kind::t));
  r.level = level;
  r.exact = false;
  r.method = "students_t";
  const auto m = sample_moments(differences);
  r.estimate = m.mean;
  if (differences.size() < 2) {
    r.notes.push_back("n = 1: no t interval");
    return r;
  }
  const double n = static_cast<double>(differences.size());
  const boost::math::students_t_distribution<double> t(n - 1);
  const double half = boost::math::quantile(t, 0.5 + level / 2) * m.sd / std::sqrt(n);
  r.lower = m.mean - half;
  r.upper = m.mean + half;
  if (m.sd == 0.0) r.notes.push_back("sd = 0: the interval has zero width");
  return r;
}

}  // namespace resample::inference
