#pragma once
// The sign-flip confidence set for lattice data at any n (sign_flip_inversion.hpp routes here).
//
// Why a table of (size, sum): with d_i = k_i h (integer k_i, find_lattice), flipping the signs of a
// subset S of m patients whose k sum to s is as extreme as the observed pattern at the shift
// delta = x h exactly when s <= m x (the header's subset-average rule, restated in integers), so
//   F(x) = P(s <= m x),  S a uniformly random subset,
// gives every p-value of the inversion: two-sided p = 2 F (the complement of S is as likely and is
// extreme on the other side), one-sided p = F, mid-p subtracts the equally extreme mass
// E(x) = P(s = m x) (two-sided 2F - E, one-sided F - E/2). The joint law of (m, s) is built once,
// one distinct value at a time (j of its c patients flip with probability Binomial(c, 1/2)), and
// each row m keeps cumulative sums, so F(x) is one lookup per row: O(n) per shift. The endpoint
// is found by bisection on x to below 1/(n+1)^2 (two subset averages with sizes <= n that differ,
// differ by more), then read off exactly as the largest average s/m <= the accepted end.
//
// Nothing is approximated beyond a bounded truncation: cells below alpha 2^-100 are dropped as the
// table grows (they are where the binomial and the sum are many standard deviations from their
// centres), the dropped mass D is summed, and a decision that p + 2D could change is refused as
// infeasible rather than guessed. D is below alpha 1e-20 in every case measured; the test's own
// comparison slack (p_value_relative_slack) is eleven orders of magnitude larger.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "resample/execution.hpp"
#include "resample/inference/test_result.hpp"

namespace resample::inference::detail {

// Limits of the table: cells (two doubles each, the masses and their cumulative sums) and the
// additions that build it; the same 4e9 additions as the lattice test's table.
inline constexpr double lattice_inversion_max_cells = 8388608.0;  // 2^23: 128 MB
inline constexpr double lattice_inversion_max_work = 4e9;

struct lattice_inversion_plan {
  std::vector<std::int64_t> k;  // d_i = k_i * step, every patient (zeros are k = 0)
  double step = 1.0;
  double cells = 0.0;  // estimated cells of the final table
  double work = 0.0;   // estimated additions to build it
  bool feasible() const { return cells <= lattice_inversion_max_cells && work <= lattice_inversion_max_work; }
  // "the lattice table needs about C cells and W additions (limits ...)", for messages.
  std::string needs() const;
};

// nullopt when the differences are not on a lattice through 0 with at least one non-zero value.
std::optional<lattice_inversion_plan> plan_lattice_inversion(std::span<const double> differences,
                                                             double alpha);

struct lattice_inversion_endpoints {
  std::optional<double> lower, upper;
  double dropped_mass = 0.0;  // D above
};

// The endpoints on the data's scale, each decided as p_value_at_most(p, alpha) decides. Throws
// infeasible_error past the limits or when a decision is within D.
lattice_inversion_endpoints lattice_inversion(const lattice_inversion_plan& plan, double alpha,
                                              alternative alt, bool mid_p, const execution& exec);

}  // namespace resample::inference::detail
