// `resample power`: the CLI face of resample::simulation::power_curve().

#include "power_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include "commands.hpp"
#include "figures.hpp"
#include "progress_bar.hpp"
#include "resample/error.hpp"
#include "resample/planning/limits.hpp"
#include "resample/simulation/power.hpp"
#include "resample/vocabulary.hpp"
#include "result_json.hpp"
#include "svg_plot.hpp"

namespace resample::cli {

void add_power_options(CLI::App& command, power_options& options) {
  add_input_options(command, options.input);
  add_model_options(command, options.model);
  command
      .add_option("--test", options.test,
                  "signflip, sign, wilcoxon or t, a comma list of them, or all: one power curve per test")
      ->capture_default_str();
  command.add_option("--stat", options.stat, "statistic of the sign-flip test: " + statistic_syntax())
      ->capture_default_str();
  command.add_option("--n", options.n, "sample sizes: N, A:B or A:B:STEP, or a comma list of them")
      ->capture_default_str();
  add_count_option(command, "--trials", options.trials, "simulated trials per sample size");
  command.add_option("--alpha", options.alpha, "significance level, 0 < alpha < 1")->capture_default_str();
  command.add_option("--alternative", options.alternative, "two-sided, greater or less")
      ->capture_default_str();
  command
      .add_option("--zero-method,--zeros", options.zeros,
                  "Wilcoxon zeros: pratt (ranked, no sign) or wilcox (dropped)")
      ->capture_default_str();
  command.add_option("--target-power", options.target_power,
                     "report the smallest n of the grid reaching this power, with its uncertainty");
  add_seed_option(command, options.seed, "seed of the counter-based random streams");
  add_threads_option(command, options.threads);
  add_max_seconds_option(command, options.max_seconds);
  command.add_option("--plot", options.plot, "write the power curves to FILE.svg or FILE.png");
  add_output_options(command, options.output);
}

nlohmann::json run_power(const power_options& options) {
  if (!options.plot.empty()) check_figure_path(options.plot, "--plot");
  if (!(options.alpha > 0.0 && options.alpha < 1.0))
    throw usage_error(fmt::format("--alpha: got {}, expected a number with 0 < alpha < 1", options.alpha));
  std::optional<double> target;
  if (!options.target_power.empty()) {
    target = parse_number(options.target_power, "--target-power");
    if (!(*target > 0.0 && *target < 1.0))
      throw usage_error("--target-power: got '" + options.target_power + "', expected 0 < P < 1");
  }
  const auto sizes = parse_sample_sizes(options.n, "--n");
  const auto tests = parse_option("--test", [&] { return parse_test_kinds(options.test); });
  simulation::power_options engine;
  engine.stat = parse_option("--stat", [&] { return parse_statistic(options.stat); });
  const bool sign_flip = std::find(tests.begin(), tests.end(), test_kind::sign_flip) != tests.end();
  if (!sign_flip && engine.stat != statistic{})
    throw usage_error(
        "--stat: only the sign-flip test takes a statistic; add signflip to --test or drop --stat");
  engine.alt =
      parse_option("--alternative", [&] { return inference::parse_alternative(options.alternative); });
  engine.zeros = parse_option("--zero-method", [&] { return inference::parse_zero_method(options.zeros); });
  engine.alpha = options.alpha;
  engine.trials = options.trials;
  engine.seed = options.seed;
  engine.exec.threads = options.threads;
  const loaded_model model = load_model(options.input, options.model);
  // Each test runs as it would alone: the trials' streams depend on (seed, n, trial) only.
  auto for_test = [&](simulation::test_kind test) {
    auto e = engine;
    e.test = test;
    return e;
  };
  // Power keeps counts per sample size only (nothing grows with --trials): no --max-memory.
  // The command line (options.progress) announces a long run; a batch job only checks the limit.
  const auto predicted = check_run_time(
      parse_seconds(options.max_seconds), options.progress,
      [&](planning::pilot_budget& budget) {
        std::vector<planning::time_estimate> parts;
        for (const auto test : tests)
          parts.push_back(planning::power_time_estimate(model.model, sizes, for_test(test), budget));
        return planning::combine(parts);
      },
      "--trials", options.trials);

  std::vector<std::vector<simulation::power_point>> curves;  // one per test, in the order given
  {
    std::optional<progress_bar> bar;
    if (options.progress) {
      (void)announce_long_run(predicted, options.threads);
      bar.emplace(options.trials * sizes.size() * tests.size(), "power", predicted.seconds);
    }
    for (const auto test : tests) {
      auto e = for_test(test);
      e.exec.cancel = options.cancel;
      if (bar) e.exec.progress = bar->counter();
      curves.push_back(simulation::power_curve(model.model, sizes, e));
    }
  }

  nlohmann::json out = power_json(model.model, model.endpoint, engine, tests, curves, target);
  out["command"] = "power";

  if (!options.plot.empty()) {
    static const char* const colors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"};
    line_figure figure;
    figure.title = tests.size() == 1
                       ? fmt::format("Power of the {} test", to_string(tests.front()))
                       : fmt::format("Power of the {} tests",
                                     fmt::join(out["tests"].get<std::vector<std::string>>(), ", "));
    // The full model description can be long (a discrete law); the JSON carries it.
    figure.subtitle = fmt::format("{} model (mean {:.4g}); alpha {}, {}, {} trials per n",
                                  simulation::to_string(model.model.kind()),
                                  model.model.population_value(statistic{statistic_kind::mean, 0.0}),
                                  options.alpha, inference::to_string(engine.alt), options.trials);
    figure.x_label = "sample size n";
    figure.y_label = "power (bars: 2 MC SE)";
    for (std::size_t t = 0; t < tests.size(); ++t) {
      line_series series{std::string(to_string(tests[t])), colors[t % 4], {}, {}, {}};
      for (const auto& p : curves[t]) {
        series.x.push_back(static_cast<double>(p.n));
        series.y.push_back(p.power);
        series.error.push_back(2.0 * p.mc_se);
      }
      if (target) {
        // The required n marked on the axis in the test's colour, or the legend saying it was not reached.
        const auto required = simulation::find_required_sample_size(curves[t], *target);
        if (required.n)
          figure.markers.push_back({static_cast<double>(*required.n),
                                    fmt::format("n = {} ({})", *required.n, series.name), series.color});
        else
          series.name += fmt::format(" (power {:g} not reached by n = {})", *target, sizes.back());
      }
      figure.series.push_back(std::move(series));
    }
    if (target) figure.horizontal_lines.push_back({*target, fmt::format("target power {:g}", *target)});
    write_figure(options.output, options.plot, render_svg(figure), "--plot");
  }
  return with_envelope(std::move(out), "power", options.seed, options.threads, model.input);
}

result_table power_table(const nlohmann::json& r) {
  result_table t;
  const std::vector<std::string> keys = {"n",          "power",          "mc_se",
                                         "rejections", "inexact_trials", "undefined_trials"};
  t.header = {"test", "alternative", "alpha", "trials"};
  t.header.insert(t.header.end(), keys.begin(), keys.end());
  for (const auto& p : r.at("points")) {
    auto row = cells(p, {"test"});
    for (auto& c : cells(r, {"alternative", "alpha", "trials"})) row.push_back(std::move(c));
    for (auto& c : cells(p, keys)) row.push_back(std::move(c));
    t.rows.push_back(std::move(row));
  }
  return t;
}

// One block per test (a single test prints as it always has), then the notes once.
std::string render_power_text(const nlohmann::json& r) {
  std::string out;
  auto show = [](const nlohmann::json& v) { return v.is_null() ? std::string("not reached") : v.dump(); };
  for (const auto& name : r.at("tests")) {
    const std::string test = name.get<std::string>();
    if (!out.empty()) out += "\n";
    // The sign-flip test of the default mean reads as it always has; another statistic is named.
    const auto& stat = r.at("statistic");
    const std::string of =
        test == "signflip" && stat.is_string() && stat != "mean" ? " of the " + stat.get<std::string>() : "";
    out += fmt::format("Power of the {} test{} ({}), alpha {}, {} trials per n\n", test, of,
                       r.at("alternative").get<std::string>(), r.at("alpha").get<double>(),
                       r.at("trials").get<std::uint64_t>());
    out += fmt::format("  model  {}\n\n", r.at("model_description").get<std::string>());
    out += fmt::format("  {:>6} {:>8} {:>8} {:>8}\n", "n", "power", "mc_se", "inexact");
    for (const auto& p : r.at("points"))
      if (p.at("test") == test)
        out += fmt::format("  {:>6} {:>8.4f} {:>8.4f} {:>8}\n", p.at("n").get<std::size_t>(),
                           p.at("power").get<double>(), p.at("mc_se").get<double>(),
                           p.at("inexact_trials").get<std::uint64_t>());
    for (const auto& q : r.at("required_n"))
      if (q.at("test") == test)
        out += fmt::format("\n  required n for power {}: {} (within 2 MC SE: {} .. {})\n",
                           r.at("target_power").get<double>(), show(q.at("n")), show(q.at("n_low")),
                           show(q.at("n_high")));
  }
  out += "\nNotes\n";
  for (const auto& n : r.at("notes")) out += fmt::format("  {}\n", n.get<std::string>());
  return out;
}

void register_power_command(CLI::App& app) {
  register_analysis_command<power_options>(
      app, {.name = "power",
            .description = "power of a paired test over sample sizes, by simulation",
            .add_options = add_power_options,
            .run = run_power,
            .render_text = render_power_text,
            .table = power_table,
            .prepare_command_line = [](power_options& o) { o.progress = true; },
            .prepare_batch_job = [](power_options& o) { o.cancel = current_batch_job().cancel; }});
}

}  // namespace resample::cli
