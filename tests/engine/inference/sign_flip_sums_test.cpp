#include "inference/sign_flip_sums.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <vector>

#include "inference/sign_flip_detail.hpp"
#include "random_stream.hpp"
#include "resample/error.hpp"
#include "resample/inference/sign_flip.hpp"

namespace resample::inference {
namespace {

using bootstrap::detail::bulk_random_stream;
using detail::sign_flip_sums;

// Sizes around every boundary of the layout: a part of one lane group, whole and partial words,
// and one chunk of 16 words (1024 deltas) of the AVX2 code, or a few.
const std::vector<std::size_t> sizes{1, 2, 15, 16, 17, 63, 64, 65, 1000, 1023, 1024, 1025, 2049, 5000, 10000};

std::vector<double> irregular(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.1, 1.0);
  std::vector<double> d(n);
  for (auto& v : d) v = normal(rng) * std::sqrt(2.0 + static_cast<double>(n));
  return d;
}

TEST(SignFlipSums, Avx2AndPortableAgreeBitForBit) {
  if (!sign_flip_sums::cpu_has_avx2()) GTEST_SKIP() << "this CPU has no AVX2";
  for (std::size_t n : sizes) {
    SCOPED_TRACE(n);
    const auto deltas = irregular(n, n);
    const sign_flip_sums kernel(0.375 * static_cast<double>(n), deltas);
    // Not a multiple of the AVX2 batch of 8 patterns.
    const std::uint64_t count = n > 4000 ? 43 : 301;
    std::vector<double> a(count), b(count);
    bulk_random_stream rng_a(5, stream_id::sign_flip, n), rng_b(5, stream_id::sign_flip, n);
    ASSERT_TRUE(kernel.draw_avx2(rng_a, count, a.data()));
    kernel.draw_portable(rng_b, count, b.data());
    EXPECT_EQ(0, std::memcmp(a.data(), b.data(), count * sizeof(double)));
    // Both consumed the same words.
    EXPECT_EQ(rng_a(), rng_b());
    // Cut into calls of 1, 8 and the rest: the same patterns.
    bulk_random_stream rng_c(5, stream_id::sign_flip, n);
    std::vector<double> c(count);
    kernel.draw(rng_c, 1, c.data());
    kernel.draw(rng_c, 8, c.data() + 1);
    kernel.draw(rng_c, count - 9, c.data() + 9);
    EXPECT_EQ(0, std::memcmp(a.data(), c.data(), count * sizeof(double)));
  }
}

// With delta 1 at position j and 0 elsewhere, a pattern's sum is its sign bit j: the kernel flips
// exactly the differences that the direct loop over random_stream flips (word k bit i flips
// difference 64k + i, ceil(m/64) words per pattern), in both implementations.
TEST(SignFlipSums, FlipsTheBitsOfTheDirectLoop) {
  for (bool portable : {true, false}) {
    if (!portable && !sign_flip_sums::cpu_has_avx2()) continue;
    SCOPED_TRACE(portable ? "portable" : "avx2");
    for (std::size_t m : {1, 64, 65, 200, 2100}) {
      for (std::size_t j : {std::size_t{0}, m / 2, m - 1}) {
        SCOPED_TRACE(testing::Message() << "m " << m << " j " << j);
        std::vector<double> deltas(m, 0.0);
        deltas[j] = 1.0;
        const sign_flip_sums kernel(0.0, deltas);
        const std::uint64_t count = 50;
        std::vector<double> sums(count);
        bulk_random_stream rng(9, stream_id::sign_flip, 3);
        if (portable)
          kernel.draw_portable(rng, count, sums.data());
        else
          ASSERT_TRUE(kernel.draw_avx2(rng, count, sums.data()));
        random_stream direct(9, stream_id::sign_flip, 3);
        for (std::uint64_t r = 0; r < count; ++r) {
          std::uint64_t bit = 0;
          for (std::size_t i = 0; i < m; ++i) {
            if (i % 64 == 0) {
              const std::uint64_t word = direct();
              if (j / 64 == i / 64) bit = (word >> (j % 64)) & 1u;
            }
          }
          ASSERT_EQ(sums[r], static_cast<double>(bit)) << "pattern " << r;
        }
      }
    }
  }
}

// The flip counts (the Monte Carlo inversion's subset sizes) are the number of the m real
// differences the direct loop flips, padding bits excluded, in both implementations; asking for
// them does not change the sums.
TEST(SignFlipSums, CountsTheFlipsOfTheDirectLoop) {
  for (bool portable : {true, false}) {
    if (!portable && !sign_flip_sums::cpu_has_avx2()) continue;
    SCOPED_TRACE(portable ? "portable" : "avx2");
    for (std::size_t m : {1, 63, 64, 65, 200, 2100}) {
      SCOPED_TRACE(m);
      const auto deltas = irregular(m, m + 1);
      const sign_flip_sums kernel(0.5, deltas);
      const std::uint64_t count = 37;
      std::vector<double> sums(count), plain(count);
      std::vector<std::uint32_t> flips(count);
      bulk_random_stream rng(11, stream_id::sign_flip_inversion, 4),
          again(11, stream_id::sign_flip_inversion, 4);
      if (portable) {
        kernel.draw_portable(rng, count, sums.data(), flips.data());
        kernel.draw_portable(again, count, plain.data());
      } else {
        ASSERT_TRUE(kernel.draw_avx2(rng, count, sums.data(), flips.data()));
        ASSERT_TRUE(kernel.draw_avx2(again, count, plain.data()));
      }
      EXPECT_EQ(0, std::memcmp(sums.data(), plain.data(), count * sizeof(double)));
      random_stream direct(11, stream_id::sign_flip_inversion, 4);
      for (std::uint64_t r = 0; r < count; ++r) {
        std::uint32_t flipped = 0;
        std::uint64_t word = 0;
        for (std::size_t i = 0; i < m; ++i) {
          if (i % 64 == 0) word = direct();
          flipped += (word >> (i % 64)) & 1u;
        }
        ASSERT_EQ(flips[r], flipped) << "pattern " << r;
      }
    }
  }
}

// The test before this kernel, written out: per pattern, the sequential sum of score(+-d) over
// random_stream's bits, classified with the engine's own rule. The kernel sums in another order,
// so its sums differ by rounding, far inside the equality tolerance: every pattern is classified
// alike, and the tallies (hence the p-values of a seed) are those of the direct loop.
std::vector<std::uint64_t> direct_tallies(const std::vector<double>& d, const statistic& stat,
                                          std::uint64_t seed, std::uint64_t resamples) {
  const auto p = detail::prepare_sign_flip(d, stat, "test");
  const auto cls = detail::make_classifier(p);
  const auto score = [&](double x) {
    return stat.kind == statistic_kind::mean ? x : (x >= stat.parameter ? 1.0 : 0.0);
  };
  detail::tally t;
  for (std::uint64_t block = 0; block < monte_carlo_block_count(resamples); ++block) {
    random_stream stream(seed, stream_id::sign_flip, block);
    const std::uint64_t count = std::min(resamples_per_block, resamples - block * resamples_per_block);
    for (std::uint64_t r = 0; r < count; ++r) {
      double sum = static_cast<double>(p.zeros) * score(0.0);
      std::uint64_t bits = 0;
      for (std::size_t i = 0; i < p.nonzero.size(); ++i) {
        if (i % 64 == 0) bits = stream();
        sum += score((bits >> (i % 64)) & 1u ? -p.nonzero[i] : p.nonzero[i]);
      }
      cls.add(sum, t);
    }
  }
  return {t.greater, t.less, t.equal, t.abs_more, t.abs_equal};
}

TEST(SignFlipMonteCarlo, TalliesEqualTheDirectLoop) {
  auto d = irregular(300, 77);
  d[10] = 0.0;  // a zero keeps its value
  std::vector<double> ints(130);
  std::mt19937_64 rng(4);
  for (auto& v : ints) v = static_cast<double>(static_cast<int>(rng() % 21) - 9);
  sign_flip_options o;
  o.resamples = 2 * resamples_per_block + 1000;
  o.seed = 31;
  for (const auto* data : {&d, &ints})
    for (const char* spec : {"mean", "prop_ge:0.5"}) {
      SCOPED_TRACE(testing::Message() << spec << " n " << data->size());
      const auto stat = parse_statistic(spec);
      const auto partial =
          sign_flip_monte_carlo_blocks(*data, stat, o, 0, monte_carlo_block_count(o.resamples));
      EXPECT_EQ(partial.counts, direct_tallies(*data, stat, o.seed, o.resamples));
    }
}

TEST(SignFlipMonteCarlo, SameResultForOneTwoAndThreeThreads) {
  const auto d = irregular(777, 12);
  sign_flip_options o;
  o.resamples = 5 * resamples_per_block + 77;  // a short last block
  for (const char* spec : {"mean", "prop_ge:0.2"}) {
    SCOPED_TRACE(spec);
    const auto stat = parse_statistic(spec);
    o.exec.threads = 1;
    const auto one = sign_flip_monte_carlo(d, stat, alternative::two_sided, o);
    const auto blocks = sign_flip_monte_carlo_blocks(d, stat, o, 0, monte_carlo_block_count(o.resamples));
    for (std::size_t threads : {2, 3, 0}) {
      SCOPED_TRACE(threads);
      o.exec.threads = threads;
      const auto other = sign_flip_monte_carlo(d, stat, alternative::two_sided, o);
      EXPECT_EQ(0, std::memcmp(&one.p_value, &other.p_value, sizeof(double)));
      ASSERT_TRUE(one.mc_se && other.mc_se);
      EXPECT_EQ(0, std::memcmp(&*one.mc_se, &*other.mc_se, sizeof(double)));
      EXPECT_EQ(blocks.counts,
                sign_flip_monte_carlo_blocks(d, stat, o, 0, monte_carlo_block_count(o.resamples)).counts);
    }
  }
}

// Monte Carlo p within its reported error of the exact p: real values (Gray code, n = 18) and
// integers past the enumeration limits (lattice DP, n = 150, several words per pattern).
TEST(SignFlipMonteCarlo, CloseToExactWithinItsError) {
  std::vector<double> real = irregular(18, 3);
  for (auto& v : real) v += 0.6;
  std::vector<double> ints(150);
  std::mt19937_64 rng(8);
  for (auto& v : ints) v = static_cast<double>(static_cast<int>(rng() % 21) - 9);
  sign_flip_options exact;
  exact.method = method_choice::exact;
  sign_flip_options mc;
  mc.method = method_choice::monte_carlo;
  mc.resamples = 100000;
  for (const auto* data : {&real, &ints})
    for (const char* spec : {"mean", "prop_ge:1"})
      for (auto alt : {alternative::two_sided, alternative::greater, alternative::less}) {
        SCOPED_TRACE(testing::Message() << spec << " n " << data->size() << " alt " << static_cast<int>(alt));
        const auto stat = parse_statistic(spec);
        const auto e = sign_flip_test(*data, stat, alt, exact);
        const auto m = sign_flip_test(*data, stat, alt, mc);
        ASSERT_TRUE(e.exact);
        ASSERT_FALSE(m.exact);
        ASSERT_TRUE(m.mc_se.has_value());
        EXPECT_NEAR(m.p_value, e.p_value, 5 * *m.mc_se + 1.0 / (mc.resamples + 1.0));
      }
}

// The grouped kernel against the exact law of S: all 2^12 sign patterns of 12 magnitudes with ties
// (groups of 5, 4, 2 and 1), for the mean and for a score that only some groups change.
TEST(SignFlipGroupSums, DrawsTheExactNullDistribution) {
  const std::vector<double> magnitudes{1, 1, 1, 1, 1, 2.5, 2.5, 2.5, 2.5, 4, 4, 7};
  const std::size_t m = magnitudes.size();
  for (int kind = 0; kind < 2; ++kind) {
    SCOPED_TRACE(kind == 0 ? "mean" : "prop_ge:2");
    const auto score = [&](double x) { return kind == 0 ? x : (x >= 2.0 ? 1.0 : 0.0); };
    const detail::sign_flip_group_sums kernel(2.0 * score(0.0), magnitudes, score);
    ASSERT_TRUE(kernel.valid());
    EXPECT_EQ(kernel.draws_per_pattern(), kind == 0 ? 4u : 3u);
    std::map<double, double> exact;
    for (std::uint64_t pattern = 0; pattern < (std::uint64_t{1} << m); ++pattern) {
      double s = 2.0 * score(0.0);
      for (std::size_t i = 0; i < m; ++i) s += score((pattern >> i) & 1u ? -magnitudes[i] : magnitudes[i]);
      exact[s] += 1.0 / static_cast<double>(std::uint64_t{1} << m);
    }
    const std::uint64_t draws = 200000;
    std::vector<double> sums(draws);
    bulk_random_stream rng(21, stream_id::sign_flip, 0);
    kernel.draw(rng, draws, sums.data());
    std::map<double, double> seen;
    for (double s : sums) {
      ASSERT_TRUE(exact.count(s)) << s;  // every sum is one of the exact values, bit for bit
      seen[s] += 1.0;
    }
    double chi2 = 0.0;
    std::size_t bins = 0;
    for (const auto& [value, probability] : exact) {
      const double expected = probability * static_cast<double>(draws);
      if (expected < 5) continue;
      chi2 += (seen[value] - expected) * (seen[value] - expected) / expected;
      ++bins;
    }
    const boost::math::chi_squared_distribution<> law(static_cast<double>(bins - 1));
    EXPECT_GT(boost::math::cdf(boost::math::complement(law, chi2)), 1e-4) << chi2 << " over " << bins;
  }
}

TEST(SignFlipGroupSums, CountsDistinctMagnitudesExactly) {
  // Neighbouring doubles are distinct values: grouping never merges by tolerance.
  EXPECT_EQ(detail::distinct_count(std::vector<double>{3, 1, 3, 0.5, std::nextafter(0.5, 1.0), 2}), 5u);
}

// Ordinal differences at n = 3000 (10 distinct |d|: the grouped kernel): Monte Carlo within its
// error of the lattice DP, and the same bits on 1, 2 and 3 threads.
TEST(SignFlipMonteCarlo, GroupedCountsOnOrdinalDataMatchExactAndThreads) {
  std::vector<double> d(3000);
  std::mt19937_64 rng(15);
  for (auto& v : d) v = static_cast<double>(static_cast<int>(rng() % 21) - 10) + (rng() % 9 == 0 ? 1.0 : 0.0);
  sign_flip_options exact;
  exact.method = method_choice::exact;
  sign_flip_options mc;
  mc.method = method_choice::monte_carlo;
  mc.resamples = 3 * resamples_per_block + 5;
  for (const char* spec : {"mean", "prop_ge:2"})
    for (auto alt : {alternative::two_sided, alternative::greater, alternative::less}) {
      SCOPED_TRACE(testing::Message() << spec << " alt " << static_cast<int>(alt));
      const auto stat = parse_statistic(spec);
      const auto e = sign_flip_test(d, stat, alt, exact);
      ASSERT_TRUE(e.exact);
      mc.exec.threads = 1;
      const auto one = sign_flip_test(d, stat, alt, mc);
      ASSERT_TRUE(one.mc_se.has_value());
      EXPECT_NEAR(one.p_value, e.p_value, 5 * *one.mc_se + 1.0 / (mc.resamples + 1.0));
      for (std::size_t threads : {2, 3}) {
        mc.exec.threads = threads;
        const auto other = sign_flip_test(d, stat, alt, mc);
        EXPECT_EQ(0, std::memcmp(&one.p_value, &other.p_value, sizeof(double))) << threads;
      }
    }
}

TEST(SignFlipSums, RefusesNoDeltas) {
  EXPECT_THROW({ const sign_flip_sums kernel(0.0, std::span<const double>{}); }, invalid_argument);
}

}  // namespace
}  // namespace resample::inference
