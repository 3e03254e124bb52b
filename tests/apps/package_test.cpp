// What the installed package derives from the command line: the bash completion (generated from
// the CLI11 definitions, then run through bash here), the man pages, and the data directory the
// binary finds without any compiled-in path.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli_tree.hpp"
#include "support/cli_runner.hpp"
#include "support/scratch_directory.hpp"

namespace {

namespace fs = std::filesystem;
using resample::test::run_cli;
using resample::test::slurp;

// The build tree has the installed layout next to bin/: share/bash-completion, share/man, share/resample.
const fs::path build_share = fs::path(RESAMPLE_CLI).parent_path().parent_path() / "share";

class PackageTest : public resample::test::scratch_directory_test {
 protected:
  PackageTest() : scratch_directory_test("resample-package-test-") {}
};

// Output of a bash script run with the completion sourced.
std::string run_bash(const fs::path& script) {
  const std::string command = "bash '" + script.string() + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return "popen failed";
  std::string out;
  char buffer[4096];
  for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, got);
  const int status = ::pclose(pipe);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) out += "\n(bash failed)";
  return out;
}

TEST_F(PackageTest, CompletionFileIsTheOneTheDefinitionsGive) {
  CLI::App app{"resample", "resample"};
  resample::cli::configure_app(app);
  EXPECT_EQ(slurp(build_share / "bash-completion" / "completions" / "resample"),
            resample::cli::bash_completion(app))
      << "the build's completion file is stale";
}

TEST_F(PackageTest, CompletionCompletesEverySubcommandAndEachOfItsOptions) {
  CLI::App app{"resample", "resample"};
  resample::cli::configure_app(app);
  const auto commands = resample::cli::subcommands_of(app);
  ASSERT_GE(commands.size(), 7u);
  std::ostringstream script;
  script << "source '" << (build_share / "bash-completion" / "completions" / "resample").string() << "'\n"
         << "COMP_WORDS=(resample ''); COMP_CWORD=1; _resample; echo \"top: ${COMPREPLY[*]}\"\n";
  for (const auto& command : commands)
    script << "COMP_WORDS=(resample " << command.name << " --); COMP_CWORD=2; _resample; echo \""
           << command.name << ": ${COMPREPLY[*]} \"\n";
  std::ofstream(path("complete.sh")) << script.str();
  const std::string out = run_bash(path("complete.sh"));
  std::istringstream lines(out);
  std::string top;
  std::getline(lines, top);
  for (const auto& command : commands) {
    EXPECT_NE(top.find(" " + command.name), std::string::npos) << command.name << " not in " << top;
    std::string line;
    while (std::getline(lines, line) && line.rfind(command.name + ": ", 0) != 0) {
    }
    ASSERT_FALSE(line.empty()) << command.name << ": no completion line in\n" << out;
    for (const auto& option : command.options) {
      for (const auto& name : option.names) {
        if (name.rfind("--", 0) != 0) continue;
        EXPECT_NE(line.find(" " + name + " "), std::string::npos)
            << command.name << " " << name << ": " << line;
      }
    }
  }
  // The two completions of the README's Install section.
  std::ofstream(path("readme.sh"))
      << "source '" << (build_share / "bash-completion" / "completions" / "resample").string()
      << "'\nCOMP_WORDS=(resample boo); COMP_CWORD=1; _resample; echo \"${COMPREPLY[*]}\"\n"
         "COMP_WORDS=(resample bootstrap --sta); COMP_CWORD=2; _resample; "
         "echo \"${COMPREPLY[*]}\"\n";
  EXPECT_EQ(run_bash(path("readme.sh")), "bootstrap\n--stat\n");
}

TEST_F(PackageTest, EverySubcommandHasAManPageWhenManPagesAreBuilt) {
  if (!fs::exists(build_share / "man" / "man1" / "resample.1"))
    GTEST_SKIP() << "built without RESAMPLE_MAN_PAGES";
  CLI::App app{"resample", "resample"};
  resample::cli::configure_app(app);
  for (const auto& command : resample::cli::subcommands_of(app)) {
    const auto page = build_share / "man" / "man1" / ("resample-" + command.name + ".1");
    ASSERT_TRUE(fs::exists(page)) << page;
    EXPECT_NE(slurp(page).find("RESAMPLE-" +
                               [&] {
                                 std::string upper = command.name;
                                 for (char& c : upper)
                                   c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                                 return upper;
                               }()),
              std::string::npos);
  }
}

TEST_F(PackageTest, ReportFindsItsDataNextToTheBinaryOrInResampleDataDir) {
  EXPECT_TRUE(fs::exists(build_share / "resample" / "gaughen2002_table1.csv"));
  const auto plain = run_cli("report");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.out.find("16 of 16 match"), std::string::npos);

  fs::create_directories(path("data"));
  for (const char* file : {"gaughen2002_table1.csv", "example_study.json", "gaughen2002_claims.json"})
    fs::copy_file(build_share / "resample" / file, path("data") / file);
  const auto given = run_cli("report", "RESAMPLE_DATA_DIR='" + path("data").string() + "'");
  ASSERT_EQ(given.exit_code, 0) << given.err;
  EXPECT_EQ(given.out, plain.out)
      << "the table is named data/gaughen2002_table1.csv wherever it is read from";

  const auto missing = run_cli("report", "RESAMPLE_DATA_DIR='" + path("nowhere").string() + "'");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find((path("nowhere") / "example_study.json").string()), std::string::npos)
      << missing.err;
}

TEST_F(PackageTest, HelpNamesNoAbsolutePath) {
  const auto help = run_cli("report --help");
  ASSERT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.out.find(build_share.parent_path().string()), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("installed data directory"), std::string::npos) << help.out;
}

}  // namespace
