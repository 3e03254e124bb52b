#include "result_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "cli_common.hpp"
#include "resample/parse_number.hpp"
#include "resample/version.hpp"

namespace resample::cli {

using nlohmann::json;

json json_number(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

json json_number(const std::optional<double>& x) { return x ? json_number(*x) : json(nullptr); }

json json_count(const std::optional<double>& x) {
  if (!x || !std::isfinite(*x) || *x < 0.0 || *x >= 18446744073709551616.0 || std::floor(*x) != *x)
    return nullptr;
  return static_cast<std::uint64_t>(*x);
}

json input_summary(std::optional<std::size_t> n, const std::string& source,
                   const std::vector<std::string>& endpoints) {
  return {{"n", n ? json(*n) : json(nullptr)},
          {"source", source},
          {"endpoints", endpoints},
          {"analysed", json::array()},
          {"where", json::array()}};
}

json input_summary(const study_data& study) {
  std::vector<std::string> names;
  json analysed = json::array();
  for (const auto& e : study.endpoints) {
    names.push_back(e.name);
    analysed.push_back({{"endpoint", e.name},
                        {"n", e.differences.size()},
                        {"direction", to_string(e.dir)},
                        {"difference", e.difference.empty() ? json(nullptr) : json(e.difference)},
                        {"left_out", e.left_out}});
  }
  json where = json::array();
  for (const auto& c : study.where) where.push_back(to_string(c));
  const std::optional<std::size_t> n =
      study.endpoints.empty() ? std::nullopt
                              : std::optional<std::size_t>(study.endpoints.front().differences.size());
  json out = input_summary(n, study.source, names);
  out["analysed"] = analysed;
  out["where"] = where;
  return out;
}

json with_envelope(json result, const std::string& command, std::optional<std::uint64_t> seed,
                   std::size_t threads, json input) {
  result["schema_version"] = schema_version;
  result["engine_version"] = resample::engine_version;
  result["command"] = command;
  result["seed"] = seed ? json(*seed) : json(nullptr);
  result["threads"] = threads;
  result["input"] = std::move(input);
  return result;
}

json to_json(const bootstrap::interval& i) {
  return {{"method", bootstrap::to_string(i.method)},
          {"level", i.level},
          {"lower", json_number(i.lower)},
          {"upper", json_number(i.upper)},
          {"mc_se_lower", json_number(i.mc_se_lower)},
          {"mc_se_upper", json_number(i.mc_se_upper)},
          {"note", i.note.empty() ? json(nullptr) : json(i.note)}};
}

json to_json(const bootstrap::bootstrap_result& r) {
  json intervals = json::array();
  for (const auto& i : r.intervals) intervals.push_back(to_json(i));
  const bool monte_carlo = r.mode_run == bootstrap::mode::monte_carlo;
  json studentized = nullptr;
  if (!r.studentized_method.empty())
    studentized = {{"se_method", r.studentized_se_name},
                   {"se_description", r.studentized_method},
                   {"se", json_number(r.studentized_se)},
                   {"dropped_zero_se", json_count(r.studentized_dropped)}};
  return {{"n", r.n},
          {"statistic", to_string(r.stat)},
          {"estimate", json_number(r.estimate)},
          {"mode", bootstrap::to_string(r.mode_run)},
          {"mode_reason", r.mode_reason},
          {"algorithm", r.algorithm},
          {"resamples", json_count(r.resamples)},
          {"resamples_log10", json_number(r.resamples_log10)},
          {"se", json_number(r.se)},
          {"bias", json_number(r.bias)},
          {"mc_se_se", monte_carlo ? json_number(r.mc_se_se) : json(nullptr)},
          {"compositions_visited",
           !monte_carlo && r.algorithm == to_string(bootstrap::bootstrap_algorithm::enumeration)
               ? json_count(r.compositions_visited)
               : json(nullptr)},
          {"intervals", intervals},
          {"studentized", studentized},
          {"note", r.resamples ? json(nullptr)
                               : json("the number of distinct multisets exceeds 2^53; see resamples_log10")},
          {"notes", r.notes}};
}

namespace {

json distribution_json(const weighted_distribution& d) {
  json values = json::array(), weights = json::array();
  for (const auto& a : d.atoms()) values.push_back(a.value), weights.push_back(a.weight);
  return {{"values", values}, {"weights", weights}};
}

}  // namespace

json to_json(const inference::test_result& r, std::optional<std::uint64_t> seed) {
  json notes = r.notes;
  if (!std::isfinite(r.p_value)) notes.push_back("p-value undefined for these data (reported as null)");
  const bool monte_carlo = r.mc_se.has_value();
  return {{"test", r.test},
          {"statistic", r.statistic},
          {"observed", json_number(r.observed)},
          {"p_value", json_number(r.p_value)},
          {"mid_p", json_number(r.mid_p)},
          {"alternative", inference::to_string(r.alt)},
          {"exact", r.exact},
          {"method", r.method},
          {"n", r.n},
          {"n_nonzero", r.n_nonzero},
          {"smallest_attainable_p", json_number(r.smallest_attainable_p)},
          {"two_sided_convention", r.two_sided_convention},
          {"mc_se", json_number(r.mc_se)},
          {"resamples", monte_carlo ? json(r.resamples) : json(nullptr)},
          {"seed", monte_carlo && seed ? json(*seed) : json(nullptr)},
          {"relative_error_bound", json_number(r.relative_error_bound)},
          {"log10_p_value", json_number(r.log10_p_value)},
          {"df", json_number(r.degrees_of_freedom)},
          // Kept readable: larger null distributions are left out (null).
          {"null_distribution", r.null_distribution && r.null_distribution->size() <= 5000
                                    ? distribution_json(*r.null_distribution)
                                    : json(nullptr)},
          {"notes", notes}};
}

json to_json(const inference::interval_estimate& e) {
  json notes = e.notes;
  if (e.one_sided ? !e.lower && !e.upper : !e.lower || !e.upper)
    notes.push_back("no finite interval at this level (bounds reported as null)");
  return {{"name", e.name},
          {"estimate", json_number(e.estimate)},
          {"lower", json_number(e.lower)},
          {"upper", json_number(e.upper)},
          {"level", e.level},
          {"achieved_level", json_number(e.achieved_level)},
          {"exact", e.exact},
          {"method", e.method},
          {"one_sided", e.one_sided},
          {"inverts", e.inverts.empty() ? json(nullptr) : json(e.inverts)},
          {"resamples", e.resamples > 0 ? json(e.resamples) : json(nullptr)},
          {"mc_se_lower", json_number(e.mc_se_lower)},
          {"mc_se_upper", json_number(e.mc_se_upper)},
          {"notes", notes}};
}

json to_json(const inference::ordinal_test& t) {
  return {{"test", t.test},
          {"statistic", json_number(t.statistic)},
          {"df", t.df},
          {"p_value", json_number(t.p_value)},
          {"mid_p", json_number(t.mid_p)},
          {"asymptotic_p", json_number(t.asymptotic_p)},
          {"exact", t.exact},
          {"method", t.method},
          {"mc_se", json_number(t.mc_se)},
          {"resamples", t.resamples > 0 ? json(t.resamples) : json(nullptr)},
          {"combinations", t.combinations > 0 ? json(t.combinations) : json(nullptr)},
          {"notes", t.notes}};
}

json to_json(const inference::paired_table& t) {
  json rows = json::array();
  for (const auto& row : t.counts) rows.push_back(row);
  return {{"levels", t.levels}, {"counts", rows}, {"n", t.n}, {"discordant", t.discordant}};
}

json to_json(const inference::multiple_endpoint_result& m, const std::vector<std::string>& endpoint_names,
             std::uint64_t seed, const std::vector<std::string>& left_out) {
  json adjusted = json::array();
  for (std::size_t j = 0; j < endpoint_names.size(); ++j)
    adjusted.push_back(
        {{"endpoint", endpoint_names[j]},
         {"standardized_statistic", json_number(m.standardized[j])},
         {"p_value", json_number(m.raw_p[j])},
         {"max_t_p", json_number(m.max_t_p[j])},
         {"holm_p", json_number(m.holm_p[j])},
         {"max_t_mc_se", m.max_t_mc_se.empty() ? json(nullptr) : json_number(m.max_t_mc_se[j])}});
  json adjustment{
      {"method", m.method},
      {"exact", m.exact},
      {"resamples", m.resamples},
      {"seed", m.exact ? json(nullptr) : json(seed)},
      {"n", m.n},
      {"left_out", left_out},
      {"n_nonzero", m.n_nonzero},
      {"smallest_attainable_p", m.smallest_attainable_p},
      {"statistic", "sign-flip of the mean standardised by its permutation SD: sum(e*d)/sqrt(sum d^2)"},
      {"max_t", "Westfall-Young single-step max-T, patients' signs flipped jointly across endpoints"},
      {"holm", "Holm step-down on the per-endpoint sign-flip p-values"},
      {"notes", m.notes}};
  return {{"adjusted", adjusted}, {"adjustment", adjustment}};
}

json to_json(const inference::mcnemar_result& m) {
  return {{"threshold", m.threshold},
          {"positive", "level >= " + format_number(m.threshold)},
          {"both", m.both},
          {"before_only", m.before_only},
          {"after_only", m.after_only},
          {"neither", m.neither},
          {"test", to_json(m.test)},
          {"difference", m.difference},
          {"lower", json_number(m.lower)},
          {"upper", json_number(m.upper)},
          {"level", m.level},
          {"interval_method", "newcombe_hybrid_score"},
          {"unconditional",
           {{"method", "suissa_shuster"}, {"p_value", m.unconditional_p}, {"psi", m.unconditional_psi}}},
          {"berger_boos",
           {{"method", "berger_boos"},
            {"p_value", m.berger_boos_p},
            {"psi", m.berger_boos_psi},
            {"gamma", inference::mcnemar_berger_boos_gamma}}},
          {"tango",
           {{"method", "tango_score"},
            {"lower", json_number(m.tango_lower)},
            {"upper", json_number(m.tango_upper)}}}};
}

json to_json(const simulation::power_point& p) {
  return {{"n", p.n},
          {"power", json_number(p.power)},
          {"mc_se", json_number(p.mc_se)},
          {"rejections", p.rejections},
          {"inexact_trials", p.inexact_trials},
          {"undefined_trials", p.undefined_trials}};
}

json to_json(const simulation::method_coverage& m) {
  return {{"method", m.method},
          {"parameter", m.parameter},
          {"true_value", json_number(m.true_value)},
          {"coverage", json_number(m.coverage)},
          {"mc_se", json_number(m.mc_se)},
          {"covered", m.covered},
          {"undefined", m.undefined},
          {"coverage_all_trials", json_number(m.coverage_all_trials)},
          {"mc_se_all_trials", json_number(m.mc_se_all_trials)},
          {"mean_length", json_number(m.mean_length)}};
}

json power_json(const simulation::effect_model& model, const std::string& endpoint,
                const simulation::power_options& options, const std::vector<simulation::test_kind>& tests,
                const std::vector<std::vector<simulation::power_point>>& curves,
                std::optional<double> target_power) {
  auto runs = [&](simulation::test_kind test) {
    return std::find(tests.begin(), tests.end(), test) != tests.end();
  };
  auto optional_size = [](const std::optional<std::size_t>& x) { return x ? json(*x) : json(nullptr); };
  std::vector<std::string> names;
  for (const auto test : tests) names.emplace_back(to_string(test));
  json out{
      {"tests", json(names)},
      {"statistic", runs(simulation::test_kind::sign_flip) ? json(to_string(options.stat)) : json(nullptr)},
      {"model", simulation::to_string(model.kind())},
      {"model_description", model.description()},
      {"alternative", inference::to_string(options.alt)},
      {"alpha", options.alpha},
      {"trials", options.trials},
      {"endpoint", endpoint.empty() ? json(nullptr) : json(endpoint)},
      {"zeros",
       runs(simulation::test_kind::wilcoxon) ? json(inference::to_string(options.zeros)) : json(nullptr)},
      {"target_power", target_power ? json(*target_power) : json(nullptr)},
      {"required_n_definition",
       "n: smallest n of the grid with power >= target; n_low: smallest n with power + 2 mc_se >= target; "
       "n_high: smallest n with power - 2 mc_se >= target; null: not reached on the grid"}};
  json rows = json::array();
  json required = json::array();  // one entry per test with a target power
  std::uint64_t inexact = 0, undefined = 0;
  std::vector<std::string> not_reached;
  for (std::size_t t = 0; t < tests.size(); ++t) {
    for (const auto& p : curves[t]) {
      auto row = to_json(p);
      row["test"] = to_string(tests[t]);
      rows.push_back(std::move(row));
      inexact += p.inexact_trials;
      undefined += p.undefined_trials;
    }
    if (!target_power) continue;
    const auto r = simulation::find_required_sample_size(curves[t], *target_power);
    required.push_back({{"test", to_string(tests[t])},
                        {"n", optional_size(r.n)},
                        {"n_low", optional_size(r.n_low)},
                        {"n_high", optional_size(r.n_high)}});
    if (!r.n) not_reached.emplace_back(to_string(tests[t]));
  }
  out["points"] = rows;
  out["required_n"] = required;
  json notes = json::array();
  notes.push_back("mc_se = sqrt(power (1 - power) / trials); H0 rejected when p <= alpha");
  if (model.kind() == simulation::model_kind::shift)
    notes.push_back(
        "shift model: the mean is moved, the shape is the data's; with --shift-to 0 the mean-zero null holds "
        "but the law is not symmetric unless the data are, so the sign and Wilcoxon nulls may not hold");
  if (inexact > 0)
    notes.push_back(fmt::format(
        "{} trial(s) used an approximate test (beyond the exact limits); see inexact_trials", inexact));
  if (undefined > 0)
    notes.push_back(fmt::format(
        "{} trial(s) had no defined test (all differences zero, or zero SD for t) and count as not rejected",
        undefined));
  if (!not_reached.empty())
    notes.push_back(fmt::format("the target power is not reached on the grid by {}: its required_n.n is null",
                                fmt::join(not_reached, ", ")));
  out["notes"] = notes;
  return out;
}

json coverage_json(const simulation::effect_model& model, const std::string& endpoint,
                   const simulation::coverage_options& options,
                   const std::vector<simulation::coverage_result>& results) {
  std::vector<std::size_t> sizes;
  for (const auto& r : results) sizes.push_back(r.n);
  json out{{"model", simulation::to_string(model.kind())},
           {"model_description", model.description()},
           {"statistic", to_string(options.stat)},
           {"sizes", sizes},
           {"level", options.level},
           {"trials", options.trials},
           {"endpoint", endpoint.empty() ? json(nullptr) : json(endpoint)}};
  json methods = json::array();
  std::uint64_t undefined = 0;
  std::string monte_carlo;  // the Monte Carlo bootstrap_mode, when some n is past exact_max_n
  for (const auto& r : results) {
    for (const auto& m : r.methods) {
      auto row = to_json(m);
      row["n"] = r.n;
      row["bootstrap_mode"] = r.bootstrap_mode;
      methods.push_back(std::move(row));
      undefined += m.undefined;
    }
    if (r.bootstrap_mode != "exact") monte_carlo = r.bootstrap_mode;
  }
  out["methods"] = methods;
  json notes = json::array();
  notes.push_back(
      "coverage = covered / trials where the interval exists, mc_se its binomial SE; coverage_all_trials "
      "counts an "
      "undefined interval as a miss");
  notes.push_back(
      "true values (parameter): the bootstrap intervals cover the model's population " +
      to_string(options.stat) +
      ", t and signflip its mean, hodges_lehmann its pseudo-median, noncentral_t its mean / sd (d_z)");
  if (undefined > 0)
    notes.push_back(
        "some intervals were undefined in some trials (e.g. BCa with zero jackknife variance); see "
        "undefined");
  if (!monte_carlo.empty())
    notes.push_back("n > --exact-max-n: the bootstrap inside each trial is Monte Carlo (" + monte_carlo +
                    ")");
  out["notes"] = notes;
  return out;
}

json to_json(const planning::plan_result& p, const planning::plan_request& r) {
  const bool interval = r.target == planning::target_kind::interval;
  json exact{{"feasible", p.exact.feasible},
             {"algorithm", p.exact.algorithm},
             {"work", json_number(p.exact.work)},
             {"work_unit", p.exact.unit},
             {"predicted_seconds", json_number(p.exact.seconds)},
             {"resamples_log10", json_number(p.exact.resamples_log10)},
             {"note", p.exact.note}};
  json mc{{"available", p.monte_carlo.available},
          {"first_resamples", nullptr},
          {"pilot_resamples", nullptr},
          {"endpoints", json::array()},
          {"resamples", nullptr},
          {"predicted_mc_se", nullptr},
          {"seconds_per_resample", nullptr},
          {"fixed_seconds", nullptr},
          {"calibration_resamples", nullptr},
          {"resamples_needed", nullptr},
          {"seconds_needed", nullptr},
          {"predicted_seconds", nullptr},
          {"note", nullptr}};
  if (p.monte_carlo.available) {
    json endpoints_json = json::array();
    for (const auto& e : p.monte_carlo.endpoints)
      endpoints_json.push_back({{"name", e.name},
                                {"pilot_value", json_number(e.pilot_value)},
                                {"pilot_mc_se", json_number(e.pilot_mc_se)},
                                {"target_se", json_number(e.target_se)},
                                {"resamples", e.resamples}});
    mc = {{"available", true},
          {"first_resamples", p.monte_carlo.first_resamples},
          {"pilot_resamples", p.monte_carlo.pilot_resamples},
          {"endpoints", endpoints_json},
          {"resamples", p.monte_carlo.resamples},
          {"predicted_mc_se", json_number(p.monte_carlo.predicted_mc_se)},
          {"seconds_per_resample", json_number(p.monte_carlo.seconds_per_resample)},
          {"fixed_seconds", json_number(p.monte_carlo.fixed_seconds)},
          {"calibration_resamples", p.monte_carlo.calibration_resamples},
          {"resamples_needed", json_number(p.monte_carlo.resamples_needed)},
          {"seconds_needed", json_number(p.monte_carlo.seconds_needed)},
          {"predicted_seconds", json_number(p.monte_carlo.seconds)},
          {"note", nullptr}};
  } else {
    mc["note"] = p.monte_carlo.note;
  }
  // Exact: the resamples the exact answer covers (distinct multisets or sign patterns).
  json resamples = nullptr;
  if (!p.recommend_exact)
    resamples = p.monte_carlo.resamples;
  else if (p.exact.resamples_log10 < 15.9)
    resamples = json_count(std::round(std::pow(10.0, p.exact.resamples_log10)));
  return {{"recommendation", p.recommend_exact ? "exact" : "monte-carlo"},
          {"resamples", resamples},
          {"predicted_seconds", json_number(p.predicted_seconds)},
          {"reason", p.reason},
          {"statistic", to_string(r.stat)},
          {"target", interval ? "interval " + std::string(bootstrap::to_string(r.interval))
                              : "test " + std::string(to_string(r.test))},
          {"precision",
           r.absolute > 0.0
               ? json{{"absolute_se", r.absolute}, {"relative", nullptr}, {"probability", nullptr}}
               : json{{"absolute_se", nullptr}, {"relative", r.relative}, {"probability", 1.0 - r.tau}}},
          {"exact", exact},
          {"monte_carlo", mc},
          {"notes", p.notes},
          // The target asked for more than a sensible run: what it would need, and why not.
          {"over_limits", p.capped ? json(p.over_limits) : json(nullptr)}};
}

}  // namespace resample::cli
