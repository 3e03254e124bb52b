#include "svg_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace resample::cli {

namespace {

constexpr double width = 720, height = 420;
constexpr double left = 70, right = 20, top = 60, bottom = 110;
constexpr double plot_w = width - left - right, plot_h = height - top - bottom;
// The width the layout allows a character at the figures' 12 px font (DejaVu Sans averages
// about 7 px): labels are placed with it, and the tests check the real renderer's boxes.
constexpr double char_width = 7.0;

double text_width(const std::string& text) {
  // UTF-8 continuation bytes do not start a character.
  double characters = 0;
  for (unsigned char c : text) characters += (c & 0xC0) != 0x80 ? 1 : 0;
  return char_width * characters;
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

// The data ranges and where the plot area sits on the canvas.
struct frame {
  double x_lo, x_hi, y_lo, y_hi;
  double plot_left = left, plot_top = top, plot_width = plot_w, plot_height = plot_h;
  double sx(double x) const { return plot_left + (x - x_lo) / (x_hi - x_lo) * plot_width; }
  double sy(double y) const { return plot_top + plot_height - (y - y_lo) / (y_hi - y_lo) * plot_height; }
  double bottom_edge() const { return plot_top + plot_height; }
  double right_edge() const { return plot_left + plot_width; }
};

// `canvas_height`: the figure's height, more than the plot's when what sits below the axis needs it.
std::string open_svg(const std::string& title, const std::string& subtitle, double canvas_height = height) {
  std::string s = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
      "<title>{2}</title>\n<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n"
      "<text x=\"{3}\" y=\"24\" font-size=\"15\" font-weight=\"bold\">{2}</text>\n",
      width, canvas_height, escape_markup(title), left);
  if (!subtitle.empty())
    s += fmt::format("<text x=\"{}\" y=\"44\" fill=\"#555555\">{}</text>\n", left, escape_markup(subtitle));
  return s;
}

// The x axis with ticks and its title; the y axis with ticks when `y_ticks` (a dot plot labels
// its rows instead).
std::string axes(const frame& f, const std::string& x_label, const std::string& y_label,
                 bool y_ticks = true) {
  std::string s;
  s += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#000\"/>\n", f.plot_left,
                   f.bottom_edge(), f.right_edge());
  s += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#000\"/>\n", f.plot_left,
                   f.plot_top, f.bottom_edge());
  const double xs = nice_step(f.x_lo, f.x_hi, 8);
  for (double t = std::ceil(f.x_lo / xs) * xs; t <= f.x_hi + xs * 1e-9; t += xs) {
    s += fmt::format("<line x1=\"{0:.2f}\" y1=\"{1}\" x2=\"{0:.2f}\" y2=\"{2}\" stroke=\"#000\"/>\n", f.sx(t),
                     f.bottom_edge(), f.bottom_edge() + 5);
    s += fmt::format("<text x=\"{:.2f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", f.sx(t),
                     f.bottom_edge() + 18, format_tick(t, xs));
  }
  if (y_ticks) {
    const double ys = nice_step(f.y_lo, f.y_hi, 5);
    for (double t = std::ceil(f.y_lo / ys) * ys; t <= f.y_hi + ys * 1e-9; t += ys) {
      s += fmt::format("<line x1=\"{0}\" y1=\"{1:.2f}\" x2=\"{2}\" y2=\"{1:.2f}\" stroke=\"#ddd\"/>\n",
                       f.plot_left, f.sy(t), f.right_edge());
      s += fmt::format("<text x=\"{}\" y=\"{:.2f}\" text-anchor=\"end\">{}</text>\n", f.plot_left - 6,
                       f.sy(t) + 4, format_tick(t, ys));
    }
  }
  s += fmt::format("<text x=\"{:.2f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                   f.plot_left + f.plot_width / 2, f.bottom_edge() + 38, escape_markup(x_label));
  if (!y_label.empty())
    s +=
        fmt::format("<text transform=\"translate(18 {:.2f}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
                    f.plot_top + f.plot_height / 2, escape_markup(y_label));
  return s;
}

// A legend below the axis title, entries flowing left to right and wrapping at the canvas edge,
// so that it never covers data. Returns the y just below it.
double legend_below(const frame& f, const std::vector<std::pair<std::string, std::string>>& entries,
                    std::string& s) {
  double x = f.plot_left, y = f.bottom_edge() + 62;
  for (const auto& [name, color] : entries) {
    const double entry_width = 20 + text_width(name) + 18;
    if (x > f.plot_left && x + entry_width > width - right) x = f.plot_left, y += 18;
    s += fmt::format("<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"14\" height=\"4\" fill=\"{}\"/>\n", x, y - 5,
                     color);
    s += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\">{}</text>\n", x + 20, y, escape_markup(name));
    x += entry_width;
  }
  return entries.empty() ? f.bottom_edge() + 44 : y + 10;
}

