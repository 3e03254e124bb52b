// The report as a user runs it: the real binary, its JSON, its SVG figures through a real renderer.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "support/cli_runner.hpp"

namespace {

using resample::test::expect_usage_error;
using resample::test::run_cli;

std::filesystem::path fresh_directory(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("resample-report-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(ReportCommand, JsonHoldsEveryTreatmentAndOutcome) {
  const auto r = run_cli("report --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["effects"].size(), 4u);
  for (const auto& e : doc["effects"]) {
    EXPECT_TRUE(e["estimate"].is_number());
    ASSERT_EQ(e["bootstrap"]["intervals"].size(), 2u);
    EXPECT_EQ(e["bootstrap"]["mode"], "exact");
    for (const auto& t : e["tests"]) EXPECT_TRUE(t["p_value"].is_number()) << t;
    EXPECT_TRUE(e["hodges_lehmann"]["lower"].is_number());
    EXPECT_TRUE(e["verdict"].is_string());
  }
  EXPECT_EQ(doc["effects"][2]["id"], "repeat_pain");
  EXPECT_DOUBLE_EQ(doc["effects"][2]["bootstrap"]["intervals"][1]["lower"].get<double>(), 4.0);
  for (const auto& f : doc["descriptive"]) EXPECT_TRUE(f["matches"].get<bool>()) << f;
}

TEST(ReportCommand, IsIdenticalFromRunToRunAndInEveryFormat) {
  const auto first = run_cli("report"), second = run_cli("report");
  ASSERT_EQ(first.exit_code, 0);
  EXPECT_EQ(first.out, second.out);
  EXPECT_EQ(first.err, second.err);
  EXPECT_NE(first.out.find("16 of 16 match"), std::string::npos);
  EXPECT_EQ(first.out.find("\x1b["), std::string::npos) << "no colour when stdout is not a terminal";
  const auto markdown = run_cli("report --format markdown");
  ASSERT_EQ(markdown.exit_code, 0);
  EXPECT_NE(markdown.out.find("| claim in the paper"), std::string::npos);
}

TEST(ReportCommand, SvgFiguresRenderToNonBlankImages) {
  if (std::system("command -v rsvg-convert >/dev/null && command -v pngtopnm >/dev/null") != 0)
    GTEST_SKIP() << "rsvg-convert/pngtopnm missing: run scripts/install-deps.sh";
  const auto dir = fresh_directory("plots");
  const auto r = run_cli("report --plots " + dir.string() + " --out " + (dir / "report.txt").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* name : {"repeat_pain_bootstrap", "repeat_mobility_sign_flip_null"}) {
    const auto svg = dir / (std::string(name) + ".svg");
    ASSERT_TRUE(std::filesystem::exists(svg)) << svg;
    const auto ppm = dir / (std::string(name) + ".ppm");
    ASSERT_EQ(std::system(("rsvg-convert " + svg.string() + " | pngtopnm > " + ppm.string()).c_str()), 0);
    std::ifstream in(ppm, std::ios::binary);
    std::string magic;
    int width = 0, height = 0, maxval = 0;
    in >> magic >> width >> height >> maxval;
    in.get();
    ASSERT_EQ(magic, "P6");
    ASSERT_GT(width * height, 0);
    std::string pixels((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_EQ(pixels.size(), static_cast<std::size_t>(width) * height * 3);
    std::size_t coloured = 0;
    for (std::size_t i = 0; i + 2 < pixels.size(); i += 3)
      coloured +=
          (pixels[i] != pixels[i + 1] || pixels[i + 1] != pixels[i + 2]) ? 1 : 0;  // not grey/white/black
    EXPECT_GT(coloured, static_cast<std::size_t>(width) * height / 50)
        << name << ": the bars should be visible";
  }
  std::filesystem::remove_all(dir);
}

TEST(ReportCommand, BadInputExitsTwoWithOneLine) {
  const auto missing = run_cli("report --data /nonexistent/missing.csv");
  expect_usage_error(missing, "/nonexistent/missing.csv");

  const auto dir = fresh_directory("bad");
  const auto csv = dir / "malformed.csv";
  std::ofstream(csv) << "patient,age\n1,66\n2,abc\n";
  // Not the shipped study's columns: the first one it needs is named.
  expect_usage_error(run_cli("report --data " + csv.string()), csv.string() + ":1:1: no column named");
  // The shipped table with one bad cell: its line and column.
  std::ifstream shipped(RESAMPLE_SOURCE_DATA_DIR "/gaughen2002_table1.csv");
  std::string table((std::istreambuf_iterator<char>(shipped)), std::istreambuf_iterator<char>());
  const auto row = table.find("\n2,M,78,L2,18,B,R,15,5,10,5,2,1,10,1,2,1");
  ASSERT_NE(row, std::string::npos);
  table.replace(row, 7, "\n2,M,abc");
  std::ofstream(csv) << table;
  const auto malformed = run_cli("report --data " + csv.string());
  expect_usage_error(malformed, csv.string() + ":6:5: column 'age': expected a finite number, got 'abc'");

  EXPECT_EQ(run_cli("report --conf 1.5").exit_code, 2);
  EXPECT_EQ(run_cli("report --format pdf").exit_code, 2);
  std::filesystem::remove_all(dir);
}

}  // namespace
