// Marginal homogeneity and symmetry of a paired ordinal table, exact conditional on the discordant
// pairs (the header explains the null and the statistics).

#include "resample/inference/ordinal.hpp"

#include <tbb/blocked_range.h>

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <string>

#include "parallel_for.hpp"
#include "random_stream.hpp"
#include "resample/equality.hpp"
#include "resample/error.hpp"
#include "resample/inference/estimates.hpp"
#include "resample/monte_carlo_blocks.hpp"
#include "resample/parse_number.hpp"
#include "sign_flip_detail.hpp"

namespace resample::inference {

namespace {

// One unordered cell pair {i, j}, i < j, with discordant patients: `observed` of its `total` went
// from level i to level j.
struct cell_pair {
  std::size_t i, j;
  std::uint64_t total, observed;
};

// Everything the statistics need, fixed under within-patient swaps.
struct swap_problem {
  std::vector<cell_pair> pairs;
  std::size_t k = 0;                         // levels
  std::vector<std::size_t> reduced;          // level -> index in the reduced Laplacian, or npos
  std::vector<std::vector<double>> inverse;  // inverse of the reduced Laplacian
  double df = 0.0;                           // rank of the Laplacian
  std::uint64_t discordant = 0;
};

constexpr std::size_t npos = static_cast<std::size_t>(-1);

// Inverts a symmetric positive definite matrix by Gauss-Jordan elimination (k <= levels, small).
std::vector<std::vector<double>> invert(std::vector<std::vector<double>> a) {
  const std::size_t k = a.size();
  std::vector<std::vector<double>> inv(k, std::vector<double>(k, 0.0));
  for (std::size_t i = 0; i < k; ++i) inv[i][i] = 1.0;
  for (std::size_t col = 0; col < k; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < k; ++r)
      if (std::fabs(a[r][col]) > std::fabs(a[pivot][col])) pivot = r;
    std::swap(a[col], a[pivot]);
    std::swap(inv[col], inv[pivot]);
    const double p = a[col][col];
    for (std::size_t c = 0; c < k; ++c) a[col][c] /= p, inv[col][c] /= p;
    for (std::size_t r = 0; r < k; ++r) {
      if (r == col || a[r][col] == 0.0) continue;
      const double f = a[r][col];
      for (std::size_t c = 0; c < k; ++c) a[r][c] -= f * a[col][c], inv[r][c] -= f * inv[col][c];
    }
  }
  return inv;
}

swap_problem prepare(const paired_table& t) {
  swap_problem p;
  p.k = t.levels.size();
  for (std::size_t i = 0; i < p.k; ++i)
    for (std::size_t j = i + 1; j < p.k; ++j)
      if (t.counts[i][j] + t.counts[j][i] > 0) {
        p.pairs.push_back({i, j, t.counts[i][j] + t.counts[j][i], t.counts[i][j]});
        p.discordant += t.counts[i][j] + t.counts[j][i];
      }
  // Connected components of the levels joined by discordant pairs; one level of each is dropped,
  // which leaves the Laplacian's positive definite part (d sums to zero on every component).
  std::vector<std::size_t> parent(p.k);
  std::iota(parent.begin(), parent.end(), 0);
  auto root = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::vector<bool> involved(p.k, false);
  for (const auto& q : p.pairs) {
    involved[q.i] = involved[q.j] = true;
    parent[root(q.i)] = root(q.j);
  }
  std::vector<bool> dropped_root(p.k, false);
  p.reduced.assign(p.k, npos);
  std::size_t size = 0;
  for (std::size_t v = 0; v < p.k; ++v) {
    if (!involved[v]) continue;
    const std::size_t r = root(v);
    if (!dropped_root[r]) {
      dropped_root[r] = true;  // the first level of each component is the one left out
      continue;
    }
    p.reduced[v] = size++;
  }
  p.df = static_cast<double>(size);
  std::vector<std::vector<double>> laplacian(size, std::vector<double>(size, 0.0));
  for (const auto& q : p.pairs) {
    const double c = static_cast<double>(q.total);
    const std::size_t a = p.reduced[q.i], b = p.reduced[q.j];
    if (a != npos) laplacian[a][a] += c;
    if (b != npos) laplacian[b][b] += c;
    if (a != npos && b != npos) laplacian[a][b] -= c, laplacian[b][a] -= c;
  }
  if (size > 0) p.inverse = invert(std::move(laplacian));
  return p;
}

struct statistics_pair {
  double stuart_maxwell, bowker;
};

// The statistics for the counts `from_i` (patients of each pair going from level i to level j).
// `d` is scratch of size p.k.
template <class Counts>
statistics_pair evaluate_counts(const swap_problem& p, const Counts& from_i, std::vector<double>& d) {
  std::fill(d.begin(), d.end(), 0.0);
  double bowker = 0.0;
  for (std::size_t q = 0; q < p.pairs.size(); ++q) {
    const double change = 2.0 * static_cast<double>(from_i[q]) - static_cast<double>(p.pairs[q].total);
    d[p.pairs[q].i] += change;
    d[p.pairs[q].j] -= change;
    bowker += change * change / static_cast<double>(p.pairs[q].total);
  }
  double sm = 0.0;
  for (std::size_t a = 0; a < p.k; ++a) {
    if (p.reduced[a] == npos || d[a] == 0.0) continue;
    for (std::size_t b = 0; b < p.k; ++b)
      if (p.reduced[b] != npos) sm += d[a] * p.inverse[p.reduced[a]][p.reduced[b]] * d[b];
  }
  return {sm, bowker};
}

double combinations_of(const swap_problem& p) {
  double product = 1.0;
  for (const auto& q : p.pairs) product *= static_cast<double>(q.total + 1);
  return product;
}

std::optional<double> chi_square_p(double statistic, double df) {
  if (!(df > 0.0) || !std::isfinite(statistic)) return std::nullopt;
  return boost::math::cdf(
      boost::math::complement(boost::math::chi_squared_distribution<double>(df), std::max(0.0, statistic)));
}

}  // namespace

