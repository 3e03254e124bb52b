// resample plan: exact cost, Monte Carlo B from a pilot, and measured wall time (see plan.hpp).

#include "resample/planning/plan.hpp"

#include <tbb/info.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include "log_gamma.hpp"
#include "resample/bootstrap/bootstrap.hpp"
#include "resample/bootstrap/convolution.hpp"
#include "resample/bootstrap/exact_enumeration.hpp"
#include "resample/error.hpp"
#include "resample/inference/estimates.hpp"
#include "resample/inference/lattice_null.hpp"
#include "resample/inference/rank_tests.hpp"
#include "resample/inference/sign_flip.hpp"
#include "resample/planning/limits.hpp"

namespace resample::planning {

namespace {

constexpr const char* function_name = "resample::planning::make_plan";
constexpr double infinity = std::numeric_limits<double>::infinity();

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

double normal_quantile(double p) {
  return boost::math::quantile(boost::math::normal_distribution<double>(), p);
}

// A count or cost for a message: three significant digits.
std::string g3(double x) {
  if (!std::isfinite(x)) return "more than 1e308";
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", x);
  return text;
}

// Atoms of d with values in [low, high] (d's atoms are sorted by value).
std::size_t atoms_between(const weighted_distribution& d, double low, double high) {
  const auto atoms = d.atoms();
  const auto by_value = [](const atom& a, double v) { return a.value < v; };
  const auto first = std::lower_bound(atoms.begin(), atoms.end(), low, by_value);
  const auto last =
      std::upper_bound(atoms.begin(), atoms.end(), high, [](double v, const atom& a) { return v < a.value; });
  return static_cast<std::size_t>(last - first);
}

// Fewest atoms in a level window for the law to count as smooth there (a central difference of
// its quantile function is then a slope, not a jump between two atoms).
constexpr std::size_t smooth_window_atoms = 32;

double normal_density(double z) { return boost::math::pdf(boost::math::normal_distribution<double>(), z); }

std::size_t resolve_threads(std::size_t threads) {
  return threads > 0 ? threads : static_cast<std::size_t>(std::max(1, tbb::info::default_concurrency()));
}

// The exact path's time on the whole problem, measured on prefixes of the data: the prefix grows
// (at most 64-fold in work per step) until one call takes calibration_seconds or the prefix is the
// whole sample, and the time is scaled by work(n) / work(k). Work must grow with k.
double scaled_exact_seconds(std::size_t n, std::size_t first_k,
                            const std::function<double(std::size_t)>& work,
                            const std::function<void(std::size_t)>& run, double calibration_seconds,
                            std::string& note) {
  std::size_t k = std::min(first_k, n);
  double seconds = 0.0;
  while (true) {
    seconds = seconds_per_call([&] { run(k); }, calibration_seconds / 4);
    if (seconds >= calibration_seconds || k == n) break;
    constexpr double shortest_timing = 1e-9;  // seconds: a call timed at 0 still grows the pilot
    const double target =
        work(k) * std::clamp(calibration_seconds / std::max(seconds, shortest_timing), 2.0, 64.0);
    std::size_t lo = k + 1, hi = n;  // largest k' in (k, n] with work(k') <= target, at least k + 1
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo + 1) / 2;
      if (work(mid) <= target)
        lo = mid;
      else
        hi = mid - 1;
    }
    k = lo;
  }
  const double full = work(n), part = work(k);
  if (k == n) {
    note = "timed on the whole problem";
    return seconds;
  }
  note = "timed on the first " + std::to_string(k) + " of " + std::to_string(n) +
         " values and scaled by the work ratio " + g3(full / part);
  return seconds * full / part;
}

std::span<const double> prefix(std::span<const double> sample, std::size_t k) { return sample.first(k); }

double log10_multisets(std::size_t n) {
  const double x = static_cast<double>(n);
  return (log_gamma(2.0 * x) - log_gamma(x + 1.0) - log_gamma(x)) / std::log(10.0);
}

// ---- exact costs -------------------------------------------------------------------------------

