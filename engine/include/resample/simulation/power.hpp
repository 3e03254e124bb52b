#pragma once
// Power of the paired tests by simulation (issue 6): for each sample size n, T trials each draw n
// differences from an effect model and run the test; power = rejections / T with Monte Carlo SE
// sqrt(p(1 - p)/T). Inside each trial the test is exact wherever it is exact (sign-flip on lattice
// data by the DP, otherwise Gray code / meet in the middle; exact Wilcoxon DP; exact binomial sign
// test; t through Boost's Student t); trials that had to fall back to an approximation are counted
// in `inexact_trials`, never hidden.
//
// Reproducibility: trial t at sample size n draws from random_stream(seed, simulation, block = n,
// sub = t), so a point does not depend on the grid around it, on the thread count or on the order in
// which TBB runs the trials; rejections are integer counts, so the sums are exact.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "resample/execution.hpp"
#include "resample/inference/test_result.hpp"
#include "resample/simulation/effect_model.hpp"
#include "resample/statistics.hpp"
#include "resample/vocabulary.hpp"

namespace resample::simulation {

// The tests, named once (vocabulary.hpp).
using resample::test_kind;

struct power_options {
  test_kind test = test_kind::sign_flip;
  statistic stat{};  // of the sign-flip test (the other tests have their own statistic)
  inference::alternative alt = inference::alternative::two_sided;
  double alpha = 0.05;  // reject when p <= alpha (up to a relative 1e-9, so p = alpha rejects)
  std::uint64_t trials = 2000;
  std::uint64_t seed = 20026;
  inference::zero_method zeros = inference::zero_method::pratt;  // Wilcoxon
  // exec.threads: the arena of the trials (0: all cores); exec.progress is incremented by the
  // number of trials finished; exec.cancel is checked before every chunk of trials. The test of a
  // trial runs in the trials' arena, here: exec.distribute is not used.
  execution exec{};
};

struct power_point {
  std::size_t n = 0;
  std::uint64_t trials = 0;
  std::uint64_t rejections = 0;
  double power = 0.0;
  double mc_se = 0.0;  // sqrt(power (1 - power) / trials)
  // Trials whose test used an approximation (Wilcoxon normal approximation past the exact limits,
  // Monte Carlo sign-flip past the exact limits) and trials where the test was undefined (all
  // differences zero; zero SD for t): the latter count as "not rejected".
  std::uint64_t inexact_trials = 0;
  std::uint64_t undefined_trials = 0;
};

// The smallest n of the grid whose estimated power reaches the target, with the uncertainty of
// that choice: n_low is the smallest n whose power is within 2 MC SE of the target or above
// (power + 2 se >= target), n_high the smallest n whose power exceeds the target by 2 MC SE
// (power - 2 se >= target). Absent values: not reached on the grid.
struct required_sample_size {
  double target = 0.8;
  std::optional<std::size_t> n;
  std::optional<std::size_t> n_low;
  std::optional<std::size_t> n_high;
};

// One point. Throws invalid_argument for n < 2, trials = 0, alpha outside (0, 1).
power_point simulate_power(const effect_model& model, std::size_t n, const power_options& options);

// All points of a grid in one parallel loop over (point, trial) pairs. Same validation.
std::vector<power_point> power_curve(const effect_model& model, std::span<const std::size_t> sample_sizes,
                                     const power_options& options);

// Throws invalid_argument for a target outside (0, 1).
required_sample_size find_required_sample_size(std::span<const power_point> points, double target);

// Whether one sample rejects H0 under the test (exposed for tests and benchmarks). `exact` and
// `defined` report how the decision was reached.
struct decision {
  bool reject = false;
  bool exact = true;
  bool defined = true;
};
decision test_rejects(std::span<const double> sample, const power_options& options, std::uint64_t trial_seed);

}  // namespace resample::simulation
