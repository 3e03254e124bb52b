#pragma once
// The descriptive figures the Gaughen et al. (2002) paper states, recomputed from its Table 1.
// Each figure carries the paper's value(s), the recomputed value(s) and the precision the paper
// reports them at; a figure matches when the recomputed values round to the paper's.

#include <string>
#include <vector>

#include "resample/study/csv.hpp"

namespace resample {

struct descriptive_figure {
  std::string id;                // stable key, e.g. "mean_age"
  std::string statement;         // what the paper says, in words
  std::vector<double> paper;     // the paper's numbers (a mean; a range's ends; "k of n" as k, n)
  std::vector<double> computed;  // the same quantities from the table
  int decimals;                  // precision of the paper's numbers
  bool matches;
};

// Columns the paper's table provides (see data/README.md); the scales are checked while reading.
std::vector<descriptive_figure> paper_descriptive_figures(const csv_table& table);

}  // namespace resample