exact_plan exact_bootstrap_plan(std::span<const double> sample, const plan_request& r, std::size_t threads) {
  exact_plan e;
  const bootstrap::bootstrap_options defaults;
  const std::size_t n = sample.size();
  e.resamples_log10 = log10_multisets(n);
  auto compositions = [&](std::size_t k) {
    return bootstrap::composition_count(k, to_multiset(prefix(sample, k)).support.size());
  };
  // bootstrap()'s own route with method exact (an exact request it refuses is not feasible).
  bootstrap::bootstrap_options route_options;
  route_options.stat = r.stat;
  route_options.requested = bootstrap::method::exact;
  bootstrap::bootstrap_route route;
  bool routed = true;
  try {
    route = bootstrap::plan_bootstrap(sample, route_options);
  } catch (const infeasible_error&) {
    routed = false;
    route.compositions = compositions(n);
    route.convolution_cost = bootstrap::convolution_cost(sample, r.stat);
  }
  const double enumeration = route.compositions;
  const double convolution = route.convolution_cost;
  const bool studentized = r.interval == bootstrap::interval_method::studentized;
  tbb::task_arena arena(static_cast<int>(threads));
  // The whole problem is timed as the command runs it (bootstrap() with the interval: jackknife
  // and interval work included), on the same footing as the Monte Carlo timings; prefixes time
  // the kernel alone, which dominates once the problem is large enough to need scaling.
  bootstrap::bootstrap_options whole;
  whole.stat = r.stat;
  whole.requested = bootstrap::method::exact;
  whole.level = r.level;
  whole.intervals = {r.interval};
  whole.seed = r.seed;
  whole.exec.threads = threads;
  auto run_whole = [&] { (void)bootstrap::bootstrap(sample, whole); };
  if (routed && route.algorithm == bootstrap::bootstrap_algorithm::enumeration) {
    e.feasible = true;
    e.algorithm = std::string(to_string(route.algorithm));
    e.work = enumeration;
    e.unit = "compositions";
    bootstrap::enumeration_options o;
    o.studentized = studentized;
    o.max_compositions = defaults.exact_budget;
    o.seed = r.seed;
    std::string how;
    e.seconds = scaled_exact_seconds(
        n, 2, compositions,
        [&](std::size_t k) {
          if (k == n) return run_whole();
          arena.execute([&] { (void)bootstrap::enumerate_bootstrap(prefix(sample, k), r.stat, o); });
        },
        r.calibration_seconds, how);
    e.note = g3(enumeration) + " compositions (budget " + g3(defaults.exact_budget) + "); " + how;
    return e;
  }
  if (routed && route.algorithm == bootstrap::bootstrap_algorithm::convolution && !studentized) {
    e.feasible = true;
    e.algorithm = std::string(to_string(route.algorithm));
    e.work = convolution;
    e.unit = "multiply-adds";
    std::string how;
    auto cost = [&](std::size_t k) {
      const double c = bootstrap::convolution_cost(prefix(sample, k), r.stat);
      return std::isfinite(c) ? c : infinity;
    };
    e.seconds = scaled_exact_seconds(
        n, 2, cost,
        [&](std::size_t k) {
          if (k == n) return run_whole();
          (void)bootstrap::convolution_bootstrap(prefix(sample, k), r.stat);
        },
        r.calibration_seconds, how);
    e.note = "n-fold convolution of lattice scores; " + how;
    return e;
  }
  e.seconds = infinity;
  e.note = "exact enumeration would visit " + g3(enumeration) + " compositions (budget " +
           g3(defaults.exact_budget) + ")";
  if (studentized)
    e.note += "; the studentized interval needs the enumeration (the convolution has no se*)";
  else if (is_sum_type(r.stat))
    e.note += std::isfinite(convolution)
                  ? "; the convolution needs " + g3(convolution) + " multiply-adds (budget " +
                        g3(defaults.convolution_budget) + ")"
                  : "; the values are not on a common lattice for the convolution";
  return e;
}

std::size_t nonzero_count(std::span<const double> values) {
  return static_cast<std::size_t>(
      std::count_if(values.begin(), values.end(), [](double v) { return v != 0.0; }));
}

