// Wall-time estimates for --max-seconds (see limits.hpp).

#include "resample/planning/limits.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "resample/bootstrap/convolution.hpp"
#include "resample/bootstrap/exact_enumeration.hpp"
#include "resample/distribution.hpp"
#include "resample/planning/plan.hpp"

namespace resample::planning {

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_of(const std::function<void()>& call) {
  const auto start = clock_type::now();
  call();
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

// plan.hpp's exact model times prefixes of the data and scales by the work ratio, which also
// scales the per-call overhead: a prefix timed for well under a millisecond overstates a
// one-second enumeration a thousandfold. Its budget is therefore a quarter of the limit (the
// prefixes' calls add up to about two budgets, still within the limit), at most 0.05 s.
double exact_calibration_budget(double limit_seconds) { return std::min(0.05, limit_seconds / 4.0); }

}  // namespace

// The estimate is not more precise, and a suggestion of 4800000 reads better than 4817342.
std::uint64_t round_down_two_digits(double x) {
  if (!(x >= 1.0)) return 0;
  if (x >= 9e18) return std::uint64_t{9000000000000000000};
  const double scale = std::pow(10.0, std::max(0.0, std::floor(std::log10(x)) - 1.0));
  return static_cast<std::uint64_t>(std::floor(x / scale) * scale);
}

double calibration_budget(double limit_seconds) { return std::min(0.05, limit_seconds / 20.0); }

std::uint64_t fitting_count(const time_estimate& estimate, double limit_seconds) {
  if (estimate.exact || !(estimate.seconds_per_unit > 0.0)) return 0;
  return round_down_two_digits((limit_seconds - estimate.fixed_seconds) / estimate.seconds_per_unit);
}

time_estimate linear_time_estimate(const std::function<void(std::uint64_t)>& run, std::uint64_t count,
                                   std::uint64_t first, double limit_seconds) {
  const double budget = calibration_budget(limit_seconds);
  const std::uint64_t c0 = std::clamp<std::uint64_t>(first, 1, count);
  const double s0 = seconds_of([&] { run(c0); });
  std::uint64_t c = c0;
  double s = s0;
  while (s < budget && c < count) {
    c = count / 4 < c ? count : c * 4;
    s = seconds_of([&] { run(c); });
  }
  time_estimate e;
  if (c == count) {  // the pilot was the whole run: nothing to extrapolate
    e.seconds = s;
    e.seconds_per_unit = s / static_cast<double>(count);
    return e;
  }
  const double span = static_cast<double>(c - c0);
  double slope = span > 0.0 ? (s - s0) / span : 0.0;
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
    // The part a smaller count would shorten names the whole; otherwise the first part does.
    if (all.what.empty() || (all.exact && !p.exact)) all.what = p.what;
    all.exact = all.exact && p.exact;
  }
  return all;
}

time_estimate bootstrap_time_estimate(std::span<const double> sample,
                                      const bootstrap::bootstrap_options& options, double limit_seconds) {
  // The same choice as bootstrap() makes (bootstrap.cpp, choose()).
  const double compositions = bootstrap::composition_count(sample.size(), to_multiset(sample).support.size());
  const double convolution = bootstrap::convolution_cost(sample, options.stat);
  const bool exact = options.requested != bootstrap::method::monte_carlo &&
                     (compositions <= options.exact_budget || convolution <= options.convolution_budget);
  if (exact) {
    bool studentized = false;
    for (auto m : options.intervals)
      studentized = studentized || m == bootstrap::interval_method::studentized;
    plan_request request;
    request.stat = options.stat;
    request.target = target_kind::interval;
    // plan.hpp's exact model refuses the convolution for a studentized interval; bootstrap()
    // convolves anyway (and reports studentized as unavailable), so time what it runs.
    request.interval = studentized && compositions <= options.exact_budget
                           ? bootstrap::interval_method::studentized
                           : bootstrap::interval_method::percentile;
    request.level = options.level;
    request.seed = options.seed;
    request.threads = options.threads;
    request.calibration_seconds = exact_calibration_budget(limit_seconds);
    const exact_plan plan = plan_exact(sample, request);
    time_estimate e;
    e.exact = true;
    e.seconds = e.fixed_seconds = plan.seconds;
    e.what = "the exact " + (plan.algorithm.empty() ? std::string("bootstrap") : plan.algorithm);
    return e;
  }
  if (options.requested == bootstrap::method::exact) return {};  // bootstrap() refuses it by itself
  bootstrap::bootstrap_options pilot = options;
  pilot.requested = bootstrap::method::monte_carlo;
  pilot.cancel = nullptr;
  pilot.distribute = nullptr;  // pilots run here, not spread over MPI ranks
  time_estimate e = linear_time_estimate(
      [&](std::uint64_t b) {
        pilot.resamples = b;
        (void)bootstrap::bootstrap(sample, pilot);
      },
      options.resamples, 1000, limit_seconds);
  e.what = "the Monte Carlo run";
  return e;
}

