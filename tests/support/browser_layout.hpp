// SVG figures as a real browser lays them out: headless Chromium (Debian `chromium`, installed for
// the tests by scripts/install-deps.sh --tests) opens one page with every figure inline, and the
// page's own script measures each <text> element's rendered box against its figure's canvas and
// against the other texts of the figure.

#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace resample::test {

struct browser_layout {
  std::size_t figures = 0;  // figures the browser laid out
  std::size_t texts = 0;    // text elements measured
  // One line per text whose box leaves the canvas ("figure: 'text' box [l, t, r, b] canvas [w, h]").
  std::vector<std::string> clipped;
  // One line per pair of texts of one figure whose boxes overlap by more than a pixel each way.
  std::vector<std::string> overlapping;
};

bool browser_available();

// Lays out the SVG files in `figures` (scratch: a directory for the page, the browser profile and
// its log). Fails the calling test (ADD_FAILURE) when the browser does not run.
browser_layout lay_out_in_browser(const std::vector<std::filesystem::path>& figures,
                                  const std::filesystem::path& scratch);

}  // namespace resample::test
