#pragma once
// Actual coverage of interval methods by simulation (issue 6): T trials each draw n differences
// from an effect model, compute every interval, and count how often it contains the model's
// population value of the statistic (effect_model::population_value). Bootstrap intervals come
// from the EXACT bootstrap of each simulated sample when n <= exact_max_n (enumeration), from a
// Monte Carlo bootstrap beyond (labelled in `bootstrap_mode`). The t interval covers the
// population mean and the Hodges-Lehmann interval the population pseudo-median.
//
// An interval that is undefined in a trial (BCa with zero jackknife variance, t with zero SD,
// studentized without a usable se*) is counted in `undefined`, never dropped silently: coverage
// is reported both among the trials where the interval exists and over all trials with an
// undefined interval counted as a miss.
//
// The calibrated (double-bootstrap) interval is opt-in (add interval_method::calibrated to
// `methods`): exact double bootstrap up to n = 8, Monte Carlo 1000 x 1000 beyond, per trial.
//
// Reproducibility: trial t draws from random_stream(seed, simulation, block = n, sub = t), and a
// Monte Carlo bootstrap inside it is seeded by a hash of (seed, n, t).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resample/bootstrap/intervals.hpp"
#include "resample/execution.hpp"
#include "resample/simulation/effect_model.hpp"
#include "resample/statistics.hpp"

namespace resample::simulation {

// The largest exact_max_n: an exact bootstrap of every trial, 92378 multisets per trial at n = 10.
inline constexpr std::size_t coverage_exact_max_n_limit = 10;

struct coverage_options {
  statistic stat{};  // of the bootstrap intervals
  double level = 0.95;
  std::uint64_t trials = 2000;
  std::uint64_t seed = 20026;
  std::vector<bootstrap::interval_method> methods = bootstrap::all_interval_methods();
  // se* of the studentized interval for a statistic without an analytic SE (intervals.hpp).
  bootstrap::studentized_se_method se_method = bootstrap::default_studentized_se;
  bool t_interval = true;               // the t interval of the mean
  bool hodges_lehmann_interval = true;  // the exact signed-rank interval of the pseudo-median
  // The sign-flip confidence set of the mean (sign_flip_inversion.hpp): exact up to
  // sign_flip_inversion_max_exact patients, Monte Carlo with bootstrap_resamples patterns beyond.
  bool sign_flip_interval = true;
  // d_z = mean / sd with its noncentral-t interval (effect_sizes.hpp; normal theory), covering the
  // model's mean over its standard deviation. Opt-in ("dz" in select_coverage_intervals).
  bool standardized_mean_change_interval = false;
  std::size_t exact_max_n = 10;  // exact bootstrap up to here (<= coverage_exact_max_n_limit), MC beyond
  std::uint64_t bootstrap_resamples = 2000;  // Monte Carlo B beyond exact_max_n
  // exec.threads: the arena of the trials (0: all cores); exec.progress is incremented by the
  // number of trials finished; exec.cancel is checked before every chunk of trials (and by each
  // trial's Monte Carlo bootstrap once per block). The trials' bootstraps run here, so
  // exec.distribute is not used.
  execution exec{};
};

struct method_coverage {
  std::string method;  // "percentile", ..., "t", "hodges_lehmann", "signflip", "noncentral_t"
  // The population quantity the interval estimates: the bootstrap's statistic ("sd"), "mean" for
  // t and signflip, "pseudo-median" for hodges_lehmann, "d_z" (mean / sd) for noncentral_t.
  std::string parameter;
  double true_value = 0.0;  // its value under the model: what the interval should contain
  std::uint64_t trials = 0;
  std::uint64_t covered = 0;
  std::uint64_t undefined = 0;  // trials where the interval did not exist
  // covered / (trials - undefined) with its binomial MC SE; absent when no trial had the interval.
  std::optional<double> coverage;
  std::optional<double> mc_se;
  // covered / trials: an undefined interval counted as a miss.
  double coverage_all_trials = 0.0;
  double mc_se_all_trials = 0.0;
  std::optional<double> mean_length;  // over trials where the interval exists
};

struct coverage_result {
  std::size_t n = 0;
  double level = 0.95;
  std::uint64_t trials = 0;
  std::string bootstrap_mode;  // "exact" or "monte-carlo (B = ...)"
  std::vector<method_coverage> methods;
};

// Bytes the run keeps beyond the model: per chunk of trials a tally per method, and per thread a
// Monte Carlo bootstrap's replicates (B doubles, twice with studentized) when n > exact_max_n.
// Conservative: a lattice statistic's histogram path needs less than B doubles.
double coverage_memory_estimate(std::size_t n, const coverage_options& options);

// Throws invalid_argument for n < 2, trials = 0, level outside (0, 1), exact_max_n above
// coverage_exact_max_n_limit, a statistic without a population value under the model, d_z
// requested under a model whose standard deviation is 0.
coverage_result simulate_coverage(const effect_model& model, std::size_t n, const coverage_options& options);

// The intervals of a run by name, as `resample coverage --ci` and Python's coverage(ci=) take
// them: the bootstrap methods (bootstrap::parse_interval_method), "t", "hl" (Hodges-Lehmann),
// "signflip" (the sign-flip confidence set), "dz" (d_z's noncentral-t interval) or "all" (every
// one, as the bootstrap's "all"), in a comma list; order and duplicates as in the bootstrap's list.
// Sets methods, t_interval, hodges_lehmann_interval, sign_flip_interval and
// standardized_mean_change_interval. Throws invalid_argument (parameter "intervals")
// for an empty or unknown item.
void select_coverage_intervals(std::string_view comma_list, coverage_options& options);

}  // namespace resample::simulation
