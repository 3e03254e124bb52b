// `resample report`: the paper's claims recomputed from its Table 1.

#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_common.hpp"
#include "commands.hpp"
#include "resample/csv.hpp"
#include "resample/paper_descriptives.hpp"

namespace resample::cli {

namespace {

struct report_options {
  std::string data = std::string(RESAMPLE_DATA_DIR) + "/gaughen2002_table1.csv";
  output_options output;
};

std::string format_values(const std::vector<double>& values, int decimals, const std::string& id) {
  for (double v : values)
    if (!std::isfinite(v)) return "undefined";
  if (values.size() == 2) {
    const bool count = id.find("range") == std::string::npos;
    return count ? fmt::format("{:.0f} of {:.0f}", values[0], values[1])
                 : fmt::format("{:.{}f}-{:.{}f}", values[0], decimals, values[1], decimals);
  }
  return fmt::format("{:.{}f}", values.at(0), decimals);
}

std::string render_text(const std::string& source, const std::vector<descriptive_figure>& figures) {
  std::string out = fmt::format("Repeat vertebroplasty (Gaughen et al., AJNR 2002), data: {}\n\n", source);
  out += "Descriptive figures stated in the paper, recomputed from Table 1\n";
  out += fmt::format("  {:<64} {:>10} {:>12}  {}\n", "claim", "paper", "recomputed", "match");
  std::size_t matched = 0;
  for (const auto& f : figures) {
    matched += f.matches ? 1 : 0;
    out += fmt::format("  {:<64} {:>10} {:>12}  {}\n", f.statement, format_values(f.paper, f.decimals, f.id),
                       format_values(f.computed, f.decimals + (f.decimals == 0 && f.paper.size() == 1 ? 1 : 0), f.id),
                       f.matches ? "yes" : "NO");
  }
  out += fmt::format("  {} of {} figures match the paper at its stated precision.\n", matched, figures.size());
  return out;
}

nlohmann::json render_json(const std::string& source, const std::vector<descriptive_figure>& figures) {
  nlohmann::json figures_json = nlohmann::json::array();
  for (const auto& f : figures) {
    nlohmann::json computed = nlohmann::json::array();
    for (double v : f.computed) computed.push_back(std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr));
    figures_json.push_back({{"id", f.id}, {"statement", f.statement}, {"paper", f.paper}, {"computed", computed},
                            {"decimals", f.decimals}, {"matches", f.matches}});
  }
  return {{"data", source}, {"descriptive", figures_json}};
}

}  // namespace

void register_report_command(CLI::App& app) {
  auto options = std::make_shared<report_options>();
  auto* command = app.add_subcommand("report", "the paper's claims recomputed from its Table 1, with their uncertainty");
  command->add_option("--data", options->data, "CSV with the columns of data/gaughen2002_table1.csv")
      ->capture_default_str();
  add_output_options(*command, options->output);
  command->callback([options] {
    const csv_table table = read_csv_file(options->data);
    const auto figures = paper_descriptive_figures(table);
    emit(options->output, options->output.json ? render_json(options->data, figures).dump(2) + "\n"
                                               : render_text(options->data, figures));
  });
}

}  // namespace resample::cli
