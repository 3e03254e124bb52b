#pragma once
// Reading one number from text, the same way wherever the engine and its callers take numbers
// from a user: statistic parameters ("prop_ge:3"), CSV cells, the command line's --values; and
// writing one back into a message.

#include <optional>
#include <string>
#include <string_view>

namespace resample {

// Parses one finite decimal number, allowing surrounding blanks and one leading '+'; nullopt for
// anything else (text, empty, NaN, inf, trailing characters).
std::optional<double> parse_finite_number(std::string_view text);

// The shortest text that reads back as the same double ("0.95", not std::to_string's
// "0.950000"; "0.12345678901234567" where 15 digits would not round-trip).
std::string format_number(double x);

}  // namespace resample