exact_plan exact_test_plan(std::span<const double> d, const plan_request& r) {
  exact_plan e;
  const std::size_t n = d.size();
  const std::size_t m = nonzero_count(d);
  e.resamples_log10 = static_cast<double>(m) * std::log10(2.0);
  inference::sign_flip_options sf;
  sf.method = inference::method_choice::exact;
  sf.keep_null_distribution = false;
  sf.exec.threads = r.exec.threads;
  std::string how;
  switch (r.test) {
    case test_kind::sign:
    case test_kind::t: {
      e.feasible = true;
      e.algorithm = r.test == test_kind::sign ? "exact_binomial" : "t_distribution";
      e.work = static_cast<double>(n);
      e.unit = "values";
      e.seconds = seconds_per_call(
          [&] {
            if (r.test == test_kind::sign)
              (void)inference::sign_test(d, r.alt);
            else
              (void)inference::t_test(d, r.alt);
          },
          0.0);
      e.note = r.test == test_kind::sign ? "the sign test is always the exact binomial; no resampling"
                                         : "the t test is parametric; no resampling";
      return e;
    }
    case test_kind::wilcoxon: {
      const auto route = inference::plan_wilcoxon_exact(d, r.alt, r.zeros);
      if (route.algorithm == inference::wilcoxon_exact_algorithm::none) {
        e.seconds = infinity;
        e.note =
            "the exact Wilcoxon null is past both exact limits (dense table: 16000 values, 2^25 entries, "
            "4e9 additions; inversion: 4e9 work units)";
        return e;
      }
      e.feasible = true;
      e.algorithm = std::string(to_string(route.algorithm));
      e.work = route.work;
      e.unit = std::string(work_unit(route.algorithm));
      inference::wilcoxon_options o;
      o.zeros = r.zeros;
      o.method = inference::method_choice::exact;
      o.keep_null_distribution = false;
      // Prefixes may take the other exact route; both run about 2e9 work units per second, so
      // the work of whichever route a prefix takes scales the time.
      e.seconds = scaled_exact_seconds(
          n, std::min<std::size_t>(n, 8),
          [&](std::size_t k) { return inference::plan_wilcoxon_exact(prefix(d, k), r.alt, r.zeros).work; },
          [&](std::size_t k) { (void)inference::wilcoxon_test(prefix(d, k), r.alt, o); },
          r.calibration_seconds, how);
      e.note = (route.algorithm == inference::wilcoxon_exact_algorithm::exact_dp
                    ? "subset-sum DP over doubled midranks; "
                    : "inversion of the tied null's tilted characteristic function; ") +
               how;
      return e;
    }
    case test_kind::sign_flip:
      break;
  }
  // Sign-flip: the dispatcher's own route with method exact; prefixes are timed on the same
  // algorithm and scaled by its work.
  inference::sign_flip_route route;
  try {
    route = inference::plan_sign_flip(d, r.stat, inference::method_choice::exact);
  } catch (const infeasible_error& refused) {
    e.seconds = infinity;
    e.note = refused.reason();
    return e;
  }
  e.feasible = true;
  e.algorithm = std::string(to_string(route.algorithm));
  e.unit = std::string(work_unit(route.algorithm));
  e.work = route.work;
  const auto work = [&](std::size_t k) {
    return inference::sign_flip_work(route.algorithm, prefix(d, k), r.stat);
  };
  const std::size_t smallest_prefix =
      route.algorithm == inference::sign_flip_algorithm::meet_in_the_middle ? 16 : 8;
  e.seconds = scaled_exact_seconds(
      n, std::min<std::size_t>(n, smallest_prefix), work,
      [&](std::size_t k) {
        (void)inference::run_sign_flip(route.algorithm, prefix(d, k), r.stat, r.alt, sf);
      },
      r.calibration_seconds, how);
  switch (route.algorithm) {
    case inference::sign_flip_algorithm::lattice_dp:
      e.note = "DP over the signed sum of lattice values; " + how;
      break;
    case inference::sign_flip_algorithm::meet_in_the_middle:
      e.note = "two sorted half lists of 2^(m/2) sums; " + how;
      break;
    case inference::sign_flip_algorithm::gray_code:
      e.note = "Gray-code enumeration of 2^" + std::to_string(m) + " patterns; " + how;
      break;
    case inference::sign_flip_algorithm::monte_carlo:
      break;
  }
  return e;
}

