// The `resample test` command line, run as a process (RESAMPLE_CLI is the built binary).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "support/cli_runner.hpp"

namespace {

using resample::test::cli_result;
using resample::test::expect_usage_error;

cli_result run(const std::string& args) { return resample::test::run_cli("test " + args); }

nlohmann::json run_json(const std::string& args) {
  const auto r = run(args + " --json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

const std::string data = std::string(" --data ") + RESAMPLE_SOURCE_DATA_DIR + "/gaughen2002_table1.csv";

TEST(TestCommand, PaperPainAndMobility) {
  for (const auto& [values, p] : {std::pair{"2,9,8,10,6,4", 0.03125}, std::pair{"1,1,1,0,0,3", 0.125}}) {
    for (const char* zeros : {"pratt", "wilcox"}) {
      const auto j =
          run_json(std::string("--values ") + values + " --zero-method " + zeros + " --method exact");
      EXPECT_EQ(j["n"], 6);
      ASSERT_EQ(j["endpoints"][0]["tests"].size(), 4u);
      for (const auto& t : j["endpoints"][0]["tests"]) {
        if (t["test"] == "t") continue;
        EXPECT_DOUBLE_EQ(t["p_value"].get<double>(), p) << t["test"];
        EXPECT_TRUE(t["exact"].get<bool>());
        EXPECT_EQ(t["alternative"], "two-sided");
        EXPECT_TRUE(t.contains("two_sided_convention"));
        EXPECT_DOUBLE_EQ(t["smallest_attainable_p"].get<double>(), p);
      }
    }
  }
}

TEST(TestCommand, TwoEndpointsFromTheTable) {
  const auto j = run_json(data +
                          " --pre repeat_pain_pre --post repeat_pain_post --pre repeat_mobility_pre"
                          " --post repeat_mobility_post --test signflip,sign");
  ASSERT_EQ(j["endpoints"].size(), 2u);
  ASSERT_EQ(j["adjusted"].size(), 2u);
  EXPECT_DOUBLE_EQ(j["adjusted"][0]["p_value"].get<double>(), 0.03125);
  EXPECT_DOUBLE_EQ(j["adjusted"][1]["p_value"].get<double>(), 0.125);
  EXPECT_DOUBLE_EQ(j["adjusted"][0]["holm_p"].get<double>(), 0.0625);
  EXPECT_GE(j["adjusted"][1]["max_t_p"].get<double>(), 0.125);
  // Each result is listed once, under its endpoint.
  EXPECT_FALSE(j.contains("tests"));
  EXPECT_EQ(j["endpoints"][0]["tests"].size() + j["endpoints"][1]["tests"].size(), 4u);
  EXPECT_TRUE(j["endpoints"][0]["estimates"].contains("hodges_lehmann"));
}

TEST(TestCommand, MonteCarloReportsItsError) {
  const auto j =
      run_json("--values 1.5,-2.25,3.1,1.5,-0.7,2.2,4.4 --test signflip --method mc --resamples 5000");
  const auto& t = j["endpoints"][0]["tests"][0];
  EXPECT_FALSE(t["exact"].get<bool>());
  EXPECT_TRUE(t["mc_se"].is_number());
  EXPECT_EQ(t["seed"], j["seed"]);  // the seed is a field, not only words in a note
  EXPECT_GT(t["p_value"].get<double>(), 0.0);
}

TEST(TestCommand, NoNaNInOutput) {
  const auto r = run("--values 4,4,4,4 --json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  resample::test::expect_no_nan_or_inf(r.out);
  const auto j = nlohmann::json::parse(r.out);
  for (const auto& t : j["endpoints"][0]["tests"])
    if (t["test"] == "t") {
      EXPECT_TRUE(t["p_value"].is_null());
    }
}

TEST(TestCommand, BadInputExitsTwoWithOneLine) {
  const std::string big =
      "--values "
      "1.01,2.03,-3.07,4.11,5.13,6.17,7.19,8.23,9.29,10.31,11.37,12.41,13.43,-14.47,15.53,16.59,17.61,"
      "18.67,19.71,20.73,21.79,22.83,23.89,24.97,25.01,26.03,27.07,28.09,29.11,30.13,31.17,32.19,33.23,34.29,"
      "35.31,"
      "36.37,37.41,38.43,39.47,40.53";
  const struct {
    std::string args, expected;
  } cases[] = {
      {"--values 0,0,0", "all 3 differences are zero"},
      {"--values 1,2 --test anova",
       "--test: test = 'anova', expected a comma list of signflip, sign, wilcoxon, t or all"},
      {"--values 1,2 --alternative sideways", "alternative = 'sideways'"},
      {big + " --test signflip --stat median --method exact", "2^40"},
      {big + " --test signflip --stat median --method exact", "--method mc"},
      {"--values ''", "no input"},
      {"--values 1,2 --resamples 9223372036854775809", "--resamples: got '9223372036854775809', expected"},
      {"--values 1,2 --resamples -5", "--resamples: got '-5'"},
      {"--values 1,2 --resamples 0", "--resamples: got '0'"},
  };
  for (const auto& c : cases) expect_usage_error(run(c.args), c.expected);
}

}  // namespace

namespace {

TEST(TestCommand, ApproximationIsLabelledAndThreadsDoNotMatter) {
  const auto approx = run_json("--values 1,1,1,0,0,3 --method approx --test wilcoxon");
  EXPECT_FALSE(approx["endpoints"][0]["tests"][0]["exact"].get<bool>());
  EXPECT_EQ(approx["endpoints"][0]["tests"][0]["method"], "normal_approximation");
  const std::string mc =
      "--values 1.5,-2.25,3.1,1.5,-0.7,2.2,4.4,0.3 --test signflip --stat median --method mc "
      "--resamples 40000 --seed 7";
  const auto one = run_json(mc + " --threads 1"), two = run_json(mc + " --threads 2");
  EXPECT_EQ(one["endpoints"][0]["tests"][0]["p_value"], two["endpoints"][0]["tests"][0]["p_value"]);
}

}  // namespace

namespace {

// Each test carries the interval that inverts it; for the sign-flip test it is the exact set, and
// "p <= 1 - level" agrees with "excludes 0".
TEST(TestCommand, EachTestCarriesTheIntervalThatInvertsIt) {
  const auto j = run_json("--values 2,9,8,10,6,4");
  EXPECT_EQ(j["level"], 0.95);
  const auto& tests = j["endpoints"][0]["tests"];
  const auto& sf = tests[0]["confidence_set"];
  EXPECT_EQ(sf["inverts"], "signflip");
  EXPECT_EQ(sf["lower"], 2.0);
  EXPECT_EQ(sf["upper"], 10.0);
  EXPECT_DOUBLE_EQ(sf["achieved_level"].get<double>(), 62.0 / 64.0);
  EXPECT_EQ(sf["agrees_with_test"], true);
  EXPECT_EQ(tests[1]["confidence_set"]["inverts"], "sign");
  EXPECT_EQ(tests[2]["confidence_set"]["inverts"], "wilcoxon");
  EXPECT_EQ(tests[3]["confidence_set"]["inverts"], "t");
  const auto at90 = run_json("--values 2,9,8,10,6,4 --test signflip --conf 0.9");
  EXPECT_EQ(at90["endpoints"][0]["tests"][0]["confidence_set"]["lower"], 4.0);
  EXPECT_EQ(at90["endpoints"][0]["tests"][0]["confidence_set"]["upper"], 9.0);
  // One-sided: a lower bound, and the two-sided intervals beside it are not compared.
  const auto greater = run_json("--values 2,9,8,10,6,4 --alternative greater");
  const auto& g = greater["endpoints"][0]["tests"];
  EXPECT_TRUE(g[0]["confidence_set"]["one_sided"].get<bool>());
  EXPECT_TRUE(g[0]["confidence_set"]["upper"].is_null());
  EXPECT_EQ(g[0]["confidence_set"]["agrees_with_test"], true);
  EXPECT_TRUE(g[1]["confidence_set"]["agrees_with_test"].is_null());
  // A statistic the inversion does not cover: no set, and the reason.
  const auto median = run_json("--values 2,9,8,10,6,4 --test signflip --stat median");
  const auto& m = median["endpoints"][0]["tests"][0]["confidence_set"];
  EXPECT_TRUE(m["lower"].is_null());
  EXPECT_TRUE(m["agrees_with_test"].is_null());
  EXPECT_NE(m["notes"][0].get<std::string>().find("mean"), std::string::npos);
}

// The effect sizes' exact bootstrap intervals are those of `resample bootstrap` for the statistic.
TEST(TestCommand, EffectSizesAreTheBootstrapOfTheirStatistic) {
  const std::string values = "--values 1,1,1,0,0,3,-1,2";
  const auto j = run_json(values);
  const auto& effects = j["endpoints"][0]["estimates"]["effect_sizes"];
  EXPECT_EQ(effects["changes"]["improved"], 5);
  EXPECT_EQ(effects["changes"]["unchanged"], 2);
  EXPECT_EQ(effects["changes"]["worsened"], 1);
  EXPECT_DOUBLE_EQ(effects["superiority"]["estimate"].get<double>(), 6.0 / 8.0);
  for (const char* name : {"rank_biserial", "superiority"}) {
    const auto b = resample::test::run_cli("bootstrap " + values + " --stat " + name +
                                           " --method exact --ci percentile,bca --json");
    ASSERT_EQ(b.exit_code, 0) << b.err;
    const auto boot = nlohmann::json::parse(b.out);
    EXPECT_EQ(effects[name]["estimate"], boot["estimate"]) << name;
    ASSERT_EQ(effects[name]["intervals"].size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
      EXPECT_EQ(effects[name]["intervals"][i]["lower"], boot["intervals"][i]["lower"]) << name;
      EXPECT_EQ(effects[name]["intervals"][i]["upper"], boot["intervals"][i]["upper"]) << name;
    }
  }
  EXPECT_EQ(effects["d_z"]["method"], "noncentral_t");
  EXPECT_EQ(effects["d_z"]["exact"], false);
}

}  // namespace
