// The standardized mean change with its noncentral-t interval, and the change counts.

#include "resample/inference/effect_sizes.hpp"

#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <exception>
#include <limits>
#include <string>

#include "noncentral_t.hpp"
#include "resample/check.hpp"
#include "resample/error.hpp"
#include "resample/parse_number.hpp"
#include "resample/statistics.hpp"

namespace resample::inference {

namespace {

constexpr double noncentral_t_limit = 1000.0;

// The noncentrality lambda with P(T <= t; df, lambda) = target. The cdf falls as lambda grows, so
// the root is bracketed by stepping out from t and found by TOMS 748 to full precision.
double noncentrality_for(double t, double df, double target) {
  auto f = [&](double lambda) { return detail::noncentral_t_cdf(df, lambda, t) - target; };
  double step = 1.0 + std::fabs(t);
  double lo = t - step, hi = t + step;
  for (int i = 0; i < 200 && f(lo) < 0.0; ++i) lo -= step, step *= 2.0;
  step = 1.0 + std::fabs(t);
  for (int i = 0; i < 200 && f(hi) > 0.0; ++i) hi += step, step *= 2.0;
  std::uintmax_t iterations = 200;
  const auto root =
      boost::math::tools::toms748_solve(f, lo, hi, boost::math::tools::eps_tolerance<double>(50), iterations);
  return std::midpoint(root.first, root.second);
}

}  // namespace

interval_estimate standardized_mean_change(std::span<const double> differences, double level) {
  constexpr const char* function = "resample::standardized_mean_change";
  check_level(function, "level", level);
  const std::size_t n = differences.size();
  if (n == 0) throw_invalid_argument(function, "n = 0 differences, expected at least 1");
  interval_estimate r;
  r.name = "d_z";
  r.level = level;
  r.exact = false;
  r.method = "noncentral_t";
  r.notes.push_back("normal theory: the interval inverts the noncentral t distribution of sqrt(n) d_z");
  if (n < 2) {
    r.estimate = std::numeric_limits<double>::quiet_NaN();
    r.notes.push_back("n = 1: no standard deviation, no d_z");
    return r;
  }
  const double m = evaluate(statistic{statistic_kind::mean, 0.0}, differences);
  const double s = evaluate(statistic{statistic_kind::sd, 0.0}, differences);
  if (!(s > 0.0)) {
    r.estimate = std::numeric_limits<double>::quiet_NaN();
    r.notes.push_back("sd = 0: d_z is undefined");
    return r;
  }
  r.estimate = m / s;
  const double root_n = std::sqrt(static_cast<double>(n));
  const double t = r.estimate * root_n, df = static_cast<double>(n - 1);
  const double alpha = 1.0 - level;
  // Beyond |t| = 1000 the noncentral t cdf leaves the range Boost.Math evaluates reliably (it
  // throws on huge noncentralities): the estimate stands, the interval is refused with the reason.
  if (std::fabs(t) > noncentral_t_limit) {
    r.notes.push_back("t = " + format_number(t) +
                      ": beyond |t| = 1000 the noncentral t interval is not computed");
    return r;
  }
  try {
    r.lower = noncentrality_for(t, df, 1.0 - alpha / 2.0) / root_n;
    r.upper = noncentrality_for(t, df, alpha / 2.0) / root_n;
  } catch (const std::exception&) {
    r.lower.reset(), r.upper.reset();
    r.notes.push_back("the noncentral t interval could not be evaluated for t = " + format_number(t));
  }
  return r;
}

change_counts count_changes(std::span<const double> differences) {
  change_counts c;
  for (double d : differences) {
    if (!std::isfinite(d)) throw_invalid_argument("resample::count_changes", "a difference is not finite");
    if (d > 0.0)
      ++c.improved;
    else if (d < 0.0)
      ++c.worsened;
    else
      ++c.unchanged;
  }
  return c;
}

}  // namespace resample::inference
