// Claims files: the expression language, the figure kinds, missing cells and the errors that name
// the file and key.
#include "resample/study/claims.hpp"

#include <gtest/gtest.h>

#include "resample/error.hpp"

namespace resample {
namespace {

const csv_table table = parse_csv(
    "id,a,b,group\n"
    "p1,1,4,x\n"
    "p2,2,NA,x\n"
    "p3,3,1,y\n"
    "p4,5,5,y\n",
    "t.csv");
const std::vector<std::size_t> all_rows{0, 1, 2, 3};
const std::vector<std::string> ids{"p1", "p2", "p3", "p4"};
const std::vector<std::string> na{"NA"};

figure_claim claim_from(const std::string& entry) {
  return parse_claims_json("{\"figures\": [" + entry + "]}", "c.json").figures.at(0);
}

TEST(Claims, ExpressionsParseColumnsNumbersAndSigns) {
  const auto e = parse_column_expression(" a - b + 2 ");
  ASSERT_EQ(e.terms.size(), 3u);
  EXPECT_EQ(e.terms[0].column, "a");
  EXPECT_TRUE(e.terms[1].negative);
  EXPECT_EQ(e.terms[2].number, 2);
  EXPECT_EQ(parse_column_expression("-a").terms.at(0).negative, true);
  const auto c = parse_condition_expression("a - b >= 3");
  EXPECT_EQ(c.op, ">=");
  EXPECT_EQ(c.right.terms.at(0).number, 3);
  EXPECT_EQ(parse_condition_expression("a<b").op, "<");
  for (const char* bad : {"", "a -", "a * b", "a b", "1x"})
    EXPECT_THROW(parse_column_expression(bad), invalid_argument) << bad;
  EXPECT_THROW(parse_condition_expression("a + b"), invalid_argument);
}

TEST(Claims, MeanRangeAndCountWithMissingCellsNamed) {
  const auto mean = evaluate_figure(
      claim_from(R"({"id": "m", "statement": "s", "mean": "a - b", "stated": -0.3333, "decimals": 4})"),
      table, all_rows, ids, na);
  EXPECT_DOUBLE_EQ(mean.computed.at(0), (-3 + 2 + 0) / 3.0);
  EXPECT_TRUE(mean.matches);
  EXPECT_EQ(mean.left_out, (std::vector<std::string>{"p2"}));
  EXPECT_EQ(mean.rows, 3u);

  const auto range =
      evaluate_figure(claim_from(R"({"id": "r", "statement": "s", "range": "a", "stated": [1, 5]})"), table,
                      all_rows, ids, na);
  EXPECT_EQ(range.computed, (std::vector<double>{1, 5}));
  EXPECT_TRUE(range.matches);
  EXPECT_TRUE(range.left_out.empty());

  const auto count = evaluate_figure(
      claim_from(R"({"id": "c", "statement": "s", "count": "b < a", "among": "a >= 2", "stated": [1, 2]})"),
      table, all_rows, ids, na);
  EXPECT_EQ(count.computed, (std::vector<double>{1, 2}));  // p3 of p3, p4 (p2 has no b)
  EXPECT_TRUE(count.matches);
  EXPECT_EQ(count.left_out, (std::vector<std::string>{"p2"}));

  const auto wrong = evaluate_figure(
      claim_from(R"({"id": "w", "statement": "s", "mean": "a", "stated": 2.9, "decimals": 1})"), table,
      all_rows, ids, na);
  EXPECT_DOUBLE_EQ(wrong.computed.at(0), 2.75);
  EXPECT_FALSE(wrong.matches);  // 2.75 rounds to 2.8

  const auto subset =
      evaluate_figure(claim_from(R"({"id": "s", "statement": "s", "mean": "a", "stated": 4})"), table, {2, 3},
                      {"p3", "p4"}, na);
  EXPECT_DOUBLE_EQ(subset.computed.at(0), 4);
}

TEST(Claims, ProportionsCountOverTheRowsComplete) {
  const auto claims = parse_claims_json(
      R"({"proportions": [{"id": "p", "statement": "s", "count": "a - b <= 0"}]})", "c.json");
  const auto count = evaluate_proportion(claims.proportions.at(0), table, all_rows, ids, na);
  EXPECT_EQ(count.trials, 3u);
  EXPECT_EQ(count.successes, 2u);
  EXPECT_EQ(count.left_out, (std::vector<std::string>{"p2"}));
}

TEST(Claims, ErrorsNameTheFileAndKey) {
  auto message = [](const std::string& text) {
    try {
      parse_claims_json(text, "c.json");
    } catch (const data_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("{\"figures\": [}"), "c.json:1:14: not valid JSON, expected a claims object");
  EXPECT_EQ(message(R"({"figure": []})").rfind("c.json: key 'figure': unknown key", 0), 0u)
      << message(R"({"figure": []})");
  EXPECT_EQ(
      message(R"({"figures": [{"id": "x", "statement": "s", "mean": "a", "range": "a", "stated": 1}]})"),
      "c.json: key 'figures[0]': expected exactly one of \"mean\", \"range\" or \"count\"");
  EXPECT_EQ(message(R"({"figures": [{"id": "x", "statement": "s", "range": "a", "stated": 1}]})"),
            "c.json: key 'figures[0].stated': expected two stated numbers ([min, max] or [k, of])");
  EXPECT_NE(message(R"({"figures": [{"id": "x", "statement": "s", "mean": "a *", "stated": 1}]})")
                .find("c.json: key 'figures[0].mean': 'a *'"),
            std::string::npos);
  EXPECT_EQ(
      message(
          R"({"sensitivity": {"changes": [{"id": "x", "description": "d", "endpoint": "e", "patient": 6}]}})"),
      "c.json: key 'sensitivity.changes[0]': expected one of \"pre\" or \"post\": the value replaced");
  // A column that does not exist is the data's error, naming the columns there are.
  const auto missing_column = claim_from(R"({"id": "m", "statement": "s", "mean": "nope", "stated": 1})");
  EXPECT_THROW(evaluate_figure(missing_column, table, all_rows, ids, na), data_error);
}

}  // namespace
}  // namespace resample
