// The confidence set that inverts the exact tied Wilcoxon signed-rank test (the header explains
// why Walsh averages are the only places p(delta) can change). Every shift is given to
// wilcoxon_test itself, as values carrying the signs, zeros and absolute order of d - delta, so the
// acceptance rule, the midranks, the zero method and the two-sided convention are the test's own.

#include "resample/inference/wilcoxon_inversion.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "resample/check.hpp"
#include "resample/equality.hpp"
#include "resample/error.hpp"
#include "resample/inference/lattice_null.hpp"
#include "resample/inference/rank_tests.hpp"
#include "resample/parse_number.hpp"
#include "resample/statistics.hpp"
#include "resample/vocabulary.hpp"

namespace resample::inference {

namespace {

constexpr const char* function_name = "resample::wilcoxon_confidence_set";

// A Walsh sum d_i + d_j is one rounded addition of two data values (|sum| <= 2 max|d|); two sums
// equal in exact arithmetic then differ by at most 2 eps * 2 max|d|, and data that are themselves
// rounded products (a unit conversion) by about as much again. Four operations cover both.
constexpr double walsh_sum_rounding_operations = 4.0;

// Sorting the Walsh sums holds n(n + 1)/2 doubles: past 2^23 of them (n about 4100, 64 MiB) the
// grid is not built, as hodges_lehmann_interval stops at n = 5000.
constexpr std::uint64_t walsh_sums_max = std::uint64_t{1} << 23;

// The per-test work model, in table additions: the exact test's table for the untied ranks 1..n
// (ties only shrink it), plus what every call to wilcoxon_test costs besides (ranking, the
// result's strings and notes). Measured (BM_InferenceWilcoxonInversion, one core, the counter
// work_per_second): 0.2e9 to 0.8e9 units per second from n = 12 to n = 300, integer or real data;
// a call at n = 6 costs about 1.6 us, about 1000 units at that rate. The normal approximation
// (BM_InferenceWilcoxonInversionNormal) costs a sort and a pass per call: 60 ms for the 10101
// shifts of n = 100 real values, 0.52 s for the 40201 of n = 200.
constexpr double per_test_overhead = 1000.0;
constexpr double normal_test_work_per_value = 40.0;

// The distinct Walsh averages of the data, as groups of sorted Walsh sums equal within their
// rounding (chained: a sum within the tolerance of the previous one joins its group).
struct walsh_grid {
  std::vector<double> group_low;      // each group's smallest sum, ascending
  std::vector<double> average;        // each group's endpoint value: (d_i + d_j)/2 of its smallest sum
  std::vector<std::size_t> by_value;  // the data's indices by value (ties by index)

  std::size_t groups() const { return group_low.size(); }
  // The group of the sum a + b (a, b data values): the last group starting at or below it. The
  // sum is computed exactly as when the grid was built, so it is one of the sorted sums.
  std::size_t group_of(double a, double b) const {
    const double s = a + b;
    return static_cast<std::size_t>(std::upper_bound(group_low.begin(), group_low.end(), s) -
                                    group_low.begin()) -
           1;
  }
};

walsh_grid make_walsh_grid(std::span<const double> d) {
  const std::size_t n = d.size();
  struct walsh_sum {
    double sum;
    std::uint32_t i, j;
  };
  std::vector<walsh_sum> sums;
  sums.reserve(n * (n + 1) / 2);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i; j < n; ++j)
      sums.push_back({d[i] + d[j], static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)});
  std::sort(sums.begin(), sums.end(), [](const walsh_sum& a, const walsh_sum& b) {
    return a.sum != b.sum ? a.sum < b.sum : (a.i != b.i ? a.i < b.i : a.j < b.j);
  });
  // The tolerance is the data's own scale times eps: it scales exactly with the data by 2^k.
  const double tolerance =
      value_equality::after_rounding(walsh_sum_rounding_operations, 2.0 * largest_magnitude(d)).tolerance();
  walsh_grid g;
  for (std::size_t k = 0; k < sums.size(); ++k) {
    if (k > 0 && sums[k].sum - sums[k - 1].sum <= tolerance) continue;
    g.group_low.push_back(sums[k].sum);
    g.average.push_back(0.5 * (d[sums[k].i] + d[sums[k].j]));
  }
  g.by_value.resize(n);
  for (std::size_t i = 0; i < n; ++i) g.by_value[i] = i;
  std::sort(g.by_value.begin(), g.by_value.end(),
            [&](std::size_t a, std::size_t b) { return d[a] != d[b] ? d[a] < d[b] : a < b; });
  return g;
}

