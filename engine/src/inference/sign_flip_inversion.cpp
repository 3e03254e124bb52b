// The sign-flip confidence set for the mean shift (the header explains the subset-average
// structure). Everything is compared with the test's own rule: a pattern is as extreme as the
// observed one when its signed sum is within the test's tolerance of the observed one, which on
// the subset-sum scale is sum_S (d_i - delta) <= tau / 2, tau the test's tolerance for d - delta.

#include "resample/inference/sign_flip_inversion.hpp"

#include <tbb/blocked_range.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "bootstrap/sampling.hpp"
#include "parallel_for.hpp"
#include "random_stream.hpp"
#include "resample/check.hpp"
#include "resample/equality.hpp"
#include "resample/error.hpp"
#include "resample/monte_carlo_blocks.hpp"
#include "resample/parse_number.hpp"
#include "resample/vocabulary.hpp"
#include "sign_flip_detail.hpp"
#include "sign_flip_inversion_lattice.hpp"
#include "sign_flip_inversion_trimmed.hpp"
#include "sign_flip_sums.hpp"

namespace resample::inference {

namespace {

constexpr const char* function_name = "resample::sign_flip_confidence_set";

// A subset sum of one half of the values and which of that half's values it holds.
struct subset_sum {
  double sum;
  std::uint32_t members;
};

// All 2^h subset sums of `values` (h <= 20), ascending: adding value i merges the list with
// itself shifted by value i, which keeps it sorted without a sort.
void sorted_subset_sums(std::span<const double> values, std::vector<subset_sum>& sums,
                        std::vector<subset_sum>& shifted) {
  sums.assign(1, subset_sum{0.0, 0u});
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    const std::uint32_t bit = std::uint32_t{1} << i;
    shifted.resize(sums.size());
    std::transform(sums.begin(), sums.end(), shifted.begin(), [&](const subset_sum& s) {
      return subset_sum{s.sum + v, s.members | bit};
    });
    const std::size_t before = sums.size();
    sums.resize(2 * before);
    // In place from the back: the merged list fills sums[0, 2 before) from its end.
    std::size_t a = before, b = before, out = 2 * before;
    while (b > 0) {
      if (a > 0 && sums[a - 1].sum > shifted[b - 1].sum)
        sums[--out] = sums[--a];
      else
        sums[--out] = shifted[--b];
    }
  }
}

// c(delta) and the subset that attains the largest sum_S (d_i - delta) within the tolerance, for
// one shift: the two half-lists of d - delta, reused between calls.
class shifted_halves {
 public:
  explicit shifted_halves(std::span<const double> values) : values_(values.begin(), values.end()) {
    shifted_values_.resize(values_.size());
  }

  // Builds the lists for this shift; returns the tolerance on the subset-sum scale.
  double shift(double delta) {
    double magnitude = 0.0;
    for (std::size_t i = 0; i < values_.size(); ++i) {
      shifted_values_[i] = values_[i] - delta;
      magnitude += std::fabs(shifted_values_[i]);
    }
    const std::size_t half = values_.size() / 2;
    const std::span<const double> all(shifted_values_);
    sorted_subset_sums(all.subspan(0, half), first_, scratch_);
    sorted_subset_sums(all.subspan(half), second_, scratch_);
    // The test compares signed sums A - 2 B_S with A within its tolerance tau (sign_flip_common:
    // swing = 2 sum |d_i - delta|), so B_S counts as zero within tau / 2.
    return value_equality::after_rounding(detail::sum_rounding_operations(values_.size()), 2.0 * magnitude)
               .tolerance() /
           2.0;
  }

  // #{non-empty S : sum_S (d_i - delta) <= tau}, by two pointers over the sorted halves.
  std::uint64_t count_at_most(double tau) const {
    std::uint64_t count = 0;
    std::size_t j = second_.size();
    for (const auto& x : first_) {
      while (j > 0 && second_[j - 1].sum > tau - x.sum) --j;
      count += j;
    }
    return count - 1;  // the empty subset always qualifies
  }

