#include "result_json.hpp"

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
          {"interval_method", "newcombe_hybrid_score"}};
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

}  // namespace resample::cli
