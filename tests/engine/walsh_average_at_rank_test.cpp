// walsh_average_at_rank against its brute-force oracle: form every Walsh average with its
// multiplicity, sort, count off the rank. Ties, zero counts, negative values, several scales of the
// same data (the unit must not change which average is selected) and values near the largest
// double (the overflow-free midpoint).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "resample/statistics.hpp"

namespace {

using namespace resample;

// Every average (support[i] + support[j])/2, i <= j, repeated by its multiplicity, sorted.
std::vector<double> all_walsh_averages(const std::vector<double>& support,
                                       const std::vector<std::uint32_t>& counts) {
  constexpr double half_max = std::numeric_limits<double>::max() / 2;
  const bool safe = std::fabs(support.front()) <= half_max && std::fabs(support.back()) <= half_max;
  std::vector<double> out;
  for (std::size_t i = 0; i < support.size(); ++i) {
    const std::uint64_t ci = counts[i];
    for (std::uint64_t r = 0; r < ci * (ci + 1) / 2; ++r) out.push_back(support[i]);
    for (std::size_t j = i + 1; j < support.size(); ++j) {
      const double average = safe ? 0.5 * (support[i] + support[j]) : std::midpoint(support[i], support[j]);
      for (std::uint64_t r = 0; r < ci * counts[j]; ++r) out.push_back(average);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct sample {
  std::vector<double> support;
  std::vector<std::uint32_t> counts;
};

// K sorted distinct values (integers when `lattice`, so that many averages tie) with counts 0-3.
sample random_sample(std::mt19937_64& rng, std::size_t k, bool lattice, double scale) {
  std::uniform_real_distribution<double> real(-5.0, 5.0);
  std::uniform_int_distribution<int> integer(-400, 400);
  std::uniform_int_distribution<std::uint32_t> count(0, 3);
  std::vector<double> values;
  while (values.size() < k) {
    values.push_back(scale * (lattice ? integer(rng) : real(rng)));
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    if (lattice && values.size() >= 801) break;
  }
  sample s{values, std::vector<std::uint32_t>(values.size())};
  for (auto& c : s.counts) c = count(rng);
  s.counts[rng() % s.counts.size()] = 1 + count(rng);  // at least one value present
  return s;
}

TEST(WalshAverageAtRank, EqualsSortingEveryAverageAtEveryRankOfSmallSamples) {
  std::mt19937_64 rng(2002);
  for (int trial = 0; trial < 60; ++trial) {
    const auto s = random_sample(rng, 1 + trial % 40, trial % 3 == 0, 1.0);
    const auto brute = all_walsh_averages(s.support, s.counts);
    for (std::uint64_t r = 0; r < brute.size(); ++r)
      ASSERT_EQ(statistics::walsh_average_at_rank(s.support, s.counts, r), brute[r]) << "trial " << trial;
  }
}

TEST(WalshAverageAtRank, EqualsSortingAtSampledRanksOfLargeSamplesAtEveryScale) {
  std::mt19937_64 rng(2026);
  for (double scale : {1e-6, 1.0, 1e6, 0.1}) {
    for (int trial = 0; trial < 8; ++trial) {
      const auto s = random_sample(rng, 150 + 40 * trial, trial % 2 == 0, scale);
      const auto brute = all_walsh_averages(s.support, s.counts);
      const std::uint64_t step = 1 + brute.size() / 97;
      for (std::uint64_t r = 0; r < brute.size(); r += step)
        ASSERT_EQ(statistics::walsh_average_at_rank(s.support, s.counts, r), brute[r]) << "scale " << scale;
      ASSERT_EQ(statistics::walsh_average_at_rank(s.support, s.counts, brute.size() - 1), brute.back());
    }
  }
}

TEST(WalshAverageAtRank, UsesTheOverflowFreeMidpointNearTheLargestDouble) {
  const double big = std::numeric_limits<double>::max();
  sample s{{-big, -big / 3, 1.0, big / 2, big}, {1, 2, 1, 1, 2}};
  const auto brute = all_walsh_averages(s.support, s.counts);
  for (std::uint64_t r = 0; r < brute.size(); ++r)
    EXPECT_EQ(statistics::walsh_average_at_rank(s.support, s.counts, r), brute[r]);
}

TEST(WalshAverageAtRank, RefusesARankBeyondTheAverages) {
  sample s{{1.0, 2.0}, {1, 1}};
  EXPECT_THROW(statistics::walsh_average_at_rank(s.support, s.counts, 3), invalid_argument);
  EXPECT_NO_THROW(statistics::walsh_average_at_rank(s.support, s.counts, 2));
}

// The hl kernel switches to the implicit selection at walsh_implicit_selection_from support values:
// on either side it is the median of the sorted averages.
TEST(WalshAverageAtRank, HlKernelIsTheMedianOfTheSortedAveragesOnBothSidesOfTheSwitch) {
  std::mt19937_64 rng(6);
  for (std::size_t k :
       {statistics::walsh_implicit_selection_from - 1, statistics::walsh_implicit_selection_from,
        statistics::walsh_implicit_selection_from + 77}) {
    for (bool lattice : {false, true}) {
      auto s = random_sample(rng, k, lattice, 1.0);
      for (auto& c : s.counts) c = std::max<std::uint32_t>(c, 1);  // hl's support holds counts >= 1
      const std::size_t n = std::accumulate(s.counts.begin(), s.counts.end(), std::size_t{0});
      const auto brute = all_walsh_averages(s.support, s.counts);
      const std::size_t total = brute.size(), lo = (total - 1) / 2, hi = total / 2;
      const double expected = lo == hi ? brute[lo] : std::midpoint(brute[lo], brute[hi]);
      EXPECT_EQ(
          statistics::hl{}(std::span<const double>(s.support), std::span<const std::uint32_t>(s.counts), n),
          expected)
          << "k " << k << (lattice ? " lattice" : " real");
    }
  }
}

}  // namespace
