#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "resample/bootstrap/bootstrap.hpp"
#include "resample/bootstrap/convolution.hpp"
#include "resample/bootstrap/exact_enumeration.hpp"
#include "resample/bootstrap/intervals.hpp"
#include "resample/bootstrap/jackknife.hpp"
#include "support/paper_table.hpp"

namespace resample::bootstrap {
namespace {

using resample::test::paper::mobility;
using resample::test::paper::pain;
const std::vector<double> real_valued{2.25, -1.5, 0.125, 3.0, 2.25};

// Calls f(resample) for every one of the n^n ordered resamples. Not inlined: GCC 12 inlines it
// into its callers and then misreports -Wfree-nonheap-object on the index vector.
template <class F>
[[gnu::noinline]] void for_each_ordered_resample(const std::vector<double>& x, F&& f) {
  const std::size_t n = x.size();
  std::vector<std::size_t> index(n, 0);
  std::vector<double> resample(n);
  while (true) {
    for (std::size_t i = 0; i < n; ++i) resample[i] = x[index[i]];
    f(resample);
    std::size_t i = 0;
    while (i < n && ++index[i] == n) index[i++] = 0;
    if (i == n) return;
  }
}

weighted_distribution brute_force_distribution(const std::vector<double>& x, const statistic& stat) {
  std::vector<double> values;
  for_each_ordered_resample(x, [&](const std::vector<double>& r) { values.push_back(evaluate(stat, r)); });
  // Multisets with the same exact value can round apart: merged by the conventions' one rule.
  return weighted_distribution::from_sample(values, statistic_equality(stat, x));
}

void expect_same_distribution(const weighted_distribution& a, const weighted_distribution& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(a.atoms()[i].value, b.atoms()[i].value, 1e-9 * std::max(1.0, std::fabs(a.atoms()[i].value)));
    EXPECT_NEAR(a.atoms()[i].weight, b.atoms()[i].weight, 1e-12);
  }
}

void expect_same_interval(const interval& a, const interval& b) {
  EXPECT_EQ(a.method, b.method);
  ASSERT_EQ(a.lower.has_value(), b.lower.has_value())
      << to_string(a.method) << " " << a.note << " / " << b.note;
  ASSERT_EQ(a.upper.has_value(), b.upper.has_value());
  if (a.lower) {
    EXPECT_NEAR(*a.lower, *b.lower, 1e-9) << to_string(a.method);
  }
  if (a.upper) {
    EXPECT_NEAR(*a.upper, *b.upper, 1e-9) << to_string(a.method);
  }
}

double sample_sd(const std::vector<double>& r) {
  double m = 0.0;
  for (double v : r) m += v;
  m /= static_cast<double>(r.size());
  double s = 0.0;
  for (double v : r) s += (v - m) * (v - m);
  return std::sqrt(s / static_cast<double>(r.size() - 1));
}

// The jackknife SE straight from its definition on the n values, each left out in turn (no
// multiset): the reference for multiset_jackknife_se. Leave-one-out values within the statistic's
// rounding tolerance of each other are one value (se = 0), the engine's rule.
double brute_force_jackknife_se(const std::vector<double>& r, const statistic& stat) {
  const std::size_t n = r.size();
  std::vector<double> theta;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> rest;
    for (std::size_t j = 0; j < n; ++j)
      if (j != i) rest.push_back(r[j]);
    theta.push_back(evaluate(stat, rest));
  }
  const auto [lo, hi] = std::minmax_element(theta.begin(), theta.end());
  if (statistic_equality(stat, r)(*lo, *hi)) return 0.0;
  double mean = 0.0;
  for (double v : theta) mean += v;
  mean /= static_cast<double>(n);
  double squares = 0.0;
  for (double v : theta) squares += (v - mean) * (v - mean);
  return std::sqrt(squares * static_cast<double>(n - 1) / static_cast<double>(n));
}

