#pragma once
// Paired before/after designs: the analysed value per patient is the difference pre - post
// (a reduction; positive means improvement on scales where lower is better).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resample/study/csv.hpp"

namespace resample {

// One outcome's differences, with a label for reports ("repeat_pain_pre - repeat_pain_post").
struct endpoint {
  std::string name;
  std::vector<double> differences;
};

// pre - post for each row. Requires at least two rows; values are checked against `range`.
endpoint paired_differences(const csv_table& table, std::string_view pre, std::string_view post,
                            std::optional<value_range> range = std::nullopt);

// A single column taken as already-computed differences. Requires at least two rows.
endpoint column_values(const csv_table& table, std::string_view column,
                       std::optional<value_range> range = std::nullopt);

}  // namespace resample