// ---- Monte Carlo -------------------------------------------------------------------------------

struct mc_observation {
  bool defined = true;
  std::string note;
  std::vector<std::string> names;
  std::vector<double> values;  // endpoints or the p-value
  std::vector<double> mc_se;   // their Monte Carlo SEs at this B
  double spread = 0.0;         // bootstrap SE (intervals) for the normal approximation
  double seconds = 0.0;        // wall time of the run
};

using mc_runner = std::function<mc_observation(std::uint64_t)>;

// The Monte Carlo runs a plan measures, B resamples each: its pilots and check_pilots_fit's
// prediction of them use these, so what is predicted is what runs.
bootstrap::bootstrap_options pilot_bootstrap_options(const plan_request& r, std::uint64_t b,
                                                     std::size_t threads) {
  bootstrap::bootstrap_options o;
  o.stat = r.stat;
  o.requested = bootstrap::method::monte_carlo;
  o.resamples = b;
  o.level = r.level;
  o.intervals = {r.interval};
  o.seed = r.seed;
  o.exec.threads = threads;
  return o;
}

inference::sign_flip_options pilot_sign_flip_options(const plan_request& r, std::uint64_t b,
                                                     std::size_t threads) {
  inference::sign_flip_options o;
  o.method = inference::method_choice::monte_carlo;
  o.resamples = b;
  o.seed = r.seed;
  o.exec.threads = threads;
  o.keep_null_distribution = false;
  return o;
}

inference::wilcoxon_options pilot_wilcoxon_options(const plan_request& r, std::uint64_t b,
                                                   std::size_t threads) {
  inference::wilcoxon_options o;
  o.zeros = r.zeros;
  o.method = inference::method_choice::monte_carlo;
  o.resamples = b;
  o.seed = r.seed;
  o.exec.threads = threads;
  o.keep_null_distribution = false;
  return o;
}

mc_runner interval_runner(std::span<const double> sample, const plan_request& r, std::size_t threads) {
  return [sample, &r, threads](std::uint64_t b) {
    const bootstrap::bootstrap_options o = pilot_bootstrap_options(r, b, threads);
    const auto start = clock_type::now();
    const auto result = bootstrap::bootstrap(sample, o);
    mc_observation out;
    out.seconds = seconds_since(start);
    out.spread = result.se;
    const auto& i = result.intervals.front();
    if (!i.lower || !i.upper) {
      out.defined = false;
      out.note = i.note;
      return out;
    }
    out.names = {"lower", "upper"};
    out.values = {*i.lower, *i.upper};
    out.mc_se = {i.mc_se_lower.value_or(0.0), i.mc_se_upper.value_or(0.0)};
    if (r.interval == bootstrap::interval_method::percentile ||
        r.interval == bootstrap::interval_method::basic) {
      // The intervals' own mc_se reads the order statistics within a few level SDs of p: at a
      // pilot's B that is a few dozen spacings, and the estimate of 1/f(q) scatters by 30-40%.
      // A window four times wider (sixteen times the spacings) halves that scatter. On a smooth
      // law the slope of the quantile function over that window is a central difference, whose
      // bias is of order h^2 q''' / q' (about 2% at the 2.5% level of a normal law). The SD of
      // the quantile over a Gaussian window of levels, kept for windows with few atoms, also
      // picks up the curvature of q towards the tail: +13% for a normal law at B = 7000, which
      // made B 28% too large. Valid while SE ~ 1/sqrt(B); near heavy atoms it overstates the SE
      // (B errs on the large side).
      const double alpha = 1.0 - r.level;
      auto wide_se = [&](double p) {
        const double level_sd = std::sqrt(p * (1.0 - p) / static_cast<double>(b));
        const double wide = std::min(4.0 * level_sd, std::min(p, 1.0 - p) / 3.0);
        if (!(wide > level_sd)) return bootstrap::quantile_monte_carlo_se(result.distribution, p, level_sd);
        const double below = quantile(result.distribution, p - wide);
        const double above = quantile(result.distribution, p + wide);
        if (atoms_between(result.distribution, below, above) >= smooth_window_atoms)
          return (above - below) / (2.0 * wide) * level_sd;
        return bootstrap::quantile_monte_carlo_se(result.distribution, p, wide) * level_sd / wide;
      };
      const double se_low_quantile = wide_se(alpha / 2), se_high_quantile = wide_se(1.0 - alpha / 2);
      if (r.interval == bootstrap::interval_method::percentile)
        out.mc_se = {se_low_quantile, se_high_quantile};
      else
        out.mc_se = {se_high_quantile, se_low_quantile};
    }
    return out;
  };
}

