// `resample power` and `resample coverage` as a user runs them: JSON contracts, exit code 2 with
// one line for bad input, byte-identical output for 1 and 2 threads, SVG figures.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "support/cli_runner.hpp"

namespace {

using resample::test::expect_same_output_for_one_and_two_threads;
using resample::test::expect_usage_error;
using resample::test::run_cli;
using resample::test::slurp;

TEST(PowerCli, JsonContractWithTargetPowerAndPlot) {
  const std::string svg = ::testing::TempDir() + "power_curve_" + std::to_string(::getpid()) + ".svg";
  const auto r = run_cli(
      "power --values 2,9,8,10,6,4 --test wilcoxon --n 6:10:2 --trials 300 --target-power 0.8 "
      "--json --plot " +
      svg);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("tests"), nlohmann::json::array({"wilcoxon"}));
  EXPECT_EQ(j.at("model"), "bootstrap");
  ASSERT_EQ(j.at("points").size(), 3u);
  for (const auto& p : j.at("points")) {
    EXPECT_GE(p.at("power").get<double>(), 0.0);
    EXPECT_LE(p.at("power").get<double>(), 1.0);
    const double power = p.at("power").get<double>();
    EXPECT_NEAR(p.at("mc_se").get<double>(), std::sqrt(power * (1 - power) / 300.0), 1e-12);
  }
  EXPECT_EQ(j.at("points")[0].at("n"), 6);
  EXPECT_EQ(j.at("points")[0].at("test"), "wilcoxon");
  EXPECT_EQ(j.at("target_power"), 0.8);
  // Pain differences are all positive: every bootstrap sample of 6 rejects (p = 2/64).
  ASSERT_EQ(j.at("required_n").size(), 1u);
  EXPECT_EQ(j.at("required_n")[0].at("test"), "wilcoxon");
  EXPECT_EQ(j.at("required_n")[0].at("n"), 6);
  EXPECT_TRUE(j.at("required_n")[0].contains("n_low"));
  EXPECT_TRUE(j.at("required_n_definition").is_string());
  EXPECT_EQ(j.at("points")[0].at("power"), 1.0);
  const std::string figure = slurp(svg);
  EXPECT_NE(figure.find("<svg"), std::string::npos);
  std::remove(svg.c_str());
}

TEST(PowerCli, WithoutTargetPowerRequiredNIsAnEmptyArray) {
  const auto j = nlohmann::json::parse(run_cli("power --values 2,9,8,10,6,4 --n 6 --trials 50 --json").out);
  EXPECT_EQ(j.at("required_n"), nlohmann::json::array());
  EXPECT_TRUE(j.at("target_power").is_null());
  EXPECT_TRUE(j.at("zeros").is_null());
}

// Each test of a list, and each n of a grid, gives what it gives alone.
TEST(PowerCli, TestListAndSizeListMatchSingleRuns) {
  const std::string common = "power --values 1,1,1,0,0,3 --trials 300 --seed 7 --json";
  const auto both = nlohmann::json::parse(run_cli(common + " --test wilcoxon,t --n 6,9,12").out);
  EXPECT_EQ(both.at("tests"), nlohmann::json::array({"wilcoxon", "t"}));
  EXPECT_EQ(both.at("zeros"), "pratt");
  ASSERT_EQ(both.at("points").size(), 6u);
  std::size_t i = 0;
  for (const std::string test : {"wilcoxon", "t"})
    for (const std::string n : {"6", "9", "12"}) {
      SCOPED_TRACE(test + " n = " + n);
      const auto alone = nlohmann::json::parse(run_cli(common + " --test " + test + " --n " + n).out);
      ASSERT_EQ(alone.at("points").size(), 1u);
      EXPECT_EQ(both.at("points")[i++], alone.at("points")[0]);
    }
  const auto text = run_cli("power --values 1,1,1,0,0,3 --trials 100 --test all --n 6:8 --target-power 0.5");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  for (const std::string test : {"signflip", "sign", "wilcoxon", "t"})
    EXPECT_NE(text.out.find("Power of the " + test + " test"), std::string::npos) << text.out;
  const auto csv = run_cli("power --values 1,1,1,0,0,3 --trials 100 --test sign,t --n 6,8 --format csv");
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 5) << csv.out;  // header + 2 tests x 2 n
}

