#include "option_errors.hpp"

#include <string_view>

namespace resample::cli {

std::string option_for_parameter(std::string_view parameter) {
  struct entry {
    std::string_view parameter, option;
  };
  static constexpr entry table[] = {
      {"level", "--conf"},
      {"alpha", "--alpha"},
      {"resamples", "--resamples"},
      {"method", "--method"},
      {"max_memory", "--max-memory"},
      {"intervals", "--ci"},
      {"studentized_se", "--studentized-se"},
      {"absolute", "--precision"},
      {"relative", "--relative"},
      {"statistic", "--stat"},
      {"alternative", "--alternative"},
      {"zero_method", "--zero-method"},
      {"test", "--test"},
      {"trials", "--trials"},
      {"seed", "--seed"},
      {"threads", "--threads"},
      {"target_power", "--target-power"},
      {"shift_to", "--shift-to"},
      {"distribution", "--distribution"},
      {"model", "--model"},
      {"exact_max_n", "--exact-max-n"},
      {"max_seconds", "--max-seconds"},
      {"range", "--range"},
      {"direction", "--direction"},
      {"missing", "--missing"},
      {"where", "--where"},
      {"delimiter", "--delimiter"},
      {"decimal", "--decimal"},
  };
  for (const auto& e : table)
    if (e.parameter == parameter) return std::string(e.option);
  return {};
}

std::string engine_reason(const std::exception& e) {
  const auto* engine = dynamic_cast<const resample::error*>(&e);
  if (engine == nullptr) return e.what();
  std::string out = engine->reason();
  if (!engine->remedies().empty())
    out += "; use " + say_remedies(engine->remedies(), [](const std::string& parameter) {
             const auto option = option_for_parameter(parameter);
             return option.empty() ? parameter : option;
           });
  return out;
}

std::string engine_message(const std::exception& e, const std::string& fallback) {
  const auto* engine = dynamic_cast<const resample::error*>(&e);
  std::string lead = engine != nullptr ? option_for_parameter(engine->parameter()) : std::string();
  // An infeasible request names the remedy's option, not the parameter's: lead with the input.
  if (engine != nullptr && dynamic_cast<const resample::infeasible_error*>(&e) != nullptr) lead.clear();
  if (lead.empty()) lead = fallback;
  return lead.empty() ? engine_reason(e) : lead + ": " + engine_reason(e);
}

std::string input_name(const input_options& input) {
  if (!input.study.empty()) return "--study " + input.study;
  if (!input.values.empty() || input.data.empty()) return "--values";
  return "--data " + input.data;
}

}  // namespace resample::cli