mc_runner test_runner(std::span<const double> d, const plan_request& r, std::size_t threads) {
  return [d, &r, threads](std::uint64_t b) {
    const auto start = clock_type::now();
    inference::test_result t;
    if (r.test == test_kind::sign_flip)
      t = inference::sign_flip_monte_carlo(d, r.stat, r.alt, pilot_sign_flip_options(r, b, threads));
    else
      t = inference::wilcoxon_test(d, r.alt, pilot_wilcoxon_options(r, b, threads));
    mc_observation out;
    out.seconds = seconds_since(start);
    out.names = {"p_value"};
    out.values = {t.p_value};
    out.mc_se = {t.mc_se.value_or(0.0)};
    return out;
  };
}

// The SE the goal asks of a quantity whose value is `value`.
double target_se(const plan_request& r, double value) {
  if (r.absolute > 0.0) return r.absolute;
  return r.relative * std::fabs(value) / normal_quantile(1.0 - r.tau / 2);
}

// Normal-approximation SE of an endpoint at B = 1 (A&B step one): a quantile at level p of a
// bootstrap distribution with spread s has SE sqrt(p(1 - p)) * s / phi(z_p) / sqrt(B); a p-value
// sqrt(p(1 - p)) / sqrt(B). The normal interval is treated like a quantile (close enough to size
// a pilot, which is all this is for).
double unit_se(const plan_request& r, double value, double spread, std::size_t index) {
  if (r.target == target_kind::test) return std::sqrt(std::max(value * (1.0 - value), 1e-6));
  const double alpha = 1.0 - r.level;
  const double p = index == 0 ? alpha / 2 : 1.0 - alpha / 2;
  return std::sqrt(p * (1.0 - p)) * spread / normal_density(normal_quantile(p));
}

// The first run (the spread for step (i)) and the smallest pilot of plan_monte_carlo.
constexpr std::uint64_t first_pilot_resamples = 1000;
constexpr std::uint64_t pilot_floor = 2000;

// Refuses a plan whose smallest pilots (first_pilot_resamples + pilot_floor resamples) are
// predicted past max_plan_pilot_seconds: one resample of a Hodges-Lehmann estimate on 10^6
// patients takes hours, and plan_monte_carlo would start one thousand of them.
void check_pilots_fit(std::span<const double> sample, const plan_request& r) {
  const std::uint64_t count = first_pilot_resamples + pilot_floor;
  pilot_budget budget(max_pilot_seconds);
  time_estimate estimate;
  if (r.target == target_kind::interval)
    estimate = bootstrap_time_estimate(sample, pilot_bootstrap_options(r, count, r.exec.threads), budget);
  else if (r.test == test_kind::sign_flip)
    estimate = sign_flip_time_estimate(sample, r.stat, r.alt,
                                       pilot_sign_flip_options(r, count, r.exec.threads), budget);
  else
    estimate =
        wilcoxon_time_estimate(sample, r.alt, pilot_wilcoxon_options(r, count, r.exec.threads), budget);
  if (estimate.seconds <= max_plan_pilot_seconds) return;
  throw infeasible_error("planning needs Monte Carlo pilots of " + std::to_string(count) + " resamples, " +
                         (estimate.at_least ? "at least " : "about ") + g3(estimate.seconds) + " s here (" +
                         g3(estimate.seconds_per_unit) + " s per resample at n = " +
                         std::to_string(sample.size()) + "), past the " + g3(max_plan_pilot_seconds) +
                         " s a plan may take: plan a cheaper statistic or fewer patients");
}

