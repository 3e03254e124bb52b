#pragma once
// Options shared by the simulation commands (power, coverage): the effect model and sample sizes.

#include <CLI/CLI.hpp>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "resample/simulation/effect_model.hpp"

namespace resample::cli {

struct model_options {
  std::string model = "bootstrap";  // bootstrap | shift | discrete
  std::string shift_to;             // --shift-to X (shift model); kept as text: empty = not given
  std::string distribution;         // --distribution "v:p,..." (discrete model)
};

void add_model_options(CLI::App& command, model_options& options);

struct loaded_model {
  simulation::effect_model model;
  std::string endpoint;  // empty for the discrete model
  // The input summary of the JSON envelope (result_json.hpp): the data read, or n null and
  // source "model" for the discrete model.
  nlohmann::json input;
};

// The effect model the options describe; the bootstrap and shift models read one endpoint from the
// input options. Throws usage_error for an inconsistent combination.
loaded_model load_model(const input_options& input, const model_options& options);

// "A:B:STEP", "A:B" (step 1) or "N": sample sizes A, A + STEP, ... <= B; or a comma list of these
// ("6,8,12", "6:20:2,30"): their union, in increasing order, each size once. Throws usage_error
// naming `option` unless 2 <= A <= B <= 1000000 and STEP >= 1 in every item, with at most 10000
// points in all. The grid of --n in power and coverage (and their job files).
std::vector<std::size_t> parse_sample_sizes(const std::string& text, const std::string& option);

// Parses a finite number or throws usage_error naming the option.
double parse_number(const std::string& text, const std::string& option);

}  // namespace resample::cli
