#pragma once
// What the installed package derives from the command line's own definitions, so that it cannot
// drift from them: the list of subcommands (one man page each) and the bash completion script.
// apps/tools/cli_tree_main.cpp prints both at build time.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace resample::cli {

// The top-level CLI::App of `resample`, with every subcommand registered (as run_cli parses).
void configure_app(CLI::App& app);

struct option_summary {
  std::vector<std::string> names;  // "--stat", "-h", ...
  bool takes_value = false;
};

struct subcommand_summary {
  std::string name;
  std::string description;
  std::vector<option_summary> options;
};

// The visible subcommands in --help order, each with its options.
std::vector<subcommand_summary> subcommands_of(const CLI::App& app);

// A bash completion script for `resample`: subcommands after the program name, each
// subcommand's options after it, file names after an option that takes a value.
std::string bash_completion(const CLI::App& app);

}  // namespace resample::cli
