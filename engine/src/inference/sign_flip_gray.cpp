// Exact sign-flip test by enumeration of all 2^m sign patterns: a sum-type statistic is one
// addition per pattern (a prefix's high part plus a shared table of low-part sums), any other
// statistic O(n) per pattern in Gray-code order (one value moves within the sorted flipped
// sample). The high bits of the pattern are fixed
// per task (a "prefix") and the tasks run in parallel; counts are integers, so the result does not
// depend on the thread count or the order in which tasks finish.

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>
#include <vector>

#include "parallel_for.hpp"
#include "resample/error.hpp"
#include "sign_flip_detail.hpp"

namespace resample::inference {

namespace {

using detail::sign_flip_problem;
using detail::tally;

// The signed sums of the scores of the `low` first values over all 2^low sign patterns (bit i of
// the index flips value i), built by doubling: entry j + 2^b is entry j with value b flipped, so
// each entry is at most 2 * low roundings from the scores. A running Gray-code update would
// instead carry one more rounding per pattern, 65536 per prefix, far past the equality rule's
// bound for the sums (sign_flip_common.cpp).
template <class Stat>
std::vector<double> low_pattern_sums(const sign_flip_problem& p, Stat stat, int low) {
  std::vector<double> sums(std::size_t{1} << low);
  double all_positive = 0.0;
  for (int i = 0; i < low; ++i) all_positive += stat.score(p.nonzero[static_cast<std::size_t>(i)]);
  sums[0] = all_positive;
  for (int b = 0; b < low; ++b) {
    const double v = p.nonzero[static_cast<std::size_t>(b)];
    const double change = stat.score(-v) - stat.score(v);
    const std::size_t half = std::size_t{1} << b;
    for (std::size_t j = 0; j < half; ++j) sums[half + j] = sums[j] + change;
  }
  return sums;
}

// Enumerates the 2^low patterns of the low values with the high values' signs set by `prefix`.
// Writes each pattern's statistic to null_out (if given) at [0, 2^low).
template <class Stat>
tally enumerate_prefix(const sign_flip_problem& p, Stat stat, const detail::classifier& cls,
                       std::span<const double> low_sums, std::uint64_t prefix, int low, double* null_out) {
  const std::size_t m = p.nonzero.size();
  std::vector<double> current(p.nonzero);  // signed values in the current pattern
  for (std::size_t i = static_cast<std::size_t>(low); i < m; ++i)
    if ((prefix >> (i - static_cast<std::size_t>(low))) & 1u) current[i] = -current[i];
  tally t;
  const std::uint64_t patterns = std::uint64_t{1} << low;
  const double n = static_cast<double>(p.n);
  if constexpr (Stat::sum_type) {
    double high = static_cast<double>(p.zeros) * stat.score(0.0);
    for (std::size_t i = static_cast<std::size_t>(low); i < m; ++i) high += stat.score(current[i]);
    for (std::uint64_t j = 0; j < patterns; ++j) {
      const double sum = high + low_sums[j];
      cls.add(sum, t);
      if (null_out) null_out[j] = sum / n;
    }
  } else {
    std::vector<double> sorted(current);
    sorted.insert(sorted.end(), p.zeros, 0.0);
    std::sort(sorted.begin(), sorted.end());
    const std::vector<std::uint32_t> ones(p.n, 1u);
    const std::span<const double> support(sorted);
    const std::span<const std::uint32_t> counts(ones);
    for (std::uint64_t j = 0;;) {
      const double value = stat(support, counts, p.n);
      cls.add(value, t);
      if (null_out) null_out[j] = value;
      if (++j == patterns) break;
      const auto i = static_cast<std::size_t>(std::countr_zero(j));
      detail::replace_sorted(sorted, current[i], -current[i]);
      current[i] = -current[i];
    }
  }
  return t;
}

}  // namespace

test_result sign_flip_gray(std::span<const double> differences, const statistic& stat, alternative alt,
                           const sign_flip_options& options) {
  const auto p = detail::prepare_sign_flip(differences, stat, "resample::sign_flip_gray");
  const std::size_t m = p.nonzero.size();
  if (m > sign_flip_max_gray)
    throw infeasible_error("exact sign-flip enumeration: 2^" + std::to_string(m) + " = " +
                               detail::pattern_count(m) + " patterns for '" + to_string(stat) +
                               "' exceeds the limit 2^" + std::to_string(sign_flip_max_gray),
                           "method", {use_monte_carlo()});
  const int low = static_cast<int>(std::min<std::size_t>(m, 16));
  const int high = static_cast<int>(m) - low;
  const std::uint64_t prefixes = std::uint64_t{1} << high, per_prefix = std::uint64_t{1} << low;
  const bool keep = options.keep_null_distribution && (prefixes * per_prefix) <= null_distribution_max_atoms;
  std::vector<double> null_values(keep ? prefixes * per_prefix : 0);
  std::vector<tally> tallies(prefixes);
  const auto cls = detail::make_classifier(p);
  detail::run_with_threads(options.exec.threads, [&] {
    visit_statistic(stat, [&](auto concrete) {
      std::vector<double> low_sums;
      if constexpr (decltype(concrete)::sum_type) low_sums = low_pattern_sums(p, concrete, low);
      resample::parallel_for(tbb::blocked_range<std::uint64_t>(0, prefixes), [&](const auto& range) {
        for (std::uint64_t prefix = range.begin(); prefix != range.end(); ++prefix)
          tallies[prefix] = enumerate_prefix(p, concrete, cls, low_sums, prefix, low,
                                             keep ? null_values.data() + prefix * per_prefix : nullptr);
      });
    });
  });
  tally total;
  for (const auto& t : tallies) total += t;
  auto r = detail::base_result(p, alt, "gray_code", true);
  detail::finish_exact(r, p, total, std::ldexp(1.0L, static_cast<int>(m)), alt, options.mid_p);
  if (keep) {
    // Sum-type values are the compared sums over n; the others the statistic itself.
    const value_equality equal =
        p.sum_type ? value_equality::after_rounding(detail::sum_rounding_operations(p.n) + 1.0,
                                                    p.swing / static_cast<double>(p.n))
                   : p.equal;
    r.null_distribution = weighted_distribution::from_sample(null_values, equal);
  }
  return r;
}

}  // namespace resample::inference
