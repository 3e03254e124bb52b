#pragma once
// Planning a resampling run (issue 7): before spending minutes on a Monte Carlo run, say whether
// the exact answer is cheaper, and otherwise how many resamples B reach a target Monte Carlo
// precision and how long that takes on this machine.
//
// Method (docs/performance.md, "resample plan"):
//  1. Exact cost from the engine's own cost model: compositions C(n + K - 1, K - 1) for the
//     bootstrap enumeration, convolution_cost() for sum-type statistics on a lattice,
//     subset_sum_work() for the lattice sign-flip DP and the exact Wilcoxon, 2^m patterns for
//     Gray code and meet in the middle. Its time is measured, not guessed: the exact path runs on
//     the largest prefix of the data whose work fits a calibration budget, and the time is scaled
//     by the ratio of the works (the whole problem when it fits).
//  2. Monte Carlo B from a pilot (Andrews & Buchinsky's three steps): (i) B1 from a normal
//     approximation of the bootstrap distribution (a small first run gives its centre and spread),
//     (ii) a pilot of B1 resamples gives the endpoint's Monte Carlo SE from the slope of its
//     quantile function (for percentile and basic intervals: a central difference over a level
//     window four times the pilot's level SD, which halves the scatter; a window with few atoms
//     falls back to quantile_monte_carlo_se over it; the intervals' own mc_se otherwise) or the
//     p-value's binomial SE, (iii) that SE scales as 1/sqrt(B):
//     B = B1 * (se_B1 / target)^2, rounded up to two digits, at least minimum_resamples.
//     Exact is recommended when it costs at most the Monte Carlo run plus
//     exact_preference_seconds.
//  3. Wall time: the Monte Carlo path is timed at growing B until a run lasts long enough to
//     measure, and scaled linearly to the recommended B.
// Nothing here does I/O; the CLI formats the result and builds the command line.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "resample/bootstrap/intervals.hpp"
#include "resample/execution.hpp"
#include "resample/inference/test_result.hpp"
#include "resample/statistics.hpp"
#include "resample/vocabulary.hpp"

