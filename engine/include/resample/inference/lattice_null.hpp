#pragma once
// Exact null distribution of S = sum_i e_i a_i, e_i independent fair coins, a_i positive integers.
//
// This is the one convolution behind the lattice sign-flip test (a_i = |d_i| / step) and the exact
// Wilcoxon signed-rank test (a_i = doubled midranks): a sign flip moves patient i's contribution
// between two values a_i apart, so every sum-type statistic is an affine function of S. The
// distribution is symmetric about A/2 (A = sum a_i), which gives the two-sided p-value
// P(|2S* - A| >= |2s - A|) as exact integer comparisons: no tolerance is needed on a lattice.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "resample/inference/test_result.hpp"

namespace resample::inference {

// Upper limits of the dense table: entries (memory) and elementary additions (time).
inline constexpr std::uint64_t subset_sum_max_entries = std::uint64_t{1} << 25;
inline constexpr double subset_sum_max_work = 4e9;

// Elementary additions the table costs: sum over i of the partial range after i values (sorted).
double subset_sum_work(std::span<const std::uint64_t> swings);
// True when the table fits the limits above.
bool subset_sum_feasible(std::span<const std::uint64_t> swings);

class subset_sum_null {
 public:
  // Swings must be positive; throws infeasible_error beyond the limits, naming the sizes.
  // extended: long double counts (exact integers up to 2^64, no underflow) instead of the
  // vectorised double table that drops relative masses below 2^-1000.
  explicit subset_sum_null(std::span<const std::uint64_t> swings, bool extended = false);

  std::uint64_t total() const { return total_; }  // A
  std::size_t count() const { return count_; }    // m
  // P(S = s); zero off the multiples of the swings' common divisor.
  long double probability(std::uint64_t s) const {
    return s <= total_ && s % gcd_ == 0 ? probability_[s / gcd_] : 0.0L;
  }
  std::uint64_t step() const { return gcd_; }  // S takes values step * k

  // Tail of the observed value s: greater P(S >= s), less P(S <= s), two-sided
  // P(|2S - A| >= |2s - A|); split into strictly more extreme and equally extreme.
  tail_probability tail(std::uint64_t observed, alternative alt) const;

 private:
  std::uint64_t total_ = 0;
  std::size_t count_ = 0;
  std::uint64_t gcd_ = 1;
  std::vector<long double> probability_;  // P(S = gcd * index)
};

struct subset_sum_tail_result {
  subset_sum_null null;
  tail_probability tail;
};
// The null and the tail of the observed value; recomputed in extended precision when the tail is
// below 1e-280, where the fast table's flushing could matter.
subset_sum_tail_result subset_sum_tail(std::span<const std::uint64_t> swings, std::uint64_t observed,
                                       alternative alt);

}  // namespace resample::inference
