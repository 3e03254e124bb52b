#pragma once
// Exact bootstrap of a sum-type statistic (mean, prop_ge) by n-fold convolution of the empirical
// distribution of the scores, when the scores lie on a lattice origin + step * k.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "resample/distribution.hpp"
#include "resample/statistics.hpp"

namespace resample::bootstrap {

// Scores s_j = origin + step * index_j with small non-negative integer indices.
struct score_lattice {
  double origin = 0.0;
  double step = 1.0;                 // 0 when every score is the same
  std::vector<std::uint32_t> index;  // one per value given to find_score_lattice
  std::uint32_t max_index = 0;
};

// Detects a common step: the differences from the smallest score must be integer multiples of
// one step up to the rounding of the data as given (find_lattice in equality.hpp, at any scale).
// nullopt when there is none or the largest index exceeds max_index.
std::optional<score_lattice> find_score_lattice(std::span<const double> scores,
                                                std::uint32_t max_index = 1u << 20);

// The per-distinct-value scores of a sum-type statistic, for the sorted distinct support.
std::vector<double> statistic_scores(const statistic& stat, std::span<const double> support);

// Cost estimate (multiply-adds) of convolution_bootstrap; +inf when not applicable.
double convolution_cost(std::span<const double> sample, const statistic& stat);

// The exact distribution of the statistic, or nullopt when the statistic is not sum-type or the
// scores are not on a lattice. Probabilities below 1e-300 are flushed to zero as they arise (this
// avoids subnormal arithmetic); the mass so dropped is below n * n * L * 1e-300, far under the
// 1e-12 tolerance of quantile(), so no quantile changes.
std::optional<weighted_distribution> convolution_bootstrap(std::span<const double> sample,
                                                           const statistic& stat);

}  // namespace resample::bootstrap
