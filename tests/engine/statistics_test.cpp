#include "resample/statistics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "support/paper_table.hpp"

namespace resample {
namespace {

// Direct definitions on a plain sorted vector, independent of the multiset kernels.
double direct_median(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  const std::size_t n = x.size();
  return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

double direct_hl(const std::vector<double>& x) {
  std::vector<double> walsh;
  for (std::size_t i = 0; i < x.size(); ++i)
    for (std::size_t j = i; j < x.size(); ++j) walsh.push_back(0.5 * (x[i] + x[j]));
  return direct_median(walsh);
}

TEST(Statistics, PaperPainReductions) {
  const std::vector<double>& pain = resample::test::paper::pain;
  EXPECT_DOUBLE_EQ(evaluate(parse_statistic("mean"), pain), 6.5);
  EXPECT_DOUBLE_EQ(evaluate(parse_statistic("median"), pain), 7.0);
  EXPECT_DOUBLE_EQ(evaluate(parse_statistic("prop_ge:3"), pain), 5.0 / 6.0);
  EXPECT_DOUBLE_EQ(evaluate(parse_statistic("hl"), pain), direct_hl(pain));
  EXPECT_DOUBLE_EQ(evaluate(parse_statistic("trimmed:0.2"), pain), (4 + 6 + 8 + 9) / 4.0);
  EXPECT_DOUBLE_EQ(evaluate(parse_statistic("sd"), pain),
                   std::sqrt(47.5 / 5));  // squares about 6.5 sum to 47.5
}

TEST(Statistics, MultisetKernelsAgreeWithDirectDefinitionsOnTies) {
  const std::vector<std::vector<double>> samples{
      {1, 1, 1, 0, 0, 3}, {5, 5}, {-2.5, 3, 3, 3, 7, -2.5, 0}, {4}};
  for (const auto& x : samples) {
    EXPECT_DOUBLE_EQ(evaluate(parse_statistic("median"), x), direct_median(x));
    EXPECT_DOUBLE_EQ(evaluate(parse_statistic("hl"), x), direct_hl(x));
    EXPECT_NEAR(evaluate(parse_statistic("mean"), x), std::accumulate(x.begin(), x.end(), 0.0) / x.size(),
                1e-12);
  }
}

// Beyond 32 Walsh averages the kernel selects instead of sorting (statistics.hpp, select_weighted):
// bit for bit the median of every Walsh average written out, on ties, zeros, constant and two-valued
// samples, negative and real values, at sizes where the selection runs many rounds.
TEST(Statistics, HodgesLehmannBySelectionEqualsTheSortedWalshAverages) {
  std::uint64_t state = 12345;
  const auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  for (std::size_t n : {8u, 9u, 10u, 40u, 41u, 150u, 401u}) {
    std::vector<std::vector<double>> samples(5);
    for (std::size_t i = 0; i < n; ++i) {
      samples[0].push_back(static_cast<double>(next() % 7) - 3.0);                  // many ties
      samples[1].push_back(static_cast<double>(next() % 1000000) / 7919.0 - 60.0);  // real-valued
      samples[2].push_back(1.25);                                                   // constant
      samples[3].push_back(next() % 2 ? -0.5 : 4.0);                                // two values
      samples[4].push_back(static_cast<double>(next() % 21) * 0.25);                // zeros, quarters
    }
    for (const auto& x : samples) {
      SCOPED_TRACE(n);
      EXPECT_EQ(evaluate(parse_statistic("hl"), x), direct_hl(x));
    }
  }
}

// The paired effect sizes by hand (statistical-conventions.md, "Paired effect sizes").
TEST(Statistics, EffectSizesEqualTheirDefinitionsOnHandCheckedCases) {
  const auto r = parse_statistic("rank_biserial"), ps = parse_statistic("superiority");
  // |d| = 2, 1, 0, 3, 3: midranks 3, 2, 1, 4.5, 4.5; T+ = 3 + 4.5, T- = 2 + 4.5 (the zero is
  // ranked and in neither sum).
  const std::vector<double> mixed{2, -1, 0, 3, -3};
  EXPECT_DOUBLE_EQ(evaluate(r, mixed), (7.5 - 6.5) / (7.5 + 6.5));
  EXPECT_DOUBLE_EQ(evaluate(ps, mixed), (2 + 0.5) / 5);
  // The paper's repeat treatment: every pain reduction positive; mobility 1, 1, 1, 0, 0, 3.
  EXPECT_DOUBLE_EQ(evaluate(r, std::vector<double>{2, 9, 8, 10, 6, 4}), 1.0);
  EXPECT_DOUBLE_EQ(evaluate(ps, std::vector<double>{2, 9, 8, 10, 6, 4}), 1.0);
  EXPECT_DOUBLE_EQ(evaluate(r, std::vector<double>{1, 1, 1, 0, 0, 3}), 1.0);
  EXPECT_DOUBLE_EQ(evaluate(ps, std::vector<double>{1, 1, 1, 0, 0, 3}), 5.0 / 6.0);
  // Ties across signs: |d| = 1, 1, 1, 2 -> midranks 2, 2, 2, 4; T+ = 2 + 2 + 4, T- = 2.
  EXPECT_DOUBLE_EQ(evaluate(r, std::vector<double>{1, -1, 1, 2}), (8.0 - 2.0) / 10.0);
  EXPECT_DOUBLE_EQ(evaluate(r, std::vector<double>{0, 0}), 0.0);  // nothing ranks either way
  // Unit-free: any scale, and negation negates r.
  for (double scale : {1e-9, 3.7, 1e12}) {
    std::vector<double> x(mixed);
    for (double& v : x) v *= scale;
    EXPECT_EQ(evaluate(r, x), evaluate(r, mixed));
    EXPECT_EQ(evaluate(ps, x), evaluate(ps, mixed));
    for (double& v : x) v = -v;
    EXPECT_EQ(evaluate(r, x), -evaluate(r, mixed));
  }
}

TEST(Statistics, ParseRoundTripsAndRejectsUnknown) {
  for (const char* spec :
       {"mean", "median", "trimmed:0.1", "sd", "prop_ge:3", "hl", "superiority", "rank_biserial"})
    EXPECT_EQ(to_string(parse_statistic(spec)), spec);
  EXPECT_THROW(parse_statistic("mode"), invalid_argument);
  EXPECT_THROW(parse_statistic("trimmed"), invalid_argument);
  EXPECT_THROW(parse_statistic("trimmed:0.5"), invalid_argument);
  EXPECT_THROW(parse_statistic("mean:2"), invalid_argument);
  EXPECT_THROW(parse_statistic("prop_ge:x"), invalid_argument);
  EXPECT_THROW(evaluate(parse_statistic("sd"), std::vector<double>{1.0}), invalid_argument);
}

}  // namespace
}  // namespace resample
