// Wilcoxon signed-rank test. Midranks are multiples of 1/2, so doubled ranks are integers and the
// exact null distribution of 2V is the subset-sum convolution of lattice_null.hpp over the
// doubled ranks of the non-zero differences (ties and Pratt's ranked zeros are exact, not
// approximated). With many ties the same null is a sum of one scaled binomial per tie group,
// and binomial_sum_tail.hpp inverts its characteristic function instead, at a cost that grows
// with the number of groups rather than of differences. The normal approximation is used only
// when asked, or in automatic mode past both exact limits, and is then labelled (exact: false,
// with a note).

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <numeric>
#include <string>

#include "exact_p_values.hpp"
#include "resample/error.hpp"
#include "resample/inference/binomial_sum_tail.hpp"
#include "resample/inference/lattice_null.hpp"
#include "resample/inference/rank_tests.hpp"
#include "resample/inference/sign_flip.hpp"
#include "resample/vocabulary.hpp"
#include "sign_flip_detail.hpp"

namespace resample::inference {

std::vector<double> signed_rank_midranks(std::span<const double> differences, zero_method zeros) {
  const std::size_t n = differences.size();
  std::vector<std::size_t> order;
  order.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    if (zeros == zero_method::pratt || differences[i] != 0.0) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::fabs(differences[a]) < std::fabs(differences[b]);
  });
  std::vector<double> rank(n, 0.0);
  for (std::size_t start = 0; start < order.size();) {
    // A tie group: the differences are data, not results of arithmetic, so by the equality rule
    // (equality.hpp) |d| values tie only when they are the same number. Differences taken from
    // pre and post columns are exact (paired.hpp), so equal changes give equal numbers.
    const double first = std::fabs(differences[order[start]]);
    std::size_t stop = start + 1;
    while (stop < order.size() && std::fabs(differences[order[stop]]) == first) ++stop;
    const double midrank = 0.5 * static_cast<double>(start + 1 + stop);  // mean of ranks start+1..stop
    for (std::size_t j = start; j < stop; ++j) rank[order[j]] = midrank;
    start = stop;
  }
  return rank;
}

namespace {

// Below this many additions the dense table takes a few milliseconds: always use it.
constexpr double dense_table_always_work = 1e7;
// The table is preferred up to this multiple of the inversion's work: it sums exact counts and
// can keep the null for figures. Measured on one core (bench InferenceWilcoxon*): about 2e9
// table additions per second and 1.8e9 inversion work units (binomial_sum_tail_work) per
// second, so the factor buys exact counts for at most about twice the time.
constexpr double inversion_cost_ratio = 2.0;

test_result normal_approximation(test_result r, const std::vector<double>& ranks, std::span<const double> d,
                                 double V) {
  // E V* = sum r / 2 and Var V* = sum r^2 / 4 over the non-zero differences: the variance of the
  // actual midranks, which is the tie correction.
  double sum = 0.0, squares = 0.0;
  for (std::size_t i = 0; i < d.size(); ++i)
    if (d[i] != 0.0) sum += ranks[i], squares += ranks[i] * ranks[i];
  const double centre = sum / 2, sd = std::sqrt(squares / 4);
  const double z = (V - centre) / sd;
  const boost::math::normal_distribution<double> normal;
  switch (r.alt) {
    case alternative::greater:
      r.p_value = boost::math::cdf(boost::math::complement(normal, z));
      break;
    case alternative::less:
      r.p_value = boost::math::cdf(normal, z);
      break;
    case alternative::two_sided:
      r.p_value = std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(normal, std::fabs(z))));
      break;
  }
  r.exact = false;
  r.method = "normal_approximation";
  r.notes.push_back(
      "normal approximation with tie-corrected variance sum(r^2)/4, no continuity correction; z = " +
      std::to_string(z));
  return r;
}

// Doubled midranks of the non-zero differences (the swings of 2V) and the observed 2V.
struct doubled_ranks {
  std::vector<std::uint64_t> swings;
  std::uint64_t observed = 0;
};

doubled_ranks doubled_signed_ranks(std::span<const double> differences, const std::vector<double>& ranks) {
  doubled_ranks r;
  for (std::size_t i = 0; i < differences.size(); ++i) {
    if (differences[i] == 0.0) continue;
    const auto doubled = static_cast<std::uint64_t>(std::llround(2 * ranks[i]));
    r.swings.push_back(doubled);
    if (differences[i] > 0) r.observed += doubled;
  }
  return r;
}

// The dense table (lattice_null.hpp) sums exact counts and can keep the whole null for figures,
// but costs (width) x (differences); inversion costs (points) x (tie groups) and reports a
// rounding bound. The table is used while it is cheap, or not much dearer.
wilcoxon_exact_route choose_exact_route(const doubled_ranks& d, std::span<const swing_group> groups,
                                        alternative alt) {
  const bool table_feasible = subset_sum_feasible(d.swings);
  const double table_work = subset_sum_work(d.swings);
  if (table_feasible && table_work <= dense_table_always_work)
    return {wilcoxon_exact_algorithm::exact_dp, table_work};
  const double inversion_work = binomial_sum_tail_work(groups, d.observed, alt);
  const bool inversion_feasible = inversion_work <= binomial_sum_max_work;
  if (table_feasible && (!inversion_feasible || table_work <= inversion_cost_ratio * inversion_work))
    return {wilcoxon_exact_algorithm::exact_dp, table_work};
  if (inversion_feasible) return {wilcoxon_exact_algorithm::exact_inversion, inversion_work};
  return {};
}

}  // namespace

