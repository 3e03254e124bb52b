#include "resample/inference/ordinal.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "resample/error.hpp"

namespace resample::inference {
namespace {

// The Stuart-Maxwell statistic of a table, restated from its textbook form: d = row margins minus
// column margins and S_ii = n_i. + n_.i - 2 n_ii, S_ij = -(n_ij + n_ji), on the levels that have a
// discordant patient, with the last of them dropped (the test data below keep those levels
// connected), solved by Gaussian elimination.
double direct_stuart_maxwell(const std::vector<std::vector<double>>& t) {
  const std::size_t k = t.size();
  std::vector<std::size_t> used;
  for (std::size_t i = 0; i < k; ++i) {
    double off = 0;
    for (std::size_t j = 0; j < k; ++j)
      if (j != i) off += t[i][j] + t[j][i];
    if (off > 0) used.push_back(i);
  }
  if (used.size() < 2) return 0.0;
  used.pop_back();
  const std::size_t m = used.size();
  std::vector<std::vector<double>> a(m, std::vector<double>(m + 1, 0.0));
  for (std::size_t x = 0; x < m; ++x) {
    const std::size_t i = used[x];
    double row = 0, col = 0;
    for (std::size_t j = 0; j < k; ++j) row += t[i][j], col += t[j][i];
    a[x][m] = row - col;
    for (std::size_t y = 0; y < m; ++y) {
      const std::size_t j = used[y];
      a[x][y] = i == j ? row + col - 2 * t[i][i] : -(t[i][j] + t[j][i]);
    }
  }
  const std::vector<double> d = [&] {
    std::vector<double> v(m);
    for (std::size_t x = 0; x < m; ++x) v[x] = a[x][m];
    return v;
  }();
  for (std::size_t c = 0; c < m; ++c) {
    std::size_t p = c;
    for (std::size_t r = c + 1; r < m; ++r)
      if (std::fabs(a[r][c]) > std::fabs(a[p][c])) p = r;
    std::swap(a[c], a[p]);
    for (std::size_t r = 0; r < m; ++r) {
      if (r == c) continue;
      const double f = a[r][c] / a[c][c];
      for (std::size_t q = c; q <= m; ++q) a[r][q] -= f * a[c][q];
    }
  }
  double sm = 0;
  for (std::size_t x = 0; x < m; ++x) sm += d[x] * a[x][m] / a[x][x];
  return sm;
}

double direct_bowker(const std::vector<std::vector<double>>& t) {
  double b = 0;
  for (std::size_t i = 0; i < t.size(); ++i)
    for (std::size_t j = i + 1; j < t.size(); ++j)
      if (t[i][j] + t[j][i] > 0) b += (t[i][j] - t[j][i]) * (t[i][j] - t[j][i]) / (t[i][j] + t[j][i]);
  return b;
}

struct brute_p_values {
  double sm, bowker;
};

// Every one of the 2^m within-patient swaps of the m discordant patients, equally likely.
brute_p_values brute_force(const std::vector<double>& pre, const std::vector<double>& post) {
  const auto table = make_paired_table(pre, post);
  auto table_of = [&](const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<std::vector<double>> t(table.levels.size(), std::vector<double>(table.levels.size(), 0.0));
    auto at = [&](double v) {
      return std::lower_bound(table.levels.begin(), table.levels.end(), v) - table.levels.begin();
    };
    for (std::size_t i = 0; i < a.size(); ++i) t[at(a[i])][at(b[i])] += 1;
    return t;
  };
  const auto observed = table_of(pre, post);
  const double sm0 = direct_stuart_maxwell(observed), b0 = direct_bowker(observed);
  std::vector<std::size_t> discordant;
  for (std::size_t i = 0; i < pre.size(); ++i)
    if (pre[i] != post[i]) discordant.push_back(i);
  const std::size_t m = discordant.size();
  double sm = 0, bowker = 0;
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << m); ++mask) {
    auto a = pre, b = post;
    for (std::size_t q = 0; q < m; ++q)
      if ((mask >> q) & 1u) std::swap(a[discordant[q]], b[discordant[q]]);
    const auto t = table_of(a, b);
    sm += direct_stuart_maxwell(t) >= sm0 - 1e-9 * std::max(1.0, sm0);
    bowker += direct_bowker(t) >= b0 - 1e-9 * std::max(1.0, b0);
  }
  const double total = std::ldexp(1.0, static_cast<int>(m));
  return {sm / total, bowker / total};
}

