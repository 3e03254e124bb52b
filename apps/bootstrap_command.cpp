// `resample bootstrap`: the CLI face of resample::bootstrap::bootstrap().

#include "bootstrap_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "commands.hpp"
#include "figures.hpp"
#include "number_format.hpp"
#include "progress_bar.hpp"
#include "resample/bootstrap/bootstrap.hpp"
#include "resample/bootstrap/monte_carlo.hpp"
#include "resample/planning/limits.hpp"
#include "result_json.hpp"

namespace resample::cli {

namespace {

std::vector<bootstrap::interval_method> parse_ci(const std::string& text) {
  return parse_option("--ci", [&] { return bootstrap::parse_interval_methods(text); });
}

// Values in the data's unit, with decimals that follow the bootstrap's spread (number_format.hpp).
std::string format_value(const nlohmann::json& v, int decimals) {
  if (!v.is_number()) return "-";
  return format_fixed(v.get<double>(), decimals);
}

}  // namespace

void add_bootstrap_options(CLI::App& command, bootstrap_options& options) {
  add_input_options(command, options.input);
  command.add_option("--stat", options.stat, "statistic: " + statistic_syntax())->capture_default_str();
  command.add_option("--method", options.method, "exact, mc (Monte Carlo) or auto (exact when affordable)")
      ->capture_default_str();
  add_count_option(command, "--resamples", options.resamples, "Monte Carlo resamples B");
  command.add_option(
      "--ci", options.ci,
      "intervals: comma-separated percentile,basic,normal,studentized,bca,calibrated or all (calibrated is a "
      "double bootstrap: "
      "exact "
      "for n <= 8, Monte Carlo 1000 x 1000 beyond; never in the default). Default: "
      "percentile,basic,normal,bca, "
      "plus studentized unless its se* is the nested bootstrap (the auto se* of trimmed, sd and other "
      "statistics without an analytic or order-statistic SE)");
  add_studentized_se_option(command, options.studentized_se);
  command.add_option("--conf", options.conf, "confidence level, 0 < conf < 1")->capture_default_str();
  add_seed_option(command, options.seed, "seed of the counter-based random streams");
  add_threads_option(command, options.threads);
  command.add_option(
      "--max-memory", options.max_memory,
      "refuse Monte Carlo plans needing more memory than this (e.g. 512M, 2G; default half of RAM)");
  add_max_seconds_option(command, options.max_seconds);
  command.add_option(
      "--plot", options.plot,
      "write the bootstrap distribution with the estimate and every interval to FILE.svg or FILE.png");
  add_output_options(command, options.output);
}

nlohmann::json run_bootstrap(const bootstrap_options& options) {
  const study_data study = load_input(options.input);
  const auto& endpoints = study.endpoints;
  if (endpoints.size() != 1)
    throw usage_error("bootstrap analyses one endpoint, got " + std::to_string(endpoints.size()) +
                      " (give one --pre/--post pair or one --column)");
  if (!(options.conf > 0.0 && options.conf < 1.0))
    throw usage_error("--conf: got " + fmt::format("{}", options.conf) +
                      ", expected a number with 0 < conf < 1");

  bootstrap::bootstrap_options engine;
  engine.stat = parse_option("--stat", [&] { return parse_statistic(options.stat); });
  engine.requested = parse_option("--method", [&] {
    const auto m = resample::parse_method(options.method);
    check_not_approximate("resample::bootstrap", m);
    return m;
  });
  engine.resamples = options.resamples;
  engine.level = options.conf;
  engine.se_method = parse_studentized_se(options.studentized_se);
  engine.intervals =
      options.ci.empty() ? planning::default_intervals(engine.stat, engine.se_method) : parse_ci(options.ci);
  engine.seed = options.seed;
  engine.exec.threads = options.threads;
  engine.max_memory_bytes = parse_memory(options.max_memory);
  engine.exec.cancel = options.cancel;
  engine.exec.distribute = options.distribute;
  const auto& data = endpoints.front().differences;
  auto mc = engine;
  mc.requested = bootstrap::method::monte_carlo;
  const auto predicted = check_run_time(
      parse_seconds(options.max_seconds), options.announce,
      [&](planning::pilot_budget& budget) { return planning::bootstrap_time_estimate(data, engine, budget); },
      "--resamples", engine.resamples,
      [&](planning::pilot_budget& budget) { return planning::bootstrap_time_estimate(data, mc, budget); });
  // A Monte Carlo plan over the memory limit is refused by bootstrap() straight away: it gets that
  // one line, not an announcement before it.
  bootstrap::monte_carlo_options memory;
  memory.resamples = engine.resamples;
  memory.studentized = std::find(engine.intervals.begin(), engine.intervals.end(),
                                 bootstrap::interval_method::studentized) != engine.intervals.end();
  const bool refused_for_memory =
      !predicted.exact && predicted.seconds > announce_above_seconds &&
      bootstrap::monte_carlo_memory_estimate(data, engine.stat, memory) >
          (engine.max_memory_bytes > 0 ? engine.max_memory_bytes : default_max_memory_bytes());
  std::optional<progress_bar> bar;
  if (options.announce && !refused_for_memory && announce_long_run(predicted, options.threads))
    bar.emplace(0, "bootstrap", predicted.seconds);
  if (!options.plot.empty()) check_figure_path(options.plot, "--plot");
  const auto r = bootstrap::bootstrap(data, engine);
  bar.reset();
  if (!options.plot.empty()) {
    const int decimals = decimals_for(r.se);
    const auto number = [decimals](double x) { return format_fixed(x, decimals); };
    const std::string subtitle =
        r.mode_run == bootstrap::mode::exact
            ? fmt::format("exact: every distinct resample of {} patients, weighted by probability", r.n)
            : fmt::format("{} Monte Carlo resamples of {} patients, seed {}",
                          r.resamples ? *r.resamples : 0.0, r.n, options.seed);
    write_figure(options.output, options.plot,
                 render_svg(bootstrap_figure(
                     r, "Bootstrap of the " + to_string(r.stat) + ", " + endpoints.front().name, subtitle,
                     to_string(r.stat) + " of " + endpoints.front().name, number)),
                 "--plot");
  }

  nlohmann::json out = to_json(r);
  out["endpoint"] = endpoints.front().name;
  out["level"] = options.conf;
  return with_envelope(std::move(out), "bootstrap", options.seed, options.threads, input_summary(study));
}

result_table bootstrap_table(const nlohmann::json& r) {
  result_table t;
  t.header = {"endpoint", "statistic", "n",     "estimate", "se",          "bias",        "mode",
              "method",   "level",     "lower", "upper",    "mc_se_lower", "mc_se_upper", "note"};
  for (const auto& i : r.at("intervals")) {
    auto row = cells(r, {"endpoint", "statistic", "n", "estimate", "se", "bias", "mode"});
    for (auto& c : cells(i, {"method", "level", "lower", "upper", "mc_se_lower", "mc_se_upper", "note"}))
      row.push_back(std::move(c));
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string render_bootstrap_text(const nlohmann::json& r) {
  std::string out =
      fmt::format("Bootstrap of {} (n = {}, endpoint {})\n", r.at("statistic").get<std::string>(),
                  r.at("n").get<std::size_t>(), r.at("endpoint").get<std::string>());
  const double spread =
      r.at("se").get<double>() > 0.0 ? r.at("se").get<double>() : std::fabs(r.at("estimate").get<double>());
  const int decimals = r.at("statistic").get<std::string>().starts_with("prop_ge") ? 4 : decimals_for(spread);
  out += fmt::format("  estimate  {}\n", format_value(r.at("estimate"), decimals));
  out += fmt::format("  mode      {} ({})\n", r.at("mode").get<std::string>(),
                     r.at("algorithm").get<std::string>());
  out += fmt::format("  why       {}\n", r.at("mode_reason").get<std::string>());
  if (r.at("resamples").is_number())
    out += fmt::format("  resamples {}{}\n", r.at("resamples").get<std::uint64_t>(),
                       r.at("mode") == "exact" ? " distinct multisets" : "");
  else
    out += fmt::format("  resamples 10^{:.1f} distinct multisets\n", r.at("resamples_log10").get<double>());
  const bool mc = r.at("mode") == "monte-carlo";
  out +=
      fmt::format("  se        {}{}\n", format_value(r.at("se"), decimals),
                  mc ? fmt::format("  (mc_se {})", format_value(r.at("mc_se_se"), decimals)) : std::string());
  out += fmt::format("  bias      {}\n\n", format_value(r.at("bias"), decimals));
  out += fmt::format("  {:<12} {:>6} {:>10} {:>10}{}\n", "interval", "level", "lower", "upper",
                     mc ? fmt::format(" {:>10} {:>10}", "mc_se lo", "mc_se hi") : std::string());
  std::string notes;
  for (const auto& i : r.at("intervals")) {
    out += fmt::format("  {:<12} {:>6.3f} {:>10} {:>10}", i.at("method").get<std::string>(),
                       i.at("level").get<double>(), format_value(i.at("lower"), decimals),
                       format_value(i.at("upper"), decimals));
    if (mc)
      out += fmt::format(" {:>10} {:>10}", format_value(i.at("mc_se_lower"), decimals),
                         format_value(i.at("mc_se_upper"), decimals));
    out += "\n";
    if (i.at("note").is_string())
      notes += fmt::format("  {}: {}\n", i.at("method").get<std::string>(), i.at("note").get<std::string>());
  }
  for (const auto& n : r.at("notes")) notes += fmt::format("  {}\n", n.get<std::string>());
  if (!notes.empty()) out += "\nNotes\n" + notes;
  return out;
}

void register_bootstrap_command(CLI::App& app) {
  register_analysis_command<bootstrap_options>(
      app, {.name = "bootstrap",
            .description = "exact or Monte Carlo bootstrap of a statistic, with intervals",
            .add_options = add_bootstrap_options,
            .run = run_bootstrap,
            .render_text = render_bootstrap_text,
            .table = bootstrap_table,
            .prepare_command_line = [](bootstrap_options& o) { o.announce = true; },
            .prepare_batch_job = take_batch_job_context<bootstrap_options>});
}

}  // namespace resample::cli
