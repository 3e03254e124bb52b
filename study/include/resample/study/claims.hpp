#pragma once
// A claims file: what a publication states about its own data, each statement written as a
// computable expression over the data's columns, so that the report can recompute it (docs/study.md,
// "Claims"). Three kinds of entry:
//   figures     a stated mean, range or count ("mean age 65 years", "3 of 6 impaired"), recomputed
//               and compared at the precision the publication gives it;
//   proportions a stated share ("five of the six reduced pain by at least 3 points"), given its
//               exact small-sample interval;
//   sensitivity an alternative value the publication gives elsewhere for one patient's
//               measurement, so that the report shows whether a conclusion depends on which is right.
// Nothing here knows any publication: the publication lives in its data file and claims file.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resample/study/csv.hpp"

namespace resample {

// A sum of columns and numbers: "age", "repeat_pain_pre - repeat_pain_post", "x + 2".
struct column_expression {
  struct term {
    bool negative = false;
    std::string column;  // empty: the number
    double number = 0;
  };
  std::vector<term> terms;
  std::string text;  // as written
};

// "EXPRESSION OP EXPRESSION" with OP one of < <= > >= == !=.
struct row_condition_expression {
  column_expression left, right;
  std::string op;
  std::string text;
};

// Throws invalid_argument (parameter "expression" / "condition") naming what was expected.
column_expression parse_column_expression(std::string_view text);
row_condition_expression parse_condition_expression(std::string_view text);

enum class figure_kind { mean, range, count };
std::string_view to_string(figure_kind k);  // "mean" | "range" | "count"

struct figure_claim {
  std::string id;
  std::string statement;  // the publication's words
  figure_kind kind = figure_kind::mean;
  column_expression value;                        // mean and range: of this
  std::optional<row_condition_expression> count;  // count: rows meeting this ...
  std::optional<row_condition_expression> among;  // ... among the rows meeting this (all rows)
  std::vector<double> stated;                     // mean: {m}; range: {min, max}; count: {k, of}
  int decimals = 0;                               // precision of the stated numbers
};

struct proportion_claim_spec {
  std::string id;
  std::string statement;
  row_condition_expression count;
  std::optional<row_condition_expression> among;
};

// One patient's measurement replaced by an alternative value.
struct sensitivity_spec {
  std::string id;
  std::string description;
  std::string endpoint;  // the endpoint's name in the study
  std::string patient;   // the patient's ID
  bool post = true;      // replace the post value (else the pre value)
  double value = 0;
};

struct claims_file {
  std::string source;
  std::string figures_heading = "Stated figures, recomputed from the data";
  std::vector<figure_claim> figures;
  std::string proportions_heading = "Stated proportions";
  std::vector<proportion_claim_spec> proportions;
  std::string sensitivity_heading = "Sensitivity to alternative values";
  std::string as_given = "as given";        // what the data file's version is called
  std::string alternative = "alternative";  // what the alternative values are called
  std::vector<sensitivity_spec> sensitivity;
};

// {"figures_heading": "...", "figures": [{"id": "mean_age", "statement": "mean age 65 years",
//   "mean": "age", "stated": 65, "decimals": 0}, {"range": "age", "stated": [49, 78]},
//   {"count": "post < pre", "among": "pre > 0", "stated": [3, 3]}],
//  "proportions": [{"id": "...", "statement": "...", "count": "pre - post >= 3"}],
//  "sensitivity": {"heading": "...", "as_given": "table", "alternative": "text",
//   "changes": [{"id": "...", "description": "...", "endpoint": "pain", "patient": "6",
//                "post": 0}]}}
// Errors are data_error "FILE:LINE:COLUMN: ..." (malformed JSON) or "FILE: key 'K': ...".
claims_file parse_claims_json(std::string_view text, const std::string& source);
claims_file read_claims_file(const std::string& path);

// A figure recomputed: the stated and the computed numbers, and whether the computed ones round
// to the stated ones at the stated precision.
struct descriptive_figure {
  std::string id;
  std::string statement;
  figure_kind kind = figure_kind::mean;
  std::vector<double> stated;
  std::vector<double> computed;  // NaN where undefined (a mean over no row)
  int decimals = 0;
  bool matches = false;
  std::size_t rows = 0;               // the rows the figure was computed over
  std::vector<std::string> left_out;  // patients left out for a missing cell
};

// Counts for a proportion claim over the selected rows.
struct proportion_count {
  std::size_t successes = 0, trials = 0;
  std::vector<std::string> left_out;
};

// Evaluate over the selected rows of `table` (indices into table.rows, patients named by `ids`);
// a row with a missing cell (`missing_tokens`) in a column the entry reads is left out and named.
// A column that does not exist, or a cell that is not a number, is a data_error naming it.
descriptive_figure evaluate_figure(const figure_claim& claim, const csv_table& table,
                                   const std::vector<std::size_t>& rows, const std::vector<std::string>& ids,
                                   const std::vector<std::string>& missing_tokens);
proportion_count evaluate_proportion(const proportion_claim_spec& claim, const csv_table& table,
                                     const std::vector<std::size_t>& rows,
                                     const std::vector<std::string>& ids,
                                     const std::vector<std::string>& missing_tokens);

}  // namespace resample
