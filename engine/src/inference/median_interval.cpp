// Median with the distribution-free interval from order statistics: P(x_(k) <= median <=
// x_(n+1-k)) >= 1 - 2 P(Binomial(n, 1/2) <= k - 1) for any continuous distribution.

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <string>
#include <vector>

#include "resample/check.hpp"
#include "resample/error.hpp"
#include "resample/inference/estimates.hpp"
#include "resample/parse_number.hpp"
#include "resample/statistics.hpp"
#include "resample/vocabulary.hpp"

namespace resample::inference {

interval_estimate median_interval(std::span<const double> differences, double level) {
  constexpr const char* function = "resample::median_interval";
  check_level(function, "level", level);
  const std::size_t n = differences.size();
  if (n == 0) throw_invalid_argument(function, "n = 0 differences, expected at least 1");
  interval_estimate r;
  r.name = "median";
  r.inverts = std::string(to_string(test_kind::sign));
  r.level = level;
  r.method = "order_statistics_binomial";
  r.estimate = evaluate(statistic{statistic_kind::median, 0.0}, differences);
  const boost::math::binomial_distribution<double> null(static_cast<double>(n), 0.5);
  const double half_alpha = (1.0 - level) / 2;
  // k: largest k with P(X <= k - 1) <= alpha/2, by bisection (the cdf grows with k): a scan costs
  // n/2 incomplete beta functions, a second at n = 10^6.
  std::size_t k = 0, past = (n + 1) / 2;
  while (k < past) {
    const std::size_t mid = k + (past - k) / 2;
    if (boost::math::cdf(null, static_cast<double>(mid)) <= half_alpha * (1 + 1e-12))
      k = mid + 1;
    else
      past = mid;
  }
  if (k == 0) {
    r.notes.push_back("n = " + std::to_string(n) + " is too small for a " + format_number(level) +
                      " interval from order statistics");
    return r;
  }
  std::vector<double> sorted(differences.begin(), differences.end());
  std::sort(sorted.begin(), sorted.end());
  r.lower = sorted[k - 1];
  r.upper = sorted[n - k];
  r.achieved_level = 1.0 - 2.0 * boost::math::cdf(null, static_cast<double>(k - 1));
  return r;
}

}  // namespace resample::inference
