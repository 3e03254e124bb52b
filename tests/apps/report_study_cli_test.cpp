// The report of a study it was not written for, as a user runs it: a semicolon-delimited export
// with a decimal comma, patient IDs, missing values in both endpoints, a higher-is-better endpoint
// and a subgroup column (tests/data/study/trial.json). Every format completes in one command, says
// who was left out, and each number equals the bootstrap and test commands' on the same cases.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/cli_json.hpp"
#include "support/cli_runner.hpp"

namespace {

using nlohmann::json;
using resample::test::run_cli;

const std::string trial_study = " --study '" + std::string(RESAMPLE_TEST_DATA_DIR) + "/study/trial.json'";

using resample::test::run_cli_json;

const json& find_interval(const json& intervals, const std::string& method) {
  for (const auto& i : intervals)
    if (i.at("method") == method) return i;
  throw std::runtime_error("no interval " + method);
}

TEST(ReportStudyCli, EveryNumberEqualsTheCommandsOnTheSameCompleteCases) {
  const json report = run_cli_json("report --improved-by 3" + trial_study);
  ASSERT_EQ(report.at("effects").size(), 2u);
  EXPECT_EQ(report.at("n"), 12);
  EXPECT_EQ(report.at("claims"), nullptr);
  const json tests = run_cli_json("test --test signflip,sign,wilcoxon,t" + trial_study);
  for (std::size_t e = 0; e < 2; ++e) {
    const auto& effect = report.at("effects")[e];
    const std::string name = effect.at("id");
    SCOPED_TRACE(name);
    EXPECT_EQ(effect.at("left_out"), tests.at("input").at("analysed")[e].at("left_out"));
    EXPECT_EQ(effect.at("n"), tests.at("input").at("analysed")[e].at("n"));
    // The tests: the same p-values (the report's four, in the test command's order).
    const auto& mine = effect.at("tests");
    const auto& theirs = tests.at("endpoints")[e].at("tests");
    ASSERT_EQ(mine.size(), theirs.size());
    for (std::size_t t = 0; t < mine.size(); ++t) {
      EXPECT_EQ(mine[t].at("test"), theirs[t].at("test"));
      EXPECT_EQ(mine[t].at("p_value"), theirs[t].at("p_value")) << mine[t].at("test");
    }
    // The bootstrap of the mean: the same estimate and intervals.
    const json boot =
        run_cli_json("bootstrap --stat mean --ci percentile,bca --endpoint " + name + trial_study);
    EXPECT_EQ(effect.at("estimate"), boot.at("estimate"));
    for (const char* method : {"percentile", "bca"}) {
      const auto& a = find_interval(effect.at("bootstrap").at("intervals"), method);
      const auto& b = find_interval(boot.at("intervals"), method);
      EXPECT_EQ(a.at("lower"), b.at("lower")) << method;
      EXPECT_EQ(a.at("upper"), b.at("upper")) << method;
    }
  }
  // The joint family is both endpoints on the nine patients complete for both, as test's adjustment.
  ASSERT_EQ(report.at("joint").size(), 1u);
  EXPECT_EQ(report.at("joint")[0].at("n"), tests.at("adjustment").at("n"));
  EXPECT_EQ(report.at("joint")[0].at("left_out"), tests.at("adjustment").at("left_out"));
  // --improved-by 3 gives one share per endpoint, over that endpoint's patients.
  ASSERT_EQ(report.at("proportions").size(), 2u);
  EXPECT_EQ(report.at("proportions")[0].at("trials"), 11);
  EXPECT_EQ(report.at("proportions")[1].at("left_out"), json::array({"P06", "P08"}));
  // Fragility rows are named by patient ID.
  EXPECT_EQ(report.at("effects")[0].at("leave_one_out")[0].at("patient_left_out"), "P01");
}

TEST(ReportStudyCli, TextMarkdownAndCsvAreCompleteAndNameWhoWasLeftOut) {
  for (const std::string format : {"text", "markdown"}) {
    const auto r = run_cli("report" + trial_study + " --format " + format);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("Paired study: 12 patients"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("left out for a missing value: P03"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("left out for a missing value: P06, P08"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("function_post - function_pre"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Fragility"), std::string::npos);
    EXPECT_NE(r.out.find("Left out (not complete for every endpoint): P03, P06, P08."), std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("Sensitivity"), std::string::npos);  // no claims file, no sensitivity
  }
  for (const std::string format : {"csv", "tsv"}) {
    const auto r = run_cli("report" + trial_study + " --format " + format);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 3) << r.out;  // header and two endpoints
  }
  // A subgroup is a smaller study of the same kind.
  const json b = run_cli_json("report --where arm=B" + trial_study);
  EXPECT_EQ(b.at("input").at("where"), json::array({"arm=B"}));
  EXPECT_EQ(b.at("n"), 6);
}

TEST(ReportStudyCli, ByRepeatsTheReportForEachGroupAsWhereWouldSelectIt) {
  const json by = run_cli_json("report --by arm" + trial_study);
  EXPECT_EQ(by.at("n"), 12);  // the whole study first
  ASSERT_EQ(by.at("by").at("column"), "arm");
  const auto& groups = by.at("by").at("groups");
  ASSERT_EQ(groups.size(), 2u);
  for (const auto& g : groups) {
    const std::string value = g.at("value");
    SCOPED_TRACE(value);
    EXPECT_EQ(g.at("error"), nullptr);
    const json alone = run_cli_json("report --where arm=" + value + trial_study);
    EXPECT_EQ(g.at("report").at("effects"), alone.at("effects"));
    EXPECT_EQ(g.at("report").at("joint"), alone.at("joint"));
    EXPECT_EQ(g.at("report").at("input").at("where"), json::array({"arm=" + value}));
  }
  EXPECT_EQ(groups[0].at("value"), "A");  // in the order the values first appear
  const auto csv = run_cli("report --by arm --format csv" + trial_study);
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 7) << csv.out;  // header, 2 whole, 2 x 2 groups
  EXPECT_NE(csv.out.find("\narm=B,function,"), std::string::npos) << csv.out;
  const auto text = run_cli("report --by site" + trial_study);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Paired study, site = south: 6 patients"), std::string::npos) << text.out;
  const auto missing = run_cli("report --by nope" + trial_study);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no column named 'nope'"), std::string::npos) << missing.err;
}

TEST(ReportStudyCli, AClaimsFileThatDoesNotFitIsOneLineNamingIt) {
  const std::string claims = std::string(RESAMPLE_SOURCE_DATA_DIR) + "/gaughen2002_claims.json";
  const auto r = run_cli("report" + trial_study + " --claims '" + claims + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("no column named 'age'"), std::string::npos) << r.err;
}

}  // namespace
