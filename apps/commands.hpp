#pragma once
// Each subcommand lives in its own file and registers itself on the top-level CLI::App.

#include <CLI/CLI.hpp>

namespace resample::cli {

void register_report_command(CLI::App& app);

}  // namespace resample::cli
