#include "support/cli_runner.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace resample::test {

std::string slurp(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream s;
  s << file.rdbuf();
  return s.str();
}

void write_file(const std::filesystem::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

cli_result run_cli(const std::string& args, const std::string& environment) {
  // One name per process: ctest runs the tests of one binary in parallel processes.
  const std::string base = ::testing::TempDir() + "resample_cli_" + std::to_string(::getpid());
  const std::string out = base + ".out", err = base + ".err";
  const std::string command = environment + (environment.empty() ? "" : " ") + "'" +
                              std::string(RESAMPLE_CLI) + "' " + args + " >'" + out + "' 2>'" + err + "'";
  const int status = std::system(command.c_str());
  cli_result r{args, status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  std::remove(out.c_str());
  std::remove(err.c_str());
  return r;
}

void expect_usage_error(const cli_result& r, const std::string& fragment) {
  SCOPED_TRACE("resample " + r.args);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

void expect_usage_errors(const std::string& prefix, std::initializer_list<usage_error_case> cases) {
  for (const auto& c : cases) expect_usage_error(run_cli(prefix + " " + c.args), c.fragment);
}

cli_result expect_same_output_for_one_and_two_threads(const std::string& args) {
  const auto one = run_cli(args + " --threads 1");
  const auto two = run_cli(args + " --threads 2");
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(two.exit_code, 0) << two.err;
  // The JSON envelope echoes --threads (docs/json.md); everything else must be the same bytes.
  auto without_threads = [](const std::string& out) {
    auto j = nlohmann::json::parse(out, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return out;
    j.erase("threads");
    return j.dump(2);
  };
  EXPECT_EQ(without_threads(one.out), without_threads(two.out)) << "resample " << args;
  return one;
}

void expect_no_nan_or_inf(const std::string& out) {
  for (const char* word : {"nan", "NaN", "inf"})
    EXPECT_EQ(out.find(word), std::string::npos) << word << " in: " << out;
}

}  // namespace resample::test
