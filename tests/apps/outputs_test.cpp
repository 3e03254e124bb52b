// What --out, --plot and --plots do to the paths they are given (issue 14): a symbolic link stays a
// link and its target is replaced, a FIFO or device is written in place, an existing file keeps
// its mode, and a run that fails leaves no file at all. Also the strict option values of that
// issue (--seed, --improved-by, --split-blocks, --threads) and lone-CR line ends.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/cli_runner.hpp"
#include "support/scratch_directory.hpp"

namespace {

namespace fs = std::filesystem;
using resample::test::expect_usage_error;
using resample::test::expect_usage_errors;
using resample::test::run_cli;
using resample::test::slurp;
using resample::test::write_file;

const std::string small = "bootstrap --values 2,9,8,10,6,4 --json";

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

class OutputsTest : public resample::test::scratch_directory_test {
 protected:
  OutputsTest() : scratch_directory_test("resample_outputs_") {}

  // The names in the test directory, so that a stray temporary or plot file shows up.
  std::vector<std::string> names() const {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(dir_)) found.push_back(entry.path().filename().string());
    std::sort(found.begin(), found.end());
    return found;
  }
};

TEST_F(OutputsTest, SymlinkStaysALinkAndItsTargetIsReplacedKeepingItsMode) {
  const auto expected = run_cli(small);
  ASSERT_EQ(expected.exit_code, 0) << expected.err;
  fs::create_directories(path("elsewhere"));
  write_file(path("elsewhere/target.json"), "old");
  fs::permissions(path("elsewhere/target.json"), fs::perms(0640));
  fs::create_symlink("elsewhere/target.json", path("link.json"));
  const auto r = run_cli(small + " --out " + quoted(path("link.json")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(path("link.json")));
  EXPECT_EQ(slurp(path("elsewhere/target.json")), expected.out);
  EXPECT_EQ(fs::status(path("elsewhere/target.json")).permissions(), fs::perms(0640));
  EXPECT_EQ(names(), (std::vector<std::string>{"elsewhere", "link.json"}));
}

TEST_F(OutputsTest, ExistingFileKeepsItsPermissionBits) {
  for (const auto mode : {0600, 0644, 0664, 0444}) {
    SCOPED_TRACE(mode);
    write_file(path("out.json"), "old");
    fs::permissions(path("out.json"), fs::perms(mode));
    ASSERT_EQ(run_cli(small + " --out " + quoted(path("out.json"))).exit_code, 0);
    EXPECT_EQ(fs::status(path("out.json")).permissions(), fs::perms(mode));
    EXPECT_NE(slurp(path("out.json")), "old");
  }
}

TEST_F(OutputsTest, DanglingSymlinkCreatesItsTarget) {
  fs::create_symlink("made.json", path("link.json"));
  ASSERT_EQ(run_cli(small + " --out " + quoted(path("link.json"))).exit_code, 0);
  EXPECT_TRUE(fs::is_symlink(path("link.json")));
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(path("made.json"))));
}

