#include "bootstrap/multinomial.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "bootstrap/sampling.hpp"

namespace resample::bootstrap::detail {
namespace {

double binomial_pmf(std::uint64_t n, double p, std::uint64_t k) {
  const double dn = static_cast<double>(n), dk = static_cast<double>(k);
  return std::exp(std::lgamma(dn + 1) - std::lgamma(dk + 1) - std::lgamma(dn - dk + 1) + dk * std::log(p) +
                  (dn - dk) * std::log1p(-p));
}

// Chi-square of observed counts against expected probabilities, bins merged left to right until
// they expect at least 20; fails about 6 standard deviations above the mean of chi2(df).
void expect_chi_square_fits(const std::vector<double>& tally, const std::vector<double>& probability,
                            double draws) {
  double chi2 = 0.0, expected = 0.0, observed = 0.0;
  int bins = 0;
  for (std::size_t k = 0; k < tally.size(); ++k) {
    expected += draws * probability[k];
    observed += tally[k];
    if (expected >= 20 || k + 1 == tally.size()) {
      chi2 += (observed - expected) * (observed - expected) / std::max(expected, 1e-300);
      ++bins;
      expected = observed = 0.0;
    }
  }
  const double df = bins - 1;
  EXPECT_LE(chi2, df + 6 * std::sqrt(2 * df)) << chi2 << " with " << bins << " bins";
}

// Every row of the alias tables against the exact pmf: small and large trials, skewed p, p > 1/2,
// a mean below one success, and the empty row t = 0.
TEST(BootstrapMultinomial, BandTableRowsMatchTheExactPmf) {
  struct band {
    std::uint64_t first, rows;
    double p;
  };
  for (const auto& [first, rows, p] : std::vector<band>{{0, 3, 0.3},
                                                        {995, 10, 5.0 / 11},
                                                        {180, 4, 0.5},
                                                        {1000, 2, 0.01},
                                                        {1000, 1, 0.0004},
                                                        {40, 3, 0.93},
                                                        {100000, 1, 0.45}}) {
    const binomial_band_table table(first, rows, p);
    ASSERT_TRUE(table.valid());
    EXPECT_FALSE(table.covers(first + rows));
    EXPECT_FALSE(table.covers(first - 1));
    bulk_random_stream rng(first + rows, stream_id::bootstrap, static_cast<std::uint64_t>(p * 1e4));
    for (std::uint64_t t = first; t < first + rows; t += std::max<std::uint64_t>(1, rows / 3)) {
      SCOPED_TRACE(std::to_string(t) + " " + std::to_string(p));
      ASSERT_TRUE(table.covers(t));
      const int draws = 200000;
      std::vector<double> tally(t + 1, 0.0), probability(t + 1);
      double total = 0.0;
      for (int i = 0; i < draws; ++i) {
        const auto k = table.draw(rng, t);
        ASSERT_LE(k, t);
        tally[k] += 1;
        total += static_cast<double>(k);
      }
      EXPECT_NEAR(total / draws, t * p, 6 * std::sqrt(t * p * (1 - p) / draws) + 1e-12);
      for (std::uint64_t k = 0; k <= t; ++k) probability[k] = binomial_pmf(t, p, k);
      expect_chi_square_fits(tally, probability, draws);
    }
  }
}

// Two-draw splits, Binomial(base, p) + Binomial(d, p), for trials on and off the grid of bases.
TEST(BootstrapMultinomial, SplitTableMatchesTheExactPmfOnAndOffTheGrid) {
  struct band {
    std::uint64_t first, count;
    double p;
    unsigned shift;
  };
  for (const auto& [first, count, p, shift] :
       std::vector<band>{{990, 21, 5.0 / 11, 3}, {0, 40, 0.2, 4}, {44000, 700, 0.4, 7}, {300, 9, 0.97, 2}}) {
    const binomial_split_table table(first, count, p, shift);
    ASSERT_TRUE(table.valid());
    EXPECT_TRUE(table.two_draws());
    EXPECT_FALSE(table.covers(first + count));
    EXPECT_FALSE(table.covers(first - 1));
    bulk_random_stream rng(first + count, stream_id::bootstrap, shift);
    for (std::uint64_t t :
         {first, first + 1, first + (std::uint64_t{1} << shift) - 1, first + count / 2, first + count - 1}) {
      SCOPED_TRACE(std::to_string(t) + " " + std::to_string(p));
      ASSERT_TRUE(table.covers(t));
      const int draws = 200000;
      std::vector<double> tally(t + 1, 0.0), probability(t + 1);
      for (int i = 0; i < draws; ++i) {
        const auto x = table.draw(rng, t);
        ASSERT_LE(x, t);
        tally[x] += 1;
      }
      for (std::uint64_t x = 0; x <= t; ++x) probability[x] = binomial_pmf(t, p, x);
      expect_chi_square_fits(tally, probability, draws);
    }
  }
}

// The tables cut the tails where they hold less than 2^-56 and draw the rounded masses of the rest:
// every k with a mass of practical size is reachable, so the extreme draws of many runs land where
// the binomial puts them (here about 4.5 standard deviations out, both sides).
TEST(BootstrapMultinomial, BandTableReachesTheTails) {
  const binomial_band_table table(400, 1, 0.5);
  bulk_random_stream rng(11, stream_id::bootstrap, 0);
  std::uint64_t lowest = 400, highest = 0;
  for (int i = 0; i < 1000000; ++i) {
    const auto k = table.draw(rng, 400);
    lowest = std::min(lowest, k);
    highest = std::max(highest, k);
  }
  EXPECT_LT(lowest, 158u);  // P(X < 158) = 1.0e-5 per draw: missed by all 1e6 draws with p = e^-10
  EXPECT_GT(highest, 242u);
  EXPECT_GT(lowest, 110u);  // P(X <= 110) = 4e-20
  EXPECT_LT(highest, 290u);
}

// Multinomial counts of an 11-level scale: each count's marginal is Binomial(n, m_j / n), and the
// lattice sum sum_j j X_j (which depends on the joint law) has the n-fold convolution as its law.
// With every split tabulated (one draw each, then mostly two), with some, and with none (BTRD
// throughout).
TEST(BootstrapMultinomial, TabulatedTreeMatchesMarginalsAndTheSumLaw) {
  const std::vector<std::uint32_t> multiplicities{3, 25, 30, 22, 18, 26, 30, 21, 19, 24, 2};
  const std::size_t k = multiplicities.size();
  const std::uint64_t n = std::accumulate(multiplicities.begin(), multiplicities.end(), std::uint64_t{0});
  // Exact law of the sum of n draws of the value index j with probability m_j / n.
  std::vector<double> sum_law{1.0};
  for (std::uint64_t i = 0; i < n; ++i) {
    std::vector<double> next(sum_law.size() + k - 1, 0.0);
    for (std::size_t s = 0; s < sum_law.size(); ++s)
      for (std::size_t j = 0; j < k; ++j)
        next[s + j] += sum_law[s] * multiplicities[j] / static_cast<double>(n);
    sum_law.swap(next);
  }
  for (std::size_t budget :
       {multinomial_sampler::default_table_entries, std::size_t{6000}, std::size_t{2000}, std::size_t{0}}) {
    SCOPED_TRACE(budget);
    const multinomial_sampler sampler(multiplicities, budget);
    if (budget == multinomial_sampler::default_table_entries) {
      EXPECT_EQ(sampler.tabulated_splits(), k - 1);
      EXPECT_EQ(sampler.two_draw_splits(), 0u);
    }
    if (budget == 6000) {
      EXPECT_EQ(sampler.tabulated_splits(), k - 1);
      EXPECT_GT(sampler.two_draw_splits(), 0u);
    }
    if (budget == 2000) {
      EXPECT_GT(sampler.tabulated_splits(), 0u);
      EXPECT_LT(sampler.tabulated_splits(), k - 1);
    }
    bulk_random_stream rng(5, stream_id::bootstrap, budget);
    const int draws = 200000;
    std::vector<std::vector<double>> marginal(k, std::vector<double>(n + 1, 0.0));
    std::vector<double> sums(sum_law.size(), 0.0);
    std::vector<std::uint32_t> counts(k);
    for (int i = 0; i < draws; ++i) {
      sampler.draw(rng, n, counts);
      std::uint64_t total = 0, s = 0;
      for (std::size_t j = 0; j < k; ++j) {
        total += counts[j];
        s += j * counts[j];
        marginal[j][counts[j]] += 1;
      }
      ASSERT_EQ(total, n);
      sums[s] += 1;
    }
    for (std::size_t j = 0; j < k; ++j) {
      SCOPED_TRACE(j);
      std::vector<double> probability(n + 1);
      for (std::uint64_t c = 0; c <= n; ++c)
        probability[c] = binomial_pmf(n, multiplicities[j] / static_cast<double>(n), c);
      expect_chi_square_fits(marginal[j], probability, draws);
    }
    expect_chi_square_fits(sums, sum_law, draws);
  }
}

// A table that costs more to build than it saves over the expected draws is left out.
TEST(BootstrapMultinomial, TablesOnlyWhereTheDrawsPayForThem) {
  const std::vector<std::uint32_t> multiplicities{3, 25, 30, 22, 18, 26, 30, 21, 19, 24, 2};
  EXPECT_EQ(
      multinomial_sampler(multiplicities, multinomial_sampler::default_table_entries, 10).tabulated_splits(),
      0u);
  const multinomial_sampler few(multiplicities, multinomial_sampler::default_table_entries, 200);
  EXPECT_GT(few.tabulated_splits(), 0u);
  EXPECT_GT(few.two_draw_splits(), 0u);
  const multinomial_sampler many(multiplicities, multinomial_sampler::default_table_entries, 1000000);
  EXPECT_EQ(many.tabulated_splits(), multiplicities.size() - 1);
  EXPECT_EQ(many.two_draw_splits(), 0u);
}

// Any trials, not only the tabulated n: counts outside the bands fall back to BTRD.
TEST(BootstrapMultinomial, TreeMultinomialHasTheRightMeansForAnyTrials) {
  const std::vector<std::uint32_t> multiplicities{1, 3, 6, 2, 8};
  for (std::size_t budget : {std::size_t{0}, multinomial_sampler::default_table_entries}) {
    const multinomial_sampler sampler(multiplicities, budget);
    for (std::uint32_t trials : {20u, 7u, 300u}) {
      SCOPED_TRACE(std::to_string(budget) + " " + std::to_string(trials));
      bulk_random_stream rng(4, stream_id::bootstrap, trials);
      std::vector<std::uint32_t> counts(5);
      std::vector<double> sums(5, 0.0);
      const int draws = 20000;
      for (int i = 0; i < draws; ++i) {
        sampler.draw(rng, trials, counts);
        std::uint32_t total = 0;
        for (int j = 0; j < 5; ++j) {
          total += counts[j];
          sums[j] += counts[j];
        }
        ASSERT_EQ(total, trials);
      }
      for (int j = 0; j < 5; ++j) {
        const double p = multiplicities[j] / 20.0;
        EXPECT_NEAR(sums[j] / draws, trials * p, 5 * std::sqrt(trials * p * (1 - p) / draws));
      }
    }
  }
}

}  // namespace
}  // namespace resample::bootstrap::detail
