// The lattice route of the sign-flip confidence set: against the subset-average selection where
// both apply, against a definitional oracle at n up to 150 (every cell of the untruncated joint
// law of the flipped subset's size and sum, every shift compared in integers), against the sign-flip
// test itself at the endpoints, against Monte Carlo inversion, and at several units of measurement.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "resample/equality.hpp"
#include "resample/error.hpp"
#include "resample/inference/sign_flip.hpp"
#include "resample/inference/sign_flip_inversion.hpp"
#include "support/sanitizer_slowdown.hpp"

namespace resample::inference {
namespace {

using algorithm = sign_flip_inversion_algorithm;

// Integer scores with ties, zeros and negative values.
std::vector<std::int64_t> random_scores(std::mt19937_64& rng, std::size_t n, int low = -4, int high = 6) {
  std::uniform_int_distribution<int> score(low, high);
  std::vector<std::int64_t> k(n);
  for (auto& v : k) v = score(rng);
  k[0] = 0;
  if (std::all_of(k.begin(), k.end(), [](std::int64_t v) { return v == 0; })) k[1] = 1;
  return k;
}

// The data as a user would type them: k / 10 is the decimal "0.k", not k * 0.1.
std::vector<double> on_step(const std::vector<std::int64_t>& k, double numerator, double denominator) {
  std::vector<double> d(k.size());
  for (std::size_t i = 0; i < k.size(); ++i) d[i] = static_cast<double>(k[i]) * numerator / denominator;
  return d;
}

sign_flip_inversion_options forced(algorithm a, double level, alternative alt, bool mid_p) {
  sign_flip_inversion_options o;
  o.level = level, o.alt = alt, o.mid_p = mid_p, o.algorithm = a;
  return o;
}

TEST(SignFlipInversionLattice, EqualsTheSubsetAverageSelectionUpToN18) {
  std::mt19937_64 rng(83);
  const std::size_t largest = resample::test::sanitizer_slowdown > 1 ? 13 : 18;
  for (std::size_t n = 3; n <= largest; ++n)
    for (int rep = 0; rep < 3; ++rep) {
      const auto k = random_scores(rng, n);
      // Integers, halves, decimals, a step of 3, at a unit of 1e-4.
      const double steps[][2] = {{1, 1}, {1, 2}, {1, 10}, {3, 1}, {1, 1e4}};
      const auto& step = steps[(n + static_cast<std::size_t>(rep)) % 5];
      const auto d = on_step(k, step[0], step[1]);
      const double tolerance = 64.0 * machine_epsilon * largest_magnitude(d);
      for (double level : {0.8, 0.9, 0.95, 0.99})
        for (auto alt : {alternative::two_sided, alternative::greater, alternative::less})
          for (bool mid_p : {false, true}) {
            const auto selection =
                sign_flip_confidence_set(d, forced(algorithm::subset_average_selection, level, alt, mid_p));
            const auto lattice =
                sign_flip_confidence_set(d, forced(algorithm::lattice_table, level, alt, mid_p));
            EXPECT_EQ(lattice.method, "lattice_table_inversion");
            EXPECT_TRUE(lattice.exact);
            EXPECT_EQ(lattice.achieved_level, selection.achieved_level);
            ASSERT_EQ(lattice.lower.has_value(), selection.lower.has_value()) << "n " << n << " rep " << rep;
            ASSERT_EQ(lattice.upper.has_value(), selection.upper.has_value()) << "n " << n << " rep " << rep;
            if (lattice.lower) {
              EXPECT_NEAR(*lattice.lower, *selection.lower, tolerance)
                  << "n " << n << " rep " << rep << " level " << level << " " << to_string(alt) << " mid_p "
                  << mid_p;
            }
            if (lattice.upper) {
              EXPECT_NEAR(*lattice.upper, *selection.upper, tolerance)
                  << "n " << n << " rep " << rep << " level " << level << " " << to_string(alt) << " mid_p "
                  << mid_p;
            }
          }
    }
}

// The oracle: P(m, s) for every size m and sum s of a uniformly random subset, untruncated, and
// the test at the shift delta = (a / b) step from the definition: in units of step / b the observed
// signed sum is U = K b - n a and a pattern's is U - 2 (s b - m a); two-sided it is as extreme
// when |.| >= |U|, `greater` when >= U; ties count (mid-p: half).
struct joint_law {
  std::vector<std::vector<long double>> mass;  // [m][s - offset]
  std::int64_t offset = 0, total = 0, n = 0;

