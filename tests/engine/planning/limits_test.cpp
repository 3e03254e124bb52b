// The engine side of --max-seconds and --max-memory (planning/limits.hpp, the memory estimates):
// the arithmetic of fitting counts and combined estimates, how pilots are sized, and that the
// estimates see what the runs keep. Timings themselves are not asserted.

#include "resample/planning/limits.hpp"

#include <gtest/gtest.h>

#include <vector>

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

TEST(Limits, PilotsStartSmallAndNeverExceedTheCount) {
  std::vector<std::uint64_t> calls;
  const auto e =
      planning::linear_time_estimate([&](std::uint64_t c) { calls.push_back(c); }, 1000000, 100, 1.0);
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.front(), 100u);
  for (std::size_t i = 1; i < calls.size(); ++i) {
    EXPECT_GT(calls[i], calls[i - 1]);
    EXPECT_LE(calls[i], 1000000u);
  }
  EXPECT_GE(e.seconds, 0.0);
  // A count below the first pilot is timed whole, once.
  calls.clear();
  (void)planning::linear_time_estimate([&](std::uint64_t c) { calls.push_back(c); }, 7, 100, 1.0);
  EXPECT_EQ(calls, std::vector<std::uint64_t>{7});
}

TEST(Limits, CalibrationIsBoundedByTheLimit) {
  EXPECT_DOUBLE_EQ(planning::calibration_budget(100.0), 0.05);
  EXPECT_DOUBLE_EQ(planning::calibration_budget(0.5), 0.025);
}

TEST(Limits, MemoryEstimatesGrowWithWhatTheRunsKeep) {
  EXPECT_GT(inference::sign_flip_monte_carlo_memory_estimate(6, std::uint64_t{1} << 40),
            1000.0 * inference::sign_flip_monte_carlo_memory_estimate(6, 100000));
  simulation::coverage_options o;
  o.trials = 1000;
  o.bootstrap_resamples = 1000000;
  o.threads = 2;
  // Exact bootstrap inside the trials: only the tallies, far below one Monte Carlo bootstrap.
  EXPECT_LT(simulation::coverage_memory_estimate(6, o), 1e6);
  // Past exact_max_n: per thread B doubles, twice with studentized (in the default methods).
  EXPECT_GE(simulation::coverage_memory_estimate(12, o), 2 * 2 * 8e6);
}

}  // namespace
