#pragma once
// The confidence set for the mean shift that inverts the sign-flip test of the mean
// (statistical-conventions.md, "Confidence sets by test inversion"): the closure of
// {delta : p(d - delta) > alpha}, with the test's own two-sided rule, tie handling and tolerance,
// so that "p <= alpha" and "the set excludes 0" cannot disagree.
//
// Why subset averages (Hartigan 1969): flipping the signs of a subset S of the patients turns the
// signed sum A = sum(d_i - delta) into A - 2 B_S, B_S = sum_{i in S}(d_i - delta), and that pattern
// is as extreme as the observed one exactly when delta lies between the average of S and the
// average of its complement. Below the mean, therefore, the two-sided p-value is
// (2 + 2 c(delta)) / 2^n with c(delta) = #{non-empty S : mean(S) <= delta}, a step function that
// rises at the subset averages; the one-sided p-value for `greater` is (1 + c(delta)) / 2^n. The set's
// endpoints are order statistics of the 2^n - 1 averages of non-empty subsets:
//   two-sided   the k-th smallest and k-th largest, k = floor(alpha 2^(n-1)), attained level
//               1 - 2k/2^n;
//   greater     the j-th smallest as a lower bound, j = floor(alpha 2^n), attained 1 - j/2^n
//               (less: the j-th largest as an upper bound);
//   mid-p       the same with p_mid = (1 + 2c)/2^n two-sided and (c + 1/2)/2^n one-sided:
//               k = floor((alpha 2^n - 1)/2) + 1, j = floor(alpha 2^n - 1/2) + 1.
// k (or j) = 0 means every shift is accepted: the endpoint does not exist (nullopt, with a note).
// The attained level is the exact coverage under the null model when all subset sums differ
// (continuous data); with ties among them (integer scores) the coverage is at least that.
//
// Exact selection (n <= sign_flip_inversion_max_exact): the k-th smallest average is the smallest
// delta with c(delta) >= k. c(delta) is counted by meet in the middle in O(2^(n/2)) (the sorted
// subset sums of each half of d - delta, merged pairwise by two pointers), delta is bisected to
// the data's rounding, and the subset that attains it is found in the final pair of lists, so the
// endpoint is that subset's average computed from the data, not a bisection midpoint.
// Lattice data beyond that limit (integers or a common step, any n the table fits): the exact
// joint law of the flipped subset's size and sum, built once, gives c(delta) in O(n) per shift
// (sign_flip_inversion_lattice.hpp); the endpoint is then the exact subset average s/m.
// Monte Carlo (n above the limit and no lattice table, or when asked): B random sign patterns give the Monte
// Carlo p-value (1 + b)/(B + 1) of every shift at once; the endpoints are order statistics of the patterns'
// own subset averages, with a Monte Carlo standard error from the binomial spread of order statistics, and
// labelled as such.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "resample/execution.hpp"
#include "resample/inference/estimates.hpp"
#include "resample/inference/test_result.hpp"
#include "resample/statistics.hpp"

namespace resample::inference {

// Exact selection builds two half-lists of 2^(n/2) subset sums per bisection step, about 110
// steps: measured (BM_InferenceSignFlipInversionExact, one core) 0.14 s at n = 30 and 1.1 s at
// n = 36, four times more per two patients beyond.
inline constexpr std::size_t sign_flip_inversion_max_exact = 36;

// The algorithms, named as interval_estimate::method reports them.
enum class sign_flip_inversion_algorithm {
  subset_average_selection,
  lattice_table,
  monte_carlo,
  trimmed_walsh_sweep
};
// "subset_average_selection", "lattice_table_inversion", "monte_carlo_inversion",
// "trimmed_walsh_sweep"
std::string_view to_string(sign_flip_inversion_algorithm a);

struct sign_flip_inversion_options {
  // The statistic whose shift the set is for: mean, or trimmed_mean (exact by the Walsh-interval
  // sweep of sign_flip_inversion_trimmed.hpp up to 12 patients; no mid-p, no Monte Carlo yet). A
  // trimmed mean that trims nothing at this n is the mean.
  statistic stat{statistic_kind::mean, 0.0};
  double level = 0.95;
  alternative alt = alternative::two_sided;  // greater: lower bound; less: upper bound
  bool mid_p = false;                        // invert the mid-p test instead
  method_choice method = method_choice::automatic;
  std::uint64_t resamples = 100000;  // Monte Carlo sign patterns
  std::uint64_t seed = 20021;
  // exec.cancel is checked once per Monte Carlo block; threads, distribute and progress are not used.
  execution exec{};
  // Forces one exact algorithm (the tests compare them where both apply); method must then be
  // exact or automatic. Refused where the algorithm does not apply.
  std::optional<sign_flip_inversion_algorithm> algorithm;
};

// Which algorithm sign_flip_confidence_set runs, and why not the others. The trimmed mean (when it
// trims a value): the Walsh-interval sweep, exact up to 12 patients, nothing beyond. The mean:
// subset-average selection
// up to sign_flip_inversion_max_exact patients; beyond, the lattice table when the data are on a
// lattice and the table fits; otherwise Monte Carlo (method automatic or monte_carlo). `exact`
// is false when method exact has no exact algorithm for these data (the set refuses them).
struct sign_flip_inversion_route {
  sign_flip_inversion_algorithm algorithm = sign_flip_inversion_algorithm::monte_carlo;
  bool exact = false;
  std::string reason;  // why no exact algorithm applies, when none does
};
sign_flip_inversion_route plan_sign_flip_inversion(std::span<const double> differences,
                                                   const sign_flip_inversion_options& options);

// The set for the mean shift (name "mean", inverts "sign_flip"). method_choice::exact refuses
// (infeasible_error) data with no exact algorithm (the route's reason); approximate is an
// invalid_argument.
interval_estimate sign_flip_confidence_set(std::span<const double> differences,
                                           const sign_flip_inversion_options& options = {});

// The k-th smallest (1-based) of the 2^n - 1 averages of non-empty subsets of `values`, by the
// meet-in-the-middle selection above; n <= sign_flip_inversion_max_exact, 1 <= k <= 2^n - 1.
double kth_smallest_subset_average(std::span<const double> values, std::uint64_t k);

}  // namespace resample::inference
