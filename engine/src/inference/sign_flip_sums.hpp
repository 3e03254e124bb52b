#pragma once
// The Monte Carlo sign-flip kernel of sum-type statistics (implementation detail, exposed for tests
// and benchmarks): for each random sign pattern, the sum of scores
//   S = base + sum over flipped i of delta_i,   base = sum_i score(d_i) (zeros included),
//   delta_i = score(-d_i) - score(d_i)           (the mean: S = sum d - 2 * sum over flipped d).
//
// Signs: one 64-bit word per 64 non-zero differences, word k bit j flips difference 64k + j, the
// words of a pattern taken in order from the stream and the patterns one after the other: the
// same bits, in the same places, as the direct loop over random_stream that this kernel replaces.
// A flip selects delta_i by a bit mask (no branch); the deltas are padded with +0.0 to a whole
// number of words, whose bits then select nothing.
//
// Summation order (fixed, so every implementation gives the same bits): difference i goes to
// partial sum i mod 16, in increasing i, each partial starting at +0.0; then
// v_j = (p_j + p_{4+j}) + (p_{8+j} + p_{12+j}) for j = 0..3, total = (v_0 + v_1) + (v_2 + v_3),
// S = base + total. Sixteen partials are four AVX2 registers, enough independent additions to
// hide the latency of each.
//
// Two implementations: a portable one and, where the CPU has AVX2 (checked at run time), one that
// works on a few patterns at a time over a chunk of the deltas small enough for L1, so that n in
// the thousands reads its deltas from L1 rather than L2. Tests check that they agree bit for bit.

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "bootstrap/multinomial.hpp"
#include "bootstrap/sampling.hpp"

namespace resample::inference::detail {

class sign_flip_sums {
 public:
  // base as above; deltas: one per non-zero difference (at least one).
  sign_flip_sums(double base, std::span<const double> deltas);

  // `count` patterns from rng: sums[r] = S of pattern r and, when `flips` is not null, flips[r] =
  // the number of differences pattern r flips (the popcount of its words, padding excluded: the
  // subset size the Monte Carlo inversion needs). Uses AVX2 when the CPU has it.
  void draw(bootstrap::detail::bulk_random_stream& rng, std::uint64_t count, double* sums,
            std::uint32_t* flips = nullptr) const;

  // The portable implementation, and the AVX2 one (returns false, doing nothing, without AVX2).
  void draw_portable(bootstrap::detail::bulk_random_stream& rng, std::uint64_t count, double* sums,
                     std::uint32_t* flips = nullptr) const;
  bool draw_avx2(bootstrap::detail::bulk_random_stream& rng, std::uint64_t count, double* sums,
                 std::uint32_t* flips = nullptr) const;

  std::size_t words_per_pattern() const { return words_; }

  static bool cpu_has_avx2();

 private:
  double base_;
  std::vector<double> deltas_;  // padded with +0.0 to 64 * words_
  std::size_t words_;
  std::uint64_t last_word_mask_;  // the bits of the last word that select a real difference
};

// The same sums for data with few distinct |d| (ordinal scores, integers): under the null every
// difference is positive or negative with probability 1/2 whatever its observed sign, so if group
// g holds the m_g differences with |d| = a_g (equal as doubles), the number of them positive after
// the flips is P_g ~ Binomial(m_g, 1/2), independent across groups, and
//   S = base + sum_g m_g score(-a_g) + sum_g P_g (score(a_g) - score(-a_g)).
// One draw per group with a non-zero coefficient, O(K) per pattern whatever n, each draw one
// Philox word from a Walker alias table (bootstrap::detail::binomial_band_table: exact up to
// floating point). The same distribution as the masked sum, from other bits: the p-values of a
// seed differ from the masked kernel's, but not across thread counts (one stream per block, the
// groups drawn in order pattern after pattern).
class sign_flip_group_sums {
 public:
  // zero_score: zeros * score(0); magnitudes: |d| of the non-zero differences (any order);
  // score: the statistic's score function.
  template <class Score>
  sign_flip_group_sums(double zero_score, std::span<const double> magnitudes, Score score);

  // False when some group is too large for an alias table (then use sign_flip_sums).
  bool valid() const { return valid_; }
  // Draws per pattern (groups with a non-zero coefficient).
  std::size_t draws_per_pattern() const { return coefficients_.size(); }

  void draw(bootstrap::detail::bulk_random_stream& rng, std::uint64_t count, double* sums) const;

 private:
  void add_groups(std::span<const double> sorted, const std::vector<double>& plus,
                  const std::vector<double>& minus);

  double base_ = 0.0;
  std::vector<double> coefficients_;
  std::vector<bootstrap::detail::binomial_band_table> tables_;
  bool valid_ = true;
};

template <class Score>
sign_flip_group_sums::sign_flip_group_sums(double zero_score, std::span<const double> magnitudes, Score score)
    : base_(zero_score) {
  std::vector<double> sorted(magnitudes.begin(), magnitudes.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> plus(sorted.size()), minus(sorted.size());
  for (std::size_t i = 0; i < sorted.size(); ++i) plus[i] = score(sorted[i]), minus[i] = score(-sorted[i]);
  add_groups(sorted, plus, minus);
}

// Distinct values among `magnitudes` (exact equality of doubles).
std::size_t distinct_count(std::span<const double> magnitudes);

}  // namespace resample::inference::detail
