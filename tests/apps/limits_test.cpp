// --max-seconds and --max-memory as a user meets them (issue 9): a plan over the limit is refused
// before any real work with one line that says what would fit, and a plan within it gives the
// same output as without the option. No assertion on timings beyond "it ended with exit 2".

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "support/cli_runner.hpp"

namespace {

using resample::test::expect_usage_error;
using resample::test::run_cli;

const std::string paper = "--values 2,9,8,10,6,4";

// The refusal names the limit and suggests a count of `option` that fits.
void expect_refused_with_fit(const std::string& args, const std::string& limit, const std::string& option) {
  const auto r = run_cli(args);
  expect_usage_error(r, limit);
  EXPECT_TRUE(std::regex_search(r.err, std::regex(option + " [1-9][0-9]* would fit"))) << r.args << "\n"
                                                                                       << r.err;
}

void expect_same_output_with_limit(const std::string& args, const std::string& limit) {
  const auto plain = run_cli(args);
  const auto limited = run_cli(args + " " + limit);
  ASSERT_EQ(plain.exit_code, 0) << plain.args << "\n" << plain.err;
  ASSERT_EQ(limited.exit_code, 0) << limited.args << "\n" << limited.err;
  EXPECT_EQ(limited.out, plain.out) << limited.args;
}

TEST(MaxSeconds, BootstrapMonteCarloOverTheLimitIsRefusedWithAFittingB) {
  expect_refused_with_fit("bootstrap " + paper + " --method mc --resamples 100000000000 --max-seconds 0.5",
                          "--max-seconds 0.5: the Monte Carlo run with --resamples 100000000000 needs about",
                          "--resamples");
}

TEST(MaxSeconds, BootstrapExactOverTheLimitIsRefusedNamingExact) {
  // 14 distinct values: about 2e7 compositions for the median, far more than a millisecond.
  const auto r = run_cli(
      "bootstrap --values 1,2,3,4,5,6,7,8,9,10,11,12,13,14 --stat median --method exact --ci percentile "
      "--max-seconds 0.001");
  expect_usage_error(r, "--max-seconds 0.001: the exact enumeration needs about");
}

TEST(MaxSeconds, BootstrapWithinTheLimitGivesTheSameOutput) {
  expect_same_output_with_limit("bootstrap " + paper + " --method mc --resamples 3000 --seed 7",
                                "--max-seconds 60");
  expect_same_output_with_limit("bootstrap " + paper, "--max-seconds 60");  // exact
}

TEST(MaxSeconds, TestMonteCarloOverTheLimitIsRefusedWithAFittingB) {
  expect_refused_with_fit(
      "test " + paper + " --test signflip --method mc --resamples 100000000000 --max-seconds 0.5",
      "--max-seconds 0.5: the Monte Carlo sign-flip test with --resamples 100000000000", "--resamples");
}

TEST(MaxSeconds, TestWithinTheLimitGivesTheSameOutput) {
  expect_same_output_with_limit("test " + paper + " --method mc --resamples 20000", "--max-seconds 60");
  expect_same_output_with_limit("test " + paper, "--max-seconds 60");  // exact
}

TEST(MaxSeconds, PowerOverTheLimitIsRefusedWithFittingTrials) {
  expect_refused_with_fit("power " + paper + " --n 6:12 --trials 10000000000 --max-seconds 0.5",
                          "--max-seconds 0.5: the power simulation with --trials 10000000000", "--trials");
}

TEST(MaxSeconds, PowerWithinTheLimitGivesTheSameOutput) {
  expect_same_output_with_limit("power " + paper + " --n 6:8 --trials 200", "--max-seconds 60");
}

TEST(MaxSeconds, CoverageOverTheLimitIsRefusedWithFittingTrials) {
  expect_refused_with_fit("coverage " + paper + " --n 6 --trials 10000000000 --max-seconds 0.5",
                          "--max-seconds 0.5: the coverage simulation with --trials 10000000000", "--trials");
}

TEST(MaxSeconds, CoverageWithinTheLimitGivesTheSameOutput) {
  expect_same_output_with_limit("coverage " + paper + " --n 6 --trials 100", "--max-seconds 60");
  // Past --exact-max-n each trial runs a Monte Carlo bootstrap.
  expect_same_output_with_limit("coverage " + paper + " --n 12 --trials 20 --resamples 3000",
                                "--max-seconds 60");
}

TEST(MaxSeconds, BadValuesAreRefused) {
  for (const std::string value : {"0", "-1", "abc", "inf", "nan", "1e999"})
    for (const std::string command : {"bootstrap", "test", "power --n 6", "coverage"})
      expect_usage_error(run_cli(command + " " + paper + " --max-seconds '" + value + "'"), "--max-seconds");
}

// Issue 14: one trial at n = 100000 (a lattice DP over 10^5 values) is itself far over the limit.
// The pilot times trials at smaller n and extrapolates; before, it ran 16 whole trials first.
TEST(MaxSeconds, AnExpensiveTrialIsRefusedFromPilotsAtSmallerSizes) {
  const auto r = run_cli("power " + paper + " --trials 20 --n 100000 --max-seconds 2");
  expect_usage_error(r, "--max-seconds 2: the power simulation with --trials 20 needs");
  EXPECT_NE(r.err.find("even --trials 1 needs about"), std::string::npos) << r.err;
}

const std::string nine = "--values 2,9,8,10,6,4,7.5,3.1,5.5";

std::vector<std::string> interval_methods(const std::string& args) {
  const auto r = run_cli("bootstrap " + nine + " --method mc --resamples 2000 --json " + args);
  EXPECT_EQ(r.exit_code, 0) << r.args << "\n" << r.err;
  std::vector<std::string> methods;
  const auto result = nlohmann::json::parse(r.out);
  for (const auto& i : result["intervals"]) methods.push_back(i["method"]);
  return methods;
}

TEST(DefaultIntervals, LeaveOutTheNestedStudentizedIntervalButKeepTheAnalyticOne) {
  const std::vector<std::string> four{"percentile", "basic", "normal", "bca"};
  const std::vector<std::string> five{"percentile", "basic", "normal", "studentized", "bca"};
  for (const std::string stat : {"hl", "median", "sd", "trimmed:0.2"}) {
    EXPECT_EQ(interval_methods("--stat " + stat + " --studentized-se nested"), four) << stat;
    // The default se* is auto: order_statistic (cheap) for hl and median, nested for the others.
    EXPECT_EQ(interval_methods("--stat " + stat), stat == "hl" || stat == "median" ? five : four) << stat;
    // The jackknife se* costs some K + 1 plain evaluations per resample: with it, it is in.
    EXPECT_EQ(interval_methods("--stat " + stat + " --studentized-se jackknife"), five) << stat;
  }
  EXPECT_EQ(interval_methods("--stat mean"), five);
  EXPECT_EQ(interval_methods("--stat mean --studentized-se nested"), five);
  // Asked for, it is there.
  EXPECT_EQ(interval_methods("--stat hl --ci percentile,studentized"),
            (std::vector<std::string>{"percentile", "studentized"}));
}

TEST(MaxSeconds, ARefusalNamesTheNestedStudentizedInterval) {
  const auto r = run_cli(
      "bootstrap " + nine +
      " --stat hl --method mc --resamples 3000000 --ci percentile,studentized --studentized-se nested "
      "--max-seconds 1");
  expect_usage_error(r, "--max-seconds 1: the Monte Carlo run with --resamples 3000000 needs about");
  EXPECT_NE(r.err.find("of which studentized (nested bootstrap of 200 per resample) needs about"),
            std::string::npos)
      << r.err;
}

// A run predicted past 10 s says so in one stderr line before it starts (and, stderr not being a
// terminal here, shows no bar); it is stopped with SIGINT after a few seconds.
TEST(LongRuns, AnnounceThemselvesInOneLine) {
  // Without studentized: its t* would double the replicates' memory, past the limit at this B.
  const auto r =
      run_cli("bootstrap " + nine +
                  " --stat hl --method mc --resamples 300000000 --threads 1 --ci percentile,basic,normal,bca",
              "timeout -s INT 4");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(r.out.empty());
  EXPECT_TRUE(std::regex_match(
      r.err, std::regex("resample: about [0-9.]+ (s|min|h|days) on 1 thread; --max-seconds refuses, Ctrl-C "
                        "stops cleanly\n")))
      << r.err;
}

TEST(LongRuns, ShortRunsSayNothing) {
  for (const std::string& command : {"bootstrap " + paper, "bootstrap " + nine + " --method mc --stat hl",
                                     "test " + paper, "power " + paper + " --n 6:8 --trials 200"}) {
    const auto r = run_cli(command);
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_EQ(r.err, "") << command;
  }
}

TEST(MaxMemory, TestMonteCarloOverTheLimitIsRefusedWithAFittingB) {
  expect_refused_with_fit(
      "test " + paper + " --test signflip --method mc --resamples 100000000000 --max-memory 1M",
      "--max-memory 1M: the Monte Carlo test with --resamples 100000000000", "--resamples");
}

TEST(MaxMemory, CoverageOverTheLimitIsRefusedWithAFittingCount) {
  // Per thread a Monte Carlo bootstrap of 10^6 resamples past --exact-max-n: megabytes each.
  expect_refused_with_fit("coverage " + paper + " --n 12 --trials 10 --resamples 1000000 --max-memory 1M",
                          "--max-memory 1M: the coverage simulation with --trials 10 and --resamples 1000000",
                          "--resamples");
  // Tallies per chunk of trials: 10^12 trials do not fit in the default (half of RAM) either.
  expect_refused_with_fit("coverage " + paper + " --n 6 --trials 1000000000000", "--max-memory", "--trials");
}

TEST(MaxMemory, WithinTheLimitGivesTheSameOutput) {
  expect_same_output_with_limit("test " + paper + " --method mc --resamples 20000", "--max-memory 1G");
  expect_same_output_with_limit("coverage " + paper + " --n 6 --trials 100", "--max-memory 1G");
}

}  // namespace
