// Power by simulation against power computed exactly (binomial sums, brute-force enumeration of
// every sample and sign pattern, the non-central t), and reproducibility across thread counts.

#include "resample/simulation/power.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <vector>

#include "inference/noncentral_t.hpp"
#include "resample/error.hpp"
#include "support/paper_table.hpp"
#include "support/proportion_check.hpp"

namespace resample::simulation {
namespace {

using resample::test::expect_proportion_near;

// Exact size of the two-sided sign test with m non-zero differences: the sum of the Binomial(m,
// 1/2) probabilities of the counts whose p-value min(1, 2 min(P(X >= k), P(X <= k))) is <= alpha.
double sign_test_size(unsigned m, double alpha) {
  if (m == 0) return 0.0;
  const boost::math::binomial_distribution<double> b(m, 0.5);
  double size = 0.0;
  for (unsigned k = 0; k <= m; ++k) {
    const double upper = k == 0 ? 1.0 : boost::math::cdf(boost::math::complement(b, k - 1.0));
    const double lower = boost::math::cdf(b, static_cast<double>(k));
    if (std::min(1.0, 2.0 * std::min(upper, lower)) <= alpha)
      size += boost::math::pdf(b, static_cast<double>(k));
  }
  return size;
}

TEST(Power, SignTestUnderSymmetricNullMatchesItsExactSize) {
  // No zeros: every trial has m = 10 and the size is P(X <= 1) + P(X >= 9) = 22/1024.
  const auto model = effect_model::discrete({-2, -1, 1, 2}, {0.25, 0.25, 0.25, 0.25});
  power_options o;
  o.test = test_kind::sign;
  o.trials = 20000;
  const auto p = simulate_power(model, 10, o);
  const double size = sign_test_size(10, 0.05);
  ASSERT_NEAR(size, 22.0 / 1024.0, 1e-12);
  expect_proportion_near(p.power, size, static_cast<double>(o.trials));
  EXPECT_EQ(p.inexact_trials, 0u);
}

// A batch job's stop flag: set, the run ends with cancelled_error before its first chunk of
// trials; clear, it changes nothing.
TEST(Power, StopFlagEndsTheRunAndOtherwiseChangesNothing) {
  const auto model = effect_model::discrete({-2, -1, 1, 2}, {0.25, 0.25, 0.25, 0.25});
  power_options o;
  o.trials = 3000;
  const auto plain = simulate_power(model, 10, o);
  std::atomic<bool> stop{false};
  o.exec.cancel = &stop;
  EXPECT_EQ(simulate_power(model, 10, o).rejections, plain.rejections);
  stop = true;
  EXPECT_THROW(simulate_power(model, 10, o), cancelled_error);
}

TEST(Power, SignTestWithZerosMatchesTheMixtureOverNonZeroCounts) {
  // Zeros are dropped, so the size is sum_m P(M = m) size(m), M ~ Binomial(10, 0.6).
  const auto model = effect_model::discrete({-1, 0, 1}, {0.3, 0.4, 0.3});
  power_options o;
  o.test = test_kind::sign;
  o.trials = 20000;
  const auto p = simulate_power(model, 10, o);
  const boost::math::binomial_distribution<double> nonzero(10, 0.6);
  double size = 0.0;
  for (unsigned m = 0; m <= 10; ++m)
    size += boost::math::pdf(nonzero, static_cast<double>(m)) * sign_test_size(m, 0.05);
  expect_proportion_near(p.power, size, static_cast<double>(o.trials));
  // P(all ten zero) = 0.4^10: those trials have no test and must be counted, not dropped.
  EXPECT_EQ(p.trials, o.trials);
}

// Exact power of the two-sided sign-flip test of the mean: every ordered sample of n values from
// a discrete law, each tested by brute force over all 2^n sign patterns.
double brute_force_sign_flip_power(const std::vector<double>& values, const std::vector<double>& probs,
                                   unsigned n, double alpha) {
  const std::size_t k = values.size();
  std::size_t samples = 1;
  for (unsigned i = 0; i < n; ++i) samples *= k;
  double power = 0.0;
  std::vector<double> x(n);
  for (std::size_t code = 0; code < samples; ++code) {
    double probability = 1.0, sum = 0.0;
    std::size_t c = code;
    for (unsigned i = 0; i < n; ++i, c /= k) {
      x[i] = values[c % k];
      probability *= probs[c % k];
      sum += x[i];
    }
    std::size_t extreme = 0;
    for (std::size_t pattern = 0; pattern < (std::size_t{1} << n); ++pattern) {
      double s = 0.0;
      for (unsigned i = 0; i < n; ++i) s += (pattern >> i & 1) ? -x[i] : x[i];
      extreme += std::fabs(s) >= std::fabs(sum) - 1e-9;
    }
    if (static_cast<double>(extreme) / static_cast<double>(std::size_t{1} << n) <= alpha)
      power += probability;
  }
  return power;
}

TEST(Power, SignFlipMatchesBruteForceUnderNullAndAlternative) {
  power_options o;
  o.test = test_kind::sign_flip;
  o.trials = 8000;
  for (const auto& [values, probs] : std::vector<std::pair<std::vector<double>, std::vector<double>>>{
           {{-3, -1, 1, 3}, {0.25, 0.25, 0.25, 0.25}}, {{-1, 0, 1, 3}, {0.1, 0.3, 0.4, 0.2}}}) {
    const double exact = brute_force_sign_flip_power(values, probs, 8, 0.05);
    const auto p = simulate_power(effect_model::discrete(values, probs), 8, o);
    expect_proportion_near(p.power, exact, static_cast<double>(o.trials));
    EXPECT_EQ(p.inexact_trials, 0u);
  }
}

TEST(Power, TTestUnderNormalDataMatchesTheNonCentralT) {
  const std::size_t n = 10;
  const double effect = 0.8;
  power_options o;
  o.test = test_kind::t;
  o.trials = 6000;
  const auto p = simulate_power(effect_model::normal(effect, 1.0), n, o);
  const double df = n - 1.0;
  const double critical = boost::math::quantile(boost::math::complement(boost::math::students_t(df), 0.025));
  // The one noncentral t cdf of the project (a template instantiated here too could be the copy the
  // linker keeps, with the sanitizer build's floating-division check: noncentral_t.hpp).
  const double noncentrality = effect * std::sqrt(static_cast<double>(n));
  using inference::detail::noncentral_t_cdf;
  const double exact =
      1.0 - noncentral_t_cdf(df, noncentrality, critical) + noncentral_t_cdf(df, noncentrality, -critical);
  expect_proportion_near(p.power, exact, static_cast<double>(o.trials));
}

TEST(Power, WilcoxonUnderContinuousSymmetricNullMatchesItsExactSize) {
  // Continuous symmetric data have no ties or zeros: V is the sum of a uniformly random subset of
  // the ranks 1..8. Count the subsets by sum, then add up the V whose two-sided p is <= alpha.
  const int n = 8, total = n * (n + 1) / 2;
  std::vector<double> ways(total + 1, 0.0);
  ways[0] = 1;
  for (int r = 1; r <= n; ++r)
    for (int s = total; s >= r; --s) ways[s] += ways[s - r];
  double size = 0.0;
  for (int v = 0; v <= total; ++v) {
    double extreme = 0.0;
    for (int w = 0; w <= total; ++w)
      if (std::abs(2 * w - total) >= std::abs(2 * v - total)) extreme += ways[w];
    if (extreme / 256.0 <= 0.05) size += ways[v] / 256.0;
  }
  power_options o;
  o.test = test_kind::wilcoxon;
  o.trials = 20000;
  const auto p = simulate_power(effect_model::normal(0.0, 1.0), 8, o);
  expect_proportion_near(p.power, size, static_cast<double>(o.trials));
}

TEST(Power, CurveIsIdenticalForOneAndTwoThreadsAndPointsDoNotDependOnTheGrid) {
  const std::vector<double>& pain = resample::test::paper::pain;
  const auto model = effect_model::shift(pain, 1.0);
  power_options o;
  o.test = test_kind::wilcoxon;
  o.trials = 700;  // not a multiple of the chunk size
  const std::vector<std::size_t> grid{6, 9, 12};
  o.exec.threads = 1;
  const auto one = power_curve(model, grid, o);
  o.exec.threads = 2;
  const auto two = power_curve(model, grid, o);
  ASSERT_EQ(one.size(), 3u);
  for (std::size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].rejections, two[i].rejections);
    EXPECT_EQ(one[i].power, two[i].power);
  }
  EXPECT_EQ(simulate_power(model, 9, o).rejections, one[1].rejections);
}

