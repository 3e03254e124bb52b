#include "resample/inference/estimates.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

namespace resample::inference {
namespace {

// Brute-force inversion: the signed-rank test of theta uses V(theta) = number of Walsh averages
// above theta, with the null of V from enumerating all 2^n sign patterns of the ranks 1..n; the
// interval is the closure of the gaps between distinct Walsh averages where the two-sided
// p-value exceeds alpha.
struct bounds {
  std::optional<double> lower, upper;
};
bounds brute_hl_interval(const std::vector<double>& d, double level) {
  const std::size_t n = d.size();
  std::vector<double> walsh;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i; j < n; ++j) walsh.push_back((d[i] + d[j]) / 2);
  const double N = static_cast<double>(walsh.size());
  std::vector<double> null;  // V* for every pattern
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << n); ++mask) {
    double v = 0;
    for (std::size_t i = 0; i < n; ++i)
      if ((mask >> i) & 1) v += static_cast<double>(i + 1);
    null.push_back(v);
  }
  auto p_value = [&](double V) {
    double extreme = 0;
    for (double v : null) extreme += std::fabs(v - N / 2) >= std::fabs(V - N / 2);
    return extreme / static_cast<double>(null.size());
  };
  std::vector<double> distinct(walsh);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  // Gap k lies between distinct[k-1] and distinct[k]; gap 0 and gap size() are unbounded.
  bounds b;
  bool found = false;
  for (std::size_t k = 0; k <= distinct.size(); ++k) {
    const double theta = k == 0                 ? distinct[0] - 1
                         : k == distinct.size() ? distinct.back() + 1
                                                : (distinct[k - 1] + distinct[k]) / 2;
    double V = 0;
    for (double w : walsh) V += w > theta;
    if (p_value(V) <= 1 - level) continue;
    if (!found) b.lower = k == 0 ? std::nullopt : std::optional<double>(distinct[k - 1]);
    found = true;
    b.upper = k == distinct.size() ? std::nullopt : std::optional<double>(distinct[k]);
  }
  return b;
}

TEST(HodgesLehmann, IntervalEqualsBruteForceInversionWithTies) {
  std::vector<std::vector<double>> samples{{2, 9, 8, 10, 6, 4},
                                           {1, 1, 1, 0, 0, 3},
                                           {2, -1, 0, 3, 3, -2, 1, 0, 5, 1},
                                           {1.5, -2.25, 0.5, 3.1, 1.5, -0.7, 2.2, 4.4, -1.1, 0.3, 2.2, 7}};
  std::mt19937_64 rng(9);
  std::uniform_int_distribution<int> ints(-3, 6);
  for (int s = 0; s < 4; ++s) {
    std::vector<double> d(8 + 2 * s);
    for (auto& v : d) v = ints(rng);
    samples.push_back(d);
  }
  for (const auto& d : samples)
    for (double level : {0.8, 0.9, 0.95}) {
      const auto r = hodges_lehmann_interval(d, level);
      const auto expected = brute_hl_interval(d, level);
      EXPECT_EQ(r.lower.has_value(), expected.lower.has_value()) << d.size() << " " << level;
      EXPECT_EQ(r.upper.has_value(), expected.upper.has_value());
      if (r.lower && expected.lower) {
        EXPECT_DOUBLE_EQ(*r.lower, *expected.lower) << d.size() << " " << level;
      }
      if (r.upper && expected.upper) {
        EXPECT_DOUBLE_EQ(*r.upper, *expected.upper) << d.size() << " " << level;
      }
    }
}

TEST(HodgesLehmann, PaperPain) {
  const auto r = hodges_lehmann_interval(std::vector<double>{2, 9, 8, 10, 6, 4}, 0.95);
  EXPECT_DOUBLE_EQ(r.estimate, 6.5);
  // n = 6: c = 1 (P(V <= 0) = 1/64 <= 0.025 < P(V <= 1) = 2/64): extreme Walsh averages.
  EXPECT_DOUBLE_EQ(*r.lower, 2.0);
  EXPECT_DOUBLE_EQ(*r.upper, 10.0);
  EXPECT_DOUBLE_EQ(*r.achieved_level, 1 - 2.0 / 64);
  const auto small = hodges_lehmann_interval(std::vector<double>{1, 2, 3}, 0.95);
  EXPECT_FALSE(small.lower.has_value());
  EXPECT_FALSE(small.notes.empty());
}

