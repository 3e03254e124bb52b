#pragma once
// Monte Carlo bootstrap: B resamples cut into blocks of resamples_per_block; block b always uses
// random_stream(seed, bootstrap, b), so the output is bit-identical for any thread count.
// Statistics on an integer score lattice are accumulated as an exact histogram (integer counts,
// merged in any order with the same result); other statistics keep the B replicates as doubles,
// written at fixed positions.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "resample/distribution.hpp"
#include "resample/statistics.hpp"

namespace resample::bootstrap {

struct monte_carlo_options {
  std::uint64_t resamples = 10000;
  std::uint64_t seed = 20020;
  bool studentized = false;
  double max_memory_bytes = 0;           // 0: no limit
};

struct monte_carlo_result {
  weighted_distribution distribution;
  std::optional<weighted_distribution> studentized;
  std::uint64_t studentized_resamples = 0;  // replicates behind studentized (B - dropped)
  std::uint64_t studentized_dropped = 0;    // replicates with se* = 0
  std::string studentized_method;
  std::string path;  // how replicates were drawn and stored, e.g. "histogram, multinomial counts"
};

// Bytes the run would need beyond the input (the plan checked against max_memory_bytes).
double monte_carlo_memory_estimate(std::span<const double> sample, const statistic& stat,
                                   const monte_carlo_options& options);

// Runs in the caller's TBB arena. Throws infeasible_error when the plan exceeds max_memory_bytes.
monte_carlo_result monte_carlo_bootstrap(std::span<const double> sample, const statistic& stat,
                                         const monte_carlo_options& options);

}  // namespace resample::bootstrap