TEST_F(OutputsTest, FifoIsWrittenAndStaysAFifo) {
  const auto expected = run_cli(small);
  ASSERT_EQ(::mkfifo(path("pipe").c_str(), 0600), 0);
  // A reader opened first (non-blocking) lets the run's open for writing return at once.
  const int reader = ::open(path("pipe").c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  const auto r = run_cli(small + " --out " + quoted(path("pipe")));
  std::string received;
  char buffer[4096];
  for (ssize_t n; (n = ::read(reader, buffer, sizeof buffer)) > 0;) received.append(buffer, std::size_t(n));
  ::close(reader);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(received, expected.out);
  EXPECT_TRUE(fs::is_fifo(fs::symlink_status(path("pipe"))));
  EXPECT_EQ(names(), std::vector<std::string>{"pipe"});
}

TEST_F(OutputsTest, SymlinkToDevNullLeavesTheDeviceAlone) {
  fs::create_symlink("/dev/null", path("null"));
  for (const std::string& args : {small, std::string("test --values 2,9,8,10,6,4")}) {
    const auto r = run_cli(args + " --out " + quoted(path("null")));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
  EXPECT_TRUE(fs::is_symlink(path("null")));
  EXPECT_TRUE(fs::is_character_file(fs::symlink_status("/dev/null")));
}

// After `> file` shared by a group of commands, /dev/stdout is the shell's descriptor: the text goes
// through it, between the other commands' lines, and the file is not replaced.
TEST_F(OutputsTest, DevStdoutWritesThroughTheShellsDescriptor) {
  const auto expected = run_cli(small);
  const std::string command = "{ echo first; '" + std::string(RESAMPLE_CLI) + "' " + small +
                              " --out /dev/stdout; echo last; } > " + quoted(path("group.txt"));
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_EQ(slurp(path("group.txt")), "first\n" + expected.out + "last\n");
  EXPECT_EQ(names(), std::vector<std::string>{"group.txt"});
}

// Each command that writes figures, with its main output sent where it cannot go (a directory
// that does not exist): exit 2, one line, and not one file left, figure or temporary.
TEST_F(OutputsTest, FailedRunLeavesNoFigure) {
  const std::string missing = quoted(path("missing/out.txt"));
  const std::vector<std::string> runs = {
      "power --values 2,9,8,10,6,4 --trials 20 --n 10 --plot " + quoted(path("p.svg")),
      "coverage --values 2,9,8,10,6,4 --trials 20 --n 10 --plot " + quoted(path("c.svg")),
      "report --plots " + quoted(path("plots")),
      "report --plots " + quoted(path("deeper/plots/")),
  };
  for (const auto& args : runs) {
    expect_usage_error(run_cli(args + " --out " + missing), "--out: cannot write");
    EXPECT_TRUE(names().empty()) << args;
  }
  // An --out under a regular file fails the same way, after the figures were made.
  write_file(path("file"), "");
  expect_usage_error(run_cli(runs[0] + " --out " + quoted(path("file/out.txt"))), "--out");
  EXPECT_EQ(names(), std::vector<std::string>{"file"});
}

TEST_F(OutputsTest, SuccessfulRunCommitsItsFigures) {
  ASSERT_EQ(run_cli("power --values 2,9,8,10,6,4 --trials 20 --n 10 --plot " + quoted(path("p.svg")) +
                    " --out " + quoted(path("p.txt")))
                .exit_code,
            0);
  ASSERT_EQ(run_cli("report --plots " + quoted(path("plots")) + " --out " + quoted(path("r.txt"))).exit_code,
            0);
  EXPECT_EQ(names(), (std::vector<std::string>{"p.svg", "p.txt", "plots", "r.txt"}));
  std::size_t figures = 0;
  for (const auto& entry : fs::directory_iterator(path("plots"))) {
    EXPECT_EQ(entry.path().extension(), ".svg") << entry.path();
    ++figures;
  }
  EXPECT_EQ(figures, 8u);
}

TEST(StrictOptionValues, SeedIsExactlyA64BitWholeNumber) {
  const std::string expected = "--seed: got '";
  for (const std::string prefix :
       {"bootstrap --values 2,9,8 --method mc --resamples 100", "test --values 2,9,8,10",
        "power --values 2,9,8 --trials 10 --n 5", "coverage --values 2,9,8 --trials 10 --n 5",
        "plan --values 2,9,8,10,6,4 --precision 0.5"}) {
    expect_usage_errors(prefix, {{"--seed -1", expected + "-1', expected a whole number from 0 to 2^64 - 1"},
                                 {"--seed 18446744073709551616", expected + "18446744073709551616'"},
                                 {"--seed 12345678901234567890123", expected + "12345678901234567890123'"},
                                 {"--seed ''", expected + "'"},
                                 {"--seed +5", expected + "+5'"},
                                 {"--seed 1e3", expected + "1e3'"},
                                 {"--seed ' 5'", expected + " 5'"}});
  }
  const auto top =
      run_cli("bootstrap --values 2,9,8 --method mc --resamples 100 --json --seed 18446744073709551615");
  ASSERT_EQ(top.exit_code, 0) << top.err;
  EXPECT_NE(top.out.find("\"seed\": 18446744073709551615"), std::string::npos) << top.out;
  EXPECT_EQ(run_cli("bootstrap --values 2,9,8 --method mc --resamples 100 --seed 0").exit_code, 0);
}

TEST(StrictOptionValues, ImprovedByIsFinite) {
  expect_usage_errors("test --values 2,9,8,10",
                      {{"--improved-by nan", "--improved-by: got 'nan', expected a finite number"},
                       {"--improved-by inf", "--improved-by: got 'inf'"},
                       {"--improved-by -inf", "--improved-by: got '-inf'"},
                       {"--improved-by 1e999", "--improved-by: got '1e999'"}});
  EXPECT_EQ(run_cli("test --values 2,9,8,10 --improved-by 3").exit_code, 0);
}

TEST(StrictOptionValues, SplitBlocksIsAWholeNumber) {
  expect_usage_errors(
      "batch jobs.json --out out.jsonl",
      {{"--split-blocks -3", "--split-blocks: got '-3', expected a whole number of blocks"},
       {"--split-blocks 1.5", "--split-blocks: got '1.5'"},
       {"--split-blocks 99999999999999999999", "--split-blocks: got '99999999999999999999'"}});
}

// More threads than cores: no TBB warning on stderr, and the same result as one thread.
TEST(StrictOptionValues, ThreadsAboveTheCoresAreQuietAndChangeNothing) {
  for (const std::string args :
       {"bootstrap --values 2,9,8,10,6,4 --method mc --resamples 20000",
        "test --values 2,9,8,10,6,4 --method mc", "power --values 2,9,8,10,6,4 --trials 20 --n 10",
        "coverage --values 2,9,8,10,6,4 --trials 20 --n 10"}) {
    const auto one = run_cli(args + " --threads 1");
    const auto many = run_cli(args + " --threads 4096");
    ASSERT_EQ(many.exit_code, 0) << many.args << "\n" << many.err;
    EXPECT_EQ(many.err, "") << many.args;
    EXPECT_EQ(many.out, one.out) << many.args;
  }
}

TEST_F(OutputsTest, LoneCarriageReturnsEndCsvLines) {
  const std::string lines[] = {"pre,post", "5,3", "4,4", "6,1", "7,2"};
  auto joined = [&](const std::string& end) {
    std::string text;
    for (const auto& line : lines) text += line + end;
    return text;
  };
  const std::string args = "bootstrap --data " + quoted(path("data.csv")) + " --pre pre --post post --json";
  write_file(path("data.csv"), joined("\n"));
  const auto lf = run_cli(args);
  ASSERT_EQ(lf.exit_code, 0) << lf.err;
  for (const std::string end : {"\r", "\r\n"}) {
    write_file(path("data.csv"), joined(end));
    const auto other = run_cli(args);
    EXPECT_EQ(other.exit_code, 0) << other.err;
    EXPECT_EQ(other.out, lf.out);
  }
  // Line numbers in messages count lone CRs as line ends too.
  write_file(path("data.csv"), "pre,post\r5,3\r4,x\r");
  expect_usage_error(run_cli(args), "data.csv:3:3: column 'post': expected a finite number");
}

// Every command reading pre/post names the file, row and column of a difference past the largest
// double, not the engine function that later met an infinity.
TEST_F(OutputsTest, OverflowingDifferenceNamesFileRowAndColumn) {
  write_file(path("data.csv"), "id,pre,post\n1,2,1\n2,1e308,-1e308\n3,4,2\n");
  const std::string input = " --data " + quoted(path("data.csv")) + " --pre pre --post post";
  for (const std::string command : {"bootstrap", "test", "plan --ci percentile --precision 0.5",
                                    "power --trials 10 --n 5", "coverage --trials 10 --n 5"})
    expect_usage_error(run_cli(command + input), "data.csv:3:3: column 'pre' minus column 'post' overflows");
}

TEST_F(OutputsTest, LoneCarriageReturnsEndJobFileLines) {
  write_file(path("jobs.json"),
             "{\"jobs\": [\r{\"id\": \"a\", \"command\": \"bootstrap\", \"values\": [2, 9, 8]}\r]}\r");
  const auto r = run_cli("batch " + quoted(path("jobs.json")) + " --out " + quoted(path("out.jsonl")));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  write_file(path("jobs.json"), "{\"jobs\": [\r\r  x]}");
  expect_usage_error(run_cli("batch " + quoted(path("jobs.json")) + " --out " + quoted(path("bad.jsonl"))),
                     "jobs.json:3:3: JSON syntax error");
}

}  // namespace