// A label centred on x where it fits, else pushed inside the canvas.
std::string label_at(double x, double y, const std::string& text, const std::string& color) {
  const double half = text_width(text) / 2;
  const double centre = std::clamp(x, 4 + half, width - 4 - half);
  return fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" fill=\"{}\" text-anchor=\"middle\">{}</text>\n", centre,
                     y, color, escape_markup(text));
}

// Dashed vertical markers over the plot, labels stacked from the top (or, `from_bottom`, up from
// the axis): right of the line where the label fits inside the figure, else left of it (an
// observed statistic at the edge of the null is the usual case).
std::string vertical_markers(const frame& f, const std::vector<vertical_marker>& markers,
                             bool from_bottom = false) {
  std::string s;
  double label_y = from_bottom ? f.bottom_edge() - 8 : f.plot_top + 12;
  for (const auto& m : markers) {
    s += fmt::format(
        "<line x1=\"{0:.2f}\" y1=\"{1}\" x2=\"{0:.2f}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2\" "
        "stroke-dasharray=\"6 3\"/>\n",
        f.sx(m.x), f.plot_top, f.bottom_edge(), m.color);
    const bool fits_right = f.sx(m.x) + 4 + text_width(m.label) <= width - 4;
    s += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" fill=\"{}\"{}>{}</text>\n",
                     fits_right ? f.sx(m.x) + 4 : f.sx(m.x) - 4, label_y, m.color,
                     fits_right ? "" : " text-anchor=\"end\"", escape_markup(m.label));
    label_y += from_bottom ? -14 : 14;
  }
  return s;
}

}  // namespace

std::string escape_markup(const std::string& text) {
  std::string out;
  for (char c : text) {
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
  // Text lines below the axis keep their baselines 15 px apart (a 12 px font's box is 14 px
  // high), starting under the axis title; each band sits 14 px below the one before.
  constexpr double line_gap = 15;
  double last_baseline = f.bottom_edge() + 38;  // the axis title
  double band_y = f.bottom_edge() + 50;
  for (const auto& b : figure.intervals) {
    // The label goes beside the band where it fits, otherwise above it, so that it always stays
    // inside the figure.
    const double label_width = text_width(b.label);
    const double x_lo = f.sx(b.lower), x_hi = f.sx(b.upper);
    std::string label;
    const bool right_of = width - x_hi - 6 >= label_width, left_of = x_lo - 6 >= label_width;
    if (right_of || left_of) {
      band_y = std::max(band_y, last_baseline + line_gap - 4);
      last_baseline = band_y + 4;
      label = fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" fill=\"{}\"{}>{}</text>\n",
                          right_of ? x_hi + 6 : x_lo - 6, last_baseline, b.color,
                          right_of ? "" : " text-anchor=\"end\"", escape_markup(b.label));
    } else {
      last_baseline = std::max(band_y, last_baseline + line_gap);
      label = fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" fill=\"{}\">{}</text>\n",
                          std::max(4.0, std::min(x_lo, width - label_width - 4)), last_baseline, b.color,
                          escape_markup(b.label));
      band_y = last_baseline + 8;
    }
    s += fmt::format(
        "<line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\" stroke=\"{}\" stroke-width=\"4\"/>\n",
        x_lo, band_y, x_hi, band_y, b.color);
    s += label;
    band_y += 14;
  }
  s += vertical_markers(f, figure.markers);
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
  std::string s = axes(f, figure.x_label, figure.y_label);
  for (const auto& h : figure.horizontal_lines) {
    s += fmt::format(
        "<line x1=\"{0}\" y1=\"{1:.2f}\" x2=\"{2}\" y2=\"{1:.2f}\" stroke=\"#555\" stroke-dasharray=\"4 "
        "4\"/>\n",
        f.plot_left, f.sy(h.value), f.right_edge());
    // Above the line at its right end; below it when the line is at the top of the plot.
    const double y = f.sy(h.value) - 5 < f.plot_top + 10 ? f.sy(h.value) + 14 : f.sy(h.value) - 5;
    s += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" fill=\"#555\" text-anchor=\"end\">{}</text>\n",
                     f.right_edge() - 4, y, escape_markup(h.label));
  }
  std::vector<std::pair<std::string, std::string>> legend;
  for (const auto& series : figure.series) {
    std::string points;
    for (std::size_t i = 0; i < series.x.size(); ++i) {
      points += fmt::format("{:.2f},{:.2f} ", f.sx(series.x[i]), f.sy(series.y[i]));
      if (i < series.error.size() && series.error[i] > 0)
        s += fmt::format(
            "<line x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{0:.2f}\" y2=\"{2:.2f}\" stroke=\"{3}\"/>\n",
            f.sx(series.x[i]), f.sy(std::max(figure.y_min, series.y[i] - series.error[i])),
            f.sy(std::min(figure.y_max, series.y[i] + series.error[i])), series.color);
      s += fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"2.5\" fill=\"{}\"/>\n", f.sx(series.x[i]),
                       f.sy(series.y[i]), series.color);
    }
    s += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n", points,
                     series.color);
    legend.emplace_back(series.name, series.color);
  }
  // A required n sits where its curve has passed the target: the space under the curve, by the axis,
  // is free there.
  s += vertical_markers(f, figure.markers, true);
  const double bottom_of_legend = legend_below(f, legend, s);
  s += "</svg>\n";
  return open_svg(figure.title, figure.subtitle, std::max(height, bottom_of_legend)) + s;
}

