// Exact sign-flip test for the mean of real-valued data by meet in the middle: the signed sum is
// S = S1 + S2 over two halves of the patients. Each half's 2^(m/2) signed sums are produced
// already sorted (adding patient i merges the list shifted by -|d_i| with the list shifted by
// +|d_i|), and the number of pairs with S1 + S2 >= c is counted by two pointers in linear time.
// Work O(2^(m/2)) instead of O(2^m): m = 40 takes two lists of 2^20.

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "resample/error.hpp"
#include "sign_flip_detail.hpp"

namespace resample::inference {

namespace {

std::vector<double> sorted_signed_sums(std::span<const double> values) {
  std::vector<double> sums{0.0}, minus, plus;
  sums.reserve(std::size_t{1} << values.size());
  for (double v : values) {
    const double a = std::fabs(v);
    minus.resize(sums.size());
    plus.resize(sums.size());
    std::transform(sums.begin(), sums.end(), minus.begin(), [a](double s) { return s - a; });
    std::transform(sums.begin(), sums.end(), plus.begin(), [a](double s) { return s + a; });
    sums.resize(2 * minus.size());
    std::merge(minus.begin(), minus.end(), plus.begin(), plus.end(), sums.begin());
  }
  return sums;
}

// Pairs (x, y), x from a, y from b (both ascending) with y >= c - x (strict: y > c - x).
std::uint64_t count_at_least(const std::vector<double>& a, const std::vector<double>& b, double c,
                             bool strict) {
  std::uint64_t count = 0;
  std::size_t j = b.size();  // b[j..] satisfy the condition for the current x
  for (double x : a) {
    const double need = c - x;  // non-increasing as x grows, so j only moves left
    while (j > 0 && (strict ? b[j - 1] > need : b[j - 1] >= need)) --j;
    count += b.size() - j;
  }
  return count;
}

}  // namespace

test_result sign_flip_meet_in_middle(std::span<const double> differences, alternative alt,
                                     const sign_flip_options& options) {
  const statistic stat{statistic_kind::mean, 0.0};
  const auto p = detail::prepare_sign_flip(differences, stat, "resample::sign_flip_meet_in_middle");
  const std::size_t m = p.nonzero.size();
  if (m > sign_flip_max_meet_in_middle)
    throw infeasible_error("exact sign-flip by meet in the middle: 2^" + std::to_string(m) +
                               " patterns exceeds the limit 2^" +
                               std::to_string(sign_flip_max_meet_in_middle),
                           "method", {use_monte_carlo()});
  const std::size_t half = m / 2;
  const std::span<const double> values(p.nonzero);
  std::vector<double> first, second;
  detail::run_with_threads(options.exec.threads, [&] {
    first = sorted_signed_sums(values.subspan(0, half));
    second = sorted_signed_sums(values.subspan(half));
  });
  const double s = p.observed_sum, tau = p.equal.tolerance();
  const std::uint64_t total = static_cast<std::uint64_t>(first.size()) * second.size();
  auto ge = [&](double c) { return count_at_least(first, second, c, false); };  // #(S >= c)
  auto gt = [&](double c) { return count_at_least(first, second, c, true); };   // #(S > c)

  // Same rule as the classifier: S equals s when |S - s| <= tau.
  detail::tally t;
  const std::uint64_t at_least = ge(s - tau), above = gt(s + tau);
  t.greater = above;
  t.equal = at_least - above;
  t.less = total - at_least;
  const double u = std::fabs(s);
  // |S| is strictly more extreme when |S| > |s| + tau, equally extreme within tau of |s|.
  t.abs_more = gt(u + tau) + (total - ge(-u - tau));
  if (u <= tau)  // every |S| >= 0 >= |s| - tau: nothing is less extreme
    t.abs_equal = total - t.abs_more;
  else  // the two bands [u - tau, u + tau] and [-u - tau, -u + tau] are disjoint
    t.abs_equal = (ge(u - tau) - gt(u + tau)) + (ge(-u - tau) - gt(-u + tau));
  auto r = detail::base_result(p, alt, "meet_in_the_middle", true);
  detail::finish_exact(r, p, t, static_cast<long double>(total), alt, options.mid_p);
  return r;
}

}  // namespace resample::inference