// Random paired levels on 0..levels-1 with every level of the table reached by a change.
std::pair<std::vector<double>, std::vector<double>> random_pairs(std::mt19937_64& rng, std::size_t n,
                                                                 int levels) {
  std::uniform_int_distribution<int> level(0, levels - 1);
  std::vector<double> pre(n), post(n);
  for (std::size_t i = 0; i < n; ++i) {
    pre[i] = level(rng);
    post[i] = std::max(0, std::min(levels - 1, static_cast<int>(pre[i]) + level(rng) - levels / 2));
  }
  // A chain of changes 0->1->...->levels-1 keeps the levels connected.
  for (int v = 0; v + 1 < levels && static_cast<std::size_t>(v) < n; ++v) pre[v] = v, post[v] = v + 1;
  return {pre, post};
}

TEST(Ordinal, ExactConditionalPValuesEqualBruteForceOverEverySwap) {
  std::mt19937_64 rng(3);
  for (int levels : {2, 3, 4, 5})
    for (std::size_t n : {6, 9, 14, 18}) {
      auto [pre, post] = random_pairs(rng, n, levels);
      const auto table = make_paired_table(pre, post);
      if (table.discordant > 20) continue;
      const auto r = marginal_homogeneity(table);
      const auto expected = brute_force(pre, post);
      ASSERT_TRUE(r.stuart_maxwell.statistic);
      EXPECT_EQ(r.stuart_maxwell.method, "exact_conditional");
      EXPECT_NEAR(r.stuart_maxwell.p_value, expected.sm, 1e-12) << levels << " levels, n " << n;
      EXPECT_NEAR(r.bhapkar.p_value, expected.sm, 1e-12);
      EXPECT_NEAR(r.bowker.p_value, expected.bowker, 1e-12) << levels << " levels, n " << n;
      std::vector<std::vector<double>> t(table.levels.size(), std::vector<double>(table.levels.size()));
      for (std::size_t i = 0; i < t.size(); ++i)
        for (std::size_t j = 0; j < t.size(); ++j) t[i][j] = static_cast<double>(table.counts[i][j]);
      EXPECT_NEAR(*r.stuart_maxwell.statistic, direct_stuart_maxwell(t), 1e-9);
      EXPECT_NEAR(*r.bowker.statistic, direct_bowker(t), 1e-12);
      const double sm = *r.stuart_maxwell.statistic;
      if (r.bhapkar.statistic) {
        EXPECT_NEAR(*r.bhapkar.statistic, sm / (1 - sm / static_cast<double>(n)), 1e-9);
      }
    }
}

TEST(Ordinal, MonteCarloIsWithinItsErrorOfExactAndTheSameOnAnyThreadCount) {
  std::mt19937_64 rng(5);
  auto [pre, post] = random_pairs(rng, 30, 5);
  const auto table = make_paired_table(pre, post);
  const auto exact = marginal_homogeneity(table);
  ordinal_options o;
  o.method = method_choice::monte_carlo;
  o.resamples = 40000;
  const auto mc = marginal_homogeneity(table, o);
  EXPECT_FALSE(mc.stuart_maxwell.exact);
  EXPECT_LT(std::fabs(mc.stuart_maxwell.p_value - exact.stuart_maxwell.p_value),
            4 * *mc.stuart_maxwell.mc_se + 1e-4);
  EXPECT_LT(std::fabs(mc.bowker.p_value - exact.bowker.p_value), 4 * *mc.bowker.mc_se + 1e-4);
  for (unsigned threads : {1u, 2u, 3u}) {
    o.exec.threads = threads;
    const auto again = marginal_homogeneity(table, o);
    EXPECT_EQ(again.stuart_maxwell.p_value, mc.stuart_maxwell.p_value);
    EXPECT_EQ(again.bowker.p_value, mc.bowker.p_value);
  }
}