  // The non-empty subset with the largest sum <= tau, as a list of value indices.
  std::vector<std::size_t> largest_at_most(double tau) const {
    const std::size_t half = values_.size() / 2;
    double best = -std::numeric_limits<double>::infinity();
    std::uint32_t best_first = 0, best_second = 0;
    std::size_t j = second_.size();
    for (const auto& x : first_) {
      while (j > 0 && second_[j - 1].sum > tau - x.sum) --j;
      std::size_t k = j;
      if (k > 0 && x.members == 0 && second_[k - 1].members == 0) --k;  // skip the empty subset
      if (k > 0 && x.sum + second_[k - 1].sum > best) {
        best = x.sum + second_[k - 1].sum;
        best_first = x.members, best_second = second_[k - 1].members;
      }
    }
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < half; ++i)
      if ((best_first >> i) & 1u) members.push_back(i);
    for (std::size_t i = half; i < values_.size(); ++i)
      if ((best_second >> (i - half)) & 1u) members.push_back(i);
    return members;
  }

 private:
  std::vector<double> values_, shifted_values_;
  std::vector<subset_sum> first_, second_, scratch_;
};

// Smallest count c with (base + step c) / patterns > alpha, p-values compared as the tests compare
// them (p_value_at_most): 0 when every count qualifies (the endpoint does not exist). An exact
// integer up to 2^64 (n <= 64), the nearest long double beyond.
long double threshold_count(double alpha, long double patterns, long double base, long double step) {
  const long double limit =
      static_cast<long double>(alpha) * (1.0L + static_cast<long double>(p_value_relative_slack)) * patterns;
  const long double c = std::floor((limit - base) / step) + 1.0L;
  return c <= 0.0L ? 0.0L : c;
}

// The Monte Carlo subset averages: for each random pattern S (the patients whose sign flips), the
// smaller and the larger of mean(S) and mean(complement), or mean(S) alone for one-sided sets; an
// empty or full S is as extreme as the observed pattern at every shift (-infinity / +infinity).
struct monte_carlo_averages {
  std::vector<double> low, high;
};

monte_carlo_averages monte_carlo_subset_averages(std::span<const double> d,
                                                 const sign_flip_inversion_options& o) {
  const std::uint64_t B = o.resamples;
  const std::size_t n = d.size();
  double total = 0.0;
  for (double x : d) total += x;
  const double infinity = std::numeric_limits<double>::infinity();
  monte_carlo_averages out;
  out.low.resize(B), out.high.resize(B);
  const std::uint64_t blocks = monte_carlo_block_count(B);
  // Each pattern's flipped sum and subset size from the masked-sum kernel of the test (the same
  // words of (seed, sign_flip_inversion, block) the direct loop read, 64 signs per word).
  const detail::sign_flip_sums kernel(0.0, d);
  detail::run_with_threads(o.exec.threads, [&] {
    resample::parallel_for(tbb::blocked_range<std::uint64_t>(0, blocks), [&](const auto& range) {
      constexpr std::uint64_t chunk = 512;
      double sums[chunk];
      std::uint32_t flips[chunk];
      for (std::uint64_t b = range.begin(); b != range.end(); ++b) {
        if (cancel_requested(o.exec))
          throw cancelled_error("resample::sign_flip_confidence_set: cancelled at a block boundary");
        bootstrap::detail::bulk_random_stream stream(o.seed, stream_id::sign_flip_inversion, b);
        const std::uint64_t first = b * resamples_per_block;
        const std::uint64_t last = std::min(B, first + resamples_per_block);
        for (std::uint64_t r0 = first; r0 < last; r0 += chunk) {
          const std::uint64_t k = std::min(chunk, last - r0);
          kernel.draw(stream, k, sums, flips);
          for (std::uint64_t q = 0; q < k; ++q) {
            const std::uint64_t r = r0 + q;
            const double flipped_sum = sums[q];
            const std::size_t flipped = flips[q];
            // The empty pattern is the observed one, as extreme at every shift; so is the full
            // one two-sided (it negates the observed sum). One-sided, the full pattern is mean(d).
            if (flipped == 0 || (flipped == n && o.alt == alternative::two_sided)) {
              out.low[r] = -infinity, out.high[r] = infinity;
              continue;
            }
            const double inside = flipped_sum / static_cast<double>(flipped);
            if (flipped == n) {
              out.low[r] = out.high[r] = inside;
              continue;
            }
            const double outside = (total - flipped_sum) / static_cast<double>(n - flipped);
            if (o.alt == alternative::two_sided)
              out.low[r] = std::min(inside, outside), out.high[r] = std::max(inside, outside);
            else
              out.low[r] = out.high[r] = inside;
          }
        }
      }
    });
  });
  return out;
}