paired_table make_paired_table(std::span<const double> pre, std::span<const double> post) {
  constexpr const char* function = "resample::make_paired_table";
  if (pre.size() != post.size())
    throw_invalid_argument(function, "pre has " + std::to_string(pre.size()) + " values and post " +
                                         std::to_string(post.size()) + ", expected one of each per patient");
  if (pre.empty()) throw_invalid_argument(function, "n = 0 patients, expected at least 1");
  std::vector<double> levels;
  for (std::size_t i = 0; i < pre.size(); ++i) {
    if (!std::isfinite(pre[i]) || !std::isfinite(post[i]))
      throw_invalid_argument(function, "patient " + std::to_string(i + 1) + ": a level is not finite");
    levels.push_back(pre[i]), levels.push_back(post[i]);
  }
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  paired_table t;
  t.levels = levels;
  t.counts.assign(levels.size(), std::vector<std::uint64_t>(levels.size(), 0));
  auto index = [&](double v) {
    return static_cast<std::size_t>(std::lower_bound(levels.begin(), levels.end(), v) - levels.begin());
  };
  for (std::size_t i = 0; i < pre.size(); ++i) {
    const std::size_t a = index(pre[i]), b = index(post[i]);
    ++t.counts[a][b];
    t.discordant += a != b;
  }
  t.n = pre.size();
  return t;
}

