// The CSV loader's contract: every rejection is a data_error whose one-line message gives
// FILE:LINE:COLUMN, names the column where there is one, and says what was expected.

#include "resample/study/csv.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "resample/error.hpp"
#include "resample/study/paired.hpp"
#include "support/error_message.hpp"

namespace resample {
namespace {

csv_table parse(std::string_view text) { return parse_csv(text, "t.csv"); }

std::string column_error(std::string_view text, std::string_view column,
                         std::optional<value_range> range = std::nullopt) {
  return test::error_of<data_error>([&] { numeric_column(parse(text), column, range); });
}

TEST(CsvLoader, NonNumericCell) {
  EXPECT_EQ(column_error("pre,post\n1,2\nabc,3\n", "pre"),
            "t.csv:3:1: column 'pre': expected a finite number, got 'abc'");
  EXPECT_EQ(column_error("pre,post\n1,2 kg\n", "post"),
            "t.csv:2:3: column 'post': expected a finite number, got '2 kg'");
  EXPECT_EQ(column_error("p\n+-5\n", "p"), "t.csv:2:1: column 'p': expected a finite number, got '+-5'");
  EXPECT_EQ(column_error("p\n0x10\n", "p"), "t.csv:2:1: column 'p': expected a finite number, got '0x10'");
}

TEST(CsvLoader, EmptyCell) {
  EXPECT_EQ(column_error("pre,post\n1,\n", "post"),
            "t.csv:2:3: column 'post': empty cell, expected a number");
  EXPECT_EQ(column_error("pre,post\n  ,1\n", "pre"),
            "t.csv:2:1: column 'pre': empty cell, expected a number");
  EXPECT_EQ(column_error("pre,post\n\"\",1\n", "pre"),
            "t.csv:2:1: column 'pre': empty cell, expected a number");
}

TEST(CsvLoader, NanAndInfinityAreNotNumbers) {
  for (const char* cell : {"nan", "NaN", "inf", "-inf", "infinity", "1e400"})
    EXPECT_EQ(column_error(std::string("x\n") + cell + "\n", "x"),
              std::string("t.csv:2:1: column 'x': expected a finite number, got '") + cell + "'");
}

TEST(CsvLoader, RaggedRows) {
  EXPECT_EQ(test::error_of<data_error>([] { parse("a,b\n1,2\n1,2,3\n"); }),
            "t.csv:3:5: expected 2 fields as in the header, got 3");
  EXPECT_EQ(test::error_of<data_error>([] { parse("a,b\n1\n"); }),
            "t.csv:2:2: expected 2 fields as in the header, got 1");
  EXPECT_EQ(test::error_of<data_error>([] { parse("a,b\n1,2,\n"); }),
            "t.csv:2:5: expected 2 fields as in the header, got 3");
}

TEST(CsvLoader, HeaderProblems) {
  EXPECT_EQ(test::error_of<data_error>([] { parse("a,b,a\n1,2,3\n"); }),
            "t.csv:1:5: duplicate column name 'a' in the header");
  EXPECT_EQ(test::error_of<data_error>([] { parse("a, b ,b\n"); }),
            "t.csv:1:7: duplicate column name 'b' in the header");
  EXPECT_EQ(test::error_of<data_error>([] { parse("a,,b\n"); }),
            "t.csv:1:3: empty column name in the header");
}

TEST(CsvLoader, UnknownColumnListsTheColumns) {
  EXPECT_EQ(column_error("pre,post\n1,2\n", "after"),
            "t.csv:1:1: no column named 'after'; the columns are: 'pre', 'post'");
  // A huge header is named in part, so that the message stays one readable line.
  std::string wide;
  for (int i = 0; i < 1000; ++i) wide += (i ? ",c" : "c") + std::to_string(i);
  const std::string message = column_error(wide + "\n", "age");
  EXPECT_EQ(message.rfind("t.csv:1:1: no column named 'age'; the columns are: 'c0', 'c1',", 0), 0u)
      << message;
  EXPECT_NE(message.find(", ... (1000 columns)"), std::string::npos) << message;
  EXPECT_LT(message.size(), 500u);
}

TEST(CsvLoader, EmptyFileAndTooFewRows) {
  EXPECT_EQ(test::error_of<data_error>([] { parse(""); }), "t.csv:1:1: empty file: expected a header row");
  EXPECT_EQ(test::error_of<data_error>([] { parse("# only a comment\n\n"); }),
            "t.csv:2:1: empty file: expected a header row");
  EXPECT_EQ(test::error_of<data_error>([] { paired_differences(parse("pre,post\n"), "pre", "post"); }),
            "t.csv:1:1: expected at least 2 data rows, got 0");
  EXPECT_EQ(
      test::error_of<data_error>([] { paired_differences(parse("# c\npre,post\n1,2\n"), "pre", "post"); }),
      "t.csv:2:1: expected at least 2 data rows, got 1");
  EXPECT_EQ(test::error_of<data_error>([] { column_values(parse("d\n1\n"), "d"); }),
            "t.csv:1:1: expected at least 2 data rows, got 1");
}

TEST(CsvLoader, ValueOutsideTheDeclaredScale) {
  EXPECT_EQ(column_error("pain\n3\n11\n", "pain", value_range{0, 10}),
            "t.csv:3:1: column 'pain': value 11 is outside the declared scale 0 to 10");
  EXPECT_EQ(column_error("a,pain\n1,-0.5\n", "pain", value_range{0, 10}),
            "t.csv:2:3: column 'pain': value -0.5 is outside the declared scale 0 to 10");
  // The ends of the scale belong to it.
  EXPECT_EQ(numeric_column(parse("pain\n0\n10\n"), "pain", value_range{0, 10}), (std::vector<double>{0, 10}));
}

TEST(CsvLoader, QuotingErrors) {
  EXPECT_EQ(test::error_of<data_error>([] { parse("a,b\n\"1,2\n"); }),
            "t.csv:2:1: unterminated quoted field");
  EXPECT_EQ(test::error_of<data_error>([] { parse("a,b\n1,\"2\n"); }),
            "t.csv:2:3: unterminated quoted field");
  EXPECT_EQ(test::error_of<data_error>([] { parse("a,b\n\"1\"x,2\n"); }),
            "t.csv:2:4: expected ',' or end of line after a quoted field");
  EXPECT_EQ(test::error_of<data_error>([] { parse("a,b\n1,x\"y\n"); }),
            "t.csv:2:4: unexpected '\"' inside an unquoted field");
}

TEST(CsvLoader, BinaryDataIsRejected) {
  EXPECT_EQ(test::error_of<data_error>([] { parse(std::string("a\n1\n2\0003\n", 8)); }),
            "t.csv:3:1: binary data (a NUL byte): expected a text CSV file");
}

TEST(CsvLoader, AcceptsCommentsCrlfBomAndQuotedFields) {
  const auto table = parse(
      "\xEF\xBB\xBF# a comment\r\n\"pre\",post,\"note, with comma\"\r\n\"1\",\" 2 \",\"say \"\"hi\"\"\"\r\n"
      "   # indented comment\r\n\r\n+3,4e0,\r\n");
  EXPECT_EQ(table.header_line, 2u);
  EXPECT_EQ(table.columns, (std::vector<std::string>{"pre", "post", "note, with comma"}));
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].line, 3u);
  EXPECT_EQ(table.rows[1].line, 6u);
  EXPECT_EQ(table.rows[0].fields[2].text, "say \"hi\"");
  EXPECT_EQ(numeric_column(table, "pre"), (std::vector<double>{1, 3}));
  EXPECT_EQ(numeric_column(table, "post"), (std::vector<double>{2, 4}));
  const auto d = paired_differences(table, "pre", "post");
  EXPECT_EQ(d.differences, (std::vector<double>{-1, -1}));
}