// The c-th smallest of `values` (1-based) and its Monte Carlo standard error from the binomial
// spread of order statistics: half the distance between the order statistics one binomial SD of
// the rank below and above.
struct order_statistic {
  double value;
  std::optional<double> se;
};
order_statistic select_order_statistic(std::vector<double> values, std::uint64_t c) {
  const auto B = static_cast<std::int64_t>(values.size());
  const auto rank = static_cast<std::int64_t>(c) - 1;
  const double q = static_cast<double>(c) / static_cast<double>(B);
  const auto spread = static_cast<std::int64_t>(std::ceil(std::sqrt(static_cast<double>(B) * q * (1.0 - q))));
  // Three selections instead of a sort: the rank, then each neighbour within its side.
  const auto at = [&](std::int64_t k) { return values.begin() + static_cast<std::ptrdiff_t>(k); };
  std::nth_element(values.begin(), at(rank), values.end());
  const std::int64_t low_rank = std::max<std::int64_t>(0, rank - spread);
  const std::int64_t high_rank = std::min<std::int64_t>(B - 1, rank + spread);
  std::nth_element(values.begin(), at(low_rank), at(rank));
  if (high_rank > rank) std::nth_element(at(rank + 1), at(high_rank), values.end());
  const double below = *at(low_rank), above = *at(high_rank);
  order_statistic out{*at(rank), std::nullopt};
  if (std::isfinite(below) && std::isfinite(above)) out.se = (above - below) / 2.0;
  return out;
}

}  // namespace

namespace {
// A trimmed mean that drops at least one value at each end (otherwise it is the mean).
bool trims_a_value(const statistic& stat, std::size_t n) {
  return stat.kind == statistic_kind::trimmed_mean && statistics::trimmed_mean{stat.parameter}.cut(n) >= 1;
}
}  // namespace

std::string_view to_string(sign_flip_inversion_algorithm a) {
  switch (a) {
    case sign_flip_inversion_algorithm::subset_average_selection:
      return "subset_average_selection";
    case sign_flip_inversion_algorithm::lattice_table:
      return "lattice_table_inversion";
    case sign_flip_inversion_algorithm::trimmed_walsh_sweep:
      return "trimmed_walsh_sweep";
    case sign_flip_inversion_algorithm::monte_carlo:
      break;
  }
  return "monte_carlo_inversion";
}