namespace resample::planning {

enum class target_kind { interval, test };

// The largest run a plan recommends. Past a day of wall time a precision target has stopped being
// a sensible goal (halving the Monte Carlo SE costs four times the run, and an SE that small is
// far below the sampling uncertainty the interval or p-value describes), and past 10^15 resamples
// the tallies near 2^53, where a double stops counting one by one. A target that would need more
// is answered with the best run within both caps and the precision it buys.
inline constexpr double max_recommended_seconds = 86400.0;
// The most wall time make_plan's own Monte Carlo pilots may take: predicted before they run (from
// limits.hpp's pilots, within max_pilot_seconds), and a plan whose pilots would take longer
// is refused (infeasible_error) instead of running for hours. Below the ten seconds past which a
// front end announces a run, so a plan needs no progress bar.
inline constexpr double max_plan_pilot_seconds = 10.0;
inline constexpr double max_recommended_resamples = 1e15;
// The tests, named once (vocabulary.hpp).
using resample::test_kind;

struct plan_request {
  statistic stat{};
  target_kind target = target_kind::interval;
  bootstrap::interval_method interval = bootstrap::interval_method::percentile;
  double level = 0.95;
  test_kind test = test_kind::sign_flip;
  inference::alternative alt = inference::alternative::two_sided;
  inference::zero_method zeros = inference::zero_method::pratt;
  // Exactly one is positive. absolute: the Monte Carlo SE of each interval endpoint (or of the
  // p-value) at most this, on the statistic's scale. relative: Andrews & Buchinsky's criterion,
  // |estimate_B - estimate_inf| <= relative * |estimate_inf| with probability 1 - tau, i.e. an SE
  // target of relative * |value| / z_{1 - tau/2} per endpoint (or p-value).
  double absolute = 0.0;
  double relative = 0.0;
  double tau = 0.05;
  std::uint64_t seed = 20020;
  // exec.threads: the threads of the timings (0: all cores). A plan's pilots are bounded by
  // max_plan_pilot_seconds and run here: the other fields are not used.
  execution exec{};
  // Budget of each timing measurement, and of the exact work timed directly before scaling.
  double calibration_seconds = 0.05;
  // Smallest B ever recommended: fewer resamples make the Monte Carlo SE itself unreliable.
  std::uint64_t minimum_resamples = 1000;
  // Exact is recommended when it costs at most the Monte Carlo run plus this: it has no Monte
  // Carlo error, and below a tenth of a second nobody waits for the difference (which, for
  // sub-millisecond runs, is timer and scheduler noise anyway).
  double exact_preference_seconds = 0.1;
};

struct exact_plan {
  bool feasible = false;
  std::string algorithm;  // "enumeration", "convolution", "lattice_dp", "gray_code", ...
  double work = 0.0;      // in `unit`
  std::string unit;       // "compositions", "multiply-adds", "additions", "patterns"
  double seconds = 0.0;   // predicted (infinite when not feasible)
  // Resamples the exact answer covers: distinct multisets or sign patterns (log10 when huge).
  double resamples_log10 = 0.0;
  std::string note;  // why it is not feasible, or how the time was measured
};

struct endpoint_precision {
  std::string name;             // "lower", "upper" or "p_value"
  double pilot_value = 0.0;     // the endpoint (or p-value) in the pilot
  double pilot_mc_se = 0.0;     // its Monte Carlo SE at the pilot's B
  double target_se = 0.0;       // the SE the goal asks for
  std::uint64_t resamples = 0;  // B this endpoint alone needs
};

struct monte_carlo_plan {
  bool available = false;  // false: the quantity is undefined here (e.g. BCa with no jackknife spread)
  std::string note;
  std::uint64_t first_resamples = 0;  // A&B step (i): the small run for the normal approximation
  std::uint64_t pilot_resamples = 0;  // step (ii): B1
  std::vector<endpoint_precision> endpoints;
  std::uint64_t resamples = 0;   // recommended B (step iii, rounded up, at least the minimum)
  double predicted_mc_se = 0.0;  // the largest endpoint SE expected at B
  // Wall time model fixed + per_resample * B, fitted to the first run and the calibration run
  // (a run has fixed costs: threads, jackknife, intervals).
  double seconds_per_resample = 0.0;
  double fixed_seconds = 0.0;
  std::uint64_t calibration_resamples = 0;
  double seconds = 0.0;  // predicted wall time at B
  // What the target itself needs, before the caps above (equal to resamples and seconds when the
  // plan is within them).
  double resamples_needed = 0.0;
  double seconds_needed = 0.0;
};

struct plan_result {
  bool recommend_exact = false;
  std::string reason;
  exact_plan exact;
  monte_carlo_plan monte_carlo;
  double predicted_seconds = 0.0;  // of the recommendation
  std::size_t threads = 0;         // threads the timings used
  // The target needs a run past max_recommended_seconds or max_recommended_resamples: what it
  // would need is in `over_limits`, and the recommendation is the best run within the caps.
  bool capped = false;
  std::string over_limits;
  std::vector<std::string> notes;
};

// Throws invalid_argument for a bad request (no or two precision goals, n < 2, ...), and
// infeasible_error when neither exact nor Monte Carlo can answer.
plan_result make_plan(std::span<const double> sample, const plan_request& request);

// Step 1 alone: the exact path's cost and measured time (request.target picks the bootstrap or
// the test; calibration_seconds bounds each timing). Used by the --max-seconds checks.
exact_plan plan_exact(std::span<const double> sample, const plan_request& request);

// Seconds per call of `kernel`, called repeatedly until min_seconds have elapsed (at least once).
double seconds_per_call(const std::function<void()>& kernel, double min_seconds);

// B rounded up to two significant digits (e.g. 23456 -> 24000): plans are not that precise.
std::uint64_t round_up_resamples(double b);

}  // namespace resample::planning