// The paper's repeat mobility scores (0-4, data/gaughen2002_table1.csv): before 1, 2, 1, 0, 0, 3;
// after 0, 1, 0, 0, 0, 0.
TEST(Ordinal, PaperMobility) {
  const std::vector<double> pre{1, 2, 1, 0, 0, 3}, post{0, 1, 0, 0, 0, 0};
  const auto table = make_paired_table(pre, post);
  EXPECT_EQ(table.levels, (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(table.discordant, 4u);
  const auto r = marginal_homogeneity(table);
  const auto expected = brute_force(pre, post);
  EXPECT_NEAR(r.stuart_maxwell.p_value, expected.sm, 1e-12);
  EXPECT_NEAR(r.bowker.p_value, expected.bowker, 1e-12);
  const auto m = mcnemar(table, 1.0);  // impaired: mobility >= 1
  EXPECT_EQ(m.both, 1u);
  EXPECT_EQ(m.before_only, 3u);
  EXPECT_EQ(m.after_only, 0u);
  EXPECT_EQ(m.neither, 2u);
  EXPECT_DOUBLE_EQ(m.test.p_value, 2.0 / 8.0);  // 3 of 3 one way: 2 * 2^-3
  EXPECT_DOUBLE_EQ(*m.test.mid_p, 2.0 * (1.0 / 8.0 - 0.5 / 8.0));
  EXPECT_DOUBLE_EQ(*m.test.statistic, 3.0);
  EXPECT_DOUBLE_EQ(m.difference, 0.5);
  ASSERT_TRUE(m.lower && m.upper);
  EXPECT_LT(*m.lower, m.difference);
  EXPECT_GT(*m.upper, m.difference);
}

// McNemar's exact p against the binomial restated, for every split of b + c discordant patients.
TEST(Ordinal, McNemarEqualsTheBinomialTest) {
  for (int b = 0; b <= 7; ++b)
    for (int c = 0; c <= 7; ++c) {
      std::vector<double> pre, post;
      for (int i = 0; i < b; ++i) pre.push_back(1), post.push_back(0);
      for (int i = 0; i < c; ++i) pre.push_back(0), post.push_back(1);
      pre.push_back(1), post.push_back(1);
      pre.push_back(0), post.push_back(0);
      const auto m = mcnemar(make_paired_table(pre, post), 1.0);
      double p = 1.0;
      if (b + c > 0) {
        double tail = 0;
        for (int x = 0; x <= std::min(b, c); ++x)
          tail += std::exp(std::lgamma(b + c + 1) - std::lgamma(x + 1) - std::lgamma(b + c - x + 1)) *
                  std::ldexp(1.0, -(b + c));
        p = std::min(1.0, 2 * tail);
      }
      EXPECT_NEAR(m.test.p_value, p, 1e-12) << b << " " << c;
      EXPECT_GE(*m.upper, *m.lower);
    }
}

TEST(Ordinal, NoChangeAndBadInput) {
  const auto none =
      marginal_homogeneity(make_paired_table(std::vector<double>{1, 2}, std::vector<double>{1, 2}));
  EXPECT_EQ(none.stuart_maxwell.p_value, 1.0);
  EXPECT_FALSE(none.stuart_maxwell.statistic);
  EXPECT_THROW(make_paired_table(std::vector<double>{1, 2}, std::vector<double>{1}), invalid_argument);
  EXPECT_THROW(make_paired_table(std::vector<double>{}, std::vector<double>{}), invalid_argument);
  ordinal_options o;
  o.method = method_choice::approximate;
  EXPECT_THROW(
      marginal_homogeneity(make_paired_table(std::vector<double>{1, 2}, std::vector<double>{2, 1}), o),
      invalid_argument);
}

// A paired 2 x 2 table as (pre, post) levels: both positive, before only, after only, neither.
paired_table two_by_two(int both, int before_only, int after_only, int neither) {
  std::vector<double> pre, post;
  const auto add = [&](int count, double x, double y) {
    for (int i = 0; i < count; ++i) pre.push_back(x), post.push_back(y);
  };
  add(both, 1, 1), add(before_only, 1, 0), add(after_only, 0, 1), add(neither, 0, 0);
  return make_paired_table(pre, post);
}

// Published values (Fagerland, Lydersen and Laake, Statistical Analysis of Contingency Tables,
// chapter 8, as printed to 4 or 6 decimals): complete response before and after consolidation
// therapy (Cavo et al. 2012), 59 / 6 / 16 / 80.
TEST(Ordinal, McNemarFamilyEqualsThePublishedCavoExample) {
  const auto m = mcnemar(two_by_two(59, 6, 16, 80), 1.0);
  EXPECT_NEAR(m.test.p_value, 0.052479, 5e-7);
  EXPECT_NEAR(*m.test.mid_p, 0.034690, 5e-7);
  EXPECT_NEAR(*m.test.asymptotic_p, 0.033006, 5e-7);
  EXPECT_NEAR(m.difference, -0.0621, 5e-5);
  EXPECT_NEAR(*m.lower, -0.1186, 5e-5);  // Newcombe square-and-add
  EXPECT_NEAR(*m.upper, -0.0046, 5e-5);
  EXPECT_NEAR(*m.tango_lower, -0.1240, 5e-5);
  EXPECT_NEAR(*m.tango_upper, -0.0054, 5e-5);
  // The book maximizes on 1000 equally spaced psi; the engine refines its grid, so its maximum
  // can only be higher, by less than that grid misses of so smooth a polynomial.
  EXPECT_GE(m.berger_boos_p, 0.0340525);
  EXPECT_LT(m.berger_boos_p, 0.034053 + 2e-6);
  const auto short_table = mcnemar(two_by_two(5, 0, 1, 8), 1.0);  // floor(Cavo / 10)
  EXPECT_GE(short_table.berger_boos_p, 0.5420705);
  EXPECT_LT(short_table.berger_boos_p, 0.542071 + 2e-6);
  EXPECT_LE(m.berger_boos_p, m.unconditional_p + mcnemar_berger_boos_gamma);
}

// Suissa-Shuster and Berger-Boos against every one of the 3^n patient patterns (each patient
// before only, after only or concordant, with probabilities psi/2, psi/2, 1 - psi), the McNemar
// statistic (b - c)^2 / (b + c) of each compared with the observed one in doubles (m = 0 is not
// extreme unless b_obs = c_obs): the p at the engine's psi equals the brute force, and no psi of a
// 500-point grid (a subset of the engine's) gives more.
TEST(Ordinal, UnconditionalMcNemarEqualsBruteForceOverAllPatientPatterns) {
  for (int n = 1; n <= 9; n += 2)
    for (int b = 0; b <= n; ++b)
      for (int c = 0; b + c <= n; c += 2) {
        // Counts of patterns per (b*, c*), by enumeration.
        std::vector<std::vector<double>> patterns(static_cast<std::size_t>(n) + 1,
                                                  std::vector<double>(static_cast<std::size_t>(n) + 1, 0.0));
        int total = 1;
        for (int i = 0; i < n; ++i) total *= 3;
        for (int code = 0; code < total; ++code) {
          int x = code, bs = 0, cs = 0;
          for (int i = 0; i < n; ++i, x /= 3) bs += x % 3 == 0, cs += x % 3 == 1;
          patterns[static_cast<std::size_t>(bs)][static_cast<std::size_t>(cs)] += 1.0;
        }
        const auto statistic = [](int x, int y) {
          return x + y == 0 ? -1.0 : double((x - y) * (x - y)) / (x + y);
        };
        const double observed = statistic(b, c);
        const auto brute = [&](double psi) {
          double p = 0.0;
          for (int x = 0; x <= n; ++x)
            for (int y = 0; x + y <= n; ++y) {
              const bool extreme = x + y == 0 ? b == c : statistic(x, y) >= observed;
              if (extreme)
                p += patterns[static_cast<std::size_t>(x)][static_cast<std::size_t>(y)] *
                     std::pow(psi / 2, x + y) * std::pow(1 - psi, n - x - y);
            }
          return p;
        };
        const auto m = mcnemar(two_by_two(0, b, c, n - b - c), 1.0);
        EXPECT_NEAR(m.unconditional_p, brute(m.unconditional_psi), 1e-12) << n << " " << b << " " << c;
        EXPECT_NEAR(m.berger_boos_p, std::min(1.0, brute(m.berger_boos_psi) + mcnemar_berger_boos_gamma),
                    1e-12)
            << n << " " << b << " " << c;
        for (int j = 0; j <= 500; ++j)
          EXPECT_LE(brute(j / 500.0), m.unconditional_p + 1e-12) << n << " " << b << " " << c;
        if (b == c) {
          EXPECT_DOUBLE_EQ(m.unconditional_p, 1.0);
        }
      }
}

// Tango's restricted estimate maximizes the likelihood b log(q21 + theta) + c log q21 +
// (n - b - c) log(1 - 2 q21 - theta) over q21; his interval is {theta : |Z(theta)| < z}.
TEST(Ordinal, TangoScoreIntervalIsItsDefinition) {
  const boost::math::normal_distribution<double> standard;
  const double z = boost::math::quantile(boost::math::complement(standard, 0.025));
  for (const auto& table :
       std::vector<std::array<int, 3>>{{6, 16, 161}, {3, 0, 6}, {0, 1, 14}, {4, 4, 10}, {1, 7, 21}}) {
    const int b = table[0], c = table[1], n = table[2];
    for (double theta : {-0.6, -0.2, 0.0, 0.1, 0.35}) {
      const double low = std::max(0.0, -theta), high = (1.0 - theta) / 2.0;
      if (high <= low) continue;
      const auto log_likelihood = [&](double q) {
        if (q < low || q > high) return -std::numeric_limits<double>::infinity();
        double value = (n - b - c) * std::log(1 - 2 * q - theta);
        if (b > 0) value += b * std::log(q + theta);
        if (c > 0) value += c * std::log(q);
        return value;
      };
      const auto [best, negative] = boost::math::tools::brent_find_minima(
          [&](double q) {
            const double value = -log_likelihood(q);
            return std::isnan(value) ? std::numeric_limits<double>::infinity() : value;
          },
          low, high, 40);
      EXPECT_NEAR(tango_restricted_q21(b, c, n, theta), best, 1e-7)
          << b << " " << c << " " << n << " " << theta;
    }
    const auto m = mcnemar(two_by_two(0, b, c, n - b - c), 1.0);
    ASSERT_TRUE(m.tango_lower && m.tango_upper);
    for (int j = 1; j < 400; ++j) {
      const double theta = -1.0 + j / 200.0;
      const bool inside = std::fabs(tango_score(b, c, n, theta)) < z;
      const bool in_interval = theta > *m.tango_lower && theta < *m.tango_upper;
      if (std::fabs(theta - *m.tango_lower) > 1e-9 && std::fabs(theta - *m.tango_upper) > 1e-9) {
        EXPECT_EQ(inside, in_interval) << b << " " << c << " " << n << " " << theta;
      }
    }
  }
  // No discordant patient: Z(theta) = -sqrt(n theta / (1 - theta)) above 0, so the ends are
  // -+ z^2 / (n + z^2).
  const auto none = mcnemar(two_by_two(3, 0, 0, 7), 1.0);
  EXPECT_NEAR(*none.tango_upper, z * z / (10 + z * z), 1e-12);
  EXPECT_NEAR(*none.tango_lower, -z * z / (10 + z * z), 1e-12);
}

}  // namespace
}  // namespace resample::inference