TEST(Power, RequiredSampleSizeAndItsUncertainty) {
  std::vector<power_point> points;
  const double powers[] = {0.5, 0.7, 0.79, 0.81, 0.9, 0.97};
  for (std::size_t i = 0; i < 6; ++i) {
    power_point p;
    p.n = 10 + 2 * i;
    p.power = powers[i];
    p.mc_se = 0.01;
    points.push_back(p);
  }
  const auto r = find_required_sample_size(points, 0.8);
  EXPECT_EQ(r.n, 16u);
  EXPECT_EQ(r.n_low, 14u);   // 0.79 + 0.02 >= 0.8
  EXPECT_EQ(r.n_high, 18u);  // 0.9 - 0.02 >= 0.8
  const auto none = find_required_sample_size(points, 0.99);
  EXPECT_FALSE(none.n);
  EXPECT_EQ(none.n_low, 20u);
  EXPECT_THROW(find_required_sample_size(points, 1.0), invalid_argument);
}

TEST(Power, RejectsBadOptions) {
  const auto model = effect_model::discrete({1}, {1.0});
  power_options o;
  o.trials = 0;
  EXPECT_THROW(simulate_power(model, 6, o), invalid_argument);
  o.trials = 10;
  o.alpha = 1.0;
  EXPECT_THROW(simulate_power(model, 6, o), invalid_argument);
  o.alpha = 0.05;
  EXPECT_THROW(simulate_power(model, 1, o), invalid_argument);
  EXPECT_THROW(resample::parse_test_kind("anova"), invalid_argument);
  EXPECT_THROW(effect_model::parse_discrete("1:0.5,2"), invalid_argument);
  EXPECT_THROW(effect_model::parse_discrete("1:0.5,2:0.4"), invalid_argument);
}

TEST(Power, ConstantNonZeroDataAlwaysRejectWhenTheSmallestPIsBelowAlpha) {
  // n = 6 positive values: every test's two-sided p is 2/64 = 0.03125 <= 0.05 (t: zero SD, undefined).
  const auto model = effect_model::discrete({3}, {1.0});
  power_options o;
  o.trials = 50;
  for (auto t : {test_kind::sign_flip, test_kind::sign, test_kind::wilcoxon}) {
    o.test = t;
    EXPECT_EQ(simulate_power(model, 6, o).power, 1.0) << to_string(t);
    EXPECT_EQ(simulate_power(model, 5, o).power, 0.0) << to_string(t);  // 2/32 > 0.05
  }
  o.test = test_kind::t;
  const auto t = simulate_power(model, 6, o);
  EXPECT_EQ(t.undefined_trials, 50u);
  EXPECT_EQ(t.power, 0.0);
}

}  // namespace
}  // namespace resample::simulation
