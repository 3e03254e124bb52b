// The study description: delimiter and decimal mark, patient IDs, direction, missing values under
// both policies, row conditions, joint complete cases, and the JSON study file. Every refusal is a
// data_error naming the file (and line and column where there is one).

#include "resample/study/study.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "resample/error.hpp"
#include "support/error_message.hpp"

namespace resample {
namespace {

using test::error_of;

class StudyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("study_test_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
            "_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const auto path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  std::filesystem::path dir_;
};

// A European export: ';' between fields, ',' as the decimal mark, IDs, an arm column, missing
// values written three ways, and a higher-is-better function score.
const std::string trial =
    "patient;arm;pain_pre;pain_post;function_pre;function_post\n"
    "P01;A;7;3;40,5;61,0\n"
    "P02;B;8;6;35,0;48,5\n"
    "P03;A;6;NA;52,0;60,0\n"
    "P04;B;9;4;30,0;55,5\n"
    "P05;A;5;5;45,0;.\n"
    "P06;B;7;2;;52,0\n";

endpoint_spec paired(std::string pre, std::string post, direction dir = direction::lower_is_better) {
  endpoint_spec e;
  e.pre = std::move(pre), e.post = std::move(post), e.dir = dir;
  return e;
}

study_description trial_study(const std::string& path) {
  study_description d;
  d.data = path;
  d.id_column = "patient";
  d.dialect.decimal = ',';
  d.endpoints = {paired("pain_pre", "pain_post"),
                 paired("function_pre", "function_post", direction::higher_is_better)};
  return d;
}

TEST_F(StudyTest, EachEndpointUsesItsCompleteCasesAndNamesThoseLeftOut) {
  const auto data = load_study(trial_study(write("trial.csv", trial)));
  EXPECT_EQ(data.rows, 6u);
  EXPECT_EQ(data.ids, (std::vector<std::string>{"P01", "P02", "P03", "P04", "P05", "P06"}));
  ASSERT_EQ(data.endpoints.size(), 2u);
  const auto& pain = data.endpoints[0];
  EXPECT_EQ(pain.name, "pain_pre - pain_post");
  EXPECT_EQ(pain.differences, (std::vector<double>{4, 2, 5, 0, 5}));
  EXPECT_EQ(pain.ids, (std::vector<std::string>{"P01", "P02", "P04", "P05", "P06"}));
  EXPECT_EQ(pain.left_out, (std::vector<std::string>{"P03"}));
  // Higher is better: post - pre, read with the decimal comma, exactly in decimal.
  const auto& function = data.endpoints[1];
  EXPECT_EQ(function.name, "function_post - function_pre");
  EXPECT_EQ(function.dir, direction::higher_is_better);
  EXPECT_EQ(function.differences, (std::vector<double>{20.5, 13.5, 8.0, 25.5}));
  EXPECT_EQ(function.left_out, (std::vector<std::string>{"P05", "P06"}));

  // Joint analyses: the patients complete for both, everyone else left out of every endpoint.
  const auto joint = complete_for_all(data.endpoints, data.ids);
  EXPECT_EQ(joint[0].ids, (std::vector<std::string>{"P01", "P02", "P04"}));
  EXPECT_EQ(joint[0].differences, (std::vector<double>{4, 2, 5}));
  EXPECT_EQ(joint[1].differences, (std::vector<double>{20.5, 13.5, 25.5}));
  EXPECT_EQ(joint[1].left_out, (std::vector<std::string>{"P03", "P05", "P06"}));
}

TEST_F(StudyTest, TheDirectionNegatesTheDifference) {
  auto d = trial_study(write("trial.csv", trial));
  d.endpoints = {paired("function_pre", "function_post", direction::lower_is_better)};
  const auto lower = load_study(d).endpoints.front();
  d.endpoints = {paired("function_pre", "function_post", direction::higher_is_better)};
  const auto higher = load_study(d).endpoints.front();
  ASSERT_EQ(lower.differences.size(), higher.differences.size());
  for (std::size_t i = 0; i < lower.differences.size(); ++i)
    EXPECT_EQ(lower.differences[i], -higher.differences[i]);
}

TEST_F(StudyTest, MissingValuesUnderTheErrorPolicyNameTheCellAndThePatient) {
  auto d = trial_study(write("trial.csv", trial));
  d.missing = missing_policy::error;
  EXPECT_EQ(error_of([&] { load_study(d); }),
            d.data +
                ":4:9: column 'pain_post': missing value 'NA' for patient P03; expected a number (the "
                "missing-value policy complete-case would leave the patient out)");
  // The tokens are configurable; an empty cell is always missing.
  d.missing = missing_policy::complete_case;
  d.missing_tokens = {"-99"};
  EXPECT_EQ(error_of([&] { load_study(d); }),
            d.data + ":4:9: column 'pain_post': expected a finite number, got 'NA'");
}

TEST_F(StudyTest, DelimiterIsDetectedOrGiven) {
  for (const std::string sep : {",", ";", "\t"}) {
    const std::string text = "id" + sep + "pre" + sep + "post\n\"a" + sep + "1\"" + sep + "3" + sep + "1\nb" +
                             sep + "4" + sep + "1.5\n";
    study_description d;
    d.data = write("d.csv", text);
    d.id_column = "id";
    d.endpoints = {paired("pre", "post")};
    const auto data = load_study(d);
    EXPECT_EQ(data.ids, (std::vector<std::string>{"a" + sep + "1", "b"})) << "delimiter " << int(sep[0]);
    EXPECT_EQ(data.endpoints.front().differences, (std::vector<double>{2, 2.5}));
  }
  // A decimal comma cannot share the comma delimiter.
  study_description d;
  d.data = write("c.csv", "pre,post\n1,2\n3,4\n");
  d.dialect.decimal = ',';
  d.endpoints = {paired("pre", "post")};
  EXPECT_NE(error_of([&] { load_study(d); }).find("a decimal comma needs another delimiter"),
            std::string::npos);
  // A decimal comma read with the decimal point: the message says what to change.
  d.data = write("e.csv", "pre;post\n1,5;2\n3;4\n");
  d.dialect.decimal = '.';
  EXPECT_EQ(error_of([&] { load_study(d); }),
            d.data +
                ":2:1: column 'pre': expected a finite number, got '1,5' (a decimal comma? give the decimal "
                "mark ',')");
}

TEST_F(StudyTest, RowConditionsSelectPatients) {
  auto d = trial_study(write("trial.csv", trial));
  d.where = {parse_row_condition("arm=B")};
  auto data = load_study(d);
  EXPECT_EQ(data.ids, (std::vector<std::string>{"P02", "P04", "P06"}));
  EXPECT_EQ(data.endpoints[0].differences, (std::vector<double>{2, 5, 5}));
  d.where = {parse_row_condition("arm != B")};
  EXPECT_EQ(load_study(d).ids, (std::vector<std::string>{"P01", "P03", "P05"}));
  d.where = {parse_row_condition("arm=C")};
  EXPECT_EQ(error_of([&] { load_study(d); }), d.data + ": no data row meets arm=C");
  d.where = {parse_row_condition("amr=B")};
  EXPECT_NE(error_of([&] { load_study(d); }).find("no column named 'amr'"), std::string::npos);
  EXPECT_NE(error_of([&] { parse_row_condition("arm"); }).find("expected COLUMN=VALUE or COLUMN!=VALUE"),
            std::string::npos);
}

TEST_F(StudyTest, PatientIdsAreUniqueAndPresent) {
  auto d = trial_study(write("dup.csv", "patient;pre;post\nP1;1;2\nP2;3;4\nP1;5;6\n"));
  d.endpoints = {paired("pre", "post")};
  EXPECT_EQ(
      error_of([&] { load_study(d); }),
      d.data +
          ":4:1: column 'patient': patient ID 'P1' again (first on line 2); expected one row per patient");
  d.data = write("empty.csv", "patient;pre;post\nP1;1;2\n;3;4\n");
  EXPECT_EQ(error_of([&] { load_study(d); }), d.data + ":3:1: column 'patient': empty patient ID");
  // Without an ID column, patients are named by their line.
  d.id_column.clear();
  d.data = write("na.csv", "pre;post\n1;NA\n3;4\n5;7\n");
  EXPECT_EQ(load_study(d).endpoints.front().left_out, (std::vector<std::string>{"line 2"}));
  // Too few complete patients for an analysis: refused, with the count left out.
  d.data = write("few.csv", "pre;post\n1;NA\n3;4\n");
  EXPECT_EQ(error_of([&] { load_study(d); }),
            d.data +
                ": endpoint 'pre - post': 1 patient(s) with both values, expected at least 2 (1 left out for "
                "a missing value)");
}

TEST_F(StudyTest, AStudyFileDescribesAllOfIt) {
  write("trial.csv", trial);
  const auto path = write("study.json", R"json({
    "data": "trial.csv", "delimiter": ";", "decimal": ",", "id": "patient", "missing": "complete-case",
    "na": ["NA", "."], "where": ["arm!=C"],
    "endpoints": [
      {"name": "pain", "label": "Pain (0-10)", "unit": "points", "pre": "pain_pre", "post": "pain_post",
       "range": "0:10"},
      {"name": "function", "pre": "function_pre", "post": "function_post", "range": [0, 100],
       "direction": "higher-is-better"}]})json");
  const auto d = read_study_file(path);
  EXPECT_EQ(d.data, (dir_ / "trial.csv").lexically_normal().string());  // beside the study file
  EXPECT_EQ(d.dialect.delimiter, ';');
  ASSERT_EQ(d.endpoints.size(), 2u);
  EXPECT_EQ(d.endpoints[0].label, "Pain (0-10)");
  EXPECT_EQ(d.endpoints[1].range->max, 100.0);
  const auto data = load_study(d);
  EXPECT_EQ(data.endpoints[0].name, "pain");
  EXPECT_EQ(data.endpoints[0].difference, "pain_pre - pain_post");
  EXPECT_EQ(data.endpoints[1].differences, (std::vector<double>{20.5, 13.5, 8.0, 25.5}));
}

TEST_F(StudyTest, AStudyFileIsCheckedKeyByKey) {
  auto refused = [&](const std::string& text) { return error_of([&] { parse_study_json(text, "s.json"); }); };
  EXPECT_EQ(refused(R"({"data": "t.csv", "endpoint": []})"),
            "s.json: key 'endpoint': unknown key; did you mean 'endpoints'?");
  EXPECT_EQ(refused(R"({"data": "t.csv", "endpoints": [{"pre": "a"}]})"),
            "s.json: key 'endpoints[0]': expected \"pre\" and \"post\" columns, or a \"difference\" column");
  EXPECT_EQ(refused(R"({"data": 3, "endpoints": [{"difference": "d"}]})"),
            "s.json: key 'data': expected a string, got 3");
  EXPECT_EQ(
      refused(R"({"data": "t.csv", "endpoints": [{"difference": "d", "direction": "up"}]})"),
      "s.json: key 'endpoints[0].direction': direction = 'up', expected lower-is-better or higher-is-better");
  EXPECT_EQ(refused(R"({"data": "t.csv", "missing": "drop", "endpoints": [{"difference": "d"}]})"),
            "s.json: key 'missing': missing = 'drop', expected complete-case or error");
  EXPECT_EQ(refused("{\"data\": \"t.csv\",\n  \"endpoints\": [}"),
            "s.json:2:17: not valid JSON, expected a study object");
  EXPECT_EQ(refused(R"({"endpoints": [{"difference": "d"}]})"),
            "s.json: key 'data': missing: the CSV file of the study");
}

}  // namespace
}  // namespace resample
