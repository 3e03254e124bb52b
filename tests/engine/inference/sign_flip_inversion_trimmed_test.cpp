// The trimmed mean's sign-flip confidence set (the Walsh-interval sweep) against the brute-force
// test at and beside both ends and on a scan of shifts, against the sign-flip test at 0, and at
// several units of measurement.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "resample/equality.hpp"
#include "resample/error.hpp"
#include "resample/inference/sign_flip.hpp"
#include "resample/inference/sign_flip_inversion.hpp"
#include "support/paper_table.hpp"
#include "support/sanitizer_slowdown.hpp"

namespace resample::inference {
namespace {

double trimmed(std::vector<double> v, std::size_t cut) {
  std::sort(v.begin(), v.end());
  double total = 0.0;
  for (std::size_t r = cut; r < v.size() - cut; ++r) total += v[r];
  return total / static_cast<double>(v.size() - 2 * cut);
}

// The sign-flip test of the trimmed mean on d - delta, from its definition: every one of the 2^n
// patterns, statistics within 1e-12 of the data's scale counted as equally extreme.
double brute_p(const std::vector<double>& d, double delta, double fraction, alternative alt) {
  const std::size_t n = d.size();
  const auto cut = static_cast<std::size_t>(std::floor(fraction * static_cast<double>(n)));
  std::vector<double> v(n), flipped(n);
  double scale = 0.0;
  for (std::size_t i = 0; i < n; ++i) v[i] = d[i] - delta, scale = std::max(scale, std::fabs(v[i]));
  const double observed = trimmed(v, cut), tau = 1e-12 * scale;
  std::uint64_t extreme = 0;
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << n); ++mask) {
    for (std::size_t i = 0; i < n; ++i) flipped[i] = (mask >> i) & 1u ? -v[i] : v[i];
    const double t = trimmed(flipped, cut);
    const bool as_extreme = alt == alternative::two_sided ? std::fabs(t) >= std::fabs(observed) - tau
                            : alt == alternative::greater ? t >= observed - tau
                                                          : t <= observed + tau;
    extreme += as_extreme;
  }
  return static_cast<double>(extreme) / std::ldexp(1.0, static_cast<int>(n));
}

std::vector<double> random_data(std::mt19937_64& rng, std::size_t n, int kind) {
  std::uniform_int_distribution<int> small(-3, 7);
  std::normal_distribution<double> normal(1.0, 2.0);
  std::vector<double> d(n);
  for (auto& x : d) x = kind == 0 ? normal(rng) : static_cast<double>(small(rng));
  if (kind == 1) d[0] = 0.0;
  return d;
}

sign_flip_inversion_options trimmed_options(double fraction, double level, alternative alt) {
  sign_flip_inversion_options o;
  o.stat = statistic{statistic_kind::trimmed_mean, fraction};
  o.level = level, o.alt = alt;
  return o;
}

TEST(SignFlipInversionTrimmed, EqualsTheBruteForceTestAtBothEndsAndOnAScan) {
  std::mt19937_64 rng(107);
  const std::size_t largest = resample::test::sanitizer_slowdown > 1 ? 7 : 9;
  for (std::size_t n = 4; n <= largest; ++n)
    for (int kind = 0; kind < 2; ++kind) {
      const auto d = random_data(rng, n, kind);
      const double fraction = 0.25;  // one value from each end, two from n = 8
      const double scale = std::max(1.0, largest_magnitude(d));
      const double step = 1e-9 * scale;
      for (auto alt : {alternative::two_sided, alternative::greater, alternative::less}) {
        const double level = 0.8, alpha = 0.2;
        const auto s = sign_flip_confidence_set(d, trimmed_options(fraction, level, alt));
        EXPECT_EQ(s.method, "trimmed_walsh_sweep");
        const auto accepts = [&](double delta) {
          return !p_value_at_most(brute_p(d, delta, fraction, alt), alpha);
        };
        const std::string where =
            "n " + std::to_string(n) + " kind " + std::to_string(kind) + " " + std::string(to_string(alt));
        if (s.lower) {
          EXPECT_TRUE(accepts(*s.lower) || accepts(*s.lower + step)) << where;
          EXPECT_FALSE(accepts(*s.lower - step)) << where;
        }
        if (s.upper) {
          EXPECT_TRUE(accepts(*s.upper) || accepts(*s.upper - step)) << where;
          EXPECT_FALSE(accepts(*s.upper + step)) << where;
        }
        const auto [low, high] = std::minmax_element(d.begin(), d.end());
        // No end: the test accepts shifts far out on that side (tiny n); one-sided: by construction.
        if (!s.lower && alt != alternative::less) {
          EXPECT_TRUE(accepts(*low - 1e3 * scale)) << where;
        }
        if (!s.upper && alt != alternative::greater) {
          EXPECT_TRUE(accepts(*high + 1e3 * scale)) << where;
        }
        if (alt == alternative::less) {
          EXPECT_FALSE(s.lower) << where;
        }
        if (alt == alternative::greater) {
          EXPECT_FALSE(s.upper) << where;
        }
        if (n >= 7) {
          EXPECT_TRUE(alt == alternative::less || s.lower) << where;
        }
        for (int k = 0; k <= 60; ++k) {
          const double delta = *low - scale + (*high - *low + 2 * scale) * k / 60.0;
          if (accepts(delta)) {
            EXPECT_TRUE((!s.lower || delta >= *s.lower - 1e-12 * scale) &&
                        (!s.upper || delta <= *s.upper + 1e-12 * scale))
                << where << " delta " << delta;
          }
        }
      }
    }
}

