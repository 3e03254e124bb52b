// The `resample bootstrap` command as a user runs it: exit codes, messages, JSON contract.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/cli_runner.hpp"

namespace {

using resample::test::cli_result;
using resample::test::expect_usage_error;

cli_result run_bootstrap(const std::string& args) { return resample::test::run_cli("bootstrap " + args); }

TEST(BootstrapCli, PaperPainReductionsJsonContract) {
  const auto r = run_bootstrap("--values 2,9,8,10,6,4 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("n"), 6);
  EXPECT_EQ(j.at("statistic"), "mean");
  EXPECT_EQ(j.at("estimate"), 6.5);
  EXPECT_EQ(j.at("mode"), "exact");
  EXPECT_FALSE(j.at("mode_reason").get<std::string>().empty());
  EXPECT_EQ(j.at("resamples"), 462.0);
  EXPECT_NEAR(j.at("se").get<double>(), 1.14867, 5e-6);
  EXPECT_TRUE(j.contains("bias"));
  ASSERT_EQ(j.at("intervals").size(), 5u);
  EXPECT_EQ(j.at("intervals")[0].at("method"), "percentile");
  EXPECT_NEAR(j.at("intervals")[0].at("lower").get<double>(), 4.1667, 5e-5);
  EXPECT_EQ(j.at("intervals")[4].at("method"), "bca");
  EXPECT_NEAR(j.at("intervals")[4].at("upper").get<double>(), 8.5, 5e-5);
}

TEST(BootstrapCli, MonteCarloJsonIsByteIdenticalForOneAndTwoThreads) {
  // Several blocks of 16384 resamples, so that two threads really share the work.
  for (const std::string stat :
       {"mean --resamples 100000", "median --resamples 40000", "hl --resamples 40000 --ci percentile,bca"}) {
    SCOPED_TRACE(stat);
    const std::string args = "--values 2,9,8,10,6,4.5,3.25,7 --method mc --seed 11 --json --stat " + stat;
    const auto one = resample::test::expect_same_output_for_one_and_two_threads("bootstrap " + args);
    ASSERT_EQ(one.exit_code, 0);
    const auto j = nlohmann::json::parse(one.out);
    EXPECT_EQ(j.at("mode"), "monte-carlo");
    EXPECT_GE(j.at("resamples").get<double>(), 40000.0);
    EXPECT_TRUE(j.at("mc_se_se").is_number());
    for (const auto& i : j.at("intervals")) {
      EXPECT_TRUE(i.contains("mc_se_lower"));
      EXPECT_TRUE(i.contains("mc_se_upper"));
    }
  }
}

TEST(BootstrapCli, HumanTableIsTheDefault) {
  const auto r = run_bootstrap("--values 1,1,1,0,0,3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("percentile"), std::string::npos);
  EXPECT_NE(r.out.find("0.3333"), std::string::npos);
}

TEST(BootstrapCli, BadInputExitsTwoWithOneClearLine) {
  resample::test::expect_usage_errors(
      "bootstrap --values",
      {
          {"5", "n = 1, expected n >= 2"},
          {"2,9,8 --stat mode", "unknown statistic 'mode'"},
          {"2,9,8 --conf 1", "--conf"},
          {"2,9,8 --conf 0", "--conf"},
          {"2,9,8 --conf nan", "--conf"},
          {"2,9,8 --resamples 0", "--resamples"},
          // CLI11 alone wrapped -5 and saturated 2^64 and beyond to 2^64 - 1 without a word.
          {"2,9,8 --resamples 9223372036854775809", "--resamples: got '9223372036854775809'"},
          {"2,9,8 --resamples 99999999999999999999", "expected a whole number from 1 to 2^63"},
          {"2,9,8 --resamples -5", "--resamples: got '-5'"},
          {"2,9,8 --resamples 1.5e0", "--resamples: got '1.5e0'"},
          {"2,9,8 --ci percentile,magic", "--ci"},
          {"2,9,8 --method fast", "--method"},
          {"2,9,8 --threads -1", "--threads"},
          {"2,9,8 --max-memory lots", "--max-memory"},
          {"2,9,8 --stat hl --studentized-se bootstrap", "--studentized-se"},
          {"2,9,8 --stat hl --studentized-se nestd",
           "--studentized-se: studentized se = 'nestd', expected "
           "jackknife, nested, order_statistic or auto; did you mean 'nested'?"},
          {"2,9,8 --studentized-se", "--studentized-se"},
      });
  resample::test::expect_usage_errors("coverage --values",
                                      {{"2,9,8,4 --stat hl --studentized-se jack", "--studentized-se"}});
}

TEST(BootstrapCli, StudentizedSeOptionNamesItsChoiceInTheJson) {
  const std::string values =
      "--values 3.1,-0.4,2.7,5.9,1.2,4.4,0.8,6.3,2.2 --method mc --resamples 2000 --json";
  struct expectation {
    std::string args, se_method;
  };
  for (const auto& e :
       {expectation{"--stat hl --ci percentile,studentized", "order_statistic"},
        expectation{"--stat hl --ci percentile,studentized --studentized-se nested", "nested"},
        expectation{"--stat trimmed:0.2 --ci studentized", "nested"},
        expectation{"--stat hl --studentized-se jackknife", "jackknife"},
        expectation{"--stat median --studentized-se nested --ci studentized", "nested"},
        expectation{"--stat mean --studentized-se nested", "analytic"}}) {
    SCOPED_TRACE(e.args);
    const auto r = run_bootstrap(values + " " + e.args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    ASSERT_TRUE(j.at("studentized").is_object());
    EXPECT_EQ(j.at("studentized").at("se_method"), e.se_method);
    EXPECT_FALSE(j.at("studentized").at("se_description").get<std::string>().empty());
    bool studentized = false;
    for (const auto& i : j.at("intervals")) studentized = studentized || i.at("method") == "studentized";
    EXPECT_TRUE(studentized);
  }
  // The default se* is auto: order_statistic for hl, cheap, so studentized is a default interval;
  // nested for trimmed, 200 times the cost, so the default intervals leave studentized out.
  const auto hl = nlohmann::json::parse(run_bootstrap(values + " --stat hl").out);
  EXPECT_EQ(hl.at("studentized").at("se_method"), "order_statistic");
  EXPECT_EQ(hl.at("intervals").size(), 5u);
  const auto trimmed = run_bootstrap(values + " --stat trimmed:0.2");
  ASSERT_EQ(trimmed.exit_code, 0) << trimmed.err;
  const auto j = nlohmann::json::parse(trimmed.out);
  EXPECT_TRUE(j.at("studentized").is_null());
  EXPECT_EQ(j.at("intervals").size(), 4u);
  // Asked by name for a statistic without one, the order-statistic se* is refused naming the option.
  const auto refused = run_bootstrap(values + " --stat sd --ci studentized --studentized-se order_statistic");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--studentized-se: studentized se = 'order_statistic' for statistic 'sd'"),
            std::string::npos)
      << refused.err;
}

TEST(BootstrapCli, InfeasibleExactSaysHowBigAndSuggestsMonteCarlo) {
  std::string values;
  for (int i = 0; i < 40; ++i) values += (i ? "," : "") + std::to_string(i) + ".5" + std::to_string(i % 7);
  const auto r = run_bootstrap("--values " + values + " --stat median --method exact");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("n = 40"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("e+22"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--method mc"), std::string::npos) << r.err;
}

TEST(BootstrapCli, ZeroJackknifeVarianceGivesNullBcaWithNoteAndNoNaN) {
  const auto r = run_bootstrap("--values 3,3,3,3 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  resample::test::expect_no_nan_or_inf(r.out);
  const auto j = nlohmann::json::parse(r.out);
  bool saw_bca = false;
  for (const auto& i : j.at("intervals")) {
    if (i.at("method") != "bca") continue;
    saw_bca = true;
    EXPECT_TRUE(i.at("lower").is_null());
    EXPECT_TRUE(i.at("upper").is_null());
    EXPECT_NE(i.at("note").get<std::string>().find("zero jackknife variance"), std::string::npos);
  }
  EXPECT_TRUE(saw_bca);
  const auto text = run_bootstrap("--values 3,3,3,3");
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_EQ(text.out.find("nan"), std::string::npos) << text.out;
}

}  // namespace
