// `resample ordinal` as a process: the paper's repeat mobility, the contract of its output, and bad
// input.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/cli_runner.hpp"

namespace {

const std::string table =
    std::string("ordinal --data ") + RESAMPLE_SOURCE_DATA_DIR + "/gaughen2002_table1.csv";
const std::string mobility = table + " --pre repeat_mobility_pre --post repeat_mobility_post";

TEST(OrdinalCli, PaperMobilityTableAndTests) {
  const auto r = resample::test::run_cli(mobility + " --dichotomize 1 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& e = j["endpoints"][0];
  EXPECT_EQ(e["table"]["levels"], nlohmann::json({0, 1, 2, 3}));
  // Before 1, 2, 1, 0, 0, 3; after 0, 1, 0, 0, 0, 0.
  EXPECT_EQ(e["table"]["counts"], nlohmann::json({{2, 0, 0, 0}, {2, 0, 0, 0}, {0, 1, 0, 0}, {1, 0, 0, 0}}));
  EXPECT_EQ(e["table"]["discordant"], 4);
  ASSERT_EQ(e["tests"].size(), 3u);
  for (const auto& t : e["tests"]) {
    EXPECT_EQ(t["method"], "exact_conditional") << t["test"];
    EXPECT_TRUE(t["exact"].get<bool>());
  }
  EXPECT_EQ(e["tests"][0]["p_value"], e["tests"][1]["p_value"]);            // Bhapkar's exact p is SM's
  EXPECT_DOUBLE_EQ(e["linear_by_linear"]["p_value"].get<double>(), 0.125);  // the reference value
  const auto& m = e["mcnemar"];
  EXPECT_EQ(m["before_only"], 3);
  EXPECT_EQ(m["after_only"], 0);
  EXPECT_DOUBLE_EQ(m["test"]["p_value"].get<double>(), 0.25);
  EXPECT_EQ(m["interval_method"], "newcombe_hybrid_score");
}

TEST(OrdinalCli, TextNamesEveryTestAndTheSameSeedGivesTheSameMonteCarlo) {
  const auto text = resample::test::run_cli(mobility);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  for (const char* name : {"pre \\ post", "stuart_maxwell", "bhapkar", "bowker", "linear_by_linear"})
    EXPECT_NE(text.out.find(name), std::string::npos) << name;
  resample::test::expect_same_output_for_one_and_two_threads(mobility +
                                                             " --method mc --resamples 3000 --json");
  const auto csv = resample::test::run_cli(mobility + " --format csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("endpoint,test,statistic,df,p_value,asymptotic_p,exact,method", 0), 0u) << csv.out;
}

TEST(OrdinalCli, BadInputExitsTwoWithOneLine) {
  resample::test::expect_usage_error(resample::test::run_cli("ordinal --values 1,2,3"), "--pre and --post");
  resample::test::expect_usage_error(resample::test::run_cli(mobility + " --method approx"), "--method");
  resample::test::expect_usage_error(resample::test::run_cli(mobility + " --dichotomize many"),
                                     "--dichotomize");
  resample::test::expect_usage_error(resample::test::run_cli(mobility + " --conf 2"), "--conf");
}

}  // namespace
