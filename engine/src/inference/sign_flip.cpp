// Chooses the sign-flip algorithm. The choice is always visible in test_result::method, and a
// fallback from exact to Monte Carlo (automatic only) is stated in the notes.

#include <cmath>
#include <string>

#include "resample/error.hpp"
#include "resample/inference/lattice_null.hpp"
#include "sign_flip_detail.hpp"

namespace resample::inference {

namespace {

// Swings of the lattice DP, when the statistic and data admit it and it fits the limits.
bool lattice_feasible(const detail::sign_flip_problem& p) {
  if (p.stat.kind == statistic_kind::prop_ge) return true;  // at most n unit swings
  if (p.stat.kind != statistic_kind::mean) return false;
  const auto form = detect_lattice(p.nonzero);
  if (!form) return false;
  std::vector<std::uint64_t> swings;
  swings.reserve(form->k.size());
  for (auto k : form->k) swings.push_back(static_cast<std::uint64_t>(k < 0 ? -k : k));
  return subset_sum_feasible(swings);
}

// Rough cost of evaluating the statistic once on n values (Gray-code enumeration).
double cost_per_pattern(const statistic& s, std::size_t n) {
  const double x = static_cast<double>(n);
  if (is_sum_type(s)) return 1.0;
  if (s.kind == statistic_kind::hl) return x * x * std::log2(x + 1.0);
  return x;
}

}  // namespace

test_result sign_flip_test(std::span<const double> differences, const statistic& stat, alternative alt,
                           const sign_flip_options& options) {
  constexpr const char* function = "resample::sign_flip_test";
  const auto p = detail::prepare_sign_flip(differences, stat, function);
  const std::size_t m = p.nonzero.size();
  switch (options.method) {
    case method_choice::monte_carlo:
      return sign_flip_monte_carlo(differences, stat, alt, options);
    case method_choice::approximate:
      throw_invalid_argument(function,
                             "method = approx, expected exact, mc or auto (the sign-flip test has no "
                             "normal approximation here)");
    case method_choice::exact:
      if (lattice_feasible(p)) return sign_flip_lattice(differences, stat, alt, options);
      if (stat.kind == statistic_kind::mean && m > 20 && m <= sign_flip_max_meet_in_middle)
        return sign_flip_meet_in_middle(differences, alt, options);
      if (m <= sign_flip_max_gray) return sign_flip_gray(differences, stat, alt, options);
      throw infeasible_error("exact sign-flip test of '" + to_string(stat) + "' with " + std::to_string(m) +
                             " non-zero differences: 2^" + std::to_string(m) + " = " +
                             detail::pattern_count(m) + " patterns exceeds the limit 2^" +
                             std::to_string(stat.kind == statistic_kind::mean ? sign_flip_max_meet_in_middle
                                                                              : sign_flip_max_gray) +
                             "; use --method mc");
    case method_choice::automatic:
      break;
  }
  if (lattice_feasible(p)) return sign_flip_lattice(differences, stat, alt, options);
  if (stat.kind == statistic_kind::mean && m > 20 && m <= sign_flip_max_meet_in_middle)
    return sign_flip_meet_in_middle(differences, alt, options);
  // Automatic enumeration stays within about a second of work.
  if (m <= sign_flip_max_gray && std::ldexp(cost_per_pattern(stat, p.n), static_cast<int>(m)) <= 5e8)
    return sign_flip_gray(differences, stat, alt, options);
  auto r = sign_flip_monte_carlo(differences, stat, alt, options);
  r.notes.push_back("exact enumeration of 2^" + std::to_string(m) +
                    " sign patterns is too large for automatic mode; Monte Carlo used (exact: false)");
  return r;
}

bool sign_flip_runs_monte_carlo(std::span<const double> differences, const statistic& stat,
                                method_choice method) {
  if (method == method_choice::monte_carlo) return true;
  if (method != method_choice::automatic) return false;
  const auto p = detail::prepare_sign_flip(differences, stat, "resample::sign_flip_runs_monte_carlo");
  const std::size_t m = p.nonzero.size();
  // sign_flip_test's automatic order, above.
  if (lattice_feasible(p)) return false;
  if (stat.kind == statistic_kind::mean && m > 20 && m <= sign_flip_max_meet_in_middle) return false;
  return !(m <= sign_flip_max_gray && std::ldexp(cost_per_pattern(stat, p.n), static_cast<int>(m)) <= 5e8);
}

}  // namespace resample::inference
