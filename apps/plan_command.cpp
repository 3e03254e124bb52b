// `resample plan`: exact or Monte Carlo, how many resamples, how long, and the command to run.
// The engine (resample/planning/plan.hpp) measures; this file parses, formats and quotes.

#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <optional>

#include "cli_common.hpp"
#include "commands.hpp"
#include "resample/planning/plan.hpp"
#include "result_json.hpp"

namespace resample::cli {

namespace {

using json = nlohmann::json;

struct plan_options {
  input_options input;
  output_options output;
  std::string stat = "mean";
  std::string ci;    // one interval method
  std::string test;  // or one test
  double conf = 0.95;
  std::string alternative = "two-sided";
  std::string zero_method = "pratt";
  double precision = 0.0;
  double relative = 0.0;
  std::optional<std::uint64_t> seed;
  std::size_t threads = 0;
};

void add_plan_options(CLI::App& command, plan_options& o) {
  add_input_options(command, o.input);
  command.add_option("--stat", o.stat, "statistic: " + statistic_syntax())->capture_default_str();
  command.add_option("--ci", o.ci,
                     "plan this bootstrap interval: percentile, basic, normal, studentized or bca");
  command.add_option("--test", o.test, "or plan this test: signflip, wilcoxon, sign or t");
  command.add_option("--conf", o.conf, "confidence level of the interval")->capture_default_str();
  command.add_option("--alternative", o.alternative, "test alternative: two-sided, greater or less")
      ->capture_default_str();
  command.add_option("--zero-method", o.zero_method, "Wilcoxon zeros: pratt or wilcox")
      ->capture_default_str();
  command.add_option("--precision", o.precision,
                     "target Monte Carlo SE of each interval endpoint (or of the p-value), on the "
                     "statistic's scale");
  command.add_option("--relative", o.relative,
                     "or a relative target (Andrews & Buchinsky): each endpoint (or the p-value) within "
                     "this fraction of its B = infinity value with probability 0.95");
  add_seed_option(command, o.seed,
                  "seed of the pilot runs and of the command printed (default: the command's)");
  add_threads_option(command, o.threads, "threads for the timings and the command printed");
  add_output_options(command, o.output);
}

// A word as the shell reads it back: plain when safe, otherwise single-quoted.
std::string shell_quote(const std::string& word) {
  const bool safe = !word.empty() && word.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789_-.,:/=+@%") == std::string::npos;
  if (safe) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string input_words(const input_options& in) {
  std::string out;
  auto add = [&](const char* option, const std::string& value) {
    out += fmt::format(" {} {}", option, shell_quote(value));
  };
  if (!in.values.empty()) add("--values", in.values);
  if (!in.data.empty()) add("--data", in.data);
  for (std::size_t i = 0; i < in.pre.size(); ++i) {
    add("--pre", in.pre[i]);
    if (i < in.post.size()) add("--post", in.post[i]);
  }
  for (const auto& c : in.column) add("--column", c);
  if (!in.range.empty()) add("--range", in.range);
  return out;
}

json run_plan(const plan_options& o) {
  if (o.ci.empty() == o.test.empty())
    throw usage_error("plan: give exactly one of --ci METHOD or --test NAME");
  if ((o.precision > 0.0) == (o.relative > 0.0))
    throw usage_error("plan: give exactly one of --precision SE or --relative FRACTION, positive");
  if (o.precision < 0.0 || o.relative < 0.0 || !std::isfinite(o.precision) || !std::isfinite(o.relative))
    throw usage_error("plan: --precision and --relative must be positive and finite");
  if (!(o.conf > 0.0 && o.conf < 1.0))
    throw usage_error(fmt::format("--conf: got {}, expected 0 < conf < 1", o.conf));
  const study_data study = load_input(o.input);
  const auto& endpoints = study.endpoints;
  if (endpoints.size() != 1)
    throw usage_error("plan analyses one endpoint, got " + std::to_string(endpoints.size()) +
                      " (give one --pre/--post pair or one --column)");
  const auto& data = endpoints.front().differences;

  planning::plan_request r;
  r.stat = parse_option("--stat", [&] { return parse_statistic(o.stat); });
  r.level = o.conf;
  r.absolute = o.precision;
  r.relative = o.relative;
  r.exec.threads = o.threads;
  const bool interval = !o.ci.empty();
  if (interval) {
    r.target = planning::target_kind::interval;
    r.interval = parse_option("--ci", [&] { return bootstrap::parse_interval_method(o.ci); });
    r.seed = o.seed.value_or(bootstrap::bootstrap_options{}.seed);  // the bootstrap command's default
  } else {
    r.target = planning::target_kind::test;
    r.test = parse_option("--test", [&] { return parse_test_kind(o.test); });
    r.alt = parse_option("--alternative", [&] { return inference::parse_alternative(o.alternative); });
    r.zeros = parse_option("--zero-method", [&] { return inference::parse_zero_method(o.zero_method); });
    r.seed = o.seed.value_or(inference::sign_flip_options{}.seed);  // the test command's default
  }
  const auto p = planning::make_plan(data, r);

  // The command that carries the recommendation out.
  std::string command = interval ? "resample bootstrap" : "resample test";
  command += input_words(o.input);
  if (interval) {
    command += fmt::format(" --stat {} --ci {} --conf {}", shell_quote(to_string(r.stat)),
                           bootstrap::to_string(r.interval), o.conf);
  } else {
    command += " --test " + std::string(to_string(r.test));
    if (r.test == planning::test_kind::sign_flip) command += " --stat " + shell_quote(to_string(r.stat));
    if (r.test == planning::test_kind::wilcoxon) command += " --zero-method " + inference::to_string(r.zeros);
    command += " --alternative " + inference::to_string(r.alt);
  }
  const bool resampling =
      interval || r.test == planning::test_kind::sign_flip || r.test == planning::test_kind::wilcoxon;
  if (p.recommend_exact && resampling) command += " --method exact";
  if (!p.recommend_exact)
    command += fmt::format(" --method mc --resamples {} --seed {}", p.monte_carlo.resamples, r.seed);
  if (o.threads > 0) command += fmt::format(" --threads {}", o.threads);

  json out = to_json(p, r);
  out["recommended_command"] = command;
  out["endpoint"] = endpoints.front().name;
  out["n"] = data.size();
  // The seed the recommended command runs with; the threads the prediction assumed.
  return with_envelope(std::move(out), "plan", r.seed, p.threads, input_summary(study));
}

result_table plan_table(const json& r) {
  result_table t;
  t.header = {"endpoint",  "statistic",         "n",         "target",
              "route",     "recommended",       "available", "algorithm",
              "resamples", "predicted_seconds", "note"};
  const auto& e = r.at("exact");
  const auto& mc = r.at("monte_carlo");
  const bool exact = r.at("recommendation") == "exact";
  auto row = [&](const char* route, bool recommended, const json& available, const json& algorithm,
                 const json& resamples, const json& seconds, const json& note) {
    auto cells_of = cells(r, {"endpoint", "statistic", "n", "target"});
    for (const json& x : {json(route), json(recommended), available, algorithm, resamples, seconds, note})
      cells_of.push_back(cell(x));
    t.rows.push_back(std::move(cells_of));
  };
  row("exact", exact, e.at("feasible"), e.at("algorithm"), exact ? r.at("resamples") : json(nullptr),
      e.at("predicted_seconds"), e.at("note"));
  row("monte-carlo", !exact, mc.at("available"), json(nullptr), mc.at("resamples"),
      mc.at("predicted_seconds"), mc.at("note"));
  return t;
}

std::string seconds_text(const json& s) {
  if (!s.is_number()) return "-";
  const double x = s.get<double>();
  return x < 1e-3 ? fmt::format("{:.3g} ms", x * 1e3) : fmt::format("{:.3g} s", x);
}

std::string render_plan_text(const json& r) {
  std::string out = fmt::format("Plan for {} of {} (n = {}, endpoint {})\n", r["target"].get<std::string>(),
                                r["statistic"].get<std::string>(), r["n"].get<std::size_t>(),
                                r["endpoint"].get<std::string>());
  out += fmt::format("  recommendation  {}\n", r["recommendation"].get<std::string>());
  if (!r["over_limits"].is_null())
    out += fmt::format("  over limits     {}\n", r["over_limits"].get<std::string>());
  out += fmt::format("  why             {}\n", r["reason"].get<std::string>());
  const auto& e = r["exact"];
  if (e["feasible"].get<bool>())
    out += fmt::format("  exact           {} ({:.3g} {}), predicted {}\n", e["algorithm"].get<std::string>(),
                       e["work"].get<double>(), e["work_unit"].get<std::string>(),
                       seconds_text(e["predicted_seconds"]));
  else
    out += "  exact           not feasible\n";
  out += fmt::format("                  {}\n", e["note"].get<std::string>());
  const auto& mc = r["monte_carlo"];
  if (mc["available"].get<bool>()) {
    out += fmt::format("  monte carlo     B = {}, predicted {} ({:.3g} s per resample), pilot B = {}\n",
                       mc["resamples"].get<std::uint64_t>(), seconds_text(mc["predicted_seconds"]),
                       mc["seconds_per_resample"].get<double>(), mc["pilot_resamples"].get<std::uint64_t>());
    for (const auto& p : mc["endpoints"])
      out += fmt::format("    {:<8} pilot {:.6g}, mc_se {:.3g} at the pilot, target {:.3g}, needs B = {}\n",
                         p["name"].get<std::string>(), p["pilot_value"].get<double>(),
                         p["pilot_mc_se"].get<double>(), p["target_se"].get<double>(),
                         p["resamples"].get<std::uint64_t>());
  } else {
    out += fmt::format("  monte carlo     not applicable: {}\n", mc["note"].get<std::string>());
  }
  out += fmt::format("  predicted time  {} on {} thread(s)\n", seconds_text(r["predicted_seconds"]),
                     r["threads"].get<std::size_t>());
  for (const auto& n : r["notes"]) out += "  note: " + n.get<std::string>() + "\n";
  out += "\n  " + r["recommended_command"].get<std::string>() + "\n";
  return out;
}

}  // namespace

void register_plan_command(CLI::App& app) {
  register_analysis_command<plan_options>(
      app, {.name = "plan",
            .description = "exact or Monte Carlo? how many resamples for a target precision, and how long",
            .add_options = add_plan_options,
            .run = run_plan,
            .render_text = render_plan_text,
            .table = plan_table});
}

}  // namespace resample::cli
