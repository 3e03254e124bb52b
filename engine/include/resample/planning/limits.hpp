#pragma once
// Resource limits (issues 9 and 14): before a run starts, predict its wall time on this machine so
// that a plan over a time limit is refused with what would fit, instead of being killed half-way,
// and so that a long run can say up front how long it will take.
//
// Method: the run's own code is timed on small pilots and scaled. The pilots of one prediction
// share a pilot_budget: at most pilot_seconds(limit) of wall time, min(0.2 s, 5% of the limit),
// so that the prediction itself never costs more than a small part of what it protects. Every
// pilot step is predicted from the previous one and skipped when it would overrun the budget,
// and a step that overruns anyway is cancelled at the budget's end (its time is then a lower
// bound, and the estimate says "at least").
//   - A unit (a resample, a trial) that is itself expensive at the run's problem size n is never
//     timed there: the pilot starts on a smaller problem (a prefix of the data, a smaller sample
//     size) and grows it fourfold while the next step fits the budget; when it has to stop short
//     of n, the per-unit time is extrapolated by t(n) = t(k) (n / k)^e, e the exponent fitted
//     between the last two sizes, at least 1 and at most the cost model's (pilot_shape).
//   - At the full size the count grows fourfold until one step lasts a quarter of the budget or
//     is the whole run, and the time is fitted as fixed + per_unit * count.
// Exact runs, whose time does not depend on a count, take plan.hpp's exact time model (exact work
// timed on prefixes of the data and scaled by the work ratio) within the same budget. Pilots are
// separate runs: they never change the real run's result. Nothing here does I/O; the CLI words
// the refusal and the announcement.

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "resample/bootstrap/bootstrap.hpp"
#include "resample/inference/rank_tests.hpp"
#include "resample/inference/sign_flip.hpp"
#include "resample/simulation/coverage.hpp"
#include "resample/simulation/effect_model.hpp"
#include "resample/simulation/power.hpp"

namespace resample::planning {

// The pilot budget of a prediction: pilot_share_of_limit of the limit, at most max_pilot_seconds.
inline constexpr double max_pilot_seconds = 0.2;
inline constexpr double pilot_share_of_limit = 0.05;
// Without a limit a prediction is made only to announce a long run: telling ten seconds from less
// needs no precision, and the pilot must not slow every short run down noticeably.
inline constexpr double announce_pilot_seconds = 0.02;
// limit_seconds <= 0 (no limit): announce_pilot_seconds.
double pilot_seconds(double limit_seconds);

// Seconds on a monotonic clock. The default is std::chrono::steady_clock; tests give a fake one
// that their pilot runs advance, so the budget arithmetic is checked without timing anything.
using pilot_clock = std::function<double()>;

// The wall time one prediction's pilots may use, measured from its first step (everything run
// after it counts, pilot or not; the analysis of the data before it does not).
class pilot_budget {
 public:
  explicit pilot_budget(double seconds, pilot_clock clock = {});

  double total() const { return total_; }
  double elapsed() const;
  double remaining() const;

  // Runs one pilot step predicted to take `predicted` seconds, unless that would overrun what is
  // left (then it returns false and runs nothing). `run` gets a cancel flag to pass to the engine:
  // with the real clock it is set when the budget runs out, and the step's cancelled_error is
  // taken as "it lasted at least until then" (overran()). seconds: the step's time.
  bool step(double predicted, const std::function<void(const std::atomic<bool>*)>& run, double& seconds);

  bool overran() const { return overran_; }     // the last step was cancelled at the budget's end
  std::size_t steps() const { return steps_; }  // pilot steps run

