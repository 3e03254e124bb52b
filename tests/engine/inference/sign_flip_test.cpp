#include "resample/inference/sign_flip.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "resample/error.hpp"
#include "support/paper_table.hpp"

namespace resample::inference {
namespace {

struct brute {
  double p;
  double mid_p;
};

// The conventions restated directly: every one of the 2^n sign patterns (zeros included) is
// evaluated with the multiset kernel; sum-type statistics compare T with the sum rule of the
// conventions ((3n + 2) eps * sum of swings, over n), others with the statistic's own rule.
brute brute_force(const std::vector<double>& d, const statistic& stat, alternative alt) {
  const std::size_t n = d.size();
  const double t = evaluate(stat, d);
  const bool sum_type = is_sum_type(stat);
  double swing = 0.0, centre = 0.0;
  for (double x : d) {
    if (stat.kind == statistic_kind::mean) swing += 2 * std::fabs(x);
    if (stat.kind == statistic_kind::prop_ge) {
      const double a = x >= stat.parameter, b = -x >= stat.parameter;
      swing += std::fabs(a - b);
      centre += 0.5 * (a + b) / static_cast<double>(n);
    }
    if (stat.kind == statistic_kind::superiority) {  // improved 1, unchanged 1/2, worse 0
      swing += x != 0.0;
      centre += 0.5 / static_cast<double>(n);
    }
  }
  const double tau = (3.0 * static_cast<double>(n) + 3.0) * machine_epsilon * swing / static_cast<double>(n);
  const value_equality equal = statistic_equality(stat, d);
  auto eq = [&](double a, double b) { return sum_type ? std::fabs(a - b) <= tau : equal(a, b); };
  double ge = 0, le = 0, geq = 0, leq = 0, amore = 0, aeq = 0;
  const double patterns = std::ldexp(1.0, static_cast<int>(n));
  std::vector<double> x(n);
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << n); ++mask) {
    for (std::size_t i = 0; i < n; ++i) x[i] = (mask >> i) & 1 ? -d[i] : d[i];
    const double v = evaluate(stat, x);
    if (eq(v, t))
      ++geq, ++leq;
    else if (v > t)
      ++ge;
    else
      ++le;
    const double a = std::fabs(v - centre), b = std::fabs(t - centre);
    if (eq(a, b))
      ++aeq;
    else if (a > b)
      ++amore;
  }
  auto pr = [&](double more, double equal) {
    return brute{(more + equal) / patterns, (more + equal / 2) / patterns};
  };
  if (alt == alternative::greater) return pr(ge, geq);
  if (alt == alternative::less) return pr(le, leq);
  if (stat.kind == statistic_kind::sd) {
    const auto g = pr(ge, geq), l = pr(le, leq);
    return {std::min(1.0, 2 * std::min(g.p, l.p)), std::min(1.0, 2 * std::min(g.mid_p, l.mid_p))};
  }
  return pr(amore, aeq);
}

std::vector<std::vector<double>> samples() {
  std::vector<std::vector<double>> out{
      {2, 9, 8, 10, 6, 4},
      {1, 1, 1, 0, 0, 3},
      {1.5, -2.25, 0, 3.1, 1.5, -0.7, 0, 2.2, 4.4, -1.1, 0.3, 2.2},
      {2, -1, 0, 3, 3, -2, 1, 0, 5, 1, -1, 4, 2, -3},
      {0.5, -1.5, 2, 2, -0.5, 0, 1.5, 3},
  };
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.4, 1.0);
  std::uniform_int_distribution<int> ints(-4, 6);
  std::vector<double> real(16), integer(16);
  for (auto& v : real) v = normal(rng);
  for (auto& v : integer) v = ints(rng);
  real[3] = real[7];  // a tie
  real[5] = 0.0;
  out.push_back(real);
  out.push_back(integer);
  return out;
}

const alternative alternatives[] = {alternative::two_sided, alternative::greater, alternative::less};

sign_flip_options with_mid_p() {
  sign_flip_options o;
  o.mid_p = true;
  return o;
}

TEST(SignFlip, PaperReferenceValues) {
  const std::vector<double>& pain = resample::test::paper::pain;
  const std::vector<double>& mobility = resample::test::paper::mobility;
  const auto mean = parse_statistic("mean");
  for (auto method : {method_choice::exact, method_choice::automatic}) {
    sign_flip_options o;
    o.method = method;
    EXPECT_DOUBLE_EQ(sign_flip_test(pain, mean, alternative::two_sided, o).p_value, 0.03125);
    EXPECT_DOUBLE_EQ(sign_flip_test(mobility, mean, alternative::two_sided, o).p_value, 0.125);
  }
  EXPECT_DOUBLE_EQ(sign_flip_gray(pain, mean, alternative::two_sided).p_value, 0.03125);
  EXPECT_DOUBLE_EQ(sign_flip_meet_in_middle(pain, alternative::two_sided).p_value, 0.03125);
  EXPECT_DOUBLE_EQ(sign_flip_lattice(mobility, mean, alternative::two_sided).p_value, 0.125);
  const auto r = sign_flip_test(pain, mean, alternative::two_sided);
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.smallest_attainable_p, 0.03125);
  ASSERT_TRUE(r.null_distribution.has_value());
  EXPECT_NEAR(resample::mean(*r.null_distribution), 0.0, 1e-12);
}

