// Power by simulation: a flat parallel loop over (sample size, chunk of trials).

#include "resample/simulation/power.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "parallel_for.hpp"
#include "random_stream.hpp"
#include "resample/error.hpp"
#include "resample/inference/estimates.hpp"
#include "resample/inference/rank_tests.hpp"
#include "resample/inference/sign_flip.hpp"
#include "resample/monte_carlo_blocks.hpp"
#include "simulation/trial_seed.hpp"

namespace resample::simulation {

namespace {

// Trials per task: large enough to amortise the scheduling, small enough to balance 2..64 cores.
constexpr std::uint64_t power_trials_per_chunk = 64;

void validate(const power_options& options, std::span<const std::size_t> sample_sizes) {
  constexpr const char* function = "resample::simulation::power";
  if (options.trials == 0) throw_invalid_argument(function, "trials = 0, expected at least 1");
  if (!(options.alpha > 0.0 && options.alpha < 1.0)) throw_invalid_argument(function, "alpha outside (0, 1)");
  if (sample_sizes.empty()) throw_invalid_argument(function, "no sample sizes");
  for (std::size_t n : sample_sizes)
    if (n < 2) throw_invalid_argument(function, "n = " + std::to_string(n) + ", expected n >= 2");
}

template <class F>
void run_in_arena(std::size_t threads, F&& f) {
  if (threads == 0) {
    f();
  } else {
    tbb::task_arena arena(static_cast<int>(threads));
    arena.execute(f);
  }
}

}  // namespace

decision test_rejects(std::span<const double> sample, const power_options& options,
                      std::uint64_t trial_seed) {
  decision d;
  const bool any_nonzero = std::any_of(sample.begin(), sample.end(), [](double x) { return x != 0.0; });
  if (!any_nonzero) {  // every sign pattern is the same sample: no test can reject
    d.defined = false;
    return d;
  }
  inference::test_result r;
  switch (options.test) {
    case test_kind::sign_flip: {
      inference::sign_flip_options o;
      o.keep_null_distribution = false;
      o.seed = trial_seed;
      o.exec.threads = 0;  // run in the caller's arena: the trials are the parallel loop
      r = inference::sign_flip_test(sample, options.stat, options.alt, o);
      break;
    }
    case test_kind::sign:
      r = inference::sign_test(sample, options.alt);
      break;
    case test_kind::wilcoxon: {
      inference::wilcoxon_options o;
      o.zeros = options.zeros;
      o.keep_null_distribution = false;
      o.seed = trial_seed;
      r = inference::wilcoxon_test(sample, options.alt, o);
      break;
    }
    case test_kind::t:
      r = inference::t_test(sample, options.alt);
      break;
  }
  if (!std::isfinite(r.p_value)) {  // t with zero SD
    d.defined = false;
    return d;
  }
  // The t test's p-value is exact for normal data only; it is "exact" here in the sense that no
  // resampling or approximation beyond the test's own definition was used.
  d.exact = options.test == test_kind::t || r.exact;
  d.reject = inference::p_value_at_most(r.p_value, options.alpha);  // p == alpha rejects
  return d;
}

std::vector<power_point> power_curve(const effect_model& model, std::span<const std::size_t> sample_sizes,
                                     const power_options& options) {
  validate(options, sample_sizes);
  const std::size_t points = sample_sizes.size();
  const std::uint64_t chunks_per_point =
      (options.trials + power_trials_per_chunk - 1) / power_trials_per_chunk;
  auto rejections = std::make_unique<std::atomic<std::uint64_t>[]>(points);
  auto inexact = std::make_unique<std::atomic<std::uint64_t>[]>(points);
  auto undefined = std::make_unique<std::atomic<std::uint64_t>[]>(points);
  const std::size_t largest = *std::max_element(sample_sizes.begin(), sample_sizes.end());

  run_in_arena(options.exec.threads, [&] {
    resample::parallel_for(
        tbb::blocked_range<std::uint64_t>(0, points * chunks_per_point), [&](const auto& range) {
          std::vector<double> sample(largest);  // one buffer per task, reused by every trial
          for (std::uint64_t chunk = range.begin(); chunk != range.end(); ++chunk) {
            if (cancel_requested(options.exec)) throw cancelled_error("power run stopped between trials");
            const std::size_t point = chunk / chunks_per_point;
            const std::size_t n = sample_sizes[point];
            const std::uint64_t first = (chunk % chunks_per_point) * power_trials_per_chunk;
            const std::uint64_t last = std::min(options.trials, first + power_trials_per_chunk);
            std::uint64_t hits = 0, approximate = 0, no_test = 0;
            const std::span<double> x(sample.data(), n);
            for (std::uint64_t trial = first; trial < last; ++trial) {
              random_stream stream(options.seed, stream_id::simulation, n, trial);
              model.draw(stream, x);
              const decision d = test_rejects(x, options, detail::trial_seed(options.seed, n, trial));
              hits += d.reject;
              approximate += d.defined && !d.exact;
              no_test += !d.defined;
            }
            rejections[point] += hits;
            inexact[point] += approximate;
            undefined[point] += no_test;
            if (options.exec.progress) *options.exec.progress += last - first;
          }
        });
  });

  std::vector<power_point> out(points);
  for (std::size_t i = 0; i < points; ++i) {
    power_point& p = out[i];
    p.n = sample_sizes[i];
    p.trials = options.trials;
    p.rejections = rejections[i];
    p.power = static_cast<double>(p.rejections) / static_cast<double>(p.trials);
    p.mc_se = std::sqrt(p.power * (1.0 - p.power) / static_cast<double>(p.trials));
    p.inexact_trials = inexact[i];
    p.undefined_trials = undefined[i];
  }
  return out;
}

power_point simulate_power(const effect_model& model, std::size_t n, const power_options& options) {
  const std::size_t sizes[] = {n};
  return power_curve(model, sizes, options).front();
}

required_sample_size find_required_sample_size(std::span<const power_point> points, double target) {
  if (!(target > 0.0 && target < 1.0))
    throw_invalid_argument("resample::simulation::find_required_sample_size", "target power outside (0, 1)");
  std::vector<power_point> sorted(points.begin(), points.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.n < b.n; });
  required_sample_size r;
  r.target = target;
  for (const auto& p : sorted) {
    if (!r.n && p.power >= target) r.n = p.n;
    if (!r.n_low && p.power + 2.0 * p.mc_se >= target) r.n_low = p.n;
    if (!r.n_high && p.power - 2.0 * p.mc_se >= target) r.n_high = p.n;
  }
  return r;
}

}  // namespace resample::simulation
