#include "resample/inference/effect_sizes.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "inference/noncentral_t.hpp"
#include "resample/error.hpp"
#include "support/paper_table.hpp"

namespace resample::inference {
namespace {

TEST(EffectSizes, StandardizedMeanChangeOfThePaper) {
  const std::vector<double>& pain = resample::test::paper::pain;
  const auto r = standardized_mean_change(pain, 0.95);
  EXPECT_DOUBLE_EQ(r.estimate, 6.5 / std::sqrt(47.5 / 5));  // mean over the sample sd
  ASSERT_TRUE(r.lower && r.upper);
  EXPECT_FALSE(r.exact);
  EXPECT_EQ(r.method, "noncentral_t");
  // The endpoints are the noncentralities (over sqrt n) at which the observed t is the upper and
  // the lower 2.5% point.
  const double t = r.estimate * std::sqrt(6.0);
  EXPECT_NEAR(detail::noncentral_t_cdf(5, *r.lower * std::sqrt(6.0), t), 0.975, 1e-10);
  EXPECT_NEAR(detail::noncentral_t_cdf(5, *r.upper * std::sqrt(6.0), t), 0.025, 1e-10);
}

// Against R 4.2's pt(q, df, ncp) (AS 243, an implementation independent of Boost.Math's), at the
// small degrees of freedom where Boost's series divides by zero in floating point (noncentral_t.hpp):
// the values, and so the intervals, must still be right. R documents pt's noncentral accuracy as
// about 1e-12 absolute; the table was printed by R with 17 significant digits.
TEST(EffectSizes, NoncentralTCdfEqualsRAtSmallDegreesOfFreedom) {
  struct reference {
    double df, noncentrality, q, p;
  };
  const reference table[] = {{2, -2, -1, 0.84394950037530525},   {2, -2, 1.5, 0.99791844314566802},
                             {2, -2, 4, 0.99965144139946216},    {2, 0.5, -1, 0.10327857197970247},
                             {2, 0.5, 1.5, 0.74897420410063975}, {2, 0.5, 4, 0.94203604333455992},
                             {2, 3, -1, 0.00015319636290256344}, {2, 3, 1.5, 0.087619975613372175},
                             {2, 3, 4, 0.57185502396142318},     {3, -2, -1, 0.84265056603004107},
                             {3, -2, 1.5, 0.99865482495398161},  {3, -2, 4, 0.9998923719471835},
                             {3, 0.5, -1, 0.092121209814362781}, {3, 0.5, 1.5, 0.77569497358673623},
                             {3, 0.5, 4, 0.96807913914451604},   {3, 3, -1, 0.00010752783767642438},
                             {3, 3, 1.5, 0.08256466990093389},   {3, 3, 4, 0.62680785817295082},
                             {4, -2, -1, 0.84212647532770035},   {4, -2, 1.5, 0.99899493570878184},
                             {4, -2, 4, 0.99995781849860743},    {4, 0.5, -1, 0.086149569036952478},
                             {4, 0.5, 1.5, 0.79043315946841408}, {4, 0.5, 4, 0.97980580058188349},
                             {4, 3, -1, 8.5777359589811475e-05}, {4, 3, 1.5, 0.079408475838106257},
                             {4, 3, 4, 0.66183849043946175}};
  for (const auto& x : table)
    EXPECT_NEAR(detail::noncentral_t_cdf(x.df, x.noncentrality, x.q), x.p, 1e-11)
        << "df " << x.df << " ncp " << x.noncentrality << " q " << x.q;
}

// The 95% intervals at n = 3 to 6 against R's uniroot over pt(t, n - 1, ncp) (tol 1e-15): an
// endpoint error is the cdf's error over its density in the noncentrality, well under 1e-8 here.
TEST(EffectSizes, StandardizedMeanChangeIntervalEqualsRAtSmallN) {
  struct reference {
    std::vector<double> d;
    double estimate, lower, upper;
  };
  const std::vector<reference> table{
      {{1, 2, 4}, 1.5275252316519468, -0.29869685542617558, 3.269505578323336},
      {{0.5, -1, 3, 2}, 0.6428571428571429, -0.49176967385192971, 1.6995120148382494},
      {{2, 9, 8, 10, 6, 4}, 2.108878474699913, 0.58921793377134801, 3.5836598893842044},
      {{-1, 0.25, -3, -2, -0.5}, -0.98058067569092022, -2.0394571925278231, 0.14925741179397306},
      {{3, 1, 2}, 2, -0.14156417860459156, 4.1054945945844192}};
  for (const auto& x : table) {
    const auto r = standardized_mean_change(x.d, 0.95);
    EXPECT_NEAR(r.estimate, x.estimate, 1e-14) << x.d.size();
    ASSERT_TRUE(r.lower && r.upper) << x.d.size();
    EXPECT_NEAR(*r.lower, x.lower, 1e-8) << x.d.size();
    EXPECT_NEAR(*r.upper, x.upper, 1e-8) << x.d.size();
  }
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
