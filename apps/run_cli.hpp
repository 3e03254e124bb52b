#pragma once
// The whole command line as a function, so that tests and fuzz targets can drive it in-process.

namespace CLI {
class App;
}

namespace resample::cli {

// Adds every subcommand to `app`, in the order --help lists them (the option vocabulary test walks
// their definitions).
void register_commands(CLI::App& app);

// Parses argv and runs the chosen subcommand. Never calls exit(); returns the exit code:
// 0 success, 2 bad input or usage (exactly one line on stderr naming the option or file:line:column),
// 1 an internal failure. argv[0] is the program name, as for main().
int run_cli(int argc, const char* const* argv);

}  // namespace resample::cli
