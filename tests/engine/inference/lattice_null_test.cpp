#include "resample/inference/lattice_null.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "resample/inference/rank_tests.hpp"
#include "resample/inference/sign_flip.hpp"

namespace resample::inference {
namespace {

TEST(SubsetSumNull, FastTableMatchesExtendedCounts) {
  std::vector<std::uint64_t> swings;
  for (std::uint64_t i = 1; i <= 1200; ++i)
    swings.push_back(1 + i % 7);  // past one rescale of the fast table
  const subset_sum_null fast(swings), extended(swings, true);
  ASSERT_EQ(fast.total(), extended.total());
  for (std::uint64_t s = 0; s <= fast.total(); ++s) {
    const long double e = extended.probability(s);
    if (e > 1e-250L) {
      EXPECT_NEAR(static_cast<double>(fast.probability(s) / e), 1.0, 1e-10) << s;
    }
  }
}

TEST(SubsetSumNull, BinomialCountsForUnitSwings) {
  const std::vector<std::uint64_t> swings(10, 1);
  const subset_sum_null null(swings);
  for (std::uint64_t s = 0; s <= 10; ++s)
    EXPECT_NEAR(static_cast<double>(null.probability(s)),
                std::tgamma(11.0) / std::tgamma(s + 1.0) / std::tgamma(11.0 - s) / 1024, 1e-15);
}

TEST(SubsetSumNull, TinyTailsAreRecomputedInExtendedPrecision) {
  // 1000 equal positive differences: only the all-positive pattern reaches the observed sum.
  const std::vector<double> d(1000, 2.0);
  sign_flip_options o;
  o.method = method_choice::exact;
  const auto r = sign_flip_test(d, parse_statistic("mean"), alternative::greater, o);
  EXPECT_EQ(r.method, "lattice_dp");
  EXPECT_NEAR(r.p_value / std::ldexp(1.0, -1000), 1.0, 1e-12);
  wilcoxon_options w;
  w.method = method_choice::exact;
  const auto v = wilcoxon_test(d, alternative::greater, w);
  EXPECT_NEAR(v.p_value / std::ldexp(1.0, -1000), 1.0, 1e-12);
}

}  // namespace
}  // namespace resample::inference
