// `resample test`: the paired tests of engine/include/resample/inference on each endpoint.

#include "test_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <memory>
#include <optional>
#include <sstream>

#include "commands.hpp"
#include "figures.hpp"
#include "progress_bar.hpp"
#include "resample/bootstrap/bootstrap.hpp"
#include "resample/error.hpp"
#include "resample/inference/effect_sizes.hpp"
#include "resample/inference/estimates.hpp"
#include "resample/inference/multiple_endpoints.hpp"
#include "resample/inference/rank_tests.hpp"
#include "resample/inference/sign_flip.hpp"
#include "resample/inference/sign_flip_inversion.hpp"
#include "resample/inference/wilcoxon_inversion.hpp"
#include "resample/parse_number.hpp"
#include "resample/planning/limits.hpp"
#include "resample/study/csv.hpp"
#include "resample/vocabulary.hpp"
#include "result_json.hpp"

namespace resample::cli {

namespace {

namespace inf = resample::inference;
using json = nlohmann::json;

struct test_set {
  bool signflip = false, sign = false, wilcoxon = false, t = false;
};

test_set parse_tests(const std::string& text) {
  test_set s;
  for (auto t : parse_option("--test", [&] { return parse_test_kinds(text); })) {
    switch (t) {
      case test_kind::sign_flip:
        s.signflip = true;
        break;
      case test_kind::sign:
        s.sign = true;
        break;
      case test_kind::wilcoxon:
        s.wilcoxon = true;
        break;
      case test_kind::t:
        s.t = true;
        break;
    }
  }
  return s;
}

// A test's shared JSON (result_json.hpp) with its endpoint; the seed only for a Monte Carlo test.
json test_json(const inf::test_result& r, const std::string& endpoint, std::uint64_t seed) {
  json j = to_json(r, seed);
  j["endpoint"] = endpoint;
  return j;
}

json proportion_json(const std::string& label, std::size_t k, std::size_t n, double level) {
  const auto p = inf::proportion_intervals(k, n, level);
  json intervals = json::object();
  for (const auto& i : p.intervals) intervals[i.method] = {{"lower", i.lower}, {"upper", i.upper}};
  return {{"label", label},         {"successes", k}, {"trials", n},
          {"estimate", p.estimate}, {"level", level}, {"intervals", intervals}};
}

// An estimate that cannot be computed (e.g. too many Walsh averages) is a null with a note; it
// does not stop the tests.
template <class F>
json guarded(F&& f) {
  try {
    return f();
  } catch (const resample::error& e) {
    return {{"name", nullptr},        {"estimate", nullptr},        {"lower", nullptr},
            {"upper", nullptr},       {"level", nullptr},           {"achieved_level", nullptr},
            {"exact", nullptr},       {"method", nullptr},          {"one_sided", false},
            {"inverts", nullptr},     {"resamples", nullptr},       {"mc_se_lower", nullptr},
            {"mc_se_upper", nullptr}, {"notes", {engine_reason(e)}}};
  }
}

// The interval that inverts a test, and whether the two agree: "p <= alpha" exactly when the
// interval excludes 0 (for a one-sided test, a one-sided bound). The sign-flip and Wilcoxon sets
// are built from the tests themselves; the others are the classical inversions, and a
// disagreement says why.
json confidence_set_json(json set, const json& test, double level, inf::alternative alt) {
  if (set["lower"].is_null() && set["upper"].is_null() && set["estimate"].is_null()) {
    set["agrees_with_test"] = nullptr;
    return set;
  }
  const bool one_sided_set = set.value("one_sided", false);
  if ((alt != inf::alternative::two_sided) != one_sided_set) {
    set["agrees_with_test"] = nullptr;
    set["notes"].push_back("a two-sided interval beside a one-sided test: they answer different questions");
    return set;
  }
  if (!test["p_value"].is_number()) {  // an undefined test (e.g. the t test on constant data)
    set["agrees_with_test"] = nullptr;
    return set;
  }
  const bool rejects = inf::p_value_at_most(test["p_value"].get<double>(), 1.0 - level);
  const bool excludes = (set["lower"].is_number() && set["lower"].get<double>() > 0.0) ||
                        (set["upper"].is_number() && set["upper"].get<double>() < 0.0);
  set["agrees_with_test"] = rejects == excludes;
  if (rejects != excludes) {
    // The tied Wilcoxon set is the closure of the shifts this very test accepts, so it can only
    // disagree by holding a Walsh average the test rejects (0 among them), which its notes list.
    const bool exact_pair = !(set["exact"].is_boolean() && !set["exact"].get<bool>()) &&
                            !(test["exact"].is_boolean() && !test["exact"].get<bool>());
    const std::string why =
        !exact_pair ? "one of them is approximate or Monte Carlo"
        : set["method"] == "tied_signed_rank_inversion"
            ? "0 is a Walsh average the test rejects, held by the set as the closure of the accepted "
              "shifts (see the interval's notes)"
            : "the interval inverts a different test (for example the signed-rank test without ties)";
    set["notes"].push_back(std::string(rejects ? "the test rejects but the interval contains 0"
                                               : "the interval excludes 0 but the test does not reject") +
                           ": " + why);
  }
  return set;
}

// An effect size that is a statistic, with its exact bootstrap percentile and BCa intervals when
// the exact bootstrap is feasible (enumeration, or convolution for the sum-type superiority); at
// larger n the interval is left out with the reason, not replaced by a slow or silent Monte Carlo.
json effect_size_json(const std::vector<double>& d, const statistic& stat, const test_options& o) {
  json out{{"name", to_string(stat)},
           {"estimate", json_number(evaluate(stat, d))},
           {"mode", nullptr},
           {"algorithm", nullptr},
           {"intervals", json::array()},
           {"notes", json::array()}};
  try {
    bootstrap::bootstrap_options b;
    b.stat = stat;
    b.requested = bootstrap::method::exact;
    b.level = o.level;
    b.intervals = {bootstrap::interval_method::percentile, bootstrap::interval_method::bca};
    b.exec.threads = o.threads, b.exec.cancel = o.cancel;
    const auto r = bootstrap::bootstrap(d, b);
    out["mode"] = "exact";
    out["algorithm"] = r.algorithm;
    for (const auto& i : r.intervals) {
      out["intervals"].push_back(to_json(i));
      if (!i.note.empty())
        out["notes"].push_back(std::string(bootstrap::to_string(i.method)) + ": " + i.note);
    }
    for (const auto& n : r.notes) out["notes"].push_back(n);
  } catch (const resample::error& e) {
    out["notes"].push_back("no exact bootstrap interval: " + engine_reason(e) +
                           "; run resample bootstrap --stat " + to_string(stat) + " --method mc");
  }
  return out;
}

json effect_sizes_json(const std::vector<double>& d, const test_options& o) {
  const auto changes = inf::count_changes(d);
  return {
      {"rank_biserial", effect_size_json(d, statistic{statistic_kind::rank_biserial, 0.0}, o)},
      {"superiority", effect_size_json(d, statistic{statistic_kind::superiority, 0.0}, o)},
      {"d_z", to_json(inf::standardized_mean_change(d, o.level))},
      {"changes",
       {{"improved", changes.improved}, {"unchanged", changes.unchanged}, {"worsened", changes.worsened}}}};
}

json estimates_json(const std::vector<double>& d, const test_options& o) {
  json e;
  e["mean"] = guarded([&] { return to_json(inf::t_interval(d, o.level)); });
  // With ties or zeros in |d| the engine's note says this inverts the untied test; the Wilcoxon
  // test's confidence_set is the tied test's own inversion (docs/exact-tests.md).
  e["hodges_lehmann"] = guarded([&] { return to_json(inf::hodges_lehmann_interval(d, o.level)); });
  e["median"] = guarded([&] { return to_json(inf::median_interval(d, o.level)); });
  json proportions = json::array();
  std::size_t improved = 0;
  for (double x : d) improved += x > 0;
  proportions.push_back(proportion_json("d > 0", improved, d.size(), o.level));
  for (double k : o.improved_by) {
    std::size_t hits = 0;
    for (double x : d) hits += x >= k;
    proportions.push_back(proportion_json(fmt::format("d >= {}", k), hits, d.size(), o.level));
  }
  e["proportions"] = proportions;
  e["effect_sizes"] = effect_sizes_json(d, o);
  return e;
}

// --max-seconds, then --max-memory, before any test runs (time first: a huge --resamples is
// refused for its time when a time limit was given). The Monte Carlo tests keep one tally per
// block of resamples; the exact tests and the sign, t and approximate tests keep nothing that
// grows with --resamples.
// Returns the prediction (zero when none was made), for the announcement.
planning::time_estimate check_limits(const test_options& o, const std::vector<endpoint>& endpoints,
                                     const test_set& which, const statistic& stat, inf::alternative alt,
                                     const inf::sign_flip_options& sf, const inf::wilcoxon_options& wx) {
  const double memory = parse_memory(o.max_memory);  // a bad value is refused before any pilot
  auto estimate = [&](bool monte_carlo, planning::pilot_budget& budget) {
    std::vector<planning::time_estimate> parts;
    auto sf_run = sf;
    auto wx_run = wx;
    if (monte_carlo) sf_run.method = wx_run.method = inf::method_choice::monte_carlo;
    for (const auto& e : endpoints) {
      if (e.differences.empty()) continue;
      if (which.signflip)
        parts.push_back(planning::sign_flip_time_estimate(e.differences, stat, alt, sf_run, budget));
      if (which.wilcoxon)
        parts.push_back(planning::wilcoxon_time_estimate(e.differences, alt, wx_run, budget));
    }
    return planning::combine(parts);
  };
  const auto predicted = check_run_time(
      parse_seconds(o.max_seconds), o.announce,
      [&](planning::pilot_budget& budget) {
        try {
          return estimate(false, budget);
        } catch (const resample::invalid_argument&) {
          return planning::time_estimate{};  // bad input for a test: the test itself reports it
        }
      },
      "--resamples", o.resamples, [&](planning::pilot_budget& budget) { return estimate(true, budget); });
  const double memory_limit = memory > 0 ? memory : default_max_memory_bytes();
  for (const auto& e : endpoints) {
    const auto& d = e.differences;
    if (d.empty()) continue;  // refused below with its own message
    bool monte_carlo = which.wilcoxon && wx.method == inf::method_choice::monte_carlo;
    try {
      monte_carlo =
          monte_carlo || (which.signflip && !inf::plan_sign_flip(d, stat, sf.method, sf.resamples).exact);
    } catch (const resample::error&) {
      // Bad input for the test, or an infeasible exact request: the test itself reports it.
    }
    if (!monte_carlo) continue;
    const double bytes = inf::sign_flip_monte_carlo_memory_estimate(d.size(), o.resamples);
    if (bytes <= memory_limit) continue;
    // The estimate is linear in the resamples (a tally per block): solve for the B that fits.
    const double base = inf::sign_flip_monte_carlo_memory_estimate(d.size(), 0);
    const double per_resample = (bytes - base) / static_cast<double>(o.resamples);
    const auto fits = planning::round_down_two_digits((memory_limit - base) / per_resample);
    throw usage_error(
        fmt::format("--max-memory {}: the Monte Carlo test with --resamples {} needs about {:.3g} MiB; ",
                    o.max_memory.empty()
                        ? fmt::format("(default: half of RAM, {:.3g}G)", memory_limit / 1073741824.0)
                        : o.max_memory,
                    o.resamples, bytes / 1048576.0) +
        (fits > 0 ? fmt::format("--resamples {} would fit", fits) : std::string("nothing fits")));
  }
  return predicted;
}

}  // namespace

void add_test_options(CLI::App& command, test_options& o) {
  add_input_options(command, o.input);
  command.add_option("--test", o.tests, "signflip, sign, wilcoxon, t or all; a comma list selects several")
      ->capture_default_str();
  command.add_option("--stat", o.stat, "sign-flip statistic: " + statistic_syntax())->capture_default_str();
  command.add_option("--alternative", o.alternative, "two-sided, greater or less")->capture_default_str();
  command
      .add_option("--zero-method", o.zero_method,
                  "Wilcoxon zeros: pratt (ranked, no sign) or wilcox (dropped)")
      ->capture_default_str();
  command
      .add_option("--method", o.method,
                  "exact (refuse if infeasible), mc (Monte Carlo), approx (Wilcoxon normal), auto")
      ->capture_default_str();
  add_count_option(command, "--resamples", o.resamples, "Monte Carlo sign patterns");
  add_seed_option(command, o.seed, "random seed (Monte Carlo)");
  add_threads_option(command, o.threads);
  command.add_option(
      "--max-memory", o.max_memory,
      "refuse Monte Carlo runs needing more memory than this (e.g. 512M, 2G; default half of RAM)");
  add_max_seconds_option(command, o.max_seconds);
  command.add_flag("--mid-p", o.mid_p, "also report mid-p values of the exact discrete tests");
  command
      .add_option("--conf,--level", o.level,
                  "confidence level of the intervals, 0 < conf < 1 (as in bootstrap)")
      ->capture_default_str();
  command
      .add_option("--improved-by", o.improved_by,
                  "also report the share of patients with d >= K (repeatable)")
      ->check(finite_number());
  command.add_option("--proportion", o.proportion,
                     "also report intervals for a count K/N, e.g. 4/4 (repeatable)");
  command.add_option("--plot", o.plot,
                     "write the sign-flip test's exact null distribution, the observed statistic and the "
                     "region as or more extreme to FILE.svg or FILE.png (one endpoint)");
  add_output_options(command, o.output);
}

json run_test(const test_options& o) {
  const study_data study = load_input(o.input);
  const auto& endpoints = study.endpoints;
  const auto which = parse_tests(o.tests);
  const auto alt = parse_option("--alternative", [&] { return inf::parse_alternative(o.alternative); });
  const auto method = parse_option("--method", [&] { return inf::parse_method(o.method); });
  const auto zeros = parse_option("--zero-method", [&] { return inf::parse_zero_method(o.zero_method); });
  const auto stat = parse_option("--stat", [&] { return parse_statistic(o.stat); });
  if (!(o.level > 0.0 && o.level < 1.0))
    throw usage_error(fmt::format("--conf: {} is not in (0, 1)", o.level));

  inf::sign_flip_options sf;
  // --method approx names the Wilcoxon normal approximation; the permutation tests stay automatic
  // (exact when feasible) and say so in their notes.
  const bool approx_for_wilcoxon_only = method == inf::method_choice::approximate;
  sf.method = approx_for_wilcoxon_only ? inf::method_choice::automatic : method;
  sf.resamples = o.resamples, sf.seed = o.seed, sf.mid_p = o.mid_p;
  sf.exec.threads = o.threads, sf.exec.cancel = o.cancel, sf.exec.distribute = o.distribute;
  inf::wilcoxon_options wx;
  wx.zeros = zeros, wx.method = method, wx.mid_p = o.mid_p, wx.resamples = o.resamples, wx.seed = o.seed;
  wx.exec = sf.exec;

  const auto predicted = check_limits(o, endpoints, which, stat, alt, sf, wx);
  std::optional<progress_bar> bar;
  if (o.announce && announce_long_run(predicted, o.threads)) bar.emplace(0, "test", predicted.seconds);

  if (!o.plot.empty()) {
    check_figure_path(o.plot, "--plot");
    if (!which.signflip) throw usage_error("--plot: draws the sign-flip test's null; add signflip to --test");
    if (endpoints.size() != 1)
      throw usage_error("--plot: draws one endpoint's null, got " + std::to_string(endpoints.size()) +
                        " endpoints (choose one with --endpoint or one --pre/--post pair)");
  }
  json endpoint_list = json::array();
  for (const auto& e : endpoints) {
    const auto& d = e.differences;
    if (d.empty()) throw usage_error("no differences: n = 0, expected at least 1");
    json tests = json::array();
    if (which.signflip) {
      auto r = inf::sign_flip_test(d, stat, alt, sf);
      if (approx_for_wilcoxon_only)
        r.notes.push_back("--method approx applies to the Wilcoxon test only; the sign-flip test used auto");
      if (!o.plot.empty()) {
        if (!r.null_distribution)
          throw usage_error("--plot: the exact null distribution is not available (" + r.method +
                            "; it is kept when exact and at most 2^20 atoms)");
        const std::string p = fmt::format("{:.4g}", r.p_value);
        write_figure(
            o.output, o.plot,
            render_svg(null_distribution_figure(
                r, "Sign-flip null of the " + to_string(stat) + ", " + e.name,
                std::to_string(d.size()) + " patients, every sign pattern; red: as extreme or more (" +
                    inf::to_string(alt) + "), p = " + p,
                to_string(stat) + " under no effect", [](double x) { return fmt::format("{:.4g}", x); })),
            "--plot");
      }
      json test = test_json(r, e.name, o.seed);
      test["confidence_set"] = confidence_set_json(
          guarded([&]() -> json {
            if (stat.kind != statistic_kind::mean && stat.kind != statistic_kind::trimmed_mean)
              throw resample::invalid_argument(
                  "the sign-flip inversion is implemented for the mean and the "
                  "trimmed mean; '" +
                  to_string(stat) + "' has no confidence set here");
            inf::sign_flip_inversion_options inv;
            inv.stat = stat;
            inv.level = o.level, inv.alt = alt, inv.method = sf.method, inv.resamples = sf.resamples;
            inv.seed = sf.seed, inv.exec = sf.exec;
            return to_json(inf::sign_flip_confidence_set(d, inv));
          }),
          test, o.level, alt);
      tests.push_back(std::move(test));
    }
    if (which.sign) {
      auto r = inf::sign_test(d, alt, o.mid_p);
      if (method == inf::method_choice::monte_carlo || method == inf::method_choice::approximate)
        r.notes.push_back("--method " + o.method +
                          " does not apply: the sign test is always the exact binomial");
      json test = test_json(r, e.name, o.seed);
      test["confidence_set"] = confidence_set_json(
          guarded([&] { return to_json(inf::median_interval(d, o.level)); }), test, o.level, alt);
      tests.push_back(std::move(test));
    }
    if (which.wilcoxon) {
      json test = test_json(inf::wilcoxon_test(d, alt, wx), e.name, o.seed);
      // The set that inverts this test itself (ties, zeros, the zero method); Hodges-Lehmann's
      // interval, the inversion of the untied test, stays under estimates.hodges_lehmann.
      test["confidence_set"] = confidence_set_json(guarded([&] {
                                                     inf::wilcoxon_inversion_options inv;
                                                     inv.level = o.level, inv.alt = alt, inv.zeros = zeros;
                                                     // A Monte Carlo p-value at each shift makes no set: the
                                                     // exact (or automatic) inversion.
                                                     inv.method = wx.method == inf::method_choice::monte_carlo
                                                                      ? inf::method_choice::automatic
                                                                      : wx.method;
                                                     json set = to_json(inf::wilcoxon_confidence_set(d, inv));
                                                     if (wx.method == inf::method_choice::monte_carlo)
                                                       set["notes"].push_back(
                                                           "the set inverts the exact tied test; the Monte "
                                                           "Carlo p-value estimates that test's p-value");
                                                     return set;
                                                   }),
                                                   test, o.level, alt);
      tests.push_back(std::move(test));
    }
    if (which.t) {
      auto r = inf::t_test(d, alt);
      if (method != inf::method_choice::automatic)
        r.notes.push_back("--method " + o.method + " does not apply: the t test is parametric");
      json test = test_json(r, e.name, o.seed);
      test["confidence_set"] = confidence_set_json(
          guarded([&] { return to_json(inf::t_interval(d, o.level)); }), test, o.level, alt);
      tests.push_back(std::move(test));
    }
    endpoint_list.push_back(
        {{"name", e.name}, {"n", d.size()}, {"tests", tests}, {"estimates", estimates_json(d, o)}});
  }
  json result{{"command", "test"},
              {"n", endpoints.front().differences.size()},
              {"alternative", inf::to_string(alt)},
              {"level", o.level},
              {"endpoints", endpoint_list},
              {"proportions", json::array()},
              {"adjusted", nullptr},
              {"adjustment", nullptr}};
  json counts = json::array();
  for (const auto& text : o.proportion) {
    const auto slash = text.find('/');
    const auto k = slash == std::string::npos ? std::nullopt : parse_finite_number(text.substr(0, slash));
    const auto n = slash == std::string::npos ? std::nullopt : parse_finite_number(text.substr(slash + 1));
    if (!k || !n || *k < 0 || *n < 1 || *k > *n || std::floor(*k) != *k || std::floor(*n) != *n)
      throw usage_error("--proportion: expected K/N with integers 0 <= K <= N, N >= 1, got '" + text + "'");
    counts.push_back(
        proportion_json(text, static_cast<std::size_t>(*k), static_cast<std::size_t>(*n), o.level));
  }
  result["proportions"] = counts;

  if (endpoints.size() > 1) {
    // Signs flip per patient across endpoints: the joint test needs the patients complete for all.
    const auto joint = complete_for_all(endpoints, study.ids);
    std::vector<std::vector<double>> columns;
    for (const auto& e : joint) columns.push_back(e.differences);
    const auto m = inf::max_t_test(columns, alt, sf);
    std::vector<std::string> names;
    for (const auto& e : endpoints) names.push_back(e.name);
    const json joint_json = to_json(m, names, o.seed, joint.front().left_out);
    result["adjusted"] = joint_json["adjusted"];
    result["adjustment"] = joint_json["adjustment"];
  }
  return with_envelope(std::move(result), "test", o.seed, o.threads, input_summary(study));
}

result_table test_table(const json& r) {
  result_table t;
  const std::vector<std::string> keys = {"test",
                                         "statistic",
                                         "observed",
                                         "p_value",
                                         "mid_p",
                                         "alternative",
                                         "exact",
                                         "method",
                                         "n",
                                         "n_nonzero",
                                         "smallest_attainable_p",
                                         "mc_se",
                                         "resamples",
                                         "seed"};
  t.header = {"endpoint"};
  t.header.insert(t.header.end(), keys.begin(), keys.end());
  for (const auto& e : r.at("endpoints"))
    for (const auto& test : e.at("tests")) {
      auto row = cells(e, {"name"});
      for (auto& c : cells(test, keys)) row.push_back(std::move(c));
      t.rows.push_back(std::move(row));
    }
  return t;
}

std::string render_test_text(const json& r) {
  auto num = [](const json& x) {
    return x.is_null() ? std::string("NA") : fmt::format("{:.6g}", x.get<double>());
  };
  std::string out;
  for (const auto& e : r["endpoints"]) {
    out += fmt::format("{} (n = {}), alternative {}\n", e["name"].get<std::string>(),
                       e["n"].get<std::size_t>(), r["alternative"].get<std::string>());
    out += fmt::format("  {:<10} {:<12} {:>10} {:>11} {:>9} {:<22} {:>6} {:>12}\n", "test", "statistic",
                       "observed", "p-value", "mid-p", "method", "exact", "smallest p");
    for (const auto& t : e["tests"]) {
      // 2^-m underflows a double past m = 1074 sign patterns; only the t test has no smallest p.
      const bool underflowed = t["test"] != "t" && t["smallest_attainable_p"].is_number() &&
                               t["smallest_attainable_p"].get<double>() == 0.0;
      // The t test is exact for normal differences only and has no smallest attainable p: say
      // "normal" and "-" rather than "no" beside a note that calls it exact, and "0".
      const bool t_test = t["test"] == "t";
      const std::string exact = t_test ? "normal" : t["exact"].get<bool>() ? "yes" : "no";
      const std::string smallest = t_test        ? std::string("-")
                                   : underflowed ? std::string("<1e-308")
                                                 : num(t["smallest_attainable_p"]);
      out += fmt::format("  {:<10} {:<12} {:>10} {:>11} {:>9} {:<22} {:>6} {:>12}\n",
                         t["test"].get<std::string>(), t["statistic"].get<std::string>(), num(t["observed"]),
                         num(t["p_value"]), !t["mid_p"].is_null() ? num(t["mid_p"]) : std::string("-"),
                         t["method"].get<std::string>(), exact, smallest);
      if (!t["mc_se"].is_null())
        out += fmt::format("             Monte Carlo SE {} from {} patterns\n", num(t["mc_se"]),
                           t["resamples"].get<std::uint64_t>());
      if (!t["log10_p_value"].is_null())
        out += fmt::format("             p-value below 1e-308: log10 p = {:.4f}\n",
                           t["log10_p_value"].get<double>());
      if (!t["relative_error_bound"].is_null())
        out += fmt::format(
            "             relative error of the p-value at most {:.1e} (rounding and truncation)\n",
            t["relative_error_bound"].get<double>());
    }
    // How each two-sided p-value is defined matters only for a two-sided alternative.
    if (r["alternative"] == "two-sided") {
      out += "  two-sided conventions:\n";
      for (const auto& t : e["tests"])
        out += fmt::format("    {}: {}\n", t["test"].get<std::string>(),
                           t["two_sided_convention"].get<std::string>());
    }
    // Each test beside the interval that inverts it, so that "p <= alpha" and "excludes 0" are read
    // together; a disagreement is flagged and explained in the notes.
    out +=
        fmt::format("  intervals that invert the tests, level {}\n", format_number(r["level"].get<double>()));
    for (const auto& t : e["tests"]) {
      const auto& c = t["confidence_set"];
      out += fmt::format(
          "    {:<10} {:<15} {:>10}  [{}, {}]", t["test"].get<std::string>(),
          c["name"].is_string() ? c["name"].get<std::string>() : std::string("-"),
          c["estimate"].is_null() ? std::string("-") : num(c["estimate"]),
          c["lower"].is_null() ? std::string(c.value("one_sided", false) ? "-inf" : "NA") : num(c["lower"]),
          c["upper"].is_null() ? std::string(c.value("one_sided", false) ? "+inf" : "NA") : num(c["upper"]));
      if (c["achieved_level"].is_number())
        out += fmt::format(" (attained {:.4g})", c["achieved_level"].get<double>());
      if (c["mc_se_lower"].is_number() || c["mc_se_upper"].is_number())
        out += fmt::format(" (MC SE {}, {})", num(c["mc_se_lower"]), num(c["mc_se_upper"]));
      if (c["method"].is_string()) out += "  " + c["method"].get<std::string>();
      if (c["agrees_with_test"].is_boolean() && !c["agrees_with_test"].get<bool>())
        out += "  DISAGREES with the test";
      out += "\n";
    }
    const auto& est = e["estimates"];
    out += "  estimates\n";
    for (const char* name : {"mean", "hodges_lehmann", "median"}) {
      const auto& x = est[name];
      out += fmt::format("    {:<15} {:>10}  [{}, {}]", name, num(x["estimate"]), num(x["lower"]),
                         num(x["upper"]));
      if (x["level"].is_number()) out += fmt::format(" at {:.4g}", x["level"].get<double>());
      if (x["achieved_level"].is_number())
        out += fmt::format(" (achieved {:.4g})", x["achieved_level"].get<double>());
      if (x["method"].is_string()) out += "  " + x["method"].get<std::string>();
      out += "\n";
    }
    // Effect sizes: each with its exact bootstrap intervals, or the reason there are none.
    const auto& effects = est["effect_sizes"];
    for (const char* name : {"rank_biserial", "superiority"}) {
      const auto& x = effects[name];
      out += fmt::format("    {:<15} {:>10}", name, num(x["estimate"]));
      for (const auto& i : x["intervals"])
        out += fmt::format("  {} [{}, {}]", i["method"].get<std::string>(), num(i["lower"]), num(i["upper"]));
      if (x["mode"].is_string()) out += "  exact bootstrap";
      out += "\n";
    }
    {
      const auto& x = effects["d_z"];
      out += fmt::format("    {:<15} {:>10}  [{}, {}] at {}  {}\n", "d_z", num(x["estimate"]),
                         num(x["lower"]), num(x["upper"]), format_number(x["level"].get<double>()),
                         x["method"].get<std::string>());
      const auto& c = effects["changes"];
      out += fmt::format("    {:<15} improved {}, unchanged {}, worse {}\n", "patients",
                         c["improved"].get<std::size_t>(), c["unchanged"].get<std::size_t>(),
                         c["worsened"].get<std::size_t>());
    }
    for (const auto& p : est["proportions"]) {
      out += fmt::format("    {:<15} {} of {}", p["label"].get<std::string>(),
                         p["successes"].get<std::size_t>(), p["trials"].get<std::size_t>());
      for (const auto& [k, v] : p["intervals"].items())
        out += fmt::format("  {} [{:.4f}, {:.4f}]", k, v["lower"].get<double>(), v["upper"].get<double>());
      out += "\n";
    }
    bool header = false;
    for (const auto& t : e["tests"])
      for (const auto& n : t["notes"]) {
        if (!header) out += "  notes\n", header = true;
        out += fmt::format("    {}: {}\n", t["test"].get<std::string>(), n.get<std::string>());
      }
    for (const auto& t : e["tests"])
      for (const auto& n : t["confidence_set"]["notes"]) {
        if (!header) out += "  notes\n", header = true;
        out += fmt::format("    {} interval: {}\n", t["test"].get<std::string>(), n.get<std::string>());
      }
    for (const char* name : {"mean", "hodges_lehmann", "median"})
      for (const auto& n : est[name]["notes"]) {
        if (!header) out += "  notes\n", header = true;
        out += fmt::format("    {}: {}\n", name, n.get<std::string>());
      }
    for (const char* name : {"rank_biserial", "superiority", "d_z"})
      for (const auto& n : est["effect_sizes"][name]["notes"]) {
        if (!header) out += "  notes\n", header = true;
        out += fmt::format("    {}: {}\n", name, n.get<std::string>());
      }
    out += "\n";
  }
  for (const auto& p : r["proportions"]) {
    out += fmt::format("proportion {}:", p["label"].get<std::string>());
    for (const auto& [k, v] : p["intervals"].items())
      out += fmt::format("  {} [{:.4f}, {:.4f}]", k, v["lower"].get<double>(), v["upper"].get<double>());
    out += "\n";
  }
  if (!r["adjusted"].is_null()) {
    const auto& a = r["adjustment"];
    out += fmt::format("Adjusted for {} endpoints ({}, exact: {})", r["adjusted"].size(),
                       a["method"].get<std::string>(), a["exact"].get<bool>() ? "yes" : "no");
    // Joint tests use the patients complete for every endpoint: say so when that is fewer.
    if (!a["left_out"].empty())
      out += fmt::format(", on the {} patients complete for all endpoints (left out: {})",
                         a["n"].get<std::size_t>(),
                         fmt::join(a["left_out"].get<std::vector<std::string>>(), ", "));
    out += "\n";
    out += fmt::format("  {:<40} {:>10} {:>10} {:>10} {:>10}\n", "endpoint", "T", "p", "max-T p", "Holm p");
    for (const auto& x : r["adjusted"])
      out += fmt::format("  {:<40} {:>10} {:>10} {:>10} {:>10}\n", x["endpoint"].get<std::string>(),
                         num(x["standardized_statistic"]), num(x["p_value"]), num(x["max_t_p"]),
                         num(x["holm_p"]));
    out += "  " + a["max_t"].get<std::string>() + "\n";
    for (const auto& n : a["notes"]) out += "  " + n.get<std::string>() + "\n";
  }
  return out;
}

void register_test_command(CLI::App& app) {
  register_analysis_command<test_options>(
      app, {.name = "test",
            .description = "exact paired tests: sign-flip, sign, Wilcoxon signed-rank, t",
            .add_options = add_test_options,
            .run = run_test,
            .render_text = render_test_text,
            .table = test_table,
            .prepare_command_line = [](test_options& o) { o.announce = true; },
            .prepare_batch_job = take_batch_job_context<test_options>});
}

}  // namespace resample::cli
