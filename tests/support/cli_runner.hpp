// The resample binary (RESAMPLE_CLI) run as a user runs it, for the tests of its command line.

#pragma once

#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>

namespace resample::test {

struct cli_result {
  std::string args;    // as run, so that a failure names the command line
  int exit_code = -1;  // -1: did not exit normally
  std::string out;
  std::string err;
};

std::string slurp(const std::filesystem::path& path);

// Replaces the file's contents with TEXT, byte for byte.
void write_file(const std::filesystem::path& path, std::string_view text);

// Runs `resample ARGS` through the shell (ARGS are already shell words) to completion, with stdout
// and stderr captured apart. ENVIRONMENT, if any, is "NAME=value" words set for that process only.
cli_result run_cli(const std::string& args, const std::string& environment = "");

// Exit 2, exactly one line on stderr that contains FRAGMENT, and nothing on stdout: what the
// command line promises for bad input.
void expect_usage_error(const cli_result& r, const std::string& fragment);

// One bad-input case for expect_usage_errors: the arguments after the common prefix, and a
// fragment the one line on stderr must contain.
struct usage_error_case {
  std::string args;
  std::string fragment;
};

// expect_usage_error for `resample PREFIX ARGS` of every case, in order.
void expect_usage_errors(const std::string& prefix, std::initializer_list<usage_error_case> cases);

// A seeded run must not depend on the thread count: runs `resample ARGS` with --threads 1 and
// --threads 2, expects both to succeed with the same stdout byte for byte, returns the first.
cli_result expect_same_output_for_one_and_two_threads(const std::string& args);

// The output contracts print null or a note where a number is undefined, never NaN or infinity.
void expect_no_nan_or_inf(const std::string& out);

}  // namespace resample::test
