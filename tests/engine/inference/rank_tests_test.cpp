#include "resample/inference/rank_tests.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <random>
#include <vector>

#include "resample/error.hpp"
#include "support/paper_table.hpp"
#include "support/sanitizer_slowdown.hpp"

namespace resample::inference {
namespace {

const alternative alternatives[] = {alternative::two_sided, alternative::greater, alternative::less};

// Midranks by counting (O(n^2)), independent of the sorting implementation.
std::vector<double> direct_ranks(const std::vector<double>& d, zero_method z) {
  std::vector<double> r(d.size(), 0.0);
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (z == zero_method::wilcox && d[i] == 0) continue;
    double less = 0, equal = 0;
    for (double x : d) {
      if (z == zero_method::wilcox && x == 0) continue;
      if (std::fabs(x) < std::fabs(d[i])) ++less;
      if (std::fabs(x) == std::fabs(d[i])) ++equal;
    }
    r[i] = less + (equal + 1) / 2;
  }
  return r;
}

struct brute_wilcoxon_p {
  double p, mid_p;
};

// All 2^m sign patterns of the non-zero differences; V* = sum of ranks given a positive sign.
brute_wilcoxon_p brute_wilcoxon(const std::vector<double>& d, zero_method z, alternative alt) {
  const auto rank = direct_ranks(d, z);
  std::vector<double> r;
  double V = 0, centre = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (d[i] == 0) continue;
    r.push_back(rank[i]);
    centre += rank[i] / 2;
    if (d[i] > 0) V += rank[i];
  }
  double more = 0, equal = 0;
  const std::uint64_t patterns = std::uint64_t{1} << r.size();
  for (std::uint64_t mask = 0; mask < patterns; ++mask) {
    double v = 0;
    for (std::size_t i = 0; i < r.size(); ++i)
      if ((mask >> i) & 1) v += r[i];
    double key = v, ref = V;
    if (alt == alternative::less) key = -v, ref = -V;
    if (alt == alternative::two_sided) key = std::fabs(v - centre), ref = std::fabs(V - centre);
    if (key == ref)
      ++equal;
    else if (key > ref)
      ++more;
  }
  const double P = static_cast<double>(patterns);
  return {(more + equal) / P, (more + equal / 2) / P};
}

std::vector<std::vector<double>> samples() {
  std::vector<std::vector<double>> out{{2, 9, 8, 10, 6, 4},
                                       {1, 1, 1, 0, 0, 3},
                                       {1.5, -2.25, 0, 3.1, 1.5, -0.7, 0, 2.2, 4.4, -1.1, 0.3, 2.2},
                                       {2, -1, 0, 3, 3, -2, 1, 0, 5, 1, -1, 4, 2, -3, 0, 1}};
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(0.3, 1.0);
  std::vector<double> real(15);
  for (auto& v : real) v = normal(rng);
  out.push_back(real);
  return out;
}

TEST(SignTest, PaperReferenceValues) {
  EXPECT_DOUBLE_EQ(sign_test(std::vector<double>{2, 9, 8, 10, 6, 4}, alternative::two_sided).p_value,
                   0.03125);
  const auto mobility = sign_test(std::vector<double>{1, 1, 1, 0, 0, 3}, alternative::two_sided);
  EXPECT_DOUBLE_EQ(mobility.p_value, 0.125);
  EXPECT_EQ(mobility.n_nonzero, 4u);
  EXPECT_DOUBLE_EQ(mobility.smallest_attainable_p, 0.125);
}

TEST(SignTest, EqualsBinomialEnumeration) {
  for (const auto& d : samples()) {
    std::size_t pos = 0, m = 0;
    for (double x : d) pos += x > 0, m += x != 0;
    double ge = 0, le = 0, eq = 0;
    for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << m); ++mask) {
      const auto k = static_cast<std::size_t>(std::popcount(mask));
      if (k == pos)
        ++eq;
      else if (k > pos)
        ++ge;
      else
        ++le;
    }
    const double P = std::ldexp(1.0, static_cast<int>(m));
    const double g = (ge + eq) / P, l = (le + eq) / P;
    EXPECT_NEAR(sign_test(d, alternative::greater).p_value, g, 1e-12);
    EXPECT_NEAR(sign_test(d, alternative::less).p_value, l, 1e-12);
    EXPECT_NEAR(sign_test(d, alternative::two_sided).p_value, std::min(1.0, 2 * std::min(g, l)), 1e-12);
    EXPECT_NEAR(*sign_test(d, alternative::greater, true).mid_p, (ge + eq / 2) / P, 1e-12);
  }
}

