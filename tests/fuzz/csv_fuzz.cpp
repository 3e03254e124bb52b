// libFuzzer target: the CSV loader and everything that reads columns from a table.
// Any input must either load or raise resample::data_error whose message is one line starting
// "FILE:LINE:COLUMN:"; any other exception, crash, leak or sanitizer report is a bug.

#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "resample/error.hpp"
#include "resample/study/csv.hpp"
#include "resample/study/paired.hpp"

namespace {

constexpr std::string_view source = "fuzz.csv";

// The documented message shape: "fuzz.csv:LINE:COLUMN: ..." on a single line.
void check_message(const resample::data_error& e) {
  const std::string_view m = e.what();
  if (m.find('\n') != std::string_view::npos || m.substr(0, source.size()) != source) __builtin_trap();
  std::size_t i = source.size();
  for (int part = 0; part < 2; ++part) {
    if (i >= m.size() || m[i] != ':') __builtin_trap();
    ++i;
    const std::size_t digits = i;
    while (i < m.size() && std::isdigit(static_cast<unsigned char>(m[i]))) ++i;
    if (i == digits) __builtin_trap();
  }
  if (m.substr(i, 2) != ": ") __builtin_trap();
}

template <class F>
void expect_data_or_error(F&& f) {
  try {
    f();
  } catch (const resample::data_error& e) {
    check_message(e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto v = resample::parse_finite_number(text); v && !std::isfinite(*v)) __builtin_trap();

  resample::csv_table table;
  try {
    table = resample::parse_csv(text, std::string(source));
  } catch (const resample::data_error& e) {
    check_message(e);
    return 0;
  }
  for (const auto& row : table.rows)
    if (row.fields.size() != table.columns.size()) __builtin_trap();

  for (const auto& name : table.columns) {
    expect_data_or_error([&] {
      for (double v : resample::numeric_column(table, name))
        if (!std::isfinite(v)) __builtin_trap();
    });
    expect_data_or_error([&] {
      for (double v : resample::numeric_column(table, name, resample::value_range{0, 10}))
        if (!(v >= 0 && v <= 10)) __builtin_trap();
    });
    expect_data_or_error([&] { (void)resample::column_values(table, name); });
  }
  if (table.columns.size() >= 2) {
    expect_data_or_error([&] {
      const auto e = resample::paired_differences(table, table.columns[0], table.columns[1]);
      if (e.differences.size() != table.rows.size() || e.differences.size() < 2) __builtin_trap();
    });
  }
  // A name the header cannot hold (a comma) is never found.
  try {
    (void)table.column_index("no,such");
    __builtin_trap();
  } catch (const resample::data_error& e) {
    check_message(e);
  }
  return 0;
}