TEST(SignFlip, GrayCodeEqualsBruteForceForEveryStatistic) {
  for (const auto& d : samples()) {
    for (const char* spec :
         {"mean", "median", "trimmed:0.2", "sd", "prop_ge:1", "hl", "superiority", "rank_biserial"}) {
      const auto stat = parse_statistic(spec);
      for (auto alt : alternatives) {
        const auto expected = brute_force(d, stat, alt);
        const auto r = sign_flip_gray(d, stat, alt, with_mid_p());
        EXPECT_NEAR(r.p_value, expected.p, 1e-12) << spec << " n=" << d.size();
        ASSERT_TRUE(r.mid_p.has_value());
        EXPECT_NEAR(*r.mid_p, expected.mid_p, 1e-12) << spec << " n=" << d.size();
      }
    }
  }
}

TEST(SignFlip, MeetInTheMiddleAndLatticeEqualBruteForce) {
  const auto mean = parse_statistic("mean");
  const auto prop = parse_statistic("prop_ge:1");
  for (const auto& d : samples()) {
    for (auto alt : alternatives) {
      const auto expected = brute_force(d, mean, alt);
      const auto mitm = sign_flip_meet_in_middle(d, alt, with_mid_p());
      EXPECT_NEAR(mitm.p_value, expected.p, 1e-12);
      EXPECT_NEAR(*mitm.mid_p, expected.mid_p, 1e-12);
      if (detect_lattice(d)) {
        const auto lattice = sign_flip_lattice(d, mean, alt, with_mid_p());
        EXPECT_NEAR(lattice.p_value, expected.p, 1e-12);
        EXPECT_NEAR(*lattice.mid_p, expected.mid_p, 1e-12);
      }
      const auto expected_prop = brute_force(d, prop, alt);
      const auto lattice_prop = sign_flip_lattice(d, prop, alt, with_mid_p());
      EXPECT_NEAR(lattice_prop.p_value, expected_prop.p, 1e-12);
      EXPECT_NEAR(*lattice_prop.mid_p, expected_prop.mid_p, 1e-12);
    }
  }
}

TEST(SignFlip, ThreeExactAlgorithmsAgreeOnLargerLatticeData) {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> ints(-3, 7);
  std::vector<double> d(26);
  for (auto& v : d) v = ints(rng) * 0.5;
  const auto mean = parse_statistic("mean");
  for (auto alt : alternatives) {
    const double gray = sign_flip_gray(d, mean, alt).p_value;
    EXPECT_NEAR(sign_flip_meet_in_middle(d, alt).p_value, gray, 1e-12);
    EXPECT_NEAR(sign_flip_lattice(d, mean, alt).p_value, gray, 1e-12);
  }
}

TEST(SignFlip, NullDistributionsOfLatticeAndGrayCodeAgree) {
  const std::vector<double> d{2, -1, 0, 3, 3, -2, 1, 0, 5};
  const auto mean = parse_statistic("mean");
  const auto a = *sign_flip_gray(d, mean, alternative::two_sided).null_distribution;
  const auto b = *sign_flip_lattice(d, mean, alternative::two_sided).null_distribution;
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(a.atoms()[i].value, b.atoms()[i].value, 1e-12);
    EXPECT_NEAR(a.atoms()[i].weight, b.atoms()[i].weight, 1e-12);
  }
}

// The median as a registered statistic: the same kernel, but the Monte Carlo test then flips and
// sorts (the generic path), the oracle for its selection path.
struct median_by_sorting {
  static constexpr std::size_t minimum_n = statistics::median::minimum_n;
  static constexpr sign_flip_symmetry symmetry = statistics::median::symmetry;
  static double evaluation_cost(std::size_t n) { return statistics::median::evaluation_cost(n); }
  static constexpr double cost_exponent = statistics::median::cost_exponent;
  static constexpr double rounding_operations(std::size_t n) {
    return statistics::median::rounding_operations(n);
  }
  double operator()(std::span<const double> support, std::span<const std::uint32_t> counts,
                    std::size_t n) const {
    return statistics::median{}(support, counts, n);
  }
};
const statistic_definition& median_by_sorting_definition = register_statistic<median_by_sorting>(
    "median_by_sorting", "the median through the sorting path (test only)");

