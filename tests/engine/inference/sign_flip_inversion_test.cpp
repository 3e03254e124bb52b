#include "resample/inference/sign_flip_inversion.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <vector>

#include "resample/equality.hpp"
#include "resample/error.hpp"
#include "resample/inference/sign_flip.hpp"
#include "support/paper_table.hpp"
#include "support/sanitizer_slowdown.hpp"

namespace resample::inference {
namespace {

// Every non-empty subset's average, summed in index order as the engine reports its endpoints.
std::vector<double> all_subset_averages(const std::vector<double>& d) {
  const std::size_t n = d.size();
  std::vector<double> out;
  out.reserve((std::size_t{1} << n) - 1);
  for (std::uint64_t mask = 1; mask < (std::uint64_t{1} << n); ++mask) {
    double sum = 0.0;
    int size = 0;
    for (std::size_t i = 0; i < n; ++i)
      if ((mask >> i) & 1u) sum += d[i], ++size;
    out.push_back(sum / size);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The sign-flip test of the mean on d - delta, restated from the conventions: every one of the
// 2^n patterns, signed sums compared within (3n + 2) eps * 2 sum|d - delta| (the test's rule).
double brute_p(const std::vector<double>& d, double delta, alternative alt, bool mid_p) {
  const std::size_t n = d.size();
  std::vector<double> v(n);
  double observed = 0.0, magnitude = 0.0;
  for (std::size_t i = 0; i < n; ++i) v[i] = d[i] - delta, observed += v[i], magnitude += std::fabs(v[i]);
  const double tau = (3.0 * static_cast<double>(n) + 2.0) * machine_epsilon * 2.0 * magnitude;
  double more = 0, equal = 0;
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << n); ++mask) {
    double t = 0.0;
    for (std::size_t i = 0; i < n; ++i) t += (mask >> i) & 1u ? -v[i] : v[i];
    double a = t, b = observed;
    if (alt == alternative::two_sided) a = std::fabs(t), b = std::fabs(observed);
    if (alt == alternative::less) a = -t, b = -observed;
    if (std::fabs(a - b) <= tau)
      ++equal;
    else if (a > b)
      ++more;
  }
  const double patterns = std::ldexp(1.0, static_cast<int>(n));
  return (more + (mid_p ? equal / 2 : equal)) / patterns;
}

bool accepted(double p, double alpha) { return !p_value_at_most(p, alpha); }

std::vector<double> random_data(std::mt19937_64& rng, std::size_t n) {
  // Integers (many ties and zeros), negative values, and real values, in turn.
  std::uniform_int_distribution<int> kind(0, 2), small(-4, 6);
  std::normal_distribution<double> normal(1.0, 2.0);
  const int k = kind(rng);
  std::vector<double> d(n);
  for (auto& x : d) x = k == 2 ? normal(rng) : static_cast<double>(small(rng));
  if (k == 1) d[0] = 0.0;  // at least one zero
  return d;
}

// The set's membership of delta, its closed endpoints within the data's rounding.
bool in_set(const interval_estimate& s, double delta, double scale) {
  const double tol = 1e-12 * scale;
  return (!s.lower || delta >= *s.lower - tol) && (!s.upper || delta <= *s.upper + tol);
}

TEST(SignFlipInversion, PaperRepeatPainReductions) {
  const std::vector<double>& d = resample::test::paper::pain;
  sign_flip_inversion_options o;
  const auto s95 = sign_flip_confidence_set(d, o);
  ASSERT_TRUE(s95.lower && s95.upper);
  EXPECT_EQ(*s95.lower, 2.0);
  EXPECT_EQ(*s95.upper, 10.0);
  EXPECT_DOUBLE_EQ(*s95.achieved_level, 62.0 / 64.0);
  EXPECT_TRUE(s95.exact);
  EXPECT_EQ(s95.inverts, "signflip");
  o.level = 0.90;
  const auto s90 = sign_flip_confidence_set(d, o);
  EXPECT_EQ(*s90.lower, 4.0);
  EXPECT_EQ(*s90.upper, 9.0);
  EXPECT_DOUBLE_EQ(*s90.achieved_level, 1.0 - 6.0 / 64.0);
}

// Every shift between and at consecutive subset averages: the set is the closure of the shifts at
// which the brute-force test does not reject, for both two-sided tests, both one-sided ones and
// their mid-p versions. At an average the closure also holds a shift rejected there but accepted
// just beside it (the mid-p steps there by half a tie group).
TEST(SignFlipInversion, EqualsTheBruteForceTestAtEveryShiftForSmallN) {
  std::mt19937_64 rng(17);
  for (std::size_t n = 3; n <= 9; ++n)
    for (int rep = 0; rep < 4; ++rep) {
      const auto d = random_data(rng, n);
      auto averages = all_subset_averages(d);
      averages.erase(std::unique(averages.begin(), averages.end()), averages.end());
      const double scale = std::max(1.0, largest_magnitude(d));
      // Open intervals between averages (and beyond both ends), each by its midpoint.
      std::vector<double> gaps{averages.front() - scale};
      for (std::size_t i = 0; i + 1 < averages.size(); ++i)
        gaps.push_back(0.5 * (averages[i] + averages[i + 1]));
      gaps.push_back(averages.back() + scale);
      for (auto alt : {alternative::two_sided, alternative::greater, alternative::less})
        for (bool mid_p : {false, true})
          for (double level : {0.8, 0.9, 0.95}) {
            sign_flip_inversion_options o;
            o.level = level, o.alt = alt, o.mid_p = mid_p;
            const auto s = sign_flip_confidence_set(d, o);
            auto test_accepts = [&](double delta) {
              return accepted(brute_p(d, delta, alt, mid_p), 1.0 - level);
            };
            std::vector<bool> gap_accepted;
            for (double g : gaps) {
              gap_accepted.push_back(test_accepts(g));
              ASSERT_EQ(in_set(s, g, scale), gap_accepted.back())
                  << "n " << n << " rep " << rep << " delta " << g << " level " << level << " alt "
                  << to_string(alt) << " mid_p " << mid_p;
            }
            for (std::size_t i = 0; i < averages.size(); ++i)
              ASSERT_EQ(in_set(s, averages[i], scale),
                        test_accepts(averages[i]) || gap_accepted[i] || gap_accepted[i + 1])
                  << "n " << n << " rep " << rep << " delta " << averages[i] << " level " << level << " alt "
                  << to_string(alt) << " mid_p " << mid_p;
          }
    }
}

// Larger n: the endpoints are accepted, and the midpoint to the next average outside is rejected.
TEST(SignFlipInversion, EndpointsAreTheLastAcceptedShiftsUpToN14) {
  std::mt19937_64 rng(29);
  for (std::size_t n = 10; n <= 14; ++n)
    for (int rep = 0; rep < 3; ++rep) {
      const auto d = random_data(rng, n);
      const auto averages = all_subset_averages(d);
      const double scale = std::max(1.0, largest_magnitude(d));
      sign_flip_inversion_options o;
      o.level = 0.95;
      const auto s = sign_flip_confidence_set(d, o);
      ASSERT_TRUE(s.lower && s.upper);
      const double alpha = 0.05;
      EXPECT_TRUE(accepted(brute_p(d, *s.lower, alternative::two_sided, false), alpha));
      EXPECT_TRUE(accepted(brute_p(d, *s.upper, alternative::two_sided, false), alpha));
      const auto below = std::lower_bound(averages.begin(), averages.end(), *s.lower - 1e-12 * scale);
      if (below != averages.begin()) {
        EXPECT_FALSE(
            accepted(brute_p(d, 0.5 * (*(below - 1) + *s.lower), alternative::two_sided, false), alpha))
            << "n " << n;
      }
      const auto above = std::upper_bound(averages.begin(), averages.end(), *s.upper + 1e-12 * scale);
      if (above != averages.end()) {
        EXPECT_FALSE(accepted(brute_p(d, 0.5 * (*above + *s.upper), alternative::two_sided, false), alpha))
            << "n " << n;
      }
    }
}

// n = 10 to 16, where the test at every gap would take too long: the same check at every gap and
// every average within 4 averages of each endpoint (where the set's edge is decided), and at 8
// random gaps elsewhere, for every alternative, with and without mid-p; one data set per n from 15.
TEST(SignFlipInversion, EqualsTheBruteForceTestNearBothEndpointsUpToN16) {
  std::mt19937_64 rng(41);
  // Sanitizer builds, ten times slower, stop at 14; the release suite runs 15 and 16 too.
  const std::size_t largest = resample::test::sanitizer_slowdown > 1 ? 14 : 16;
  for (std::size_t n = 10; n <= largest; ++n)
    for (int rep = 0; rep < (n < 15 ? 2 : 1); ++rep) {
      const auto d = random_data(rng, n);
      auto averages = all_subset_averages(d);
      averages.erase(std::unique(averages.begin(), averages.end()), averages.end());
      const double scale = std::max(1.0, largest_magnitude(d));
      const auto gap = [&](std::size_t i) {  // the open interval left of averages[i]; i = size: right of all
        return i == 0                 ? averages.front() - scale
               : i == averages.size() ? averages.back() + scale
                                      : 0.5 * (averages[i - 1] + averages[i]);
      };
      for (auto alt : {alternative::two_sided, alternative::greater, alternative::less})
        for (bool mid_p : {false, true}) {
          sign_flip_inversion_options o;
          o.level = 0.95, o.alt = alt, o.mid_p = mid_p;
          const auto s = sign_flip_confidence_set(d, o);
          std::map<double, bool> tested;  // each shift through the 2^n patterns once
          const auto test_accepts = [&](double delta) {
            const auto [it, added] = tested.try_emplace(delta, false);
            if (added) it->second = accepted(brute_p(d, delta, alt, mid_p), 0.05);
            return it->second;
          };
          std::vector<std::size_t> checked;  // indices i: gap(i), and averages[i] with its two gaps
          for (const auto& endpoint : {s.lower, s.upper}) {
            if (!endpoint) continue;
            const auto at = static_cast<std::size_t>(
                std::lower_bound(averages.begin(), averages.end(), *endpoint - 1e-12 * scale) -
                averages.begin());
            for (std::size_t i = at > 4 ? at - 4 : 0; i <= std::min(averages.size() - 1, at + 4); ++i)
              checked.push_back(i);
          }
          std::uniform_int_distribution<std::size_t> any(0, averages.size() - 1);
          for (int k = 0; k < 8; ++k) checked.push_back(any(rng));
          for (const std::size_t i : checked) {
            const bool left = test_accepts(gap(i)), right = test_accepts(gap(i + 1));
            ASSERT_EQ(in_set(s, gap(i), scale), left) << "n " << n << " rep " << rep << " gap " << gap(i)
                                                      << " alt " << to_string(alt) << " mid_p " << mid_p;
            ASSERT_EQ(in_set(s, averages[i], scale), test_accepts(averages[i]) || left || right)
                << "n " << n << " rep " << rep << " delta " << averages[i] << " alt " << to_string(alt)
                << " mid_p " << mid_p;
          }
        }
    }
}

// The selection against sorting all 2^n - 1 averages, for every rank of a small n and for ranks
// near both tails (where the sets' endpoints are) up to n = 22.
TEST(SignFlipInversion, SelectionEqualsFullEnumerationUpToN22) {
  std::mt19937_64 rng(41);
  for (std::size_t n : {1, 2, 3, 5, 8}) {
    const auto d = random_data(rng, n);
    const auto averages = all_subset_averages(d);
    for (std::uint64_t k = 1; k <= averages.size(); ++k)
      ASSERT_NEAR(kth_smallest_subset_average(d, k), averages[k - 1],
                  1e-12 * std::max(1.0, largest_magnitude(d)))
          << "n " << n << " k " << k;
  }
  for (std::size_t n : {12, 16, 20, 22}) {
    const auto d = random_data(rng, n);
    const auto averages = all_subset_averages(d);
    const std::uint64_t total = averages.size();
    for (std::uint64_t k :
         {std::uint64_t{1}, std::uint64_t{2}, std::uint64_t{7}, total / 40, total / 2, total - 3, total})
      ASSERT_NEAR(kth_smallest_subset_average(d, k), averages[k - 1],
                  1e-12 * std::max(1.0, largest_magnitude(d)))
          << "n " << n << " k " << k;
  }
}

// The unit of measurement changes nothing: at a power-of-two scale the endpoints scale exactly
// (the bisection and the tolerances scale with the data), at any other scale up to rounding.
TEST(SignFlipInversion, EveryScaleGivesTheScaledSet) {
  std::mt19937_64 rng(53);
  for (std::size_t n : {6, 7, 12, 18}) {
    const auto d = random_data(rng, n);
    const auto base = sign_flip_confidence_set(d);
    ASSERT_TRUE(base.lower && base.upper);
    for (double scale : {0x1p-30, 0x1p20, 1e-9, 1e-3, 7.3, 1e6, 1e12}) {
      std::vector<double> x(d);
      for (double& v : x) v *= scale;
      const auto s = sign_flip_confidence_set(x);
      const bool exact_scale = std::ilogb(scale) == std::log2(scale);
      const double tol = exact_scale ? 0.0 : 1e-12 * largest_magnitude(x);
      EXPECT_NEAR(*s.lower, *base.lower * scale, tol) << "n " << n << " scale " << scale;
      EXPECT_NEAR(*s.upper, *base.upper * scale, tol) << "n " << n << " scale " << scale;
      EXPECT_EQ(s.achieved_level, base.achieved_level);
    }
  }
}

// "p <= alpha" and "the set excludes 0" agree, for the test the CLI runs (sign_flip_test).
TEST(SignFlipInversion, AgreesWithTheSignFlipTestAtZero) {
  std::mt19937_64 rng(67);
  const statistic mean{statistic_kind::mean, 0.0};
  for (int rep = 0; rep < 300; ++rep) {
    std::uniform_int_distribution<std::size_t> size(3, 16);
    auto d = random_data(rng, size(rng));
    if (std::all_of(d.begin(), d.end(), [](double x) { return x == 0.0; })) d[0] = 1.0;
    for (auto alt : {alternative::two_sided, alternative::greater, alternative::less}) {
      sign_flip_inversion_options o;
      o.level = 0.9, o.alt = alt;
      const auto s = sign_flip_confidence_set(d, o);
      const auto t = sign_flip_test(d, mean, alt);
      EXPECT_EQ(in_set(s, 0.0, 1.0), accepted(t.p_value, 0.1)) << "rep " << rep << " " << to_string(alt);
    }
  }
}

TEST(SignFlipInversion, TooFewPatientsAcceptEveryShift) {
  const auto s = sign_flip_confidence_set(std::vector<double>{1.0, 2.0, 3.0, 4.0}, {});
  EXPECT_FALSE(s.lower);
  EXPECT_FALSE(s.upper);
  EXPECT_DOUBLE_EQ(*s.achieved_level, 1.0);
  EXPECT_FALSE(s.notes.empty());
}

TEST(SignFlipInversion, ConstantDataGiveThePoint) {
  const auto s = sign_flip_confidence_set(std::vector<double>(8, 3.25), {});
  EXPECT_EQ(*s.lower, 3.25);
  EXPECT_EQ(*s.upper, 3.25);
}

TEST(SignFlipInversion, RefusesBadInputNamingTheArgument) {
  sign_flip_inversion_options o;
  o.level = 1.0;
  EXPECT_THROW(sign_flip_confidence_set(std::vector<double>{1, 2, 3}, o), invalid_argument);
  EXPECT_THROW(sign_flip_confidence_set(std::vector<double>{}, {}), invalid_argument);
  EXPECT_THROW(sign_flip_confidence_set(std::vector<double>{1, NAN}, {}), invalid_argument);
  o = {};
  o.method = method_choice::exact;
  // Real-valued data past the selection's limit have no exact algorithm (lattice data do).
  std::vector<double> real(sign_flip_inversion_max_exact + 1);
  for (std::size_t i = 0; i < real.size(); ++i) real[i] = std::sin(static_cast<double>(i)) + 0.3;
  EXPECT_THROW(sign_flip_confidence_set(real, o), infeasible_error);
  o.method = method_choice::approximate;
  EXPECT_THROW(sign_flip_confidence_set(std::vector<double>{1, 2, 3}, o), invalid_argument);
}

// Monte Carlo inversion against the exact set, within the endpoints' reported Monte Carlo errors,
// and the same bits for any thread count.
TEST(SignFlipInversion, MonteCarloEndpointsAreWithinTheirErrorOfTheExactSet) {
  std::mt19937_64 rng(71);
  std::normal_distribution<double> normal(0.5, 1.0);
  std::vector<double> d(18);
  for (double& x : d) x = normal(rng);
  for (auto alt : {alternative::two_sided, alternative::greater}) {
    sign_flip_inversion_options o;
    o.alt = alt;
    const auto exact = sign_flip_confidence_set(d, o);
    o.method = method_choice::monte_carlo;
    o.resamples = 200000;
    const auto mc = sign_flip_confidence_set(d, o);
    EXPECT_FALSE(mc.exact);
    ASSERT_TRUE(mc.lower && mc.mc_se_lower);
    EXPECT_GT(*mc.mc_se_lower, 0.0);
    EXPECT_LT(std::fabs(*mc.lower - *exact.lower), 4.0 * *mc.mc_se_lower) << to_string(alt);
    if (alt == alternative::two_sided) {
      ASSERT_TRUE(mc.upper && mc.mc_se_upper);
      EXPECT_LT(std::fabs(*mc.upper - *exact.upper), 4.0 * *mc.mc_se_upper);
    } else {
      EXPECT_FALSE(mc.upper);
    }
    for (unsigned threads : {1u, 2u, 3u}) {
      o.exec.threads = threads;
      const auto again = sign_flip_confidence_set(d, o);
      EXPECT_EQ(again.lower, mc.lower);
      EXPECT_EQ(again.upper, mc.upper);
      EXPECT_EQ(again.mc_se_lower, mc.mc_se_lower);
    }
  }
}

TEST(SignFlipInversion, AboveTheExactLimitAutomaticIsMonteCarloAndSaysSo) {
  std::vector<double> d(60);
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = std::sin(static_cast<double>(i)) + 0.3;
  sign_flip_inversion_options o;
  o.resamples = 20000;
  const auto s = sign_flip_confidence_set(d, o);
  EXPECT_FALSE(s.exact);
  EXPECT_EQ(s.method, "monte_carlo_inversion");
  EXPECT_EQ(s.resamples, 20000u);
  EXPECT_FALSE(s.achieved_level);
  ASSERT_TRUE(s.lower && s.upper);
  EXPECT_LT(*s.lower, s.estimate);
  EXPECT_GT(*s.upper, s.estimate);
}

}  // namespace
}  // namespace resample::inference
