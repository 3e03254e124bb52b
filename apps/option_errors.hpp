#pragma once
// The engine's argument errors said in the command line's words: an engine message names a C++
// function ("resample::parse_statistic: unknown statistic 'meen', ..."), a user needs the option
// or the input it came from ("--stat: unknown statistic 'meen', ...").

#include <string>
#include <string_view>
#include <utility>

#include "cli_common.hpp"
#include "resample/error.hpp"

namespace resample::cli {

// The option that sets an engine parameter ("level" -> "--conf", "method" -> "--method"): one
// table for every command, as the options mean the same everywhere. Empty for parameters that are
// the data themselves ("n", "sample") or that no option sets.
std::string option_for_parameter(std::string_view parameter);

// The engine's reason in the command line's words: no engine function name, remedies said with
// option names ("...; use --method mc").
std::string engine_reason(const std::exception& e);

// engine_reason, led by the option of the parameter at fault when one sets it, else by `fallback`
// (the input's name, when the data are at fault), else alone.
std::string engine_message(const std::exception& e, const std::string& fallback = {});

// Runs `parse` (an engine parser such as parse_statistic) on an option's value; its
// invalid_argument becomes a usage_error "OPTION: reason".
template <class F>
auto parse_option(const std::string& option, F&& parse) {
  try {
    return std::forward<F>(parse)();
  } catch (const resample::invalid_argument& e) {
    throw usage_error(option + ": " + engine_reason(e));
  }
}

// How messages name the data an analysis reads: "--values", or "--data FILE".
std::string input_name(const input_options& input);

// Runs an analysis on `input`: an engine invalid_argument raised by the data themselves (every
// difference zero, too few patients for the statistic, sums beyond the largest double) becomes a
// usage_error naming the input. Option values are parsed before, with parse_option.
template <class F>
auto on_input(const input_options& input, F&& run) {
  try {
    return std::forward<F>(run)();
  } catch (const resample::invalid_argument& e) {
    throw usage_error(engine_message(e, input_name(input)));
  }
}

}  // namespace resample::cli
