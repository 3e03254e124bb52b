// Exact sign-flip test by enumeration of all 2^m sign patterns in Gray-code order: consecutive
// patterns differ in one sign, so a sum-type statistic updates in O(1) and any other statistic in
// O(n) (one value moves within the sorted flipped sample). The high bits of the pattern are fixed
// per task (a "prefix") and the tasks run in parallel; counts are integers, so the result does not
// depend on the thread count or the order in which tasks finish.

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>
#include <vector>

#include "resample/error.hpp"
#include "resample/parallel_for.hpp"
#include "sign_flip_detail.hpp"

namespace resample::inference {

namespace {

using detail::sign_flip_problem;
using detail::tally;

// Enumerates the 2^low patterns of the low values with the high values' signs set by `prefix`.
// Writes each pattern's statistic to null_out (if given) at [0, 2^low).
template <class Stat>
tally enumerate_prefix(const sign_flip_problem& p, Stat stat, const detail::classifier& cls,
                       std::uint64_t prefix, int low, double* null_out) {
  const std::size_t m = p.nonzero.size();
  std::vector<double> current(p.nonzero);  // signed values in the current pattern
  for (std::size_t i = static_cast<std::size_t>(low); i < m; ++i)
    if ((prefix >> (i - static_cast<std::size_t>(low))) & 1u) current[i] = -current[i];
  tally t;
  const std::uint64_t patterns = std::uint64_t{1} << low;
  const double n = static_cast<double>(p.n);
  if constexpr (Stat::sum_type) {
    double sum = static_cast<double>(p.zeros) * stat.score(0.0);
    for (double v : current) sum += stat.score(v);
    for (std::uint64_t j = 0;;) {
      cls.add(sum, t);
      if (null_out) null_out[j] = sum / n;
      if (++j == patterns) break;
      const auto i = static_cast<std::size_t>(std::countr_zero(j));
      sum += stat.score(-current[i]) - stat.score(current[i]);
      current[i] = -current[i];
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
                           "' exceeds the limit 2^" + std::to_string(sign_flip_max_gray) +
                           "; use --method mc");
  const int low = static_cast<int>(std::min<std::size_t>(m, 16));
  const int high = static_cast<int>(m) - low;
  const std::uint64_t prefixes = std::uint64_t{1} << high, per_prefix = std::uint64_t{1} << low;
  const bool keep = options.keep_null_distribution && (prefixes * per_prefix) <= null_distribution_max_atoms;
  std::vector<double> null_values(keep ? prefixes * per_prefix : 0);
  std::vector<tally> tallies(prefixes);
  const auto cls = detail::make_classifier(p);
  detail::run_with_threads(options.threads, [&] {
    visit_statistic(stat, [&](auto concrete) {
      resample::parallel_for(tbb::blocked_range<std::uint64_t>(0, prefixes), [&](const auto& range) {
        for (std::uint64_t prefix = range.begin(); prefix != range.end(); ++prefix)
          tallies[prefix] = enumerate_prefix(p, concrete, cls, prefix, low,
                                             keep ? null_values.data() + prefix * per_prefix : nullptr);
      });
    });
  });
  tally total;
  for (const auto& t : tallies) total += t;
  auto r = detail::base_result(p, alt, "gray_code", true);
  detail::finish_exact(r, p, total, std::ldexp(1.0L, static_cast<int>(m)), alt, options.mid_p);
  if (keep) r.null_distribution = weighted_distribution::from_sample(null_values);
  return r;
}

}  // namespace resample::inference
