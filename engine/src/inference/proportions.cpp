// Binomial proportion intervals.

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <string>

#include "resample/check.hpp"
#include "resample/error.hpp"
#include "resample/inference/estimates.hpp"

namespace resample::inference {

proportion_estimate proportion_intervals(std::size_t successes, std::size_t trials, double level) {
  constexpr const char* function = "resample::proportion_intervals";
  if (trials == 0) throw_invalid_argument(function, "trials = 0, expected at least 1");
  if (successes > trials)
    throw_invalid_argument(function, "successes = " + std::to_string(successes) +
                                         ", expected at most trials = " + std::to_string(trials));
  check_level(function, "level", level);
  proportion_estimate r;
  r.successes = successes;
  r.trials = trials;
  r.level = level;
  const double n = static_cast<double>(trials), k = static_cast<double>(successes);
  r.estimate = k / n;
  const double alpha = 1.0 - level;
  using binomial = boost::math::binomial_distribution<double>;
  // Clopper-Pearson: each bound is the p at which the observed count sits in an alpha/2 tail.
  r.intervals.push_back({"clopper_pearson", binomial::find_lower_bound_on_p(n, k, alpha / 2),
                         binomial::find_upper_bound_on_p(n, k, alpha / 2)});
  const double z = boost::math::quantile(boost::math::normal_distribution<double>(), 1 - alpha / 2);
  const double p = r.estimate, z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  r.intervals.push_back({"wilson", std::max(0.0, centre - half), std::min(1.0, centre + half)});
  // Jeffreys: equal-tailed interval of the Beta(k + 1/2, n - k + 1/2) posterior, with the bound
  // at 0 (or 1) when none (or all) succeed.
  const boost::math::beta_distribution<double> posterior(k + 0.5, n - k + 0.5);
  r.intervals.push_back({"jeffreys", successes == 0 ? 0.0 : boost::math::quantile(posterior, alpha / 2),
                         successes == trials ? 1.0 : boost::math::quantile(posterior, 1 - alpha / 2)});
  return r;
}

}  // namespace resample::inference
