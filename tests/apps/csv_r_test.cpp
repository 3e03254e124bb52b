// --format csv and tsv as R reads them: read.csv and read.delim (R is a Debian package, installed by
// scripts/install-deps.sh --tests) give every command's columns, types and values, equal to the
// cells the program wrote: numbers to the last bit, logicals as logicals, text with its commas and
// quotes intact.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "resample/study/csv.hpp"
#include "support/cli_runner.hpp"

namespace {

using resample::test::run_cli;

// Prints, per column: its name, R's class, then one line per row (numbers with 17 significant
// digits, logicals in lower case, NA as NA).
const char* r_dump = R"R(
args <- commandArgs(TRUE)
d <- if (args[2] == "tsv") read.delim(args[1], check.names = FALSE) else read.csv(args[1], check.names = FALSE)
out <- c(as.character(ncol(d)), as.character(nrow(d)))
for (j in seq_along(d)) {
  x <- d[[j]]
  v <- if (is.numeric(x)) sprintf("%.17g", x) else if (is.logical(x)) tolower(as.character(x)) else as.character(x)
  v[is.na(x)] <- "NA"
  out <- c(out, names(d)[j], class(x)[1], v)
}
writeLines(out, args[3])
)R";

std::vector<std::string> lines_of(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

class CsvInR : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("command -v Rscript >/dev/null 2>&1") != 0)
      GTEST_SKIP() << "Rscript missing: scripts/test.sh installs it (scripts/install-deps.sh --tests)";
    dir_ = std::filesystem::temp_directory_path() / ("resample-csv-r-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "dump.R") << r_dump;
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  void expect_r_reads(const std::string& command, const std::string& format) {
    SCOPED_TRACE(command + " --format " + format);
    const auto file = dir_ / ("out." + format);
    const auto r = run_cli(command + " --format " + format + " --out '" + file.string() + "'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(file);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    resample::csv_dialect dialect;
    dialect.delimiter = format == "tsv" ? '\t' : ',';
    const auto table = resample::parse_csv(text, file.string(), dialect);
    const auto dump = dir_ / "dump.txt";
    const std::string rscript = "Rscript '" + (dir_ / "dump.R").string() + "' '" + file.string() + "' " +
                                format + " '" + dump.string() + "' 2> '" + (dir_ / "r.err").string() + "'";
    ASSERT_EQ(std::system(rscript.c_str()), 0) << lines_of(dir_ / "r.err").size();
    const auto got = lines_of(dump);
    ASSERT_GE(got.size(), 2u);
    ASSERT_EQ(got[0], std::to_string(table.columns.size()));
    ASSERT_EQ(got[1], std::to_string(table.rows.size()));
    std::size_t at = 2;
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      ASSERT_LT(at + 1 + table.rows.size(), got.size() + 1);
      EXPECT_EQ(got[at], table.columns[c]);
      const std::string r_class = got[at + 1];
      at += 2;
      for (std::size_t row = 0; row < table.rows.size(); ++row, ++at) {
        const std::string mine = table.rows[row].fields[c].text, theirs = got[at];
        SCOPED_TRACE(table.columns[c] + " row " + std::to_string(row + 1) + " (" + r_class + ")");
        if (mine.empty()) {
          EXPECT_TRUE(theirs == "NA" || theirs.empty()) << theirs;
        } else if (r_class == "numeric" || r_class == "integer") {
          EXPECT_EQ(std::strtod(mine.c_str(), nullptr), std::strtod(theirs.c_str(), nullptr))
              << mine << " vs " << theirs;
        } else {
          EXPECT_EQ(mine, theirs);
        }
      }
    }
  }
  std::filesystem::path dir_;
};

TEST_F(CsvInR, EveryCommandsCsvAndTsvReadToTheSameCells) {
  const std::string study = " --study '" + std::string(RESAMPLE_TEST_DATA_DIR) + "/study/trial.json'";
  for (const std::string& command :
       {std::string("report"), "report --by arm" + study, "test --test all" + study,
        std::string("bootstrap --values 2,9,8,10,6,4 --ci all"),
        std::string("power --values 2,9,8 --n 5,8 --trials 200"),
        std::string("coverage --values 2,9,8 --n 5 --trials 100"),
        std::string("plan --values 2,9,8,10,6,4 --ci percentile --precision 0.05")})
    for (const char* format : {"csv", "tsv"}) expect_r_reads(command, format);
}

}  // namespace