sign_flip_inversion_route plan_sign_flip_inversion(std::span<const double> differences,
                                                   const sign_flip_inversion_options& o) {
  using algorithm = sign_flip_inversion_algorithm;
  const std::size_t n = differences.size();
  if (trims_a_value(o.stat, n)) {
    const bool fits = n <= detail::trimmed_inversion_max_exact;
    return {algorithm::trimmed_walsh_sweep, fits,
            fits ? ""
                 : "n = " + std::to_string(n) + " exceeds the trimmed-mean sweep's limit " +
                       std::to_string(detail::trimmed_inversion_max_exact) +
                       " (no Monte Carlo inversion of the trimmed mean yet)"};
  }
  const std::string limit = "n = " + std::to_string(n) + " exceeds the subset-average limit " +
                            std::to_string(sign_flip_inversion_max_exact);
  const auto lattice_reason = [&]() -> std::string {  // empty when the lattice table applies
    const auto plan = detail::plan_lattice_inversion(differences, 1.0 - o.level);
    if (!plan) return "the differences are not on a lattice (integers or a common step)";
    if (!plan->feasible()) return plan->needs();
    return "";
  };
  if (o.algorithm == algorithm::subset_average_selection)
    return {*o.algorithm, n <= sign_flip_inversion_max_exact,
            n <= sign_flip_inversion_max_exact ? "" : limit};
  if (o.algorithm == algorithm::lattice_table) {
    auto reason = lattice_reason();
    return {*o.algorithm, reason.empty(), std::move(reason)};
  }
  if (o.algorithm == algorithm::monte_carlo || o.method == method_choice::monte_carlo)
    return {algorithm::monte_carlo, false, ""};
  if (n <= sign_flip_inversion_max_exact) return {algorithm::subset_average_selection, true, ""};
  auto reason = lattice_reason();
  if (reason.empty()) return {algorithm::lattice_table, true, ""};
  return {algorithm::monte_carlo, false, limit + " and " + reason};
}

namespace {

// The trimmed mean's set (the Walsh-interval sweep); the caller has checked the data.
interval_estimate trimmed_confidence_set(std::span<const double> differences,
                                         const sign_flip_inversion_options& o) {
  if (o.mid_p)
    throw_invalid_argument(function_name, "mid_p",
                           "mid_p = true, expected false for the trimmed mean (the sweep inverts the "
                           "ordinary test only)");
  if (o.method == method_choice::approximate || o.method == method_choice::monte_carlo ||
      (o.algorithm && o.algorithm != sign_flip_inversion_algorithm::trimmed_walsh_sweep))
    throw_invalid_argument(function_name, "method",
                           "the trimmed mean's set is exact only (the Walsh-interval sweep), expected "
                           "method exact or automatic");
  const auto route = plan_sign_flip_inversion(differences, o);
  if (!route.exact) throw infeasible_error("exact sign-flip inversion: " + route.reason, "method", {});
  interval_estimate r;
  r.name = to_string(o.stat);
  r.inverts = std::string(to_string(test_kind::sign_flip));
  r.level = o.level;
  r.exact = true;
  r.method = std::string(to_string(route.algorithm));
  r.estimate = evaluate(o.stat, differences);
  const auto ends = detail::trimmed_inversion(differences, o.stat.parameter, 1.0 - o.level, o.alt);
  if (o.alt != alternative::less) r.lower = ends.lower;
  if (o.alt != alternative::greater) r.upper = ends.upper;
  if ((o.alt != alternative::less && !r.lower) || (o.alt != alternative::greater && !r.upper))
    r.notes.push_back("n = " + std::to_string(differences.size()) + " is too small for a " +
                      format_number(o.level) + " set: shifts without bound are accepted");
  if (ends.has_gap)
    r.notes.push_back(
        "the accepted shifts have a gap (the trimmed mean's p-value is not monotone in the "
        "shift): the ends are those of the whole accepted set");
  r.notes.push_back(
      "exact: every sign pattern on every interval between consecutive Walsh averages, where "
      "each pattern's trimmed mean is linear in the shift; no attained level is stated");
  r.one_sided = o.alt != alternative::two_sided;
  return r;
}

}  // namespace

