// Coverage by simulation against coverage computed exactly (every sample of the model enumerated,
// Student's t under normal data, the exact level of the Hodges-Lehmann interval), undefined
// intervals counted, and reproducibility across thread counts.

#include "resample/simulation/coverage.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <vector>

#include "resample/bootstrap/bootstrap.hpp"
#include "resample/error.hpp"
#include "resample/inference/estimates.hpp"
#include "support/paper_table.hpp"
#include "support/proportion_check.hpp"

namespace resample::simulation {
namespace {

using resample::test::expect_proportion_near;

using bootstrap::interval_method;

const method_coverage& find(const coverage_result& r, const std::string& name) {
  for (const auto& m : r.methods)
    if (m.method == name) return m;
  throw std::runtime_error("no method " + name);
}

TEST(Coverage, PercentileUnderThePainBootstrapModelMatchesFullEnumeration) {
  const std::vector<double>& pain = resample::test::paper::pain;
  const auto model = effect_model::bootstrap(pain);
  const statistic mean_stat{statistic_kind::mean, 0.0};
  ASSERT_DOUBLE_EQ(model.population_value(mean_stat), 6.5);

  // Exact coverage: all 6^6 equally likely ordered samples, each with its exact bootstrap.
  std::map<std::vector<double>, bool> covers;
  double exact = 0.0;
  std::vector<double> x(6);
  for (int code = 0; code < 46656; ++code) {
    int c = code;
    for (auto& v : x) {
      v = pain[static_cast<std::size_t>(c % 6)];
      c /= 6;
    }
    std::vector<double> key = x;
    std::sort(key.begin(), key.end());
    auto it = covers.find(key);
    if (it == covers.end()) {
      const auto d = bootstrap::exact_bootstrap_distribution(key, mean_stat);
      const double lower = quantile(d, 0.025), upper = quantile(d, 0.975);
      it = covers.emplace(key, lower <= 6.5 + 1e-9 && 6.5 - 1e-9 <= upper).first;
    }
    exact += it->second ? 1.0 / 46656.0 : 0.0;
  }

  coverage_options o;
  o.methods = {interval_method::percentile};
  o.t_interval = o.hodges_lehmann_interval = o.sign_flip_interval = false;
  o.trials = 4000;
  const auto r = simulate_coverage(model, 6, o);
  EXPECT_EQ(r.bootstrap_mode, "exact");
  const auto& p = find(r, "percentile");
  ASSERT_TRUE(p.coverage && p.mc_se);
  expect_proportion_near(*p.coverage, exact, 4000);
  EXPECT_EQ(p.undefined, 0u);
}

TEST(Coverage, TIntervalUnderNormalDataHasItsNominalLevel) {
  coverage_options o;
  o.methods.clear();
  o.hodges_lehmann_interval = o.sign_flip_interval = false;
  o.trials = 20000;
  const auto r = simulate_coverage(effect_model::normal(1.5, 2.0), 8, o);
  const auto& t = find(r, "t");
  EXPECT_DOUBLE_EQ(t.true_value, 1.5);
  expect_proportion_near(*t.coverage, 0.95, 20000);
}

// d_z's noncentral-t interval is exact for normal differences: at n = 4 (df = 3, where Boost's
// series divides by zero in floating point) and n = 10 it covers mean / sd at the level.
TEST(Coverage, StandardizedMeanChangeUnderNormalDataHasItsNominalLevel) {
  coverage_options o;
  select_coverage_intervals("dz", o);
  o.trials = 4000;
  for (std::size_t n : {4, 10}) {
    const auto r = simulate_coverage(effect_model::normal(1.5, 2.0), n, o);
    ASSERT_EQ(r.methods.size(), 1u);
    const auto& z = find(r, "noncentral_t");
    EXPECT_EQ(z.parameter, "d_z");
    EXPECT_DOUBLE_EQ(z.true_value, 0.75);
    EXPECT_EQ(z.undefined, 0u);
    expect_proportion_near(*z.coverage, 0.95, 4000);
  }
  // A model without spread has no d_z: refused, not a column of NaN.
  EXPECT_THROW(simulate_coverage(effect_model::discrete({2.0}, {1.0}), 6, o), resample::invalid_argument);
}

// A batch job's stop flag: set, the run ends with cancelled_error; clear, it changes nothing.
TEST(Coverage, StopFlagEndsTheRunAndOtherwiseChangesNothing) {
  coverage_options o;
  o.trials = 200;
  const auto model = effect_model::normal(1.5, 2.0);
  const auto plain = simulate_coverage(model, 8, o);
  std::atomic<bool> stop{false};
  o.exec.cancel = &stop;
  const auto flagged = simulate_coverage(model, 8, o);
  ASSERT_EQ(flagged.methods.size(), plain.methods.size());
  for (std::size_t i = 0; i < plain.methods.size(); ++i)
    EXPECT_EQ(flagged.methods[i].covered, plain.methods[i].covered) << plain.methods[i].method;
  stop = true;
  EXPECT_THROW(simulate_coverage(model, 8, o), cancelled_error);
}

TEST(Coverage, HodgesLehmannUnderContinuousSymmetricDataHasItsExactLevel) {
  coverage_options o;
  o.methods.clear();
  o.t_interval = o.sign_flip_interval = false;
  o.trials = 20000;
  const auto r = simulate_coverage(effect_model::normal(0.0, 1.0), 8, o);
  const std::vector<double> any{0.1, -0.7, 1.3, 2.2, -0.4, 0.9, 0.05, -1.6};
  const double level = *inference::hodges_lehmann_interval(any, 0.95).achieved_level;
  const auto& h = find(r, "hodges_lehmann");
  expect_proportion_near(*h.coverage, level, 20000);
}

TEST(Coverage, UndefinedIntervalsAreCountedNotDropped) {
  // Constant samples (probability 0.7^4 + 0.3^4) have zero jackknife variance: BCa is undefined
  // there. The t interval of a constant sample is defined (zero width at the sample value).
  coverage_options o;
  o.methods = {interval_method::percentile, interval_method::bca};
  o.hodges_lehmann_interval = o.sign_flip_interval = false;
  o.trials = 3000;
  const auto r = simulate_coverage(effect_model::discrete({0, 1}, {0.7, 0.3}), 4, o);
  const auto& bca = find(r, "bca");
  const auto& t = find(r, "t");
  EXPECT_EQ(t.undefined, 0u);
  EXPECT_GT(bca.undefined, 0u);
  EXPECT_EQ(find(r, "percentile").undefined, 0u);
  const double p = std::pow(0.7, 4) + std::pow(0.3, 4);
  expect_proportion_near(static_cast<double>(bca.undefined) / 3000.0, p, 3000);
  ASSERT_TRUE(bca.coverage);
  EXPECT_DOUBLE_EQ(bca.coverage_all_trials, static_cast<double>(bca.covered) / 3000.0);
  EXPECT_DOUBLE_EQ(*bca.coverage,
                   static_cast<double>(bca.covered) / static_cast<double>(3000 - bca.undefined));
}

TEST(Coverage, IdenticalForOneAndTwoThreadsIncludingMonteCarloBootstraps) {
  const std::vector<double> mobility{1, 1, 1, 0, 0, 3};
  const auto model = effect_model::bootstrap(mobility);
  coverage_options o;
  o.trials = 150;
  o.exact_max_n = 6;  // n = 7 below runs the Monte Carlo bootstrap inside each trial
  o.bootstrap_resamples = 500;
  for (std::size_t n : {6u, 7u}) {
    o.exec.threads = 1;
    const auto one = simulate_coverage(model, n, o);
    o.exec.threads = 2;
    const auto two = simulate_coverage(model, n, o);
    EXPECT_EQ(one.bootstrap_mode, n == 6 ? "exact" : "monte-carlo (B = 500 per trial)");
    ASSERT_EQ(one.methods.size(), 8u);
    for (std::size_t i = 0; i < one.methods.size(); ++i) {
      EXPECT_EQ(one.methods[i].covered, two.methods[i].covered);
      EXPECT_EQ(one.methods[i].undefined, two.methods[i].undefined);
      EXPECT_EQ(one.methods[i].mean_length, two.methods[i].mean_length);
    }
  }
}

TEST(Coverage, CalibratedIntervalOnRequestInItsRequestedColumn) {
  const std::vector<double>& pain = resample::test::paper::pain;
  coverage_options o;
  o.methods = {interval_method::calibrated, interval_method::percentile};
  o.t_interval = o.hodges_lehmann_interval = o.sign_flip_interval = false;
  o.trials = 120;
  o.exec.threads = 1;
  const auto one = simulate_coverage(effect_model::bootstrap(pain), 5, o);
  o.exec.threads = 2;
  const auto two = simulate_coverage(effect_model::bootstrap(pain), 5, o);
  ASSERT_EQ(one.methods.size(), 2u);
  EXPECT_EQ(one.methods[0].method, "calibrated");
  EXPECT_EQ(one.methods[1].method, "percentile");
  EXPECT_EQ(one.methods[0].covered, two.methods[0].covered);
  EXPECT_EQ(one.methods[0].mean_length, two.methods[0].mean_length);
  EXPECT_EQ(one.methods[0].undefined, 0u);
  // The percentile interval under-covers in the bootstrap world at n = 5, so calibration widens it
  // (to a nominal level above 0.95) in the typical trial: longer on average and covering more often.
  EXPECT_GE(*one.methods[0].mean_length, *one.methods[1].mean_length);
  EXPECT_GE(one.methods[0].covered, one.methods[1].covered);
}

TEST(Coverage, RejectsBadOptions) {
  const auto model = effect_model::normal(0, 1);
  coverage_options o;
  o.trials = 0;
  EXPECT_THROW(simulate_coverage(model, 6, o), invalid_argument);
  o.trials = 10;
  o.level = 1.0;
  EXPECT_THROW(simulate_coverage(model, 6, o), invalid_argument);
  o.level = 0.95;
  EXPECT_THROW(simulate_coverage(model, 1, o), invalid_argument);
  o.stat = statistic{statistic_kind::trimmed_mean, 0.1};
  EXPECT_THROW(simulate_coverage(effect_model::discrete({1, 2}, {0.5, 0.5}), 6, o), invalid_argument);
}

TEST(EffectModel, PopulationValuesOfADiscreteLaw) {
  const auto m = effect_model::parse_discrete("-1:0.1,0:0.3,1:0.4,3:0.2");
  EXPECT_NEAR(m.population_value({statistic_kind::mean, 0}), 0.9, 1e-12);
  EXPECT_NEAR(m.population_value({statistic_kind::prop_ge, 1}), 0.6, 1e-12);
  EXPECT_EQ(m.population_value({statistic_kind::median, 0}), 1.0);  // F(0) = 0.4 < 1/2 <= F(1)
  const auto even = effect_model::discrete({0, 2}, {0.5, 0.5});
  EXPECT_EQ(even.population_value({statistic_kind::median, 0}), 1.0);  // F(0) = 1/2 exactly: midpoint
  // Pseudo-median of {0, 2} equally likely: (X1 + X2)/2 is 0, 1, 2 w.p. 1/4, 1/2, 1/4.
  EXPECT_EQ(even.population_value({statistic_kind::hl, 0}), 1.0);
  EXPECT_NEAR(even.population_value({statistic_kind::sd, 0}), 1.0, 1e-12);
  const auto shifted = effect_model::shift(std::vector<double>{2, 9, 8, 10, 6, 4}, 0.0);
  EXPECT_NEAR(shifted.population_value({statistic_kind::mean, 0}), 0.0, 1e-12);
}

// Under a law symmetric about its mean the sign-flip null holds at the true shift, so the set
// covers with at least its attained level, 62/64 at n = 6 (exactly for continuous laws).
TEST(Coverage, SignFlipSetCoversAtItsAttainedLevelUnderASymmetricLaw) {
  coverage_options o;
  o.methods.clear();
  o.t_interval = o.hodges_lehmann_interval = false;
  o.trials = 4000;
  const auto r = simulate_coverage(effect_model::normal(1.5, 2.0), 6, o);
  ASSERT_EQ(r.methods.size(), 1u);
  EXPECT_EQ(r.methods[0].method, "signflip");
  EXPECT_EQ(r.methods[0].parameter, "mean");
  ASSERT_TRUE(r.methods[0].coverage && r.methods[0].mc_se);
  EXPECT_NEAR(*r.methods[0].coverage, 62.0 / 64.0, 4.0 * std::sqrt(62.0 / 64.0 * 2.0 / 64.0 / 4000.0));
  // An asymmetric discrete law: at least the attained level is no longer promised; the column
  // still reports what it measured.
  const auto skewed = simulate_coverage(effect_model::parse_discrete("-1:0.1,0:0.3,1:0.4,3:0.2"), 6, o);
  EXPECT_TRUE(skewed.methods[0].coverage.has_value());
}

// The one vocabulary of `resample coverage --ci` and Python's coverage(ci=).
TEST(Coverage, IntervalNamesSelectMethodsInOrderOnceEach) {
  coverage_options o;
  select_coverage_intervals("hl,bca,percentile,bca", o);
  EXPECT_EQ(o.methods, (std::vector<interval_method>{interval_method::bca, interval_method::percentile}));
  EXPECT_TRUE(o.hodges_lehmann_interval);
  EXPECT_FALSE(o.t_interval);
  EXPECT_FALSE(o.sign_flip_interval);

  select_coverage_intervals("all", o);
  auto everything = bootstrap::all_interval_methods();
  everything.push_back(interval_method::calibrated);  // the bootstrap's "all" has it too
  EXPECT_EQ(o.methods, everything);
  EXPECT_TRUE(o.t_interval && o.hodges_lehmann_interval && o.sign_flip_interval);
  EXPECT_TRUE(o.standardized_mean_change_interval);

  try {
    select_coverage_intervals("t,signflop", o);
    FAIL() << "an unknown name must be refused";
  } catch (const resample::invalid_argument& e) {
    EXPECT_EQ(e.parameter(), "intervals");
    EXPECT_NE(std::string(e.reason()).find("'signflop'"), std::string::npos);
    EXPECT_NE(std::string(e.reason()).find("signflip"), std::string::npos);  // did you mean
  }
  EXPECT_THROW(select_coverage_intervals("t,,hl", o), resample::invalid_argument);
}

TEST(Coverage, ExactMaxNAboveTheLimitIsRefused) {
  coverage_options o;
  o.exact_max_n = coverage_exact_max_n_limit + 1;
  o.trials = 1;
  const auto model = effect_model::bootstrap(std::vector<double>{1, 2, 3});
  EXPECT_THROW((void)simulate_coverage(model, 4, o), resample::invalid_argument);
}

}  // namespace
}  // namespace resample::simulation
