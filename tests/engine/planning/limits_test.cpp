// The engine side of --max-seconds and --max-memory (planning/limits.hpp, the memory estimates):
// the arithmetic of fitting counts and combined estimates, how pilots are sized, and that the
// estimates see what the runs keep. Timings themselves are not asserted.

#include "resample/planning/limits.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>
#include <utility>
#include <vector>

#include "resample/error.hpp"
#include "resample/inference/sign_flip.hpp"
#include "resample/simulation/coverage.hpp"

namespace {

using namespace resample;

TEST(Limits, RoundDownKeepsTwoSignificantDigits) {
  EXPECT_EQ(planning::round_down_two_digits(4817342.0), 4800000u);
  EXPECT_EQ(planning::round_down_two_digits(99.9), 99u);
  EXPECT_EQ(planning::round_down_two_digits(7.5), 7u);
  EXPECT_EQ(planning::round_down_two_digits(0.9), 0u);
  EXPECT_EQ(planning::round_down_two_digits(-3.0), 0u);
}

TEST(Limits, FittingCountSolvesTheLinearModel) {
  planning::time_estimate e;
  e.fixed_seconds = 1.0;
  e.seconds_per_unit = 1e-6;
  e.seconds = 1.0 + 1e-6 * 1e8;
  EXPECT_EQ(planning::fitting_count(e, 2.0), 1000000u);
  EXPECT_EQ(planning::fitting_count(e, 0.5), 0u);  // the fixed cost alone is over
  e.exact = true;
  EXPECT_EQ(planning::fitting_count(e, 1e9), 0u);  // fewer resamples do not shorten an exact run
}

TEST(Limits, CombineAddsPartsAndNamesTheScalableOne) {
  planning::time_estimate exact, monte_carlo;
  exact.exact = true;
  exact.seconds = exact.fixed_seconds = 2.0;
  exact.what = "the exact test";
  monte_carlo.seconds = 3.0;
  monte_carlo.fixed_seconds = 1.0;
  monte_carlo.seconds_per_unit = 0.5;
  monte_carlo.what = "the Monte Carlo test";
  const std::vector<planning::time_estimate> parts{exact, monte_carlo};
  const auto all = planning::combine(parts);
  EXPECT_DOUBLE_EQ(all.seconds, 5.0);
  EXPECT_DOUBLE_EQ(all.fixed_seconds, 3.0);
  EXPECT_DOUBLE_EQ(all.seconds_per_unit, 0.5);
  EXPECT_FALSE(all.exact);
  EXPECT_EQ(all.what, "the Monte Carlo test");
  const std::vector<planning::time_estimate> only_exact{exact};
  EXPECT_TRUE(planning::combine(only_exact).exact);
}

// A fake clock that the fake pilot runs advance by a known cost model: the budget arithmetic is
// checked exactly, without timing anything.
struct fake_run {
  double now = 0.0;
  double exponent = 2.0;                // cost grows as size^exponent
  double seconds_per_unit_at_1 = 1e-9;  // cost of one unit at size 1
  double fixed = 0.0;                   // per call
  std::vector<std::pair<std::uint64_t, std::size_t>> calls;
  planning::pilot_clock clock() {
    return [this] { return now; };
  }
  double cost(std::uint64_t count, std::size_t size) const {
    return fixed +
           seconds_per_unit_at_1 * static_cast<double>(count) * std::pow(static_cast<double>(size), exponent);
  }
  planning::pilot_run run() {
    return [this](std::uint64_t count, std::size_t size, const std::atomic<bool>*) {
      calls.emplace_back(count, size);
      now += cost(count, size);
    };
  }
};

planning::pilot_shape shape_of(std::uint64_t count, std::uint64_t first_count, std::size_t size,
                               std::size_t first_size = 64) {
  planning::pilot_shape shape;
  shape.count = count;
  shape.first_count = first_count;
  shape.size = size;
  shape.first_size = first_size;
  return shape;
}

TEST(Limits, PilotBudgetIsTheSmallerOfAShareOfTheLimitAndACap) {
  EXPECT_DOUBLE_EQ(planning::pilot_seconds(1.0), 0.05);
  EXPECT_DOUBLE_EQ(planning::pilot_seconds(2.0), 0.1);
  EXPECT_DOUBLE_EQ(planning::pilot_seconds(100.0), 0.2);
  EXPECT_DOUBLE_EQ(planning::pilot_seconds(0.0), 0.02);  // no limit: only to announce
}

TEST(Limits, APilotStepThatWouldOverrunIsNotRun) {
  fake_run f;
  planning::pilot_budget budget(0.1, f.clock());
  double seconds = 0.0;
  bool ran = false;
  EXPECT_TRUE(budget.step(
      0.0, [&](const std::atomic<bool>*) { f.now += 0.06; }, seconds));
  EXPECT_DOUBLE_EQ(seconds, 0.06);
  EXPECT_FALSE(budget.step(
      0.05, [&](const std::atomic<bool>*) { ran = true; }, seconds));
  EXPECT_FALSE(ran);
  EXPECT_TRUE(budget.step(
      0.03, [&](const std::atomic<bool>*) { f.now += 0.03; }, seconds));
  EXPECT_EQ(budget.steps(), 2u);
  EXPECT_LE(budget.elapsed(), budget.total());
}

TEST(Limits, AStepPastItsPredictionIsCancelledAtTheBudget) {
  // With the real clock the step gets a flag that is set when the budget runs out; a run that
  // only stops when asked would otherwise never return.
  planning::pilot_budget budget(0.01);
  double seconds = 0.0;
  ASSERT_TRUE(budget.step(
      0.0,
      [](const std::atomic<bool>* cancel) {
        ASSERT_NE(cancel, nullptr);
        while (!cancel->load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        throw cancelled_error("stopped");
      },
      seconds));
  EXPECT_TRUE(budget.overran());
}

TEST(Limits, AnExpensiveUnitIsTimedOnSmallerProblemsAndExtrapolated) {
  // One unit at the full size costs 1e-9 * 1e12 = 1000 s: the pilot must never run it, must stay
  // within its budget, and the n^2 model must be recovered.
  fake_run f;
  planning::pilot_budget budget(0.05, f.clock());
  const auto shape = shape_of(20, 4, 1000000);
  const auto e = planning::pilot_time_estimate(f.run(), shape, budget);
  EXPECT_LE(budget.elapsed(), budget.total());
  EXPECT_DOUBLE_EQ(e.pilot_seconds, budget.elapsed());
  for (const auto& [count, size] : f.calls) EXPECT_LT(size, shape.size);
  EXPECT_NEAR(e.seconds / f.cost(20, shape.size), 1.0, 1e-9);
  EXPECT_FALSE(e.at_least);
}

TEST(Limits, LinearGrowthIsRecoveredToo) {
  fake_run f;
  f.exponent = 1.0;
  f.seconds_per_unit_at_1 = 1e-7;
  planning::pilot_budget budget(0.05, f.clock());
  const auto shape = shape_of(1000000, 256, 10000000, 256);
  const auto e = planning::pilot_time_estimate(f.run(), shape, budget);
  EXPECT_LE(budget.elapsed(), budget.total());
  EXPECT_NEAR(e.seconds / f.cost(shape.count, shape.size), 1.0, 1e-9);
}

TEST(Limits, ACheapUnitGrowsTheCountAndFitsTheFixedCost) {
  fake_run f;
  f.exponent = 0.0;
  f.seconds_per_unit_at_1 = 1e-6;
  f.fixed = 1e-3;
  planning::pilot_budget budget(0.2, f.clock());
  const auto shape = shape_of(100000000, 100, 6);
  const auto e = planning::pilot_time_estimate(f.run(), shape, budget);
  ASSERT_FALSE(f.calls.empty());
  EXPECT_EQ(f.calls.front().first, 100u);
  for (std::size_t i = 1; i < f.calls.size(); ++i) {
    EXPECT_GT(f.calls[i].first, f.calls[i - 1].first);
    EXPECT_LE(f.calls[i].first, shape.count);
    EXPECT_EQ(f.calls[i].second, 6u);
  }
  EXPECT_LE(budget.elapsed(), budget.total());
  EXPECT_NEAR(e.fixed_seconds, 1e-3, 1e-9);
  EXPECT_NEAR(e.seconds_per_unit, 1e-6, 1e-12);
  EXPECT_EQ(planning::fitting_count(e, 1.0), 990000u);
}

TEST(Limits, ACountBelowTheFirstPilotIsTimedWholeOnce) {
  fake_run f;
  planning::pilot_budget budget(0.2, f.clock());
  const auto shape = shape_of(7, 100, 6);
  (void)planning::pilot_time_estimate(f.run(), shape, budget);
  ASSERT_EQ(f.calls.size(), 1u);
  EXPECT_EQ(f.calls.front().first, 7u);
}

TEST(Limits, EstimatesOfOneRunShareOneBudget) {
  // Two estimates in a row draw on the same budget: the second has only what the first left.
  fake_run f;
  f.seconds_per_unit_at_1 = 1e-8;
  planning::pilot_budget budget(0.05, f.clock());
  const auto shape = shape_of(100, 4, 100000);
  (void)planning::pilot_time_estimate(f.run(), shape, budget);
  (void)planning::pilot_time_estimate(f.run(), shape, budget);
  EXPECT_LE(budget.elapsed(), budget.total() + f.cost(4, 64));  // the second's first step always runs
}

TEST(Limits, DefaultIntervalsLeaveOutANestedStudentized) {
  using bootstrap::interval_method;
  using bootstrap::studentized_se_method;
  auto has_studentized = [](const statistic& s, studentized_se_method se) {
    const auto m = planning::default_intervals(s, se);
    return std::find(m.begin(), m.end(), interval_method::studentized) != m.end();
  };
  for (auto se : bootstrap::all_studentized_se_methods) {
    EXPECT_TRUE(has_studentized(parse_statistic("mean"), se));
    EXPECT_TRUE(has_studentized(parse_statistic("prop_ge:2"), se));
  }
  for (const char* s : {"median", "hl", "sd", "trimmed:0.2"}) {
    EXPECT_FALSE(has_studentized(parse_statistic(s), studentized_se_method::nested)) << s;
    EXPECT_EQ(planning::default_intervals(parse_statistic(s), studentized_se_method::nested).size(), 4u) << s;
    // The jackknife se* costs some K + 1 plain evaluations: studentized is in the default.
    EXPECT_TRUE(has_studentized(parse_statistic(s), studentized_se_method::jackknife)) << s;
    // The default se* is auto (intervals.hpp, default_studentized_se): the cheap order-statistic
    // one for median and hl, whose studentized interval is then a default, nested for the others.
    const bool order_statistic = std::string(s) == "median" || std::string(s) == "hl";
    EXPECT_EQ(planning::default_intervals(parse_statistic(s)).size(), order_statistic ? 5u : 4u) << s;
    if (order_statistic)
      EXPECT_TRUE(has_studentized(parse_statistic(s), studentized_se_method::order_statistic)) << s;
    else
      EXPECT_THROW(planning::default_intervals(parse_statistic(s), studentized_se_method::order_statistic),
                   invalid_argument)
          << s;
  }
}

TEST(Limits, ARefusalCanNameTheNestedStudentizedInterval) {
  const std::vector<double> x{2, 9, 8, 10, 6, 4, 7.5, 3.1, 5.5};
  bootstrap::bootstrap_options o;
  o.stat = parse_statistic("hl");
  o.requested = bootstrap::method::monte_carlo;
  o.se_method = bootstrap::studentized_se_method::nested;
  o.resamples = 3000000;
  planning::pilot_budget budget(0.2);
  const auto e = planning::bootstrap_time_estimate(x, o, budget);
  EXPECT_NE(e.costly_part.find("studentized"), std::string::npos);
}

TEST(Limits, MemoryEstimatesGrowWithWhatTheRunsKeep) {
  EXPECT_GT(inference::sign_flip_monte_carlo_memory_estimate(6, std::uint64_t{1} << 40),
            1000.0 * inference::sign_flip_monte_carlo_memory_estimate(6, 100000));
  simulation::coverage_options o;
  o.trials = 1000;
  o.bootstrap_resamples = 1000000;
  o.exec.threads = 2;
  // Exact bootstrap inside the trials: only the tallies, far below one Monte Carlo bootstrap.
  EXPECT_LT(simulation::coverage_memory_estimate(6, o), 1e6);
  // Past exact_max_n: per thread B doubles, twice with studentized (in the default methods).
  EXPECT_GE(simulation::coverage_memory_estimate(12, o), 2 * 2 * 8e6);
}

}  // namespace