// Values with the signs, zeros and absolute order of d - delta, for the shift at coordinate x on
// the grid: x = 2t + 1 is the t-th distinct Walsh average, x = 2t the open gap below it (x = 2G
// above them all). A Walsh sum of group u sits at coordinate 2u + 1, so every question about
// d - delta is a comparison of coordinates:
//   d_k - delta  >, =, < 0          as  coord(d_k + d_k)  >, =, <  x
//   |d_a - delta| <, =, > |d_b - delta|, d_a above delta and d_b below,
//                                   as  coord(d_a + d_b)  <, =, >  x
// (d_a - delta < delta - d_b exactly when d_a + d_b < 2 delta). The values above delta, by
// increasing d, and those below, by decreasing d, are each in increasing distance; merging the two
// lists by the second rule orders all of them, and the k-th distinct distance gets magnitude k.
// Within a side two values tie when their own Walsh sums d_k + d_k share a group.
class shifted_ranks {
 public:
  shifted_ranks(std::span<const double> d, const walsh_grid& grid) : d_(d), grid_(grid) {
    self_.resize(d.size());
    for (std::size_t k = 0; k < d.size(); ++k) self_[k] = coordinate(grid.group_of(d[k], d[k]));
    values_.resize(d.size());
  }

  // The values for shift x, and how many are non-zero.
  std::span<const double> at(std::size_t x, std::size_t& nonzero) {
    const auto& order = grid_.by_value;
    // by_value is ascending in self_: [0, below_end) below delta, [above_begin, n) above.
    std::size_t below_end = 0;
    while (below_end < order.size() && self_[order[below_end]] < x) ++below_end;
    std::size_t above_begin = below_end;
    while (above_begin < order.size() && self_[order[above_begin]] == x) values_[order[above_begin++]] = 0.0;
    nonzero = order.size() - (above_begin - below_end);
    std::size_t a = above_begin;  // next above, nearest first
    std::size_t b = below_end;    // one past the next below (nearest is order[b - 1])
    double level = 0.0;
    bool have_last = false, last_above = false;
    std::size_t last = 0;
    while (a < order.size() || b > 0) {
      bool take_above;
      if (a == order.size())
        take_above = false;
      else if (b == 0)
        take_above = true;
      else
        take_above = coordinate(grid_.group_of(d_[order[a]], d_[order[b - 1]])) <= x;
      const std::size_t k = take_above ? order[a++] : order[--b];
      bool tie = false;
      if (have_last)
        tie = take_above == last_above ? self_[k] == self_[last]
                                       : coordinate(grid_.group_of(d_[k], d_[last])) == x;
      if (!tie) level += 1.0;
      values_[k] = take_above ? level : -level;
      have_last = true, last_above = take_above, last = k;
    }
    return values_;
  }

 private:
  static std::size_t coordinate(std::size_t group) { return 2 * group + 1; }
  std::span<const double> d_;
  const walsh_grid& grid_;
  std::vector<std::size_t> self_;
  std::vector<double> values_;
};

double untied_test_work(std::size_t n) {
  std::vector<std::uint64_t> doubled(n);
  for (std::size_t i = 0; i < n; ++i) doubled[i] = 2 * (i + 1);
  return subset_sum_work(doubled);
}

}  // namespace

std::string_view to_string(wilcoxon_inversion_algorithm a) {
  switch (a) {
    case wilcoxon_inversion_algorithm::exact_scan:
      return "exact_scan";
    case wilcoxon_inversion_algorithm::normal_scan:
      return "normal_scan";
    case wilcoxon_inversion_algorithm::none:
      break;
  }
  return "";
}

