// `resample report`: every claim of the paper recomputed from its Table 1, with the small-sample
// uncertainty the paper does not give. All numbers come from engine calls (paper_descriptives,
// paper_analysis); this file only lays them out as a terminal table, Markdown, JSON or SVG.

#include <fmt/format.h>
#include <unistd.h>

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
#include "resample/study/paper_analysis.hpp"
#include "resample/study/paper_descriptives.hpp"
#include "result_json.hpp"
#include "svg_plot.hpp"

namespace resample::cli {

namespace {

using nlohmann::json;

struct report_options {
  std::string data;  // empty: the paper's table from the data directory (data_directory.hpp)
  std::string format = "text";
#include "result_json.hpp"
  std::string plots;
  double level = 0.95;
  double alpha = 0.05;
  bool all_intervals = false;
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

std::string outcome_label(const effect_analysis& e) {
  return e.outcome == "pain" ? "pain reduction" : "mobility gain";
}

std::string short_label(const effect_analysis& e) { return e.treatment + " " + outcome_label(e); }

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

struct style {
  bool color = false;
  bool markdown = false;
  std::string heading(const std::string& s) const {
    if (markdown) return "\n## " + s + "\n\n";
    return color ? "\n\x1b[1m" + s + "\x1b[0m\n" : "\n" + s + "\n";
  }
  std::string good(const std::string& s) const { return color ? "\x1b[32m" + s + "\x1b[0m" : s; }
  std::string bad(const std::string& s) const { return color ? "\x1b[31m" + s + "\x1b[0m" : s; }
  std::size_t width = 100;  // text paragraphs wrap here (text_width)
  std::string para(const std::string& s) const {
    return markdown ? s + "\n\n" : wrap_text(s, width, "  ", "    ") + "\n";
  }
};

std::string format_figure_values(const descriptive_figure& f, const std::vector<double>& values,
                                 bool computed) {
  for (double v : values)
    if (!std::isfinite(v)) return "undefined";
  if (values.size() == 2)
    return f.id.find("range") != std::string::npos ? fmt::format("{}-{}", num(values[0]), num(values[1]))
                                                   : fmt::format("{} of {}", num(values[0]), num(values[1]));
  // The recomputed value is shown one digit finer than the paper's, so the rounding is visible.
  return fmt::format("{:.{}f}", values.at(0), f.decimals + (computed ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------

std::string render_document(const std::vector<descriptive_figure>& figures, const paper_analysis& a,
                            const style& s) {
  std::string out;
  const std::size_t matched =
      std::count_if(figures.begin(), figures.end(), [](const auto& f) { return f.matches; });
  const std::string title =
      fmt::format("Repeat vertebroplasty (Gaughen et al., AJNR 2002): {} patients, data {}", a.n, a.source);
  out += s.markdown ? "# " + title + "\n" : (s.color ? "\x1b[1m" + title + "\x1b[0m\n" : title + "\n");

  out += s.heading(fmt::format("1. The paper's figures, recomputed from Table 1: {} of {} match", matched,
                               figures.size()));
  table d{{"claim in the paper", "paper", "recomputed", "match"}, {}};
  for (const auto& f : figures)
    d.rows.push_back({f.statement, format_figure_values(f, f.paper, false),
                      format_figure_values(f, f.computed, true), f.matches ? s.good("yes") : s.bad("NO")});
  out += render(d, s.markdown);

  const double level = 100 * a.options.level;
  out += s.heading("2. Effects (difference pre - post per patient; positive = better), all exact");
  if (!a.effects.empty()) {
    const auto& b = a.effects.front().bootstrap;
    out += s.para(
        fmt::format("Bootstrap over all {} distinct resamples of {} patients; tests over all {} sign "
                    "patterns; p-values two-sided.",
                    b.resamples ? num(*b.resamples) : "?", a.n, num(std::ldexp(1.0, static_cast<int>(a.n)))));
    out += s.para(
        "calibrated: double-bootstrap percentile interval whose nominal level is raised until its bootstrap "
        "coverage reaches the target (at n = 6 the plain percentile interval covers well below it).");
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
  out += render(e, s.markdown);
  if (!s.markdown) {
    out += "\n  Exact bootstrap distribution of each mean (range shown):\n";
    for (const auto& x : a.effects) {
      const auto atoms = x.bootstrap.distribution.atoms();
      if (atoms.empty()) continue;
      out += fmt::format("  {:<24} {} {} to {}\n", short_label(x),
                         unicode_histogram(x.bootstrap.distribution, 40), num(atoms.front().value),
                         num(atoms.back().value));
    }
  }

  // The interval that agrees with the exact test, the paired effect sizes, and for the ordinal
  // mobility scale the test of its (pre, post) table.
  out += s.para(fmt::format(
      "The {:.0f}% sign-flip confidence set inverts the exact sign-flip test, so it excludes 0 exactly when "
      "the test rejects at {}; rank-biserial and superiority are the paired effect sizes; mobility (0-4) is "
      "ordinal, and "
      "the Stuart-Maxwell test of its pre/post table is exact conditional on the patients who changed level.",
      level, format_number(a.options.alpha)));
  table v{{"effect", "sign-flip set", "attained", "rank-biserial", "superiority", "Stuart-Maxwell p"}, {}};
  for (const auto& x : a.effects)
    v.rows.push_back(
        {short_label(x), bracket(x.sign_flip_set.lower, x.sign_flip_set.upper),
         x.sign_flip_set.achieved_level ? num(*x.sign_flip_set.achieved_level) : std::string("-"),
         num(x.rank_biserial), num(x.superiority),
         x.ordinal ? pval(x.ordinal->stuart_maxwell.p_value) : std::string("-")});
  out += render(v, s.markdown);

  out += s.heading("3. Verdicts, from the numbers above");
  for (const auto& x : a.effects)
    out += s.para((s.markdown ? "**" + short_label(x) + "**: " : short_label(x) + ": ") + x.verdict);

  out += s.heading("4. The paper's proportion claims");
  table c{
      {"claim", "share", fmt::format("Clopper-Pearson {:.0f}%", level), fmt::format("Wilson {:.0f}%", level)},
      {}};
  for (const auto& claim : a.claims) {
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
  out += render(c, s.markdown);
  for (const auto& claim : a.claims) out += s.para(claim.statement + ": " + claim.verdict);

  out += s.heading("5. Pain and mobility tested together (patients flipped jointly)");
  table j{{"treatment", "pain p", "pain max-T", "pain Holm", "mobility p", "mobility max-T", "mobility Holm"},
          {}};
  for (const auto& x : a.joint) {
    const auto& r = x.result;
    if (r.raw_p.size() != 2) continue;
    j.rows.push_back({x.treatment, pval(r.raw_p[0]), pval(r.max_t_p[0]), pval(r.holm_p[0]), pval(r.raw_p[1]),
                      pval(r.max_t_p[1]), pval(r.holm_p[1])});
  }
  out += render(j, s.markdown);
  for (const auto& x : a.joint) out += s.para(x.treatment + ": " + x.verdict);

  out += s.heading("6. What six patients can show at all");
  out += s.para(
      fmt::format("With {} patients no two-sided sign-flip, sign or signed-rank test can reach p < {}; "
                  "the smallest attainable p doubles with every patient who did not change.",
                  a.n, pval(std::ldexp(2.0, -static_cast<int>(a.n)))));
  for (const auto& x : a.effects)
    out += s.para(fmt::format("{}: {} of {} patients changed, smallest attainable p = {}{}", short_label(x),
                              x.n_nonzero, a.n, pval(x.smallest_attainable_p),
                              x.smallest_attainable_p >= a.options.alpha
                                  ? fmt::format(" (no test can reach {})", pval(a.options.alpha))
                                  : ""));

  out += s.heading("7. Fragility: each patient left out in turn (exact sign-flip p of the mean)");
  std::vector<std::string> fh{"patient left out"};
  for (const auto& x : a.effects) fh.push_back(short_label(x));
  table f{fh, {}};
  for (std::size_t i = 0; !a.effects.empty() && i < a.effects.front().leave_one_out.size(); ++i) {
    std::vector<std::string> row{std::to_string(a.effects.front().leave_one_out[i].patient)};
    for (const auto& x : a.effects) {
      const auto& r = x.leave_one_out.at(i);
      const std::string cell = pval(r.sign_flip_p) + (r.significant != x.significant ? " (flips)" : "");
      row.push_back(r.significant != x.significant ? s.bad(cell) : cell);
    }
    f.rows.push_back(row);
  }
  out += render(f, s.markdown);

  out += s.heading("8. Sensitivity: Table 1 against the Case 1 narrative");
  if (a.sensitivities.empty())
    out += s.para("The table agrees with the narrative (or has no patient 6): nothing to compare.");
  for (const auto& x : a.sensitivities) {
    out += s.para(x.description + ".");
    table t{{"version", "mean", fmt::format("{:.0f}% BCa", level), "sign-flip p", "Wilcoxon p"}, {}};
    for (const auto* v : {&x.table, &x.narrative})
      t.rows.push_back({v == &x.table ? "Table 1" : "narrative", num(v->bootstrap.estimate),
                        interval_cell(*v, interval_method::bca), pval(v->sign_flip.p_value),
                        pval(v->wilcoxon.p_value)});
    out += render(t, s.markdown);
    out += s.para(x.verdict);
  }
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
          {"treatment", e.treatment},
          {"outcome", e.outcome},
          {"label", e.label},
          {"unit", e.unit},
          {"differences", e.differences},
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
          {"verdict", e.verdict}};
}

json render_json(const std::vector<descriptive_figure>& figures, const paper_analysis& a) {
  json descriptive = json::array();
  for (const auto& f : figures) {
    json computed = json::array();
    for (double v : f.computed) computed.push_back(optional_number(finite(v)));
    descriptive.push_back({{"id", f.id},
                           {"statement", f.statement},
                           {"paper", f.paper},
                           {"computed", computed},
                           {"decimals", f.decimals},
                           {"matches", f.matches}});
  }
  json effects = json::array();
  for (const auto& e : a.effects) effects.push_back(effect_json(e));
  json claims = json::array();
  for (const auto& c : a.claims) {
    json intervals = json::array();
    for (const auto& i : c.estimate.intervals)
      intervals.push_back({{"method", i.method}, {"lower", i.lower}, {"upper", i.upper}});
    claims.push_back({{"id", c.id},
                      {"statement", c.statement},
                      {"successes", c.estimate.successes},
                      {"trials", c.estimate.trials},
                      {"estimate", c.estimate.trials ? json(c.estimate.estimate) : json(nullptr)},
                      {"intervals", intervals},
                      {"verdict", c.verdict}});
  }
  json joint = json::array();
  for (const auto& j : a.joint)
    joint.push_back({{"treatment", j.treatment},
                     {"endpoints", {"pain", "mobility"}},
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
                           {"table", effect_json(s.table)},
                           {"narrative", effect_json(s.narrative)},
                           {"verdict", s.verdict}});
  std::vector<std::string> ids;
  for (const auto& e : a.effects) ids.push_back(e.id);
  // The report runs exact analyses only (no --seed) and has no --threads: 0, all cores.
  return with_envelope({{"data", a.source},
                        {"n", a.n},
                        {"level", a.options.level},
                        {"alpha", a.options.alpha},
                        {"descriptive", descriptive},
                        {"effects", effects},
                        {"claims", claims},
                        {"joint", joint},
                        {"sensitivity", sensitivity}},
                       "report", std::nullopt, 0, input_summary(a.n, a.source, ids));
}

// --format csv and markdown: one row per effect.
result_table report_table(const json& r) {
  result_table t;
  t.header = {"id",  "treatment",   "outcome",   "n",          "n_nonzero", "estimate",
              "se",  "bca_lower",   "bca_upper", "signflip_p", "sign_p",    "wilcoxon_p",
              "t_p", "significant", "fragile",   "verdict"};
  for (const auto& e : r.at("effects")) {
    auto row = cells(e, {"id", "treatment", "outcome", "n", "n_nonzero", "estimate"});
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

void write_plots(const output_options& output, const std::string& directory, const paper_analysis& a) {
  create_side_directory(output, directory, "--plots");
  for (const auto& e : a.effects) {
    distribution_figure boot = bootstrap_figure(
        e.bootstrap, "Exact bootstrap of the mean " + outcome_label(e) + ", " + e.treatment + " treatment",
        fmt::format("all {} distinct resamples of {} patients, weighted by probability",
                    e.bootstrap.resamples ? num(*e.bootstrap.resamples) : "?", e.differences.size()),
        "mean difference pre - post, " + e.unit, num);
    const char* colors[] = {"#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#8c564b"};
    const std::size_t k = boot.intervals.size();
    if (e.calibrated.ci.lower && e.calibrated.ci.upper)
      boot.intervals.push_back({*e.calibrated.ci.lower, *e.calibrated.ci.upper,
                                fmt::format("{:.0f}% calibrated [{}, {}]", 100 * e.calibrated.ci.level,
                                            num(*e.calibrated.ci.lower), num(*e.calibrated.ci.upper)),
                                colors[k % 5]});
    write_side_file(output, directory + "/" + e.id + "_bootstrap.svg", render_svg(boot), "--plots");

    if (e.sign_flip.null_distribution) {
      const distribution_figure null = null_distribution_figure(
          e.sign_flip, "Sign-flip null of the mean " + outcome_label(e) + ", " + e.treatment + " treatment",
          fmt::format("all {} sign patterns; red: as or more extreme than observed, p = {}",
                      num(std::ldexp(1.0, static_cast<int>(e.differences.size()))),
                      pval(e.sign_flip.p_value)),
          "mean difference under no effect, " + e.unit, num);
      write_side_file(output, directory + "/" + e.id + "_sign_flip_null.svg", render_svg(null), "--plots");
    }
  }
}

bool stdout_wants_color(const report_options& o) {
  return o.output.out.empty() && ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
}

}  // namespace

void register_report_command(CLI::App& app) {
  auto options = std::make_shared<report_options>();
  auto* command =
      app.add_subcommand("report", "the paper's claims recomputed from its Table 1, with their uncertainty");
  command
      ->add_option("--data", options->data,
                   "CSV with the columns of data/gaughen2002_table1.csv (default: that file from the "
                   "installed data directory, or from $RESAMPLE_DATA_DIR when set)")
      ->group("Input");
  command->add_option("--plots", options->plots,
                      "write SVG figures (bootstrap and null distributions) into DIR");
  command->add_option("--conf", options->level, "confidence level of every interval, in (0, 1)")
      ->capture_default_str();
  command->add_option("--alpha", options->alpha, "significance level the verdicts use, in (0, 1)")
      ->capture_default_str();
  command->add_flag("--all-intervals", options->all_intervals,
                    "also basic, normal and studentized bootstrap intervals");
  add_output_options(*command, options->output);
  command->callback([options] {
    const command_line_run run(options->output);
    if (!(options->level > 0 && options->level < 1))
      throw usage_error("--conf: expected a level strictly between 0 and 1, got " +
                        fmt::format("{}", options->level));
    if (!(options->alpha > 0 && options->alpha < 1))
      throw usage_error("--alpha: expected a level strictly between 0 and 1, got " +
                        fmt::format("{}", options->alpha));
    const bool embedded = options->data.empty();
    csv_table table = read_csv_file(embedded ? paper_table_path().string() : options->data);
    // The embedded data set is named as in the repository, so the output does not depend on
    // where the checkout or the installation lives (the README quotes it verbatim).
    if (embedded) table.source = "data/gaughen2002_table1.csv";
    const auto figures = paper_descriptive_figures(table);
    paper_analysis_options analysis_options;
    analysis_options.level = options->level;
    analysis_options.alpha = options->alpha;
    analysis_options.all_intervals = options->all_intervals;
    const auto analysis = analyse_paper(table, analysis_options);
    if (!options->plots.empty()) write_plots(options->output, options->plots, analysis);
    std::string text;
    const auto format = output_format(options->output);
    if (format == "json") {
      text = render_json(figures, analysis).dump(2) + "\n";
    } else if (format == "csv") {
      text = write_csv(report_table(render_json(figures, analysis)));
    } else if (format == "tsv") {
      text = write_tsv(report_table(render_json(figures, analysis)));
    } else {
      style s;
      s.markdown = format == "markdown";
      s.color = !s.markdown && stdout_wants_color(*options);
      s.width = text_width(options->output);
      text = render_document(figures, analysis, s);
    }
    emit(options->output, text);
  });
}

}  // namespace resample::cli