// Brute-force exact bootstrap of the statistic on the whole ordered-resample space, then the
// intervals from the shared interval code; studentized from brute-force se* (analytic for sum-type
// statistics, otherwise the leave-one-out jackknife of each resample or a brute-force nested
// bootstrap).
std::vector<interval> brute_force_intervals(const std::vector<double>& x, const statistic& stat,
                                            studentized_se_method se_method) {
  const bool nested = se_method == studentized_se_method::nested;
  const auto d = brute_force_distribution(x, stat);
  const double t = evaluate(stat, x);
  const double n = static_cast<double>(x.size());
  const bool sum_type = is_sum_type(stat);
  auto score_sd_se = [&](const std::vector<double>& r) {
    std::vector<double> scores;
    for (double v : r) scores.push_back(evaluate(stat, std::vector<double>{v, v}));  // mean of one score
    return sample_sd(scores) / std::sqrt(n);
  };
  std::vector<double> t_values;
  double se_hat = 0.0;
  if (sum_type) {
    se_hat = score_sd_se(x);
    for_each_ordered_resample(x, [&](const std::vector<double>& r) {
      const double se = score_sd_se(r);
      if (se > 0.0) t_values.push_back((evaluate(stat, r) - t) / se);
    });
  } else if (nested) {
    se_hat = standard_deviation(d);
    for_each_ordered_resample(x, [&](const std::vector<double>& r) {
      const double se = standard_deviation(brute_force_distribution(r, stat));
      if (se > 0.0) t_values.push_back((evaluate(stat, r) - t) / se);
    });
  } else {
    se_hat = brute_force_jackknife_se(x, stat);
    for_each_ordered_resample(x, [&](const std::vector<double>& r) {
      const double se = brute_force_jackknife_se(r, stat);
      if (se > 0.0) t_values.push_back((evaluate(stat, r) - t) / se);
    });
  }
  const auto t_distribution =
      t_values.empty() ? weighted_distribution{} : weighted_distribution::from_sample(t_values);
  interval_request request;
  request.distribution = &d;
  request.estimate = t;
  request.level = 0.95;
  request.methods = all_interval_methods();
  const auto jackknife = jackknife_estimates(x, stat);
  request.jackknife = jackknife;
  // se = 0 for the data (a jackknife with every leave-one-out value equal): studentized undefined.
  if (!t_values.empty() && se_hat > 0.0) {
    request.studentized.distribution = &t_distribution;
    request.studentized.standard_error = se_hat;
  }
  return compute_intervals(request);
}

TEST(ExactBootstrap, EnumerationEqualsBruteForceForEveryStatisticAndInterval) {
  const std::vector<std::string> stats{"mean",      "median", "trimmed:0.2", "sd",
                                       "prop_ge:3", "hl",     "superiority", "rank_biserial"};
  for (const auto* sample : {&pain, &mobility, &real_valued}) {
    for (const auto& name : stats) {
      SCOPED_TRACE(name);
      const statistic stat = parse_statistic(name);
      const auto brute = brute_force_distribution(*sample, stat);
      const auto exact = enumerate_bootstrap(*sample, stat);
      expect_same_distribution(exact.distribution, brute);
      expect_same_distribution(exact_bootstrap_distribution(*sample, stat), brute);

      bootstrap_options options;
      options.stat = stat;
      options.requested = method::exact;
      options.se_method = studentized_se_method::jackknife;
      options.intervals = all_interval_methods();
      const auto result = bootstrap(*sample, options);
      EXPECT_EQ(result.mode_run, mode::exact);
      EXPECT_NEAR(result.se, standard_deviation(brute), 1e-12);
      // Studentized with the jackknife se* of each multiset against the leave-one-out
      // jackknife of every ordered resample (the nested se* is checked at n = 4 below).
      const auto expected = brute_force_intervals(*sample, stat, studentized_se_method::jackknife);
      ASSERT_EQ(result.intervals.size(), expected.size());
      for (std::size_t i = 0; i < expected.size(); ++i)
        expect_same_interval(result.intervals[i], expected[i]);
    }
  }
}

TEST(ExactBootstrap, NestedStudentizedEqualsBruteForce) {
  const std::vector<double> x{4, -1, 2.5, 7};
  for (const char* name : {"median", "sd", "hl", "trimmed:0.25"}) {
    SCOPED_TRACE(name);
    bootstrap_options options;
    options.stat = parse_statistic(name);
    options.requested = method::exact;
    options.intervals = {interval_method::studentized};
    options.se_method = studentized_se_method::nested;
    const auto result = bootstrap(x, options);
    const auto expected = brute_force_intervals(x, options.stat, studentized_se_method::nested);
    expect_same_interval(result.intervals.at(0), expected.at(3));
  }
}