marginal_homogeneity_result marginal_homogeneity(const paired_table& table, const ordinal_options& o) {
  constexpr const char* function = "resample::marginal_homogeneity";
  if (o.method == method_choice::approximate)
    throw_invalid_argument(function,
                           "method = approximate, expected exact, monte_carlo or automatic (the asymptotic "
                           "p-values are always reported beside the exact ones)");
  const auto p = prepare(table);
  marginal_homogeneity_result r;
  r.stuart_maxwell.test = "stuart_maxwell";
  r.bhapkar.test = "bhapkar";
  r.bowker.test = "bowker";
  auto all = [&](auto&& f) {
    f(r.stuart_maxwell);
    f(r.bhapkar);
    f(r.bowker);
  };
  if (p.pairs.empty()) {
    all([&](ordinal_test& t) {
      t.method = "exact_conditional";
      t.p_value = 1.0;
      t.notes.push_back("no patient changed level: there is nothing to test (p = 1)");
    });
    return r;
  }
  std::vector<double> scratch(p.k);
  std::vector<std::uint64_t> observed_counts;
  for (const auto& q : p.pairs) observed_counts.push_back(q.observed);
  const auto observed = evaluate_counts(p, observed_counts, scratch);
  // Unit-free statistics of counts: their size is bounded by the number of discordant patients.
  const double magnitude = static_cast<double>(p.discordant);
  const auto equal =
      value_equality::after_rounding(4.0 * static_cast<double>(p.pairs.size() + p.k * p.k) + 8.0, magnitude);
  auto at_least = [&](double value, double reference) {
    return value > reference || equal(value, reference);
  };

  const double combinations = combinations_of(p);
  const bool exact = o.method == method_choice::exact ||
                     (o.method == method_choice::automatic && combinations <= ordinal_max_exact_combinations);
  if (exact && combinations > ordinal_max_exact_combinations)
    throw infeasible_error("exact marginal homogeneity: " + format_number(combinations) +
                               " combinations of pair counts exceed the limit " +
                               format_number(ordinal_max_exact_combinations),
                           "method", {use_monte_carlo()});
  double p_sm = 0.0, p_bowker = 0.0;
  if (exact) {
    // Odometer over the pair counts, each with its binomial probability.
    std::vector<std::vector<long double>> pmf;
    for (const auto& q : p.pairs) {
      const boost::math::binomial_distribution<long double> b(static_cast<long double>(q.total), 0.5L);
      std::vector<long double> row;
      for (std::uint64_t t = 0; t <= q.total; ++t)
        row.push_back(boost::math::pdf(b, static_cast<long double>(t)));
      pmf.push_back(std::move(row));
    }
    std::vector<std::uint64_t> counts(p.pairs.size(), 0);
    long double sm = 0.0L, bowker = 0.0L;
    while (true) {
      long double weight = 1.0L;
      for (std::size_t q = 0; q < counts.size(); ++q) weight *= pmf[q][counts[q]];
      const auto s = evaluate_counts(p, counts, scratch);
      if (at_least(s.stuart_maxwell, observed.stuart_maxwell)) sm += weight;
      if (at_least(s.bowker, observed.bowker)) bowker += weight;
      std::size_t q = 0;
      while (q < counts.size() && counts[q] == p.pairs[q].total) counts[q++] = 0;
      if (q == counts.size()) break;
      ++counts[q];
    }
    p_sm = static_cast<double>(std::min(1.0L, sm));
    p_bowker = static_cast<double>(std::min(1.0L, bowker));
    all([&](ordinal_test& t) {
      t.method = "exact_conditional";
      t.combinations = combinations;
    });
  } else {
    if (o.resamples < 1) throw_invalid_argument(function, "resamples = 0, expected at least 1");
    const std::uint64_t B = o.resamples, blocks = monte_carlo_block_count(B);
    std::vector<std::uint64_t> sm_hits(blocks, 0), bowker_hits(blocks, 0);
    detail::run_with_threads(o.exec.threads, [&] {
      resample::parallel_for(tbb::blocked_range<std::uint64_t>(0, blocks), [&](const auto& range) {
        std::vector<std::uint64_t> counts(p.pairs.size());
        std::vector<double> d(p.k);
        for (std::uint64_t b = range.begin(); b != range.end(); ++b) {
          if (cancel_requested(o.exec))
            throw cancelled_error("resample::marginal_homogeneity: cancelled at a block boundary");
          random_stream stream(o.seed, stream_id::ordinal_swap, b);
          const std::uint64_t last = std::min(B, (b + 1) * resamples_per_block);
          for (std::uint64_t r = b * resamples_per_block; r < last; ++r) {
            // Each discordant patient's order is one fair bit; a pair's count is its bits' sum.
            std::uint64_t word = 0;
            unsigned left = 0;
            for (std::size_t q = 0; q < p.pairs.size(); ++q) {
              std::uint64_t c = 0;
              for (std::uint64_t patient = 0; patient < p.pairs[q].total; ++patient) {
                if (left == 0) word = stream(), left = 64;
                c += word & 1u;
                word >>= 1, --left;
              }
              counts[q] = c;
            }
            const auto s = evaluate_counts(p, counts, d);
            sm_hits[b] += at_least(s.stuart_maxwell, observed.stuart_maxwell);
            bowker_hits[b] += at_least(s.bowker, observed.bowker);
          }
        }
      });
    });
    const double denominator = static_cast<double>(B) + 1.0;
    p_sm = (static_cast<double>(std::accumulate(sm_hits.begin(), sm_hits.end(), std::uint64_t{0})) + 1.0) /
           denominator;
    p_bowker =
        (static_cast<double>(std::accumulate(bowker_hits.begin(), bowker_hits.end(), std::uint64_t{0})) +
         1.0) /
        denominator;
    all([&](ordinal_test& t) {
      t.method = "monte_carlo";
      t.exact = false;
      t.resamples = B;
      t.notes.push_back("Monte Carlo: " + std::to_string(B) + " random swap patterns, seed " +
                        std::to_string(o.seed) + "; p = (b + 1)/(B + 1)");
    });
    r.stuart_maxwell.mc_se = std::sqrt(p_sm * (1.0 - p_sm) / static_cast<double>(B));
    r.bhapkar.mc_se = r.stuart_maxwell.mc_se;
    r.bowker.mc_se = std::sqrt(p_bowker * (1.0 - p_bowker) / static_cast<double>(B));
  }
  const double n = static_cast<double>(table.n);
  r.stuart_maxwell.statistic = observed.stuart_maxwell;
  r.stuart_maxwell.df = p.df;
  r.stuart_maxwell.p_value = p_sm;
  r.stuart_maxwell.asymptotic_p = chi_square_p(observed.stuart_maxwell, p.df);
  r.bhapkar.df = p.df;
  r.bhapkar.p_value = p_sm;
  r.bhapkar.notes.push_back(
      "an increasing function of Stuart-Maxwell given n: the same exact conditional p-value");
  if (observed.stuart_maxwell < n * (1.0 - 1e-12)) {
    r.bhapkar.statistic = observed.stuart_maxwell / (1.0 - observed.stuart_maxwell / n);
    r.bhapkar.asymptotic_p = chi_square_p(*r.bhapkar.statistic, p.df);
  } else {
    r.bhapkar.notes.push_back(
        "Stuart-Maxwell equals n: Bhapkar's covariance is singular and its statistic infinite");
  }
  r.bowker.statistic = observed.bowker;
  r.bowker.df = static_cast<double>(p.pairs.size());
  r.bowker.p_value = p_bowker;
  r.bowker.asymptotic_p = chi_square_p(observed.bowker, r.bowker.df);
  if (p.df + 1.0 < static_cast<double>(table.levels.size()))
    r.stuart_maxwell.notes.push_back("df = " + format_number(p.df) +
                                     ": levels without a discordant patient, or " +
                                     "separate groups of levels, add no degree of freedom");
  return r;
}