double kth_smallest_subset_average(std::span<const double> values, std::uint64_t k) {
  constexpr const char* function = "resample::kth_smallest_subset_average";
  const std::size_t n = values.size();
  if (n == 0 || n > sign_flip_inversion_max_exact)
    throw_invalid_argument(function, "n = " + std::to_string(n) + ", expected 1 to " +
                                         std::to_string(sign_flip_inversion_max_exact) + " values");
  const std::uint64_t subsets = (std::uint64_t{1} << n) - 1;
  if (k < 1 || k > subsets)
    throw_invalid_argument(function,
                           "k = " + std::to_string(k) + ", expected 1 to " + std::to_string(subsets));
  const double scale = largest_magnitude(values);
  if (scale == 0.0) return 0.0;
  shifted_halves halves(values);
  // Every average lies in [min, max]: below min - scale no subset counts, at max + scale all do.
  const auto [smallest, largest] = std::minmax_element(values.begin(), values.end());
  double lo = *smallest - scale, hi = *largest + scale;
  // Bisect to the data's rounding (scale-relative, so the path is the same at any power-of-two
  // scale): about 52 steps.
  while (hi - lo > 4.0 * machine_epsilon * scale) {
    const double mid = lo + (hi - lo) / 2.0;
    if (mid <= lo || mid >= hi) break;
    if (halves.count_at_most(halves.shift(mid)) >= k)
      hi = mid;
    else
      lo = mid;
  }
  // The k-th average is the subset whose shifted sum at hi is the largest within the tolerance;
  // report its own average, computed from the data in index order.
  const auto members = halves.largest_at_most(halves.shift(hi));
  double sum = 0.0;
  for (std::size_t i : members) sum += values[i];
  return sum / static_cast<double>(members.size());
}