TEST(Wilcoxon, PaperReferenceValues) {
  const std::vector<double>& pain = resample::test::paper::pain;
  const std::vector<double>& mobility = resample::test::paper::mobility;
  for (auto z : {zero_method::pratt, zero_method::wilcox}) {
    wilcoxon_options o;
    o.zeros = z;
    o.method = method_choice::exact;
    EXPECT_DOUBLE_EQ(wilcoxon_test(pain, alternative::two_sided, o).p_value, 0.03125);
    const auto r = wilcoxon_test(mobility, alternative::two_sided, o);
    EXPECT_DOUBLE_EQ(r.p_value, 0.125);
    EXPECT_TRUE(r.exact);
    EXPECT_DOUBLE_EQ(r.observed, z == zero_method::pratt ? 18.0 : 10.0);
  }
}

TEST(Wilcoxon, MidranksMatchCounting) {
  for (const auto& d : samples())
    for (auto z : {zero_method::pratt, zero_method::wilcox}) {
      const auto a = signed_rank_midranks(d, z);
      const auto b = direct_ranks(d, z);
      for (std::size_t i = 0; i < d.size(); ++i) EXPECT_DOUBLE_EQ(a[i], b[i]);
    }
}

TEST(Wilcoxon, ExactEqualsBruteForceWithTiesAndZeros) {
  for (const auto& d : samples())
    for (auto z : {zero_method::pratt, zero_method::wilcox})
      for (auto alt : alternatives) {
        wilcoxon_options o;
        o.zeros = z;
        o.mid_p = true;
        o.method = method_choice::exact;
        const auto r = wilcoxon_test(d, alt, o);
        const auto expected = brute_wilcoxon(d, z, alt);
        EXPECT_NEAR(r.p_value, expected.p, 1e-12);
        EXPECT_NEAR(*r.mid_p, expected.mid_p, 1e-12);
      }
}

TEST(Wilcoxon, ApproximationIsLabelledAndClose) {
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<int> ints(-5, 5);  // near the null: p-values of moderate size
  std::vector<double> d(300);
  for (auto& v : d) v = ints(rng);
  wilcoxon_options o;
  o.method = method_choice::approximate;
  const auto approx = wilcoxon_test(d, alternative::two_sided, o);
  EXPECT_FALSE(approx.exact);
  EXPECT_EQ(approx.method, "normal_approximation");
  o.method = method_choice::exact;
  const auto exact = wilcoxon_test(d, alternative::two_sided, o);
  EXPECT_TRUE(exact.exact);
  EXPECT_GT(exact.p_value, 0.01);
  // n = 300: the approximation error of the normal tail is well under 0.01 away from the tails.
  EXPECT_NEAR(approx.p_value, exact.p_value, 0.01);
}