wilcoxon_inversion_route plan_wilcoxon_inversion(std::span<const double> differences, zero_method zeros,
                                                 method_choice method) {
  (void)zeros;  // the zero method changes which shifts have fewer ranks, not how many shifts there are
  wilcoxon_inversion_route r;
  const std::size_t n = differences.size();
  if (n == 0 || method == method_choice::monte_carlo) {
    r.reason = n == 0 ? "no differences" : "a Monte Carlo p-value at each shift does not make a set";
    return r;
  }
  const std::uint64_t walsh_sums = static_cast<std::uint64_t>(n) * (n + 1) / 2;
  if (walsh_sums > walsh_sums_max) {
    r.reason = "n = " + std::to_string(n) + " gives " + std::to_string(walsh_sums) +
               " Walsh sums, more than the grid's limit " + std::to_string(walsh_sums_max);
    return r;
  }
  r.shifts = 2 * make_walsh_grid(differences).groups() + 1;
  const double shifts = static_cast<double>(r.shifts);
  const double exact_work = shifts * (untied_test_work(n) + per_test_overhead);
  const double normal_work =
      shifts * (normal_test_work_per_value * static_cast<double>(n) + per_test_overhead);
  const std::string size = std::to_string(r.shifts) + " shifts (" + std::to_string(n) + " differences)";
  if (method != method_choice::approximate && exact_work <= wilcoxon_inversion_max_work) {
    r = {wilcoxon_inversion_algorithm::exact_scan, exact_work, r.shifts, true,
         "one exact tied test at each of " + size};
    return r;
  }
  if (method == method_choice::exact) {
    r.work = exact_work;
    r.reason = "one exact tied test at each of " + size + " needs about " + format_number(exact_work) +
               " additions, more than the limit " + format_number(wilcoxon_inversion_max_work);
    return r;
  }
  if (normal_work <= wilcoxon_inversion_max_work) {
    r = {wilcoxon_inversion_algorithm::normal_scan, normal_work, r.shifts, false,
         method == method_choice::approximate
             ? "the normal approximation at each of " + size + " (asked for)"
             : "the exact scan of " + size + " needs about " + format_number(exact_work) +
                   " additions, more than the limit " + format_number(wilcoxon_inversion_max_work) +
                   "; the normal approximation at each shift instead"};
    return r;
  }
  r.work = normal_work;
  r.reason = "even the normal approximation at each of " + size + " is past the limit";
  return r;
}