TEST(PowerCli, ByteIdenticalJsonForOneAndTwoThreads) {
  for (const std::string model : {"--values 1,1,1,0,0,3 --test signflip",
                                  "--model discrete --distribution -1:0.1,0:0.3,1:0.4,3:0.2 --test sign",
                                  "--values 2,9,8,10,6,4 --model shift --shift-to 0 --test t"}) {
    SCOPED_TRACE(model);
    expect_same_output_for_one_and_two_threads("power " + model + " --n 6:20:7 --trials 500 --seed 5 --json");
  }
}

// The sign-flip test's statistic is --stat (the mean by default), named in the JSON and the text.
TEST(PowerCli, TheSignFlipTestOfAnotherStatistic) {
  const auto r =
      run_cli("power --values 2,9,8,10,6,4 --stat median --test signflip,sign --n 6 --trials 50 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).at("statistic"), "median");
  const auto text = run_cli("power --values 2,9,8,10,6,4 --stat median --n 6 --trials 50");
  EXPECT_NE(text.out.find("Power of the signflip test of the median (two-sided)"), std::string::npos)
      << text.out;
  const auto sign_only = run_cli("power --values 2,9,8,10,6,4 --test sign --n 6 --trials 50 --json");
  EXPECT_TRUE(nlohmann::json::parse(sign_only.out).at("statistic").is_null());
}

TEST(PowerCli, BadInputExitsTwoWithOneLine) {
  resample::test::expect_usage_errors(
      "power", {
                   {"--values 2,9,8,10,6,4 --n 10:5:1", "--n"},
                   {"--values 2,9,8,10,6,4 --trials 0", "--trials"},
                   {"--values 2,9,8,10,6,4 --trials 18446744073709551616", "--trials: got"},
                   {"--values 2,9,8,10,6,4 --trials ten", "--trials: got 'ten'"},
                   {"--values 2,9,8,10,6,4 --alpha 1.5", "--alpha"},
                   {"--values 2,9,8,10,6,4 --alpha 0", "--alpha"},
                   {"--values 2,9,8,10,6,4 --test anova", "--test"},
                   {"--values 2,9,8,10,6,4 --test wilcoxon,", "--test"},
                   {"--values 2,9,8,10,6,4 --stat meen", "--stat: unknown statistic 'meen'"},
                   {"--values 2,9,8,10,6,4 --test sign,t --stat median", "--stat: only the sign-flip test"},
                   {"--values 2,9,8,10,6,4 --n 6,", "--n"},
                   {"--values 2,9,8,10,6,4 --n 6,1", "--n"},
                   {"--values 2,9,8,10,6,4 --target-power 1", "--target-power"},
                   {"--values 2,9,8,10,6,4 --model shift", "--shift-to"},
                   {"--model discrete --distribution 1:0.5,2:0.4", "--distribution"},
                   {"--model discrete", "--distribution"},
                   {"--n 6", "no input"},
               });
}

TEST(CoverageCli, PercentileUnderThePainModelHasCoverageAndMcSe) {
  const std::string svg = ::testing::TempDir() + "coverage_" + std::to_string(::getpid()) + ".svg";
  const auto r = run_cli("coverage --values 2,9,8,10,6,4 --n 6 --trials 400 --json --plot " + svg);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("sizes"), nlohmann::json::array({6}));
  ASSERT_EQ(j.at("methods").size(), 8u);
  bool percentile = false;
  for (const auto& m : j.at("methods")) {
    ASSERT_TRUE(m.contains("coverage") && m.contains("mc_se") && m.contains("undefined")) << m.dump();
    EXPECT_EQ(m.at("n"), 6);
    EXPECT_EQ(m.at("bootstrap_mode"), "exact");
    if (m.at("coverage").is_null()) continue;
    EXPECT_GE(m.at("coverage").get<double>(), 0.0);
    EXPECT_LE(m.at("coverage").get<double>(), 1.0);
    if (m.at("method") == "percentile") {
      percentile = true;
      EXPECT_EQ(m.at("true_value"), 6.5);
      EXPECT_GT(m.at("mc_se").get<double>(), 0.0);
    }
  }
  EXPECT_TRUE(percentile);
  EXPECT_NE(slurp(svg).find("<svg"), std::string::npos);
  std::remove(svg.c_str());
}