TEST(ExactBootstrap, ResampleCountIsDistinctMultisets) {
  bootstrap_options options;
  const auto result = bootstrap(pain, options);
  ASSERT_TRUE(result.resamples.has_value());
  EXPECT_EQ(*result.resamples, 462.0);
  EXPECT_EQ(multiset_count(6), 462.0);
  EXPECT_EQ(bootstrap(mobility, options).resamples.value(), 462.0);
}

TEST(ExactBootstrap, EnumerationEqualsConvolution) {
  const std::vector<std::vector<double>> samples{
      pain, mobility, {0.5, 1.5, 2.25, -0.75, 0.5, 3.0, 1.25}, {-3, 4, 4, 10}};
  for (const auto& x : samples) {
    for (const char* name : {"mean", "prop_ge:1", "prop_ge:4"}) {
      SCOPED_TRACE(name);
      const statistic stat = parse_statistic(name);
      const auto convolved = convolution_bootstrap(x, stat);
      ASSERT_TRUE(convolved.has_value());
      expect_same_distribution(*convolved, enumerate_bootstrap(x, stat).distribution);
    }
  }
  EXPECT_FALSE(convolution_bootstrap(std::vector<double>{0.0, 1.0, std::sqrt(2.0)}, parse_statistic("mean")));
  EXPECT_FALSE(convolution_bootstrap(pain, parse_statistic("median")));
}

TEST(ExactBootstrap, ConvolutionAtLargeNHasTheBootstrapMoments) {
  // n = 1000 pain-like ordinal values: E* mean = sample mean, Var* = sigma_hat^2 / n (divisor n).
  std::vector<double> x;
  for (int i = 0; i < 1000; ++i) x.push_back(static_cast<double>((i * 7 + i / 13) % 11));
  const auto d = convolution_bootstrap(x, parse_statistic("mean"));
  ASSERT_TRUE(d.has_value());
  double m = 0.0, v = 0.0;
  for (double value : x) m += value;
  m /= 1000;
  for (double value : x) v += (value - m) * (value - m);
  v /= 1000;
  EXPECT_NEAR(mean(*d), m, 1e-10);
  EXPECT_NEAR(standard_deviation(*d), std::sqrt(v / 1000), 1e-10);
}

TEST(ExactBootstrap, LatticeDetection) {
  const std::vector<double> tenths{0.1, 0.4, 1.0};
  const auto l = find_score_lattice(tenths);
  ASSERT_TRUE(l.has_value());
  EXPECT_NEAR(l->step, 0.3, 1e-12);
  EXPECT_EQ(l->index, (std::vector<std::uint32_t>{0, 1, 3}));
  const std::vector<double> integers{-4, 2, 8};
  EXPECT_NEAR(find_score_lattice(integers)->step, 6.0, 1e-12);
  const std::vector<double> irrational{0, 1, std::sqrt(2.0)};
  EXPECT_FALSE(find_score_lattice(irrational).has_value());
  const std::vector<double> constant{5, 5};
  EXPECT_EQ(find_score_lattice(constant)->max_index, 0u);
}

// Lattice detection depends on the data's own scale only: the same lattice at 2^-40 and 1e-9.
TEST(ExactBootstrap, LatticeDetectionAtAnyScale) {
  for (double c : {0x1p-40, 1e-9, 1e-3, 1e6, 1e12}) {
    SCOPED_TRACE(c);
    const std::vector<double> tenths{0.1 * c, 0.4 * c, 1.0 * c};
    const auto l = find_score_lattice(tenths);
    ASSERT_TRUE(l.has_value());
    EXPECT_NEAR(l->step, 0.3 * c, 1e-12 * c);
    EXPECT_EQ(l->index, (std::vector<std::uint32_t>{0, 1, 3}));
    // 1e-10 apart at the scale of 5 is far beyond rounding: two values one step of 1e-10 apart
    // (this was a division by a zero gcd).
    const std::vector<double> near_constant{5 * c, 5.0000000001 * c, 5 * c, 5 * c};
    const auto two_values = find_score_lattice(near_constant);
    ASSERT_TRUE(two_values.has_value());
    EXPECT_EQ(two_values->index, (std::vector<std::uint32_t>{0, 1, 0, 0}));
    EXPECT_NEAR(two_values->step, 1e-10 * c, 1e-15 * c);
  }
}

