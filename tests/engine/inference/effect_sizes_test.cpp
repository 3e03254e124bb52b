#include "resample/inference/effect_sizes.hpp"

#include <gtest/gtest.h>

#include <boost/math/distributions/non_central_t.hpp>
#include <cmath>
#include <random>
#include <vector>

#include "resample/error.hpp"

namespace resample::inference {
namespace {

TEST(EffectSizes, StandardizedMeanChangeOfThePaper) {
  const std::vector<double> pain{2, 9, 8, 10, 6, 4};
  const auto r = standardized_mean_change(pain, 0.95);
  EXPECT_DOUBLE_EQ(r.estimate, 6.5 / std::sqrt(47.5 / 5));  // mean over the sample sd
  ASSERT_TRUE(r.lower && r.upper);
  EXPECT_FALSE(r.exact);
  EXPECT_EQ(r.method, "noncentral_t");
  // The endpoints are the noncentralities (over sqrt n) at which the observed t is the upper and
  // the lower 2.5% point.
  const double t = r.estimate * std::sqrt(6.0);
  using boost::math::non_central_t_distribution;
  EXPECT_NEAR(boost::math::cdf(non_central_t_distribution<double>(5, *r.lower * std::sqrt(6.0)), t), 0.975,
              1e-10);
  EXPECT_NEAR(boost::math::cdf(non_central_t_distribution<double>(5, *r.upper * std::sqrt(6.0)), t), 0.025,
              1e-10);
}

// The interval is exact for normal differences: its coverage over simulated normal samples is the
// level within the simulation's error (2000 samples, SE about 0.005), at a small and a large effect.
TEST(EffectSizes, StandardizedMeanChangeCoversAtTheLevelForNormalData) {
  std::mt19937_64 rng(2024);
  for (double delta : {0.0, 0.8}) {
    std::normal_distribution<double> normal(delta * 2.0, 2.0);
    int covered = 0;
    const int trials = 2000;
    for (int trial = 0; trial < trials; ++trial) {
      std::vector<double> d(10);
      for (double& x : d) x = normal(rng);
      const auto r = standardized_mean_change(d, 0.9);
      covered += *r.lower <= delta && delta <= *r.upper;
    }
    const double coverage = covered / static_cast<double>(trials);
    EXPECT_NEAR(coverage, 0.9, 4 * std::sqrt(0.9 * 0.1 / trials)) << "delta " << delta;
  }
}

TEST(EffectSizes, StandardizedMeanChangeIsUnitFreeAndOdd) {
  const std::vector<double> d{1.5, -0.25, 3.0, 2.0, 0.0, 4.5, 1.0};
  const auto base = standardized_mean_change(d, 0.95);
  for (double scale : {1e-9, 0.3, 1e12}) {
    std::vector<double> x(d);
    for (double& v : x) v *= scale;
    const auto r = standardized_mean_change(x, 0.95);
    EXPECT_NEAR(r.estimate, base.estimate, 1e-12);
    EXPECT_NEAR(*r.lower, *base.lower, 1e-9);
    EXPECT_NEAR(*r.upper, *base.upper, 1e-9);
    for (double& v : x) v = -v;
    const auto negated = standardized_mean_change(x, 0.95);
    EXPECT_NEAR(*negated.lower, -*base.upper, 1e-9);
  }
}

TEST(EffectSizes, UndefinedStandardizedMeanChangeSaysWhy) {
  const auto constant = standardized_mean_change(std::vector<double>{2, 2, 2}, 0.95);
  EXPECT_TRUE(std::isnan(constant.estimate));
  EXPECT_FALSE(constant.lower);
  EXPECT_EQ(constant.notes.size(), 2u);
  EXPECT_TRUE(std::isnan(standardized_mean_change(std::vector<double>{2}, 0.95).estimate));
  EXPECT_THROW(standardized_mean_change(std::vector<double>{}, 0.95), invalid_argument);
  EXPECT_THROW(standardized_mean_change(std::vector<double>{1, 2}, 1.5), invalid_argument);
}

TEST(EffectSizes, HugeStandardizedMeanChangeKeepsTheEstimateAndSaysWhyThereIsNoInterval) {
  const auto r = standardized_mean_change(std::vector<double>{1e12, 1e12 + 3, 1e12 - 2, 1e12 + 1}, 0.95);
  EXPECT_GT(r.estimate, 1e11);
  EXPECT_FALSE(r.lower);
  EXPECT_FALSE(r.upper);
  EXPECT_EQ(r.notes.size(), 2u);
}

TEST(EffectSizes, ChangeCounts) {
  const auto c = count_changes(std::vector<double>{1, 1, 1, 0, 0, 3, -2});
  EXPECT_EQ(c.improved, 4u);
  EXPECT_EQ(c.unchanged, 2u);
  EXPECT_EQ(c.worsened, 1u);
  EXPECT_EQ(c.n(), 7u);
}

}  // namespace
}  // namespace resample::inference
