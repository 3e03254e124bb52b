#pragma once
// Point estimates with intervals for paired differences: Hodges-Lehmann with its exact
// signed-rank interval, the median with its distribution-free order-statistic interval, the mean
// with Student's t (test and interval), and binomial proportions (Clopper-Pearson, Wilson,
// Jeffreys). An endpoint that does not exist (n too small for the level, zero SD) is nullopt with
// a note saying why, never an infinity.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "resample/inference/test_result.hpp"

namespace resample::inference {

struct interval_estimate {
  std::string name;  // "hodges_lehmann", "median", "mean"
  double estimate = 0.0;
  std::optional<double> lower, upper;
  double level = 0.95;                   // nominal
  std::optional<double> achieved_level;  // exact coverage of a discrete construction
  bool exact = true;
  std::string method;
  // The test whose inversion this is ("sign_flip", "sign", "wilcoxon", "t"), as test_kind names
  // it, and how exactly: HL inverts the signed-rank test without ties.
  std::string inverts;
  // Monte Carlo constructions: the resamples and each endpoint's Monte Carlo standard error.
  std::uint64_t resamples = 0;
  std::optional<double> mc_se_lower, mc_se_upper;
  bool one_sided = false;  // a one-sided bound: the other endpoint is infinite by construction
  std::vector<std::string> notes;
};

// HL = median of the Walsh averages (d_i + d_j)/2, i <= j; interval [W_(c), W_(N+1-c)] (sorted
// Walsh averages, with multiplicity when the data have ties), c the largest integer with
// P(V <= c - 1) <= (1 - level)/2 under the exact signed-rank null without ties (normal
// approximation past n = 1000, labelled). This is the inversion of the test that rejects when the
// number of Walsh averages above theta is < c or > N - c.
interval_estimate hodges_lehmann_interval(std::span<const double> differences, double level = 0.95);

// Median with [x_(k), x_(n+1-k)], k the largest with P(Binomial(n, 1/2) <= k - 1) <= (1 - level)/2.
interval_estimate median_interval(std::span<const double> differences, double level = 0.95);

// Paired t test of mean difference 0 (n - 1 degrees of freedom). exact is false: the p-value is
// exact only for normal differences. Zero SD or n < 2: p_value NaN with a note.
test_result t_test(std::span<const double> differences, alternative alt);
// mean -/+ t_{1-alpha/2, n-1} * sd / sqrt(n).
interval_estimate t_interval(std::span<const double> differences, double level = 0.95);

struct proportion_interval {
  std::string method;  // "clopper_pearson", "wilson", "jeffreys"
  double lower = 0.0, upper = 1.0;
};
struct proportion_estimate {
  std::size_t successes = 0, trials = 0;
  double estimate = 0.0;
  double level = 0.95;
  std::vector<proportion_interval> intervals;
};
// Successes out of trials (e.g. 5 of 6 improved by >= 3 points).
proportion_estimate proportion_intervals(std::size_t successes, std::size_t trials, double level = 0.95);

}  // namespace resample::inference
