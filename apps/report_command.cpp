// `resample report`: a paired study's every endpoint with its small-sample uncertainty and, from a
// claims file, a publication's own figures recomputed. All numbers come from the study layer
// (study_report.hpp); this file only lays them out as a terminal table, Markdown, JSON or SVG.

#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_common.hpp"
#include "commands.hpp"
#include "data_directory.hpp"
#include "figures.hpp"
#include "resample/parse_number.hpp"
#include "resample/study/csv.hpp"
#include "resample/study/study_report.hpp"
#include "result_json.hpp"
#include "svg_plot.hpp"

namespace resample::cli {

namespace {

using nlohmann::json;

struct report_options {
  // No endpoint given (no --study, --pre/--post, --column or --values): the shipped study
  // (data_directory.hpp), on --data FILE when given.
  input_options input;
  std::string claims;  // --claims FILE; empty: the study file's "claims", if any
  std::string plots;
  std::string plots_format = "svg";  // --plots-format svg|png
  std::string by;                    // --by COL: the report again for each value of COL
  double level = 0.95;
  double alpha = 0.05;
  bool all_intervals = false;
  std::vector<double> improved_by;
  std::uint64_t seed = 20020;
  output_options output;
};

// ---------------------------------------------------------------------------------------------
// Numbers as a reader wants them: no exponent, no trailing zeros, undefined spelled out.

std::string num(double x) {
  if (!std::isfinite(x)) return "undefined";
  if (std::fabs(x) < 5e-13) return "0";
  std::string s = fmt::format("{:.4f}", x);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string pval(double p) { return fmt::format("{:.4g}", p); }

std::string bracket(const std::optional<double>& lo, const std::optional<double>& hi) {
  if (!lo || !hi) return "undefined";
  return "[" + num(*lo) + ", " + num(*hi) + "]";
}

const bootstrap::interval* find(const effect_analysis& e, bootstrap::interval_method m) {
  for (const auto& i : e.bootstrap.intervals)
    if (i.method == m) return &i;
  return nullptr;
}

std::string interval_cell(const effect_analysis& e, bootstrap::interval_method m) {
  const auto* i = find(e, m);
  return i ? bracket(i->lower, i->upper) : "-";
}

std::string short_label(const effect_analysis& e) { return e.label; }

std::optional<double> finite(double x) { return std::isfinite(x) ? std::optional<double>(x) : std::nullopt; }

json optional_number(const std::optional<double>& x) {
  return x && std::isfinite(*x) ? json(*x) : json(nullptr);
}

// ---------------------------------------------------------------------------------------------
// A small table model shared by the terminal and Markdown renderings.

struct table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

std::size_t display_width(const std::string& s) {
  std::size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80 ? 1 : 0;  // count UTF-8 code points
  return w;
}

std::string pad(const std::string& s, std::size_t width, bool right) {
  const std::size_t w = display_width(s);
  const std::string fill(width > w ? width - w : 0, ' ');
  return right ? fill + s : s + fill;
}

std::string render_html(const table& t) {
  std::string out = "<table>\n<thead><tr>";
  for (const auto& h : t.header) out += "<th>" + escape_markup(h) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& r : t.rows) {
    out += "<tr>";
    for (const auto& c : r) out += "<td>" + escape_markup(c) + "</td>";
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

std::string render(const table& t, bool markdown) {
  std::vector<std::size_t> widths(t.header.size(), 0);
  for (std::size_t c = 0; c < t.header.size(); ++c) widths[c] = display_width(t.header[c]);
  for (const auto& r : t.rows)
    for (std::size_t c = 0; c < r.size(); ++c) widths[c] = std::max(widths[c], display_width(r[c]));
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    out += markdown ? "|" : "  ";
    for (std::size_t c = 0; c < cells.size(); ++c) {
      out += markdown ? " " + pad(cells[c], widths[c], false) + " |" : pad(cells[c], widths[c], c > 0) + "  ";
    }
    while (!markdown && out.back() == ' ') out.pop_back();
    out += "\n";
  };
  line(t.header);
  if (markdown) {
    out += "|";
    for (std::size_t c = 0; c < widths.size(); ++c)
      out += (c > 0 ? "-" : ":") + std::string(widths[c] + 1, '-') + "|";
    out += "\n";
  }
  for (const auto& r : t.rows) line(r);
  return out;
}

// How the document is written: a terminal (optionally coloured), Markdown or HTML.
struct style {
  bool color = false;
  bool markdown = false;
  bool html = false;
  std::size_t width = 100;  // text paragraphs wrap here (text_width)
  std::string title(const std::string& s) const {
    if (html) return "<h1>" + escape_markup(s) + "</h1>\n";
    if (markdown) return "# " + s + "\n";
    return color ? "\x1b[1m" + s + "\x1b[0m\n" : s + "\n";
  }
  std::string heading(const std::string& s) const {
    if (html) return "<h2>" + escape_markup(s) + "</h2>\n";
    if (markdown) return "\n## " + s + "\n\n";
    return color ? "\n\x1b[1m" + s + "\x1b[0m\n" : "\n" + s + "\n";
  }
  std::string good(const std::string& s) const { return color ? "\x1b[32m" + s + "\x1b[0m" : s; }
  std::string bad(const std::string& s) const { return color ? "\x1b[31m" + s + "\x1b[0m" : s; }
  std::string para(const std::string& s) const {
    if (html) return "<p>" + escape_markup(s) + "</p>\n";
    return markdown ? s + "\n\n" : wrap_text(s, width, "  ", "    ") + "\n";
  }
  // "LABEL: TEXT" with the label emphasised.
  std::string labelled(const std::string& label, const std::string& text) const {
    if (html) return "<p><strong>" + escape_markup(label) + "</strong>: " + escape_markup(text) + "</p>\n";
    return para((markdown ? "**" + label + "**" : label) + ": " + text);
  }
  std::string render(const table& t) const {
    return html ? render_html(t) : resample::cli::render(t, markdown);
  }
  std::string preformatted(const std::string& text) const {
    if (html) return "<pre>" + escape_markup(text) + "</pre>\n";
    return "\n" + text;
  }
};

std::string format_figure_values(const descriptive_figure& f, const std::vector<double>& values,
                                 bool computed) {
  for (double v : values)
    if (!std::isfinite(v)) return "undefined";
  if (values.size() == 2)
    return f.kind == figure_kind::range ? fmt::format("{}-{}", num(values[0]), num(values[1]))
                                        : fmt::format("{} of {}", num(values[0]), num(values[1]));
  // The recomputed value is shown one digit finer than the paper's, so the rounding is visible.
  return fmt::format("{:.{}f}", values.at(0), f.decimals + (computed ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------

bool all_exact(const study_report& a) {
  for (const auto& e : a.effects) {
    if (e.bootstrap.mode_run != bootstrap::mode::exact || !e.calibrated.exact || !e.sign_flip.exact ||
        !e.wilcoxon.exact)
      return false;
  }
  for (const auto& j : a.joint)
    if (!j.result.raw_p.empty() && !j.result.exact) return false;
  return true;
}

bool same_n(const study_report& a) {
  for (const auto& e : a.effects)
    if (e.differences.size() != a.effects.front().differences.size()) return false;
  return true;
}

std::string join_words(const std::vector<std::string>& items) {
  if (items.size() <= 2) return fmt::format("{}", fmt::join(items, " and "));
  return fmt::format("{} and {}", fmt::join(items.begin(), items.end() - 1, ", "), items.back());
}

std::string report_title(const study_report& a) {
  return fmt::format("{}: {} patients, data {}", a.title.empty() ? "Paired study" : a.title, a.n, a.source);
}

std::string render_document(const study_report& a, const style& s, const std::string& input_text) {
  std::string out;
  out += s.title(report_title(a));
  int section = 0;
  auto heading = [&](const std::string& text) { return s.heading(fmt::format("{}. {}", ++section, text)); };

  if (a.claims && !a.figures.empty()) {
    const std::size_t matched =
        std::count_if(a.figures.begin(), a.figures.end(), [](const auto& f) { return f.matches; });
    out += heading(fmt::format("{}: {} of {} match", a.claims->figures_heading, matched, a.figures.size()));
    table d{{"claim in the paper", "paper", "recomputed", "match"}, {}};
    for (const auto& f : a.figures)
      d.rows.push_back({f.statement, format_figure_values(f, f.stated, false),
                        format_figure_values(f, f.computed, true), f.matches ? s.good("yes") : s.bad("NO")});
    out += s.render(d);
    for (const auto& f : a.figures)
      if (!f.left_out.empty())
        out += s.para(
            fmt::format("{}: left out for a missing value: {}", f.statement, fmt::join(f.left_out, ", ")));
  }

  const double level = 100 * a.options.level;
  const bool exact = all_exact(a);
  const bool pre_minus_post = std::all_of(a.effects.begin(), a.effects.end(), [](const effect_analysis& e) {
    return e.dir == direction::lower_is_better;
  });
  out += heading(fmt::format(
      "Effects (difference {} per patient; positive = better), {}",
      pre_minus_post ? "pre - post" : "in the direction of improvement",
      exact ? "all exact"
            : fmt::format("exact where feasible, Monte Carlo elsewhere (seed {})", a.options.seed)));
  if (!a.effects.empty()) {
    const auto& first = a.effects.front();
    if (exact && same_n(a)) {
      out += s.para(fmt::format(
          "Bootstrap over all {} distinct resamples of {} patients; tests over all {} sign "
          "patterns; p-values two-sided.",
          first.bootstrap.resamples ? num(*first.bootstrap.resamples) : "?", first.differences.size(),
          num(std::ldexp(1.0, static_cast<int>(first.differences.size())))));
    } else {
      std::vector<std::string> parts;
      for (const auto& e : a.effects)
        parts.push_back(fmt::format("{} {} patients ({} bootstrap, {} sign-flip test)", e.label,
                                    e.differences.size(),
                                    e.bootstrap.mode_run == bootstrap::mode::exact ? "exact" : "Monte Carlo",
                                    e.sign_flip.exact ? "exact" : "Monte Carlo"));
      out +=
          s.para("Each endpoint uses its complete patients: " + join_words(parts) + "; p-values two-sided.");
    }
    double low = 1, high = 0;
    for (const auto& e : a.effects)
      low = std::min(low, e.calibrated.uncalibrated_coverage),
      high = std::max(high, e.calibrated.uncalibrated_coverage);
    out += s.para(fmt::format(
        "calibrated: double-bootstrap percentile interval whose nominal level is raised until its bootstrap "
        "coverage reaches the target (here the plain {:.0f}% percentile interval's own bootstrap coverage is "
        "{}).",
        level, low == high ? num(low) : num(low) + " to " + num(high)));
  }
  std::vector<std::string> header{"effect", "mean", fmt::format("{:.0f}% percentile", level),
                                  fmt::format("{:.0f}% BCa", level), "calibrated"};
  if (a.options.all_intervals) header.insert(header.end(), {"basic", "normal", "studentized"});
  header.insert(header.end(), {"HL [CI]", "t interval", "sign-flip p", "sign p", "Wilcoxon p"});
  table e{header, {}};
  using bootstrap::interval_method;
  for (const auto& x : a.effects) {
    std::vector<std::string> row{
        short_label(x), num(x.bootstrap.estimate), interval_cell(x, interval_method::percentile),
        interval_cell(x, interval_method::bca), bracket(x.calibrated.ci.lower, x.calibrated.ci.upper)};
    if (a.options.all_intervals)
      row.insert(row.end(),
                 {interval_cell(x, interval_method::basic), interval_cell(x, interval_method::normal),
                  interval_cell(x, interval_method::studentized)});
    row.insert(row.end(), {num(x.hodges_lehmann.estimate) + " " +
                               bracket(x.hodges_lehmann.lower, x.hodges_lehmann.upper),
                           bracket(x.t_interval.lower, x.t_interval.upper), pval(x.sign_flip.p_value),
                           pval(x.sign.p_value), pval(x.wilcoxon.p_value)});
    e.rows.push_back(row);
  }
  out += s.render(e);
  if (!s.markdown && !s.html) {
    out += exact ? "\n  Exact bootstrap distribution of each mean (range shown):\n"
                 : "\n  Bootstrap distribution of each mean (range shown):\n";
    for (const auto& x : a.effects) {
      const auto atoms = x.bootstrap.distribution.atoms();
      if (atoms.empty()) continue;
      out += fmt::format("  {:<24} {} {} to {}\n", short_label(x),
                         unicode_histogram(x.bootstrap.distribution, 40), num(atoms.front().value),
                         num(atoms.back().value));
    }
  }

  // The interval that agrees with the sign-flip test, the paired effect sizes, and for declared
  // ordinal endpoints the test of their (pre, post) table.
  std::vector<std::string> ordinal;
  bool ordinal_exact = true;
  for (const auto& x : a.effects)
    if (x.ordinal)
      ordinal.push_back(x.label), ordinal_exact = ordinal_exact && x.ordinal->stuart_maxwell.exact;
  std::string paragraph = fmt::format(
      "The {:.0f}% sign-flip confidence set inverts the sign-flip test, so it excludes 0 exactly when the "
      "test "
      "rejects at {}; rank-biserial and superiority are the paired effect sizes",
      level, format_number(a.options.alpha));
  if (!ordinal.empty())
    paragraph += fmt::format(
        "; {} {} declared ordinal, and the Stuart-Maxwell test of {} pre/post table is {}",
        join_words(ordinal), ordinal.size() == 1 ? "is" : "are", ordinal.size() == 1 ? "its" : "each",
        ordinal_exact ? "exact conditional on the patients who changed level"
                      : "computed on the patients who changed level");
  out += s.para(paragraph + ".");
  table v{{"effect", "sign-flip set", "attained", "rank-biserial", "superiority", "Stuart-Maxwell p"}, {}};
  for (const auto& x : a.effects)
    v.rows.push_back(
        {short_label(x), bracket(x.sign_flip_set.lower, x.sign_flip_set.upper),
         x.sign_flip_set.achieved_level ? num(*x.sign_flip_set.achieved_level) : std::string("-"),
         num(x.rank_biserial), num(x.superiority),
         x.ordinal ? pval(x.ordinal->stuart_maxwell.p_value) : std::string("-")});
  out += s.render(v);

  out += heading("Verdicts, from the numbers above");
  for (const auto& x : a.effects) out += s.labelled(short_label(x), x.verdict);

  if (!a.proportions.empty()) {
    const bool claimed = a.claims && !a.claims->proportions.empty();
    out += heading(claimed ? a.claims->proportions_heading : "Proportions of patients improved");
    table c{{"claim", "share", fmt::format("Clopper-Pearson {:.0f}%", level),
             fmt::format("Wilson {:.0f}%", level)},
            {}};
    for (const auto& claim : a.proportions) {
      std::string cp = "-", wilson = "-";
      for (const auto& i : claim.estimate.intervals) {
        const std::string text = fmt::format("[{:.1f}%, {:.1f}%]", 100 * i.lower, 100 * i.upper);
        if (i.method == "clopper_pearson") cp = text;
        if (i.method == "wilson") wilson = text;
      }
      c.rows.push_back({claim.statement,
                        claim.estimate.trials
                            ? fmt::format("{} of {}", claim.estimate.successes, claim.estimate.trials)
                            : "none",
                        cp, wilson});
    }
    out += s.render(c);
    for (const auto& claim : a.proportions)
      out += s.para(claim.statement + ": " + claim.verdict +
                    (claim.left_out.empty() ? std::string()
                                            : fmt::format(" Left out for a missing value: {}.",
                                                          fmt::join(claim.left_out, ", "))));
  }

  if (!a.joint.empty()) {
    out += heading("Endpoints tested together (patients flipped jointly)");
    table j{{"endpoint", "family", "patients", "p", "max-T p", "Holm p"}, {}};
    for (std::size_t f = 0; f < a.joint.size(); ++f) {
      const auto& r = a.joint[f].result;
      for (std::size_t k = 0; k < a.joint[f].labels.size(); ++k)
        j.rows.push_back({a.joint[f].labels[k], std::to_string(f + 1), std::to_string(a.joint[f].n),
                          k < r.raw_p.size() ? pval(r.raw_p[k]) : "-",
                          k < r.max_t_p.size() ? pval(r.max_t_p[k]) : "-",
                          k < r.holm_p.size() ? pval(r.holm_p[k]) : "-"});
    }
    out += s.render(j);
    for (std::size_t f = 0; f < a.joint.size(); ++f)
      out += s.para(fmt::format("{}: {}{}", f + 1, a.joint[f].verdict,
                                a.joint[f].left_out.empty()
                                    ? std::string()
                                    : fmt::format(" Left out (not complete for every endpoint): {}.",
                                                  fmt::join(a.joint[f].left_out, ", "))));
  }

  out += heading(fmt::format("What {} patients can show at all", a.n));
  out += s.para(
      fmt::format("With {} patients no two-sided sign-flip, sign or signed-rank test can reach p < {}; "
                  "the smallest attainable p doubles with every patient who did not change.",
                  a.n, pval(std::ldexp(2.0, -static_cast<int>(std::min<std::size_t>(a.n, 1100))))));
  for (const auto& x : a.effects)
    out += s.para(fmt::format("{}: {} of {} patients changed, smallest attainable p = {}{}", short_label(x),
                              x.n_nonzero, x.differences.size(), pval(x.smallest_attainable_p),
                              x.smallest_attainable_p >= a.options.alpha
                                  ? fmt::format(" (no test can reach {})", pval(a.options.alpha))
                                  : ""));

  out += heading(fmt::format("Fragility: each patient left out in turn ({} sign-flip p of the mean)",
                             exact ? "exact" : "the"));
  std::vector<std::string> fh{"patient left out"};
  for (const auto& x : a.effects) fh.push_back(short_label(x));
  table f{fh, {}};
  for (const auto& patient : a.patients) {
    std::vector<std::string> row{patient};
    bool any = false;
    for (const auto& x : a.effects) {
      const auto at = std::find_if(x.leave_one_out.begin(), x.leave_one_out.end(),
                                   [&](const leave_one_out_row& r) { return r.patient == patient; });
      if (at == x.leave_one_out.end()) {
        row.push_back("-");
        continue;
      }
      any = true;
      const std::string cell = pval(at->sign_flip_p) + (at->significant != x.significant ? " (flips)" : "");
      row.push_back(at->significant != x.significant ? s.bad(cell) : cell);
    }
    if (any) f.rows.push_back(row);
  }
  out += s.render(f);
  for (const auto& x : a.effects) {
    if (!x.fragility) continue;
    const auto& k = *x.fragility;
    const std::string reached =
        fmt::format("the sign-flip p to {} >= {}", pval(k.p_value), pval(a.options.alpha));
    const std::string bound = k.exact
                                  ? (k.patients == 1 ? "that is the fewest" : "no fewer would")
                                  : "found greedily (the exhaustive search was too large), so fewer might do";
    out += s.para(
        k.patients == 1
            ? fmt::format("{}: one patient's change ({}), had it been none, would bring {}; {}.", x.label,
                          k.which.front(), reached, bound)
            : fmt::format("{}: the changes of {} patients ({}), had they been none, would bring {}; {}.",
                          x.label, k.patients, join_words(k.which), reached, bound));
  }

  if (a.claims && !a.claims->sensitivity.empty()) {
    out += heading("Sensitivity: " + a.claims->sensitivity_heading);
    if (a.sensitivities.empty())
      out += s.para(
          fmt::format("The data already hold every {} value: nothing to compare.", a.claims->alternative));
    for (const auto& x : a.sensitivities) {
      out += s.para(x.description + ".");
      table t{{"version", "mean", fmt::format("{:.0f}% BCa", level), "sign-flip p", "Wilcoxon p"}, {}};
      for (const auto* v : {&x.as_given, &x.alternative})
        t.rows.push_back({v == &x.as_given ? a.claims->as_given : a.claims->alternative,
                          num(v->bootstrap.estimate), interval_cell(*v, interval_method::bca),
                          pval(v->sign_flip.p_value), pval(v->wilcoxon.p_value)});
      out += s.render(t);
      out += s.para(x.verdict);
    }
  }
  if (!input_text.empty()) out += s.preformatted(input_text);
  return out;
}

// ---------------------------------------------------------------------------------------------

// The shared bootstrap result (result_json.hpp) with the calibrated interval the report adds.
json bootstrap_json(const effect_analysis& e) {
  json out = to_json(e.bootstrap);
  out["calibrated"] = {{"lower", optional_number(e.calibrated.ci.lower)},
                       {"upper", optional_number(e.calibrated.ci.upper)},
                       {"level", e.calibrated.ci.level},
                       {"nominal_level", e.calibrated.nominal_level},
                       {"bootstrap_coverage", e.calibrated.bootstrap_coverage},
                       {"uncalibrated_coverage", e.calibrated.uncalibrated_coverage},
                       {"exact", e.calibrated.exact},
                       {"algorithm", e.calibrated.algorithm}};
  return out;
}

json effect_json(const effect_analysis& e) {
  json loo = json::array();
  for (const auto& r : e.leave_one_out)
    loo.push_back({{"patient_left_out", r.patient},
                   {"estimate", r.estimate},
                   {"n_nonzero", r.n_nonzero},
                   {"sign_flip_p", r.sign_flip_p},
                   {"smallest_attainable_p", r.smallest_attainable_p},
                   {"bca_lower", optional_number(r.bca_lower)},
                   {"bca_upper", optional_number(r.bca_upper)},
                   {"significant", r.significant}});
  return {{"id", e.id},
          {"label", e.label},
          {"unit", e.unit},
          {"direction", to_string(e.dir)},
          {"difference", e.difference.empty() ? json(nullptr) : json(e.difference)},
          {"differences", e.differences},
          {"patients", e.patients},
          {"left_out", e.left_out},
          {"n", e.differences.size()},
          {"n_nonzero", e.n_nonzero},
          {"estimate", e.bootstrap.estimate},
          {"bootstrap", bootstrap_json(e)},
          {"hodges_lehmann", to_json(e.hodges_lehmann)},
          {"t_interval", to_json(e.t_interval)},
          {"median", to_json(e.median)},
          {"sign_flip_set", to_json(e.sign_flip_set)},
          {"rank_biserial", e.rank_biserial},
          {"superiority", e.superiority},
          {"ordinal", e.ordinal ? json{{"stuart_maxwell", to_json(e.ordinal->stuart_maxwell)},
                                       {"bhapkar", to_json(e.ordinal->bhapkar)},
                                       {"bowker", to_json(e.ordinal->bowker)}}
                                : json(nullptr)},
          {"tests", json::array({to_json(e.sign_flip), to_json(e.sign), to_json(e.wilcoxon), to_json(e.t)})},
          {"smallest_attainable_p", e.smallest_attainable_p},
          {"significant", e.significant},
          {"interval_excludes_zero", e.interval_excludes_zero},
          {"fragile", e.fragile},
          {"leave_one_out", loo},
          {"fragility_index", e.fragility ? json{{"patients", e.fragility->patients},
                                                 {"which", e.fragility->which},
                                                 {"p_value", e.fragility->p_value},
                                                 {"exact", e.fragility->exact}}
                                          : json(nullptr)},
          {"verdict", e.verdict}};
}

json render_json(const study_report& a, json input) {
  json descriptive = json::array();
  for (const auto& f : a.figures) {
    json computed = json::array();
    for (double v : f.computed) computed.push_back(optional_number(finite(v)));
    descriptive.push_back({{"id", f.id},
                           {"statement", f.statement},
                           {"kind", to_string(f.kind)},
                           {"paper", f.stated},
                           {"computed", computed},
                           {"decimals", f.decimals},
                           {"matches", f.matches},
                           {"rows", f.rows},
                           {"left_out", f.left_out}});
  }
  json effects = json::array();
  for (const auto& e : a.effects) effects.push_back(effect_json(e));
  json claims = json::array();
  for (const auto& c : a.proportions) {
    json intervals = json::array();
    for (const auto& i : c.estimate.intervals)
      intervals.push_back({{"method", i.method}, {"lower", i.lower}, {"upper", i.upper}});
    claims.push_back({{"id", c.id},
                      {"statement", c.statement},
                      {"successes", c.estimate.successes},
                      {"trials", c.estimate.trials},
                      {"estimate", c.estimate.trials ? json(c.estimate.estimate) : json(nullptr)},
                      {"intervals", intervals},
                      {"left_out", c.left_out},
                      {"verdict", c.verdict}});
  }
  json joint = json::array();
  for (const auto& j : a.joint)
    joint.push_back({{"endpoints", j.endpoints},
                     {"n", j.n},
                     {"left_out", j.left_out},
                     {"raw_p", j.result.raw_p},
                     {"max_t_p", j.result.max_t_p},
                     {"holm_p", j.result.holm_p},
                     {"exact", j.result.exact},
                     {"method", j.result.method},
                     {"verdict", j.verdict}});
  json sensitivity = json::array();
  for (const auto& s : a.sensitivities)
    sensitivity.push_back({{"id", s.id},
                           {"description", s.description},
                           {"as_given", effect_json(s.as_given)},
                           {"alternative", effect_json(s.alternative)},
                           {"verdict", s.verdict}});
  // The report has no --threads: 0, all cores. Its seed matters only where an analysis is not exact.
  return with_envelope({{"title", a.title.empty() ? json(nullptr) : json(a.title)},
                        {"data", a.source},
                        {"n", a.n},
                        {"patients", a.patients},
                        {"level", a.options.level},
                        {"alpha", a.options.alpha},
                        {"claims", a.claims ? json(a.claims->source) : json(nullptr)},
                        {"descriptive", descriptive},
                        {"effects", effects},
                        {"proportions", claims},
                        {"joint", joint},
                        {"sensitivity", sensitivity}},
                       "report", a.options.seed, 0, std::move(input));
}

// --format csv and markdown: one row per effect.
// One row per effect; `group` is the --by condition of a group's rows (empty for the whole study).
result_table report_table(const json& r, const std::string& group) {
  result_table t;
  t.header = {"group",      "id",  "label",       "direction", "n",          "n_nonzero",
              "estimate",   "se",  "bca_lower",   "bca_upper", "signflip_p", "sign_p",
              "wilcoxon_p", "t_p", "significant", "fragile",   "verdict"};
  for (const auto& e : r.at("effects")) {
    auto row = cells(e, {"id", "label", "direction", "n", "n_nonzero", "estimate"});
    row.insert(row.begin(), group);
    row.push_back(cell(e.at("bootstrap").at("se")));
    json lower = nullptr, upper = nullptr;
    for (const auto& i : e.at("bootstrap").at("intervals"))
      if (i.at("method") == "bca") lower = i.at("lower"), upper = i.at("upper");
    row.push_back(cell(lower));
    row.push_back(cell(upper));
    for (const auto& test : e.at("tests")) row.push_back(cell(test.at("p_value")));
    for (auto& c : cells(e, {"significant", "fragile", "verdict"})) row.push_back(std::move(c));
    t.rows.push_back(std::move(row));
  }
  return t;
}

// ---------------------------------------------------------------------------------------------

struct named_figure {
  std::string name;  // file name without .svg
  std::string caption;
  std::string svg;
};

// The figures of every effect: its bootstrap distribution and, where it can be drawn, its exact
// sign-flip null distribution.
std::vector<named_figure> report_figures(const study_report& a) {
  std::vector<named_figure> figures;
  for (const auto& e : a.effects) {
    const bool exact = e.bootstrap.mode_run == bootstrap::mode::exact;
    distribution_figure boot = bootstrap_figure(
        e.bootstrap, std::string(exact ? "Exact bootstrap" : "Bootstrap") + " of the mean " + e.label,
        exact ? fmt::format("all {} distinct resamples of {} patients, weighted by probability",
                            e.bootstrap.resamples ? num(*e.bootstrap.resamples) : "?", e.differences.size())
              : fmt::format("{} Monte Carlo resamples of {} patients",
                            e.bootstrap.resamples ? num(*e.bootstrap.resamples) : "?", e.differences.size()),
        "mean difference " + (e.difference.empty() ? std::string("") : e.difference + ", ") + e.unit, num);
    const char* colors[] = {"#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#8c564b"};
    const std::size_t k = boot.intervals.size();
    if (e.calibrated.ci.lower && e.calibrated.ci.upper)
      boot.intervals.push_back({*e.calibrated.ci.lower, *e.calibrated.ci.upper,
                                fmt::format("{:.0f}% calibrated [{}, {}]", 100 * e.calibrated.ci.level,
                                            num(*e.calibrated.ci.lower), num(*e.calibrated.ci.upper)),
                                colors[k % 5]});
    figures.push_back({e.id + "_bootstrap", boot.title, render_svg(boot)});

    if (e.sign_flip.null_distribution) {
      const distribution_figure null = null_distribution_figure(
          e.sign_flip, "Sign-flip null of the mean " + e.label,
          fmt::format("all {} sign patterns; red: as or more extreme than observed, p = {}",
                      num(std::ldexp(1.0, static_cast<int>(e.differences.size()))),
                      pval(e.sign_flip.p_value)),
          "mean difference under no effect, " + e.unit, num);
      figures.push_back({e.id + "_sign_flip_null", null.title, render_svg(null)});
    }
  }
  return figures;
}

// Writes each figure into the directory; returns the files written, in order.
std::vector<std::string> write_plots(const output_options& output, const std::string& directory,
                                     const std::string& extension, const std::vector<named_figure>& figures) {
  create_side_directory(output, directory, "--plots");
  std::vector<std::string> written;
  for (const auto& f : figures) {
    written.push_back((std::filesystem::path(directory) / (f.name + "." + extension)).string());
    write_figure(output, written.back(), f.svg, "--plots");
  }
  return written;
}

// One self-contained HTML file: the document (style::html) with every figure inline, no network.
// The small script marks each figure the browser laid out (a non-empty bounding box), so that a
// headless browser's DOM shows whether every figure rendered (data-figures-rendered on <body>).
std::string html_document(const std::string& title, const std::string& body,
                          const std::vector<named_figure>& figures) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
      escape_markup(title) +
      "</title>\n<style>\nbody{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 "
      "1em;line-height:1.4}\n"
      "table{border-collapse:collapse;margin:0.5em 0}th,td{padding:0.15em 0.6em;border-bottom:1px solid "
      "#ddd}\n"
      "td:not(:first-child){text-align:right;white-space:nowrap}th{text-align:left}\n"
      "figure{margin:1em 0}figure svg{max-width:100%;height:auto}pre{background:#f6f6f6;padding:0.5em}\n"
      "</style>\n</head>\n<body data-figures=\"" +
      std::to_string(figures.size()) + "\">\n" + body;
  if (!figures.empty()) {
    out += "<h2>Figures</h2>\n";
    for (const auto& f : figures) {
      std::string svg = f.svg;
      if (svg.rfind("<?xml", 0) == 0)
        svg.erase(0, svg.find("?>") + 2);  // inline SVG takes no XML declaration
      out += "<figure id=\"" + escape_markup(f.name) + "\">" + svg + "<figcaption>" +
             escape_markup(f.caption) + "</figcaption></figure>\n";
    }
  }
  out +=
      "<script>\nlet rendered = 0;\nfor (const svg of document.querySelectorAll('figure svg')) {\n"
      "  const box = svg.getBBox();\n  if (box.width > 0 && box.height > 0) rendered++;\n}\n"
      "document.body.setAttribute('data-figures-rendered', String(rendered));\n</script>\n</body>\n</html>\n";
  return out;
}

bool stdout_wants_color(const report_options& o) {
  return o.output.out.empty() && ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
}

// The study the options describe, with the shipped study standing in when no endpoint is given.
study_data load_report_study(const input_options& given) {
  const bool endpoints = !given.study.empty() || !given.pre.empty() || !given.post.empty() ||
                         !given.column.empty() || !given.values.empty();
  if (endpoints) return load_input(given);
  input_options shipped = given;
  shipped.data.clear();
  shipped.study = default_study_path().string();
  study_description d = describe_input(shipped);
  if (!given.data.empty()) {
    d.data = given.data;  // another table with the shipped study's columns
    return load_study(d);
  }
  study_data study = load_study(d);
  // Named as in the repository, so the output does not depend on where the checkout or the
  // installation lives (the README quotes it verbatim).
  study.source = "data/" + std::filesystem::path(d.data).filename().string();
  study.table.source = study.source;
  return study;
}

// --by COL: one group per value of COL among the selected rows, in the order they first appear.
struct group_report {
  std::string value;
  std::string condition;    // "COL=VALUE", as --where would select it
  std::string file_prefix;  // for the group's figures: "by_COL_VALUE_" with only [A-Za-z0-9_-]
  std::optional<study_data> data;
  std::optional<study_report> report;
  std::string error;  // the group could not be analysed (e.g. fewer than two complete patients)
};

std::vector<group_report> group_reports(const report_options& options, const study_data& study,
                                        const study_report& whole,
                                        const study_report_options& analysis_options) {
  if (study.table.rows.empty()) throw usage_error("--by: needs the data as a file (not --values)");
  const std::size_t column = study.table.column_index(options.by);
  std::vector<std::string> values;
  for (const std::size_t row : study.selected) {
    std::string v = study.table.rows[row].fields[column].text;
    v.erase(0, v.find_first_not_of(" \t"));
    v.erase(v.find_last_not_of(" \t") + 1);
    if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(v);
  }
  std::vector<group_report> groups;
  for (const auto& v : values) {
    group_report g;
    g.value = v;
    g.condition = options.by + "=" + v;
    g.file_prefix = "by_" + options.by + "_" + v + "_";
    for (char& c : g.file_prefix)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') c = '_';
    input_options input = options.input;
    input.where.push_back(g.condition);
    try {
      g.data = load_report_study(input);
      g.report = analyse_study(*g.data, std::nullopt, analysis_options);  // claims are about the whole data
      g.report->title = (whole.title.empty() ? std::string("Paired study") : whole.title) + ", " +
                        options.by + " = " + (v.empty() ? std::string("(empty)") : v);
    } catch (const data_error& e) {
      g.error = e.what();
      g.data.reset();
    }
    groups.push_back(std::move(g));
  }
  return groups;
}

}  // namespace

void register_report_command(CLI::App& app) {
  auto options = std::make_shared<report_options>();
  auto* command = app.add_subcommand(
      "report",
      "every endpoint of a paired study with its exact small-sample uncertainty, and a claims file's "
      "figures recomputed");
  add_input_options(*command, options->input);
  command->footer(
      "With no --study, --pre/--post, --column or --values: the example study shipped in the installed data "
      "directory ($RESAMPLE_DATA_DIR when set), on --data FILE when given.");
  command
      ->add_option("--by", options->by,
                   "also report each group of patients with the same value of COL (a report per group)")
      ->group("Input");
  command
      ->add_option("--claims", options->claims,
                   "JSON claims file: stated figures, proportions and alternative values to recompute "
                   "(default: the study file's \"claims\")")
      ->group("Input");
  command->add_option("--plots", options->plots,
                      "write the figures (bootstrap and null distributions) into DIR, and list them");
  command->add_option("--plots-format", options->plots_format, "svg, or png (rendered by rsvg-convert)")
      ->check(CLI::IsMember({"svg", "png"}))
      ->capture_default_str();
  command->add_option("--conf", options->level, "confidence level of every interval, in (0, 1)")
      ->capture_default_str();
  command->add_option("--alpha", options->alpha, "significance level the verdicts use, in (0, 1)")
      ->capture_default_str();
  command->add_flag("--all-intervals", options->all_intervals,
                    "also basic, normal and studentized bootstrap intervals");
  command
      ->add_option("--improved-by", options->improved_by,
                   "also report each endpoint's share of patients with d >= K (repeatable)")
      ->check(finite_number());
  add_seed_option(*command, options->seed, "seed of any analysis that cannot be exact (Monte Carlo)");
  add_output_options(*command, options->output, /*html=*/true);
  command->callback([options] {
    const command_line_run run(options->output);
    if (!(options->level > 0 && options->level < 1))
      throw usage_error("--conf: expected a level strictly between 0 and 1, got " +
                        fmt::format("{}", options->level));
    if (!(options->alpha > 0 && options->alpha < 1))
      throw usage_error("--alpha: expected a level strictly between 0 and 1, got " +
                        fmt::format("{}", options->alpha));
    const study_data study = load_report_study(options->input);
    const std::string claims_path = !options->claims.empty() ? options->claims : study.claims;
    std::optional<claims_file> claims;
    if (!claims_path.empty()) claims = read_claims_file(claims_path);
    study_report_options analysis_options;
    analysis_options.level = options->level;
    analysis_options.alpha = options->alpha;
    analysis_options.all_intervals = options->all_intervals;
    analysis_options.improved_by = options->improved_by;
    analysis_options.seed = options->seed;
    if (!options->plots.empty()) check_figure_path("figure." + options->plots_format, "--plots-format");
    const auto analysis = analyse_study(study, claims, analysis_options);
    const auto groups = options->by.empty() ? std::vector<group_report>()
                                            : group_reports(*options, study, analysis, analysis_options);

    auto figures = report_figures(analysis);
    for (const auto& g : groups) {
      if (!g.report) continue;
      for (auto f : report_figures(*g.report)) {
        f.name = g.file_prefix + f.name;
        f.caption += " (" + g.condition + ")";
        figures.push_back(std::move(f));
      }
    }
    std::vector<std::string> written;
    if (!options->plots.empty())
      written = write_plots(options->output, options->plots, options->plots_format, figures);
    std::string text;
    const auto format = output_format(options->output);
    json result = render_json(analysis, input_summary(study));
    result["figures"] = options->plots.empty() ? json(nullptr) : json(written);
    if (options->by.empty()) {
      result["by"] = nullptr;
    } else {
      json list = json::array();
      for (const auto& g : groups)
        list.push_back(
            {{"value", g.value},
             {"condition", g.condition},
             {"error", g.error.empty() ? json(nullptr) : json(g.error)},
             {"report", g.report ? render_json(*g.report, input_summary(*g.data)) : json(nullptr)}});
      result["by"] = {{"column", options->by}, {"groups", list}};
    }
    if (format == "json") {
      text = result.dump(2) + "\n";
    } else if (format == "csv" || format == "tsv") {
      result_table t = report_table(result, "");
      for (const auto& g : result.at("by").is_null() ? json::array() : result.at("by").at("groups"))
        if (!g.at("report").is_null())
          for (auto& row : report_table(g.at("report"), g.at("condition").get<std::string>()).rows)
            t.rows.push_back(std::move(row));
      text = format == "csv" ? write_csv(t) : write_tsv(t);
    } else {
      style s;
      s.markdown = format == "markdown";
      s.html = format == "html";
      s.color = format == "text" && stdout_wants_color(*options);
      s.width = text_width(options->output);
      text = render_document(analysis, s, render_input_text(result.at("input")));
      for (const auto& g : groups) {
        if (!s.html && !s.markdown) text += "\n";
        if (g.report)
          text += render_document(*g.report, s, render_input_text(input_summary(*g.data)));
        else
          text += s.title(g.condition + ": not analysed") + s.para(g.error);
      }
      if (!written.empty()) text += s.para(fmt::format("Figures written: {}.", fmt::join(written, ", ")));
      if (s.html) text = html_document(report_title(analysis), text, figures);
    }
    emit(options->output, text);
  });
}

}  // namespace resample::cli