  explicit joint_law(const std::vector<std::int64_t>& k) : n(static_cast<std::int64_t>(k.size())) {
    std::int64_t low = 0, high = 0;
    for (auto v : k) (v < 0 ? low : high) += v, total += v;
    offset = low;
    const auto width = static_cast<std::size_t>(high - low + 1);
    mass.assign(k.size() + 1, std::vector<long double>(width, 0.0L));
    mass[0][static_cast<std::size_t>(-low)] = 1.0L;
    for (std::size_t i = 0; i < k.size(); ++i) {
      auto next = mass;
      for (auto& row : next)
        for (auto& x : row) x /= 2;
      for (std::size_t m = 0; m <= i; ++m)
        for (std::size_t t = 0; t < width; ++t)
          if (mass[m][t] != 0.0L)
            next[m + 1][static_cast<std::size_t>(static_cast<std::int64_t>(t) + k[i])] += mass[m][t] / 2;
      mass = std::move(next);
    }
  }

  double p_value(std::int64_t a, std::int64_t b, alternative alt, bool mid_p) const {
    const std::int64_t U = total * b - n * a;
    long double more = 0, equal = 0;
    for (std::size_t m = 0; m < mass.size(); ++m)
      for (std::size_t t = 0; t < mass[m].size(); ++t) {
        if (mass[m][t] == 0.0L) continue;
        const std::int64_t s = static_cast<std::int64_t>(t) + offset;
        const std::int64_t V = U - 2 * (s * b - static_cast<std::int64_t>(m) * a);
        const std::int64_t x = alt == alternative::two_sided ? std::abs(V) : V;
        const std::int64_t y = alt == alternative::two_sided ? std::abs(U) : U;
        if (x > y) more += mass[m][t];
        if (x == y) equal += mass[m][t];
      }
    return static_cast<double>(more + (mid_p ? equal / 2 : equal));
  }