interval_estimate sign_flip_confidence_set(std::span<const double> differences,
                                           const sign_flip_inversion_options& o) {
  check_level(function_name, "level", o.level);
  const std::size_t n = differences.size();
  check_sample(function_name, differences, 1);
  check_sums_are_finite(differences, function_name);
  if (o.stat.kind != statistic_kind::mean && o.stat.kind != statistic_kind::trimmed_mean)
    throw_invalid_argument(function_name, "stat",
                           "stat = '" + to_string(o.stat) + "', expected mean or trimmed:F");
  if (trims_a_value(o.stat, n)) return trimmed_confidence_set(differences, o);
  if (o.method == method_choice::approximate)
    throw_invalid_argument(function_name,
                           "method = approximate, expected exact, monte_carlo or automatic (the inversion "
                           "has no approximation)");
  if (o.algorithm && o.algorithm != sign_flip_inversion_algorithm::monte_carlo &&
      o.method == method_choice::monte_carlo)
    throw_invalid_argument(function_name, "algorithm",
                           "algorithm = " + std::string(to_string(*o.algorithm)) +
                               " is exact, expected method exact or automatic with it");
  const auto route = plan_sign_flip_inversion(differences, o);
  const bool forced_exact = o.method == method_choice::exact ||
                            (o.algorithm && o.algorithm != sign_flip_inversion_algorithm::monte_carlo);
  if (forced_exact && !route.exact)
    throw infeasible_error("exact sign-flip inversion: " + route.reason, "method", {use_monte_carlo()});
  const bool exact = route.exact;
  if (!exact && o.resamples < 1) throw_invalid_argument(function_name, "resamples = 0, expected at least 1");

  interval_estimate r;
  r.name = "mean";
  if (o.stat.kind == statistic_kind::trimmed_mean) {
    r.name = to_string(o.stat);
    r.notes.push_back(to_string(o.stat) + " trims no value at n = " + std::to_string(n) +
                      ": the set is the mean's");
  }
  r.inverts = std::string(to_string(test_kind::sign_flip));
  r.level = o.level;
  r.exact = exact;
  double total = 0.0;
  for (double d : differences) total += d;
  r.estimate = total / static_cast<double>(n);
  const double alpha = 1.0 - o.level;
  const bool two_sided = o.alt == alternative::two_sided;
  const bool lower_side = o.alt != alternative::less, upper_side = o.alt != alternative::greater;

  r.method = std::string(to_string(route.algorithm));
  if (exact) {
    // Counts c over 2^n equally likely patterns (the header's table of bases and steps).
    const long double patterns = std::ldexp(1.0L, static_cast<int>(n));
    const long double base = two_sided ? (o.mid_p ? 1.0L : 2.0L) : (o.mid_p ? 0.5L : 1.0L);
    const long double step = two_sided ? 2.0L : 1.0L;
    const long double c = threshold_count(alpha, patterns, base, step);
    // The observed pattern's rank among the 2^(n-1) sign-pattern pairs (two-sided) or the 2^n
    // patterns (one-sided) is uniform under the null, and the set covers iff that count is >= c.
    const long double ranks = two_sided ? patterns / 2.0L : patterns;
    r.achieved_level = static_cast<double>(1.0L - c / ranks);
    if (c == 0.0L) {
      r.notes.push_back("n = " + std::to_string(n) + " is too small for a " + format_number(o.level) +
                        " set: every shift is accepted");
    } else if (route.algorithm == sign_flip_inversion_algorithm::lattice_table) {
      const auto plan = detail::plan_lattice_inversion(differences, alpha);
      const auto ends = detail::lattice_inversion(*plan, alpha, o.alt, o.mid_p, o.exec);
      r.lower = ends.lower, r.upper = ends.upper;
      r.notes.push_back("exact on the lattice of step " + format_number(plan->step) +
                        ": the joint law of the flipped subset's size and sum, truncated by " +
                        format_number(ends.dropped_mass) + " of probability, which cannot move either end");
    } else {
      const auto k = static_cast<std::uint64_t>(c);
      std::vector<double> negated(differences.begin(), differences.end());
      for (double& x : negated) x = -x;
      if (lower_side) r.lower = kth_smallest_subset_average(differences, k);
      if (upper_side) r.upper = -kth_smallest_subset_average(negated, k);
    }
    if (o.mid_p)
      r.notes.push_back("inverts the mid-p test: its coverage is not guaranteed to reach the level");
  } else {
    r.resamples = o.resamples;
    if (o.mid_p)
      r.notes.push_back(
          "mid-p is defined for the exact null distribution only; the Monte Carlo set inverts "
          "the ordinary test");
    // p(delta) = (1 + #{patterns as extreme at delta}) / (B + 1) for every delta at once.
    auto averages = monte_carlo_subset_averages(differences, o);
    const auto c = static_cast<std::uint64_t>(
        threshold_count(alpha, static_cast<long double>(o.resamples) + 1.0L, 1.0L, 1.0L));
    if (c == 0) {
      r.notes.push_back(std::to_string(o.resamples) + " patterns are too few for a " +
                        format_number(o.level) + " set: every shift is accepted");
    } else {
      // The two ends are independent selections over B values each: one thread each (they were
      // the serial part of a two-thread run at large B).
      std::optional<order_statistic> lower, upper;
      detail::run_with_threads(o.exec.threads, [&] {
        resample::parallel_for_each_index(0, 2, [&](int side) {
          if (side == 0 && lower_side) lower = select_order_statistic(std::move(averages.low), c);
          if (side == 1 && upper_side) {
            for (double& x : averages.high) x = -x;
            upper = select_order_statistic(std::move(averages.high), c);
          }
        });
      });
      if (lower && std::isfinite(lower->value)) r.lower = lower->value, r.mc_se_lower = lower->se;
      if (upper && std::isfinite(upper->value)) r.upper = -upper->value, r.mc_se_upper = upper->se;
    }
    r.notes.push_back("Monte Carlo inversion: " + std::to_string(o.resamples) +
                      " random sign patterns, seed " + std::to_string(o.seed) +
                      "; each endpoint carries its Monte Carlo SE");
  }
  r.one_sided = !two_sided;
  if (!two_sided)
    r.notes.push_back(o.alt == alternative::greater
                          ? "one-sided (greater): a lower bound, the upper end is +infinity"
                          : "one-sided (less): an upper bound, the lower end is -infinity");
  return r;
}

}  // namespace resample::inference
