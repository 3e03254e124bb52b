#include "figures.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "cli_common.hpp"

namespace resample::cli {

distribution_figure bootstrap_figure(const bootstrap::bootstrap_result& r, const std::string& title,
                                     const std::string& subtitle, const std::string& x_label,
                                     const number_text& number) {
  distribution_figure f;
  f.title = title;
  f.subtitle = subtitle;
  f.x_label = x_label;
  f.distribution = r.distribution;
  f.markers.push_back({r.estimate, "observed " + to_string(r.stat) + " " + number(r.estimate), "#000000"});
  static const char* const colors[] = {"#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"};
  std::size_t k = 0;
  for (const auto& i : r.intervals) {
    if (!i.lower || !i.upper) continue;
    const std::string name = i.method == bootstrap::interval_method::bca
                                 ? std::string("BCa")
                                 : std::string(bootstrap::to_string(i.method));
    f.intervals.push_back(
        {*i.lower, *i.upper,
         fmt::format("{:.0f}% {} [{}, {}]", 100 * i.level, name, number(*i.lower), number(*i.upper)),
         colors[k++ % std::size(colors)]});
  }
  return f;
}

distribution_figure null_distribution_figure(const inference::test_result& r, const std::string& title,
                                             const std::string& subtitle, const std::string& x_label,
                                             const number_text& number) {
  distribution_figure f;
  f.title = title;
  f.subtitle = subtitle;
  f.x_label = x_label;
  f.distribution = *r.null_distribution;
  f.markers.push_back({r.observed, "observed " + number(r.observed), "#000000"});
  f.highlight_tails = true;
  const double t = r.observed;
  // Two-sided: both tails beyond |t| from the null's centre (0 for the mean); one-sided: one tail.
  const double lowest = f.distribution.atoms().front().value, highest = f.distribution.atoms().back().value;
  const double below_everything = lowest - 1.0 - std::fabs(lowest),
               above_everything = highest + 1.0 + std::fabs(highest);
  switch (r.alt) {
    case inference::alternative::two_sided:
      f.highlight_below = -std::fabs(t);
      f.highlight_above = std::fabs(t);
      break;
    case inference::alternative::greater:
      f.highlight_below = below_everything;
      f.highlight_above = t;
      break;
    case inference::alternative::less:
      f.highlight_below = t;
      f.highlight_above = above_everything;
      break;
  }
  return f;
}

void check_svg_path(const std::string& path, const std::string& option) {
  std::string lower = path;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower.size() < 4 || lower.compare(lower.size() - 4, 4, ".svg") != 0)
    throw usage_error(option + ": got '" + path +
                      "', expected a FILE.svg (the figures are SVG; rsvg-convert turns one into PNG)");
}

}  // namespace resample::cli
