#include "svg_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace resample::cli {

namespace {

constexpr double width = 720, height = 420;
constexpr double left = 70, right = 20, top = 60, bottom = 110;
constexpr double plot_w = width - left - right, plot_h = height - top - bottom;

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Round step for about `target` ticks over [lo, hi].
double nice_step(double lo, double hi, int target) {
  const double raw = (hi - lo) / target;
  if (!(raw > 0)) return 1;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (raw <= m * magnitude) return m * magnitude;
  return 10 * magnitude;
}

std::string format_tick(double v, double step) {
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  return fmt::format("{:.{}f}", std::fabs(v) < step * 1e-9 ? 0.0 : v, decimals);
}

struct frame {
  double x_lo, x_hi, y_lo, y_hi;
  double sx(double x) const { return left + (x - x_lo) / (x_hi - x_lo) * plot_w; }
  double sy(double y) const { return top + plot_h - (y - y_lo) / (y_hi - y_lo) * plot_h; }
};

// `canvas_height`: the figure's height, more than the plot's when bands below the axis need it.
std::string open_svg(const std::string& title, const std::string& subtitle, double canvas_height = height) {
  std::string s = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
      "<title>{2}</title>\n<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n"
      "<text x=\"{3}\" y=\"24\" font-size=\"15\" font-weight=\"bold\">{2}</text>\n",
      width, canvas_height, escape(title), left);
  if (!subtitle.empty())
    s += fmt::format("<text x=\"{}\" y=\"44\" fill=\"#555555\">{}</text>\n", left, escape(subtitle));
  return s;
}

std::string axes(const frame& f, const std::string& x_label, const std::string& y_label) {
  std::string s;
  s += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#000\"/>\n", left,
                   top + plot_h, left + plot_w);
  s += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#000\"/>\n", left, top,
                   top + plot_h);
  const double xs = nice_step(f.x_lo, f.x_hi, 8);
  for (double t = std::ceil(f.x_lo / xs) * xs; t <= f.x_hi + xs * 1e-9; t += xs) {
    s += fmt::format("<line x1=\"{0:.2f}\" y1=\"{1}\" x2=\"{0:.2f}\" y2=\"{2}\" stroke=\"#000\"/>\n", f.sx(t),
                     top + plot_h, top + plot_h + 5);
    s += fmt::format("<text x=\"{:.2f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", f.sx(t),
                     top + plot_h + 18, format_tick(t, xs));
  }
  const double ys = nice_step(f.y_lo, f.y_hi, 5);
  for (double t = std::ceil(f.y_lo / ys) * ys; t <= f.y_hi + ys * 1e-9; t += ys) {
    s += fmt::format("<line x1=\"{0}\" y1=\"{1:.2f}\" x2=\"{2}\" y2=\"{1:.2f}\" stroke=\"#ddd\"/>\n", left,
                     f.sy(t), left + plot_w);
    s += fmt::format("<text x=\"{}\" y=\"{:.2f}\" text-anchor=\"end\">{}</text>\n", left - 6, f.sy(t) + 4,
                     format_tick(t, ys));
  }
  s += fmt::format("<text x=\"{:.2f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", left + plot_w / 2,
                   top + plot_h + 38, escape(x_label));
  s += fmt::format("<text transform=\"translate(18 {:.2f}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
                   top + plot_h / 2, escape(y_label));
  return s;
}

}  // namespace

