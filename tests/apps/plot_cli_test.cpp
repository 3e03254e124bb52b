// Every command's --plot and the report's --plots: an SVG that real renderers open (rsvg-convert,
// headless Chromium), whose text stays inside the canvas and does not overlap other text, both by
// the layout's own estimate of 7 px per character and by the boxes the browser lays out; the
// estimate, every interval, the observed statistic, the target power, the required n and the
// nominal level labelled; other file types refused.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "support/browser_layout.hpp"
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

TEST_F(PlotCli, PowerMarksTheTargetAndTheRequiredSampleSize) {
  const auto file = path("p.svg").string();
  const auto r =
      run_cli("power --values 2,9,8,10,6,4 --n 3,4,5,6,8 --trials 400 --target-power 0.8 --plot '" + file +
              "' --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto required = nlohmann::json::parse(r.out).at("required_n").at(0).at("n");
  ASSERT_TRUE(required.is_number()) << r.out;
  const std::string svg = slurp(file);
  EXPECT_NE(svg.find(">target power 0.8<"), std::string::npos);
  EXPECT_NE(svg.find(">n = " + std::to_string(required.get<int>()) + " (signflip)<"), std::string::npos);
  expect_text_inside(svg);
  // A target the grid does not reach says so in the legend.
  const auto unreached = path("p_unreached.svg").string();
  ASSERT_EQ(run_cli("power --values 2,9,8,10,6,4 --n 3,4 --trials 100 --target-power 0.99 --plot '" +
                    unreached + "'")
                .exit_code,
            0);
  EXPECT_NE(slurp(unreached).find("(power 0.99 not reached by n = 4)"), std::string::npos);
}

TEST_F(PlotCli, CoverageIsADotPlotWithOneNamedRowPerMethod) {
  const auto file = path("c.svg").string();
  const auto r =
      run_cli("coverage --values 2,9,8,10,6,4 --n 6 --trials 100 --plot '" + file + "' --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string svg = slurp(file);
  EXPECT_EQ(svg.find("legend order"), std::string::npos);
  EXPECT_NE(svg.find(">nominal 95%<"), std::string::npos);
  // Each method's name is a row label at the left of the plot (text-anchor end), with the
  // parameter it covers when that is not the bootstrap's statistic.
  const auto result = nlohmann::json::parse(r.out);  // the loop below must not outlive it
  for (const auto& m : result.at("methods")) {
    const std::string name = m.at("method"), parameter = m.at("parameter");
    const std::string label = parameter == "mean" ? name : name + " (" + parameter + ")";
    EXPECT_NE(svg.find("text-anchor=\"end\">" + label + "</text>"), std::string::npos) << label;
  }
  expect_text_inside(svg);
  const auto sd = path("c_sd.svg").string();
  ASSERT_EQ(
      run_cli("coverage --stat sd --values 2,9,8,10,6,4 --n 6 --trials 20 --plot '" + sd + "'").exit_code, 0);
  EXPECT_NE(slurp(sd).find(">t (mean)</text>"), std::string::npos);
  EXPECT_NE(slurp(sd).find(">percentile</text>"), std::string::npos);
  // Several n: one dot per n in each row, named in a legend below the axis.
  const auto several = path("c_several.svg").string();
  ASSERT_EQ(run_cli("coverage --values 2,9,8,10,6,4 --n 5,8 --trials 50 --plot '" + several + "'").exit_code,
            0);
  const std::string svg2 = slurp(several);
  EXPECT_NE(svg2.find(">n = 5<"), std::string::npos);
  EXPECT_NE(svg2.find(">n = 8<"), std::string::npos);
}

// The real renderer's boxes: every figure of every command, on data at the paper's scale and a
// thousand times it (wider tick and interval labels), and all of the report's.
TEST_F(PlotCli, EveryFigureLaysOutInABrowserWithNoTextClippedOrOverlapping) {
  if (!resample::test::browser_available())
    GTEST_SKIP() << "chromium missing: scripts/test.sh installs it (scripts/install-deps.sh --tests)";
  std::vector<std::filesystem::path> figures;
  const auto draw = [&](const std::string& name, const std::string& command) {
    const auto file = path(name + ".svg");
    const auto r = run_cli(command + " --plot '" + file.string() + "'");
    ASSERT_EQ(r.exit_code, 0) << command << ": " << r.err;
    figures.push_back(file);
  };
  for (const auto& [scale, values] :
       {std::pair{"1", "2,9,8,10,6,4"}, std::pair{"1000", "2000,9000,8000,10000,6000,4000"}}) {
    const std::string suffix = std::string("_x") + scale;
    draw("bootstrap" + suffix, std::string("bootstrap --ci all --values ") + values);
    draw("bootstrap_median" + suffix, std::string("bootstrap --stat median --ci all --values ") + values);
    for (const std::string alternative : {"two-sided", "greater", "less"})
      draw("test_" + alternative + suffix,
           std::string("test --alternative ") + alternative + " --values " + values);
    draw("power" + suffix,
         std::string("power --n 3,4,5,6,8 --trials 200 --target-power 0.8 --values ") + values);
    draw("power_tests" + suffix,
         std::string("power --n 4,6,8 --trials 100 --test all --target-power 0.9 --values ") + values);
    draw("coverage" + suffix, std::string("coverage --n 6 --trials 50 --values ") + values);
    draw("coverage_n" + suffix, std::string("coverage --n 4,6,8 --trials 30 --values ") + values);
    draw("coverage_sd" + suffix, std::string("coverage --stat sd --n 6 --trials 30 --values ") + values);
  }
  const auto plots = path("report");
  const auto r =
      run_cli("report --plots '" + plots.string() + "' --out '" + path("report.txt").string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& entry : std::filesystem::directory_iterator(plots)) figures.push_back(entry.path());

  const auto layout = resample::test::lay_out_in_browser(figures, path("browser"));
  EXPECT_EQ(layout.figures, figures.size());
  EXPECT_GT(layout.texts, 10 * figures.size());
  for (const auto& line : layout.clipped) ADD_FAILURE() << "clipped: " << line;
  for (const auto& line : layout.overlapping) ADD_FAILURE() << "overlapping: " << line;
}

}  // namespace
