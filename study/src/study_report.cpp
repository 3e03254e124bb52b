#include "resample/study/study_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "resample/inference/rank_tests.hpp"
#include "resample/inference/sign_flip.hpp"
#include "resample/statistics.hpp"
#include "resample/study/paired.hpp"

namespace resample {

namespace {

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
                                                 const study_report_options& options,
                                                 std::vector<bootstrap::interval_method> methods) {
  bootstrap::bootstrap_options b;
  b.stat = statistic{statistic_kind::mean, 0.0};
  b.requested = bootstrap::method::automatic;  // exact wherever the engine can enumerate
  b.seed = options.seed;
  b.level = options.level;
  b.intervals = std::move(methods);
  return bootstrap::bootstrap(d, b);
}

inference::sign_flip_options sign_flip_settings(const study_report_options& options) {
  inference::sign_flip_options o;
  o.method = inference::method_choice::automatic;  // exact wherever feasible
  o.seed = options.seed;
  return o;
}

double sign_flip_p(const std::vector<double>& d, const study_report_options& options) {
  if (count_nonzero(d) == 0) return 1.0;
  auto o = sign_flip_settings(options);
  o.keep_null_distribution = false;
  return inference::sign_flip_test(d, statistic{statistic_kind::mean, 0.0}, inference::alternative::two_sided,
                                   o)
      .p_value;
}

std::string interval_text(const bootstrap::interval* i) {
  if (!i || !i->lower || !i->upper) return "undefined";
  return fmt::format("[{}, {}]", number(*i->lower), number(*i->upper));
}

// The exhaustive fragility search's budget, in subsets tried and in sign patterns summed over
// them (2^changed per test, the Gray-code cost); past either it falls back to the greedy bound.
constexpr std::size_t fragility_search_subsets = 4096;
constexpr double fragility_search_patterns = 16777216.0;  // 2^24

// The fewest changed patients whose changes, set to none, bring the sign-flip p to alpha or above.
std::optional<fragility_index> find_fragility_index(const std::vector<double>& d,
                                                    const std::vector<std::string>& patients, double estimate,
                                                    const study_report_options& options) {
  std::vector<std::size_t> changed;
  for (std::size_t i = 0; i < d.size(); ++i)
    if (d[i] != 0.0) changed.push_back(i);
  const std::size_t m = changed.size();
  auto p_without = [&](const std::vector<std::size_t>& removed) {
    std::vector<double> rest = d;
    for (std::size_t r : removed) rest[r] = 0.0;
    return sign_flip_p(rest, options);
  };
  auto result = [&](const std::vector<std::size_t>& removed, double p, bool exact) {
    fragility_index f;
    f.patients = removed.size();
    for (std::size_t r : removed) f.which.push_back(patients.at(r));
    f.p_value = p;
    f.exact = exact;
    return f;
  };
  // Exhaustive, smallest subsets first; nullopt when the budget runs out first.
  const auto exhaustive = [&]() -> std::optional<fragility_index> {
    std::size_t tried = 0;
    double patterns = 0;
    for (std::size_t k = 1; k <= m; ++k) {
      std::vector<std::size_t> pick(k);  // positions in `changed`, in lexicographic order
      for (std::size_t i = 0; i < k; ++i) pick[i] = i;
      while (true) {
        patterns += std::ldexp(1.0, static_cast<int>(m - k));
        if (++tried > fragility_search_subsets || patterns > fragility_search_patterns) return std::nullopt;
        std::vector<std::size_t> removed;
        for (std::size_t i : pick) removed.push_back(changed[i]);
        const double p = p_without(removed);
        if (!(p < options.alpha)) return result(removed, p, true);
        std::size_t i = k;
        while (i > 0 && pick[i - 1] == m - k + i - 1) --i;
        if (i == 0) break;
        ++pick[i - 1];
        for (std::size_t j = i; j < k; ++j) pick[j] = pick[j - 1] + 1;
      }
    }
    return std::nullopt;  // not reached: with every change set to none, p = 1
  };
  if (auto found = exhaustive()) return found;
  std::vector<std::size_t> order = changed;
  const double sign = estimate < 0 ? -1.0 : 1.0;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return sign * d[a] > sign * d[b]; });
  std::vector<std::size_t> removed;
  for (std::size_t r : order) {
    removed.push_back(r);
    const double p = p_without(removed);
    if (!(p < options.alpha)) return result(removed, p, false);
  }
  return std::nullopt;
}

