#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "resample/bootstrap/bootstrap.hpp"
#include "resample/bootstrap/exact_enumeration.hpp"
#include "resample/bootstrap/monte_carlo.hpp"
#include "support/paper_table.hpp"

namespace resample::bootstrap {
namespace {

using resample::test::paper::pain;

std::vector<double> ordinal_sample(std::size_t n) {
  std::vector<double> x;
  for (std::size_t i = 0; i < n; ++i) x.push_back(static_cast<double>((i * 7 + i / 13) % 11));
  return x;
}

// Monte Carlo endpoints must lie within 4 of their reported MC SEs of the exact endpoints.
void expect_converges(const std::vector<double>& x, const char* stat, std::vector<interval_method> methods,
                      std::uint64_t resamples) {
  SCOPED_TRACE(stat);
  bootstrap_options exact_options;
  exact_options.stat = parse_statistic(stat);
  exact_options.requested = method::exact;
  exact_options.intervals = methods;
  const auto exact = bootstrap(x, exact_options);
  ASSERT_EQ(exact.mode_run, mode::exact);
  for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
    SCOPED_TRACE(seed);
    bootstrap_options mc_options = exact_options;
    mc_options.requested = method::monte_carlo;
    mc_options.resamples = resamples;
    mc_options.seed = seed;
    const auto mc = bootstrap(x, mc_options);
    ASSERT_EQ(mc.mode_run, mode::monte_carlo);
    ASSERT_TRUE(mc.mc_se_se.has_value());
    EXPECT_LE(std::fabs(mc.se - exact.se), 4 * *mc.mc_se_se + 1e-12);
    for (std::size_t i = 0; i < methods.size(); ++i) {
      const auto& e = exact.intervals[i];
      const auto& m = mc.intervals[i];
      SCOPED_TRACE(to_string(m.method));
      ASSERT_TRUE(e.lower && m.lower) << e.note << m.note;
      ASSERT_TRUE(m.mc_se_lower && m.mc_se_upper);
      EXPECT_LE(std::fabs(*m.lower - *e.lower), 4 * *m.mc_se_lower + 1e-9) << *m.lower << " vs " << *e.lower;
      EXPECT_LE(std::fabs(*m.upper - *e.upper), 4 * *m.mc_se_upper + 1e-9) << *m.upper << " vs " << *e.upper;
    }
  }
}

TEST(MonteCarloBootstrap, ConvergesToExactOnLatticeHistogramPath) {
  expect_converges(pain, "mean", all_interval_methods(), 20000);
  expect_converges(pain, "prop_ge:5", {interval_method::percentile, interval_method::normal}, 20000);
}

TEST(MonteCarloBootstrap, ConvergesToExactOnStoredReplicatePath) {
  // Eight distinct irrational values: 6435 multisets, atoms far lighter than the binomial SD of an
  // empirical level at B = 20000 (about 1e-3). With six values (462 atoms of up to 0.015 near the
  // tails) the error of an MC quantile is a two-point jump between atoms and a 4-SE band is not a
  // reliable check (see the limitation in quantile_monte_carlo_se).
  const std::vector<double> real_valued{
      2.0 * std::sqrt(2.0), -1.0, 0.1 * std::sqrt(3.0), 3.5, 2.25, 7.0 / 3.0, std::sqrt(5.0),
      -0.5 * std::sqrt(7.0)};
  expect_converges(real_valued, "mean", all_interval_methods(), 20000);
  expect_converges(
      real_valued, "median",
      {interval_method::percentile, interval_method::basic, interval_method::normal, interval_method::bca},
      20000);
  expect_converges(pain, "hl", {interval_method::percentile, interval_method::normal}, 20000);
}

TEST(MonteCarloBootstrap, ConvergesToExactConvolutionOnMultinomialPath) {
  // n = 400 ordinal values: K = 11 levels with 25 K < n, so counts come from binomial splits.
  expect_converges(
      ordinal_sample(400), "mean",
      {interval_method::percentile, interval_method::basic, interval_method::normal, interval_method::bca},
      20000);
}

TEST(MonteCarloBootstrap, IdenticalForAnyThreadCount) {
  struct scenario {
    std::vector<double> sample;
    const char* stat;
    std::uint64_t resamples;
    std::vector<interval_method> intervals = all_interval_methods();
  };
  const std::vector<scenario> scenarios{
      {pain, "mean", 100000},                                // histogram, grouped index draws
      {{2.5, std::sqrt(2.0), 3, 4.75, -1}, "mean", 100000},  // tally of multisets
      {{2.5, std::sqrt(2.0), 3, 4.75, -1, 0.3, 1.7, 2.2, 0.9}, "mean", 100000},  // stored doubles
      {ordinal_sample(500), "mean", 50000},                                      // histogram, multinomial
      {ordinal_sample(500),
       "median",
       40000,
       {interval_method::percentile, interval_method::bca}},  // multinomial
      {pain, "median", 20000},                                // stored, index draws, nested se*
  };
  for (const auto& s : scenarios) {
    SCOPED_TRACE(s.stat);
    bootstrap_options options;
    options.stat = parse_statistic(s.stat);
    options.requested = method::monte_carlo;
    options.resamples = s.resamples;
    options.seed = 7;
    options.intervals = s.intervals;
    options.exec.threads = 1;
    const auto one = bootstrap(s.sample, options);
    options.exec.threads = 2;
    const auto two = bootstrap(s.sample, options);
    ASSERT_EQ(one.distribution.size(), two.distribution.size());
    for (std::size_t i = 0; i < one.distribution.size(); ++i) {
      EXPECT_EQ(one.distribution.atoms()[i].value, two.distribution.atoms()[i].value);
      EXPECT_EQ(one.distribution.atoms()[i].weight, two.distribution.atoms()[i].weight);
    }
    ASSERT_EQ(one.intervals.size(), two.intervals.size());
    for (std::size_t i = 0; i < one.intervals.size(); ++i) {
      EXPECT_EQ(one.intervals[i].lower, two.intervals[i].lower);
      EXPECT_EQ(one.intervals[i].upper, two.intervals[i].upper);
    }
  }
}

// Small samples of any statistic are tallied by multiset (monte_carlo.cpp, multiset_keys): every
// value the tally reports is a value of the exact distribution, with a frequency within 5 binomial
// SDs of its exact probability, and so is every t* where se* is a function of the multiset
// (analytic for the mean, jackknife for the median and hl).
TEST(MonteCarloBootstrap, TallyOfMultisetsDrawsTheExactDistribution) {
  struct scenario {
    std::vector<double> sample;
    const char* stat;
    studentized_se_method se;
  };
  // Irrational values: no common step, so the mean is not on the lattice histogram path.
  const std::vector<double> real_valued{-std::sqrt(2.0), -0.5 * std::sqrt(3.0), std::sqrt(0.1),
                                        -1.0 / 3.0,      0.25 * std::sqrt(7.0), std::sqrt(5.0)};
  const std::vector<scenario> scenarios{
      {real_valued, "mean", studentized_se_method::nested},  // analytic se*: nested is not used
      {real_valued, "median", studentized_se_method::jackknife},
      {real_valued, "hl", studentized_se_method::jackknife},
      // Ties: four distinct values among seven.
      {{0.5, 0.5, std::sqrt(5.0), -1.75, std::sqrt(11.0), std::sqrt(5.0), 0.5},
       "trimmed:0.2",
       studentized_se_method::jackknife},
  };
  constexpr std::uint64_t resamples = 400000;
  for (const auto& s : scenarios) {
    SCOPED_TRACE(s.stat);
    const statistic stat = parse_statistic(s.stat);
    monte_carlo_options options;
    options.resamples = resamples;
    options.seed = 11;
    options.studentized = true;
    options.se_method = s.se;
    const auto mc = monte_carlo_bootstrap(s.sample, stat, options);
    EXPECT_EQ(mc.path.rfind("exact tally of resampled multisets", 0), 0u) << mc.path;
    enumeration_options exact_options;
    exact_options.studentized = true;
    exact_options.se_method = s.se;
    const auto exact = enumerate_bootstrap(s.sample, stat, exact_options);
    ASSERT_TRUE(mc.studentized && exact.studentized);
    EXPECT_EQ(static_cast<double>(mc.studentized_dropped) > 0, exact.studentized_dropped > 0);
    // Values and t* of the two paths are the same numbers computed in a different order (the
    // tally's analytic se* sums scores relative to a central data value, equal t* of different
    // multisets round differently), so each drawn value must lie within 1e-9 relative of an exact
    // one, and the two distribution functions, evaluated just above each drawn value, must agree
    // within 5 binomial SDs.
    constexpr double relative = 1e-9;
    for (const auto& [drawn, truth] : {std::pair{&mc.distribution, &exact.distribution},
                                       std::pair{&*mc.studentized, &*exact.studentized}}) {
      const auto below = [](const weighted_distribution& d, double x) {
        double p = 0.0;
        for (const atom& b : d.atoms())
          if (b.value <= x) p += b.weight;
        return p;
      };
      for (const atom& a : drawn->atoms()) {
        const double slack = relative * std::fabs(a.value) + 1e-300;
        const bool found = std::any_of(truth->atoms().begin(), truth->atoms().end(),
                                       [&](const atom& b) { return std::fabs(b.value - a.value) <= slack; });
        EXPECT_TRUE(found) << a.value << " is not a value of the exact distribution";
        const double p = below(*truth, a.value + slack);
        const double sd = std::sqrt(std::max(p * (1 - p), 0.0) / static_cast<double>(resamples));
        EXPECT_LE(std::fabs(below(*drawn, a.value + slack) - p), 5 * sd + 1.0 / resamples) << a.value;
      }
    }
  }
}

TEST(MonteCarloBootstrap, DifferentSeedsGiveDifferentReplicates) {
  bootstrap_options options;
  options.requested = method::monte_carlo;
  options.seed = 1;
  const auto a = bootstrap(pain, options);
  options.seed = 2;
  const auto b = bootstrap(pain, options);
  EXPECT_NE(a.se, b.se);
}

TEST(MonteCarloBootstrap, HistogramPathKeepsMemoryBoundedForHugeB) {
  monte_carlo_options options;
  options.resamples = 1000000000;
  options.studentized = true;
  EXPECT_LT(monte_carlo_memory_estimate(pain, parse_statistic("mean"), options), 64.0 * 1024 * 1024);
}

TEST(MonteCarloBootstrap, RefusesPlansAboveTheMemoryLimit) {
  bootstrap_options options;
  options.stat = parse_statistic("median");
  options.requested = method::monte_carlo;
  options.resamples = 1000000000;
  options.max_memory_bytes = 512.0 * 1024 * 1024;
  // The nested se* is seeded per resample, so its t* values are stored: 8 GB for these B.
  options.se_method = studentized_se_method::nested;
  EXPECT_THROW(bootstrap(pain, options), infeasible_error);
}

TEST(MonteCarloBootstrap, AutoModeSaysWhyItChoseMonteCarlo) {
  std::vector<double> x;
  for (int i = 0; i < 30; ++i) x.push_back(i * std::sqrt(2.0));
  bootstrap_options options;
  options.stat = parse_statistic("median");
  options.intervals = {interval_method::percentile};
  const auto r = bootstrap(x, options);
  EXPECT_EQ(r.mode_run, mode::monte_carlo);
  EXPECT_NE(r.mode_reason.find("auto"), std::string::npos) << r.mode_reason;
  options.stat = parse_statistic("mean");
  std::vector<double> ordinal;
  for (int i = 0; i < 300; ++i) ordinal.push_back(i % 11);
  const auto c = bootstrap(ordinal, options);
  EXPECT_EQ(c.mode_run, mode::exact);
  EXPECT_EQ(c.algorithm, "convolution");
}

}  // namespace
}  // namespace resample::bootstrap
