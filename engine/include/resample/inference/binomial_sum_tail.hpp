#pragma once
// Exact tail probabilities of S = sum_g a_g K_g, with K_g ~ Binomial(m_g, 1/2) independent.
//
// This is the null of the signed-rank statistic with tie groups (a_g = doubled midrank of group
// g, m_g = its size): the signs within a tie group matter only through how many are positive.
// The dense table of lattice_null.hpp costs (table width) x (number of differences), 4e10
// additions for 5000 ordinal differences. Here the cost is (points) x (groups): the null's
// characteristic function is a product of one closed form per group,
//   E e^{itS} = prod_g ((1 + e^{i t a_g}) / 2)^{m_g},
// and the tail is read off by inverting it on N equally spaced points (the discrete Fourier
// inversion of a lattice law; Pagano and Tritchler 1983 used it for permutation nulls).
//
// Plain inversion loses relative accuracy in the tail (its rounding is relative to the peak), so
// the law is first tilted exponentially, q(s) = P(S = s) e^{theta s} / M(theta), with theta
// chosen so that q centres on the observed value; then
//   P(S > z) = M(theta) e^{-theta (z+1)} sum_{u >= 0} q(z + 1 + u) e^{-theta u},
// and the sum is evaluated from q's characteristic function (the same product with each 1/2
// replaced by the tilted success probability). N covers the tilted mass to a Chernoff bound of
// 1e-20 per side, so nothing is approximated: the errors are floating-point rounding and that
// bounded truncation, and their sum is bounded and reported with the result.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "resample/inference/test_result.hpp"

namespace resample::inference {

// `count` values that each move S by `swing` when their sign flips.
struct swing_group {
  std::uint64_t swing = 0;
  std::uint64_t count = 0;
};

// Run-length groups of positive swings, ascending by swing.
std::vector<swing_group> group_swings(std::span<const std::uint64_t> swings);

// Work units: complex multiplications of the binary powering, over all points and groups (about
// 1.8e9 per second on one core). Past 65536 groups (distinct |d| values) the table or Monte Carlo
// is the better route anyway, and planning alone would take a while. Memory is
// O(groups + sqrt(points)).
inline constexpr double binomial_sum_max_work = 4e9;
inline constexpr std::size_t binomial_sum_max_groups = 65536;

struct binomial_sum_tail_result {
  // greater: P(S > s), P(S = s); less: P(S < s), P(S = s); two-sided: P(|2S - A| > |2s - A|),
  // P(|2S - A| = |2s - A|), A = sum_g a_g m_g (S is symmetric about A / 2).
  tail_probability tail;
  // Bound on |computed - exact| / computed for the p-value tail.more + tail.equal: rounding (a
  // worst-case bound in the standard model of floating-point arithmetic) plus truncation.
  double relative_error_bound = 0.0;
  std::uint64_t points = 0;  // inversion points N (0 when the tail was known in closed form)
  double work = 0.0;         // work units spent
};

// Work units the inversion for this observed value will cost (cheap to compute: it solves for
// the tilt and the window, nothing more); infinity past the size limits.
double binomial_sum_tail_work(std::span<const swing_group> groups, std::uint64_t observed, alternative alt);

// automatic: the AVX2 kernel where the CPU has it; portable: the plain x86-64 one. Both give
// the same bits (a test checks it); the choice exists for that test.
enum class inversion_kernel { automatic, portable };

// Groups must have positive swings and counts, and `observed` must be a value S can take (a sum
// of swings); invalid_argument otherwise. infeasible_error past the size and work limits. Runs on the
// enclosing task arena's threads; the result does not depend on their number.
binomial_sum_tail_result binomial_sum_tail(std::span<const swing_group> groups, std::uint64_t observed,
                                           alternative alt,
                                           inversion_kernel kernel = inversion_kernel::automatic);

}  // namespace resample::inference
