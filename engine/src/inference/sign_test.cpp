// Exact binomial sign test (Boost.Math binomial distribution).

#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <string>

#include "exact_p_values.hpp"
#include "resample/error.hpp"
#include "resample/inference/rank_tests.hpp"
#include "resample/vocabulary.hpp"

namespace resample::inference {

test_result sign_test(std::span<const double> differences, alternative alt, bool mid_p) {
  constexpr const char* function = "resample::sign_test";
  if (differences.empty()) throw_invalid_argument(function, "n = 0 differences, expected at least 1");
  std::size_t positive = 0, negative = 0;
  for (double d : differences) {
    if (!std::isfinite(d)) throw_invalid_argument(function, "a difference is not finite");
    positive += d > 0;
    negative += d < 0;
  }
  const std::size_t m = positive + negative;
  if (m == 0)
    throw_invalid_argument(function, "all " + std::to_string(differences.size()) +
                                         " differences are zero, expected at least one non-zero difference");
  const boost::math::binomial_distribution<double> null(static_cast<double>(m), 0.5);
  const auto k = static_cast<double>(positive);
  const double at = boost::math::pdf(null, k);
  const double above = positive == m ? 0.0 : boost::math::cdf(boost::math::complement(null, k));  // P(X > k)
  const double below = positive == 0 ? 0.0 : boost::math::cdf(null, k - 1);                       // P(X < k)
  const tail_probability upper{above, at}, lower{below, at};

  test_result r;
  r.test = to_string(test_kind::sign);
  r.statistic = "positives";
  r.observed = k;
  r.alt = alt;
  r.exact = true;
  r.method = "binomial";
  r.n = differences.size();
  r.n_nonzero = m;
  r.two_sided_convention = "min(1, 2*min(P(X >= k), P(X <= k))), X ~ Binomial(m, 1/2)";
  r.smallest_attainable_p = detail::smallest_sign_pattern_p(m, alt);
  detail::set_p_values(r, alt, upper, lower, mid_p);
  const std::size_t zeros = differences.size() - m;
  r.notes.push_back(std::to_string(positive) + " positive, " + std::to_string(negative) + " negative, " +
                    std::to_string(zeros) + " zero difference(s) dropped");
  return r;
}

}  // namespace resample::inference
