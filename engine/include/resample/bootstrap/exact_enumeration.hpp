#pragma once
// Exact bootstrap by enumeration: every multiset of n draws from the n patients, with its
// multinomial probability (n! / prod c_i!) / n^n. Patients with equal values are indistinguishable
// to any statistic, so the enumeration runs over compositions of n into the K distinct values
// with probabilities m_j / n (the same distribution, C(n + K - 1, K - 1) terms instead of
// C(2n - 1, n)).

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "resample/bootstrap/intervals.hpp"
#include "resample/distribution.hpp"
#include "resample/statistics.hpp"

namespace resample::bootstrap {

// C(n + k - 1, k - 1) as a double (may be +inf): the number of compositions of n into k parts.
double composition_count(std::size_t n, std::size_t k);
// C(2n - 1, n): distinct bootstrap multisets of n patients.
double multiset_count(std::size_t n);

// Exact enumeration runs up to this many compositions (n = 14 distinct values: 2.006e7, about a
// second): the default budget of enumerate_bootstrap and of bootstrap()'s automatic route.
inline constexpr double exact_enumeration_budget = 2.1e7;

struct enumeration_options {
  bool studentized = false;  // also build the distribution of t* = (T* - t_hat) / se*
  double max_compositions =
      exact_enumeration_budget;  // refuse (infeasible_error) above this (n = 14 distinct: 2.006e7)
  bool parallel = true;          // TBB over prefixes; false for many small calls (simulations)
  std::uint64_t seed = 20020;    // for nested Monte Carlo SEs when an inner enumeration is too big
  // se* of a statistic without an analytic SE (intervals.hpp). jackknife: K evaluations per
  // composition, computed when compositions * K <= max_compositions; nested: up to 50000
  // compositions. Beyond, studentized is absent with a note (the Monte Carlo method computes it).
  studentized_se_method se_method = default_studentized_se;
};

struct enumeration_result {
  weighted_distribution distribution;
  double compositions = 0;  // compositions visited
  // Studentized part (when requested and available).
  std::optional<weighted_distribution> studentized;
  double studentized_se = 0.0;     // se of t_hat, same formula as se*
  double studentized_dropped = 0;  // compositions with se* = 0, dropped
  double studentized_dropped_weight = 0.0;
  std::string studentized_method;  // "analytic", "exact nested bootstrap", ...
  std::string studentized_note;    // why studentized is absent
};

enumeration_result enumerate_bootstrap(std::span<const double> sample, const statistic& stat,
                                       const enumeration_options& options = {});

// The bootstrap SE of a statistic on a multiset (support, counts), the inner step of the nested
// bootstrap for studentized intervals: exact when at most 2000 compositions, else 200 Monte Carlo
// inner resamples from the stream (seed, nested_bootstrap, key). Returns 0 for a constant multiset.
double nested_bootstrap_se(const statistic& stat, std::span<const double> support,
                           std::span<const std::uint32_t> counts, std::uint64_t seed, std::uint64_t key);

}  // namespace resample::bootstrap
