// `resample ordinal`: the ordinal paired suite of engine/include/resample/inference/ordinal.hpp on
// each endpoint given as a pre/post pair.

#include "ordinal_command.hpp"

#include <fmt/format.h>

#include "commands.hpp"
#include "resample/error.hpp"
#include "resample/inference/ordinal.hpp"
#include "resample/inference/sign_flip.hpp"
#include "resample/parse_number.hpp"
#include "resample/vocabulary.hpp"
#include "result_json.hpp"

namespace resample::cli {

namespace {

namespace inf = resample::inference;
using json = nlohmann::json;

}  // namespace

void add_ordinal_options(CLI::App& command, ordinal_options& o) {
  add_input_options(command, o.input);
  command
      .add_option("--dichotomize", o.dichotomize,
                  "also run McNemar for the state 'level >= K' (e.g. 1: any mobility impairment)")
      ->check(finite_number());
  command.add_option("--method", o.method, "exact (refuse if infeasible), mc (Monte Carlo) or auto")
      ->capture_default_str();
  add_count_option(command, "--resamples", o.resamples, "Monte Carlo swap patterns");
  add_seed_option(command, o.seed, "random seed (Monte Carlo)");
  add_threads_option(command, o.threads);
  command.add_option("--conf,--level", o.level, "confidence level of McNemar's interval, 0 < conf < 1")
      ->capture_default_str();
  add_output_options(command, o.output);
}

json run_ordinal(const ordinal_options& o) {
  const study_data study = load_input(o.input);
  const auto method = parse_option("--method", [&] { return inf::parse_method(o.method); });
  if (method == inf::method_choice::approximate)
    throw usage_error(
        "--method: approx, expected exact, mc or auto (the asymptotic p-values are always shown)");
  if (!(o.level > 0.0 && o.level < 1.0))
    throw usage_error(fmt::format("--conf: {} is not in (0, 1)", o.level));
  inf::ordinal_options engine;
  engine.method = method, engine.resamples = o.resamples, engine.seed = o.seed;
  engine.exec.threads = o.threads, engine.exec.cancel = o.cancel;
  inf::sign_flip_options sf;
  sf.method = method, sf.resamples = o.resamples, sf.seed = o.seed, sf.exec = engine.exec;
  json endpoints = json::array();
  for (const auto& e : study.endpoints) {
    if (e.pre.empty())
      throw usage_error("endpoint '" + e.name +
                        "': the ordinal tests need the levels before and after (--pre and --post, or a study "
                        "endpoint with pre and post), not differences");
    const auto table = inf::make_paired_table(e.pre, e.post);
    const auto mh = inf::marginal_homogeneity(table, engine);
    json tests = json::array({to_json(mh.stuart_maxwell), to_json(mh.bhapkar), to_json(mh.bowker)});
    // The ordered-scores version: the sign-flip test of the mean level change.
    auto linear = inf::sign_flip_test(e.differences, statistic{statistic_kind::mean, 0.0},
                                      inf::alternative::two_sided, sf);
    linear.notes.push_back("ordered scores (linear-by-linear): the sign-flip test of the mean level change " +
                           (e.difference.empty() ? std::string() : "(" + e.difference + ")"));
    json mcnemar = nullptr;
    if (o.dichotomize) mcnemar = to_json(inf::mcnemar(table, *o.dichotomize, o.level));
    endpoints.push_back({{"name", e.name},
                         {"n", table.n},
                         {"table", to_json(table)},
                         {"tests", tests},
                         {"linear_by_linear", to_json(linear, o.seed)},
                         {"mcnemar", mcnemar}});
  }
  json result{{"command", "ordinal"}, {"endpoints", endpoints}};
  return with_envelope(std::move(result), "ordinal", o.seed, o.threads, input_summary(study));
}

result_table ordinal_table(const json& r) {
  result_table t;
  const std::vector<std::string> keys = {"test",         "statistic", "df",    "p_value",
                                         "asymptotic_p", "exact",     "method"};
  t.header = {"endpoint"};
  t.header.insert(t.header.end(), keys.begin(), keys.end());
  for (const auto& e : r.at("endpoints")) {
    for (const auto& test : e.at("tests")) {
      auto row = cells(e, {"name"});
      for (auto& c : cells(test, keys)) row.push_back(std::move(c));
      t.rows.push_back(std::move(row));
    }
    if (!e.at("mcnemar").is_null()) {
      auto row = cells(e, {"name"});
      for (auto& c : cells(e.at("mcnemar").at("test"), keys)) row.push_back(std::move(c));
      t.rows.push_back(std::move(row));
    }
  }
  return t;
}

std::string render_ordinal_text(const json& r) {
  auto num = [](const json& x) {
    return x.is_null() ? std::string("NA") : fmt::format("{:.6g}", x.get<double>());
  };
  std::string out;
  for (const auto& e : r["endpoints"]) {
    const auto& table = e["table"];
    out += fmt::format("{} (n = {}, {} changed level)\n", e["name"].get<std::string>(),
                       e["n"].get<std::size_t>(), table["discordant"].get<std::size_t>());
    out += "  pre \\ post";
    for (const auto& level : table["levels"]) out += fmt::format(" {:>6}", num(level));
    out += "\n";
    for (std::size_t i = 0; i < table["levels"].size(); ++i) {
      out += fmt::format("  {:>10}", num(table["levels"][i]));
      for (const auto& c : table["counts"][i]) out += fmt::format(" {:>6}", c.get<std::uint64_t>());
      out += "\n";
    }
    out += fmt::format("  {:<16} {:>10} {:>4} {:>11} {:>12}  {}\n", "test", "statistic", "df", "p-value",
                       "asymptotic p", "method");
    auto row = [&](const json& t) {
      out += fmt::format("  {:<16} {:>10} {:>4} {:>11} {:>12}  {}\n", t["test"].get<std::string>(),
                         num(t["statistic"]), num(t["df"]), num(t["p_value"]), num(t["asymptotic_p"]),
                         t["method"].get<std::string>());
    };
    for (const auto& t : e["tests"]) row(t);
    const auto& lin = e["linear_by_linear"];
    out += fmt::format("  {:<16} {:>10} {:>4} {:>11} {:>12}  {}\n", "linear_by_linear", num(lin["observed"]),
                       "-", num(lin["p_value"]), "-", "sign-flip " + lin["method"].get<std::string>());
    if (!e["mcnemar"].is_null()) {
      const auto& m = e["mcnemar"];
      row(m["test"]);
      out += fmt::format(
          "  McNemar, positive = {}: {} both, {} before only, {} after only, {} neither; mid-p {}\n",
          m["positive"].get<std::string>(), m["both"].get<std::uint64_t>(),
          m["before_only"].get<std::uint64_t>(), m["after_only"].get<std::uint64_t>(),
          m["neither"].get<std::uint64_t>(), num(m["test"]["mid_p"]));
      out += fmt::format(
          "  McNemar unconditional on the discordant count: Suissa-Shuster p {} (worst psi {}), Berger-Boos "
          "p {} "
          "(gamma {})\n",
          num(m["unconditional"]["p_value"]), num(m["unconditional"]["psi"]),
          num(m["berger_boos"]["p_value"]), num(m["berger_boos"]["gamma"]));
      out += fmt::format(
          "  share positive before minus after {} at {}: [{}, {}] Newcombe hybrid score, [{}, {}] Tango "
          "score\n",
          num(m["difference"]), format_number(m["level"].get<double>()), num(m["lower"]), num(m["upper"]),
          num(m["tango"]["lower"]), num(m["tango"]["upper"]));
    }
    bool header = false;
    auto notes = [&](const json& t, const std::string& name) {
      for (const auto& n : t["notes"]) {
        if (!header) out += "  notes\n", header = true;
        out += fmt::format("    {}: {}\n", name, n.get<std::string>());
      }
    };
    for (const auto& t : e["tests"]) notes(t, t["test"].get<std::string>());
    notes(lin, "linear_by_linear");
    if (!e["mcnemar"].is_null()) notes(e["mcnemar"]["test"], "mcnemar");
    out += "\n";
  }
  return out;
}

void register_ordinal_command(CLI::App& app) {
  register_analysis_command<ordinal_options>(
      app,
      {.name = "ordinal",
       .description = "ordinal paired tests: the pre/post table, Stuart-Maxwell, Bhapkar, Bowker, McNemar",
       .add_options = add_ordinal_options,
       .run = run_ordinal,
       .render_text = render_ordinal_text,
       .table = ordinal_table,
       .prepare_batch_job = take_batch_job_context<ordinal_options>});
}

}  // namespace resample::cli