test_result wilcoxon_test(std::span<const double> differences, alternative alt,
                          const wilcoxon_options& options) {
  constexpr const char* function = "resample::wilcoxon_test";
  if (differences.empty()) throw_invalid_argument(function, "n = 0 differences, expected at least 1");
  std::size_t zeros = 0;
  for (double d : differences) {
    if (!std::isfinite(d)) throw_invalid_argument(function, "a difference is not finite");
    zeros += d == 0.0;
  }
  const std::size_t m = differences.size() - zeros;
  if (m == 0)
    throw_invalid_argument(function, "all " + std::to_string(differences.size()) +
                                         " differences are zero, expected at least one non-zero difference");
  const auto ranks = signed_rank_midranks(differences, options.zeros);
  const auto doubled = doubled_signed_ranks(differences, ranks);
  const auto& swings = doubled.swings;
  const std::uint64_t observed = doubled.observed;  // 2V
  const double V = static_cast<double>(observed) / 2;

  test_result r;
  r.test = to_string(test_kind::wilcoxon);
  r.statistic = "V";
  r.observed = V;
  r.alt = alt;
  r.n = differences.size();
  r.n_nonzero = m;
  r.two_sided_convention = "P(|V* - E V*| >= |V - E V*|)";
  r.smallest_attainable_p = detail::smallest_sign_pattern_p(m, alt);
  r.notes.push_back("zero method " + to_string(options.zeros) + ": " + std::to_string(zeros) +
                    " zero difference(s) " +
                    (options.zeros == zero_method::pratt ? "ranked, no sign" : "dropped before ranking"));

  switch (options.method) {
    case method_choice::approximate:
      return normal_approximation(std::move(r), ranks, differences, V);
    case method_choice::monte_carlo: {
      // V is an affine function of the sum of signed ranks, so the sign-flip test of the mean of
      // the signed doubled ranks has the same p-value (its null centre is E V*).
      std::vector<double> signed_doubled(differences.size(), 0.0);
      for (std::size_t i = 0; i < differences.size(); ++i)
        if (differences[i] != 0.0)
          signed_doubled[i] = std::copysign(std::round(2 * ranks[i]), differences[i]);
      sign_flip_options o;
      o.resamples = options.resamples, o.seed = options.seed;
      o.exec = options.exec;
      auto mc = sign_flip_monte_carlo(signed_doubled, statistic{statistic_kind::mean, 0.0}, alt, o);
      r.p_value = mc.p_value, r.mc_se = mc.mc_se, r.resamples = mc.resamples, r.exact = false;
      r.method = "monte_carlo";
      r.smallest_attainable_p = std::max(r.smallest_attainable_p, mc.smallest_attainable_p);
      return r;
    }
    case method_choice::exact:
    case method_choice::automatic:
      break;
  }
  const auto groups = group_swings(swings);
  const auto route = choose_exact_route(doubled, groups, alt);
  if (route.algorithm == wilcoxon_exact_algorithm::none) {
    const std::string size =
        std::to_string(m) + " non-zero differences in " + std::to_string(groups.size()) + " tie groups";
    if (options.method == method_choice::exact)
      throw infeasible_error("exact Wilcoxon null for " + size + " needs more than 4e9 additions (DP) and " +
                                 "4e9 work units or 65536 tie groups (inversion)",
                             "method", {use_approximation(), use_monte_carlo()});
    auto a = normal_approximation(std::move(r), ranks, differences, V);
    a.notes.push_back("the exact null distribution for " + size +
                      " is beyond both exact limits; normal approximation used (exact: false)");
    return a;
  }
  if (route.algorithm == wilcoxon_exact_algorithm::exact_inversion) {
    binomial_sum_tail_result inverted;
    detail::run_with_threads(options.exec.threads,
                             [&] { inverted = binomial_sum_tail(groups, observed, alt); });
    r.exact = true;
    r.method = to_string(route.algorithm);
    detail::set_p_values(r, inverted.tail, options.mid_p);
    r.relative_error_bound = inverted.relative_error_bound;
    r.notes.push_back("exact null over all 2^" + std::to_string(m) + " sign patterns (" +
                      std::to_string(groups.size()) +
                      " tie groups, one binomial each), by inverting its exponentially tilted "
                      "characteristic function at " +
                      std::to_string(inverted.points) + " points");
    return r;
  }
  const auto [null, tail] = subset_sum_tail(swings, observed, alt);
  r.exact = true;
  r.method = to_string(route.algorithm);
  detail::set_p_values(r, tail, options.mid_p);
  if (options.keep_null_distribution && null.total() + 1 <= null_distribution_max_atoms) {
    std::vector<atom> atoms;
    for (std::uint64_t s = 0; s <= null.total(); ++s) {
      const auto w = static_cast<double>(null.probability(s));
      if (w > 0.0) atoms.push_back({static_cast<double>(s) / 2, w});
    }
    r.null_distribution = weighted_distribution::from_atoms(std::move(atoms));
  }
  return r;
}

std::string_view to_string(wilcoxon_exact_algorithm a) {
  switch (a) {
    case wilcoxon_exact_algorithm::exact_dp:
      return "exact_dp";
    case wilcoxon_exact_algorithm::exact_inversion:
      return "exact_inversion";
    case wilcoxon_exact_algorithm::none:
      break;
  }
  return "";
}

std::string_view work_unit(wilcoxon_exact_algorithm a) {
  return a == wilcoxon_exact_algorithm::exact_dp ? "additions" : "inversion work units";
}

wilcoxon_exact_route plan_wilcoxon_exact(std::span<const double> differences, alternative alt,
                                         zero_method zeros) {
  if (differences.empty() ||
      std::none_of(differences.begin(), differences.end(), [](double d) { return d != 0.0; }))
    return {};
  const auto doubled = doubled_signed_ranks(differences, signed_rank_midranks(differences, zeros));
  return choose_exact_route(doubled, group_swings(doubled.swings), alt);
}

}  // namespace resample::inference
