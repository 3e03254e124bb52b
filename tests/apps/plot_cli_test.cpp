// bootstrap --plot and test --plot: an SVG that a real renderer opens, whose text stays inside the
// canvas (by the renderer's own width estimate of 7 px per character at the figures' font size),
// with the estimate, every interval and the observed statistic labelled; other file types refused.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "support/cli_runner.hpp"
#include "support/scratch_directory.hpp"

namespace {

using resample::test::run_cli;
using resample::test::slurp;

class PlotCli : public resample::test::scratch_directory_test {
 protected:
  PlotCli() : scratch_directory_test("plot_cli_") {}

  // Every <text> inside the canvas: x within [0, width] and its estimated extent too.
  static void expect_text_inside(const std::string& svg) {
    std::smatch size;
    ASSERT_TRUE(
        std::regex_search(svg, size, std::regex(R"re(<svg [^>]*width="([0-9.]+)" height="([0-9.]+)")re")));
    const double width = std::stod(size[1]), height = std::stod(size[2]);
    const std::regex text(R"re(<text x="([0-9.-]+)" y="([0-9.-]+)"([^>]*)>([^<]*)</text>)re");
    int count = 0;
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), text); it != std::sregex_iterator(); ++it) {
      const double x = std::stod((*it)[1]), y = std::stod((*it)[2]);
      const double extent = 7.0 * static_cast<double>((*it)[4].length());
      const bool end = (*it)[3].str().find("text-anchor=\"end\"") != std::string::npos;
      const bool middle = (*it)[3].str().find("text-anchor=\"middle\"") != std::string::npos;
      const double from = end ? x - extent : middle ? x - extent / 2 : x;
      const double to = end ? x : middle ? x + extent / 2 : x + extent;
      EXPECT_GE(from, 0.0) << (*it)[4];
      EXPECT_LE(to, width + 1) << (*it)[4] << " at x = " << x;
      EXPECT_GT(y, 0.0) << (*it)[4];
      EXPECT_LE(y, height) << (*it)[4];
      ++count;
    }
    EXPECT_GT(count, 5);
  }

  static void expect_renders(const std::string& path) {
    if (std::system("command -v rsvg-convert > /dev/null 2>&1") != 0)
      GTEST_SKIP() << "rsvg-convert not installed";
    EXPECT_EQ(std::system(("rsvg-convert '" + path + "' -o '" + path + ".png'").c_str()), 0) << path;
  }
};

TEST_F(PlotCli, BootstrapDrawsTheDistributionEstimateAndEveryInterval) {
  const auto file = path("b.svg").string();
  const auto r = run_cli("bootstrap --values 2,9,8,10,6,4 --ci all --plot '" + file + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string svg = slurp(file);
  for (const std::string label : {"observed mean 6.5000", "95% percentile [4.1667, 8.6667]",
                                  "95% BCa [4.0000, 8.5000]", "95% calibrated"})
    EXPECT_NE(svg.find(label), std::string::npos) << label;
  expect_text_inside(svg);
  expect_renders(file);
}

TEST_F(PlotCli, TestDrawsTheNullWithTheObservedStatisticInside) {
  for (const std::string alternative : {"two-sided", "greater", "less"}) {
    const auto file = path("t_" + alternative + ".svg").string();
    const auto r =
        run_cli("test --values 2,9,8,10,6,4 --alternative " + alternative + " --plot '" + file + "'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string svg = slurp(file);
    EXPECT_NE(svg.find("observed 6.5"), std::string::npos);
    EXPECT_NE(svg.find("#d62728"), std::string::npos) << alternative << ": no region drawn";
    expect_text_inside(svg);
    expect_renders(file);
  }
}

TEST_F(PlotCli, OnlySvgFilesAndOnlyWhatCanBeDrawn) {
  resample::test::expect_usage_errors(
      "",
      {
          {"bootstrap --values 2,9,8 --plot x.jpg", "--plot: got 'x.jpg', expected a FILE.svg or FILE.png"},
          {"test --values 2,9,8 --plot x.pdf", "--plot: got 'x.pdf', expected a FILE.svg or FILE.png"},
          {"power --values 2,9,8 --n 5 --trials 10 --plot x.svg.gz", "--plot: got 'x.svg.gz'"},
          {"coverage --values 2,9,8 --n 5 --trials 10 --plot x", "--plot: got 'x'"},
          {"test --values 2,9,8 --test sign --plot " + path("s.svg").string(), "--plot: draws the sign-flip"},
          {"test --values 2,9,8,10,6,4,3,1,5,7,2,8 --method mc --plot " + path("m.svg").string(),
           "--plot: the exact null distribution is not available"},
      });
}

TEST_F(PlotCli, PngIsRenderedOrRefusedNeverSvgBytes) {
  if (std::system("command -v rsvg-convert >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "rsvg-convert missing: run scripts/install-deps.sh";
  const std::string png_magic = "\x89PNG\r\n\x1a\n";
  for (const std::string& command : {std::string("bootstrap --values 2,9,8,10,6,4 --plot "),
                                     std::string("test --values 2,9,8,10,6,4 --plot "),
                                     std::string("power --values 2,9,8 --n 5 --trials 50 --plot "),
                                     std::string("coverage --values 2,9,8 --n 5 --trials 50 --plot ")}) {
    const auto file = path(command.substr(0, command.find(' ')) + ".png");
    const auto r = resample::test::run_cli(command + file.string());
    ASSERT_EQ(r.exit_code, 0) << command << r.err;
    std::ifstream in(file, std::ios::binary);
    std::string head(png_magic.size(), '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    EXPECT_EQ(head, png_magic) << command;
  }
  // The report's --plots in PNG, listed in its output.
  const auto dir = path("report-png");
  const auto r =
      resample::test::run_cli("report --plots " + dir.string() + " --plots-format png --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto listed = nlohmann::json::parse(r.out).at("figures");
  ASSERT_EQ(listed.size(), 8u);
  for (const auto& f : listed) EXPECT_TRUE(std::filesystem::exists(f.get<std::string>())) << f;
  // Without the renderer on PATH a .png is refused up front and nothing is written.
  const auto refused = resample::test::run_cli("bootstrap --values 2,9,8 --plot " + path("none.png").string(),
                                               "PATH=/nonexistent");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("needs rsvg-convert (Debian package librsvg2-bin)"), std::string::npos)
      << refused.err;
  EXPECT_FALSE(std::filesystem::exists(path("none.png")));
}

}  // namespace