interval_estimate wilcoxon_confidence_set(std::span<const double> differences,
                                          const wilcoxon_inversion_options& o) {
  check_level(function_name, "level", o.level);
  const std::size_t n = differences.size();
  check_sample(function_name, differences, 1);
  check_sums_are_finite(differences, function_name);
  if (o.method == method_choice::monte_carlo)
    throw_invalid_argument(function_name,
                           "method = monte_carlo, expected exact, approximate or automatic (a random "
                           "p-value at each shift does not make a set)");
  const auto route = plan_wilcoxon_inversion(differences, o.zeros, o.method);
  if (route.algorithm == wilcoxon_inversion_algorithm::none) {
    if (o.method == method_choice::exact)
      throw infeasible_error("exact Wilcoxon inversion: " + route.reason, "method", {use_approximation()});
    throw infeasible_error("Wilcoxon inversion: " + route.reason);
  }
  const bool exact = route.algorithm == wilcoxon_inversion_algorithm::exact_scan;

  interval_estimate r;
  r.name = "pseudo_median";
  r.inverts = std::string(to_string(test_kind::wilcoxon));
  r.level = o.level;
  r.exact = exact;
  r.method = exact ? "tied_signed_rank_inversion" : "tied_signed_rank_inversion_normal";
  r.estimate = evaluate(statistic{statistic_kind::hl, 0.0}, differences);
  r.one_sided = o.alt != alternative::two_sided;
  const double alpha = 1.0 - o.level;

  const auto grid = make_walsh_grid(differences);
  shifted_ranks ranks(differences, grid);
  wilcoxon_options test;
  test.zeros = o.zeros;
  test.method = exact ? method_choice::exact : method_choice::approximate;
  test.keep_null_distribution = false;
  const std::size_t last_shift = 2 * grid.groups();
  std::vector<char> accepted(last_shift + 1);
  bool every_test_exact = true, all_zero_somewhere = false;
  for (std::size_t x = 0; x <= last_shift; ++x) {
    std::size_t nonzero = 0;
    const auto values = ranks.at(x, nonzero);
    if (nonzero == 0) {
      // Every difference is zero at this shift (constant data): no sign pattern differs from the
      // observed one, so nothing can reject it.
      accepted[x] = 1, all_zero_somewhere = true;
      continue;
    }
    const auto t = wilcoxon_test(values, o.alt, test);
    every_test_exact = every_test_exact && t.exact;
    accepted[x] = !p_value_at_most(t.p_value, alpha);
  }
  r.exact = exact && every_test_exact;

  // The closure's least and greatest members: an accepted gap contributes the Walsh averages at
  // both its ends, an accepted Walsh average itself; the outer gaps are unbounded.
  const auto first = std::find(accepted.begin(), accepted.end(), char{1});
  if (first == accepted.end()) {
    r.notes.push_back("every shift is rejected at level " + format_number(o.level) + ": the set is empty");
    return r;
  }
  const auto lo = static_cast<std::size_t>(first - accepted.begin());
  const auto hi =
      last_shift -
      static_cast<std::size_t>(std::find(accepted.rbegin(), accepted.rend(), char{1}) - accepted.rbegin());
  if (lo > 0) r.lower = grid.average[lo % 2 == 1 ? (lo - 1) / 2 : lo / 2 - 1];
  if (hi < last_shift) r.upper = grid.average[hi % 2 == 1 ? (hi - 1) / 2 : hi / 2];
  // Inside the hull the closure misses exactly the rejected open gaps.
  bool connected = true;
  for (std::size_t x = lo; x <= hi; x += 1)
    if (x % 2 == 0 && !accepted[x]) connected = false;
  // The closure also holds Walsh averages that the test itself rejects: an endpoint reached from
  // an accepted gap beside it, or an average between two accepted gaps. There "p <= alpha" and
  // "delta in [lower, upper]" disagree (for delta = 0: the test at 0 and the set); name them.
  std::vector<double> rejected_inside;
  for (std::size_t x = (lo % 2 == 0 && lo > 0 ? lo - 1 : lo);
       x <= std::min(hi % 2 == 0 ? hi + 1 : hi, last_shift); ++x)
    if (x % 2 == 1 && !accepted[x]) rejected_inside.push_back(grid.average[(x - 1) / 2]);
  if (!rejected_inside.empty()) {
    std::string list;
    for (std::size_t k = 0; k < rejected_inside.size() && k < 6; ++k)
      list += (k ? ", " : "") + format_number(rejected_inside[k]);
    if (rejected_inside.size() > 6) list += ", ...";
    r.notes.push_back("the test rejects at " + std::to_string(rejected_inside.size()) +
                      " Walsh average(s) that the set holds as the closure of the accepted shifts: " + list);
  }
  if (!connected)
    r.notes.push_back(
        "the accepted shifts are not one interval: [lower, upper] is their hull, and some shifts inside it "
        "are rejected by the test");
  if (!r.lower && o.alt != alternative::less)
    r.notes.push_back("n = " + std::to_string(n) + " is too small for a lower end at level " +
                      format_number(o.level) + ": shifts below every Walsh average are accepted");
  if (!r.upper && o.alt != alternative::greater)
    r.notes.push_back("n = " + std::to_string(n) + " is too small for an upper end at level " +
                      format_number(o.level) + ": shifts above every Walsh average are accepted");
  if (o.alt == alternative::greater)
    r.notes.push_back("one-sided (greater): a lower bound, the upper end is +infinity");
  if (o.alt == alternative::less)
    r.notes.push_back("one-sided (less): an upper bound, the lower end is -infinity");
  if (all_zero_somewhere)
    r.notes.push_back("at a shift where every difference is zero the test cannot reject");
  r.notes.push_back("inverts the exact signed-rank test with ties (midranks, zero method " +
                    to_string(o.zeros) + ") at each of " + std::to_string(route.shifts) +
                    " shifts (every distinct Walsh average and every gap between them)");
  if (!exact) r.notes.push_back(route.reason + " (exact: false)");
  r.notes.push_back(
      exact ? "attained coverage not stated: under the null it is 1 minus the test's attained "
              "size for the tie pattern at the true shift, which is unknown; it is at least the level"
            : "attained coverage not stated: the normal approximation's size is not exact");
  return r;
}

}  // namespace resample::inference
