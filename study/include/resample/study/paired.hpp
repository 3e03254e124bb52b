#pragma once
// Paired before/after designs: the analysed value per patient is the change in the direction of
// improvement, pre - post where lower is better (pain), post - pre where higher is better
// (function), so that a positive difference always means improvement.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resample/study/csv.hpp"

namespace resample {

// Which way an endpoint improves.
enum class direction { lower_is_better, higher_is_better };
std::string_view to_string(direction d);  // "lower-is-better" | "higher-is-better"
// Throws invalid_argument (parameter "direction") for anything else, with a suggestion.
direction parse_direction(std::string_view text);
// "pre - post" or "post - pre": what a difference of the endpoint is.
std::string difference_formula(direction d);

// One outcome's differences, with a label for reports ("repeat_pain_pre - repeat_pain_post").
struct endpoint {
  std::string name;
  std::vector<double> differences;
  direction dir = direction::lower_is_better;
  // What a difference is: "PRE - POST", "POST - PRE" (higher is better) or the column holding it;
  // empty for --values.
  std::string difference{};
  std::string label{};  // for reports; empty: the name
  std::string unit{};
  // From a study file: the patients analysed (their IDs, or "line L" without an ID column), in
  // file order, with their rows among the selected rows, and the selected patients left out
  // because a value was missing. Empty for --values.
  std::vector<std::string> ids{};
  std::vector<std::size_t> rows{};
  std::vector<std::string> left_out{};
  // The two measurements behind each difference, in the same order, when the endpoint is a
  // pre/post pair (the ordinal paired table needs the levels, not only their difference); empty
  // for a difference column or --values.
  std::vector<double> pre{}, post{};
  bool ordinal = false;  // declared ordinal (endpoint_spec::ordinal)
};

// pre - post for each row (post - pre when higher is better). Requires at least two rows; values
// are checked against `range`.
endpoint paired_differences(const csv_table& table, std::string_view pre, std::string_view post,
                            std::optional<value_range> range = std::nullopt,
                            direction dir = direction::lower_is_better);

// A single column taken as already-computed differences. Requires at least two rows.
endpoint column_values(const csv_table& table, std::string_view column,
                       std::optional<value_range> range = std::nullopt);

}  // namespace resample
