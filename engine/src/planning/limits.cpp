// Wall-time estimates for time limits and announcements (see limits.hpp).

#include "resample/planning/limits.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "resample/bootstrap/convolution.hpp"
#include "resample/bootstrap/exact_enumeration.hpp"
#include "resample/distribution.hpp"
#include "resample/error.hpp"
#include "resample/planning/plan.hpp"

namespace resample::planning {

namespace {

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Sets `flag` when `seconds` have passed, unless destroyed first: the hard stop of a pilot step
// whose prediction was wrong. Only with the real clock (a fake clock does not pass by itself).
class deadline_watch {
 public:
  deadline_watch(std::atomic<bool>& flag, double seconds) {
    thread_ = std::thread([this, &flag, seconds] {
      std::unique_lock lock(mutex_);
      if (!wake_.wait_for(lock, std::chrono::duration<double>(std::max(0.0, seconds)),
                          [this] { return done_; }))
        flag.store(true, std::memory_order_relaxed);
    });
  }
  ~deadline_watch() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  deadline_watch(const deadline_watch&) = delete;
  deadline_watch& operator=(const deadline_watch&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

// Work grows at least linearly in n: every value is read.
constexpr double min_exponent = 1.0;
// Below this a step's time is mostly call overhead and says nothing about its growth.
constexpr double measurable_seconds = 2e-4;

}  // namespace

double pilot_seconds(double limit_seconds) {
  if (!(limit_seconds > 0.0)) return announce_pilot_seconds;
  return std::min(max_pilot_seconds, pilot_share_of_limit * limit_seconds);
}

pilot_budget::pilot_budget(double seconds, pilot_clock clock)
    : total_(seconds), real_clock_(!clock), clock_(clock ? std::move(clock) : pilot_clock(steady_seconds)) {}

double pilot_budget::elapsed() const { return started_ ? clock_() - start_ : 0.0; }

double pilot_budget::remaining() const { return std::max(0.0, total_ - elapsed()); }

bool pilot_budget::step(double predicted, const std::function<void(const std::atomic<bool>*)>& run,
                        double& seconds) {
  // The budget's clock starts at its first step: the analysis before it (sorting and lattice
  // detection of 10^6 values) costs what the data cost, whatever the request, and once left the
  // pilots nothing but a first step timed at k = 16 to extrapolate a hundred thousandfold.
  if (!started_) {
    start_ = clock_();
    started_ = true;
  }
  // An estimate's first step (predicted 0) runs even when the budget is spent, cut at a tenth of
  // it: without one measurement there is no estimate at all.
  const double left = predicted > 0.0 ? remaining() : std::max(remaining(), total_ / 10.0);
  if (predicted > 0.0 && !(predicted <= left)) return false;
  std::atomic<bool> cancel{false};
  overran_ = false;
  const double begin = clock_();
  try {
    if (!real_clock_) {
      run(nullptr);
    } else {
      const deadline_watch watch(cancel, left);
      run(&cancel);
    }
  } catch (const cancelled_error&) {
    overran_ = true;
  }
  seconds = clock_() - begin;
  ++steps_;
  return true;
}

// The estimate is not more precise, and a suggestion of 4800000 reads better than 4817342.
std::uint64_t round_down_two_digits(double x) {
  if (!(x >= 1.0)) return 0;
  if (x >= 9e18) return std::uint64_t{9000000000000000000};
  const double scale = std::pow(10.0, std::max(0.0, std::floor(std::log10(x)) - 1.0));
  return static_cast<std::uint64_t>(std::floor(x / scale) * scale);
}

std::uint64_t fitting_count(const time_estimate& estimate, double limit_seconds) {
  if (estimate.exact || !(estimate.seconds_per_unit > 0.0)) return 0;
  return round_down_two_digits((limit_seconds - estimate.fixed_seconds) / estimate.seconds_per_unit);
}

time_estimate pilot_time_estimate(const pilot_run& run, const pilot_shape& shape, pilot_budget& budget) {
  const double start = budget.elapsed();
  const std::uint64_t count = std::max<std::uint64_t>(shape.count, 1);
  const std::size_t n = std::max<std::size_t>(shape.size, 1);
  // A step this long is long enough to time; the steps before it add up to a third of it.
  const double long_enough = budget.total() / 4.0;
  const std::uint64_t c0 = std::clamp<std::uint64_t>(shape.first_count, 1, count);
  std::size_t k = std::clamp<std::size_t>(shape.first_size, 1, n);
  double s = 0.0;
  bool cut = false;  // a step of this estimate was cancelled at the budget's end
  auto step = [&](std::uint64_t c, std::size_t size, double predicted, double& seconds) {
    const bool ran = budget.step(
        predicted, [&](const std::atomic<bool>* cancel) { run(c, size, cancel); }, seconds);
    cut = cut || (ran && budget.overran());
    return ran;
  };
  time_estimate e;
  if (!step(c0, k, 0.0, s)) return e;  // the first step always runs
  // How much the next step may grow: at most fourfold, and predicted to last at most half of what
  // the budget has left, so that the steps of several estimates sharing it add up to less than it.
  auto growth = [&](double seconds, double exponent) {
    const double room = budget.remaining() / 2.0;
    return seconds > 0.0 ? std::min(4.0, std::pow(room / seconds, 1.0 / exponent)) : 4.0;
  };
  constexpr double least_growth = 1.5;  // a smaller step adds a measurement, not information
  // Size ladder: the same c0 units on growing problems while the next one fits.
  const double max_exponent = std::max(min_exponent, shape.exponent);
  double exponent = max_exponent;
  while (k < n && !cut) {
    const double g = growth(s, exponent);
    if (g < least_growth) break;
    const auto next =
        static_cast<std::size_t>(std::min(static_cast<double>(n), std::floor(static_cast<double>(k) * g)));
    const double ratio = static_cast<double>(next) / static_cast<double>(k);
    double t = 0.0;
    if (!step(c0, next, s * std::pow(ratio, exponent), t)) break;
    if (s >= measurable_seconds)
      exponent = std::clamp(std::log(t / s) / std::log(ratio), min_exponent, max_exponent);
    k = next;
    s = t;
  }
  if (k < n) {
    // Stopped short of the run's size: c0 units there, extrapolated; fixed costs ride along (what
    // one call costs at size k mostly grows with the size too: buffers, sorting, tables).
    e.seconds_per_unit =
        s * std::pow(static_cast<double>(n) / static_cast<double>(k), exponent) / static_cast<double>(c0);
    e.seconds = e.seconds_per_unit * static_cast<double>(count);
    e.at_least = cut;
    e.pilot_seconds = budget.elapsed() - start;
    return e;
  }
  // Count ladder at the full size.
  std::uint64_t c = c0;
  const double s0 = s;
  while (c < count && s < long_enough && !cut) {
    const double g = growth(s, 1.0);
    if (g < least_growth) break;
    const auto next = static_cast<std::uint64_t>(
        std::min(static_cast<double>(count), std::floor(static_cast<double>(c) * g)));
    double t = 0.0;
    if (!step(next, n, s * static_cast<double>(next) / static_cast<double>(c), t)) break;
    c = next;
    s = t;
  }
  e.at_least = cut;
  e.pilot_seconds = budget.elapsed() - start;
  if (c == count && !e.at_least) {  // the pilot was the whole run: nothing to extrapolate
    e.seconds = s;
    e.seconds_per_unit = s / static_cast<double>(count);
    return e;
  }
  const double span = static_cast<double>(c - c0);
  double slope = span > 0.0 && !e.at_least ? (s - s0) / span : 0.0;
  if (!(slope > 0.0)) slope = s / static_cast<double>(c);
  e.seconds_per_unit = slope;
  e.fixed_seconds = std::max(0.0, s - slope * static_cast<double>(c));
  e.seconds = e.fixed_seconds + slope * static_cast<double>(count);
  return e;
}

time_estimate combine(std::span<const time_estimate> parts) {
  time_estimate all;
  all.exact = true;
  for (const auto& p : parts) {
    all.seconds += p.seconds;
    all.fixed_seconds += p.fixed_seconds;
    all.seconds_per_unit += p.seconds_per_unit;
    all.pilot_seconds += p.pilot_seconds;
    all.at_least = all.at_least || p.at_least;
    // The part a smaller count would shorten names the whole; otherwise the first part does.
    if (all.what.empty() || (all.exact && !p.exact)) all.what = p.what;
    all.exact = all.exact && p.exact;
    if (p.costly_part_seconds > all.costly_part_seconds) {
      all.costly_part = p.costly_part;
      all.costly_part_seconds = p.costly_part_seconds;
    }
  }
  return all;
}

bool studentized_is_nested(const statistic& stat, bootstrap::studentized_se_method se) {
  return !is_sum_type(stat) &&
         bootstrap::resolve_studentized_se(se, stat) == bootstrap::studentized_se_method::nested;
}

double statistic_cost_exponent(const statistic& stat) { return cost_exponent(stat); }

std::vector<bootstrap::interval_method> default_intervals(const statistic& stat,
                                                          bootstrap::studentized_se_method se) {
  auto methods = bootstrap::all_interval_methods();
  if (studentized_is_nested(stat, se)) std::erase(methods, bootstrap::interval_method::studentized);
  return methods;
}

void select_default_coverage_intervals(simulation::coverage_options& options) {
  options.methods = default_intervals(options.stat, options.se_method);
  options.t_interval = options.hodges_lehmann_interval = options.sign_flip_interval = true;
}

namespace {

bool asks(std::span<const bootstrap::interval_method> intervals, bootstrap::interval_method m) {
  return std::find(intervals.begin(), intervals.end(), m) != intervals.end();
}

bool asks_studentized(const bootstrap::bootstrap_options& options) {
  return asks(options.intervals, bootstrap::interval_method::studentized);
}

// A bootstrap's growth in n: the statistic's, one more for BCa's jackknife (n evaluations) of a
// statistic that is not a mean of scores.
double bootstrap_cost_exponent(const statistic& stat, std::span<const bootstrap::interval_method> intervals) {
  const bool jackknife = asks(intervals, bootstrap::interval_method::bca) && !is_sum_type(stat);
  return statistic_cost_exponent(stat) + (jackknife ? 1.0 : 0.0);
}

// Exact runs are timed on prefixes by plan.hpp's model, whose steps grow to about a calibration
// time each and add up to two or three of them: a third of what the budget has left.
double exact_calibration(const pilot_budget& budget) { return budget.remaining() / 3.0; }

time_estimate exact_bootstrap_estimate(std::span<const double> sample,
                                       const bootstrap::bootstrap_options& options, bool studentized,
                                       pilot_budget& budget) {
  const double start = budget.elapsed();
  plan_request request;
  request.stat = options.stat;
  request.target = target_kind::interval;
  request.interval =
      studentized ? bootstrap::interval_method::studentized : bootstrap::interval_method::percentile;
  request.level = options.level;
  request.seed = options.seed;
  request.exec.threads = options.exec.threads;
  request.calibration_seconds = exact_calibration(budget);
  const exact_plan plan = plan_exact(sample, request);
  time_estimate e;
  e.exact = true;
  e.seconds = e.fixed_seconds = plan.seconds;
  e.what = "the exact " + (plan.algorithm.empty() ? std::string("bootstrap") : plan.algorithm);
  e.pilot_seconds = budget.elapsed() - start;
  return e;
}

time_estimate monte_carlo_bootstrap_estimate(std::span<const double> sample,
                                             const bootstrap::bootstrap_options& options,
                                             pilot_budget& budget) {
  bootstrap::bootstrap_options pilot = options;
  pilot.requested = bootstrap::method::monte_carlo;
  pilot.exec.distribute = nullptr;  // pilots run here, not spread over MPI ranks
  const bool nested = asks_studentized(options) && studentized_is_nested(options.stat, options.se_method);
  pilot_shape shape;
  shape.count = options.resamples;
  shape.first_count = nested ? 16 : 256;  // a nested resample costs some 200 plain ones
  shape.size = sample.size();
  // A calibrated interval costs a fixed double bootstrap (10^6 resamples past n = 8) whatever B.
  shape.first_size = 16;
  shape.exponent = bootstrap_cost_exponent(options.stat, options.intervals);
  time_estimate e = pilot_time_estimate(
      [&](std::uint64_t b, std::size_t k, const std::atomic<bool>* cancel) {
        pilot.resamples = b;
        pilot.exec.cancel = cancel;
        (void)bootstrap::bootstrap(sample.first(k), pilot);
      },
      shape, budget);
  e.what = "the Monte Carlo run";
  return e;
}

// The nested studentized interval's share of an estimate `all`, from an estimate of the same run
// without it (when the budget is spent, that is its first step alone, cut at a tenth of the budget:
// a run without the nested bootstrap is some 200 times cheaper, so one step tells the share).
template <class Estimate>
void name_studentized(time_estimate& all, const bootstrap::bootstrap_options& options,
                      Estimate without_studentized) {
  if (!(asks_studentized(options) && studentized_is_nested(options.stat, options.se_method))) return;
  auto rest = options;
  std::erase(rest.intervals, bootstrap::interval_method::studentized);
  const time_estimate other = without_studentized(rest);
  all.pilot_seconds += other.pilot_seconds;
  if (all.seconds > 2.0 * other.seconds) {
    all.costly_part = "studentized (nested bootstrap of 200 per resample)";
    all.costly_part_seconds = all.seconds - other.seconds;
  }
}

}  // namespace

time_estimate bootstrap_time_estimate(std::span<const double> sample,
                                      const bootstrap::bootstrap_options& options, pilot_budget& budget) {
  // bootstrap()'s own route; an exact request it refuses gets no estimate (the run reports it).
  bootstrap::bootstrap_route route;
  try {
    route = bootstrap::plan_bootstrap(sample, options);
  } catch (const infeasible_error&) {
    return {};
  }
  if (route.exact) {
    // plan.hpp's exact model refuses the convolution for a studentized interval; bootstrap()
    // convolves anyway (and reports studentized as unavailable), so time what it runs.
    const bool studentized =
        asks_studentized(options) && route.algorithm == bootstrap::bootstrap_algorithm::enumeration;
    time_estimate e = exact_bootstrap_estimate(sample, options, studentized, budget);
    if (studentized)
      name_studentized(e, options, [&](const bootstrap::bootstrap_options&) {
        return exact_bootstrap_estimate(sample, options, false, budget);
      });
    return e;
  }
  time_estimate e = monte_carlo_bootstrap_estimate(sample, options, budget);
  name_studentized(e, options, [&](const bootstrap::bootstrap_options& rest) {
    return monte_carlo_bootstrap_estimate(sample, rest, budget);
  });
  return e;
}

namespace {

time_estimate exact_estimate(const exact_plan& plan, const std::string& test, double pilot) {
  time_estimate e;
  e.exact = true;
  e.seconds = e.fixed_seconds = plan.seconds;
  e.what = "the exact " + test + " (" + plan.algorithm + ")";
  e.pilot_seconds = pilot;
  return e;
}

plan_request test_request(const statistic& stat, test_kind test, inference::alternative alt,
                          std::size_t threads, const pilot_budget& budget) {
  plan_request r;
  r.stat = stat;
  r.target = target_kind::test;
  r.test = test;
  r.alt = alt;
  r.exec.threads = threads;
  r.calibration_seconds = exact_calibration(budget);
  return r;
}

// Monte Carlo tests: pilots of fewer sign patterns, on a prefix of the differences when one
// pattern of the whole is itself expensive.
time_estimate monte_carlo_test_estimate(const pilot_run& run, std::uint64_t resamples, std::size_t n,
                                        double exponent, const std::string& test, pilot_budget& budget) {
  pilot_shape shape;
  shape.exponent = exponent;
  shape.count = resamples;
  shape.first_count = 256;
  shape.size = n;
  shape.first_size = 256;
  time_estimate e = pilot_time_estimate(run, shape, budget);
  e.what = "the Monte Carlo " + test;
  return e;
}

}  // namespace

time_estimate sign_flip_time_estimate(std::span<const double> d, const statistic& stat,
                                      inference::alternative alt, const inference::sign_flip_options& options,
                                      pilot_budget& budget) {
  inference::sign_flip_options pilot = options;
  pilot.method = inference::method_choice::monte_carlo;
  pilot.keep_null_distribution = false;
  pilot.exec.distribute = nullptr;
  auto monte_carlo = [&] {
    return monte_carlo_test_estimate(
        [&](std::uint64_t b, std::size_t k, const std::atomic<bool>* cancel) {
          pilot.resamples = b;
          pilot.exec.cancel = cancel;
          (void)inference::sign_flip_monte_carlo(d.first(k), stat, alt, pilot);
        },
        options.resamples, d.size(), statistic_cost_exponent(stat), "sign-flip test", budget);
  };
  // The test's own route decides exact or Monte Carlo (infeasible exact: no estimate, the run
  // itself refuses).
  inference::sign_flip_route route;
  try {
    route = inference::plan_sign_flip(d, stat, options.method, options.resamples);
  } catch (const infeasible_error&) {
    return time_estimate{};
  }
  if (!route.exact) return monte_carlo();
  const double start = budget.elapsed();
  const exact_plan plan =
      plan_exact(d, test_request(stat, test_kind::sign_flip, alt, options.exec.threads, budget));
  if (!plan.feasible) return time_estimate{};
  return exact_estimate(plan, "sign-flip test", budget.elapsed() - start);
}

time_estimate wilcoxon_time_estimate(std::span<const double> d, inference::alternative alt,
                                     const inference::wilcoxon_options& options, pilot_budget& budget) {
  if (options.method == inference::method_choice::approximate) return {};
  if (options.method == inference::method_choice::monte_carlo) {
    inference::wilcoxon_options pilot = options;
    pilot.keep_null_distribution = false;
    return monte_carlo_test_estimate(
        [&](std::uint64_t b, std::size_t k, const std::atomic<bool>* cancel) {
          pilot.resamples = b;
          pilot.exec.cancel = cancel;
          (void)inference::wilcoxon_test(d.first(k), alt, pilot);
        },
        options.resamples, d.size(), 1.0, "Wilcoxon test", budget);
  }
  const double start = budget.elapsed();
  auto request = test_request(statistic{}, test_kind::wilcoxon, alt, options.exec.threads, budget);
  request.zeros = options.zeros;
  const exact_plan plan = plan_exact(d, request);
  // Past both exact limits automatic mode uses the normal approximation and exact mode refuses.
  return plan.feasible ? exact_estimate(plan, "Wilcoxon test", budget.elapsed() - start) : time_estimate{};
}

time_estimate power_time_estimate(const simulation::effect_model& model, std::span<const std::size_t> sizes,
                                  const simulation::power_options& options, pilot_budget& budget) {
  simulation::power_options pilot = options;
  pilot.exec.progress = nullptr;
  const std::size_t largest = sizes.empty() ? 1 : *std::max_element(sizes.begin(), sizes.end());
  std::vector<std::size_t> scaled(sizes.size());
  pilot_shape shape;
  shape.count = options.trials;
  shape.first_count = 4;
  shape.size = largest;
  // Inside a trial: the sign-flip lattice DP grows as n^2 (n values times a sum range of order n),
  // the exact Wilcoxon DP as n^3, the sign and t tests as n.
  shape.exponent = options.test == simulation::test_kind::sign_flip  ? 2.0
                   : options.test == simulation::test_kind::wilcoxon ? 3.0
                                                                     : 1.0;
  // Trial t at size n draws from its own stream, so the pilot's trials are the run's first ones:
  // representative, and not reused (the run starts afresh). A ladder size k < largest scales the
  // whole grid by k / largest.
  time_estimate e = pilot_time_estimate(
      [&](std::uint64_t trials, std::size_t k, const std::atomic<bool>* cancel) {
        for (std::size_t i = 0; i < sizes.size(); ++i)
          scaled[i] = k == largest ? sizes[i] : std::max<std::size_t>(2, sizes[i] * k / largest);
        pilot.trials = trials;
        pilot.exec.cancel = cancel;
        (void)simulation::power_curve(model, scaled, pilot);
      },
      shape, budget);
  e.what = "the power simulation";
  return e;
}

time_estimate coverage_time_estimate(const simulation::effect_model& model, std::size_t n,
                                     const simulation::coverage_options& options, pilot_budget& budget) {
  simulation::coverage_options pilot = options;
  pilot.exec.progress = nullptr;
  auto at = [&](std::uint64_t resamples) {
    pilot.bootstrap_resamples = resamples;
    pilot_shape shape;
    shape.count = options.trials;
    shape.first_count = 2;  // a trial may run a double bootstrap (calibrated): 10^6 resamples
    shape.size = n;
    // Below exact_max_n the trials take the exact bootstrap: a different cost, never extrapolated.
    shape.first_size = std::max<std::size_t>(16, options.exact_max_n + 1);
    shape.exponent = bootstrap_cost_exponent(options.stat, options.methods);
    return pilot_time_estimate(
        [&](std::uint64_t trials, std::size_t k, const std::atomic<bool>* cancel) {
          pilot.trials = trials;
          pilot.exec.cancel = cancel;
          (void)simulation::simulate_coverage(model, k, pilot);
        },
        shape, budget);
  };
  constexpr std::uint64_t small = 500, large = 2000;
  const std::uint64_t b = options.bootstrap_resamples;
  time_estimate e;
  if (n <= options.exact_max_n || b <= large) {
    e = at(b);
  } else {
    // A trial's Monte Carlo bootstrap grows linearly in its resamples: per-trial time at two B,
    // extrapolated to the asked B; proportionally from the smaller B when the budget is spent
    // after it, or when noise makes the slope non-positive.
    const time_estimate low = at(small);
    const bool both = budget.remaining() > budget.total() / 2;
    const time_estimate high = both ? at(large) : low;
    const double slope =
        both ? (high.seconds_per_unit - low.seconds_per_unit) / static_cast<double>(large - small) : 0.0;
    const double per_trial = slope > 0.0 ? high.seconds_per_unit + slope * static_cast<double>(b - large)
                                         : high.seconds_per_unit * static_cast<double>(b) /
                                               static_cast<double>(both ? large : small);
    e.fixed_seconds = high.fixed_seconds;
    e.seconds_per_unit = per_trial;
    e.seconds = e.fixed_seconds + per_trial * static_cast<double>(options.trials);
    e.at_least = low.at_least || high.at_least;
    e.pilot_seconds = low.pilot_seconds + (both ? high.pilot_seconds : 0.0);
  }
  e.what = "the coverage simulation";
  return e;
}

}  // namespace resample::planning