TEST(CsvLoader, LastLineWithoutNewline) {
  const auto table = parse("a,b\n1,2\n3,4");
  EXPECT_EQ(numeric_column(table, "b"), (std::vector<double>{2, 4}));
}

TEST(CsvLoader, FilesThatAreNotCsvFiles) {
  const auto dir = std::filesystem::temp_directory_path();
  EXPECT_EQ(test::error_of<data_error>([&] { read_csv_file((dir / "resample-no-such-file.csv").string()); }),
            (dir / "resample-no-such-file.csv").string() + ": cannot open the file (missing or unreadable)");
  EXPECT_EQ(test::error_of<data_error>([&] { read_csv_file(dir.string()); }),
            dir.string() + ": is a directory, expected a CSV file");
  EXPECT_EQ(test::error_of<data_error>([] { read_csv_file("/dev/null"); }),
            "/dev/null: is not a regular file (device, pipe or socket), expected a CSV file");
}

// pre - post is exact in decimal, rounded once: the same change is the same number at any
// baseline and under any common offset (binary subtraction gives 0.19999999999999998 for
// 0.3 - 0.1 and 0.20000000000000107 for 9.3 - 9.1).
TEST(CsvLoader, DifferencesAreExactDecimalSubtraction) {
  for (const auto& [a, b] :
       std::vector<std::pair<const char*, const char*>>{{"0.3", "0.1"},
                                                        {"9.3", "9.1"},
                                                        {"1000000000000.3", "1000000000000.1"},
                                                        {"+0.25", "0.05"},
                                                        {"2e-1", "0"},
                                                        {"-0.1", "-0.3"},
                                                        {"1.2E+1", "11.8"}})
    EXPECT_EQ(exact_decimal_difference(a, b), 0.2) << a << " - " << b;
  EXPECT_EQ(exact_decimal_difference("5", "5.0"), 0.0);
  EXPECT_EQ(exact_decimal_difference("-3", "4"), -7.0);
  EXPECT_EQ(exact_decimal_difference("1e-320", "0"), 1e-320);
  EXPECT_EQ(exact_decimal_difference("1e300", "1e-300"), 1e300);
  EXPECT_EQ(exact_decimal_difference("1e308", "-1e308"), std::nullopt);  // overflows
  EXPECT_EQ(exact_decimal_difference("x", "1"), std::nullopt);

  const auto table = parse("pre,post\n0.3,0.1\n9.3,9.1\n1e308,-1e308\n");
  const auto first_two = parse("pre,post\n0.3,0.1\n9.3,9.1\n");
  EXPECT_EQ(paired_differences(first_two, "pre", "post").differences, (std::vector<double>{0.2, 0.2}));
  EXPECT_EQ(test::error_of<data_error>([&] { paired_differences(table, "pre", "post"); }),
            "t.csv:4:1: column 'pre' minus column 'post' overflows: the difference is beyond the largest "
            "finite number");
}

}  // namespace
}  // namespace resample
