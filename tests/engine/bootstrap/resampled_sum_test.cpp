#include "bootstrap/resampled_sum.hpp"

#include <gtest/gtest.h>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <cstring>
#include <vector>

#include "resample/error.hpp"

namespace resample::bootstrap::detail {
namespace {

// Sizes that exercise every layout: tail only (n < 4m), whole quads plus a tail, and more quads
// than one refill of the halves buffer (n = 2000: m = 2, 250 quads).
const std::vector<std::size_t> sizes{2, 3, 6, 7, 40, 100, 999, 1000, 1001, 2000, 65536, 100000};

std::vector<double> irregular_scores(std::size_t n) {
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = std::sqrt(2.0 + static_cast<double>(i)) * 1.37 - 3.0;
  return x;
}

TEST(ResampledSum, Avx2AndPortableAgreeBitForBit) {
  if (!resampled_sum::cpu_has_avx2()) GTEST_SKIP() << "this CPU has no AVX2";
  for (std::size_t n : sizes) {
    SCOPED_TRACE(n);
    const auto x = irregular_scores(n);
    const resampled_sum kernel(x);
    const std::uint64_t count = n > 10000 ? 40 : 700;
    std::vector<double> sums_a(count), sums_b(count), squares_a(count), squares_b(count);
    bulk_random_stream rng_a(11, stream_id::bootstrap, n), rng_b(11, stream_id::bootstrap, n);
    ASSERT_TRUE(kernel.draw_avx2(rng_a, count, sums_a.data(), squares_a.data()));
    kernel.draw_portable(rng_b, count, sums_b.data(), squares_b.data());
    EXPECT_EQ(0, std::memcmp(sums_a.data(), sums_b.data(), count * sizeof(double)));
    EXPECT_EQ(0, std::memcmp(squares_a.data(), squares_b.data(), count * sizeof(double)));
    // Both consumed the same words.
    EXPECT_EQ(rng_a(), rng_b());
    // Without squares: the same sums.
    bulk_random_stream rng_c(11, stream_id::bootstrap, n);
    std::vector<double> sums_c(count);
    kernel.draw(rng_c, count, sums_c.data(), nullptr);
    EXPECT_EQ(0, std::memcmp(sums_a.data(), sums_c.data(), count * sizeof(double)));
  }
}

// Chi-square p-value of observed counts against expected ones (bins with expected >= 5).
double chi_square_p(const std::vector<double>& observed, const std::vector<double>& expected) {
  double chi2 = 0.0;
  for (std::size_t i = 0; i < observed.size(); ++i)
    chi2 += (observed[i] - expected[i]) * (observed[i] - expected[i]) / expected[i];
  const boost::math::chi_squared_distribution<> law(static_cast<double>(observed.size() - 1));
  return boost::math::cdf(boost::math::complement(law, chi2));
}

// With score 1 for patient j and 0 for the rest, a resample's sum is how often j was drawn:
// Binomial(n, 1/n). Checked for the first and the last patient (first quad lane, and the tail or
// the last quad), in both implementations.
TEST(ResampledSum, DrawCountsOfOnePatientAreBinomial) {
  for (std::size_t n : {3u, 7u, 40u, 1001u, 2000u}) {
    for (std::size_t patient : {std::size_t{0}, n - 1}) {
      for (bool portable : {true, false}) {
        if (!portable && !resampled_sum::cpu_has_avx2()) continue;
        SCOPED_TRACE(testing::Message() << "n " << n << " patient " << patient << " portable " << portable);
        std::vector<double> x(n, 0.0);
        x[patient] = 1.0;
        const resampled_sum kernel(x);
        const std::uint64_t count = 20000;
        std::vector<double> sums(count);
        bulk_random_stream rng(5, stream_id::bootstrap, 3);
        if (portable)
          kernel.draw_portable(rng, count, sums.data(), nullptr);
        else
          kernel.draw_avx2(rng, count, sums.data(), nullptr);
        const boost::math::binomial_distribution<> law(static_cast<double>(n), 1.0 / static_cast<double>(n));
        // Bins 0, 1, 2 and >= 3 (expected counts all >= 5 for these n and B).
        std::vector<double> observed(4, 0.0), expected(4, 0.0);
        for (double s : sums) observed[std::min<std::size_t>(static_cast<std::size_t>(s), 3)] += 1;
        for (int k = 0; k < 3; ++k) expected[k] = count * boost::math::pdf(law, k);
        expected[3] = count * boost::math::cdf(boost::math::complement(law, 2));
        EXPECT_GT(chi_square_p(observed, expected), 1e-4);
      }
    }
  }
}

// n = 3 with scores 1, 4, 16: the sum identifies the whole multiset of draws, whose law is the
// multinomial over the 10 multisets of size 3 (brute force over the 27 ordered draws).
TEST(ResampledSum, MultisetsOfThreeHaveTheMultinomialLaw) {
  const std::vector<double> x{1.0, 4.0, 16.0};
  const resampled_sum kernel(x);
  std::vector<double> expected(64, 0.0);
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b)
      for (int c = 0; c < 3; ++c) expected[static_cast<std::size_t>(x[a] + x[b] + x[c])] += 1.0 / 27;
  const std::uint64_t count = 27000;
  std::vector<double> sums(count);
  bulk_random_stream rng(9, stream_id::bootstrap, 0);
  kernel.draw(rng, count, sums.data(), nullptr);
  std::vector<double> observed_bins, expected_bins;
  std::vector<double> observed(64, 0.0);
  for (double s : sums) {
    ASSERT_LT(s, 64.0);
    ASSERT_GT(expected[static_cast<std::size_t>(s)], 0.0) << "impossible sum " << s;
    observed[static_cast<std::size_t>(s)] += 1;
  }
  for (std::size_t s = 0; s < 64; ++s)
    if (expected[s] > 0) {
      observed_bins.push_back(observed[s]);
      expected_bins.push_back(expected[s] * count);
    }
  ASSERT_EQ(observed_bins.size(), 10u);
  EXPECT_GT(chi_square_p(observed_bins, expected_bins), 1e-4);
}

TEST(ResampledSum, RefusesSamplesBelowTwo) {
  const std::vector<double> one{1.0};
  EXPECT_THROW(resampled_sum{one}, resample::invalid_argument);
}

}  // namespace
}  // namespace resample::bootstrap::detail