namespace {

time_estimate exact_estimate(const exact_plan& plan, const std::string& test) {
  time_estimate e;
  e.exact = true;
  e.seconds = e.fixed_seconds = plan.seconds;
  e.what = "the exact " + test + " (" + plan.algorithm + ")";
  return e;
}

plan_request test_request(const statistic& stat, test_kind test, inference::alternative alt, unsigned threads,
                          double limit_seconds) {
  plan_request r;
  r.stat = stat;
  r.target = target_kind::test;
  r.test = test;
  r.alt = alt;
  r.threads = threads;
  r.calibration_seconds = exact_calibration_budget(limit_seconds);
  return r;
}

// Monte Carlo tests: pilots of fewer sign patterns through the test itself.
template <class Run>
time_estimate monte_carlo_test_estimate(Run run, std::uint64_t resamples, const std::string& test,
                                        double limit_seconds) {
  time_estimate e = linear_time_estimate(run, resamples, 4096, limit_seconds);
  e.what = "the Monte Carlo " + test;
  return e;
}

}  // namespace

time_estimate sign_flip_time_estimate(std::span<const double> d, const statistic& stat,
                                      inference::alternative alt, const inference::sign_flip_options& options,
                                      double limit_seconds) {
  inference::sign_flip_options pilot = options;
  pilot.method = inference::method_choice::monte_carlo;
  pilot.keep_null_distribution = false;
  pilot.cancel = nullptr;
  pilot.distribute = nullptr;
  auto monte_carlo = [&] {
    return monte_carlo_test_estimate(
        [&](std::uint64_t b) {
          pilot.resamples = b;
          (void)inference::sign_flip_monte_carlo(d, stat, alt, pilot);
        },
        options.resamples, "sign-flip test", limit_seconds);
  };
  if (options.method == inference::method_choice::monte_carlo) return monte_carlo();
  const exact_plan plan =
      plan_exact(d, test_request(stat, test_kind::sign_flip, alt, options.threads, limit_seconds));
  if (!plan.feasible)
    return options.method == inference::method_choice::exact ? time_estimate{} : monte_carlo();
  // Automatic mode enumerates Gray-code patterns only up to 5e8 pattern evaluations (sign_flip.cpp).
  if (options.method == inference::method_choice::automatic && plan.algorithm == "gray_code" &&
      plan.work > 5e8)
    return monte_carlo();
  return exact_estimate(plan, "sign-flip test");
}

time_estimate wilcoxon_time_estimate(std::span<const double> d, inference::alternative alt,
                                     const inference::wilcoxon_options& options, double limit_seconds) {
  if (options.method == inference::method_choice::approximate) return {};
  if (options.method == inference::method_choice::monte_carlo) {
    inference::wilcoxon_options pilot = options;
    pilot.keep_null_distribution = false;
    return monte_carlo_test_estimate(
        [&](std::uint64_t b) {
          pilot.resamples = b;
          (void)inference::wilcoxon_test(d, alt, pilot);
        },
        options.resamples, "Wilcoxon test", limit_seconds);
  }
  auto request = test_request(statistic{}, test_kind::wilcoxon, alt, options.threads, limit_seconds);
  request.zeros = options.zeros;
  const exact_plan plan = plan_exact(d, request);
  // Past both exact limits automatic mode uses the normal approximation and exact mode refuses.
  return plan.feasible ? exact_estimate(plan, "Wilcoxon test") : time_estimate{};
}

time_estimate power_time_estimate(const simulation::effect_model& model, std::span<const std::size_t> sizes,
                                  const simulation::power_options& options, double limit_seconds) {
  simulation::power_options pilot = options;
  pilot.progress = nullptr;
  // Trial t at size n draws from its own stream, so the pilot's trials are the run's first ones:
  // representative, and not reused (the run starts afresh).
  time_estimate e = linear_time_estimate(
      [&](std::uint64_t trials) {
        pilot.trials = trials;
        (void)simulation::power_curve(model, sizes, pilot);
      },
      options.trials, 16, limit_seconds);
  e.what = "the power simulation";
  return e;
}

time_estimate coverage_time_estimate(const simulation::effect_model& model, std::size_t n,
                                     const simulation::coverage_options& options, double limit_seconds) {
  simulation::coverage_options pilot = options;
  pilot.progress = nullptr;
  auto at = [&](std::uint64_t resamples) {
    pilot.bootstrap_resamples = resamples;
    return linear_time_estimate(
        [&](std::uint64_t trials) {
          pilot.trials = trials;
          (void)simulation::simulate_coverage(model, n, pilot);
        },
        options.trials, 16, limit_seconds);
  };
  constexpr std::uint64_t small = 500, large = 2000;
  const std::uint64_t b = options.bootstrap_resamples;
  time_estimate e;
  if (n <= options.exact_max_n || b <= large) {
    e = at(b);
  } else {
    // A trial's Monte Carlo bootstrap grows linearly in its resamples: per-trial time at two B,
    // extrapolated to the asked B (proportionally when noise makes the slope non-positive).
    const time_estimate low = at(small), high = at(large);
    const double slope = (high.seconds_per_unit - low.seconds_per_unit) / static_cast<double>(large - small);
    const double per_trial =
        slope > 0.0 ? high.seconds_per_unit + slope * static_cast<double>(b - large)
                    : high.seconds_per_unit * static_cast<double>(b) / static_cast<double>(large);
    e.fixed_seconds = high.fixed_seconds;
    e.seconds_per_unit = per_trial;
    e.seconds = e.fixed_seconds + per_trial * static_cast<double>(options.trials);
  }
  e.what = "the coverage simulation";
  return e;
}

}  // namespace resample::planning
