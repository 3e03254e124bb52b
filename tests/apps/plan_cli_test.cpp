// `resample plan` as a user runs it: the paper's data get the exact answer, the JSON contract
// holds, the printed command runs, and bad input exits 2 with one line.

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "support/cli_runner.hpp"

namespace {

using resample::test::expect_usage_error;
using resample::test::run_cli;

nlohmann::json plan_json(const std::string& args) {
  const auto r = run_cli("plan " + args + " --json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

// The plan's command, run: "resample ..." becomes the binary under test.
nlohmann::json run_printed_command(const nlohmann::json& plan) {
  std::string command = plan.at("recommended_command").get<std::string>();
  EXPECT_EQ(command.rfind("resample ", 0), 0u) << command;
  const auto r = run_cli(command.substr(9) + " --json");
  EXPECT_EQ(r.exit_code, 0) << command << ": " << r.err;
  return nlohmann::json::parse(r.out);
}

TEST(PlanCli, PaperPainValuesRecommendExact) {
  const auto j = plan_json("--values 2,9,8,10,6,4 --stat mean --ci percentile --precision 0.01");
  EXPECT_EQ(j.at("recommendation"), "exact");
  EXPECT_EQ(j.at("resamples"), 462.0);
  EXPECT_TRUE(j.at("predicted_seconds").is_number());
  EXPECT_NE(j.at("recommended_command").get<std::string>().find("--method exact"), std::string::npos);
  const auto result = run_printed_command(j);
  EXPECT_EQ(result.at("mode"), "exact");
  EXPECT_NEAR(result.at("intervals").at(0).at("lower").get<double>(), 4.1667, 1e-4);
}

TEST(PlanCli, PaperPainFromTheCsvRecommendExact) {
  const std::string data = std::string(RESAMPLE_SOURCE_DATA_DIR) + "/gaughen2002_table1.csv";
  const auto j =
      plan_json("--data " + data + " --pre repeat_pain_pre --post repeat_pain_post --ci bca --relative 0.01");
  EXPECT_EQ(j.at("recommendation"), "exact");
  EXPECT_EQ(j.at("n"), 6);
  const auto result = run_printed_command(j);
  EXPECT_EQ(result.at("mode"), "exact");
}

TEST(PlanCli, PaperPainSignFlipTestIsExact) {
  const auto j = plan_json("--values 2,9,8,10,6,4 --test signflip --precision 0.001");
  EXPECT_EQ(j.at("recommendation"), "exact");
  EXPECT_EQ(j.at("resamples"), 64.0);
  const auto result = run_printed_command(j);
  EXPECT_NEAR(result.at("endpoints").at(0).at("tests").at(0).at("p_value").get<double>(), 0.03125, 1e-12);
}

TEST(PlanCli, RealValuedDataGetMonteCarloCommand) {
  // 40 distinct irrational values: too many multisets and no lattice.
  std::string values;
  for (int i = 0; i < 40; ++i) values += (i ? "," : "") + std::to_string(std::sqrt(2.0 + i) * 1.37);
  const auto j =
      plan_json("--values " + values + " --stat median --ci percentile --precision 0.02 --threads 1");
  EXPECT_EQ(j.at("recommendation"), "monte-carlo");
  const auto b = j.at("resamples").get<std::uint64_t>();
  EXPECT_GE(b, 1000u);
  const auto& command = j.at("recommended_command").get<std::string>();
  EXPECT_NE(command.find("--resamples " + std::to_string(b)), std::string::npos) << command;
  EXPECT_NE(command.find("--threads 1"), std::string::npos) << command;
  const auto result = run_printed_command(j);
  EXPECT_EQ(result.at("mode"), "monte-carlo");
}

TEST(PlanCli, AnUnreachablePrecisionGetsTheBestRunWithinADayAnd1e15Resamples) {
  const std::string values =
      "1.28,4.75,-1.79,3.98,0.22,0.22,6.7,1.47,0.87,3.19,4.38,0.91,2.76,-1.92,-0.1,-0.31,-3.0,-3.53,-3.88,0."
      "28,"
      "0.48,0.04,1.21,-3.01,0.76,1.71,3.25,-1.54,-0.2,-5.05";
  const auto j =
      plan_json("--values " + values + " --stat median --ci percentile --precision 1e-9 --threads 1");
  ASSERT_TRUE(j["over_limits"].is_string()) << j.dump(2);
  EXPECT_NE(j["over_limits"].get<std::string>().find("needs B = "), std::string::npos);
  EXPECT_LE(j["resamples"].get<double>(), 1e15);
  EXPECT_LE(j["predicted_seconds"].get<double>(), 86400.0);
  EXPECT_GT(j["monte_carlo"]["resamples_needed"].get<double>(), 1e15);
  EXPECT_NE(j["recommended_command"].get<std::string>().find(
                "--resamples " + std::to_string(j["resamples"].get<std::uint64_t>())),
            std::string::npos);
}

TEST(PlanCli, BadInputExitsTwoWithOneLine) {
  resample::test::expect_usage_errors("plan --values 2,9,8",
                                      {
                                          {"--ci percentile", "--precision"},
                                          {"--precision 0.01", "--ci"},
                                          {"--ci percentile --test sign --precision 0.01", "--ci"},
                                          {"--ci nonsense --precision 0.01", "nonsense"},
                                          {"--test nonsense --precision 0.01", "nonsense"},
                                          {"--ci percentile --precision -1", "positive"},
                                      });
}

}  // namespace
