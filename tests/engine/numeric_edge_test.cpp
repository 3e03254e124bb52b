// Statistics and distributions at the ends of the double range: finite data must give finite,
// accurate results, not an overflowed sum (inf) or an underflowed square (0).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "resample/distribution.hpp"
#include "resample/error.hpp"
#include "resample/statistics.hpp"

namespace resample {
namespace {

double eval(const char* spec, const std::vector<double>& x) { return evaluate(parse_statistic(spec), x); }

TEST(NumericEdges, MeanOfHugeValuesDoesNotOverflow) {
  // 1e308 + 1e308 already exceeds the largest double (about 1.8e308).
  const std::vector<double> x{1e308, 1e308, 1.5e308};
  EXPECT_DOUBLE_EQ(eval("mean", x), 1e308 / 3 * 3.5);
  EXPECT_DOUBLE_EQ(eval("mean", {-1.7e308, -1.7e308, -1.7e308}), -1.7e308);
  EXPECT_DOUBLE_EQ(eval("trimmed:0.2", {1.7e308, 1.7e308, 1.7e308, 1.6e308, 1.7e308}), 1.7e308);
}

TEST(NumericEdges, MedianAndHodgesLehmannOfHugeValues) {
  EXPECT_DOUBLE_EQ(eval("median", {1.7e308, 1.5e308}), 1.6e308);
  EXPECT_DOUBLE_EQ(eval("median", {1.7e308, 1.7e308}), 1.7e308);
  // Walsh averages of {a, b}: a, (a+b)/2, b; their median is (a+b)/2.
  EXPECT_DOUBLE_EQ(eval("hl", {1.7e308, 1.5e308}), 1.6e308);
  EXPECT_DOUBLE_EQ(eval("hl", {-1.7e308, -1.5e308}), -1.6e308);
}

TEST(NumericEdges, StandardDeviationAtBothEndsOfTheRange) {
  // sd of {-a, a} with divisor n - 1 is a * sqrt(2).
  EXPECT_DOUBLE_EQ(eval("sd", {-1e300, 1e300}), 1e300 * std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(eval("sd", {-1e-300, 1e-300}), 1e-300 * std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(eval("sd", {1e200, 1e200, 1e200}), 0.0);
  // The common case is unchanged by the fallback.
  EXPECT_DOUBLE_EQ(eval("sd", {2, 9, 8, 10, 6, 4}), std::sqrt(47.5 / 5));
}

TEST(NumericEdges, StatisticParametersPrintBackExactly) {
  for (const char* spec :
       {"prop_ge:0.12345678901234567", "trimmed:0.30000000000000004", "prop_ge:-1.7976931348623157e+308"}) {
    const statistic s = parse_statistic(spec);
    EXPECT_EQ(parse_statistic(to_string(s)), s) << spec << " printed as " << to_string(s);
  }
  EXPECT_EQ(to_string(parse_statistic("trimmed:0.1")), "trimmed:0.1");
}

TEST(NumericEdges, DistributionWithHugeAndTinyWeights) {
  const auto huge = weighted_distribution::from_atoms({{1, 1e308}, {2, 1e308}, {3, 1e308}});
  ASSERT_EQ(huge.size(), 3u);
  for (const atom& a : huge.atoms()) EXPECT_DOUBLE_EQ(a.weight, 1.0 / 3);

  const auto tiny = weighted_distribution::from_atoms({{1, 1e-320}, {2, 3e-320}});
  ASSERT_EQ(tiny.size(), 2u);
  EXPECT_NEAR(tiny.atoms()[0].weight, 0.25, 1e-3);  // 1e-320 is subnormal: only ~4 digits exist
  EXPECT_NEAR(tiny.atoms()[1].weight, 0.75, 1e-3);
  EXPECT_DOUBLE_EQ(quantile(tiny, 0.5), 2);
}

TEST(NumericEdges, DistributionMomentsOfHugeValues) {
  const auto d = weighted_distribution::from_atoms({{-1.5e308, 1}, {1.5e308, 1}});
  EXPECT_DOUBLE_EQ(mean(d), 0.0);
  EXPECT_DOUBLE_EQ(standard_deviation(d), 1.5e308);
  const auto same = weighted_distribution::from_atoms({{1.7e308, 1}, {1.7e308 * (1 - 1e-12), 1}});
  EXPECT_TRUE(std::isfinite(mean(same)));
  EXPECT_NEAR(mean(same) / 1.7e308, 1.0, 1e-11);
  // Deviations of 1e200 square to 1e400 in a plain computation.
  const auto wide = weighted_distribution::from_atoms({{1e200, 1}, {3e200, 1}});
  EXPECT_DOUBLE_EQ(mean(wide), 2e200);
  EXPECT_DOUBLE_EQ(standard_deviation(wide), 1e200);
}

// Past a few chunks of atoms the checks and the normalisation run in parallel chunks: the first
// bad atom still decides the message, and sorted and shuffled input (integer weights, so that
// every sum is exact) give the same distribution.
TEST(NumericEdges, ManyAtomsCheckedAndMergedAsFew) {
  std::vector<atom> atoms;
  for (int i = 0; i < 300000; ++i)
    atoms.push_back({static_cast<double>(i / 3), static_cast<double>(1 + i % 5)});
  auto bad = atoms;
  bad[200001].weight = -1.0;
  bad[250000].value = std::numeric_limits<double>::infinity();
  EXPECT_THROW(
      {
        try {
          weighted_distribution::from_atoms(bad);
        } catch (const invalid_argument& e) {
          EXPECT_NE(std::string(e.what()).find("negative or non-finite weight"), std::string::npos)
              << e.what();
          throw;
        }
      },
      invalid_argument);
  const auto sorted = weighted_distribution::from_atoms(atoms);
  auto shuffled = atoms;
  std::mt19937_64 rng(3);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  const auto from_shuffled = weighted_distribution::from_atoms(shuffled);
  ASSERT_EQ(sorted.size(), 100000u);
  ASSERT_EQ(from_shuffled.size(), sorted.size());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    ASSERT_EQ(sorted.atoms()[i].value, from_shuffled.atoms()[i].value);
    ASSERT_EQ(sorted.atoms()[i].weight, from_shuffled.atoms()[i].weight);
  }
}

}  // namespace
}  // namespace resample
