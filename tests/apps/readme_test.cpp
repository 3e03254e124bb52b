// The README quotes the report verbatim (scripts/update-docs.sh writes it); this keeps it true.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace {

TEST(ReadmeTest, ReportBlockIsTheProgramsOutput) {
  std::ifstream in(RESAMPLE_DATA_DIR "/../README.md");
  ASSERT_TRUE(in) << "README.md not found";
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string readme = buffer.str();
  const std::string begin = "<!-- report:begin -->\n```text\n", end = "```\n<!-- report:end -->";
  const auto from = readme.find(begin), to = readme.find(end);
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  const std::string quoted = readme.substr(from + begin.size(), to - from - begin.size());

  FILE* pipe = ::popen((std::string(RESAMPLE_CLI) + " report").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string actual;
  char chunk[4096];
  while (std::size_t got = std::fread(chunk, 1, sizeof chunk, pipe)) actual.append(chunk, got);
  ASSERT_EQ(::pclose(pipe), 0);
  EXPECT_EQ(quoted, actual) << "README.md is stale: run scripts/update-docs.sh";
}

}  // namespace
