#pragma once
// Resource limits (issue 9): before a run starts, predict its wall time on this machine so that a
// plan over --max-seconds is refused with what would fit, instead of being killed half-way.
//
// Method: the run's own code is timed on a small pilot (fewer resamples or trials, same seed) at
// growing sizes until one pilot lasts a calibration budget (at most 0.05 s and a twentieth of the
// limit), and the wall time is scaled linearly, fixed + per_unit * count, like resample plan's
// Monte Carlo model (planning/plan.hpp). Exact runs, whose time does not depend on a count, take
// plan.hpp's exact time model (exact work timed on prefixes of the data and scaled by the work
// ratio) with a budget of a quarter of the limit, at most 0.05 s. Pilots are separate runs: they never change
// the real run's result. Nothing here does I/O; the CLI words the refusal.

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "resample/bootstrap/bootstrap.hpp"
#include "resample/inference/rank_tests.hpp"
#include "resample/inference/sign_flip.hpp"
#include "resample/simulation/coverage.hpp"
#include "resample/simulation/effect_model.hpp"
#include "resample/simulation/power.hpp"

namespace resample::planning {

struct time_estimate {
  double seconds = 0.0;           // predicted wall time of the whole run
  double fixed_seconds = 0.0;     // part that does not grow with the count (all of it when exact)
  double seconds_per_unit = 0.0;  // per resample or trial; 0 when the run is exact
  bool exact = false;             // the run is exact: fewer resamples do not make it faster
  std::string what;               // e.g. "the Monte Carlo run", "the exact enumeration"
};

// The calibration budget for a limit: the longest single pilot run worth timing.
double calibration_budget(double limit_seconds);

// Largest count whose predicted time fits within limit_seconds, rounded down to two significant
// digits (0: not even one unit fits, or the estimate does not scale with a count).
std::uint64_t fitting_count(const time_estimate& estimate, double limit_seconds);

// x rounded down to two significant digits (0 below 1): the suggestion a refusal makes.
std::uint64_t round_down_two_digits(double x);

// Times run(c) at c = first, 4 first, ... (never above count) until one call lasts
// calibration_budget(limit_seconds) or c = count, and fits fixed + per_unit * c through the first
// and last call (proportional when noise makes the slope non-positive).
time_estimate linear_time_estimate(const std::function<void(std::uint64_t)>& run, std::uint64_t count,
                                   std::uint64_t first, double limit_seconds);

// The estimates of runs made one after the other, as one.
time_estimate combine(std::span<const time_estimate> parts);

// bootstrap::bootstrap(sample, options): exact (plan.hpp's exact model, the same choice as
// bootstrap()) or Monte Carlo (pilot bootstraps of fewer resamples, run locally). Throws like
// bootstrap() for bad input.
time_estimate bootstrap_time_estimate(std::span<const double> sample,
                                      const bootstrap::bootstrap_options& options, double limit_seconds);

// inference::sign_flip_test(d, stat, alt, options): exact (plan.hpp's model, the dispatcher's
// choice) or Monte Carlo (pilots of fewer sign patterns). A run the test itself refuses (exact
// requested past the limits) gets a zero estimate: the test says why.
time_estimate sign_flip_time_estimate(std::span<const double> d, const statistic& stat,
                                      inference::alternative alt, const inference::sign_flip_options& options,
                                      double limit_seconds);

// inference::wilcoxon_test(d, alt, options): the exact DP (plan.hpp's model), Monte Carlo pilots,
// or zero for the normal approximation.
time_estimate wilcoxon_time_estimate(std::span<const double> d, inference::alternative alt,
                                     const inference::wilcoxon_options& options, double limit_seconds);

// simulation::power_curve(model, sizes, options): pilots of fewer trials, scaled in trials.
time_estimate power_time_estimate(const simulation::effect_model& model, std::span<const std::size_t> sizes,
                                  const simulation::power_options& options, double limit_seconds);

// simulation::simulate_coverage(model, n, options): pilots of fewer trials, scaled in trials; when
// the trials run a Monte Carlo bootstrap (n > exact_max_n) the per-trial time is measured at 500
// and 2000 resamples and scaled linearly to bootstrap_resamples.
time_estimate coverage_time_estimate(const simulation::effect_model& model, std::size_t n,
                                     const simulation::coverage_options& options, double limit_seconds);

}  // namespace resample::planning
