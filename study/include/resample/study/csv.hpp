#pragma once
// A strict CSV reader for paired designs. Accepts a header row, '#' comment lines, blank lines,
// LF, CRLF or lone CR line ends, a UTF-8 byte-order mark and double-quoted fields; the delimiter
// is a comma, a semicolon or a tab (detected from the header line, or given), and the decimal mark
// a point or (the European export with ';') a comma. Rejects everything else with a data_error
// whose message starts "FILE:LINE:COLUMN:" and names the column and what was expected.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resample/parse_number.hpp"  // parse_finite_number, which reads every numeric cell

namespace resample {

struct csv_field {
  std::string text;
  std::size_t column;  // 1-based character column where the field starts
};

struct csv_row {
  std::size_t line;  // 1-based line number in the source
  std::vector<csv_field> fields;
};

// How an export writes fields and numbers. delimiter 0: detected from the header line as the most
// frequent of ',', ';' and tab outside quotes (',' when the header has none of them).
struct csv_dialect {
  char delimiter = 0;
  char decimal = '.';
};

struct csv_table {
  std::string source;  // file name used in messages
  char delimiter = ',';
  char decimal = '.';
  std::size_t header_line = 0;
  std::vector<std::string> columns;
  std::vector<csv_row> rows;

  // Index of the named column; throws data_error listing the available columns if there is none.
  std::size_t column_index(std::string_view name) const;
};

// Most data cells a table may hold (rows times columns); more is a data_error, so that a hostile
// file cannot exhaust memory.
inline constexpr std::size_t max_csv_cells = 10'000'000;

// Parses CSV text. `source` is the name used in error messages. A decimal comma with a comma
// delimiter (given or detected) is a data_error: the two cannot be told apart.
csv_table parse_csv(std::string_view text, std::string source, csv_dialect dialect = {});
// Reads and parses a file; a missing or unreadable file is a data_error naming it.
csv_table read_csv_file(const std::string& path, csv_dialect dialect = {});
// The text of a numeric cell with the table's decimal mark written as '.' ("3,5" -> "3.5").
std::string numeric_text(const csv_table& table, std::string_view cell);
// The location "FILE:LINE:COLUMN" of a cell, for messages.
std::string cell_location(const csv_table& table, const csv_row& row, std::size_t column_index);
// The whole text of a regular file; a missing or unreadable file, a directory, FIFO or device is a
// data_error naming it and `expected` (e.g. "a CSV file"). read_csv_file reads through it.
std::string read_regular_file(const std::string& path, const std::string& expected);

// Inclusive range of admissible values for a column (a declared measurement scale).
struct value_range {
  double min;
  double max;
};

// The named column as numbers. Every cell must be a finite decimal number (no NaN, no inf, no
// empty cell) inside `range` when one is given.
// One cell as a number, by the same rules (nullopt never: a bad cell is a data_error naming it).
double numeric_cell(const csv_table& table, const csv_row& row, std::size_t column_index,
                    std::optional<value_range> range = std::nullopt);
std::vector<double> numeric_column(const csv_table& table, std::string_view name,
                                   std::optional<value_range> range = std::nullopt);

// a - b for two decimal literals, computed exactly in decimal and rounded once to the nearest
// double. Equal true changes give equal numbers whatever the baseline (9.3 - 9.1 and 0.3 - 0.1
// are both 0.2, where binary subtraction gives two different doubles), so the equality rule of
// the engine (equality.hpp) can compare differences exactly. nullopt when either is not a
// number or the difference overflows.
std::optional<double> exact_decimal_difference(std::string_view a, std::string_view b);

}  // namespace resample
