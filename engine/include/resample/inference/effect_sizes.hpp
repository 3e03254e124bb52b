#pragma once
// Paired effect sizes a clinician can read (statistical-conventions.md, "Paired effect sizes").
// The rank-biserial correlation and the probability of superiority are statistics
// (statistics.hpp: rank_biserial, superiority), so every bootstrap, test and simulation takes
// them; this header adds what is not a resampling statistic: the standardized mean change with
// its normal-theory interval, and the shares of patients who improved, did not change or worsened.

#include <cstddef>
#include <span>

#include "resample/inference/estimates.hpp"

namespace resample::inference {

// d_z = mean(d) / sd(d), with the interval that inverts the noncentral t distribution of
// sqrt(n) d_z (n - 1 degrees of freedom, noncentrality sqrt(n) delta): exact for normal
// differences only, so exact is false and the method says "noncentral_t". n < 2 or sd = 0: no
// estimate (NaN) and no interval, with a note.
interval_estimate standardized_mean_change(std::span<const double> differences, double level = 0.95);

// Patients with d > 0 (improved), d = 0 (no change) and d < 0 (worse), d the improvement.
struct change_counts {
  std::size_t improved = 0, unchanged = 0, worsened = 0;
  std::size_t n() const { return improved + unchanged + worsened; }
};
change_counts count_changes(std::span<const double> differences);

}  // namespace resample::inference
