#include "resample/inference/lattice_null.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "resample/error.hpp"

namespace resample::inference {

namespace {

// Extended path: counts of sign patterns per sum in long double (x87, exponent to 16383). Counts
// are integers, so nothing underflows: the smallest non-zero entry is 1, the largest 2^m.
std::vector<long double> count_patterns_extended(std::span<const std::uint64_t> sorted, std::uint64_t total,
                                                 int m) {
  std::vector<long double> counts(total + 1, 0.0L);
  counts[0] = 1.0L;
  std::uint64_t high = 0;  // counts[s] == 0 for s > high
  long double* f = counts.data();
  for (const std::uint64_t a : sorted) {
    // Including value a: count[s + a] += count[s]; descending so each pattern is counted once.
    long double* target = f + a;
    for (std::uint64_t s = high + 1; s-- > 0;) target[s] += f[s];
    high += a;
  }
  for (auto& c : counts) c = std::ldexp(c, -m);
  return counts;
}

// Fast path: the same recursion in double (vectorised), with counts stored as c * 2^-exponent.
// Every 512 values the table is rescaled so that its maximum is about 1, and entries below 2^-1000
// of the maximum are set to 0: no overflow, and no denormals (which would make the additions
// slow). The probability lost is at most about (additions) * 2^-1000, far below anything
// printed; callers recompute in extended precision when the tail itself is that small.
std::vector<long double> count_patterns_fast(std::span<const std::uint64_t> sorted, std::uint64_t total,
                                             int m) {
  std::vector<double> counts(total + 1, 0.0);
  counts[0] = 1.0;
  std::uint64_t high = 0;
  long exponent = 0;
  double* f = counts.data();
  std::size_t since_rescale = 0;
  for (const std::uint64_t a : sorted) {
    double* target = f + a;
    for (std::uint64_t s = high + 1; s-- > 0;) target[s] += f[s];
    high += a;
    if (++since_rescale == 512) {
      since_rescale = 0;
      const double peak = *std::max_element(f, f + high + 1);
      const int shift = std::ilogb(peak);
      const double scale = std::ldexp(1.0, -shift), floor = std::ldexp(1.0, -1000);
      for (std::uint64_t s = 0; s <= high; ++s) {
        const double v = f[s] * scale;
        f[s] = v < floor ? 0.0 : v;
      }
      exponent += shift;
    }
  }
  std::vector<long double> probability(total + 1);
  for (std::uint64_t s = 0; s <= total; ++s)
    probability[s] = std::ldexp(static_cast<long double>(counts[s]), static_cast<int>(exponent - m));
  return probability;
}

}  // namespace

namespace {

// Sorted swings divided by their greatest common divisor g: S = g * S', and the table of S' is g
// times shorter (tied Wilcoxon ranks and lattice data often share a factor).
struct reduced_swings {
  std::vector<std::uint64_t> sorted;
  std::uint64_t gcd = 1;
};

reduced_swings reduce(std::span<const std::uint64_t> swings) {
  reduced_swings r;
  r.sorted.assign(swings.begin(), swings.end());
  std::uint64_t g = 0;
  for (auto a : r.sorted) g = std::gcd(g, a);
  r.gcd = g == 0 ? 1 : g;
  for (auto& a : r.sorted) a /= r.gcd;
  // Ascending order keeps the partial range, hence the work, as small as possible.
  std::sort(r.sorted.begin(), r.sorted.end());
  return r;
}

double work_of(const std::vector<std::uint64_t>& sorted) {
  double work = 0.0, high = 0.0;
  for (auto a : sorted) {
    high += static_cast<double>(a);
    work += high;
  }
  return work;
}

}  // namespace

double subset_sum_work(std::span<const std::uint64_t> swings) { return work_of(reduce(swings).sorted); }

bool subset_sum_feasible(std::span<const std::uint64_t> swings) {
  const auto r = reduce(swings);
  double total = 0.0;
  for (auto a : r.sorted) total += static_cast<double>(a);
  return swings.size() <= 16000 && total < static_cast<double>(subset_sum_max_entries) &&
         work_of(r.sorted) <= subset_sum_max_work;
}

subset_sum_null::subset_sum_null(std::span<const std::uint64_t> swings, bool extended) {
  std::uint64_t total = 0;
  for (auto a : swings) {
    if (a == 0)
      throw_invalid_argument("resample::subset_sum_null", "a swing is zero, expected positive integers");
    total += a;
  }
  if (!subset_sum_feasible(swings))
    throw infeasible_error("exact null distribution too large: " + std::to_string(swings.size()) +
                               " values with total " + std::to_string(total) + " (" +
                               std::to_string(static_cast<std::uint64_t>(subset_sum_work(swings))) +
                               " additions; limits 16000 values, " + std::to_string(subset_sum_max_entries) +
                               " entries, 4e9 additions)",
                           "method", {use_monte_carlo(), use_approximation()});
  const auto r = reduce(swings);
  total_ = total;
  gcd_ = r.gcd;
  count_ = r.sorted.size();
  const int m = static_cast<int>(count_);
  const std::uint64_t reduced_total = total / gcd_;
  probability_ = extended ? count_patterns_extended(r.sorted, reduced_total, m)
                          : count_patterns_fast(r.sorted, reduced_total, m);
}

tail_probability subset_sum_null::tail(std::uint64_t observed, alternative alt) const {
  tail_probability t;
  const auto A = static_cast<std::int64_t>(total_);
  const auto o = static_cast<std::int64_t>(observed);
  const auto g = static_cast<std::int64_t>(gcd_);
  for (std::int64_t index = 0; index < static_cast<std::int64_t>(probability_.size()); ++index) {
    const std::int64_t s = index * g;
    const long double p = probability_[static_cast<std::size_t>(index)];
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

subset_sum_tail_result subset_sum_tail(std::span<const std::uint64_t> swings, std::uint64_t observed,
                                       alternative alt) {
  subset_sum_null null(swings);
  auto tail = null.tail(observed, alt);
  if (tail.more + tail.equal < 1e-280L) {  // the fast path's flushing could matter this far out
    null = subset_sum_null(swings, true);
    tail = null.tail(observed, alt);
  }
  return {std::move(null), tail};
}

}  // namespace resample::inference
