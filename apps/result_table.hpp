#pragma once
// The rows of a result for --format csv and --format markdown: one header row and one row per
// result item, cells taken from the command's JSON so that both formats carry its exact numbers.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace resample::cli {

struct result_table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// The lines a text or markdown result adds about its input when there is something to say: the
// row conditions, each endpoint's difference and direction, the patients left out for a missing
// value. Empty when every patient of the data as read was analysed as pre - post.
std::string render_input_text(const nlohmann::json& input);

// A JSON leaf as a cell: strings as they are, numbers as JSON writes them (full precision),
// booleans as true/false, null as an empty cell, arrays and objects as compact JSON.
std::string cell(const nlohmann::json& value);

// The cells of `keys` from `object` (a missing key gives an empty cell).
std::vector<std::string> cells(const nlohmann::json& object, const std::vector<std::string>& keys);

// RFC 4180: comma separated, CRLF line ends, a field quoted when it holds a comma, a double quote,
// CR or LF, with its double quotes doubled.
std::string write_csv(const result_table& table);

// Tab-separated values (R's read.delim, pandas' sep="\t"): LF line ends, no quoting; a tab, CR
// or LF inside a cell becomes a space, as the format has no escape for them.
std::string write_tsv(const result_table& table);

// A GitHub-style pipe table, '|' in a cell escaped.
std::string write_markdown(const result_table& table);

}  // namespace resample::cli
