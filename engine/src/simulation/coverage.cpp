// Coverage by simulation: a parallel loop over chunks of trials; per-chunk tallies are summed in
// chunk order afterwards, so even the floating-point mean lengths do not depend on the threads.

#include "resample/simulation/coverage.hpp"

#include <tbb/blocked_range.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "parallel_for.hpp"
#include "random_stream.hpp"
#include "resample/bootstrap/bootstrap.hpp"
#include "resample/bootstrap/calibrated.hpp"
#include "resample/error.hpp"
#include "resample/inference/effect_sizes.hpp"
#include "resample/inference/estimates.hpp"
#include "resample/inference/sign_flip_inversion.hpp"
#include "resample/monte_carlo_blocks.hpp"
#include "resample/vocabulary.hpp"
#include "simulation/trial_seed.hpp"

namespace resample::simulation {

namespace {

constexpr std::uint64_t coverage_trials_per_chunk = 16;

struct tally {
  std::uint64_t covered = 0;
  std::uint64_t undefined = 0;
  double length = 0.0;
};

// Endpoints are statistics of the trial's data and the true value is computed another way: equal
// up to the statistic's rounding (equality.hpp) counts as covered (the interval is closed).
void count(tally& t, const std::optional<double>& lower, const std::optional<double>& upper, double truth,
           value_equality equal) {
  if (!lower || !upper) {
    ++t.undefined;
    return;
  }
  t.covered += (*lower <= truth || equal(*lower, truth)) && (truth <= *upper || equal(truth, *upper));
  t.length += *upper - *lower;
}

}  // namespace

double coverage_memory_estimate(std::size_t n, const coverage_options& options) {
  const double columns =
      static_cast<double>(options.methods.size() + options.t_interval + options.hodges_lehmann_interval +
                          options.sign_flip_interval + options.standardized_mean_change_interval);
  const double chunks = std::ceil(static_cast<double>(options.trials) / coverage_trials_per_chunk);
  double bytes = chunks * columns * sizeof(tally);
  if (n > options.exact_max_n) {
    bool studentized = false;
    for (auto m : options.methods) studentized = studentized || m == bootstrap::interval_method::studentized;
    const int threads =
        options.exec.threads > 0 ? static_cast<int>(options.exec.threads) : tbb::info::default_concurrency();
    bytes += static_cast<double>(std::max(1, threads)) * static_cast<double>(options.bootstrap_resamples) *
             sizeof(double) * (studentized ? 2.0 : 1.0);
  }
  return bytes;
}

coverage_result simulate_coverage(const effect_model& model, std::size_t n, const coverage_options& options) {
  constexpr const char* function = "resample::simulation::simulate_coverage";
  if (n < 2) throw_invalid_argument(function, "n = " + std::to_string(n) + ", expected n >= 2");
  if (options.trials == 0) throw_invalid_argument(function, "trials = 0, expected at least 1");
  if (!(options.level > 0.0 && options.level < 1.0)) throw_invalid_argument(function, "level outside (0, 1)");
  if (n < minimum_sample_size(options.stat))
    throw_invalid_argument(function, "n = " + std::to_string(n) + " is too small for the statistic");
  if (options.bootstrap_resamples == 0) throw_invalid_argument(function, "bootstrap resamples = 0");
  if (options.exact_max_n > coverage_exact_max_n_limit)
    throw_invalid_argument(function, "exact_max_n",
                           "got " + std::to_string(options.exact_max_n) + ", expected at most " +
                               std::to_string(coverage_exact_max_n_limit) + " (92378 multisets per trial)");

  coverage_result result;
  result.n = n;
  result.level = options.level;
  result.trials = options.trials;
  const bool exact = n <= options.exact_max_n;
  result.bootstrap_mode =
      exact ? "exact" : "monte-carlo (B = " + std::to_string(options.bootstrap_resamples) + " per trial)";

  // The columns: bootstrap methods, then t, Hodges-Lehmann, sign-flip and d_z.
  std::vector<double> truths;
  auto add_column = [&](std::string name, std::string parameter) {
    method_coverage m;
    m.method = std::move(name);
    m.parameter = std::move(parameter);
    result.methods.push_back(std::move(m));
  };
  for (auto m : options.methods) {
    add_column(std::string(bootstrap::to_string(m)), to_string(options.stat));
    truths.push_back(model.population_value(options.stat));
  }
  const std::size_t t_column = result.methods.size();
  if (options.t_interval) {
    add_column("t", "mean");
    truths.push_back(model.population_value(statistic{statistic_kind::mean, 0.0}));
  }
  const std::size_t hl_column = result.methods.size();
  if (options.hodges_lehmann_interval) {
    add_column("hodges_lehmann", "pseudo-median");
    truths.push_back(model.population_value(statistic{statistic_kind::hl, 0.0}));
  }
  const std::size_t sign_flip_column = result.methods.size();
  if (options.sign_flip_interval) {
    add_column(std::string(to_string(test_kind::sign_flip)), "mean");
    truths.push_back(model.population_value(statistic{statistic_kind::mean, 0.0}));
  }
  const std::size_t d_z_column = result.methods.size();
  if (options.standardized_mean_change_interval) {
    const double sd = model.population_value(statistic{statistic_kind::sd, 0.0});
    if (!(sd > 0.0))
      throw_invalid_argument(function, "intervals",
                             "d_z (mean / sd) is undefined under a model whose standard deviation is 0");
    add_column("noncentral_t", "d_z");
    truths.push_back(model.population_value(statistic{statistic_kind::mean, 0.0}) / sd);
  }
  const std::size_t columns = result.methods.size();
  if (columns == 0) throw_invalid_argument(function, "no interval method requested");

  const std::uint64_t chunks = (options.trials + coverage_trials_per_chunk - 1) / coverage_trials_per_chunk;
  std::vector<tally> tallies(chunks * columns);

  bootstrap::bootstrap_options engine;
  engine.stat = options.stat;
  engine.requested = exact ? bootstrap::method::exact : bootstrap::method::monte_carlo;
  engine.resamples = options.bootstrap_resamples;
  engine.level = options.level;
  engine.se_method = options.se_method;
  // The calibrated interval is computed on its own below (automatic: exact double bootstrap up to
  // n = 8, Monte Carlo beyond), so that an exact single bootstrap at n = 9 or 10 does not demand an
  // exact double bootstrap of 10^9+ multisets.
  std::vector<std::size_t> single_columns;  // column of each method handed to bootstrap()
  std::optional<std::size_t> calibrated_column;
  engine.intervals.clear();  // the default is every single-bootstrap method
  for (std::size_t i = 0; i < options.methods.size(); ++i) {
    if (options.methods[i] == bootstrap::interval_method::calibrated) {
      calibrated_column = i;
    } else {
      engine.intervals.push_back(options.methods[i]);
      single_columns.push_back(i);
    }
  }
  engine.exec.threads = 0;  // the caller's arena: trials are the outer parallel loop
  engine.exec.cancel = options.exec.cancel;

  auto body = [&] {
    resample::parallel_for(tbb::blocked_range<std::uint64_t>(0, chunks), [&](const auto& range) {
      std::vector<double> sample(n);
      bootstrap::bootstrap_options local = engine;
      for (std::uint64_t chunk = range.begin(); chunk != range.end(); ++chunk) {
        if (cancel_requested(options.exec)) throw cancelled_error("coverage run stopped between trials");
        tally* row = &tallies[chunk * columns];
        const std::uint64_t first = chunk * coverage_trials_per_chunk;
        const std::uint64_t last = std::min(options.trials, first + coverage_trials_per_chunk);
        for (std::uint64_t trial = first; trial < last; ++trial) {
          random_stream stream(options.seed, stream_id::simulation, n, trial);
          model.draw(stream, sample);
          const std::uint64_t trial_seed = detail::trial_seed(options.seed, n, trial);
          const value_equality equal = statistic_equality(options.stat, sample);
          if (!engine.intervals.empty()) {
            local.seed = trial_seed;
            const auto b = bootstrap::bootstrap(sample, local);
            for (std::size_t i = 0; i < b.intervals.size(); ++i) {
              const std::size_t column = single_columns[i];
              count(row[column], b.intervals[i].lower, b.intervals[i].upper, truths[column], equal);
            }
          }
          if (calibrated_column) {
            bootstrap::calibrated_options c;
            c.seed = trial_seed;
            const auto r = bootstrap::calibrated_percentile_interval(sample, options.stat, options.level, c);
            count(row[*calibrated_column], r.ci.lower, r.ci.upper, truths[*calibrated_column], equal);
          }
          if (options.t_interval) {
            const auto t = inference::t_interval(sample, options.level);
            count(row[t_column], t.lower, t.upper, truths[t_column],
                  statistic_equality(statistic{statistic_kind::mean, 0.0}, sample));
          }
          if (options.hodges_lehmann_interval) {
            const auto h = inference::hodges_lehmann_interval(sample, options.level);
            count(row[hl_column], h.lower, h.upper, truths[hl_column],
                  statistic_equality(statistic{statistic_kind::hl, 0.0}, sample));
          }
          if (options.sign_flip_interval) {
            inference::sign_flip_inversion_options s;
            s.level = options.level;
            s.resamples = options.bootstrap_resamples;
            s.seed = trial_seed;
            s.exec.threads = 0;  // the caller's arena
            const auto set = inference::sign_flip_confidence_set(sample, s);
            count(row[sign_flip_column], set.lower, set.upper, truths[sign_flip_column],
                  statistic_equality(statistic{statistic_kind::mean, 0.0}, sample));
          }
          if (options.standardized_mean_change_interval) {
            // The endpoints are roots in the noncentrality, not sums of the data: no rounding rule
            // relates them to the model's mean / sd, so they are compared exactly.
            const auto z = inference::standardized_mean_change(sample, options.level);
            count(row[d_z_column], z.lower, z.upper, truths[d_z_column], value_equality{});
          }
        }
        if (options.exec.progress) *options.exec.progress += last - first;
      }
    });
  };
  if (options.exec.threads == 0) {
    body();
  } else {
    tbb::task_arena arena(static_cast<int>(options.exec.threads));
    arena.execute(body);
  }

  const double trials = static_cast<double>(options.trials);
  for (std::size_t c = 0; c < columns; ++c) {
    tally total;
    for (std::uint64_t chunk = 0; chunk < chunks; ++chunk) {  // chunk order: deterministic sums
      const tally& t = tallies[chunk * columns + c];
      total.covered += t.covered;
      total.undefined += t.undefined;
      total.length += t.length;
    }
    method_coverage& m = result.methods[c];
    m.true_value = truths[c];
    m.trials = options.trials;
    m.covered = total.covered;
    m.undefined = total.undefined;
    const std::uint64_t defined = options.trials - total.undefined;
    if (defined > 0) {
      const double p = static_cast<double>(total.covered) / static_cast<double>(defined);
      m.coverage = p;
      m.mc_se = std::sqrt(p * (1.0 - p) / static_cast<double>(defined));
      m.mean_length = total.length / static_cast<double>(defined);
    }
    m.coverage_all_trials = static_cast<double>(total.covered) / trials;
    m.mc_se_all_trials = std::sqrt(m.coverage_all_trials * (1.0 - m.coverage_all_trials) / trials);
  }
  return result;
}

}  // namespace resample::simulation