// Every interval defined, each endpoint within `tolerance` of the brute force's.
void expect_intervals_near(const std::vector<interval>& got, const std::vector<interval>& expected,
                           double tolerance) {
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(to_string(expected[i].method));
    ASSERT_TRUE(got[i].lower.has_value()) << got[i].note;
    EXPECT_NEAR(*got[i].lower, *expected[i].lower, tolerance);
    EXPECT_NEAR(*got[i].upper, *expected[i].upper, tolerance);
  }
}

// The exact bootstrap of `x`, expected to have as many atoms as the brute force.
bootstrap_result exact_bootstrap_as_brute_force(const std::vector<double>& x, bootstrap_options& options,
                                                const weighted_distribution& brute) {
  options.requested = method::exact;
  auto result = bootstrap(x, options);
  EXPECT_EQ(result.distribution.size(), brute.size());
  return result;
}

// The audit's reproductions (issue 14): wrong at scales far from 1 under the old absolute floor.
TEST(ExactBootstrap, AuditDataAtScale1e9MatchBruteForce) {
  std::vector<double> x;
  for (double v : {-1.6203, -0.5141, -0.1676, -0.8932, -1.1925, 0.3366, 1.1972}) x.push_back(v * 1e-9);
  const statistic stat = parse_statistic("mean");
  const auto brute = brute_force_distribution(x, stat);
  bootstrap_options options;
  const auto result = exact_bootstrap_as_brute_force(x, options, brute);
  EXPECT_NEAR(result.se, standard_deviation(brute), 1e-12 * 1.6203e-9);
  EXPECT_NEAR(result.se, 3.3566e-10, 0.00005e-10);
  expect_intervals_near(result.intervals, brute_force_intervals(x, stat, studentized_se_method::jackknife),
                        1e-12 * 1.6203e-9);
  const auto& percentile = result.intervals[0];
  EXPECT_NEAR(*percentile.lower, -1.02934e-9, 0.000005e-9);
  EXPECT_NEAR(*percentile.upper, 2.69957e-10, 0.000005e-10);
  const auto& bca = result.intervals[4];
  ASSERT_EQ(bca.method, interval_method::bca);
  EXPECT_NEAR(*bca.lower, -9.8589e-10, 0.00005e-10);
  EXPECT_NEAR(*bca.upper, 3.3619e-10, 0.00005e-10);
}

TEST(ExactBootstrap, AuditDataNear1e12MatchBruteForce) {
  const std::vector<double> x{1000000000000, 1000000000003, 999999999998,
                              1000000000001, 1000000000007, 999999999990};
  const statistic stat = parse_statistic("mean");
  const auto brute = brute_force_distribution(x, stat);
  bootstrap_options options;
  const auto result = exact_bootstrap_as_brute_force(x, options, brute);
  // Means near 1e12 are doubles 2^-13 apart: the two routes' atoms may differ by a few of those.
  const double ulp = std::ldexp(1.0, 39 - 52);
  EXPECT_NEAR(result.se, standard_deviation(brute), 4 * ulp);
  EXPECT_NEAR(result.se, 2.1268, 0.00005);
  EXPECT_NEAR(*result.intervals[0].lower, 999999999995.33, 0.005);
  EXPECT_NEAR(*result.intervals[0].upper, 1000000000003.67, 0.005);
  expect_intervals_near(result.intervals, brute_force_intervals(x, stat, studentized_se_method::jackknife),
                        8 * ulp);
  // Monte Carlo: the same distribution up to its reported error.
  options.requested = method::monte_carlo;
  options.resamples = 20000;
  const auto mc = bootstrap(x, options);
  ASSERT_TRUE(mc.mc_se_se.has_value());
  EXPECT_NEAR(mc.se, result.se, 4 * *mc.mc_se_se);
  ASSERT_TRUE(mc.intervals[0].mc_se_lower.has_value());
  EXPECT_GT(*mc.intervals[0].mc_se_lower, 0.0);
  // Within four reported errors, plus one atom (1/6): the quantile of a discrete law moves by atoms.
  EXPECT_NEAR(*mc.intervals[0].lower, *result.intervals[0].lower, 4 * *mc.intervals[0].mc_se_lower + 1.0 / 6);
}

