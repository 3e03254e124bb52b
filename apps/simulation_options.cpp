#include "simulation_options.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "option_errors.hpp"
#include "resample/error.hpp"
#include "resample/vocabulary.hpp"
#include "result_json.hpp"

namespace resample::cli {

namespace {

bool input_given(const input_options& input) {
  return !input.data.empty() || !input.values.empty() || !input.pre.empty() || !input.post.empty() ||
         !input.column.empty();
}

bool parse_size(std::string_view text, std::size_t& out) {
  const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc{} && r.ptr == text.data() + text.size() && !text.empty();
}

}  // namespace

void add_model_options(CLI::App& command, model_options& options) {
  command
      .add_option("--model", options.model,
                  "effect model: bootstrap (resample the observed differences), shift (observed differences "
                  "shifted to mean --shift-to, then resampled; not symmetric unless the data are), discrete "
                  "(--distribution)")
      ->capture_default_str();
  command.add_option("--shift-to", options.shift_to,
                     "shift model: the mean of the shifted differences (0 puts the mean-zero null in force)");
  command.add_option(
      "--distribution", options.distribution,
      "discrete model: VALUE:PROBABILITY,... on the score scale, e.g. -1:0.1,0:0.3,1:0.4,3:0.2");
}

double parse_number(const std::string& text, const std::string& option) {
  double value = 0.0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || r.ec != std::errc{} || r.ptr != text.data() + text.size() || !std::isfinite(value))
    throw usage_error(option + ": got '" + text + "', expected a finite number");
  return value;
}

loaded_model load_model(const input_options& input, const model_options& options) {
  loaded_model out{simulation::effect_model::normal(0.0, 1.0), {}, input_summary(std::nullopt, "model", {})};
  if (options.model == "discrete") {
    if (options.distribution.empty())
      throw usage_error(
          "--model discrete: give --distribution VALUE:PROBABILITY,..., e.g. -1:0.1,0:0.3,1:0.4,3:0.2");
    if (input_given(input)) throw usage_error("--model discrete takes no data; drop the input options");
    if (!options.shift_to.empty()) throw usage_error("--shift-to applies to --model shift only");
    try {
      out.model = simulation::effect_model::parse_discrete(options.distribution);
    } catch (const resample::invalid_argument& e) {
      throw usage_error("--distribution: " + engine_reason(e));
    }
    return out;
  }
  if (options.model != "bootstrap" && options.model != "shift")
    throw usage_error("--model: got '" + options.model + "', expected bootstrap, shift or discrete");
  if (!options.distribution.empty()) throw usage_error("--distribution applies to --model discrete only");
  if (options.model == "shift" && options.shift_to.empty())
    throw usage_error("--model shift: give --shift-to X, the mean of the shifted differences");
  if (options.model == "bootstrap" && !options.shift_to.empty())
    throw usage_error("--shift-to applies to --model shift only");
  const study_data study = load_input(input);
  const auto& endpoints = study.endpoints;
  if (endpoints.size() != 1)
    throw usage_error("the " + options.model + " model uses one endpoint, got " +
                      std::to_string(endpoints.size()) + " (give one --pre/--post pair or one --column)");
  out.endpoint = endpoints.front().name;
  out.input = input_summary(study);
  const auto& d = endpoints.front().differences;
  out.model = options.model == "bootstrap"
                  ? simulation::effect_model::bootstrap(d)
                  : simulation::effect_model::shift(d, parse_number(options.shift_to, "--shift-to"));
  return out;
}

std::vector<std::size_t> parse_sample_sizes(const std::string& text, const std::string& option) {
  const std::string expected = option + ": got '" + text +
                               "', expected N, A:B or A:B:STEP with 2 <= A <= B and STEP >= 1, or a comma "
                               "list of them (e.g. 6,8,12 or 6:20:2,30)";
  std::vector<std::size_t> out;
  for (const auto item : split_list(text)) {
    const auto parts = split_list(item, ':');
    std::size_t a = 0, b = 0, step = 1;
    bool ok = parts.size() <= 3 && parse_size(parts[0], a);
    if (ok) b = a;
    if (ok && parts.size() >= 2) ok = parse_size(parts[1], b);
    if (ok && parts.size() == 3) ok = parse_size(parts[2], step);
    if (!ok || a < 2 || b < a || step < 1) throw usage_error(expected);
    if (b > 1000000) throw usage_error(option + ": got '" + text + "', expected sample sizes up to 1000000");
    if (out.size() + (b - a) / step >= 10000)
      throw usage_error(option + ": got '" + text + "', more than 10000 sample sizes");
    for (std::size_t n = a; n <= b; n += step) {
      out.push_back(n);
      if (b - n < step) break;  // no overflow past B
    }
  }
  // One grid, in increasing order, each size once: "10,6:8" is 6, 7, 8, 10.
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace resample::cli
