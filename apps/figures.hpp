#pragma once
// The figures of results, built once for every command that draws them (bootstrap --plot,
// test --plot, the report's --plots): what is drawn and how it is labelled; svg_plot renders.

#include <functional>
#include <string>

#include "cli_common.hpp"
#include "resample/bootstrap/bootstrap.hpp"
#include "resample/inference/test_result.hpp"
#include "svg_plot.hpp"

namespace resample::cli {

using number_text = std::function<std::string(double)>;

// The bootstrap distribution's bars, the estimate, one band per defined interval ("95% BCa [4, 8.5]").
distribution_figure bootstrap_figure(const bootstrap::bootstrap_result& r, const std::string& title,
                                     const std::string& subtitle, const std::string& x_label,
                                     const number_text& number);

// The exact null distribution with the observed statistic and, in the highlight colour, the
// atoms as or more extreme than it under the test's alternative. Requires r.null_distribution.
distribution_figure null_distribution_figure(const inference::test_result& r, const std::string& title,
                                             const std::string& subtitle, const std::string& x_label,
                                             const number_text& number);

// A --plot path is FILE.svg, or FILE.png when rsvg-convert (librsvg2-bin) is on PATH to render it;
// anything else is a usage_error naming `option` (never SVG bytes in a .png file).
void check_figure_path(const std::string& path, const std::string& option);

// Writes a figure as its path asks: the SVG itself, or rendered to PNG by rsvg-convert.
void write_figure(const output_options& output, const std::string& path, const std::string& svg,
                  const std::string& option);

}  // namespace resample::cli
