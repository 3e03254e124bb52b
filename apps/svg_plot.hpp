#pragma once
// Self-contained SVG figures (no external renderer or font needed to open them) and compact
// Unicode histograms for the terminal.

#include <optional>
#include <string>
#include <vector>

#include "resample/distribution.hpp"

namespace resample::cli {

struct vertical_marker {
  double x;
  std::string label;
  std::string color;  // any SVG colour, e.g. "#d62728"
};

struct interval_band {
  double lower;
  double upper;
  std::string label;
  std::string color;
};

// Bars at the atoms of a discrete distribution (binned when there are many), with vertical markers
// (observed statistic, estimate) and interval bands drawn under the axis.
struct distribution_figure {
  std::string title;
  std::string subtitle;
  std::string x_label;
  std::string y_label = "probability";
  weighted_distribution distribution;
  std::vector<vertical_marker> markers;
  std::vector<interval_band> intervals;
  // Atoms in this x range are drawn in the highlight colour (e.g. the rejection region).
  bool highlight_tails = false;
  double highlight_below = 0;  // atoms <= this
  double highlight_above = 0;  // atoms >= this
};

// A labelled reference line across the plot (a target power, a nominal level).
struct reference_line {
  double value;
  std::string label;
};

struct line_series {
  std::string name;
  std::string color;
  std::vector<double> x;
  std::vector<double> y;
  std::vector<double> error;  // half-width of an error bar per point (empty: none)
};

struct line_figure {
  std::string title;
  std::string subtitle;
  std::string x_label;
  std::string y_label;
  std::vector<line_series> series;
  std::vector<reference_line> horizontal_lines;  // e.g. the target power
  std::vector<vertical_marker> markers;          // e.g. the required n of each test
  double y_min = 0;
  double y_max = 1;
};

// A labelled dot plot: one row per category with its name at the left, one dot per series in each
// row with a horizontal error bar, and labelled vertical reference lines (the nominal level). The
// legend (more than one series) sits below the axis, never over the data.
struct dot_series {
  std::string name;
  std::string color;
  std::vector<std::optional<double>> value;  // one per row; absent: no dot in that row
  std::vector<double> error;                 // half-width of the bar, one per row
};

struct dot_figure {
  std::string title;
  std::string subtitle;
  std::string x_label;
  std::vector<std::string> rows;
  std::vector<dot_series> series;
  std::vector<reference_line> vertical_lines;
  double x_min = 0;
  double x_max = 1;
};

std::string render_svg(const distribution_figure& figure);
std::string render_svg(const line_figure& figure);
std::string render_svg(const dot_figure& figure);

// Text made safe inside SVG or HTML markup: & < > " as entities.
std::string escape_markup(const std::string& text);

// One line of block characters (▁▂▃▄▅▆▇█) over `width` equal-width bins of the distribution's range.
std::string unicode_histogram(const weighted_distribution& distribution, std::size_t width = 40);

}  // namespace resample::cli
