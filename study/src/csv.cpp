#include "resample/study/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include "resample/error.hpp"
#include "resample/vocabulary.hpp"
#include "text.hpp"

namespace resample {

namespace {

std::string location(const std::string& source, std::size_t line, std::size_t column) {
  return source + ":" + std::to_string(line) + ":" + std::to_string(column);
}

[[noreturn]] void fail(const std::string& source, std::size_t line, std::size_t column,
                       const std::string& what) {
  throw data_error(location(source, line, column) + ": " + what);
}

// Shortens a cell for quoting in a message, so that a hostile line cannot flood the terminal.
std::string quote_cell(std::string_view text) {
  constexpr std::size_t limit = 40;
  std::string out;
  for (char c : text.substr(0, limit)) out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
  if (text.size() > limit) out += "...";
  return "'" + out + "'";
}

std::string delimiter_name(char delimiter) {
  return delimiter == '\t' ? std::string("a tab") : "'" + std::string(1, delimiter) + "'";
}

// Splits one physical line into fields. Quoted fields may hold delimiters and doubled quotes; they
// may not span lines (a paired-data file has no use for embedded newlines).
std::vector<csv_field> split_line(std::string_view line, const std::string& source, std::size_t line_number,
                                  char delimiter) {
  std::vector<csv_field> fields;
  std::size_t i = 0;
  while (true) {
    csv_field field{{}, i + 1};
    if (i < line.size() && line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.text += '"';
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        field.text += line[i++];
      }
      if (!closed) fail(source, line_number, field.column, "unterminated quoted field");
      if (i < line.size() && line[i] != delimiter)
        fail(source, line_number, i + 1,
             "expected " + delimiter_name(delimiter) + " or end of line after a quoted field");
    } else {
      const std::size_t end = line.find(delimiter, i);
      const std::size_t stop = end == std::string_view::npos ? line.size() : end;
      field.text.assign(line.substr(i, stop - i));
      if (field.text.find('"') != std::string::npos)
        fail(source, line_number, field.column + field.text.find('"'),
             "unexpected '\"' inside an unquoted field");
      i = stop;
    }
    fields.push_back(std::move(field));
    if (i >= line.size()) break;
    ++i;                     // skip the delimiter
    if (i == line.size()) {  // trailing delimiter: one more, empty field
      fields.push_back({{}, i + 1});
      break;
    }
  }
  return fields;
}

// The delimiter of a header line: the most frequent of ',', ';' and tab outside quotes.
char detect_delimiter(std::string_view header) {
  std::size_t comma = 0, semicolon = 0, tab = 0;
  bool quoted = false;
  for (char c : header) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    comma += c == ',';
    semicolon += c == ';';
    tab += c == '\t';
  }
  if (semicolon > comma && semicolon >= tab) return ';';
  if (tab > comma && tab > semicolon) return '\t';
  return ',';
}

using study_text::trim;

// A decimal literal as sign, digits (no leading zeros) and a power of ten: value = digits * 10^exponent.
struct decimal {
  bool negative = false;
  std::string digits;  // empty for zero
  long exponent = 0;
};

std::optional<decimal> parse_decimal(std::string_view text) {
  text = trim(text);
  decimal d;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    d.negative = text.front() == '-';
    text.remove_prefix(1);
  }
  bool seen_point = false, seen_digit = false;
  std::size_t i = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      seen_digit = true;
      if (!(d.digits.empty() && c == '0')) d.digits += c;
      if (seen_point) --d.exponent;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!seen_digit) return std::nullopt;
  if (i < text.size()) {
    if (text[i] != 'e' && text[i] != 'E') return std::nullopt;
    long power = 0;
    const auto [end, ec] = std::from_chars(text.data() + i + 1 + (text.size() > i + 1 && text[i + 1] == '+'),
                                           text.data() + text.size(), power);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    d.exponent += power;
  }
  if (d.digits.empty()) d.negative = false, d.exponent = 0;
  return d;
}

// |a| - |b| for digit strings of equal length with |a| >= |b|.
std::string subtract_digits(const std::string& a, const std::string& b) {
  std::string out(a.size(), '0');
  int borrow = 0;
  for (std::size_t i = a.size(); i-- > 0;) {
    int v = (a[i] - '0') - (b[i] - '0') - borrow;
    borrow = v < 0;
    out[i] = static_cast<char>('0' + v + 10 * borrow);
  }
  return out;
}