std::string sign_flip_name(const effect_analysis& e) {
  return e.sign_flip.exact ? "exact sign-flip" : "Monte Carlo sign-flip";
}

std::string effect_verdict(const effect_analysis& e, const study_report_options& options) {
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
    text = fmt::format("Mean {} of {} detected: {} p = {}", direction, number(estimate), sign_flip_name(e),
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
    text = fmt::format("Not established: {} p = {} >= {}; the {} {} interval is {}.", sign_flip_name(e),
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

proportion_result make_proportion(std::string id, std::string statement, std::size_t successes,
                                  std::size_t trials, const study_report_options& options) {
  proportion_result c{std::move(id), std::move(statement), {}, {}, {}};
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

std::string joint_verdict(const joint_analysis& j, const study_report_options& options) {
  const auto& r = j.result;
  if (r.max_t_p.size() != j.labels.size()) return "Joint test unavailable.";
  std::vector<std::string> adjusted, held;
  for (std::size_t k = 0; k < j.labels.size(); ++k) {
    adjusted.push_back(fmt::format("{} for {}", p_number(r.max_t_p[k]), j.labels[k]));
    if (r.max_t_p[k] < options.alpha) held.push_back(j.labels[k]);
  }
  auto list = [](const std::vector<std::string>& items) {
    if (items.size() <= 2) return fmt::format("{}", fmt::join(items, " and "));
    return fmt::format("{} and {}", fmt::join(items.begin(), items.end() - 1, ", "), items.back());
  };
  return fmt::format("Testing {} together (max-T): adjusted p = {}; {}.", list(j.labels), list(adjusted),
                     held.empty()
                         ? (j.labels.size() == 2 ? "neither" : "none") + std::string(" stays below ") +
                               p_number(options.alpha)
                         : fmt::format("{} {} below {}", list(held), held.size() == 1 ? "stays" : "stay",
                                       p_number(options.alpha)));
}

std::string sensitivity_verdict(const effect_analysis& as_given, const effect_analysis& alternative,
                                const claims_file& claims) {
  const bool same = as_given.significant == alternative.significant &&
                    as_given.interval_excludes_zero == alternative.interval_excludes_zero;
  return fmt::format(
      "Mean {} with the {} value, {} with the {} value (sign-flip p {} vs {}): {}.",
      number(as_given.bootstrap.estimate), claims.as_given, number(alternative.bootstrap.estimate),
      claims.alternative, p_number(as_given.sign_flip.p_value), p_number(alternative.sign_flip.p_value),
      same ? "the conclusion does not depend on which is right" : "the conclusion depends on which is right");
}

}  // namespace

effect_analysis analyse_effect(const endpoint& source, const study_report_options& options) {
  using bootstrap::interval_method;
  const auto& d = source.differences;
  effect_analysis e;
  e.id = source.name;
  e.label = source.label.empty() ? source.name : source.label;
  e.unit = source.unit;
  e.difference = source.difference;
  e.dir = source.dir;
  e.differences = d;
  e.patients = source.ids;
  if (e.patients.empty())
    for (std::size_t i = 0; i < d.size(); ++i) e.patients.push_back(std::to_string(i + 1));
  e.left_out = source.left_out;
  e.n_nonzero = count_nonzero(d);
  e.smallest_attainable_p = smallest_two_sided_p(e.n_nonzero);

  e.bootstrap = exact_mean_bootstrap(d, options,
                                     options.all_intervals
                                         ? bootstrap::all_interval_methods()
                                         : std::vector{interval_method::percentile, interval_method::bca});
  bootstrap::calibrated_options calibrated;
  calibrated.seed = options.seed;
  e.calibrated = bootstrap::calibrated_percentile_interval(d, statistic{statistic_kind::mean, 0.0},
                                                           options.level, calibrated);
  const auto two_sided = inference::alternative::two_sided;
  if (e.n_nonzero == 0) {
    e.sign_flip = no_change_result("signflip", d.size());  // to_string(test_kind::sign_flip)
    e.sign = no_change_result("sign", d.size());
    e.wilcoxon = no_change_result("wilcoxon", d.size());
    e.t = no_change_result("t", d.size());
  } else {
    e.sign_flip = inference::sign_flip_test(d, statistic{statistic_kind::mean, 0.0}, two_sided,
                                            sign_flip_settings(options));
    e.sign = inference::sign_test(d, two_sided);
    inference::wilcoxon_options w;
    w.method = inference::method_choice::automatic;
    w.seed = options.seed;
    e.wilcoxon = inference::wilcoxon_test(d, two_sided, w);
    e.t = inference::t_test(d, two_sided);
  }
  e.hodges_lehmann = inference::hodges_lehmann_interval(d, options.level);
  e.t_interval = inference::t_interval(d, options.level);
  e.median = inference::median_interval(d, options.level);
  if (e.n_nonzero > 0) {
    inference::sign_flip_inversion_options inversion;
    inversion.level = options.level;
    inversion.method = inference::method_choice::automatic;
    inversion.seed = options.seed;
    e.sign_flip_set = inference::sign_flip_confidence_set(d, inversion);
  }
  e.rank_biserial = evaluate(statistic{statistic_kind::rank_biserial, 0.0}, d);
  e.superiority = evaluate(statistic{statistic_kind::superiority, 0.0}, d);
  if (source.ordinal && source.pre.size() == d.size()) {
    inference::ordinal_options ordinal;
    ordinal.method = inference::method_choice::automatic;
    ordinal.seed = options.seed;
    e.ordinal =
        inference::marginal_homogeneity(inference::make_paired_table(source.pre, source.post), ordinal);
  }

  e.significant = e.sign_flip.p_value < options.alpha;
  const auto* ci = verdict_interval(e.bootstrap);
  e.interval_excludes_zero = ci && ci->lower && *ci->lower > 0;

  if (d.size() > 2) {
    for (std::size_t leave = 0; leave < d.size(); ++leave) {
      std::vector<double> rest;
      for (std::size_t i = 0; i < d.size(); ++i)
        if (i != leave) rest.push_back(d[i]);
      const std::size_t changed = count_nonzero(rest);
      leave_one_out_row row{e.patients.at(leave),
                            0,
                            changed,
                            sign_flip_p(rest, options),
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
  // Only for an exact test: a Monte Carlo p per subset would cost a full run each.
  if (e.significant && e.sign_flip.exact)
    e.fragility = find_fragility_index(d, e.patients, e.bootstrap.estimate, options);
  e.verdict = effect_verdict(e, options);
  return e;
}

namespace {

const endpoint& find_endpoint(const study_data& study, const std::string& name, const std::string& where) {
  for (const auto& e : study.endpoints)
    if (e.name == name) return e;
  std::string known;
  for (const auto& e : study.endpoints) known += (known.empty() ? "" : ", ") + e.name;
  throw data_error(where + ": no endpoint named '" + name + "'; the study has " + known);
}

std::string improved_by_statement(const endpoint& e, double threshold) {
  return fmt::format("{}: improved by at least {}{}", e.label.empty() ? e.name : e.label, number(threshold),
                     e.unit.empty() ? std::string() : " " + e.unit);
}

}  // namespace

study_report analyse_study(const study_data& study, const std::optional<claims_file>& claims,
                           const study_report_options& options) {
  if (!(options.level > 0 && options.level < 1))
    throw_invalid_argument("resample::analyse_study", "level",
                           "level = " + number(options.level) + ", expected 0 < level < 1");
  if (!(options.alpha > 0 && options.alpha < 1))
    throw_invalid_argument("resample::analyse_study", "alpha",
                           "alpha = " + p_number(options.alpha) + ", expected 0 < alpha < 1");
  for (double t : options.improved_by)
    if (!std::isfinite(t))
      throw_invalid_argument("resample::analyse_study", "improved_by", "expected finite thresholds");

  study_report a;
  a.title = study.title;
  a.source = study.source;
  a.options = options;
  a.claims = claims;
  a.patients = study.ids;
  if (a.patients.empty() && !study.endpoints.empty())
    for (std::size_t i = 0; i < study.endpoints.front().differences.size(); ++i)
      a.patients.push_back(std::to_string(i + 1));
  a.n = a.patients.size();

  for (const auto& e : study.endpoints) a.effects.push_back(analyse_effect(e, options));

  if (claims) {
    if (study.table.rows.empty() && (!claims->figures.empty() || !claims->proportions.empty()))
      throw data_error(claims->source + ": claims read the data file's columns; give the data as a file");
    for (const auto& f : claims->figures)
      a.figures.push_back(evaluate_figure(f, study.table, study.selected, study.ids, study.missing_tokens));
    for (const auto& p : claims->proportions) {
      const auto count = evaluate_proportion(p, study.table, study.selected, study.ids, study.missing_tokens);
      auto result = make_proportion(p.id, p.statement, count.successes, count.trials, options);
      result.left_out = count.left_out;
      a.proportions.push_back(std::move(result));
    }
  }
  for (const auto& e : study.endpoints) {
    for (double threshold : options.improved_by) {
      const auto successes = static_cast<std::size_t>(std::count_if(
          e.differences.begin(), e.differences.end(), [&](double x) { return x >= threshold; }));
      auto result =
          make_proportion(e.name + "_improved_by_" + number(threshold), improved_by_statement(e, threshold),
                          successes, e.differences.size(), options);
      result.left_out = e.left_out;
      a.proportions.push_back(std::move(result));
    }
  }

  std::vector<std::vector<std::string>> families = study.joint;
  if (families.empty() && study.endpoints.size() > 1) {
    families.emplace_back();
    for (const auto& e : study.endpoints) families.back().push_back(e.name);
  }
  for (const auto& family : families) {
    std::vector<endpoint> members;
    for (const auto& name : family) members.push_back(find_endpoint(study, name, "joint"));
    const auto complete = complete_for_all(members, study.ids);
    joint_analysis j;
    j.endpoints = family;
    std::vector<std::vector<double>> differences;
    bool changed = false;
    for (const auto& m : complete) {
      j.labels.push_back(m.label.empty() ? m.name : m.label);
      differences.push_back(m.differences);
      changed = changed || count_nonzero(m.differences) > 0;
    }
    j.n = complete.front().differences.size();
    j.left_out = complete.front().left_out;
    if (changed && j.n >= 2) {
      j.result =
          inference::max_t_test(differences, inference::alternative::two_sided, sign_flip_settings(options));
      j.verdict = joint_verdict(j, options);
    } else {
      j.verdict = j.n < 2 ? "Fewer than two patients are complete for every endpoint of the family."
                          : "No patient changed on any endpoint of the family.";
    }
    a.joint.push_back(std::move(j));
  }

  if (claims) {
    for (const auto& change : claims->sensitivity) {
      const std::string where = claims->source + ": sensitivity change '" + change.id + "'";
      const endpoint& base = find_endpoint(study, change.endpoint, where);
      const auto at = std::find(base.ids.begin(), base.ids.end(), change.patient);
      if (at == base.ids.end())
        throw data_error(where + ": no patient '" + change.patient + "' among the " +
                         std::to_string(base.ids.size()) + " analysed for endpoint '" + base.name + "'");
      if (base.pre.empty())
        throw data_error(where + ": endpoint '" + base.name +
                         "' is a difference column; a change needs pre and post");
      const auto row = static_cast<std::size_t>(at - base.ids.begin());
      endpoint changed = base;
      auto& replaced = change.post ? changed.post[row] : changed.pre[row];
      if (replaced == change.value) continue;  // the data already hold the alternative value
      replaced = change.value;
      changed.differences[row] = base.dir == direction::higher_is_better
                                     ? changed.post[row] - changed.pre[row]
                                     : changed.pre[row] - changed.post[row];
      changed.name = base.name + "_" + claims->alternative;
      changed.label = (base.label.empty() ? base.name : base.label) + " (" + claims->alternative + " value)";
      const auto& as_given = *std::find_if(a.effects.begin(), a.effects.end(),
                                           [&](const effect_analysis& e) { return e.id == base.name; });
      sensitivity_analysis s{change.id, change.description, as_given, analyse_effect(changed, options), {}};
      s.verdict = sensitivity_verdict(s.as_given, s.alternative, *claims);
      a.sensitivities.push_back(std::move(s));
    }
  }
  return a;
}

}  // namespace resample
