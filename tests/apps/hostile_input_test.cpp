// Hostile inputs against the real binary (RESAMPLE_CLI). Whatever the input, the process must end
// by itself (no signal, no timeout) with exit 0 and a result, or exit 2 and exactly one line on
// stderr that names the offending file or option. The files are made here, in a temporary
// directory, so that nothing hostile is committed.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "support/cli_runner.hpp"

namespace {

namespace fs = std::filesystem;

struct hostile_outcome {
  int exit_code = -1;  // -1: did not exit normally
  std::string out, err;
};

using resample::test::slurp;
using resample::test::write_file;

std::string paper_table() { return slurp(fs::path(RESAMPLE_SOURCE_DATA_DIR) / "gaughen2002_table1.csv"); }

class HostileInput : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("resample-hostile-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  // Runs the binary through the shell, bounded by `timeout 20`; exit code 124 means it hung and
  // 128 + N that signal N ended it, both of which the checks below reject.
  static hostile_outcome run(const std::string& arguments) {
    const fs::path out = dir_ / "stdout", err = dir_ / "stderr";
    const std::string command = "timeout 20 '" + std::string(RESAMPLE_CLI) + "' " + arguments + " >'" +
                                out.string() + "' 2>'" + err.string() + "' </dev/null";
    const int status = std::system(command.c_str());
    hostile_outcome o;
    if (status != -1 && WIFEXITED(status)) o.exit_code = WEXITSTATUS(status);
    o.out = slurp(out);
    o.err = slurp(err);
    return o;
  }

  // Like run(), but stdout goes to `target` instead of being captured.
  static hostile_outcome run_to(const std::string& arguments, const std::string& target) {
    const fs::path err = dir_ / "stderr";
    const std::string command = "timeout 20 '" + std::string(RESAMPLE_CLI) + "' " + arguments + " >" +
                                target + " 2>'" + err.string() + "' </dev/null";
    const int status = std::system(command.c_str());
    hostile_outcome o;
    if (status != -1 && WIFEXITED(status)) o.exit_code = WEXITSTATUS(status);
    o.err = slurp(err);
    return o;
  }

  static std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

  static hostile_outcome report(const fs::path& data) { return run("report --data " + quoted(data)); }

  // Exit 2 with one line on stderr that contains `needle`, and no result on stdout.
  static void expect_one_line_error(const hostile_outcome& o, const std::string& needle) {
    EXPECT_EQ(o.exit_code, 2) << o.err;
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err.substr(0, 2000);
    EXPECT_TRUE(!o.err.empty() && o.err.back() == '\n');
    EXPECT_NE(o.err.find(needle), std::string::npos)
        << "'" << needle << "' not in: " << o.err.substr(0, 2000);
    EXPECT_LT(o.err.size(), 2000u) << "a message should stay readable";
    EXPECT_TRUE(o.out.empty()) << o.out.substr(0, 200);
  }

  static inline fs::path dir_;
};

TEST_F(HostileInput, GarbageBytes) {
  std::mt19937 bits(20021001);
  std::string garbage(64 * 1024, ' ');
  for (char& c : garbage) c = static_cast<char>(1 + bits() % 255);  // no NUL: that case is below
  const fs::path file = dir_ / "garbage.csv";
  write_file(file, garbage);
  expect_one_line_error(report(file), file.string() + ":");
}

TEST_F(HostileInput, TenMegabyteLine) {
  // The paper's header, then one row whose age is ten million digits (too large for a double).
  const std::string table = paper_table();
  const auto header = table.find("\npatient,") + 1;
  const std::string head = table.substr(0, table.find('\n', header) + 1);
  const fs::path file = dir_ / "long_line.csv";
  // A second, ordinary row: the study needs two patients before it reads the claims' columns.
  write_file(file, head + "1,F," + std::string(10'000'000, '7') +
                       ",L1,167,L,R,3.5,1.5,10,0,0,0,10,8,1,0\n2,M,78,L2,18,B,R,15,5,10,5,2,1,10,1,2,1\n");
  expect_one_line_error(report(file),
                        file.string() + ":5:5: column 'age': expected a finite number, got '777");
}

TEST_F(HostileInput, MillionColumns) {
  std::string header, row;
  header.reserve(8'000'000);
  row.reserve(2'000'000);
  for (int i = 0; i < 1'000'000; ++i) {
    header += (i ? ",c" : "c") + std::to_string(i);
    row += i ? ",0" : "0";
  }
  const fs::path file = dir_ / "wide.csv";
  write_file(file, header + "\n" + row + "\n");
  const hostile_outcome o = report(file);
  expect_one_line_error(o, file.string() + ":1:1: no column named 'patient'");
  EXPECT_NE(o.err.find("(1000000 columns)"), std::string::npos) << o.err.substr(0, 2000);
}

TEST_F(HostileInput, TooManyCellsIsRefusedBeforeMemoryRunsOut) {
  // 1000 columns and 10001 rows of empty cells: just over the reader's 10^7-cell bound.
  std::string header, row, table;
  for (int i = 0; i < 1000; ++i) header += (i ? ",c" : "c") + std::to_string(i);
  row.assign(999, ',');
  row += '\n';
  table.reserve(header.size() + 1 + 10'001 * row.size());
  table = header + "\n";
  for (int i = 0; i < 10'001; ++i) table += row;
  const fs::path file = dir_ / "many_cells.csv";
  write_file(file, table);
  expect_one_line_error(report(file), file.string() + ":10002:1: more than 10000000 cells (1000 columns)");
}

TEST_F(HostileInput, BinaryFileWithNul) {
  std::string binary =
      "\x7f"
      "ELF\x02\x01\x01";
  binary += std::string(16, '\0');
  binary += "age,interval_days\n1,2\n";
  const fs::path file = dir_ / "binary.csv";
  write_file(file, binary);
  expect_one_line_error(report(file), file.string() + ":1:1: binary data");
}

TEST_F(HostileInput, EmptyFile) {
  const fs::path file = dir_ / "empty.csv";
  write_file(file, "");
  expect_one_line_error(report(file), file.string() + ":1:1: empty file");
}

TEST_F(HostileInput, HeaderWithoutRows) {
  const std::string table = paper_table();
  const auto header = table.find("\npatient,") + 1;
  const fs::path file = dir_ / "header_only.csv";
  write_file(file, table.substr(0, table.find('\n', header) + 1));
  expect_one_line_error(report(file), file.string() + ":");
}

TEST_F(HostileInput, DirectoryAsData) {
  const fs::path sub = dir_ / "a_directory";
  fs::create_directories(sub);
  expect_one_line_error(report(sub), sub.string() + ": is a directory");
}

TEST_F(HostileInput, MissingFile) {
  const fs::path file = dir_ / "does_not_exist.csv";
  expect_one_line_error(report(file), file.string() + ": cannot open");
}

TEST_F(HostileInput, NoNewlineAtEndAndCrlfWithBomGiveTheSameReport) {
  const std::string table = paper_table();
  const fs::path plain = dir_ / "plain.csv", no_newline = dir_ / "no_newline.csv",
                 crlf = dir_ / "crlf_bom.csv";
  write_file(plain, table);
  ASSERT_EQ(table.back(), '\n');
  write_file(no_newline, table.substr(0, table.size() - 1));
  std::string windows = "\xEF\xBB\xBF";
  for (char c : table) windows += c == '\n' ? std::string("\r\n") : std::string(1, c);
  write_file(crlf, windows);

  // The first line and the Input block name the data file; the rest is the result.
  const auto body = [](const hostile_outcome& o, const fs::path& file) {
    std::string text = o.out.substr(o.out.find('\n'));
    for (auto at = text.find(file.string()); at != std::string::npos; at = text.find(file.string()))
      text.replace(at, file.string().size(), "FILE");
    return text;
  };
  const hostile_outcome reference = report(plain);
  ASSERT_EQ(reference.exit_code, 0) << reference.err;
  EXPECT_NE(reference.out.find("16 of 16 match"), std::string::npos) << reference.out;
  for (const fs::path& variant : {no_newline, crlf}) {
    const hostile_outcome o = report(variant);
    EXPECT_EQ(o.exit_code, 0) << variant << ": " << o.err;
    EXPECT_TRUE(o.err.empty()) << o.err;
    EXPECT_EQ(body(o, variant), body(reference, plain)) << variant;
  }
}

TEST_F(HostileInput, UnknownSubcommand) { expect_one_line_error(run("frobnicate"), "'frobnicate'"); }

TEST_F(HostileInput, UnknownOption) { expect_one_line_error(run("report --frobnicate"), "--frobnicate"); }

TEST_F(HostileInput, OutIntoMissingDirectory) {
  const fs::path missing = dir_ / "no_such_dir";
  expect_one_line_error(run("report --out " + quoted(missing / "r.txt")), "--out");
  EXPECT_FALSE(fs::exists(missing));
}

TEST_F(HostileInput, OutIntoADirectoryLeavesNothingBehind) {
  const fs::path target = dir_ / "out_dir";
  fs::create_directories(target);
  expect_one_line_error(run("report --out " + quoted(target)), "--out");
  EXPECT_TRUE(fs::is_empty(target));
  for (const auto& entry : fs::directory_iterator(dir_))
    EXPECT_EQ(entry.path().filename().string().find("out_dir.tmp"), std::string::npos) << entry.path();
}

TEST_F(HostileInput, FullDiskOnStdoutIsNotSuccess) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full on this system";
  expect_one_line_error(run_to("report", "/dev/full"), "stdout: writing the result failed");
}

TEST_F(HostileInput, OutWritesTheWholeResultAndNoTemporary) {
  // The positive control for the two cases above.
  const fs::path target = dir_ / "written" / "report.json";
  fs::create_directories(target.parent_path());
  const hostile_outcome o = run("report --json --out " + quoted(target));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_TRUE(o.out.empty());
  EXPECT_NE(slurp(target).find("\"descriptive\""), std::string::npos);
  EXPECT_EQ(std::distance(fs::directory_iterator(target.parent_path()), fs::directory_iterator{}), 1);
}

}  // namespace
