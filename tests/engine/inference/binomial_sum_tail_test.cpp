#include "resample/inference/binomial_sum_tail.hpp"

#include <gtest/gtest.h>
#include <oneapi/tbb/task_arena.h>

#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "resample/error.hpp"
#include "resample/inference/lattice_null.hpp"
#include "support/sanitizer_slowdown.hpp"

namespace resample::inference {
namespace {

const alternative alternatives[] = {alternative::two_sided, alternative::greater, alternative::less};

std::vector<std::uint64_t> expand(const std::vector<swing_group>& groups) {
  std::vector<std::uint64_t> swings;
  for (const auto& g : groups) swings.insert(swings.end(), g.count, g.swing);
  return swings;
}

// All 2^M sign patterns, counted: P(more extreme), P(equally extreme).
tail_probability brute_force(const std::vector<std::uint64_t>& swings, std::uint64_t observed,
                             alternative alt) {
  std::uint64_t total = 0;
  for (auto a : swings) total += a;
  const auto o = static_cast<std::int64_t>(observed), A = static_cast<std::int64_t>(total);
  std::uint64_t more = 0, equal = 0;
  const std::uint64_t patterns = std::uint64_t{1} << swings.size();
  for (std::uint64_t mask = 0; mask < patterns; ++mask) {
    std::int64_t s = 0;
    for (std::size_t i = 0; i < swings.size(); ++i)
      if ((mask >> i) & 1) s += static_cast<std::int64_t>(swings[i]);
    std::int64_t key = s, reference = o;
    if (alt == alternative::less) key = -s, reference = -o;
    if (alt == alternative::two_sided) key = std::abs(2 * s - A), reference = std::abs(2 * o - A);
    more += key > reference;
    equal += key == reference;
  }
  return {static_cast<long double>(more) / patterns, static_cast<long double>(equal) / patterns};
}

// |computed - exact| within the reported bound, for the p-value and for its two parts. The
// reference's own rounding is allowed on top: `reference_error` relative.
void expect_within_bound(const binomial_sum_tail_result& r, const tail_probability& exact, const char* what,
                         long double reference_error) {
  const long double p = r.tail.more + r.tail.equal, expected = exact.more + exact.equal;
  EXPECT_LE(std::fabs(p - expected), r.relative_error_bound * p + reference_error * expected) << what;
  EXPECT_NEAR(static_cast<double>(r.tail.more / (exact.more + exact.equal)),
              static_cast<double>(exact.more / (exact.more + exact.equal)), 1e-6)
      << what;
}

TEST(BinomialSumTail, EqualsBruteForceOverAllSignPatterns) {
  const std::vector<std::vector<swing_group>> cases{
      {{1, 6}},                                    // the sign test's binomial
      {{3, 4}, {8, 5}, {13, 3}},                   // doubled midranks of three tie groups
      {{2, 2}, {5, 1}, {9, 3}, {14, 4}, {20, 2}},  // ties, singletons, common factor absent
      {{4, 3}, {10, 6}, {18, 5}},                  // common factor 2
      {{1, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 1}, {6, 1}, {7, 1}, {8, 1}, {9, 1}, {10, 1}, {11, 1}, {12, 1}}};
  for (const auto& groups : cases) {
    const auto swings = expand(groups);
    std::uint64_t total = 0;
    for (auto a : swings) total += a;
    const subset_sum_null null(swings, true);
    for (std::uint64_t observed = 0; observed <= total; observed += null.step()) {
      if (null.probability(observed) == 0.0L) continue;  // not a value S can take
      for (auto alt : alternatives) {
        const auto r = binomial_sum_tail(groups, observed, alt);
        const auto exact = brute_force(swings, observed, alt);
        expect_within_bound(r, exact, "brute force", 0.0L);
        EXPECT_NEAR(static_cast<double>(r.tail.more + r.tail.equal),
                    static_cast<double>(exact.more + exact.equal), 1e-13);
        EXPECT_NEAR(static_cast<double>(r.tail.equal), static_cast<double>(exact.equal), 1e-13);
      }
    }
  }
}

// Ordinal differences: |d| in 0..10, tie groups of the doubled midranks (Pratt: zeros ranked).
std::vector<swing_group> ordinal_groups(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> magnitude(0, 10);
  std::vector<std::uint64_t> count(11, 0);
  for (std::size_t i = 0; i < n; ++i) ++count[static_cast<std::size_t>(magnitude(rng))];
  std::vector<swing_group> groups;
  std::uint64_t below = 0;
  for (std::size_t v = 0; v < 11; ++v) {
    if (v > 0 && count[v] > 0) groups.push_back({2 * below + count[v] + 1, count[v]});
    below += count[v];
  }
  return groups;
}

TEST(BinomialSumTail, EqualsTheDenseTableFromCentreToFarTail) {
  // n = 1500 takes 20 s under a sanitizer (the table's 1e9 additions); 700 checks the same code.
  const std::vector<std::size_t> sizes = resample::test::sanitizer_slowdown > 1
                                             ? std::vector<std::size_t>{120, 700}
                                             : std::vector<std::size_t>{120, 700, 1500};
  for (std::size_t n : sizes) {
    const auto groups = ordinal_groups(n, n);
    const auto swings = expand(groups);
    // The double table: each entry is a sum of at most n positive terms, so its rounding is
    // below n u = 2e-13 relative (tails here stay far above its 2^-1000 flushing).
    const subset_sum_null null(swings);
    const std::uint64_t A = null.total(), g = null.step();
    // Observed values from the centre outwards, down to tails of about 1e-250.
    for (double offset : {0.0, 0.001, 0.01, 0.03, 0.06, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5}) {
      const auto raw = static_cast<std::uint64_t>(static_cast<double>(A) * (0.5 + offset));
      std::uint64_t observed = raw / g * g;
      while (null.probability(observed) == 0.0L && observed > 0) observed -= g;
      for (auto alt : alternatives) {
        const auto r = binomial_sum_tail(groups, observed, alt);
        const auto exact = null.tail(observed, alt);
        if (exact.more + exact.equal < 1e-250L) continue;
        expect_within_bound(r, exact, "dense table", 1e-12L);
        // What the Wilcoxon output promises: at most 1e-9 relative.
        EXPECT_LT(r.relative_error_bound, 1e-9) << n << " " << offset;
      }
    }
  }
}

TEST(BinomialSumTail, ResultDoesNotDependOnThreads) {
  const auto groups = ordinal_groups(3000, 9);
  std::uint64_t A = 0;
  for (const auto& g : groups) A += g.swing * g.count;
  const std::uint64_t observed = A / 2 + A / 40;
  binomial_sum_tail_result one, two;
  tbb::task_arena(1).execute([&] { one = binomial_sum_tail(groups, observed, alternative::two_sided); });
  tbb::task_arena(2).execute([&] { two = binomial_sum_tail(groups, observed, alternative::two_sided); });
  EXPECT_EQ(one.tail.more, two.tail.more);
  EXPECT_EQ(one.tail.equal, two.tail.equal);
  EXPECT_EQ(one.relative_error_bound, two.relative_error_bound);
  EXPECT_GT(one.points, 1000u);
}

TEST(BinomialSumTail, PortableAndAutomaticKernelsGiveTheSameBits) {
  const auto groups = ordinal_groups(1200, 11);
  std::uint64_t A = 0;
  for (const auto& g : groups) A += g.swing * g.count;
  std::uint64_t step = 0;
  for (const auto& g : groups) step = std::gcd(step, g.swing);
  for (std::uint64_t observed : {A / 2 + 1, A / 2 + A / 50, A / 2 + A / 8}) {
    observed -= observed % step;  // a multiple of every swing's common factor: a value S takes
    for (auto alt : alternatives) {
      const auto automatic = binomial_sum_tail(groups, observed, alt, inversion_kernel::automatic);
      const auto portable = binomial_sum_tail(groups, observed, alt, inversion_kernel::portable);
      EXPECT_EQ(automatic.tail.more, portable.tail.more);
      EXPECT_EQ(automatic.tail.equal, portable.tail.equal);
      EXPECT_EQ(automatic.relative_error_bound, portable.relative_error_bound);
    }
  }
}

TEST(BinomialSumTail, BadInput) {
  EXPECT_THROW(binomial_sum_tail(std::vector<swing_group>{}, 0, alternative::greater), invalid_argument);
  EXPECT_THROW(binomial_sum_tail(std::vector<swing_group>{{0, 2}}, 0, alternative::greater),
               invalid_argument);
  EXPECT_THROW(binomial_sum_tail(std::vector<swing_group>{{2, 0}}, 0, alternative::greater),
               invalid_argument);
  // 3 is not a multiple of the common swing 2, and 9 is past the total 8.
  EXPECT_THROW(binomial_sum_tail(std::vector<swing_group>{{2, 4}}, 3, alternative::greater),
               invalid_argument);
  EXPECT_THROW(binomial_sum_tail(std::vector<swing_group>{{2, 4}}, 9, alternative::greater),
               invalid_argument);
  EXPECT_THROW(group_swings(std::vector<std::uint64_t>{1, 0}), invalid_argument);
  // Past the group limit: infinite work, and a refusal that says what to use.
  std::vector<swing_group> many;
  for (std::uint64_t a = 1; a <= binomial_sum_max_groups + 1; ++a) many.push_back({a, 1});
  EXPECT_TRUE(std::isinf(binomial_sum_tail_work(many, 1, alternative::greater)));
  EXPECT_THROW(binomial_sum_tail(many, 1, alternative::greater), infeasible_error);
}

}  // namespace
}  // namespace resample::inference
