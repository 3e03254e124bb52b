#pragma once
// Self-contained SVG figures (no external renderer or font needed to open them) and compact
// Unicode histograms for the terminal.

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
  std::vector<double> horizontal_lines;  // e.g. a target power of 0.8
  double y_min = 0;
  double y_max = 1;
};

std::string render_svg(const distribution_figure& figure);
std::string render_svg(const line_figure& figure);

// One line of block characters (▁▂▃▄▅▆▇█) over `width` equal-width bins of the distribution's range.
std::string unicode_histogram(const weighted_distribution& distribution, std::size_t width = 40);

}  // namespace resample::cli