TEST(MedianInterval, OrderStatistics) {
  const auto r = median_interval(std::vector<double>{2, 9, 8, 10, 6, 4}, 0.95);
  EXPECT_DOUBLE_EQ(r.estimate, 7.0);
  EXPECT_DOUBLE_EQ(*r.lower, 2.0);
  EXPECT_DOUBLE_EQ(*r.upper, 10.0);
  EXPECT_DOUBLE_EQ(*r.achieved_level, 1 - 2.0 / 64);
  // n = 20 at 95%: P(X <= 5) = 0.0207 <= 0.025 < P(X <= 6) = 0.0577, so k = 6.
  std::vector<double> d(20);
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = static_cast<double>(20 - i);
  const auto b = median_interval(d, 0.95);
  EXPECT_DOUBLE_EQ(*b.lower, 6.0);
  EXPECT_DOUBLE_EQ(*b.upper, 15.0);
  EXPECT_FALSE(median_interval(std::vector<double>{1, 2, 3, 4, 5}, 0.95).lower.has_value());
}

TEST(TTest, ClosedFormsForOneAndTwoDegreesOfFreedom) {
  // n = 2: t = 2 with 1 df (Cauchy): two-sided p = 1 - (2/pi) atan(2).
  const auto one = t_test(std::vector<double>{1, 3}, alternative::two_sided);
  EXPECT_DOUBLE_EQ(one.observed, 2.0);
  EXPECT_NEAR(one.p_value, 1 - 2 / std::numbers::pi * std::atan(2.0), 1e-13);
  // n = 3, d = {1, 2, 6}: mean 3, sd sqrt(7), t = 3 / sqrt(7/3); 2 df: P(T > t) = (1 - t/sqrt(2 + t^2))/2.
  const auto two = t_test(std::vector<double>{1, 2, 6}, alternative::greater);
  const double t = 3 / std::sqrt(7.0 / 3);
  EXPECT_NEAR(two.observed, t, 1e-13);
  EXPECT_NEAR(two.p_value, (1 - t / std::sqrt(2 + t * t)) / 2, 1e-13);
  const auto ci = t_interval(std::vector<double>{1, 3}, 0.5);  // 1 df: t_{0.75} = 1
  EXPECT_NEAR(*ci.lower, 1.0, 1e-12);
  EXPECT_NEAR(*ci.upper, 3.0, 1e-12);
  const auto flat = t_test(std::vector<double>{4, 4, 4, 4}, alternative::two_sided);
  EXPECT_TRUE(std::isnan(flat.p_value));
  EXPECT_FALSE(flat.notes.empty());
}

TEST(Proportions, PaperCounts) {
  // 5 of 6 and 4 of 4: Clopper-Pearson bounds solve the binomial tail equations.
  const auto five = proportion_intervals(5, 6, 0.95);
  ASSERT_EQ(five.intervals.size(), 3u);
  const auto& cp = five.intervals[0];
  // Upper: P(X <= 5 | p) = 1 - p^6 = 0.025; lower: P(X >= 5 | p) = 6 p^5 (1 - p) + p^6 = 0.025.
  EXPECT_NEAR(1 - std::pow(cp.upper, 6), 0.025, 1e-10);
  EXPECT_NEAR(6 * std::pow(cp.lower, 5) * (1 - cp.lower) + std::pow(cp.lower, 6), 0.025, 1e-10);
  const auto four = proportion_intervals(4, 4, 0.95);
  EXPECT_NEAR(four.intervals[0].lower, std::pow(0.025, 0.25), 1e-10);  // p^4 = 0.025
  EXPECT_DOUBLE_EQ(four.intervals[0].upper, 1.0);
  EXPECT_DOUBLE_EQ(four.intervals[2].upper, 1.0);  // Jeffreys with all successes
  // Wilson is the score interval: its ends solve |p_hat - p| = z sqrt(p (1 - p) / n).
  const double z = 1.959963984540054;
  for (double p : {five.intervals[1].lower, five.intervals[1].upper})
    EXPECT_NEAR(std::fabs(5.0 / 6 - p), z * std::sqrt(p * (1 - p) / 6), 1e-12);
  // Jeffreys: symmetric under successes <-> failures.
  const auto one = proportion_intervals(1, 6, 0.95);
  EXPECT_NEAR(one.intervals[2].lower, 1 - five.intervals[2].upper, 1e-12);
}

}  // namespace
}  // namespace resample::inference
