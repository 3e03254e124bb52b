#pragma once
// Reading one number from text, the same way wherever the engine and its callers take numbers
// from a user: statistic parameters ("prop_ge:3"), CSV cells, the command line's --values.

#include <optional>
#include <string_view>

namespace resample {

// Parses one finite decimal number, allowing surrounding blanks and one leading '+'; nullopt for
// anything else (text, empty, NaN, inf, trailing characters).
std::optional<double> parse_finite_number(std::string_view text);

}  // namespace resample