monte_carlo_plan plan_monte_carlo(const mc_runner& run, const plan_request& r) {
  monte_carlo_plan mc;
  constexpr std::uint64_t first = first_pilot_resamples;
  constexpr std::uint64_t pilot_ceiling = 200000;
  constexpr double pilot_seconds = 0.5;  // longest pilot worth running before the real run
  mc.first_resamples = first;
  const mc_observation zero = run(first);
  if (!zero.defined) {
    mc.note = zero.note;
    return mc;
  }
  // Step (i): B1 from the normal approximation, within the pilot limits.
  double b1 = static_cast<double>(pilot_floor);
  for (std::size_t i = 0; i < zero.values.size(); ++i) {
    const double target = target_se(r, zero.values[i]);
    if (!(target > 0.0))
      throw_invalid_argument(
          function_name, "relative",
          "the " + zero.names[i] + " is 0 in a first run, so a relative precision is undefined",
          {{"absolute", "{} instead"}});
    const double u = unit_se(r, zero.values[i], zero.spread, i);
    b1 = std::max(b1, u * u / (target * target));
  }
  const double per_resample = zero.seconds / static_cast<double>(first);
  const double affordable =
      std::max(static_cast<double>(pilot_floor), pilot_seconds / std::max(per_resample, 1e-12));
  b1 = std::min({b1, static_cast<double>(pilot_ceiling), affordable});
  mc.pilot_resamples = round_up_resamples(b1);

  // Step (ii): the pilot's own Monte Carlo SEs.
  const mc_observation pilot = run(mc.pilot_resamples);
  if (!pilot.defined) {
    mc.note = pilot.note;
    return mc;
  }
  // Step (iii): SE ~ 1/sqrt(B).
  double needed = 0.0;
  const double pb = static_cast<double>(mc.pilot_resamples);
  for (std::size_t i = 0; i < pilot.values.size(); ++i) {
    endpoint_precision e;
    e.name = pilot.names[i];
    e.pilot_value = pilot.values[i];
    e.pilot_mc_se = pilot.mc_se[i];
    e.target_se = target_se(r, pilot.values[i]);
    if (!(e.target_se > 0.0))
      throw_invalid_argument(function_name, "relative",
                             "the " + e.name + " is 0 in the pilot, so a relative precision is undefined",
                             {{"absolute", "{} instead"}});
    const double b = pb * (e.pilot_mc_se / e.target_se) * (e.pilot_mc_se / e.target_se);
    e.resamples = round_up_resamples(b);
    needed = std::max(needed, b);
    mc.endpoints.push_back(e);
  }
  mc.resamples = std::max(r.minimum_resamples, round_up_resamples(needed));
  mc.resamples_needed = std::max(static_cast<double>(mc.resamples), needed);
  for (const auto& e : mc.endpoints)
    mc.predicted_mc_se =
        std::max(mc.predicted_mc_se, e.pilot_mc_se * std::sqrt(pb / static_cast<double>(mc.resamples)));

  // Wall time: grow B from the pilot until a run is long enough to time, then scale linearly.
  std::uint64_t calibration = mc.pilot_resamples;
  double seconds = pilot.seconds;
  while (seconds < r.calibration_seconds && calibration < mc.resamples) {
    calibration = std::min(mc.resamples, calibration * 4);
    seconds = run(calibration).seconds;
  }
  mc.calibration_resamples = calibration;
  // Two points, (first, zero.seconds) and (calibration, seconds), give the fixed cost of a run
  // (threads, jackknife, intervals) and the cost per resample; a slope that noise made
  // non-positive falls back to proportional time.
  const double span = static_cast<double>(calibration) - static_cast<double>(first);
  double slope = span > 0.0 ? (seconds - zero.seconds) / span : 0.0;
  if (!(slope > 0.0)) slope = seconds / static_cast<double>(calibration);
  mc.seconds_per_resample = slope;
  mc.fixed_seconds = std::max(0.0, seconds - slope * static_cast<double>(calibration));
  mc.seconds = mc.fixed_seconds + slope * static_cast<double>(mc.resamples);
  mc.seconds_needed = mc.fixed_seconds + slope * mc.resamples_needed;
  mc.available = true;
  return mc;
}