 private:
  double total_;
  bool real_clock_;
  pilot_clock clock_;
  double start_ = 0.0;
  bool started_ = false;
  bool overran_ = false;
  std::size_t steps_ = 0;
};

struct time_estimate {
  double seconds = 0.0;           // predicted wall time of the whole run
  double fixed_seconds = 0.0;     // part that does not grow with the count (all of it when exact)
  double seconds_per_unit = 0.0;  // per resample or trial; 0 when the run is exact
  bool exact = false;             // the run is exact: fewer resamples do not make it faster
  bool at_least = false;          // a pilot step was cut at the budget: seconds is a lower bound
  std::string what;               // e.g. "the Monte Carlo run", "the exact enumeration"
  // What costs the time when one requested part dominates it (e.g. a nested bootstrap interval),
  // and that part's own seconds; empty when no single part does.
  std::string costly_part;
  double costly_part_seconds = 0.0;
  double pilot_seconds = 0.0;  // wall time the pilots behind this estimate used
};

// Largest count whose predicted time fits within limit_seconds, rounded down to two significant
// digits (0: not even one unit fits, or the estimate does not scale with a count).
std::uint64_t fitting_count(const time_estimate& estimate, double limit_seconds);

// x rounded down to two significant digits (0 below 1): the suggestion a refusal makes.
std::uint64_t round_down_two_digits(double x);

// One pilot run: `count` units (resamples, trials) on a problem of `size` (at most the run's),
// ending with cancelled_error when `cancel` is set.
using pilot_run = std::function<void(std::uint64_t count, std::size_t size, const std::atomic<bool>* cancel)>;

struct pilot_shape {
  std::uint64_t count = 1;        // the run's count
  std::uint64_t first_count = 1;  // the first pilot's count (at most count)
  std::size_t size = 1;           // the run's problem size n
  std::size_t first_size = 64;    // where a size ladder starts when the run's size is larger
  // The cost model's growth in the size, t ~ size^exponent (1: a Monte Carlo resample of a mean,
  // 2: the lattice DP or a Hodges-Lehmann estimate, 3: the exact Wilcoxon DP): assumed until two
  // sizes are long enough to time, and the most a measurement may raise it to (timer noise and
  // other processes make short steps look steeper than they are).
  double exponent = 2.0;
};

// The method of the header comment: a size ladder up to shape.size, then a count ladder, all
// within `budget`.
time_estimate pilot_time_estimate(const pilot_run& run, const pilot_shape& shape, pilot_budget& budget);

// The estimates of runs made one after the other, as one.
time_estimate combine(std::span<const time_estimate> parts);

// The intervals a bootstrap computes when none are asked for: the single-bootstrap methods, less
// studentized when its se* would take a nested bootstrap inside every resample (a statistic
// without an analytic standard error with se = nested: about 200 times the cost of the others
// together). With the jackknife se* (the default) studentized is included: about K + 1 times a
// percentile-only run. Asking for studentized explicitly always gives it.
std::vector<bootstrap::interval_method> default_intervals(
    const statistic& stat, bootstrap::studentized_se_method se = bootstrap::default_studentized_se);

// The intervals a coverage run measures when none are named (`resample coverage` without --ci,
// Python's coverage(ci=None)): default_intervals(options.stat, options.se_method), then t, hl and
// the sign-flip set. Sets the fields simulation::select_coverage_intervals sets.
void select_default_coverage_intervals(simulation::coverage_options& options);

// True when a studentized interval of `stat` with this se* needs a nested bootstrap per resample.
bool studentized_is_nested(const statistic& stat,
                           bootstrap::studentized_se_method se = bootstrap::default_studentized_se);

// bootstrap::bootstrap(sample, options): exact (plan.hpp's exact model, the same choice as
// bootstrap()) or Monte Carlo (pilot bootstraps of fewer resamples, on a prefix of the sample when
// one resample of the whole is itself expensive). A nested studentized interval is named as the
// costly part. Throws like bootstrap() for bad input.
time_estimate bootstrap_time_estimate(std::span<const double> sample,
                                      const bootstrap::bootstrap_options& options, pilot_budget& budget);

// inference::sign_flip_test(d, stat, alt, options): exact (plan.hpp's model, the dispatcher's
// choice) or Monte Carlo (pilots of fewer sign patterns). A run the test itself refuses (exact
// requested past the limits) gets a zero estimate: the test says why.
time_estimate sign_flip_time_estimate(std::span<const double> d, const statistic& stat,
                                      inference::alternative alt, const inference::sign_flip_options& options,
                                      pilot_budget& budget);

// inference::wilcoxon_test(d, alt, options): the exact DP (plan.hpp's model), Monte Carlo pilots,
// or zero for the normal approximation.
time_estimate wilcoxon_time_estimate(std::span<const double> d, inference::alternative alt,
                                     const inference::wilcoxon_options& options, pilot_budget& budget);

// simulation::power_curve(model, sizes, options): pilots of fewer trials (at scaled-down sample
// sizes when one trial at the largest is expensive), scaled in trials.
time_estimate power_time_estimate(const simulation::effect_model& model, std::span<const std::size_t> sizes,
                                  const simulation::power_options& options, pilot_budget& budget);

// simulation::simulate_coverage(model, n, options): pilots of fewer trials, scaled in trials; when
// the trials run a Monte Carlo bootstrap (n > exact_max_n) the per-trial time is measured at 500
// and 2000 resamples and scaled linearly to bootstrap_resamples.
time_estimate coverage_time_estimate(const simulation::effect_model& model, std::size_t n,
                                     const simulation::coverage_options& options, pilot_budget& budget);

}  // namespace resample::planning