namespace {

// Exact products of counts: (b - c)^2 m reaches n^3.
__extension__ using wide_integer = __int128;

// P(as extreme as observed | m discordant patients), m = 0..n, by the header's integer rule:
// |2B - m| >= t with B ~ Binomial(m, 1/2), t the smallest integer with t^2 m_obs >= d^2 m.
std::vector<double> conditional_extreme(std::uint64_t before_only, std::uint64_t after_only,
                                        std::uint64_t n) {
  const wide_integer d = static_cast<wide_integer>(before_only) - static_cast<wide_integer>(after_only);
  const auto observed = static_cast<wide_integer>(before_only + after_only);
  std::vector<double> out(n + 1, d == 0 ? 1.0 : 0.0);
  if (d == 0) return out;  // every table is as extreme
  for (std::uint64_t m = 1; m <= n; ++m) {
    const wide_integer needed = d * d * static_cast<wide_integer>(m);
    auto t = static_cast<wide_integer>(
        std::ceil(std::sqrt(static_cast<double>(needed) / static_cast<double>(observed))));
    while (t > 0 && (t - 1) * (t - 1) * observed >= needed) --t;
    while (t * t * observed < needed) ++t;
    if (t == 0) {
      out[m] = 1.0;
    } else if (t <= static_cast<wide_integer>(m)) {
      // |2B - m| >= t: B <= (m - t)/2 or, by symmetry, as likely, B >= (m + t)/2.
      const boost::math::binomial_distribution<double> b(static_cast<double>(m), 0.5);
      const auto k = static_cast<double>((static_cast<wide_integer>(m) - t) / 2);
      out[m] = std::min(1.0, 2.0 * boost::math::cdf(b, k));
    }
  }
  return out;
}

// sum_m Binomial(m; n, psi) P(as extreme | m), over the m where Binomial(n, psi) has mass (40 SDs).
double unconditional_tail(const std::vector<double>& extreme, const std::vector<double>& log_choose,
                          double psi) {
  const auto n = static_cast<double>(extreme.size() - 1);
  if (psi <= 0.0) return extreme.front();
  if (psi >= 1.0) return extreme.back();
  const double spread = 40.0 * std::sqrt(n * psi * (1.0 - psi)) + 2.0;
  const auto first = static_cast<std::size_t>(std::max(0.0, std::floor(n * psi - spread)));
  const auto last = static_cast<std::size_t>(std::min(n, std::ceil(n * psi + spread)));
  const double log_psi = std::log(psi), log_rest = std::log1p(-psi);
  long double sum = 0.0L;
  for (std::size_t m = first; m <= last; ++m) {
    if (extreme[m] == 0.0) continue;
    const auto k = static_cast<double>(m);
    sum += std::exp(log_choose[m] + k * log_psi + (n - k) * log_rest) * extreme[m];
  }
  return std::min(1.0, static_cast<double>(sum));
}

// The largest value of f on [lo, hi]: a grid of mcnemar_unconditional_grid + 1 points, then
// Brent's method between the neighbours of each of the three best.
struct maximum {
  double value = 0.0, at = 0.0;
};
template <class F>
maximum largest_over(F&& f, double lo, double hi) {
  const int grid = mcnemar_unconditional_grid;
  const auto point = [&](int j) { return j == grid ? hi : lo + (hi - lo) * (j / static_cast<double>(grid)); };
  std::vector<double> values(static_cast<std::size_t>(grid) + 1);
  for (int j = 0; j <= grid; ++j) values[static_cast<std::size_t>(j)] = f(point(j));
  std::vector<int> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::partial_sort(order.begin(), order.begin() + 3, order.end(), [&](int x, int y) {
    return values[static_cast<std::size_t>(x)] > values[static_cast<std::size_t>(y)];
  });
  maximum best{values[static_cast<std::size_t>(order[0])], point(order[0])};
  for (int i = 0; i < 3; ++i) {
    const int j = order[static_cast<std::size_t>(i)];
    const auto [at, negative] = boost::math::tools::brent_find_minima(
        [&](double x) { return -f(x); }, point(std::max(0, j - 1)), point(std::min(grid, j + 1)),
        std::numeric_limits<double>::digits / 2);
    if (-negative > best.value) best = {-negative, at};
  }
  return best;
}

}  // namespace