// A recommendation past max_recommended_seconds or max_recommended_resamples becomes the largest
// Monte Carlo run within both, with the precision it buys; without one, no plan is given.
void cap_to_sensible_run(plan_result& result, const plan_request& r) {
  auto& mc = result.monte_carlo;
  const bool monte_carlo = !result.recommend_exact;
  const double seconds = monte_carlo ? mc.seconds_needed : result.predicted_seconds;
  const double resamples = monte_carlo ? mc.resamples_needed : 0.0;
  if (seconds <= max_recommended_seconds && resamples <= max_recommended_resamples) return;
  result.capped = true;
  const std::string needs =
      monte_carlo ? "B = " + g3(resamples) + " resamples, about " + g3(seconds) + " s here"
                  : "the exact " + result.exact.algorithm + ", about " + g3(seconds) + " s here";
  std::string why;
  if (resamples > max_recommended_resamples)
    why = "more than " + g3(max_recommended_resamples) +
          " resamples, where the tallies near 2^53 and a double stops counting one by one";
  if (seconds > max_recommended_seconds)
    why += (why.empty() ? "" : "; and ") + std::string("more than a day (") + g3(max_recommended_seconds) +
           " s), while halving a Monte Carlo SE costs four times the run: an SE this small is far below the "
           "sampling uncertainty it would refine";
  result.over_limits = "the target needs " + needs + ": " + why;
  if (mc.available && mc.seconds_per_resample > 0.0) {
    const double fits = std::min(max_recommended_resamples,
                                 (max_recommended_seconds - mc.fixed_seconds) / mc.seconds_per_resample);
    const std::uint64_t b = round_down_two_digits(fits);
    if (b >= r.minimum_resamples) {
      double se = 0.0;
      for (const auto& e : mc.endpoints)
        se = std::max(
            se, e.pilot_mc_se * std::sqrt(static_cast<double>(mc.pilot_resamples) / static_cast<double>(b)));
      mc.resamples = b;
      mc.seconds = mc.fixed_seconds + mc.seconds_per_resample * static_cast<double>(b);
      mc.predicted_mc_se = se;
      result.recommend_exact = false;
      result.predicted_seconds = mc.seconds;
      result.reason = "the precision asked is past a sensible run; the best run within a day and " +
                      g3(max_recommended_resamples) +
                      " resamples is Monte Carlo with B = " + std::to_string(b) + " (" + g3(mc.seconds) +
                      " s), which gives a Monte Carlo SE of about " + g3(se);
      return;
    }
  }
  throw infeasible_error("no plan: " + result.over_limits + "; and no Monte Carlo run of at least " +
                         std::to_string(r.minimum_resamples) + " resamples fits within a day");
}

}  // namespace

double seconds_per_call(const std::function<void()>& kernel, double min_seconds) {
  const auto start = clock_type::now();
  std::uint64_t calls = 0;
  double elapsed = 0.0;
  do {
    kernel();
    ++calls;
    elapsed = seconds_since(start);
  } while (elapsed < min_seconds);
  return elapsed / static_cast<double>(calls);
}

std::uint64_t round_up_resamples(double b) {
  if (!(b >= 1.0)) return 1;
  if (b >= 1e18) return std::uint64_t{1000000000000000000};
  const double scale = std::pow(10.0, std::floor(std::log10(b)) - 1.0);  // two significant digits
  constexpr double count_rounding = 1e-9;  // b / scale = 12.000000001 still rounds up to 12, not 13
  return static_cast<std::uint64_t>(std::ceil(b / scale - count_rounding) * scale);
}

exact_plan plan_exact(std::span<const double> sample, const plan_request& r) {
  plan_request request = r;
  request.exec.threads = resolve_threads(r.exec.threads);
  return r.target == target_kind::interval ? exact_bootstrap_plan(sample, request, request.exec.threads)
                                           : exact_test_plan(sample, request);
}

