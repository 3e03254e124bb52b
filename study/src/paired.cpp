#include "resample/study/paired.hpp"

#include "resample/error.hpp"

namespace resample {

namespace {

void require_two_rows(const csv_table& table) {
  if (table.rows.size() < 2)
    throw data_error(table.source + ":" + std::to_string(table.header_line) +
                     ":1: expected at least 2 data rows, got " + std::to_string(table.rows.size()));
}

}  // namespace

endpoint paired_differences(const csv_table& table, std::string_view pre, std::string_view post,
                            std::optional<value_range> range) {
  const auto before = numeric_column(table, pre, range);
  const auto after = numeric_column(table, post, range);
  require_two_rows(table);
  endpoint e{std::string(pre) + " - " + std::string(post), {}};
  e.differences.reserve(before.size());
  const std::size_t pre_index = table.column_index(pre), post_index = table.column_index(post);
  for (const auto& row : table.rows) {
    const auto& cell = row.fields[pre_index];
    const auto d = exact_decimal_difference(cell.text, row.fields[post_index].text);
    if (!d)
      throw data_error(table.source + ":" + std::to_string(row.line) + ":" + std::to_string(cell.column) +
                       ": column '" + std::string(pre) + "' minus column '" + std::string(post) +
                       "' overflows: the difference is beyond the largest finite number");
    e.differences.push_back(*d);
  }
  return e;
}

endpoint column_values(const csv_table& table, std::string_view column, std::optional<value_range> range) {
  auto values = numeric_column(table, column, range);
  require_two_rows(table);
  return {std::string(column), std::move(values)};
}

}  // namespace resample
