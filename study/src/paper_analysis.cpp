#include "resample/study/paper_analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "resample/inference/rank_tests.hpp"
#include "resample/inference/sign_flip.hpp"
#include "resample/statistics.hpp"
#include "resample/study/paired.hpp"

namespace resample {

namespace {

constexpr value_range pain_scale{0, 10};
constexpr value_range mobility_scale{0, 4};

std::size_t count_nonzero(const std::vector<double>& d) {
  return static_cast<std::size_t>(std::count_if(d.begin(), d.end(), [](double x) { return x != 0.0; }));
}

// Smallest two-sided p-value any sign-flip or signed-rank test can reach with m non-zero changes.
double smallest_two_sided_p(std::size_t m) {
  return std::min(1.0, std::ldexp(2.0, -static_cast<int>(m)));  // the observed pattern and its mirror
}

// Three significant digits, no exponent for the ranges a report shows.
std::string number(double x) {
  if (x == 0.0) return "0";
  return fmt::format("{:.3g}", x);
}

std::string percent(double x) {
  std::string s = fmt::format("{:.1f}", 100 * x);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s + "%";
}

// p-values keep four significant digits so that 1/32 reads 0.03125, as in the tables.
std::string p_number(double p) { return fmt::format("{:.4g}", p); }

inference::test_result no_change_result(const char* test, std::size_t n) {
  inference::test_result r;
  r.test = test;
  r.n = n;
  r.p_value = 1.0;
  r.method = "none";
  r.smallest_attainable_p = 1.0;
  r.notes.push_back("every difference is zero: nothing to test");
  return r;
}

const bootstrap::interval* find_interval(const bootstrap::bootstrap_result& b, bootstrap::interval_method m) {
  for (const auto& i : b.intervals)
    if (i.method == m) return &i;
  return nullptr;
}

// The interval the verdicts read: BCa, or the percentile interval where BCa is undefined.
const bootstrap::interval* verdict_interval(const bootstrap::bootstrap_result& b) {
  const auto* bca = find_interval(b, bootstrap::interval_method::bca);
  if (bca && bca->lower && bca->upper) return bca;
  return find_interval(b, bootstrap::interval_method::percentile);
}

bootstrap::bootstrap_result exact_mean_bootstrap(const std::vector<double>& d,
                                                 const paper_analysis_options& options,
                                                 std::vector<bootstrap::interval_method> methods) {
  bootstrap::bootstrap_options b;
  b.stat = statistic{statistic_kind::mean, 0.0};
  b.requested = bootstrap::method::exact;
  b.level = options.level;
  b.intervals = std::move(methods);
  return bootstrap::bootstrap(d, b);
}

double sign_flip_p(const std::vector<double>& d) {
  if (count_nonzero(d) == 0) return 1.0;
  inference::sign_flip_options o;
  o.method = inference::method_choice::exact;
  o.keep_null_distribution = false;
  return inference::sign_flip_test(d, statistic{statistic_kind::mean, 0.0}, inference::alternative::two_sided,
                                   o)
      .p_value;
}

std::string interval_text(const bootstrap::interval* i) {
  if (!i || !i->lower || !i->upper) return "undefined";
  return fmt::format("[{}, {}]", number(*i->lower), number(*i->upper));
}

std::string effect_verdict(const effect_analysis& e, const paper_analysis_options& options) {
  if (e.n_nonzero == 0) return "No patient changed, so there is no effect to test.";
  const double estimate = e.bootstrap.estimate;
  const std::string direction = estimate > 0   ? "improvement"
                                : estimate < 0 ? "worsening"
                                               : "no average change";
  const auto* ci = verdict_interval(e.bootstrap);
  const std::string ci_name = ci && ci->method == bootstrap::interval_method::bca ? "BCa" : "percentile";
  const std::string level = fmt::format("{:.0f}%", 100 * options.level);
  std::string text;
  if (e.significant) {
    text = fmt::format("Mean {} of {} detected: exact sign-flip p = {}", direction, number(estimate),
                       p_number(e.sign_flip.p_value));
    if (inference::p_value_at_most(e.sign_flip.p_value, e.smallest_attainable_p))
      text += fmt::format(", the smallest p any test can give with {} changed patients", e.n_nonzero);
    text += fmt::format("; the {} {} interval {} {}", level, ci_name, interval_text(ci),
                        e.interval_excludes_zero ? "excludes 0 (no change)" : "still includes 0 (no change)");
    const bool calibrated_excludes = e.calibrated.ci.lower && *e.calibrated.ci.lower > 0;
    text += fmt::format("; the calibrated double-bootstrap interval {} {} 0.",
                        interval_text(&e.calibrated.ci), calibrated_excludes ? "excludes" : "includes");
  } else if (e.smallest_attainable_p >= options.alpha) {
    text = fmt::format(
        "Cannot reach significance at {}: with only {} changed patients no two-sided test can give p < {} "
        "(observed p = {}); the {} {} interval is {}.",
        p_number(options.alpha), e.n_nonzero, p_number(e.smallest_attainable_p),
        p_number(e.sign_flip.p_value), level, ci_name, interval_text(ci));
  } else {
    text = fmt::format("Not established: exact sign-flip p = {} >= {}; the {} {} interval is {}.",
                       p_number(e.sign_flip.p_value), p_number(options.alpha), level, ci_name,
                       interval_text(ci));
  }
  if (e.fragile) {
    const auto flip =
        std::find_if(e.leave_one_out.begin(), e.leave_one_out.end(),
                     [&](const leave_one_out_row& r) { return r.significant != e.significant; });
    const auto flips =
        std::count_if(e.leave_one_out.begin(), e.leave_one_out.end(),
                      [&](const leave_one_out_row& r) { return r.significant != e.significant; });
    if (static_cast<std::size_t>(flips) == e.leave_one_out.size()) {
      double least = 1.0;
      for (const auto& r : e.leave_one_out) least = std::min(least, r.sign_flip_p);
      text += fmt::format(" Fragile: leaving out any one of the {} patients gives p = {} or more",
                          e.leave_one_out.size(), p_number(least));
    } else
      text += fmt::format(
          " Fragile: without patient {} p = {} (the conclusion flips for {} of {} patients left out)",
          flip->patient, p_number(flip->sign_flip_p), flips, e.leave_one_out.size());
    if (e.significant && flip->smallest_attainable_p >= options.alpha)
      text += fmt::format("; with {} changed patients no test can go below {}", flip->n_nonzero,
                          p_number(flip->smallest_attainable_p));
    text += ".";
  } else if (!e.leave_one_out.empty()) {
    text += " The conclusion holds with any one patient left out.";
  }
  return text;
}

std::vector<double> differences(const std::vector<double>& pre, const std::vector<double>& post) {
  std::vector<double> d(pre.size());
  for (std::size_t i = 0; i < pre.size(); ++i) d[i] = pre[i] - post[i];
  return d;
}

proportion_claim make_claim(std::string id, std::string statement, std::size_t successes, std::size_t trials,
                            const paper_analysis_options& options) {
  proportion_claim c{std::move(id), std::move(statement), {}, {}};
  if (trials == 0) {
    c.estimate.level = options.level;
    c.verdict = "No patient qualifies, so the claim is empty.";
    return c;
  }
  c.estimate = inference::proportion_intervals(successes, trials, options.level);
  const auto& cp = c.estimate.intervals.front();
  c.verdict =
      fmt::format("{} of {} ({}); the data are compatible with a true share from {} to {} ({} {:.0f}%).",
                  successes, trials, percent(c.estimate.estimate), percent(cp.lower), percent(cp.upper),
                  cp.method == "clopper_pearson" ? "Clopper-Pearson" : cp.method, 100 * options.level);
  return c;
}

std::string joint_verdict(const joint_analysis& j, const paper_analysis_options& options) {
  const auto& r = j.result;
  std::vector<std::string> held;
  if (r.max_t_p.size() == 2) {
    if (r.max_t_p[0] < options.alpha) held.push_back("pain");
    if (r.max_t_p[1] < options.alpha) held.push_back("mobility");
    return fmt::format(
        "Testing pain and mobility together (max-T): adjusted p = {} for pain and {} for mobility; {}.",
        p_number(r.max_t_p[0]), p_number(r.max_t_p[1]),
        held.empty() ? "neither stays below " + p_number(options.alpha)
                     : fmt::format("{} stays below {}", fmt::join(held, " and "), p_number(options.alpha)));
  }
  return "Joint test unavailable.";
}

std::string sensitivity_verdict(const effect_analysis& table, const effect_analysis& narrative) {
  const bool same = table.significant == narrative.significant &&
                    table.interval_excludes_zero == narrative.interval_excludes_zero;
  return fmt::format(
      "Mean {} with the table's value, {} with the narrative's (sign-flip p {} vs {}): {}.",
      number(table.bootstrap.estimate), number(narrative.bootstrap.estimate),
      p_number(table.sign_flip.p_value), p_number(narrative.sign_flip.p_value),
      same ? "the conclusion does not depend on which is right" : "the conclusion depends on which is right");
}

}  // namespace

effect_analysis analyse_effect(std::string id, std::string treatment, std::string outcome, std::string label,
                               std::string unit, const std::vector<double>& d,
                               const std::vector<std::size_t>& patient_numbers,
                               const paper_analysis_options& options) {
  using bootstrap::interval_method;
  effect_analysis e;
  e.id = std::move(id);
  e.treatment = std::move(treatment);
  e.outcome = std::move(outcome);
  e.label = std::move(label);
  e.unit = std::move(unit);
  e.differences = d;
  e.n_nonzero = count_nonzero(d);
  e.smallest_attainable_p = smallest_two_sided_p(e.n_nonzero);

  e.bootstrap = exact_mean_bootstrap(d, options,
                                     options.all_intervals
                                         ? bootstrap::all_interval_methods()
                                         : std::vector{interval_method::percentile, interval_method::bca});
  e.calibrated =
      bootstrap::calibrated_percentile_interval(d, statistic{statistic_kind::mean, 0.0}, options.level);
  const auto two_sided = inference::alternative::two_sided;
  if (e.n_nonzero == 0) {
    e.sign_flip = no_change_result("signflip", d.size());  // to_string(test_kind::sign_flip)
    e.sign = no_change_result("sign", d.size());
    e.wilcoxon = no_change_result("wilcoxon", d.size());
    e.t = no_change_result("t", d.size());
  } else {
    inference::sign_flip_options flip;
    flip.method = inference::method_choice::exact;
    e.sign_flip = inference::sign_flip_test(d, statistic{statistic_kind::mean, 0.0}, two_sided, flip);
    e.sign = inference::sign_test(d, two_sided);
    inference::wilcoxon_options w;
    w.method = inference::method_choice::exact;
    e.wilcoxon = inference::wilcoxon_test(d, two_sided, w);
    e.t = inference::t_test(d, two_sided);
  }
  e.hodges_lehmann = inference::hodges_lehmann_interval(d, options.level);
  e.t_interval = inference::t_interval(d, options.level);
  e.median = inference::median_interval(d, options.level);
  if (e.n_nonzero > 0) {
    inference::sign_flip_inversion_options inversion;
    inversion.level = options.level;
    inversion.method = inference::method_choice::exact;
    e.sign_flip_set = inference::sign_flip_confidence_set(d, inversion);
  }
  e.rank_biserial = evaluate(statistic{statistic_kind::rank_biserial, 0.0}, d);
  e.superiority = evaluate(statistic{statistic_kind::superiority, 0.0}, d);

  e.significant = e.sign_flip.p_value < options.alpha;
  const auto* ci = verdict_interval(e.bootstrap);
  e.interval_excludes_zero = ci && ci->lower && *ci->lower > 0;

  if (d.size() > 2) {
    for (std::size_t leave = 0; leave < d.size(); ++leave) {
      std::vector<double> rest;
      for (std::size_t i = 0; i < d.size(); ++i)
        if (i != leave) rest.push_back(d[i]);
      const std::size_t changed = count_nonzero(rest);
      leave_one_out_row row{patient_numbers.at(leave),
                            0,
                            changed,
                            sign_flip_p(rest),
                            smallest_two_sided_p(changed),
                            std::nullopt,
                            std::nullopt,
                            false};
      const auto b = exact_mean_bootstrap(rest, options, {interval_method::bca});
      row.estimate = b.estimate;
      row.bca_lower = b.intervals.front().lower;
      row.bca_upper = b.intervals.front().upper;
      row.significant = row.sign_flip_p < options.alpha;
      e.fragile = e.fragile || row.significant != e.significant;
      e.leave_one_out.push_back(row);
    }
  }
  e.verdict = effect_verdict(e, options);
  return e;
}

paper_analysis analyse_paper(const csv_table& table, const paper_analysis_options& options) {
  if (!(options.level > 0 && options.level < 1))
    throw_invalid_argument("resample::analyse_paper",
                           "level = " + number(options.level) + ", expected 0 < level < 1");
  if (!(options.alpha > 0 && options.alpha < 1))
    throw_invalid_argument("resample::analyse_paper",
                           "alpha = " + p_number(options.alpha) + ", expected 0 < alpha < 1");

  paper_analysis a;
  a.source = table.source;
  a.options = options;
  std::vector<std::size_t> patients;
  for (double p : numeric_column(table, "patient", value_range{0, 1e9}))
    patients.push_back(static_cast<std::size_t>(p));
  a.n = patients.size();

  struct column_set {
    std::vector<double> pain_pre, pain_post, mobility_pre, mobility_post;
  };
  auto read = [&](const std::string& treatment) {
    return column_set{numeric_column(table, treatment + "_pain_pre", pain_scale),
                      numeric_column(table, treatment + "_pain_post", pain_scale),
                      numeric_column(table, treatment + "_mobility_pre", mobility_scale),
                      numeric_column(table, treatment + "_mobility_post", mobility_scale)};
  };
  const column_set initial = read("initial"), repeat = read("repeat");
  // pre - post in decimal, rounded once (csv.hpp): equal changes are equal numbers at any baseline.
  auto exact_differences = [&](const std::string& outcome, value_range scale) {
    return paired_differences(table, outcome + "_pre", outcome + "_post", scale).differences;
  };
  if (a.n < 2) throw data_error(table.source + ": expected at least 2 patients, got " + std::to_string(a.n));

  const std::string pain_unit = "points (pain 0-10)", mobility_unit = "levels (mobility 0-4)";
  for (const auto& [name, columns] :
       {std::pair{std::string("initial"), &initial}, std::pair{std::string("repeat"), &repeat}}) {
    a.effects.push_back(analyse_effect(name + "_pain", name, "pain",
                                       "pain reduction after the " + name + " treatment", pain_unit,
                                       exact_differences(name + "_pain", pain_scale), patients, options));
    a.effects.push_back(analyse_effect(
        name + "_mobility", name, "mobility", "mobility improvement after the " + name + " treatment",
        mobility_unit, exact_differences(name + "_mobility", mobility_scale), patients, options));
    const auto levels =
        paired_differences(table, name + "_mobility_pre", name + "_mobility_post", mobility_scale);
    inference::ordinal_options exact_ordinal;
    exact_ordinal.method = inference::method_choice::exact;
    a.effects.back().ordinal =
        inference::marginal_homogeneity(inference::make_paired_table(levels.pre, levels.post), exact_ordinal);
  }

  // The paper's proportion claims, counted from the table.
  const auto repeat_pain = exact_differences("repeat_pain", pain_scale);
  const auto reduced_by_3 = static_cast<std::size_t>(
      std::count_if(repeat_pain.begin(), repeat_pain.end(), [](double x) { return x >= 3; }));
  a.claims.push_back(make_claim("pain_reduced_by_3",
                                "five of the six patients reduced pain by at least 3 points", reduced_by_3,
                                a.n, options));
  for (const auto& [name, columns, words] :
       {std::tuple{std::string("repeat"), &repeat, "all four patients with impaired mobility improved"},
        std::tuple{std::string("initial"), &initial,
                   "all three previously impaired patients improved mobility"}}) {
    std::size_t impaired = 0, improved = 0;
    for (std::size_t i = 0; i < a.n; ++i) {
      if (columns->mobility_pre[i] > 0) {
        ++impaired;
        improved += columns->mobility_post[i] < columns->mobility_pre[i] ? 1 : 0;
      }
    }
    a.claims.push_back(make_claim(name + "_impaired_mobility_improved", words, improved, impaired, options));
  }

  for (std::size_t t = 0; t < 2; ++t) {
    const auto &pain = a.effects[2 * t], &mobility = a.effects[2 * t + 1];
    joint_analysis j;
    j.treatment = pain.treatment;
    if (pain.n_nonzero > 0 || mobility.n_nonzero > 0) {
      inference::sign_flip_options o;
      o.method = inference::method_choice::exact;
      j.result = inference::max_t_test({pain.differences, mobility.differences},
                                       inference::alternative::two_sided, o);
      j.verdict = joint_verdict(j, options);
    } else {
      j.verdict = "No patient changed on either outcome.";
    }
    a.joint.push_back(std::move(j));
  }

  // Case 1 of the paper is patient 6; its narrative disagrees with Table 1 twice.
  const auto case1 = std::find(patients.begin(), patients.end(), std::size_t{6});
  if (case1 != patients.end()) {
    const auto row = static_cast<std::size_t>(case1 - patients.begin());
    auto add = [&](std::string id, std::string description, const effect_analysis& base,
                   const column_set& columns, bool mobility, double narrative_post) {
      auto post = mobility ? columns.mobility_post : columns.pain_post;
      if (post[row] == narrative_post) return;  // the table already holds the narrative's value
      post[row] = narrative_post;
      const auto d = differences(mobility ? columns.mobility_pre : columns.pain_pre, post);
      paper_analysis::sensitivity s{
          std::move(id),
          std::move(description),
          base,
          analyse_effect(base.id + "_narrative", base.treatment, base.outcome,
                         base.label + " (Case 1 narrative value)", base.unit, d, patients, options),
          {}};
      s.verdict = sensitivity_verdict(s.table, s.narrative);
      a.sensitivities.push_back(std::move(s));
    };
    add("repeat_mobility_patient6",
        "Patient 6 mobility after the repeat treatment: Table 1 gives 0, the Case 1 narrative 1 (walker)",
        a.effects[3], repeat, true, 1.0);
    add("initial_pain_patient6",
        "Patient 6 pain after the initial treatment: Table 1 gives 3, the Case 1 narrative 0 (complete "
        "relief)",
        a.effects[0], initial, false, 0.0);
  }
  return a;
}

}  // namespace resample