TEST(SignFlip, MonteCarloMedianBySelectionEqualsSorting) {
  std::mt19937_64 rng(8);
  std::uniform_int_distribution<int> score(-3, 3);
  std::normal_distribution<double> normal(0.3, 1.0);
  for (std::size_t n : {7u, 8u, 31u, 64u}) {
    for (bool ties : {true, false}) {
      std::vector<double> d(n);
      for (double& v : d) v = ties ? score(rng) : normal(rng);  // ties: zeros and equal |d| too
      sign_flip_options o;
      o.resamples = 5000;
      for (auto alt : {alternative::two_sided, alternative::greater, alternative::less}) {
        const auto selected = sign_flip_monte_carlo(d, parse_statistic("median"), alt, o);
        const auto sorted = sign_flip_monte_carlo(d, parse_statistic("median_by_sorting"), alt, o);
        EXPECT_EQ(selected.p_value, sorted.p_value) << "n " << n << (ties ? " ties" : "");
      }
    }
  }
}

TEST(SignFlip, MonteCarloIsCloseToExactAndIndependentOfThreads) {
  const auto d = samples()[2];
  for (const char* spec : {"mean", "median"}) {
    const auto stat = parse_statistic(spec);
    const double exact = sign_flip_gray(d, stat, alternative::two_sided).p_value;
    sign_flip_options o;
    o.resamples = 200000;
    o.exec.threads = 1;
    const auto one = sign_flip_monte_carlo(d, stat, alternative::two_sided, o);
    o.exec.threads = 2;
    const auto two = sign_flip_monte_carlo(d, stat, alternative::two_sided, o);
    EXPECT_EQ(one.p_value, two.p_value);
    EXPECT_FALSE(one.exact);
    ASSERT_TRUE(one.mc_se.has_value());
    EXPECT_NEAR(one.p_value, exact, 5 * *one.mc_se + 1.0 / 200001);
  }
}

TEST(SignFlip, MonteCarloNeverReturnsZero) {
  std::vector<double> d(40, 1.0);  // only the two constant patterns are as extreme
  sign_flip_options o;
  o.method = method_choice::monte_carlo;
  o.resamples = 1000;
  const auto r = sign_flip_test(d, parse_statistic("mean"), alternative::two_sided, o);
  EXPECT_DOUBLE_EQ(r.p_value, 1.0 / 1001);
  EXPECT_GT(*r.mc_se, 0.0);
}

TEST(SignFlip, BadInput) {
  const auto mean = parse_statistic("mean");
  EXPECT_THROW(sign_flip_test(std::vector<double>{0, 0, 0}, mean, alternative::two_sided), invalid_argument);
  EXPECT_THROW(sign_flip_test(std::vector<double>{}, mean, alternative::two_sided), invalid_argument);
  std::vector<double> big(40);
  for (std::size_t i = 0; i < big.size(); ++i)
    big[i] = 1.0 + 0.1234567 * std::sqrt(static_cast<double>(i) + 2);
  sign_flip_options o;
  o.method = method_choice::exact;
  EXPECT_THROW(sign_flip_test(big, parse_statistic("median"), alternative::two_sided, o), infeasible_error);
  try {
    sign_flip_test(big, parse_statistic("median"), alternative::two_sided, o);
  } catch (const infeasible_error& e) {
    EXPECT_NE(std::string(e.what()).find("2^40"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("; use method mc"), std::string::npos) << e.what();
    EXPECT_EQ(e.parameter(), "method");
  }
}

// The audit's reproduction (issue 14): at the scale 1e-9 the old absolute floor of 1e-9 made every
// pattern "equal" to the observed sum (p = 1, and a Monte Carlo p of 1 with mc_se 0).
TEST(SignFlip, AuditDataAtScale1e9MatchBruteForce) {
  std::vector<double> d;
  for (double v : {1.1176, 2.1351, 0.3287, 0.1405, -0.5582, 0.6494, 0.6645, -0.3597, 0.3675, 0.3819})
    d.push_back(v * 1e-9);
  sign_flip_options exact;
  exact.method = method_choice::exact;
  sign_flip_options mc;
  mc.method = method_choice::monte_carlo;
  mc.resamples = 20000;
  for (const auto& [name, expected] : {std::pair{"mean", 15.0 / 256}, std::pair{"median", 35.0 / 256}}) {
    SCOPED_TRACE(name);
    const statistic stat = parse_statistic(name);
    EXPECT_DOUBLE_EQ(brute_force(d, stat, alternative::two_sided).p, expected);
    EXPECT_DOUBLE_EQ(sign_flip_test(d, stat, alternative::two_sided, exact).p_value, expected);
    const auto r = sign_flip_test(d, stat, alternative::two_sided, mc);
    ASSERT_TRUE(r.mc_se.has_value());
    EXPECT_GT(*r.mc_se, 0.0);
    EXPECT_NEAR(r.p_value, expected, 4 * *r.mc_se);
  }
}

}  // namespace
}  // namespace resample::inference
