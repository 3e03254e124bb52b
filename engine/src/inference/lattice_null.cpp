#include "resample/inference/lattice_null.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "resample/error.hpp"

namespace resample::inference {

namespace {

// Counts of sign patterns per sum. Counts are integers, so nothing underflows: the smallest
// non-zero entry is 1 and the largest is 2^m. double holds 2^m for m <= 1023 and vectorises;
// long double (x87, exponent to 16383) takes over beyond that.
template <class Real>
std::vector<long double> count_patterns(std::span<const std::uint64_t> sorted, std::uint64_t total, int m) {
  std::vector<Real> counts(total + 1, Real(0));
  counts[0] = Real(1);
  std::uint64_t high = 0;  // counts[s] == 0 for s > high
  Real* f = counts.data();
  for (const std::uint64_t a : sorted) {
    // Including value a: count[s + a] += count[s]; descending so each pattern is counted once.
    Real* target = f + a;
    for (std::uint64_t s = high + 1; s-- > 0;) target[s] += f[s];
    high += a;
  }
  std::vector<long double> probability(total + 1);
  for (std::uint64_t s = 0; s <= total; ++s)
    probability[s] = std::ldexp(static_cast<long double>(counts[s]), -m);
  return probability;
}

}  // namespace

double subset_sum_work(std::span<const std::uint64_t> swings) {
  std::vector<std::uint64_t> sorted(swings.begin(), swings.end());
  std::sort(sorted.begin(), sorted.end());
  double work = 0.0, high = 0.0;
  for (auto a : sorted) {
    high += static_cast<double>(a);
    work += high;
  }
  return work;
}

bool subset_sum_feasible(std::span<const std::uint64_t> swings) {
  double total = 0.0;
  for (auto a : swings) total += static_cast<double>(a);
  return swings.size() <= 16000 && total < static_cast<double>(subset_sum_max_entries) &&
         subset_sum_work(swings) <= subset_sum_max_work;
}

subset_sum_null::subset_sum_null(std::span<const std::uint64_t> swings) {
  double total = 0.0;
  for (auto a : swings) {
    if (a == 0)
      throw_invalid_argument("resample::subset_sum_null", "a swing is zero, expected positive integers");
    total += static_cast<double>(a);
  }
  if (!subset_sum_feasible(swings))
    throw infeasible_error("exact null distribution too large: " + std::to_string(swings.size()) +
                           " values with total " + std::to_string(static_cast<std::uint64_t>(total)) + " (" +
                           std::to_string(static_cast<std::uint64_t>(subset_sum_work(swings))) +
                           " additions; limits 16000 values, " + std::to_string(subset_sum_max_entries) +
                           " entries, 4e9 additions); use --method mc or approx");
  std::vector<std::uint64_t> sorted(swings.begin(), swings.end());
  // Ascending order keeps the partial range, hence the work, as small as possible.
  std::sort(sorted.begin(), sorted.end());
  total_ = static_cast<std::uint64_t>(total);
  count_ = sorted.size();
  const int m = static_cast<int>(count_);
  probability_ =
      m <= 1000 ? count_patterns<double>(sorted, total_, m) : count_patterns<long double>(sorted, total_, m);
}

tail_probability subset_sum_null::tail(std::uint64_t observed, alternative alt) const {
  tail_probability t;
  const auto A = static_cast<std::int64_t>(total_);
  const auto o = static_cast<std::int64_t>(observed);
  for (std::int64_t s = 0; s <= A; ++s) {
    const long double p = probability_[static_cast<std::size_t>(s)];
    if (p == 0.0L) continue;
    std::int64_t key = 0, reference = 0;  // larger key = more extreme
    switch (alt) {
      case alternative::greater:
        key = s, reference = o;
        break;
      case alternative::less:
        key = -s, reference = -o;
        break;
      case alternative::two_sided:
        key = std::abs(2 * s - A), reference = std::abs(2 * o - A);
        break;
    }
    if (key > reference)
      t.more += p;
    else if (key == reference)
      t.equal += p;
  }
  return t;
}

}  // namespace resample::inference
