// The calibrated (double-bootstrap) percentile interval against a brute-force double bootstrap
// over ordered outer resamples, and its dispatch from bootstrap().

#include "resample/bootstrap/calibrated.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "resample/error.hpp"
#include "support/paper_table.hpp"

namespace resample::bootstrap {
namespace {

const statistic mean_stat{statistic_kind::mean, 0.0};

// Bootstrap coverage of the percentile interval with tail a, over all n^n ordered outer resamples
// (each with its exact inner bootstrap): independent of the composition weights in calibrated.cpp.
struct brute_force {
  std::vector<double> at_most, at_least;
  // C(a) and C(a-) over equally likely outer resamples; the tolerance absorbs the rounding between
  // this computation and the engine's.
  double coverage(double a) const {
    double c = 0.0;
    for (std::size_t i = 0; i < at_most.size(); ++i)
      if (at_most[i] >= a - 1e-12 && at_least[i] > a + 1e-12) c += 1.0;
    return c / static_cast<double>(at_most.size());
  }
  double coverage_below(double a) const {
    double c = 0.0;
    for (std::size_t i = 0; i < at_most.size(); ++i)
      if (at_most[i] >= a - 1e-12 && at_least[i] >= a - 1e-12) c += 1.0;
    return c / static_cast<double>(at_most.size());
  }
};

brute_force double_bootstrap(const std::vector<double>& x) {
  const std::size_t n = x.size();
  const double t_hat = evaluate(mean_stat, x);
  std::size_t total = 1;
  for (std::size_t i = 0; i < n; ++i) total *= n;
  brute_force b;
  std::vector<double> resample(n);
  for (std::size_t code = 0; code < total; ++code) {
    std::size_t c = code;
    for (auto& v : resample) {
      v = x[c % n];
      c /= n;
    }
    const auto inner = exact_bootstrap_distribution(resample, mean_stat);
    b.at_most.push_back(cdf(inner, t_hat));
    b.at_least.push_back(probability_at_least(inner, t_hat));
  }
  return b;
}

TEST(Calibrated, ExactDoubleBootstrapOfPainMatchesBruteForce) {
  const std::vector<double>& pain = resample::test::paper::pain;
  const auto r = calibrated_percentile_interval(pain, mean_stat, 0.95);
  EXPECT_TRUE(r.exact);
  EXPECT_EQ(r.outer, 462.0);
  const auto b = double_bootstrap(pain);
  const double a = (1.0 - r.nominal_level) / 2.0;
  EXPECT_NEAR(r.bootstrap_coverage, r.attained ? b.coverage(a) : b.coverage_below(a), 1e-9);
  EXPECT_NEAR(r.uncalibrated_coverage, b.coverage(0.025), 1e-9);
  EXPECT_GE(r.bootstrap_coverage, 0.95 - 1e-12);
  // a is the largest tail that still reaches the target (inner probabilities are multiples of
  // 6^-6, so no breakpoint lies within 1e-9 above a).
  if (a < 0.5) {
    EXPECT_LT(b.coverage_below(a + 1e-9), 0.95);
  }
  ASSERT_TRUE(r.ci.lower && r.ci.upper);
  const auto outer = exact_bootstrap_distribution(pain, mean_stat);
  EXPECT_EQ(*r.ci.lower, quantile(outer, a));
  // Attained: Q(1 - a); otherwise the limit Q((1 - a)+), the first atom with F above 1 - a.
  double upper = outer.atoms().back().value, cumulative = 0.0;
  for (const auto& x : outer.atoms()) {
    cumulative += x.weight;
    if (r.attained ? cumulative >= 1.0 - a - 1e-12 : cumulative > 1.0 - a + 1e-12) {
      upper = x.value;
      break;
    }
  }
  EXPECT_EQ(*r.ci.upper, upper);
  EXPECT_LE(*r.ci.lower, 6.5);
  EXPECT_GE(*r.ci.upper, 6.5);
  EXPECT_EQ(r.ci.method, interval_method::calibrated);
}

TEST(Calibrated, MonteCarloIsIdenticalForOneAndTwoThreadsAndCloseToExact) {
  const std::vector<double> mobility{1, 1, 1, 0, 0, 3};
  calibrated_options o;
  o.requested = method::monte_carlo;
  o.outer_resamples = 400;
  o.inner_resamples = 400;
  o.exec.threads = 1;
  const auto one = calibrated_percentile_interval(mobility, mean_stat, 0.9, o);
  o.exec.threads = 2;
  const auto two = calibrated_percentile_interval(mobility, mean_stat, 0.9, o);
  EXPECT_FALSE(one.exact);
  EXPECT_EQ(one.nominal_level, two.nominal_level);
  EXPECT_EQ(one.ci.lower, two.ci.lower);
  EXPECT_EQ(one.ci.upper, two.ci.upper);
  EXPECT_GE(one.bootstrap_coverage, 0.9);
}

TEST(Calibrated, BootstrapDispatchesTheCalibratedMethodInRequestOrder) {
  const std::vector<double>& pain = resample::test::paper::pain;
  bootstrap_options o;
  o.intervals = {interval_method::calibrated, interval_method::percentile};
  const auto r = bootstrap(pain, o);
  ASSERT_EQ(r.intervals.size(), 2u);
  EXPECT_EQ(r.intervals[0].method, interval_method::calibrated);
  EXPECT_EQ(r.intervals[1].method, interval_method::percentile);
  const auto direct = calibrated_percentile_interval(pain, mean_stat, 0.95);
  EXPECT_EQ(r.intervals[0].lower, direct.ci.lower);
  EXPECT_EQ(r.intervals[0].upper, direct.ci.upper);
  EXPECT_FALSE(r.intervals[0].note.empty());
  EXPECT_EQ(parse_interval_method("calibrated"), interval_method::calibrated);
  for (auto m : all_interval_methods()) EXPECT_NE(m, interval_method::calibrated);
}

TEST(Calibrated, RefusesExactWhenTooLargeAndBadArguments) {
  std::vector<double> big(30);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<double>(i);
  calibrated_options o;
  o.requested = method::exact;
  EXPECT_THROW(calibrated_percentile_interval(big, mean_stat, 0.95, o), infeasible_error);
  EXPECT_THROW(calibrated_percentile_interval(std::vector<double>{1.0}, mean_stat, 0.95), invalid_argument);
  EXPECT_THROW(calibrated_percentile_interval(std::vector<double>{1.0, 2.0}, mean_stat, 1.0),
               invalid_argument);
}

}  // namespace
}  // namespace resample::bootstrap
