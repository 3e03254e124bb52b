#pragma once
// The calibrated (double-bootstrap, iterated) percentile interval (issue 6).
//
// The percentile interval at nominal level lambda is [Q*(a), Q*(1 - a)], a = (1 - lambda)/2. Its
// coverage is estimated by bootstrapping the bootstrap: for each outer resample x* (weight w*),
// the inner bootstrap distribution of T** from x* covers t_hat at that a exactly when
//   a <= P**(T** <= t_hat)  and  a < P**(T** >= t_hat)
// (Q**(a) <= t_hat <=> F**(t_hat) >= a; Q**(1 - a) >= t_hat <=> P**(T** >= t_hat) > a). The
// bootstrap coverage C(a) = sum w* [covered] is non-increasing in a and changes only at the inner
// probabilities; the calibrated a is the supremum of {a in [0, 1/2] : C(a) >= level}, found exactly
// among those breakpoints, and the interval is the outer percentile interval at nominal level
// 1 - 2a (the limit from below when the supremum is not attained). When even a -> 0 (the whole outer range)
// stays below the target, a = 0 is used and a note says the target was not reached.
//
// Exact when n <= exact_max_n (automatic) or when asked and affordable: every outer multiset with
// its multinomial probability, each with its exact inner bootstrap distribution (at n = 6: 462 x
// 462 multisets). Otherwise Monte Carlo: B1 outer resamples, each with B2 inner resamples, drawn
// from random_stream(seed, nested_bootstrap, outer index, 1 or 2), so the result does not depend
// on the thread count.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "resample/bootstrap/bootstrap.hpp"
#include "resample/bootstrap/intervals.hpp"
#include "resample/execution.hpp"
#include "resample/statistics.hpp"

namespace resample::bootstrap {

struct calibrated_options {
  method requested = method::automatic;
  std::size_t exact_max_n = 8;  // automatic: exact up to here
  // exact requested: refuse (infeasible_error) when outer x inner multisets exceed this
  double exact_budget = 4e9;
  std::uint64_t outer_resamples = 1000;  // Monte Carlo B1
  std::uint64_t inner_resamples = 1000;  // Monte Carlo B2 per outer resample
  std::uint64_t seed = 20020;
  // exec.threads: the arena of the run (0: the caller's arena / all cores). The double bootstrap
  // is not cancellable nor distributed and reports no progress: the other fields are not used.
  execution exec{};
};

struct calibrated_result {
  interval ci;                         // method calibrated, level = the target level
  double nominal_level = 0.0;          // 1 - 2a: the percentile level that attains the target
  double bootstrap_coverage = 0.0;     // C(a) at the calibrated a
  double uncalibrated_coverage = 0.0;  // C((1 - level)/2): the plain percentile interval's
  // False when C(a) >= level holds only in the limit a -> nominal tail from below (the interval
  // is that limit); bootstrap_coverage is then C at a just below the tail.
  bool attained = true;
  bool exact = true;
  std::string algorithm;  // "exact double bootstrap" or "Monte Carlo double bootstrap"
  double outer = 0.0;     // outer multisets (exact) or B1
  double inner = 0.0;     // inner multisets per outer resample (largest, exact) or B2
  std::vector<std::string> notes;
};

// Throws invalid_argument (n < 2, level outside (0, 1), non-finite data, zero resamples) and
// infeasible_error (exact requested beyond exact_budget).
calibrated_result calibrated_percentile_interval(std::span<const double> sample, const statistic& stat,
                                                 double level, const calibrated_options& options = {});

}  // namespace resample::bootstrap