// A grid of n: rows by n then method, each n as it runs alone, the bootstrap mode per n.
TEST(CoverageCli, GridOfSizesMatchesSingleRuns) {
  const std::string common =
      "coverage --values 2,9,8,10,6,4 --trials 40 --ci percentile,t --exact-max-n 6 --resamples 200 --json";
  const auto grid = run_cli(common + " --n 5:7");
  ASSERT_EQ(grid.exit_code, 0) << grid.err;
  const auto j = nlohmann::json::parse(grid.out);
  EXPECT_EQ(j.at("sizes"), nlohmann::json::array({5, 6, 7}));
  ASSERT_EQ(j.at("methods").size(), 6u);
  std::size_t i = 0;
  for (const std::string n : {"5", "6", "7"}) {
    SCOPED_TRACE("n = " + n);
    const auto alone = nlohmann::json::parse(run_cli(common + " --n " + n).out);
    for (const auto& m : alone.at("methods")) EXPECT_EQ(j.at("methods")[i++], m);
  }
  EXPECT_EQ(j.at("methods")[0].at("bootstrap_mode"), "exact");
  EXPECT_NE(j.at("methods")[5].at("bootstrap_mode"), "exact");
  EXPECT_EQ(nlohmann::json::parse(run_cli(common + " --n 7,5,6").out).at("methods"), j.at("methods"));

  const std::string svg = ::testing::TempDir() + "coverage_grid_" + std::to_string(::getpid()) + ".svg";
  const auto text =
      run_cli("coverage --values 2,9,8,10,6,4 --trials 40 --ci percentile,t --n 5,6 --plot " + svg);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("at n = 5 "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("at n = 6 "), std::string::npos) << text.out;
  // The plot has one dot per n in each method's row, the n named in its legend.
  EXPECT_NE(slurp(svg).find(">n = 5<"), std::string::npos);
  EXPECT_NE(slurp(svg).find(">n = 6<"), std::string::npos);
  std::remove(svg.c_str());
  const auto csv =
      run_cli("coverage --values 2,9,8,10,6,4 --trials 40 --ci percentile,t --n 5,6 --format csv");
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 5) << csv.out;  // header + 2 n x 2 methods
}

TEST(CoverageCli, ByteIdenticalJsonForOneAndTwoThreads) {
  expect_same_output_for_one_and_two_threads(
      "coverage --values 1,1,1,0,0,3 --n 7 --trials 100 --seed 3 --json");
}

TEST(CoverageCli, BadInputExitsTwoWithOneLine) {
  resample::test::expect_usage_errors("coverage --values 2,9,8,10,6,4",
                                      {
                                          {"--n 1", "--n"},
                                          {"--n 6:4", "--n"},
                                          {"--n 6,x", "--n"},
                                          {"--n 200000", "--n"},
                                          {"--trials 0", "--trials"},
                                          {"--resamples 9223372036854775809", "--resamples: got"},
                                          {"--resamples -1", "--resamples: got '-1'"},
                                          {"--ci percentile,wald", "--ci"},
                                          {"--conf 95", "--conf"},
                                      });
}

TEST(BootstrapCli, CalibratedIntervalOnRequest) {
  const auto r = run_cli("bootstrap --values 2,9,8,10,6,4 --ci percentile,calibrated --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.at("intervals").size(), 2u);
  EXPECT_EQ(j.at("intervals")[1].at("method"), "calibrated");
  EXPECT_TRUE(j.at("intervals")[1].at("lower").is_number());
  EXPECT_TRUE(j.at("intervals")[1].at("upper").is_number());
  const auto all = nlohmann::json::parse(run_cli("bootstrap --values 2,9,8,10,6,4 --json").out);
  EXPECT_EQ(all.at("intervals").size(), 5u);  // calibrated is opt-in
}

}  // namespace
