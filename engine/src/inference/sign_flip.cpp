// Chooses the sign-flip algorithm (plan_sign_flip) and runs it. The choice is always visible in
// test_result::method, and a fallback from exact to Monte Carlo (automatic only) is stated in the
// notes.

#include <cmath>
#include <string>

#include "resample/error.hpp"
#include "resample/inference/lattice_null.hpp"
#include "sign_flip_detail.hpp"

namespace resample::inference {

namespace {

// Swings of the lattice DP for the mean: empty when the non-zero values are on no common lattice.
std::vector<std::uint64_t> lattice_swings(std::span<const double> nonzero) {
  std::vector<std::uint64_t> swings;
  const auto form = detect_lattice(nonzero);
  if (!form) return swings;
  swings.reserve(form->k.size());
  for (auto k : form->k) swings.push_back(static_cast<std::uint64_t>(k < 0 ? -k : k));
  return swings;
}

std::vector<double> nonzero_values(std::span<const double> differences) {
  std::vector<double> nonzero;
  for (double d : differences)
    if (d != 0.0) nonzero.push_back(d);
  return nonzero;
}

// Whether the lattice DP applies and fits its limits.
bool lattice_feasible(std::span<const double> nonzero, const statistic& stat) {
  if (stat.kind == statistic_kind::prop_ge) return true;  // at most n unit swings
  if (stat.kind != statistic_kind::mean || nonzero.empty()) return false;
  const auto swings = lattice_swings(nonzero);
  return !swings.empty() && subset_sum_feasible(swings);
}

// Relative cost of one pattern in Gray-code enumeration: a sum-type statistic is updated in O(1)
// per flipped sign, any other is evaluated afresh.
double cost_per_pattern(const statistic& s, std::size_t n) {
  return is_sum_type(s) ? 1.0 : evaluation_cost(s, n);
}

double work_of(sign_flip_algorithm algorithm, std::span<const double> nonzero, std::size_t n,
               const statistic& stat, std::uint64_t resamples) {
  const std::size_t m = nonzero.size();
  switch (algorithm) {
    case sign_flip_algorithm::lattice_dp:
      if (stat.kind == statistic_kind::prop_ge)
        return static_cast<double>(m) * static_cast<double>(m) / 2 + 1;
      return subset_sum_work(lattice_swings(nonzero)) + 1;
    case sign_flip_algorithm::meet_in_the_middle:
      return std::ldexp(static_cast<double>(m), static_cast<int>((m + 1) / 2));
    case sign_flip_algorithm::gray_code:
      return std::ldexp(cost_per_pattern(stat, n), static_cast<int>(m));
    case sign_flip_algorithm::monte_carlo:
      return static_cast<double>(resamples) * static_cast<double>(n);
  }
  return 0.0;
}

}  // namespace

std::string_view to_string(sign_flip_algorithm a) {
  switch (a) {
    case sign_flip_algorithm::lattice_dp:
      return "lattice_dp";
    case sign_flip_algorithm::meet_in_the_middle:
      return "meet_in_the_middle";
    case sign_flip_algorithm::gray_code:
      return "gray_code";
    case sign_flip_algorithm::monte_carlo:
      return "monte_carlo";
  }
  return "monte_carlo";
}

std::string_view work_unit(sign_flip_algorithm a) {
  switch (a) {
    case sign_flip_algorithm::lattice_dp:
      return "additions";
    case sign_flip_algorithm::meet_in_the_middle:
      return "half-list entries";
    case sign_flip_algorithm::gray_code:
      return "pattern evaluations";
    case sign_flip_algorithm::monte_carlo:
      return "pattern sums";
  }
  return "pattern sums";
}

double sign_flip_work(sign_flip_algorithm algorithm, std::span<const double> differences,
                      const statistic& stat, std::uint64_t resamples) {
  return work_of(algorithm, nonzero_values(differences), differences.size(), stat, resamples);
}

sign_flip_route plan_sign_flip(std::span<const double> differences, const statistic& stat,
                               method_choice method, std::uint64_t resamples) {
  constexpr const char* function = "resample::plan_sign_flip";
  const auto p = detail::prepare_sign_flip(differences, stat, function);
  const std::size_t m = p.nonzero.size();
  auto route = [&](sign_flip_algorithm a, std::string reason) {
    return sign_flip_route{a, work_of(a, p.nonzero, p.n, stat, resamples),
                           a != sign_flip_algorithm::monte_carlo, std::move(reason)};
  };
  switch (method) {
    case method_choice::monte_carlo:
      return route(sign_flip_algorithm::monte_carlo, "Monte Carlo requested");
    case method_choice::approximate:
      throw_invalid_argument(function, "method",
                             "method = approx, expected exact, mc or auto (the sign-flip test has no "
                             "normal approximation here)");
    case method_choice::exact:
    case method_choice::automatic:
      break;
  }
  if (lattice_feasible(p.nonzero, stat))
    return route(sign_flip_algorithm::lattice_dp, "exact: DP over the signed sum of lattice values");
  if (stat.kind == statistic_kind::mean && m >= sign_flip_meet_in_middle_from &&
      m <= sign_flip_max_meet_in_middle)
    return route(sign_flip_algorithm::meet_in_the_middle,
                 "exact: meet in the middle over 2^" + std::to_string(m) + " sign patterns");
  if (method == method_choice::exact) {
    if (m <= sign_flip_max_gray)
      return route(sign_flip_algorithm::gray_code,
                   "exact: Gray-code enumeration of 2^" + std::to_string(m) + " sign patterns");
    throw infeasible_error("exact sign-flip test of '" + to_string(stat) + "' with " + std::to_string(m) +
                               " non-zero differences: 2^" + std::to_string(m) + " = " +
                               detail::pattern_count(m) + " patterns exceeds the limit 2^" +
                               std::to_string(stat.kind == statistic_kind::mean ? sign_flip_max_meet_in_middle
                                                                                : sign_flip_max_gray),
                           "method", {use_monte_carlo()}, function);
  }
  if (m <= sign_flip_max_gray && work_of(sign_flip_algorithm::gray_code, p.nonzero, p.n, stat, resamples) <=
                                     sign_flip_automatic_gray_work)
    return route(sign_flip_algorithm::gray_code,
                 "exact: Gray-code enumeration of 2^" + std::to_string(m) + " sign patterns");
  return route(sign_flip_algorithm::monte_carlo, "exact enumeration of 2^" + std::to_string(m) +
                                                     " sign patterns is too large for automatic mode; Monte "
                                                     "Carlo used (exact: false)");
}

test_result run_sign_flip(sign_flip_algorithm algorithm, std::span<const double> differences,
                          const statistic& stat, alternative alt, const sign_flip_options& options) {
  switch (algorithm) {
    case sign_flip_algorithm::lattice_dp:
      return sign_flip_lattice(differences, stat, alt, options);
    case sign_flip_algorithm::meet_in_the_middle:
      return sign_flip_meet_in_middle(differences, alt, options);
    case sign_flip_algorithm::gray_code:
      return sign_flip_gray(differences, stat, alt, options);
    case sign_flip_algorithm::monte_carlo:
      return sign_flip_monte_carlo(differences, stat, alt, options);
  }
  return sign_flip_monte_carlo(differences, stat, alt, options);
}

test_result sign_flip_test(std::span<const double> differences, const statistic& stat, alternative alt,
                           const sign_flip_options& options) {
  const auto route = plan_sign_flip(differences, stat, options.method, options.resamples);
  auto r = run_sign_flip(route.algorithm, differences, stat, alt, options);
  if (options.method == method_choice::automatic && !route.exact) r.notes.push_back(route.reason);
  return r;
}

}  // namespace resample::inference
