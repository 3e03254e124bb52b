#pragma once
// Sign test and Wilcoxon signed-rank test of paired differences (definitions:
// statistical-conventions.md, "Tests").

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "resample/execution.hpp"
#include "resample/inference/test_result.hpp"

namespace resample::inference {

// Exact binomial sign test: zeros dropped (counted in the notes), X = number of positive
// differences ~ Binomial(m, 1/2) under H0; two-sided = min(1, 2 * min one-sided).
test_result sign_test(std::span<const double> differences, alternative alt, bool mid_p = false);

struct wilcoxon_options {
  zero_method zeros = zero_method::pratt;
  // exact: DP over doubled midranks, or inversion of the tied null's characteristic function
  // when that is cheaper (method "exact_inversion", with relative_error_bound; infeasible_error
  // past both limits); approximate: normal
  // approximation with the tie-corrected variance (exact: false); monte_carlo: random sign
  // patterns of the signed ranks; automatic: exact when feasible, else the normal approximation
  // with a note saying so.
  method_choice method = method_choice::automatic;
  bool mid_p = false;
  bool keep_null_distribution = true;
  std::uint64_t resamples = 100000;
  std::uint64_t seed = 20021;
  // As in sign_flip_options (the Monte Carlo Wilcoxon test is the sign-flip test of the signed
  // ranks): exec.threads for the Monte Carlo test and the exact inversion (the DP is serial),
  // exec.cancel and exec.distribute for Monte Carlo only. exec.progress is not used.
  execution exec{};
};

// Midranks of |d| (1-based; tied values, equal up to the relative tolerance, share the mean of
// their ranks). With pratt the zeros are ranked (and later carry no sign); with wilcox they are
// dropped first and get rank 0 here.
std::vector<double> signed_rank_midranks(std::span<const double> differences, zero_method zeros);

// The exact Wilcoxon algorithms: the dense subset-sum table over doubled midranks, or the
// inversion of the tied null's characteristic function; none when the data are past both limits.
enum class wilcoxon_exact_algorithm { none, exact_dp, exact_inversion };
std::string_view to_string(wilcoxon_exact_algorithm a);  // "", "exact_dp", "exact_inversion"
std::string_view work_unit(wilcoxon_exact_algorithm a);  // "additions", "inversion work units"

// Which exact algorithm wilcoxon_test runs for these data (method exact or automatic), and its
// work in work_unit(algorithm) (both run about 2e9 units per second); algorithm none when the
// data are past both exact limits. Cheap: it ranks the data and plans the inversion, and
// computes no null. The test and the planner both consume it.
struct wilcoxon_exact_route {
  wilcoxon_exact_algorithm algorithm = wilcoxon_exact_algorithm::none;
  double work = 0.0;
};
wilcoxon_exact_route plan_wilcoxon_exact(std::span<const double> differences, alternative alt,
                                         zero_method zeros);

// Wilcoxon signed-rank test. Statistic V = sum of the ranks of the positive differences; the
// exact null runs over all sign patterns of the non-zero differences; two-sided
// P(|V* - E V*| >= |V - E V*|).
test_result wilcoxon_test(std::span<const double> differences, alternative alt,
                          const wilcoxon_options& options = {});

}  // namespace resample::inference