std::string render_svg(const distribution_figure& figure) {
  const auto atoms = figure.distribution.atoms();
  double x_lo = atoms.empty() ? 0 : atoms.front().value, x_hi = atoms.empty() ? 1 : atoms.back().value;
  for (const auto& m : figure.markers) x_lo = std::min(x_lo, m.x), x_hi = std::max(x_hi, m.x);
  for (const auto& b : figure.intervals) x_lo = std::min(x_lo, b.lower), x_hi = std::max(x_hi, b.upper);
  if (x_hi <= x_lo) x_lo -= 1, x_hi += 1;

  // Distinct atoms get one bar each while they fit; otherwise equal-width bins.
  std::vector<std::pair<double, double>> bars;  // (centre, probability)
  double bar_width;
  if (atoms.size() <= 120) {
    double min_gap = x_hi - x_lo;
    for (std::size_t i = 1; i < atoms.size(); ++i)
      min_gap = std::min(min_gap, atoms[i].value - atoms[i - 1].value);
    bar_width = std::max(min_gap * 0.8, (x_hi - x_lo) / 400);
    for (const auto& a : atoms) bars.emplace_back(a.value, a.weight);
  } else {
    const std::size_t bins = 80;
    bar_width = (x_hi - x_lo) / bins;
    std::vector<double> mass(bins, 0.0);
    for (const auto& a : atoms)
      mass[std::min(bins - 1, static_cast<std::size_t>((a.value - x_lo) / bar_width))] += a.weight;
    for (std::size_t i = 0; i < bins; ++i) bars.emplace_back(x_lo + (i + 0.5) * bar_width, mass[i]);
    bar_width *= 0.95;
  }
  const double pad = bar_width;
  x_lo -= pad, x_hi += pad;
  double y_hi = 0;
  for (const auto& [x, p] : bars) y_hi = std::max(y_hi, p);
  const frame f{x_lo, x_hi, 0, y_hi > 0 ? y_hi * 1.1 : 1};

  std::string s = axes(f, figure.x_label, figure.y_label);
  for (const auto& [x, p] : bars) {
    // A bar drawn at a tail boundary belongs to the tail: within a millionth of the axis range,
    // far below what a pixel shows and in the figure's own unit, so any scale of data draws alike.
    const double slack = 1e-6 * (x_hi - x_lo);
    const bool tail = figure.highlight_tails &&
                      (x <= figure.highlight_below + slack || x >= figure.highlight_above - slack);
    s += fmt::format("<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"{}\"/>\n",
                     f.sx(x - bar_width / 2), f.sy(p),
                     std::max(0.5, f.sx(x + bar_width / 2) - f.sx(x - bar_width / 2)), f.sy(0) - f.sy(p),
                     tail ? "#d62728" : "#4c72b0");
  }
  double band_y = top + plot_h + 50;
  for (const auto& b : figure.intervals) {
    // The label goes beside the band where it fits (about 7 px per character at this font size),
    // otherwise above it, so that it always stays inside the figure.
    const double label_width = 7.0 * static_cast<double>(b.label.size());
    const double x_lo = f.sx(b.lower), x_hi = f.sx(b.upper);
    std::string label;
    if (width - x_hi - 6 >= label_width) {
      label = fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" fill=\"{}\">{}</text>\n", x_hi + 6, band_y + 4,
                          b.color, escape(b.label));
    } else if (x_lo - 6 >= label_width) {
      label = fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" fill=\"{}\" text-anchor=\"end\">{}</text>\n",
                          x_lo - 6, band_y + 4, b.color, escape(b.label));
    } else {
      label = fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" fill=\"{}\">{}</text>\n",
                          std::max(4.0, std::min(x_lo, width - label_width - 4)), band_y - 2, b.color,
                          escape(b.label));
      band_y += 12;
    }
    s += fmt::format(
        "<line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\" stroke=\"{}\" stroke-width=\"4\"/>\n",
        x_lo, band_y, x_hi, band_y, b.color);
    s += label;
    band_y += 14;
  }
  double label_y = top + 12;
  for (const auto& m : figure.markers) {
    s += fmt::format(
        "<line x1=\"{0:.2f}\" y1=\"{1}\" x2=\"{0:.2f}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2\" "
        "stroke-dasharray=\"6 3\"/>\n",
        f.sx(m.x), top, top + plot_h, m.color);
    // Right of the line where the label fits inside the figure, else left of it (an observed
    // statistic at the edge of the null is the usual case).
    const double label_width = 7.0 * static_cast<double>(m.label.size());
    const bool fits_right = f.sx(m.x) + 4 + label_width <= width - 4;
    s += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" fill=\"{}\"{}>{}</text>\n",
                     fits_right ? f.sx(m.x) + 4 : f.sx(m.x) - 4, label_y, m.color,
                     fits_right ? "" : " text-anchor=\"end\"", escape(m.label));
    label_y += 14;
  }
  s += "</svg>\n";
  // Every band below the axis inside the canvas: it grows by what the bands need.
  return open_svg(figure.title, figure.subtitle, std::max(height, band_y + 6)) + s;
}

std::string render_svg(const line_figure& figure) {
  double x_lo = 0, x_hi = 1;
  bool first = true;
  for (const auto& series : figure.series)
    for (double x : series.x) {
      x_lo = first ? x : std::min(x_lo, x), x_hi = first ? x : std::max(x_hi, x);
      first = false;
    }
  if (x_hi <= x_lo) x_lo -= 1, x_hi += 1;
  const frame f{x_lo, x_hi, figure.y_min, figure.y_max};
  std::string s = open_svg(figure.title, figure.subtitle);
  s += axes(f, figure.x_label, figure.y_label);
  for (double h : figure.horizontal_lines)
    s += fmt::format(
        "<line x1=\"{0}\" y1=\"{1:.2f}\" x2=\"{2}\" y2=\"{1:.2f}\" stroke=\"#888\" stroke-dasharray=\"4 "
        "4\"/>\n",
        left, f.sy(h), left + plot_w);
  double legend_y = top + 12;
  for (const auto& series : figure.series) {
    std::string points;
    for (std::size_t i = 0; i < series.x.size(); ++i) {
      points += fmt::format("{:.2f},{:.2f} ", f.sx(series.x[i]), f.sy(series.y[i]));
      if (i < series.error.size() && series.error[i] > 0)
        s += fmt::format(
            "<line x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{0:.2f}\" y2=\"{2:.2f}\" stroke=\"{3}\"/>\n",
            f.sx(series.x[i]), f.sy(std::max(figure.y_min, series.y[i] - series.error[i])),
            f.sy(std::min(figure.y_max, series.y[i] + series.error[i])), series.color);
    }
    s += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n", points,
                     series.color);
    s += fmt::format("<rect x=\"{}\" y=\"{:.2f}\" width=\"14\" height=\"4\" fill=\"{}\"/>\n",
                     left + plot_w - 180, legend_y - 5, series.color);
    s += fmt::format("<text x=\"{}\" y=\"{:.2f}\">{}</text>\n", left + plot_w - 160, legend_y,
                     escape(series.name));
    legend_y += 16;
  }
  s += "</svg>\n";
  return s;
}

std::string unicode_histogram(const weighted_distribution& distribution, std::size_t columns) {
  static const char* const blocks[] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  const auto atoms = distribution.atoms();
  if (atoms.empty() || columns == 0) return {};
  const double lo = atoms.front().value, hi = atoms.back().value;
  std::vector<double> mass(columns, 0.0);
  for (const auto& a : atoms) {
    const auto bin =
        hi > lo ? std::min(columns - 1, static_cast<std::size_t>((a.value - lo) / (hi - lo) * columns)) : 0;
    mass[bin] += a.weight;
  }
  const double peak = *std::max_element(mass.begin(), mass.end());
  std::string out;
  for (double m : mass)
    out += blocks[m <= 0 ? 0 : std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(m / peak * 8)))];
  return out;
}

}  // namespace resample::cli
