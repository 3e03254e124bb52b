// Any study from the command line: a semicolon-delimited export with a decimal comma, patient IDs,
// missing values in two endpoints, a higher-is-better endpoint and a subgroup column. Each number
// equals the same command's on the complete cases given as --values, and every output names the
// patients it left out.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/cli_json.hpp"
#include "support/cli_runner.hpp"
#include "support/scratch_directory.hpp"

namespace {

using nlohmann::json;
using resample::test::expect_usage_errors;
using resample::test::run_cli;

const std::string study_file = std::string(RESAMPLE_TEST_DATA_DIR) + "/study/trial.json";
const std::string data_file = std::string(RESAMPLE_TEST_DATA_DIR) + "/study/trial.csv";
const std::string study = " --study '" + study_file + "'";

using resample::test::run_cli_json;

// The trial's complete cases, by hand from tests/data/study/trial.csv: pain is pre - post without
// P03 (NA); function is post - pre (higher is better) without P06 (NA) and P08 (empty).
const std::string pain_values = "4,2,5,0,5,1,5,3,4,4,4";
const std::string function_values = "20.5,13.5,8,25.5,-1,9,15.5,16,18,19";

TEST(StudyCli, EachEndpointEqualsItsCompleteCasesAndSaysWhoWasLeftOut) {
  const json j = run_cli_json("test" + study);
  const auto& analysed = j.at("input").at("analysed");
  ASSERT_EQ(analysed.size(), 2u);
  EXPECT_EQ(analysed[0].at("endpoint"), "pain");
  EXPECT_EQ(analysed[0].at("difference"), "pain_pre - pain_post");
  EXPECT_EQ(analysed[0].at("n"), 11);
  EXPECT_EQ(analysed[0].at("left_out"), json::array({"P03"}));
  EXPECT_EQ(analysed[1].at("direction"), "higher-is-better");
  EXPECT_EQ(analysed[1].at("difference"), "function_post - function_pre");
  EXPECT_EQ(analysed[1].at("left_out"), json::array({"P06", "P08"}));

  int index = 0;
  for (const auto& values : {pain_values, function_values}) {
    const json alone = run_cli_json("test --values " + values);
    const auto& mine = j.at("endpoints")[index].at("tests");
    const auto& theirs = alone.at("endpoints")[0].at("tests");
    ASSERT_EQ(mine.size(), theirs.size());
    for (std::size_t t = 0; t < mine.size(); ++t) {
      EXPECT_EQ(mine[t].at("p_value"), theirs[t].at("p_value")) << mine[t].at("test");
      EXPECT_EQ(mine[t].at("observed"), theirs[t].at("observed")) << mine[t].at("test");
    }
    EXPECT_EQ(j.at("endpoints")[index].at("estimates"), alone.at("endpoints")[0].at("estimates"));
    ++index;
  }
}

TEST(StudyCli, JointTestsUseThePatientsCompleteForAll) {
  const json j = run_cli_json("test --test signflip" + study);
  const auto& adjustment = j.at("adjustment");
  EXPECT_EQ(adjustment.at("n"), 9);
  EXPECT_EQ(adjustment.at("left_out"), json::array({"P03", "P06", "P08"}));
  // The same joint test on a file without those three patients.
  const resample::test::cli_result direct =
      run_cli("test --test signflip --data '" + data_file +
              "' --delimiter ';' --decimal , --where 'patient!=P03' --where 'patient!=P06' --where "
              "'patient!=P08' --pre "
              "pain_pre --post pain_post --pre function_pre --post function_post --direction lower-is-better "
              "--direction higher-is-better --format json");
  ASSERT_EQ(direct.exit_code, 0) << direct.err;
  const json d = json::parse(direct.out);
  EXPECT_EQ(d.at("adjustment").at("left_out"), json::array());
  for (std::size_t e = 0; e < 2; ++e) {
    EXPECT_EQ(j.at("adjusted")[e].at("max_t_p"), d.at("adjusted")[e].at("max_t_p"));
    EXPECT_EQ(j.at("adjusted")[e].at("holm_p"), d.at("adjusted")[e].at("holm_p"));
  }
}

TEST(StudyCli, BootstrapOfOneEndpointOfTheStudy) {
  const json j = run_cli_json("bootstrap --endpoint function" + study);
  const json alone = run_cli_json("bootstrap --values " + function_values);
  EXPECT_EQ(j.at("estimate"), alone.at("estimate"));
  EXPECT_EQ(j.at("intervals"), alone.at("intervals"));
  EXPECT_EQ(j.at("endpoint"), "function");
  // A subgroup: arm B's patients complete for function are P02, P04, P10, P12.
  const json b = run_cli_json("bootstrap --endpoint function --where arm=B" + study);
  EXPECT_EQ(b.at("input").at("where"), json::array({"arm=B"}));
  EXPECT_EQ(b.at("input").at("analysed")[0].at("n"), 4);
  EXPECT_EQ(b.at("estimate"), run_cli_json("bootstrap --values 13.5,25.5,16,19").at("estimate"));
}

TEST(StudyCli, TextAndMarkdownNameThePatientsLeftOut) {
  for (const std::string format : {"text", "markdown"}) {
    const auto r = run_cli("test --test sign" + study + " --format " + format);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(
        r.out.find(
            "pain: pain_pre - pain_post, lower is better, 11 patients; left out for a missing value: P03"),
        std::string::npos)
        << r.out;
    EXPECT_NE(
        r.out.find("function: function_post - function_pre, higher is better, 10 patients; left out for a "
                   "missing value: P06, P08"),
        std::string::npos)
        << r.out;
  }
  const auto csv = run_cli("test" + study + " --format csv");
  EXPECT_EQ(csv.exit_code, 0) << csv.err;
}

TEST(StudyCli, TheErrorPolicyStopsAtTheFirstMissingValue) {
  expect_usage_errors("test" + study, {{"--missing error",
                                        "trial.csv:4:15: column 'pain_post': missing value 'NA' "
                                        "for patient P03"}});
}

TEST(StudyCli, BadStudyOptionsExitTwoWithOneLine) {
  const std::string data = " --data '" + data_file + "' --pre pain_pre --post pain_post";
  expect_usage_errors(
      "test",
      {
          {data + " --missing maybe", "--missing: missing = 'maybe', expected complete-case or error"},
          {data + " --direction up", "--direction: direction = 'up'"},
          {data + " --direction higher-is-better --direction lower-is-better",
           "--direction: got 2 for 1 endpoints"},
          {data + " --where arm", "--where: expected COLUMN=VALUE or COLUMN!=VALUE"},
          {data + " --where amr=B", "no column named 'amr'"},
          {data + " --where arm=C", "no data row meets arm=C"},
          {data + " --delimiter '|'", "--delimiter: got '|'"},
          {data + " --decimal , --delimiter ,", "--decimal: a decimal comma needs"},
          {data + " --decimal x", "--decimal: got 'x'"},
          {" --data '" + data_file + "' --pre function_pre --post function_post",
           "(a decimal comma? give the decimal mark ',')"},
          {"--values 1,2,3 --id patient", "--values: cannot be combined"},
          {study + " --data x.csv", "--study: the study file names the data"},
          {study + " --endpoint pian", "did you mean 'pain'?"},
          {" --study /nonexistent/s.json", "/nonexistent/s.json: cannot open the file"},
      });
}

}  // namespace
