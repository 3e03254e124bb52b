#pragma once
// The resample binary's JSON output, parsed, for the command-line tests that compare numbers.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/cli_runner.hpp"

namespace resample::test {

// Runs `resample ARGS --format json` and expects exit 0; the parsed document, or an empty object
// when the run failed (the failure is already recorded, with the command line and its stderr).
inline nlohmann::json run_cli_json(const std::string& args) {
  const auto r = run_cli(args + " --format json");
  EXPECT_EQ(r.exit_code, 0) << r.args << "\n" << r.err;
  return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::object();
}

}  // namespace resample::test
