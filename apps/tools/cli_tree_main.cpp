// resample_cli_tree: prints what the build derives from resample's command-line definitions.
//   resample_cli_tree bash         the bash completion script
//   resample_cli_tree subcommands  one line per subcommand: name, a tab, its description
// Built and run at build time only (man pages, completion); never installed.

#include <CLI/CLI.hpp>
#include <iostream>
#include <string_view>

#include "cli_tree.hpp"

int main(int argc, char** argv) {
  const std::string_view what = argc == 2 ? argv[1] : "";
  CLI::App app{"resample", "resample"};
  resample::cli::configure_app(app);
  if (what == "bash") {
    std::cout << resample::cli::bash_completion(app);
    return 0;
  }
  if (what == "subcommands") {
    for (const auto& command : resample::cli::subcommands_of(app))
      std::cout << command.name << '\t' << command.description << '\n';
    return 0;
  }
  std::cerr << "usage: resample_cli_tree bash|subcommands\n";
  return 2;
}
