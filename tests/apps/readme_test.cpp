// The README quotes the report verbatim (scripts/update-docs.sh writes it); this keeps it true.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/cli_runner.hpp"

namespace {

TEST(ReadmeTest, ReportBlockIsTheProgramsOutput) {
  const std::filesystem::path path = RESAMPLE_SOURCE_DATA_DIR "/../README.md";
  ASSERT_TRUE(std::filesystem::exists(path)) << "README.md not found";
  const std::string readme = resample::test::slurp(path);
  const std::string begin = "<!-- report:begin -->\n```text\n", end = "```\n<!-- report:end -->";
  const auto from = readme.find(begin), to = readme.find(end);
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  const std::string quoted = readme.substr(from + begin.size(), to - from - begin.size());

  const auto report = resample::test::run_cli("report");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_EQ(quoted, report.out) << "README.md is stale: run scripts/update-docs.sh";
}

}  // namespace
