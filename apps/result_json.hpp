#pragma once
// The JSON contract of every command (docs/json.md): one serializer per result type, and the
// envelope every command's top level carries. Commands, batch jobs and the report all serialize
// their results here, so a result type has one JSON shape wherever it appears.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "resample/bootstrap/bootstrap.hpp"
#include "resample/inference/estimates.hpp"
#include "resample/inference/multiple_endpoints.hpp"
#include "resample/inference/ordinal.hpp"
#include "resample/inference/test_result.hpp"
#include "resample/planning/plan.hpp"
#include "resample/simulation/coverage.hpp"
#include "resample/simulation/power.hpp"
#include "resample/study/paired.hpp"
#include "resample/study/study.hpp"

namespace resample::cli {

struct input_options;

// Bumped when a key is removed or renamed or its meaning changes; adding keys keeps it.
inline constexpr int schema_version = 1;

// JSON has no NaN or infinity: a non-finite or absent number is null.
nlohmann::json json_number(double x);
nlohmann::json json_number(const std::optional<double>& x);

// A count held as a double by the engine, written as an integer (null when absent or not a whole
// number within 2^64).
nlohmann::json json_count(const std::optional<double>& x);

// What the command read: {"n", "source", "endpoints"}. `source` is "values" for --values, the
// file path for --data (the repository-relative name for the embedded data set), or "model" for
// a simulation model without data.
// The input of an analysis: n (of the first endpoint), the source, the endpoint names, and per
// endpoint how it was analysed: n, the direction and the difference taken, the patients left out
// for a missing value; the row conditions.
nlohmann::json input_summary(const study_data& study);
nlohmann::json input_summary(std::optional<std::size_t> n, const std::string& source,
                             const std::vector<std::string>& endpoints);

// The top level every command's JSON carries, merged into `result`: schema_version,
// engine_version, command, seed (the --seed the run used; null for a command without one),
// threads (--threads as given, 0 meaning all cores, so that the output does not depend on the
// machine; plan: the thread count its prediction assumes) and input.
nlohmann::json with_envelope(nlohmann::json result, const std::string& command,
                             std::optional<std::uint64_t> seed, std::size_t threads, nlohmann::json input);

nlohmann::json to_json(const bootstrap::interval& i);
nlohmann::json to_json(const bootstrap::bootstrap_result& r);

// `seed`: the seed of a Monte Carlo test (written only when the result is Monte Carlo).
nlohmann::json to_json(const inference::test_result& r, std::optional<std::uint64_t> seed = std::nullopt);
nlohmann::json to_json(const inference::interval_estimate& e);
nlohmann::json to_json(const inference::ordinal_test& t);
nlohmann::json to_json(const inference::paired_table& t);
// The joint test of several endpoints as {"adjusted": [per endpoint], "adjustment": {...}} (the
// keys of resample test's output), endpoints named in order; left_out: the patients not complete
// for every endpoint.
nlohmann::json to_json(const inference::multiple_endpoint_result& m,
                       const std::vector<std::string>& endpoint_names, std::uint64_t seed,
                       const std::vector<std::string>& left_out);
nlohmann::json to_json(const inference::mcnemar_result& m);
nlohmann::json to_json(const simulation::power_point& p);
nlohmann::json to_json(const simulation::method_coverage& m);

// The result object of `resample power` (docs/json.md) without the envelope, shared with Python's
// power(): curves[t] is the curve of tests[t] run with `options` (its test set to tests[t]);
// endpoint names the data (empty for the discrete model); target_power adds required_n per test.
nlohmann::json power_json(const simulation::effect_model& model, const std::string& endpoint,
                          const simulation::power_options& options,
                          const std::vector<simulation::test_kind>& tests,
                          const std::vector<std::vector<simulation::power_point>>& curves,
                          std::optional<double> target_power);

// The result object of `resample plan` without the envelope and the keys only the command knows
// (recommended_command, endpoint, n), shared with Python's plan().
nlohmann::json to_json(const planning::plan_result& p, const planning::plan_request& r);

// The result object of `resample coverage` without the envelope, shared with Python's coverage():
// results[k] is simulate_coverage(model, n_k, options).
nlohmann::json coverage_json(const simulation::effect_model& model, const std::string& endpoint,
                             const simulation::coverage_options& options,
                             const std::vector<simulation::coverage_result>& results);

}  // namespace resample::cli