std::string render_svg(const dot_figure& figure) {
  // The row names at the left set the plot's left edge; rows are 26 px apart.
  double name_width = 0;
  for (const auto& row : figure.rows) name_width = std::max(name_width, text_width(row));
  frame f{figure.x_min, figure.x_max, 0, 1};
  f.plot_left = std::max(left, 12 + name_width + 10);
  f.plot_width = width - right - f.plot_left;
  constexpr double row_height = 26;
  f.plot_height = row_height * static_cast<double>(std::max<std::size_t>(1, figure.rows.size())) + 10;
  std::string s = axes(f, figure.x_label, "", false);
  for (std::size_t r = 0; r < figure.rows.size(); ++r) {
    const double y = f.plot_top + 5 + row_height * (static_cast<double>(r) + 0.5);
    s += fmt::format("<line x1=\"{0}\" y1=\"{1:.2f}\" x2=\"{2}\" y2=\"{1:.2f}\" stroke=\"#e5e5e5\"/>\n",
                     f.plot_left, y, f.right_edge());
    s += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"end\">{}</text>\n", f.plot_left - 8,
                     y + 4, escape_markup(figure.rows[r]));
    // Several series share a row, each a little above or below its centre line.
    const double k = static_cast<double>(figure.series.size());
    const double spread = std::min(6.0, 18.0 / std::max(1.0, k));
    bool any = false;
    for (std::size_t i = 0; i < figure.series.size(); ++i) {
      const auto& series = figure.series[i];
      if (r >= series.value.size() || !series.value[r]) continue;
      any = true;
      const double v = *series.value[r], e = r < series.error.size() ? series.error[r] : 0.0;
      const double dy = y + (static_cast<double>(i) - (k - 1) / 2) * spread;
      if (e > 0)
        s += fmt::format(
            "<line x1=\"{0:.2f}\" y1=\"{2:.2f}\" x2=\"{1:.2f}\" y2=\"{2:.2f}\" stroke=\"{3}\" "
            "stroke-width=\"1.5\"/>\n",
            f.sx(std::max(figure.x_min, v - e)), f.sx(std::min(figure.x_max, v + e)), dy, series.color);
      s += fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"4\" fill=\"{}\"/>\n", f.sx(v), dy,
                       series.color);
    }
    if (!any)
      s += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" fill=\"#888\">not defined</text>\n", f.plot_left + 6,
                       y + 4);
  }
  for (const auto& line : figure.vertical_lines) {
    s += fmt::format(
        "<line x1=\"{0:.2f}\" y1=\"{1}\" x2=\"{0:.2f}\" y2=\"{2}\" stroke=\"#555\" stroke-dasharray=\"4 "
        "4\"/>\n",
        f.sx(line.value), f.plot_top, f.bottom_edge());
    s += label_at(f.sx(line.value), f.plot_top - 4, line.label, "#555");
  }
  std::vector<std::pair<std::string, std::string>> legend;
  if (figure.series.size() > 1)
    for (const auto& series : figure.series) legend.emplace_back(series.name, series.color);
  const double bottom_of_legend = legend_below(f, legend, s);
  s += "</svg>\n";
  return open_svg(figure.title, figure.subtitle, bottom_of_legend + 10) + s;
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