std::string add_digits(const std::string& a, const std::string& b) {
  std::string out(a.size() + 1, '0');
  int carry = 0;
  for (std::size_t i = a.size(); i-- > 0;) {
    const int v = (a[i] - '0') + (b[i] - '0') + carry;
    carry = v / 10;
    out[i + 1] = static_cast<char>('0' + v % 10);
  }
  out[0] = static_cast<char>('0' + carry);
  return out;
}

}  // namespace

std::optional<double> exact_decimal_difference(std::string_view a, std::string_view b) {
  const auto x = parse_decimal(a), y = parse_decimal(b);
  if (!x || !y) return std::nullopt;
  // Literals far apart in magnitude (1e300 and 1e-300) would need hundreds of digits; there the
  // smaller one cannot change the rounded result beyond the binary subtraction's one rounding.
  constexpr long widest = 800;
  const long low = std::min(x->exponent, y->exponent);
  const long x_width = static_cast<long>(x->digits.size()) + x->exponent - low;
  const long y_width = static_cast<long>(y->digits.size()) + y->exponent - low;
  const long width = std::max(x_width, y_width);
  std::string text;
  bool tiny = false;
  if (width <= widest) {
    auto aligned = [&](const decimal& d) {
      std::string out(
          static_cast<std::size_t>(width - static_cast<long>(d.digits.size()) - (d.exponent - low)), '0');
      out += d.digits;
      out.append(static_cast<std::size_t>(d.exponent - low), '0');
      return out;
    };
    const std::string u = aligned(*x), v = aligned(*y);
    // x - y = (+-u) - (+-v)
    bool negative = false;
    std::string magnitude;
    if (x->negative != y->negative) {
      magnitude = add_digits(u, v);
      negative = x->negative;
    } else if (u >= v) {
      magnitude = subtract_digits(u, v);
      negative = x->negative;
    } else {
      magnitude = subtract_digits(v, u);
      negative = !x->negative;
    }
    const auto leading = magnitude.find_first_not_of('0');
    if (leading == std::string::npos) return 0.0;
    // The result's decimal order of magnitude: out of range above means overflow, below a
    // difference that rounds to 0.
    tiny = static_cast<long>(magnitude.size() - leading) + low < 0;
    text = (negative ? "-" : "") + magnitude.substr(leading) + "e" + std::to_string(low);
  }
  double value = 0.0;
  if (text.empty()) {
    const auto p = parse_finite_number(a), q = parse_finite_number(b);
    if (!p || !q) return std::nullopt;
    value = *p - *q;
  } else {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range && tiny) return 0.0;
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  }
  if (!std::isfinite(value)) return std::nullopt;
  return value == 0.0 ? 0.0 : value;  // no -0
}

std::size_t csv_table::column_index(std::string_view name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return i;
  // A hostile header may hold a million columns: name the first few, then only how many there are.
  constexpr std::size_t listed = 20;
  std::string available;
  for (std::size_t i = 0; i < columns.size() && i < listed; ++i)
    available += (i == 0 ? "" : ", ") + quote_cell(columns[i]);
  if (columns.size() > listed) available += ", ... (" + std::to_string(columns.size()) + " columns)";
  const std::vector<std::string_view> names(columns.begin(), columns.end());
  fail(source, header_line, 1,
       "no column named " + quote_cell(name) + "; the columns are: " + available + did_you_mean(name, names));
}