TEST(ExactBootstrap, NearConstantDataAreEnumeratedNotCrashed) {
  // 5, 5.0000000001, 5, 5: once a SIGFPE in the lattice detector.
  const std::vector<double> x{5, 5.0000000001, 5, 5};
  const statistic stat = parse_statistic("mean");
  const auto brute = brute_force_distribution(x, stat);
  bootstrap_options options;
  options.requested = method::exact;
  const auto result = bootstrap(x, options);
  expect_same_distribution(result.distribution, brute);
  EXPECT_EQ(result.distribution.size(), 5u);  // 0 to 4 draws of the odd value
  EXPECT_GT(result.se, 0.0);
}

TEST(ExactBootstrap, RefusesInfeasibleEnumerationWithItsSize) {
  std::vector<double> x;
  for (int i = 0; i < 40; ++i) x.push_back(i * std::sqrt(2.0));
  bootstrap_options options;
  options.stat = parse_statistic("median");
  options.requested = method::exact;
  try {
    bootstrap(x, options);
    FAIL() << "expected infeasible_error";
  } catch (const infeasible_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("n = 40"), std::string::npos) << message;
    EXPECT_NE(message.find("5.38e+22"), std::string::npos) << message;
    EXPECT_NE(message.find("; use method mc"), std::string::npos) << message;  // engine words, not a CLI flag
    ASSERT_EQ(e.remedies().size(), 1u);
    EXPECT_EQ(e.remedies()[0].parameter, "method");
  }
}

TEST(ExactBootstrap, ZeroJackknifeVarianceLeavesBcaUndefined) {
  const std::vector<double> x{3, 3, 3, 3};
  bootstrap_options options;
  const auto result = bootstrap(x, options);
  for (const auto& i : result.intervals) {
    if (i.method == interval_method::bca) {
      EXPECT_FALSE(i.lower.has_value());
      EXPECT_NE(i.note.find("zero jackknife variance"), std::string::npos) << i.note;
    }
    if (i.lower) {
      EXPECT_TRUE(std::isfinite(*i.lower));
      EXPECT_TRUE(std::isfinite(*i.upper));
    }
  }
}

// The exact bootstrap mean of a mean of scores is the estimate, so the bias of a sum-type statistic
// is 0 rather than the rounding of the distribution's weighted mean (1e-14 for the pain data), by
// enumeration and by convolution alike, and the normal interval is centred on the estimate.
TEST(ExactBootstrap, SumTypeBiasIsExactlyZero) {
  const std::vector<double> large = [] {  // n = 1000: the convolution path
    std::vector<double> x;
    for (int i = 0; i < 1000; ++i) x.push_back(static_cast<double>((i * 7 + i / 13) % 11));
    return x;
  }();
  for (const auto* sample : {&pain, &mobility, &real_valued, &large}) {
    for (const char* name : {"mean", "prop_ge:3"}) {
      SCOPED_TRACE(std::to_string(sample->size()) + " " + name);
      bootstrap_options options;
      options.stat = parse_statistic(name);
      options.requested = method::exact;
      options.intervals = {interval_method::normal};
      const auto result = bootstrap(*sample, options);
      EXPECT_EQ(result.bias, 0.0);
      const auto& normal = result.intervals.at(0);
      ASSERT_TRUE(normal.lower && normal.upper) << normal.note;
      EXPECT_DOUBLE_EQ((*normal.lower + *normal.upper) / 2, result.estimate);
    }
  }
  // Other statistics have a real bias, from the distribution.
  bootstrap_options median;
  median.stat = parse_statistic("median");
  median.requested = method::exact;
  const auto result = bootstrap(pain, median);
  EXPECT_NE(result.bias, 0.0);
  EXPECT_DOUBLE_EQ(result.bias, mean(result.distribution) - result.estimate);
}

}  // namespace
}  // namespace resample::bootstrap
