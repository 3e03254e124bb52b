#include "resample/study/paired.hpp"

#include <array>

#include "resample/error.hpp"
#include "resample/vocabulary.hpp"

namespace resample {

namespace {

void require_two_rows(const csv_table& table) {
  if (table.rows.size() < 2)
    throw data_error(table.source + ":" + std::to_string(table.header_line) +
                     ":1: expected at least 2 data rows, got " + std::to_string(table.rows.size()));
}

}  // namespace

std::string_view to_string(direction d) {
  return d == direction::higher_is_better ? "higher-is-better" : "lower-is-better";
}

direction parse_direction(std::string_view text) {
  constexpr std::array<std::string_view, 2> names{"lower-is-better", "higher-is-better"};
  if (text == names[0]) return direction::lower_is_better;
  if (text == names[1]) return direction::higher_is_better;
  throw_invalid_argument("resample::parse_direction", "direction",
                         "direction = '" + std::string(text) +
                             "', expected lower-is-better or higher-is-better" + did_you_mean(text, names));
}

std::string difference_formula(direction d) {
  return d == direction::higher_is_better ? "post - pre" : "pre - post";
}

endpoint paired_differences(const csv_table& table, std::string_view pre, std::string_view post,
                            std::optional<value_range> range, direction dir) {
  const auto before = numeric_column(table, pre, range);
  const auto after = numeric_column(table, post, range);
  require_two_rows(table);
  const bool higher = dir == direction::higher_is_better;
  endpoint e{
      higher ? std::string(post) + " - " + std::string(pre) : std::string(pre) + " - " + std::string(post),
      {}};
  e.dir = dir;
  e.differences.reserve(before.size());
  const std::size_t pre_index = table.column_index(pre), post_index = table.column_index(post);
  for (const auto& row : table.rows) {
    const auto& cell = row.fields[pre_index];
    const std::string a = numeric_text(table, cell.text),
                      b = numeric_text(table, row.fields[post_index].text);
    const auto d = higher ? exact_decimal_difference(b, a) : exact_decimal_difference(a, b);
    if (!d)
      throw data_error(table.source + ":" + std::to_string(row.line) + ":" + std::to_string(cell.column) +
                       ": column '" + std::string(pre) + "' minus column '" + std::string(post) +
                       "' overflows: the difference is beyond the largest finite number");
    e.differences.push_back(*d);
  }
  e.pre = before, e.post = after;
  return e;
}

endpoint column_values(const csv_table& table, std::string_view column, std::optional<value_range> range) {
  auto values = numeric_column(table, column, range);
  require_two_rows(table);
  return {std::string(column), std::move(values)};
}

}  // namespace resample