// "p <= alpha" and "the set excludes 0" agree, for the test the CLI runs.
TEST(SignFlipInversionTrimmed, AgreesWithTheSignFlipTestAtZero) {
  std::mt19937_64 rng(109);
  const int reps = resample::test::sanitizer_slowdown > 1 ? 30 : 120;
  int gaps = 0;
  for (int rep = 0; rep < reps; ++rep) {
    std::uniform_int_distribution<std::size_t> size(5, 10);
    const auto d = random_data(rng, size(rng), rep % 2);
    if (std::all_of(d.begin(), d.end(), [](double x) { return x == 0.0; })) continue;
    const statistic stat{statistic_kind::trimmed_mean, 0.2};
    for (auto alt : {alternative::two_sided, alternative::greater}) {
      const auto s = sign_flip_confidence_set(d, trimmed_options(0.2, 0.9, alt));
      const auto t = sign_flip_test(d, stat, alt);
      ASSERT_TRUE(t.exact);
      const bool covers = (!s.lower || 0.0 >= *s.lower) && (!s.upper || 0.0 <= *s.upper);
      const bool gap = std::any_of(s.notes.begin(), s.notes.end(), [](const std::string& note) {
        return note.find("gap") != std::string::npos;
      });
      // Outside the ends the test rejects; inside them it accepts unless the set has a gap.
      if (!covers || !gap) {
        EXPECT_EQ(covers, !p_value_at_most(t.p_value, 0.1)) << "rep " << rep << " " << to_string(alt);
      }
      gaps += gap;
    }
  }
  EXPECT_LT(gaps, reps / 4);  // the sets with gaps, whose inside the check skips, stay few
}

TEST(SignFlipInversionTrimmed, EveryUnitGivesTheScaledSet) {
  std::mt19937_64 rng(113);
  const auto d = random_data(rng, 8, 0);
  const auto base = sign_flip_confidence_set(d, trimmed_options(0.25, 0.9, alternative::two_sided));
  ASSERT_TRUE(base.lower && base.upper);
  for (double unit : {0x1p-20, 0x1p10, 1e-3, 7.3, 1e6}) {
    std::vector<double> x(d);
    for (auto& v : x) v *= unit;
    const auto s = sign_flip_confidence_set(x, trimmed_options(0.25, 0.9, alternative::two_sided));
    const bool power_of_two = std::ilogb(unit) == std::log2(unit);
    const double tolerance = power_of_two ? 0.0 : 1e-12 * largest_magnitude(x);
    EXPECT_NEAR(*s.lower, *base.lower * unit, tolerance) << unit;
    EXPECT_NEAR(*s.upper, *base.upper * unit, tolerance) << unit;
  }
}

TEST(SignFlipInversionTrimmed, RoutesAndRefusals) {
  const std::vector<double>& paper = resample::test::paper::pain;
  // trimmed:0.1 drops nothing of six values: the mean's set, under the trimmed mean's name.
  const auto none = sign_flip_confidence_set(paper, trimmed_options(0.1, 0.95, alternative::two_sided));
  EXPECT_EQ(none.name, "trimmed:0.1");
  EXPECT_EQ(*none.lower, 2.0);
  EXPECT_EQ(*none.upper, 10.0);
  auto o = trimmed_options(0.2, 0.95, alternative::two_sided);
  const auto s = sign_flip_confidence_set(paper, o);
  EXPECT_EQ(s.name, "trimmed:0.2");
  EXPECT_TRUE(s.exact);
  o.mid_p = true;
  EXPECT_THROW(sign_flip_confidence_set(paper, o), invalid_argument);
  o.mid_p = false, o.method = method_choice::monte_carlo;
  EXPECT_THROW(sign_flip_confidence_set(paper, o), invalid_argument);
  o.method = method_choice::automatic;
  EXPECT_THROW(sign_flip_confidence_set(std::vector<double>(13, 1.5), o), infeasible_error);
  o.stat = statistic{statistic_kind::median, 0.0};
  EXPECT_THROW(sign_flip_confidence_set(paper, o), invalid_argument);
}

}  // namespace
}  // namespace resample::inference