  // The set's lower end in units of step, as a fraction: the smallest subset average at which, or
  // just right of which, the test accepts (two_sided or greater); the averages below the mean
  // are searched by bisection (acceptance only grows towards the mean).
  std::pair<std::int64_t, std::int64_t> lower_end(double alpha, alternative alt, bool mid_p) const {
    std::vector<std::pair<std::int64_t, std::int64_t>> averages;  // s / m < K / n
    for (std::size_t m = 1; m < mass.size(); ++m)
      for (std::size_t t = 0; t < mass[m].size(); ++t) {
        const std::int64_t s = static_cast<std::int64_t>(t) + offset;
        if (mass[m][t] != 0.0L && s * n < total * static_cast<std::int64_t>(m))
          averages.emplace_back(s, static_cast<std::int64_t>(m));
      }
    const auto less_than = [](const auto& x, const auto& y) {
      return x.first * y.second < y.first * x.second;
    };
    std::sort(averages.begin(), averages.end(), less_than);
    averages.erase(
        std::unique(averages.begin(), averages.end(),
                    [&](const auto& x, const auto& y) { return !less_than(x, y) && !less_than(y, x); }),
        averages.end());
    averages.emplace_back(total, n);  // the mean: everything is accepted there
    const auto accepts = [&](std::int64_t a, std::int64_t b) {
      return !p_value_at_most(p_value(a, b, alt, mid_p), alpha);
    };
    const auto accepted_at_or_right_of = [&](std::size_t i) {
      const auto [a, b] = averages[i];
      if (accepts(a, b) || i + 1 == averages.size()) return true;
      const auto [c, e] = averages[i + 1];
      return accepts(a * e + c * b, 2 * b * e);  // the midpoint of the gap to the next average
    };
    std::size_t lo = 0, hi = averages.size() - 1;
    if (accepted_at_or_right_of(0)) return averages[0];
    while (hi - lo > 1) {
      const std::size_t mid = (lo + hi) / 2;
      (accepted_at_or_right_of(mid) ? hi : lo) = mid;
    }
    return averages[hi];
  }
};

TEST(SignFlipInversionLattice, EqualsTheDefinitionalOracleUpToN150) {
  std::mt19937_64 rng(89);
  const std::vector<std::size_t> sizes = resample::test::sanitizer_slowdown > 1
                                             ? std::vector<std::size_t>{20, 40}
                                             : std::vector<std::size_t>{20, 40, 80, 150};
  for (const std::size_t n : sizes) {
    auto k = random_scores(rng, n, -3, 8);
    std::vector<std::int64_t> negated(k);
    for (auto& v : negated) v = -v;
    const joint_law law(k), mirrored(negated);
    const auto d = on_step(k, 1, 2);  // half points
    for (double level : {0.9, 0.95, 0.99})
      for (auto alt : {alternative::two_sided, alternative::greater, alternative::less})
        for (bool mid_p : {false, true}) {
          sign_flip_inversion_options o;
          o.level = level, o.alt = alt, o.mid_p = mid_p;
          const auto s = sign_flip_confidence_set(d, o);
          EXPECT_EQ(s.method, n <= sign_flip_inversion_max_exact ? "subset_average_selection"
                                                                 : "lattice_table_inversion");
          const double alpha = 1.0 - level;
          const auto one_sided = alt == alternative::two_sided ? alt : alternative::greater;
          if (alt != alternative::less) {
            const auto [a, b] = law.lower_end(alpha, one_sided, mid_p);
            ASSERT_TRUE(s.lower);
            EXPECT_NEAR(*s.lower, 0.5 * static_cast<double>(a) / static_cast<double>(b), 1e-13)
                << "n " << n << " level " << level << " " << to_string(alt) << " mid_p " << mid_p;
          }
          if (alt != alternative::greater) {
            const auto [a, b] = mirrored.lower_end(alpha, one_sided, mid_p);
            ASSERT_TRUE(s.upper);
            EXPECT_NEAR(*s.upper, -0.5 * static_cast<double>(a) / static_cast<double>(b), 1e-13)
                << "n " << n << " level " << level << " " << to_string(alt) << " mid_p " << mid_p;
          }
        }
  }
}

// The interval agrees with the test the CLI runs: at each endpoint, the exact sign-flip test of
// d - endpoint (on the lattice step / m, m the averaged subset's size) does not reject.
TEST(SignFlipInversionLattice, TheTestAcceptsAtBothEndpoints) {
  std::mt19937_64 rng(97);
  const statistic mean{statistic_kind::mean, 0.0};
  for (const std::size_t n : {40, 90}) {
    const auto d = on_step(random_scores(rng, n, -2, 9), 1, 1);
    for (double level : {0.9, 0.95}) {
      sign_flip_inversion_options o;
      o.level = level;
      const auto s = sign_flip_confidence_set(d, o);
      ASSERT_TRUE(s.lower && s.upper);
      EXPECT_EQ(s.method, "lattice_table_inversion");
      for (const double end : {*s.lower, *s.upper}) {
        std::vector<double> shifted(d);
        for (auto& x : shifted) x -= end;
        const auto t = sign_flip_test(shifted, mean, alternative::two_sided);
        EXPECT_TRUE(t.exact) << t.method;
        EXPECT_FALSE(p_value_at_most(t.p_value, 1.0 - level)) << "n " << n << " end " << end;
      }
    }
  }
}

TEST(SignFlipInversionLattice, EveryUnitGivesTheScaledSet) {
  std::mt19937_64 rng(101);
  const auto k = random_scores(rng, 60);
  const auto base = sign_flip_confidence_set(on_step(k, 1, 1));
  ASSERT_TRUE(base.lower && base.upper);
  EXPECT_EQ(base.method, "lattice_table_inversion");
  for (const auto& [numerator, denominator] :
       std::vector<std::pair<double, double>>{{1, 8}, {1024, 1}, {1, 10}, {73, 10}, {1, 1e6}, {1e9, 1}}) {
    const double unit = numerator / denominator;
    const auto d = on_step(k, numerator, denominator);
    const auto s = sign_flip_confidence_set(d);
    EXPECT_EQ(s.method, "lattice_table_inversion");
    const bool power_of_two = std::ilogb(unit) == std::log2(unit);
    const double tolerance = power_of_two ? 0.0 : 16.0 * machine_epsilon * largest_magnitude(d);
    EXPECT_NEAR(*s.lower, *base.lower * unit, tolerance) << "unit " << unit;
    EXPECT_NEAR(*s.upper, *base.upper * unit, tolerance) << "unit " << unit;
    EXPECT_EQ(s.achieved_level, base.achieved_level);
  }
}

// The Monte Carlo inversion of the same data lands within its reported errors of the exact set.
TEST(SignFlipInversionLattice, MonteCarloInversionIsWithinItsErrorOfTheExactSet) {
  std::mt19937_64 rng(103);
  const auto d = on_step(random_scores(rng, 300, -3, 10), 1, 1);
  const auto exact = sign_flip_confidence_set(d);
  EXPECT_EQ(exact.method, "lattice_table_inversion");
  sign_flip_inversion_options o;
  o.method = method_choice::monte_carlo;
  o.resamples = 100000;
  const auto mc = sign_flip_confidence_set(d, o);
  ASSERT_TRUE(exact.lower && exact.upper && mc.lower && mc.upper && mc.mc_se_lower && mc.mc_se_upper);
  EXPECT_LT(std::fabs(*mc.lower - *exact.lower), 4.0 * *mc.mc_se_lower);
  EXPECT_LT(std::fabs(*mc.upper - *exact.upper), 4.0 * *mc.mc_se_upper);
}

TEST(SignFlipInversionLattice, RoutesAndRefusals) {
  const auto paper =
      sign_flip_confidence_set(std::vector<double>{2, 9, 8, 10, 6, 4},
                               forced(algorithm::lattice_table, 0.95, alternative::two_sided, false));
  EXPECT_EQ(*paper.lower, 2.0);
  EXPECT_EQ(*paper.upper, 10.0);
  EXPECT_DOUBLE_EQ(*paper.achieved_level, 62.0 / 64.0);

  std::vector<double> real(50);
  for (std::size_t i = 0; i < real.size(); ++i) real[i] = std::sin(static_cast<double>(i)) + 0.3;
  sign_flip_inversion_options o;
  EXPECT_EQ(plan_sign_flip_inversion(real, o).algorithm, algorithm::monte_carlo);
  EXPECT_FALSE(plan_sign_flip_inversion(real, o).exact);
  EXPECT_NE(plan_sign_flip_inversion(real, o).reason.find("not on a lattice"), std::string::npos);
  o.method = method_choice::exact;
  EXPECT_THROW(sign_flip_confidence_set(real, o), infeasible_error);
  o = forced(algorithm::lattice_table, 0.95, alternative::two_sided, false);
  EXPECT_THROW(sign_flip_confidence_set(real, o), infeasible_error);
  o.method = method_choice::monte_carlo;
  EXPECT_THROW(sign_flip_confidence_set(real, o), invalid_argument);

  std::vector<double> scores(real.size());
  for (std::size_t i = 0; i < scores.size(); ++i) scores[i] = std::round(3.0 * real[i]);
  EXPECT_EQ(plan_sign_flip_inversion(scores, {}).algorithm, algorithm::lattice_table);
  const auto s = sign_flip_confidence_set(scores);
  EXPECT_TRUE(s.exact);
  ASSERT_TRUE(s.achieved_level);
  EXPECT_GE(*s.achieved_level, 0.95 - 1e-8);
  // The same data can be forced through the selection only up to its limit.
  std::vector<double> long_scores(sign_flip_inversion_max_exact + 1, 2.0);
  long_scores[0] = -1.0;
  EXPECT_THROW(sign_flip_confidence_set(long_scores, forced(algorithm::subset_average_selection, 0.95,
                                                            alternative::two_sided, false)),
               infeasible_error);
}

}  // namespace
}  // namespace resample::inference
