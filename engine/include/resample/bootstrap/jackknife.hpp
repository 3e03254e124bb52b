#pragma once
// Leave-one-out jackknife of a statistic: the BCa acceleration, and the cheap se* of a studentized
// interval (one jackknife inside every bootstrap resample).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "resample/equality.hpp"
#include "resample/statistics.hpp"

namespace resample::bootstrap {

// theta_(i), i = 1..n: the statistic without patient i, in the order of `sample`. Throws
// invalid_argument when n - 1 is below the statistic's minimum sample size.
std::vector<double> jackknife_estimates(std::span<const double> sample, const statistic& stat);

// The leave-one-out jackknife standard error of a statistic on a multiset (support, counts) of n
// values: se^2 = (n - 1) / n * sum_j c_j (theta_(j) - theta_bar)^2, theta_(j) the statistic with one
// copy of support[j] removed and theta_bar = sum_j c_j theta_(j) / n. This is the jackknife of the
// expanded sample of n values: removing any copy of the same value leaves the same multiset, so a
// multiset with K distinct values takes K evaluations, weighted by multiplicity, not n.
// `concrete` is a statistic struct from visit_statistic. `counts` is changed during the call and
// restored before it returns; nothing is allocated (the per-resample hot path). Returns 0 (se*
// undefined: the caller drops the resample) when n - 1 is below the statistic's minimum sample size
// or every theta_(j) is within `equal` of every other (leave-one-out values that differ only by
// rounding are one value, as for the BCa acceleration).
template <class Concrete, class Count>
double multiset_jackknife_se(const Concrete& concrete, std::span<const double> support,
                             std::span<Count> counts, std::size_t n, value_equality equal) {
  if (n < 2 || n - 1 < concrete.minimum_n) return 0.0;
  const std::span<const Count> view(counts.data(), counts.size());
  // One pass, weighted (West's update): no buffer of the K values, and equal values give a spread
  // of exactly 0. Every step is a sum, product or quotient of values in the data's unit with
  // unit-free weights, so scaling the data by 2^k scales the result by 2^k exactly.
  double weight = 0.0, mean = 0.0, squares = 0.0;
  double lowest = std::numeric_limits<double>::infinity(), highest = -lowest;
  for (std::size_t j = 0; j < support.size(); ++j) {
    if (counts[j] == 0) continue;
    const double c = static_cast<double>(counts[j]);
    --counts[j];
    const double theta = concrete(support, view, n - 1);
    ++counts[j];
    weight += c;
    const double delta = theta - mean;
    mean += delta * (c / weight);
    squares += c * delta * (theta - mean);
    lowest = std::min(lowest, theta);
    highest = std::max(highest, theta);
  }
  if (!(highest > lowest) || equal(lowest, highest)) return 0.0;
  const double dn = static_cast<double>(n);
  return std::sqrt(std::max(squares, 0.0) * ((dn - 1.0) / dn));
}

// multiset_jackknife_se of the data themselves, with the statistic's rounding tolerance on them:
// the SE of t_hat that goes with the jackknife se* of the resamples.
double jackknife_standard_error(std::span<const double> sample, const statistic& stat);

}  // namespace resample::bootstrap
