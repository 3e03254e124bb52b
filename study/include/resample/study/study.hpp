#pragma once
// A study description: which file, how it is written, which column identifies a patient, which
// endpoints (pre/post columns or a difference column, scale, direction), what counts as a missing
// value and what to do with it, and which rows to analyse. Every analysis command and the report
// read their data through load_study(), from command-line options or a JSON study file.
//
// Missing values (policy complete_case, the default): each endpoint uses the patients complete
// for it; a joint analysis of several endpoints uses the patients complete for all of them
// (complete_for_all). Every endpoint carries the IDs it used and the IDs it left out, so that no
// output can drop a patient silently.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resample/study/csv.hpp"
#include "resample/study/paired.hpp"

namespace resample {

enum class missing_policy { complete_case, error };
std::string_view to_string(missing_policy p);  // "complete-case" | "error"
// Throws invalid_argument (parameter "missing") for anything else.
missing_policy parse_missing_policy(std::string_view text);

// "MIN:MAX" with MIN <= MAX. Throws invalid_argument (parameter "range").
value_range parse_value_range(std::string_view text);

// The cells read as missing besides an empty one (which always is).
std::vector<std::string> default_missing_tokens();

// One endpoint: pre and post columns, or a column already holding the change (analysed as it is;
// its direction is stated, not applied).
struct endpoint_spec {
  std::string name;  // empty: "PRE - POST" (or "POST - PRE"), or the difference column
  std::string label;
  std::string unit;
  std::string pre, post;
  std::string difference;
  std::optional<value_range> range;
  direction dir = direction::lower_is_better;
  // Declared ordinal (levels, not amounts): the report adds the marginal-homogeneity tests of the
  // endpoint's (pre, post) table. Needs pre and post columns.
  bool ordinal = false;
};

// The name an endpoint is analysed under: its name, else its difference ("PRE - POST", "POST -
// PRE" when higher is better, or the difference column).
std::string endpoint_name(const endpoint_spec& e);

// A row condition: the cell of `column` equals (or, with equal = false, differs from) `value`.
struct row_condition {
  std::string column;
  bool equal = true;
  std::string value;
};
// "COL=VALUE" or "COL!=VALUE". Throws invalid_argument (parameter "where").
row_condition parse_row_condition(std::string_view text);
std::string to_string(const row_condition& c);

struct study_description {
  std::string data;  // the CSV file
  csv_dialect dialect;
  std::string id_column;  // empty: patients are named by their line in the file
  std::vector<endpoint_spec> endpoints;
  std::vector<std::string> missing_tokens = default_missing_tokens();
  missing_policy missing = missing_policy::complete_case;
  std::vector<row_condition> where;  // all must hold
  // Read by the report only: its title, the families of endpoints tested together (each at least
  // two endpoint names; empty: all endpoints, when there are several), and a claims file
  // (claims.hpp; relative to the study file's folder).
  std::string title;
  std::vector<std::vector<std::string>> joint;
  std::string claims;
};

// A JSON study file (docs/study.md):
//   {"data": "trial.csv", "delimiter": ";", "decimal": ",", "id": "patient",
//    "missing": "complete-case", "na": ["NA", "-99"], "where": ["arm=B"],
//    "endpoints": [{"name": "pain", "label": "Pain", "unit": "points", "pre": "pain_pre",
//                   "post": "pain_post", "range": "0:10", "direction": "lower-is-better",
//                   "ordinal": false}],
//    "title": "...", "joint": [["pain", "function"]], "claims": "claims.json"}
// "data" is relative to the study file's folder. A malformed file, an unknown key or a value of
// the wrong kind is a data_error "FILE:LINE:COLUMN: ..." or "FILE: key 'K': ...".
study_description parse_study_json(std::string_view text, const std::string& source,
                                   const std::string& folder = {});
study_description read_study_file(const std::string& path);

struct study_data {
  std::string source;                // the data file
  std::size_t rows = 0;              // data rows in the file
  std::vector<row_condition> where;  // the conditions that selected the rows
  std::vector<std::string> ids;      // of the rows the conditions selected, in file order
  std::vector<endpoint> endpoints;   // each with its ids, rows and left_out
  // The description's report fields (joint: only the families whose endpoints are all loaded).
  std::string title;
  std::vector<std::vector<std::string>> joint;
  std::string claims;
  // The file as read, and the selected rows (indices into table.rows, in file order, one per ids
  // entry), for analyses over other columns (claims.hpp); empty for --values.
  csv_table table;
  std::vector<std::size_t> selected;
  std::vector<std::string> missing_tokens;
};

// Whether a cell is missing under these tokens (an empty or blank cell always is).
bool is_missing_cell(std::string_view cell, const std::vector<std::string>& tokens);

// Reads the file and each endpoint's complete cases. data_error for bad cells (naming file, line,
// column and patient), a missing value under missing_policy::error, duplicate or empty IDs, no
// selected row, or an endpoint with fewer than two complete patients.
study_data load_study(const study_description& description);

// The endpoints restricted to the patients complete for every one of them (a joint analysis);
// each endpoint's left_out then lists every selected patient it does not use.
std::vector<endpoint> complete_for_all(const std::vector<endpoint>& endpoints,
                                       const std::vector<std::string>& ids);

}  // namespace resample