double tango_restricted_q21(std::uint64_t before_only, std::uint64_t after_only, std::uint64_t n,
                            double theta) {
  const auto b = static_cast<double>(before_only), c = static_cast<double>(after_only),
             N = static_cast<double>(n);
  const double A = 2.0 * N, B = -b - c + (2.0 * N - b + c) * theta, C = -c * theta * (1.0 - theta);
  return std::max(0.0, (std::sqrt(std::max(0.0, B * B - 4.0 * A * C)) - B) / (2.0 * A));
}

double tango_score(std::uint64_t before_only, std::uint64_t after_only, std::uint64_t n, double theta) {
  const double N = static_cast<double>(n);
  const double numerator = static_cast<double>(before_only) - static_cast<double>(after_only) - N * theta;
  const double variance =
      N * (2.0 * tango_restricted_q21(before_only, after_only, n, theta) + theta * (1.0 - theta));
  if (variance <= 0.0)
    return numerator == 0.0 ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), numerator);
  return numerator / std::sqrt(variance);
}

mcnemar_result mcnemar(const paired_table& table, double threshold, double level) {
  constexpr const char* function = "resample::mcnemar";
  if (!std::isfinite(threshold)) throw_invalid_argument(function, "threshold is not finite");
  mcnemar_result r;
  r.threshold = threshold;
  r.level = level;
  for (std::size_t i = 0; i < table.levels.size(); ++i)
    for (std::size_t j = 0; j < table.levels.size(); ++j) {
      const bool before = table.levels[i] >= threshold, after = table.levels[j] >= threshold;
      const std::uint64_t c = table.counts[i][j];
      (before ? (after ? r.both : r.before_only) : (after ? r.after_only : r.neither)) += c;
    }
  auto& t = r.test;
  t.test = "mcnemar";
  t.method = "binomial";
  t.df = 1.0;
  const std::uint64_t m = r.before_only + r.after_only;
  const double n = static_cast<double>(table.n);
  r.difference = (static_cast<double>(r.before_only) - static_cast<double>(r.after_only)) / n;
  if (m == 0) {
    t.p_value = 1.0, t.mid_p = 1.0;
    t.notes.push_back("no patient crossed the threshold: nothing to test (p = 1)");
  } else {
    const boost::math::binomial_distribution<double> b(static_cast<double>(m), 0.5);
    const double k = static_cast<double>(std::min(r.before_only, r.after_only));
    t.p_value = std::min(1.0, 2.0 * boost::math::cdf(b, k));
    t.mid_p = std::min(1.0, 2.0 * (boost::math::cdf(b, k) - 0.5 * boost::math::pdf(b, k)));
    const double diff = static_cast<double>(r.before_only) - static_cast<double>(r.after_only);
    t.statistic = diff * diff / static_cast<double>(m);
    t.asymptotic_p = chi_square_p(*t.statistic, 1.0);
  }
  // Newcombe's hybrid score (square-and-add) interval for p1 - p2, from the Wilson intervals of
  // each proportion and the correlation of the paired table.
  const auto a = static_cast<double>(r.both), bo = static_cast<double>(r.before_only),
             ao = static_cast<double>(r.after_only), d = static_cast<double>(r.neither);
  auto wilson = [&](double successes) {
    for (const auto& i : proportion_intervals(static_cast<std::size_t>(successes), table.n, level).intervals)
      if (i.method == "wilson") return std::pair{i.lower, i.upper};
    return std::pair{0.0, 1.0};
  };
  const double p1 = (a + bo) / n, p2 = (a + ao) / n;
  const auto [l1, u1] = wilson(a + bo);
  const auto [l2, u2] = wilson(a + ao);
  const double denominator = (a + bo) * (ao + d) * (a + ao) * (bo + d);
  // Newcombe's correlation (1998, method 10) is continuity-corrected: a positive AD - BC is
  // reduced by n/2 and floored at 0; a negative one is used as it is.
  const double cross = a * d - bo * ao;
  const double corrected = cross > n / 2.0 ? cross - n / 2.0 : (cross >= 0.0 ? 0.0 : cross);
  const double phi = denominator > 0.0 ? corrected / std::sqrt(denominator) : 0.0;
  r.lower = std::max(
      -1.0, r.difference - std::sqrt(std::max(0.0, (p1 - l1) * (p1 - l1) - 2.0 * phi * (p1 - l1) * (u2 - p2) +
                                                       (u2 - p2) * (u2 - p2))));
  r.upper = std::min(
      1.0, r.difference + std::sqrt(std::max(0.0, (u1 - p1) * (u1 - p1) - 2.0 * phi * (u1 - p1) * (p2 - l2) +
                                                      (p2 - l2) * (p2 - l2))));

  // Suissa-Shuster over [0, 1], Berger-Boos over the Clopper-Pearson 1 - gamma interval of psi.
  const auto N = static_cast<std::uint64_t>(table.n);
  const auto extreme = conditional_extreme(r.before_only, r.after_only, N);
  std::vector<double> log_choose(N + 1);
  for (std::uint64_t k = 0; k <= N; ++k)
    log_choose[k] = std::lgamma(n + 1.0) - std::lgamma(static_cast<double>(k) + 1.0) -
                    std::lgamma(n - static_cast<double>(k) + 1.0);
  const auto tail = [&](double psi) { return unconditional_tail(extreme, log_choose, psi); };
  const auto whole = largest_over(tail, 0.0, 1.0);
  r.unconditional_p = whole.value, r.unconditional_psi = whole.at;
  double psi_low = 0.0, psi_high = 1.0;
  for (const auto& i :
       proportion_intervals(static_cast<std::size_t>(m), table.n, 1.0 - mcnemar_berger_boos_gamma).intervals)
    if (i.method == "clopper_pearson") psi_low = i.lower, psi_high = i.upper;
  const auto restricted = largest_over(tail, psi_low, psi_high);
  r.berger_boos_p = std::min(1.0, restricted.value + mcnemar_berger_boos_gamma);
  r.berger_boos_psi = restricted.at;

  // Tango: Z falls from +infinity at theta = -1 through 0 at the estimate to -infinity at 1; each
  // end is bisected to the double where |Z| reaches z.
  const boost::math::normal_distribution<double> standard;
  const double z = boost::math::quantile(boost::math::complement(standard, (1.0 - level) / 2.0));
  const auto root = [&](double inside, double outside, double target) {
    // Z(inside) is within the set, Z(outside) is not (or outside is the end of [-1, 1]).
    for (int step = 0; step < 200; ++step) {
      const double mid = inside + (outside - inside) / 2.0;
      if (mid == inside || mid == outside) break;
      (std::fabs(tango_score(r.before_only, r.after_only, N, mid)) < target ? inside : outside) = mid;
    }
    return outside;
  };
  r.tango_lower = r.difference <= -1.0 ? -1.0 : root(r.difference, -1.0, z);
  r.tango_upper = r.difference >= 1.0 ? 1.0 : root(r.difference, 1.0, z);
  return r;
}

}  // namespace resample::inference