plan_result make_plan(std::span<const double> sample, const plan_request& r) {
  if (sample.size() < 2)
    throw_invalid_argument(function_name, "n = " + std::to_string(sample.size()) + ", expected n >= 2");
  if ((r.absolute > 0.0) == (r.relative > 0.0) || !std::isfinite(r.absolute) || !std::isfinite(r.relative) ||
      r.absolute < 0.0 || r.relative < 0.0)
    throw_invalid_argument(function_name, "absolute",
                           "expected exactly one precision goal, positive and finite: absolute (the Monte "
                           "Carlo SE) or relative (a fraction of the value)",
                           {{"absolute", "{}"}, {"relative", "{}"}});
  if (!(r.level > 0.0 && r.level < 1.0)) throw_invalid_argument(function_name, "level must be in (0, 1)");
  if (!(r.tau > 0.0 && r.tau < 1.0)) throw_invalid_argument(function_name, "tau must be in (0, 1)");

  plan_result result;
  result.threads = resolve_threads(r.exec.threads);
  plan_request request = r;
  request.exec.threads = result.threads;

  const bool resampling_test =
      r.target == target_kind::test && (r.test == test_kind::sign_flip || r.test == test_kind::wilcoxon);
  result.exact = r.target == target_kind::interval ? exact_bootstrap_plan(sample, request, result.threads)
                                                   : exact_test_plan(sample, request);
  if (r.target == target_kind::interval || resampling_test) check_pilots_fit(sample, request);
  if (r.target == target_kind::interval)
    result.monte_carlo = plan_monte_carlo(interval_runner(sample, request, result.threads), request);
  else if (resampling_test)
    result.monte_carlo = plan_monte_carlo(test_runner(sample, request, result.threads), request);
  else
    result.monte_carlo.note = result.exact.note;

  const auto& e = result.exact;
  const auto& mc = result.monte_carlo;
  auto seconds_text = [](double s) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g s", s);
    return std::string(text);
  };
  if (e.feasible && (!mc.available || e.seconds <= mc.seconds + r.exact_preference_seconds)) {
    result.recommend_exact = true;
    result.predicted_seconds = e.seconds;
    result.reason =
        mc.available
            ? "the exact answer (" + e.algorithm + ", " + seconds_text(e.seconds) +
                  (e.seconds <= mc.seconds
                       ? std::string(") is cheaper than")
                       : ") costs at most " + g3(r.exact_preference_seconds) + " s more than") +
                  " the Monte Carlo run that reaches the precision (B = " + std::to_string(mc.resamples) +
                  ", " + seconds_text(mc.seconds) + ") and has no Monte Carlo error"
            : "exact (" + e.algorithm + "): " + e.note;
  } else if (mc.available) {
    result.predicted_seconds = mc.seconds;
    result.reason =
        e.feasible
            ? "Monte Carlo with B = " + std::to_string(mc.resamples) + " (" + seconds_text(mc.seconds) +
                  ") is cheaper than the exact " + e.algorithm + " (" + seconds_text(e.seconds) + ")"
            : "exact is not feasible (" + e.note + "); Monte Carlo with B = " + std::to_string(mc.resamples) +
                  " reaches the precision";
  } else {
    throw infeasible_error("no plan: exact is not feasible (" + e.note + ") and Monte Carlo is undefined (" +
                           mc.note + ")");
  }
  cap_to_sensible_run(result, request);
  if (mc.available && mc.resamples == r.minimum_resamples)
    result.notes.push_back(
        "the precision is reached below " + std::to_string(r.minimum_resamples) +
        " resamples; B is kept at that minimum so that the Monte Carlo SE is itself reliable");
  if (mc.available)
    for (const auto& p : mc.endpoints)
      if (p.pilot_mc_se == 0.0)
        result.notes.push_back(
            "the " + p.name +
            " has no Monte Carlo spread in the pilot (it sits on a heavy atom of a discrete "
            "distribution); its B is the minimum");
  result.notes.push_back("timings measured now on " + std::to_string(result.threads) +
                         " thread(s); they scale with machine load");
  return result;
}

}  // namespace resample::planning