// 5000 ordinal differences, |d| in 0..10: past the dense table, exact by inversion. No exact
// reference is computable here in test time (the table needs 4e10 additions; the inversion is
// checked against it up to n = 1500 in binomial_sum_tail_test), so the check is the Monte Carlo
// estimate within its error, and the labels.
TEST(Wilcoxon, TiedOrdinalDataAtN5000AreExactByInversion) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> ints(-10, 10);
  std::vector<double> d(5000);
  for (auto& v : d) v = ints(rng);
  wilcoxon_options o;
  o.mid_p = true;
  const auto automatic = wilcoxon_test(d, alternative::two_sided, o);
  EXPECT_TRUE(automatic.exact);
  EXPECT_EQ(automatic.method, "exact_inversion");
  ASSERT_TRUE(automatic.relative_error_bound.has_value());
  EXPECT_LT(*automatic.relative_error_bound, 1e-9);
  ASSERT_TRUE(automatic.mid_p.has_value());
  EXPECT_LT(*automatic.mid_p, automatic.p_value);
  EXPECT_GT(automatic.p_value, 0.01);  // data near the null: a p-value a Monte Carlo run can check
  o.method = method_choice::monte_carlo;
  o.resamples = 40000 / resample::test::sanitizer_slowdown;  // Monte Carlo SE about 0.0025 (0.008)
  const auto mc = wilcoxon_test(d, alternative::two_sided, o);
  EXPECT_NEAR(mc.p_value, automatic.p_value, 5 * *mc.mc_se);
  for (auto alt : {alternative::greater, alternative::less}) {
    o.method = method_choice::exact;
    const auto one_sided = wilcoxon_test(d, alt, o);
    EXPECT_EQ(one_sided.method, "exact_inversion");
    o.method = method_choice::monte_carlo;
    const auto one_sided_mc = wilcoxon_test(d, alt, o);
    EXPECT_NEAR(one_sided_mc.p_value, one_sided.p_value, 5 * *one_sided_mc.mc_se + 1e-5);
  }
}

TEST(Wilcoxon, MonteCarloAgreesWithExact) {
  const auto d = samples()[3];
  wilcoxon_options o;
  o.method = method_choice::monte_carlo;
  o.resamples = 200000;
  const auto mc = wilcoxon_test(d, alternative::two_sided, o);
  o.method = method_choice::exact;
  const auto exact = wilcoxon_test(d, alternative::two_sided, o);
  EXPECT_NEAR(mc.p_value, exact.p_value, 5 * *mc.mc_se + 1e-5);
}

TEST(RankTests, BadInput) {
  EXPECT_THROW(sign_test(std::vector<double>{0, 0}, alternative::two_sided), invalid_argument);
  EXPECT_THROW(wilcoxon_test(std::vector<double>{0, 0}, alternative::two_sided), invalid_argument);
  EXPECT_THROW(sign_test(std::vector<double>{}, alternative::two_sided), invalid_argument);
  // 20000 distinct values: 20000 tie groups of one, past both exact limits.
  std::vector<double> big(20000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = (i % 2 ? 1.0 : -0.5) * static_cast<double>(i + 1);
  wilcoxon_options o;
  o.method = method_choice::exact;
  EXPECT_THROW(wilcoxon_test(big, alternative::two_sided, o), infeasible_error);
  o.method = method_choice::automatic;
  const auto r = wilcoxon_test(big, alternative::two_sided, o);
  EXPECT_FALSE(r.exact);
  EXPECT_FALSE(r.notes.empty());
}

// The audit's reproductions (issue 14): at 1e-9 every |d| was "tied" under the old absolute floor,
// near 1e12 values a few hundred apart were.
TEST(Wilcoxon, AuditDataAtExtremeScalesMatchBruteForce) {
  std::vector<double> small;
  for (double v : {1.1176, 2.1351, 0.3287, 0.1405, -0.5582, 0.6494, 0.6645, -0.3597, 0.3675, 0.3819})
    small.push_back(v * 1e-9);
  const std::vector<double> large{5000000000071,  -3999999999634, 2000000000471,
                                  3000000000248,  -4999999999114, -3999999999011,
                                  -1999999999231, -999999999840,  -2999999999526};
  for (const auto& [d, expected] : {std::pair{small, 33.0 / 512}, std::pair{large, 73.0 / 128}}) {
    EXPECT_DOUBLE_EQ(brute_wilcoxon(d, zero_method::pratt, alternative::two_sided).p, expected);
    wilcoxon_options w;
    w.method = method_choice::exact;
    EXPECT_DOUBLE_EQ(wilcoxon_test(d, alternative::two_sided, w).p_value, expected);
    w.method = method_choice::monte_carlo;
    const auto r = wilcoxon_test(d, alternative::two_sided, w);
    ASSERT_TRUE(r.mc_se.has_value());
    EXPECT_GT(*r.mc_se, 0.0);
    EXPECT_NEAR(r.p_value, expected, 4 * *r.mc_se);
  }
}

}  // namespace
}  // namespace resample::inference
