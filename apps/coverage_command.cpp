// `resample coverage`: the CLI face of resample::simulation::simulate_coverage().

#include "coverage_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <optional>

#include "commands.hpp"
#include "figures.hpp"
#include "progress_bar.hpp"
#include "resample/bootstrap/bootstrap.hpp"
#include "resample/error.hpp"
#include "resample/planning/limits.hpp"
#include "resample/simulation/coverage.hpp"
#include "resample/vocabulary.hpp"
#include "result_json.hpp"
#include "svg_plot.hpp"

namespace resample::cli {

namespace {

std::string format_value(const nlohmann::json& v) {
  return v.is_number() ? fmt::format("{:.4f}", v.get<double>()) : std::string("-");
}

// --max-memory before any trial: tallies per chunk of trials, and per thread a Monte Carlo
// bootstrap's replicates past --exact-max-n. The suggestion shrinks whichever part is over. One n
// runs at a time: the grid's largest n needs the most.
void check_memory(const coverage_options& options, std::size_t n,
                  const simulation::coverage_options& engine) {
  const double given = parse_memory(options.max_memory);
  const double limit = given > 0 ? given : default_max_memory_bytes();
  const double bytes = simulation::coverage_memory_estimate(n, engine);
  if (bytes <= limit) return;
  auto with = [&](std::uint64_t trials, std::uint64_t resamples) {
    auto e = engine;
    e.trials = trials;
    e.bootstrap_resamples = resamples;
    return simulation::coverage_memory_estimate(n, e);
  };
  // Both parts are linear: per trial (tallies) and per resample (replicates in each thread).
  const double base = with(0, 0);
  const double per_trial = (with(engine.trials, 0) - base) / static_cast<double>(engine.trials);
  const double resamples_part = with(0, engine.bootstrap_resamples) - base;
  std::string fits;
  if (base + per_trial * static_cast<double>(engine.trials) <= limit) {
    const double per_resample = resamples_part / static_cast<double>(engine.bootstrap_resamples);
    const auto n = planning::round_down_two_digits(
        (limit - base - per_trial * static_cast<double>(engine.trials)) / per_resample);
    fits = n > 0 ? fmt::format("--resamples {} would fit", n) : std::string("nothing fits");
  } else {
    const auto n = planning::round_down_two_digits((limit - base - resamples_part) / per_trial);
    fits = n > 0 ? fmt::format("--trials {} would fit", n) : std::string("nothing fits");
  }
  throw usage_error(
      fmt::format("--max-memory {}: the coverage simulation with --trials {} and --resamples {} "
                  "needs about {:.3g} MiB; ",
                  options.max_memory.empty()
                      ? fmt::format("(default: half of RAM, {:.3g}G)", limit / 1073741824.0)
                      : options.max_memory,
                  engine.trials, engine.bootstrap_resamples, bytes / 1048576.0) +
      fits);
}

}  // namespace

void add_coverage_options(CLI::App& command, coverage_options& options) {
  add_input_options(command, options.input);
  add_model_options(command, options.model);
  command
      .add_option("--stat", options.stat,
                  "statistic of the bootstrap intervals (one with a population value under the model, which "
                  "trimmed:F lacks): " +
                      statistic_syntax())
      ->capture_default_str();
  command
      .add_option("--n", options.n,
                  "sample sizes of the simulated data sets: N, A:B or A:B:STEP, or a comma list of them")
      ->capture_default_str();
  command.add_option(
      "--ci", options.ci,
      "intervals: percentile,basic,normal,studentized,bca (bootstrap), t, hl, signflip (the exact "
      "sign-flip confidence set of the mean), dz (d_z = mean/sd, noncentral-t interval), or all; calibrated "
      "(double bootstrap, exact up to n = 8; "
      "slow) on request. Default: percentile,basic,normal,bca,t,hl,signflip, plus studentized unless its "
      "se* is the nested bootstrap (see --studentized-se)");
  add_studentized_se_option(command, options.studentized_se);
  command.add_option("--conf", options.conf, "nominal level, 0 < conf < 1")->capture_default_str();
  add_count_option(command, "--trials", options.trials, "simulated data sets");
  command.add_option("--exact-max-n", options.exact_max_n, "exact bootstrap inside each trial up to this n")
      ->capture_default_str();
  add_count_option(command, "--resamples", options.resamples, "Monte Carlo bootstrap B beyond --exact-max-n");
  add_seed_option(command, options.seed, "seed of the counter-based random streams");
  add_threads_option(command, options.threads);
  command.add_option("--max-memory", options.max_memory,
                     "refuse runs needing more memory than this (e.g. 512M, 2G; default half of RAM)");
  add_max_seconds_option(command, options.max_seconds);
  command.add_option("--plot", options.plot,
                     "write the coverage of each method (over n when several) to FILE.svg or FILE.png");
  add_output_options(command, options.output);
}

nlohmann::json run_coverage(const coverage_options& options) {
  if (!options.plot.empty()) check_figure_path(options.plot, "--plot");
  if (!(options.conf > 0.0 && options.conf < 1.0))
    throw usage_error(fmt::format("--conf: got {}, expected a number with 0 < conf < 1", options.conf));
  const auto sizes = parse_sample_sizes(options.n, "--n");
  if (sizes.back() > 100000)
    throw usage_error(fmt::format("--n: got {}, expected 2 <= n <= 100000", sizes.back()));
  if (options.exact_max_n > simulation::coverage_exact_max_n_limit)
    throw usage_error(fmt::format("--exact-max-n: got {}, expected at most {} (92378 multisets per trial)",
                                  options.exact_max_n, simulation::coverage_exact_max_n_limit));
  simulation::coverage_options engine;
  engine.stat = parse_option("--stat", [&] { return parse_statistic(options.stat); });
  if (engine.stat.kind == statistic_kind::trimmed_mean)
    throw usage_error(
        "--stat: trimmed means have no population value here; use mean, median, sd, prop_ge:K or hl");
  engine.se_method = parse_studentized_se(options.studentized_se);
  if (options.ci.empty())
    planning::select_default_coverage_intervals(engine);
  else
    parse_option("--ci", [&] { simulation::select_coverage_intervals(options.ci, engine); });
  engine.level = options.conf;
  engine.trials = options.trials;
  engine.seed = options.seed;
  engine.exec.threads = options.threads;
  engine.exact_max_n = options.exact_max_n;
  engine.bootstrap_resamples = options.resamples;
  const loaded_model model = load_model(options.input, options.model);
  // Time first, so that a huge --trials under --max-seconds is refused for its time; a bad
  // --max-memory is refused before any pilot.
  (void)parse_memory(options.max_memory);
  // The command line (options.progress) announces a long run; a batch job only checks the limit.
  const auto predicted = check_run_time(
      parse_seconds(options.max_seconds), options.progress,
      [&](planning::pilot_budget& budget) {
        std::vector<planning::time_estimate> parts;
        for (const auto n : sizes)
          parts.push_back(planning::coverage_time_estimate(model.model, n, engine, budget));
        return planning::combine(parts);
      },
      "--trials", options.trials);
  for (const auto n : sizes) check_memory(options, n, engine);

  engine.exec.cancel = options.cancel;
  // One simulation per n, each as it would run alone: the trials' streams depend on (seed, n,
  // trial) only.
  std::vector<simulation::coverage_result> results;
  {
    std::optional<progress_bar> bar;
    if (options.progress) {
      (void)announce_long_run(predicted, options.threads);
      bar.emplace(options.trials * sizes.size(), "coverage", predicted.seconds);
      engine.exec.progress = bar->counter();
    }
    for (const auto n : sizes) results.push_back(simulation::simulate_coverage(model.model, n, engine));
  }

  nlohmann::json out = coverage_json(model.model, model.endpoint, engine, results);
  out["command"] = "coverage";

  if (!options.plot.empty()) {
    static const char* const colors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                         "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
    // The subtitle names the population value of the statistic the bootstrap intervals estimate.
    const double population_value = model.model.population_value(engine.stat);
    const std::string population = to_string(engine.stat);
    // A dot plot: one row per method, one dot per n (a legend names the n when there are several),
    // the nominal level a labelled line.
    dot_figure figure;
    figure.x_label = "actual coverage (bars: 2 MC SE)";
    figure.title = results.size() == 1
                       ? fmt::format("Actual coverage of {:.0f}% intervals at n = {}", 100 * options.conf,
                                     results.front().n)
                       : fmt::format("Actual coverage of {:.0f}% intervals", 100 * options.conf);
    figure.subtitle =
        results.size() == 1
            ? fmt::format("{} model ({} {:.4g}); {} trials; bootstrap {}",
                          simulation::to_string(model.model.kind()), population, population_value,
                          results.front().trials, results.front().bootstrap_mode)
            : fmt::format("{} model ({} {:.4g}); {} trials per n; exact bootstrap up to n = {}",
                          simulation::to_string(model.model.kind()), population, population_value,
                          options.trials, options.exact_max_n);
    double lowest = options.conf;
    // A row whose interval estimates another parameter than the bootstrap's statistic says which
    // (with --stat sd, t and signflip cover the mean).
    for (const auto& m : results.front().methods)
      figure.rows.push_back(m.parameter == population ? m.method : m.method + " (" + m.parameter + ")");
    for (std::size_t k = 0; k < results.size(); ++k) {
      const auto& r = results[k];
      dot_series series{fmt::format("n = {}", r.n), colors[k % 8], {}, {}};
      for (const auto& m : r.methods) {
        series.value.push_back(m.coverage);
        series.error.push_back(m.coverage ? 2.0 * *m.mc_se : 0.0);
        if (m.coverage) lowest = std::min(lowest, *m.coverage - 2.0 * *m.mc_se);
      }
      figure.series.push_back(std::move(series));
    }
    figure.vertical_lines.push_back({options.conf, fmt::format("nominal {:g}%", 100 * options.conf)});
    figure.x_min = std::max(0.0, std::floor(lowest * 10.0) / 10.0);
    figure.x_max = 1.0;
    write_figure(options.output, options.plot, render_svg(figure), "--plot");
  }
  return with_envelope(std::move(out), "coverage", options.seed, options.threads, model.input);
}

result_table coverage_table(const nlohmann::json& r) {
  result_table t;
  const std::vector<std::string> keys = {
      "method",  "parameter", "true_value",          "coverage",         "mc_se",
      "covered", "undefined", "coverage_all_trials", "mc_se_all_trials", "mean_length"};
  t.header = {"statistic", "n", "level", "trials", "bootstrap_mode"};
  t.header.insert(t.header.end(), keys.begin(), keys.end());
  for (const auto& m : r.at("methods")) {
    auto row = cells(r, {"statistic"});
    for (auto& c : cells(m, {"n"})) row.push_back(std::move(c));
    for (auto& c : cells(r, {"level", "trials"})) row.push_back(std::move(c));
    for (auto& c : cells(m, {"bootstrap_mode"})) row.push_back(std::move(c));
    for (auto& c : cells(m, keys)) row.push_back(std::move(c));
    t.rows.push_back(std::move(row));
  }
  return t;
}

// One block per n (a single n prints as it always has), then the notes once.
std::string render_coverage_text(const nlohmann::json& r) {
  std::string out;
  for (const auto& size : r.at("sizes")) {
    const auto n = size.get<std::size_t>();
    std::vector<const nlohmann::json*> rows;
    for (const auto& m : r.at("methods"))
      if (m.at("n").get<std::size_t>() == n) rows.push_back(&m);
    if (!out.empty()) out += "\n";
    out +=
        fmt::format("Coverage of {:.3g}% intervals at n = {} ({} trials, bootstrap {})\n",
                    100 * r.at("level").get<double>(), n, r.at("trials").get<std::uint64_t>(),
                    rows.empty() ? std::string("-") : rows.front()->at("bootstrap_mode").get<std::string>());
    out += fmt::format("  model  {}\n\n", r.at("model_description").get<std::string>());
    // Each row says what it covers: the t and HL intervals estimate the mean and the pseudo-median
    // whatever --stat the bootstrap intervals take.
    out += fmt::format("  {:<15} {:<14} {:>10} {:>8} {:>8} {:>9} {:>10}\n", "method", "covers", "true",
                       "coverage", "mc_se", "undefined", "mean len");
    for (const auto* m : rows)
      out +=
          fmt::format("  {:<15} {:<14} {:>10} {:>8} {:>8} {:>9} {:>10}\n", m->at("method").get<std::string>(),
                      m->at("parameter").get<std::string>(), format_value(m->at("true_value")),
                      format_value(m->at("coverage")), format_value(m->at("mc_se")),
                      m->at("undefined").get<std::uint64_t>(), format_value(m->at("mean_length")));
  }
  out += "\nNotes\n";
  for (const auto& n : r.at("notes")) out += fmt::format("  {}\n", n.get<std::string>());
  return out;
}

void register_coverage_command(CLI::App& app) {
  register_analysis_command<coverage_options>(
      app, {.name = "coverage",
            .description = "actual coverage of interval methods over sample sizes, by simulation",
            .add_options = add_coverage_options,
            .run = run_coverage,
            .render_text = render_coverage_text,
            .table = coverage_table,
            .prepare_command_line = [](coverage_options& o) { o.progress = true; },
            .prepare_batch_job = [](coverage_options& o) { o.cancel = current_batch_job().cancel; }});
}

}  // namespace resample::cli