csv_table parse_csv(std::string_view text, std::string source, csv_dialect dialect) {
  csv_table table;
  table.source = std::move(source);
  if (dialect.delimiter != 0 && dialect.delimiter != ',' && dialect.delimiter != ';' &&
      dialect.delimiter != '\t')
    throw_invalid_argument(
        "resample::parse_csv", "delimiter",
        "delimiter = " + quote_cell(std::string(1, dialect.delimiter)) + ", expected ',', ';' or a tab");
  if (dialect.decimal != '.' && dialect.decimal != ',')
    throw_invalid_argument(
        "resample::parse_csv", "decimal",
        "decimal = " + quote_cell(std::string(1, dialect.decimal)) + ", expected '.' or ','");
  table.decimal = dialect.decimal;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (text.find('\0') != std::string_view::npos)
    fail(table.source,
         1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + text.find('\0'), '\n')), 1,
         "binary data (a NUL byte): expected a text CSV file");

  std::size_t line_number = 0, pos = 0;
  while (pos < text.size()) {
    // A line ends in LF, CRLF or a lone CR (classic Mac OS, still written by some spreadsheets).
    const std::size_t end = text.find_first_of("\r\n", pos);
    std::string_view line =
        text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    if (end != std::string_view::npos && text[end] == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
    ++line_number;
    if (trim(line).empty() || trim(line).front() == '#') continue;

    if (table.columns.empty()) {
      table.delimiter = dialect.delimiter != 0 ? dialect.delimiter : detect_delimiter(line);
      if (table.decimal == ',' && table.delimiter == ',')
        fail(table.source, line_number, 1,
             "a decimal comma needs another delimiter, but the fields are separated by ','; give the "
             "delimiter (';' or a tab) or use the decimal point");
    }
    auto fields = split_line(line, table.source, line_number, table.delimiter);
    if (table.columns.empty()) {
      table.header_line = line_number;
      std::set<std::string> seen;
      for (const auto& f : fields) {
        const std::string name(trim(f.text));
        if (name.empty()) fail(table.source, line_number, f.column, "empty column name in the header");
        if (!seen.insert(name).second)
          fail(table.source, line_number, f.column,
               "duplicate column name " + quote_cell(name) + " in the header");
        table.columns.push_back(name);
      }
      continue;
    }
    if (fields.size() != table.columns.size())
      fail(table.source, line_number,
           fields.size() > table.columns.size() ? fields[table.columns.size()].column : line.size() + 1,
           "expected " + std::to_string(table.columns.size()) + " fields as in the header, got " +
               std::to_string(fields.size()));
    // Each cell costs about 40 bytes here against one byte in the file: a 100 MB file of commas
    // would need 4 GB. Paired-data tables are far below this bound.
    if ((table.rows.size() + 1) * table.columns.size() > max_csv_cells)
      fail(table.source, line_number, 1,
           "more than " + std::to_string(max_csv_cells) + " cells (" + std::to_string(table.columns.size()) +
               " columns): too large for a table of one row per patient");
    table.rows.push_back({line_number, std::move(fields)});
  }
  if (table.columns.empty())
    fail(table.source, line_number == 0 ? 1 : line_number, 1, "empty file: expected a header row");
  return table;
}

std::string read_regular_file(const std::string& path, const std::string& expected) {
  // Only regular files: a directory opens fine and reads as empty, a FIFO or /dev/stdin blocks and
  // /dev/zero never ends, so each would give a wrong message or none.
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status))
    throw data_error(path + ": cannot open the file (missing or unreadable)");
  if (std::filesystem::is_directory(status))
    throw data_error(path + ": is a directory, expected " + expected);
  if (!std::filesystem::is_regular_file(status))
    throw data_error(path + ": is not a regular file (device, pipe or socket), expected " + expected);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error(path + ": cannot open the file (missing or unreadable)");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw data_error(path + ": cannot read the file");
  return buffer.str();
}

csv_table read_csv_file(const std::string& path, csv_dialect dialect) {
  return parse_csv(read_regular_file(path, "a CSV file"), path, dialect);
}

std::string numeric_text(const csv_table& table, std::string_view cell) {
  std::string text(cell);
  if (table.decimal == ',') std::replace(text.begin(), text.end(), ',', '.');
  return text;
}

std::string cell_location(const csv_table& table, const csv_row& row, std::size_t column_index) {
  return location(table.source, row.line, row.fields[column_index].column);
}

double numeric_cell(const csv_table& table, const csv_row& row, std::size_t index,
                    std::optional<value_range> range) {
  const auto& field = row.fields[index];
  const std::string column = "column " + quote_cell(table.columns[index]);
  if (trim(field.text).empty())
    fail(table.source, row.line, field.column, column + ": empty cell, expected a number");
  const auto value = parse_finite_number(numeric_text(table, field.text));
  if (!value) {
    // "3,5" in a file read with the decimal point is the commonest export mismatch: say so.
    const bool decimal_comma =
        table.decimal == '.' && field.text.find(',') != std::string::npos &&
        parse_finite_number(std::string(field.text).replace(field.text.find(','), 1, "."));
    fail(table.source, row.line, field.column,
         column + ": expected a finite number, got " + quote_cell(field.text) +
             (decimal_comma ? " (a decimal comma? give the decimal mark ',')" : ""));
  }
  if (range && (*value < range->min || *value > range->max)) {
    std::ostringstream s;
    s << column << ": value " << *value << " is outside the declared scale " << range->min << " to "
      << range->max;
    fail(table.source, row.line, field.column, s.str());
  }
  return *value;
}

std::vector<double> numeric_column(const csv_table& table, std::string_view name,
                                   std::optional<value_range> range) {
  const std::size_t index = table.column_index(name);
  std::vector<double> values;
  values.reserve(table.rows.size());
  for (const auto& row : table.rows) values.push_back(numeric_cell(table, row, index, range));
  return values;
}

}  // namespace resample
