#pragma once
// Leave-one-out jackknife of a statistic (the BCa acceleration).

#include <span>
#include <vector>

#include "resample/statistics.hpp"

namespace resample::bootstrap {

// theta_(i), i = 1..n: the statistic without patient i, in the order of `sample`. Throws
// invalid_argument when n - 1 is below the statistic's minimum sample size.
std::vector<double> jackknife_estimates(std::span<const double> sample, const statistic& stat);

}  // namespace resample::bootstrap
