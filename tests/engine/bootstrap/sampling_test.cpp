#include "bootstrap/sampling.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "bootstrap/multinomial.hpp"

namespace resample::bootstrap::detail {
namespace {

// Under the null a chi-square statistic has mean df and SD sqrt(2 df): 6 SD above the mean, a
// sound sampler all but never fails, while a biased or repeated value blows the statistic up.
void expect_plausible_chi_square(double chi2, double df) {
  EXPECT_LT(chi2, df + 6 * std::sqrt(2 * df)) << "chi-square " << chi2 << " with " << df << " df";
}

// Chi-square of a tally of draws (tally[k]: how many were k) against the binomial(n, p) pmf, with
// neighbouring values merged into bins of expected count >= 20 so that the statistic is chi-square.
void expect_binomial_pmf(const std::vector<double>& tally, std::uint64_t n, double p) {
  double draws = 0.0;
  for (double t : tally) draws += t;
  auto pmf = [&](std::uint64_t k) {
    const double dn = static_cast<double>(n), dk = static_cast<double>(k);
    return std::exp(std::lgamma(dn + 1) - std::lgamma(dk + 1) - std::lgamma(dn - dk + 1) + dk * std::log(p) +
                    (dn - dk) * std::log1p(-p));
  };
  double chi2 = 0.0, expected = 0.0, observed = 0.0;
  int bins = 0;
  for (std::uint64_t k = 0; k <= n; ++k) {
    expected += draws * pmf(k);
    observed += tally[k];
    if (expected >= 20 || k == n) {
      chi2 += (observed - expected) * (observed - expected) / std::max(expected, 1e-300);
      ++bins;
      expected = observed = 0.0;
    }
  }
  expect_plausible_chi_square(chi2, bins - 1);
}

// Draws 20000 resamples of SIZE: every one must have SIZE values, and value j must come
// SIZE m_j / sum(m) times on average, within 5 SD of the mean count.
void expect_multinomial_means(const multinomial_sampler& sampler,
                              const std::vector<std::uint32_t>& multiplicities, std::size_t size,
                              std::uint64_t seed) {
  bulk_random_stream rng(seed, stream_id::bootstrap, 0);
  std::vector<std::uint32_t> counts(multiplicities.size());
  std::vector<double> sums(multiplicities.size(), 0.0);
  const int draws = 20000;
  for (int i = 0; i < draws; ++i) {
    sampler.draw(rng, size, counts);
    std::size_t total = 0;
    for (std::size_t j = 0; j < counts.size(); ++j) {
      total += counts[j];
      sums[j] += counts[j];
    }
    ASSERT_EQ(total, size);
  }
  double all = 0.0;
  for (auto m : multiplicities) all += m;
  const double n = static_cast<double>(size);
  for (std::size_t j = 0; j < counts.size(); ++j) {
    const double p = multiplicities[j] / all;
    EXPECT_NEAR(sums[j] / draws, n * p, 5 * std::sqrt(n * p * (1 - p) / draws)) << "value " << j;
  }
}

TEST(BootstrapSampling, BulkStreamEqualsRandomStreamWordForWord) {
  random_stream one(20020, stream_id::bootstrap, 5);
  bulk_random_stream bulk(20020, stream_id::bootstrap, 5);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(one(), bulk()) << i;
}

// Chi-square check of the digits (bound 6: 24 digits a word; bound 1000: 6 a word) in both the
// single and the interleaved bulk form; a biased or repeated digit would blow the statistic up.
TEST(BootstrapSampling, DigitsAreUniform) {
  for (std::uint64_t bound : {2u, 6u, 216u, 1000u}) {
    SCOPED_TRACE(bound);
    digit_source digits(bound);
    bulk_random_stream rng(7, stream_id::bootstrap, 0);
    std::vector<double> tally(bound, 0.0);
    std::vector<std::uint32_t> buffer(997);
    const std::size_t rounds = 400 * bound / 997 + 200;
    for (std::size_t r = 0; r < rounds; ++r) {
      digits.fill(rng, buffer.data(), buffer.size());
      for (auto d : buffer) {
        ASSERT_LT(d, bound);
        tally[d] += 1;
      }
      tally[digits.next(rng)] += 1;
    }
    const double total = static_cast<double>(rounds * 998);
    double chi2 = 0.0;
    for (double t : tally) chi2 += (t - total / bound) * (t - total / bound) / (total / bound);
    expect_plausible_chi_square(chi2, static_cast<double>(bound - 1));
  }
}

TEST(BootstrapSampling, MultinomialCountsHaveTheRightMeans) {
  const std::vector<std::uint32_t> multiplicities{1, 3, 6};
  expect_multinomial_means(multinomial_sampler(multiplicities), multiplicities, 50, 3);
}

}  // namespace
}  // namespace resample::bootstrap::detail

namespace resample::bootstrap::detail {
namespace {

// Chi-square of binomial_sampler against the exact pmf, tails merged into bins of expected >= 20.
// Covers inversion (n p < 10), the BTRD box, the recursion and the Stirling branches, and p > 1/2.
TEST(BootstrapSampling, BinomialSamplerMatchesTheExactPmf) {
  struct parameters {
    std::uint64_t n;
    double p;
  };
  for (const auto& [n, p] : std::vector<parameters>{{20, 0.2},
                                                    {9, 0.5},
                                                    {40, 0.3},
                                                    {1000, 0.09},
                                                    {1000, 0.7},
                                                    {100000, 0.1},
                                                    {12, 0.9},
                                                    {3000, 0.001}}) {
    SCOPED_TRACE(std::to_string(n) + " " + std::to_string(p));
    const int draws = 200000;
    bulk_random_stream rng(n, stream_id::bootstrap, static_cast<std::uint64_t>(p * 1000));
    std::vector<double> tally(n + 1, 0.0);
    double total = 0.0;
    for (int i = 0; i < draws; ++i) {
      const auto k = binomial_sampler::draw(rng, n, p);
      ASSERT_LE(k, n);
      tally[k] += 1;
      total += static_cast<double>(k);
    }
    EXPECT_NEAR(total / draws, n * p, 6 * std::sqrt(n * p * (1 - p) / draws));
    expect_binomial_pmf(tally, n, p);
  }
}

}  // namespace
}  // namespace resample::bootstrap::detail
