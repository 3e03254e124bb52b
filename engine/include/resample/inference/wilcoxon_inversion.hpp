#pragma once
// The confidence set for the shift that inverts the engine's own Wilcoxon signed-rank test, ties
// and zeros included (statistical-conventions.md, "Confidence sets by test inversion"): the
// closure of {delta : p(d - delta) > alpha}, p from wilcoxon_test (midranks, the chosen zero
// method, two-sided P(|V* - E V*| >= |V - E V*|)) and "accepted" meaning !p_value_at_most(p, alpha).
// Membership of every shift is decided by the test itself, with one exception the closure makes:
// at a Walsh average the tied null changes (a zero, or a tie across delta), and p there can be
// below p on both sides of it, so the closure holds Walsh averages the test rejects (an endpoint
// reached from an accepted gap, or an average between two accepted gaps). A note lists them; when
// 0 is one of them, "p <= alpha" and "0 in [lower, upper]" disagree (5% of random integer data sets
// in the tests).
//
// Why this differs from hodges_lehmann_interval: HL counts Walsh averages against the quantile of
// the untied signed-rank null, which is the inversion of the test without ties. With integer
// scores, |d_i - delta| ties and zeros occur at many shifts (every Walsh average), the tied test's
// null changes there, and its own inversion can be a Walsh step wider or narrower.
//
// Why Walsh averages: the signs and the ranking of |d_i - delta| change only where some d_i - delta
// changes sign (delta = d_i) or two of them swap absolute order (delta = (d_i + d_j)/2); both are
// Walsh averages (i <= j). p(delta) is therefore constant on each open gap between consecutive
// distinct Walsh averages, and the set is found by running the test once at every distinct Walsh
// average and once inside every gap (and beyond both ends): 2G + 1 tests for G distinct averages,
// G <= n(n + 1)/2. The set can in principle be a union of intervals (p is not monotone in delta
// once ties change the null): the result is its hull [lower, upper], with a note when the hull
// holds a rejected gap. Endpoints are Walsh averages (d_i + d_j)/2 computed from the data.
//
// The unit of measurement: d - delta is never formed. At each shift the test is given values with
// the signs, zeros and absolute order that d - delta has in exact arithmetic, decided by comparing
// Walsh sums d_i + d_j with each other (sums equal within their rounding, equality.hpp, count as
// one Walsh average). The test depends on nothing else, so the set is the same function of the
// ranks at every scale: bit-identical endpoints at powers of two, equal up to rounding otherwise.

#include <cstddef>
#include <span>
#include <string>

#include "resample/inference/estimates.hpp"
#include "resample/inference/test_result.hpp"

namespace resample::inference {

// How the set is computed: one exact tied test at every shift (exact_scan), the test's normal
// approximation with tie-corrected variance at every shift (normal_scan, exact: false), or none
// when even that is past the limit.
enum class wilcoxon_inversion_algorithm { none, exact_scan, normal_scan };
std::string_view to_string(wilcoxon_inversion_algorithm a);  // "", "exact_scan", "normal_scan"

// The one route decision (the runner and the planner consume it): work is the shifts times the
// per-test work, in the exact test's table additions (the model in wilcoxon_inversion.cpp).
struct wilcoxon_inversion_route {
  wilcoxon_inversion_algorithm algorithm = wilcoxon_inversion_algorithm::none;
  double work = 0.0;
  std::size_t shifts = 0;  // 2G + 1
  bool exact = false;
  std::string reason;
};

// The scan's limit, in the work units above. Measured (BM_InferenceWilcoxonInversion, one core,
// 0.2e9 to 0.8e9 units per second): real-valued data take 21 ms at n = 30, 0.32 s at n = 60 and
// 3.3 s at n = 100 (10101 shifts); integer scores in -4..10 (59 shifts) 34 ms at n = 100 and
// 0.38-0.43 s at n = 300. 1e9 units is 1.3 to 5 s: exact up to about n = 85 for real data and
// n = 460 for such scores.
inline constexpr double wilcoxon_inversion_max_work = 1e9;

struct wilcoxon_inversion_options {
  double level = 0.95;
  alternative alt = alternative::two_sided;  // greater: a lower bound; less: an upper bound
  zero_method zeros = zero_method::pratt;
  // exact: refuse (infeasible_error) past wilcoxon_inversion_max_work; approximate: invert the
  // normal approximation (exact: false); automatic: exact when feasible, else the normal
  // approximation with a note; monte_carlo is an invalid_argument (a random p-value at each shift
  // does not make a set).
  method_choice method = method_choice::automatic;
};

// Cheap (it sorts the Walsh sums and counts the shifts; it runs no test).
wilcoxon_inversion_route plan_wilcoxon_inversion(std::span<const double> differences,
                                                 zero_method zeros = zero_method::pratt,
                                                 method_choice method = method_choice::automatic);

// The set for the pseudo-median (name "pseudo_median", estimate the Hodges-Lehmann estimate,
// method "tied_signed_rank_inversion", inverts "wilcoxon"). achieved_level is left unset: the
// coverage under the null is 1 - (the test's attained size at the true shift's tie pattern),
// which depends on the unknown shift; the note says so.
interval_estimate wilcoxon_confidence_set(std::span<const double> differences,
                                          const wilcoxon_inversion_options& options = {});

}  // namespace resample::inference
