// The HTML report: one self-contained file (no network, figures inline) that a real browser opens
// and renders, every figure laid out, and whose text says the same numbers as the Markdown report.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "support/cli_runner.hpp"

namespace {

using resample::test::run_cli;

using resample::test::slurp;

// The numbers of a text, in order (what a reader compares between two renderings).
std::vector<std::string> numbers_of(const std::string& text) {
  static const std::regex number(R"(-?[0-9]+(\.[0-9]+)?)");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), number); it != std::sregex_iterator(); ++it)
    out.push_back(it->str());
  return out;
}

// The visible text of an HTML page without its figures, scripts and styles: tags dropped,
// the five entities the report writes decoded.
std::string visible_text(std::string html) {
  for (const char* element : {"figure", "script", "style", "title"}) {
    const std::regex block("<" + std::string(element) + "[^>]*>[\\s\\S]*?</" + element + ">");
    html = std::regex_replace(html, block, " ");
  }
  html = std::regex_replace(html, std::regex("<[^>]*>"), " ");
  for (const auto& [entity, character] :
       {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&amp;", "&"}})
    html = std::regex_replace(html, std::regex(entity), character);
  return html;
}

class ReportHtml : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("resample-report-html-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    file_ = dir_ / "report.html";
    const auto r = run_cli("report --format html --out '" + file_.string() + "'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    html_ = slurp(file_);
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_, file_;
  std::string html_;
};

TEST_F(ReportHtml, IsOneSelfContainedFileWithEveryFigureInline) {
  EXPECT_EQ(html_.rfind("<!DOCTYPE html>", 0), 0u);
  // Nothing is fetched: no src or href attribute, no stylesheet link, no external script.
  for (const char* fetch : {"src=", "href=", "<link", "@import", "url("})
    EXPECT_EQ(html_.find(fetch), std::string::npos) << fetch;
  // The figures --plots writes, each inline.
  const auto plots = dir_ / "plots";
  ASSERT_EQ(
      run_cli("report --plots '" + plots.string() + "' --out '" + (dir_ / "r.txt").string() + "'").exit_code,
      0);
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(plots)) {
    ++count;
    EXPECT_NE(html_.find("<figure id=\"" + entry.path().stem().string() + "\">"), std::string::npos)
        << entry.path();
  }
  EXPECT_EQ(count, 8u);
  EXPECT_NE(html_.find("<body data-figures=\"8\">"), std::string::npos);
}

TEST_F(ReportHtml, TextSaysTheMarkdownsNumbers) {
  const auto markdown = run_cli("report --format markdown");
  ASSERT_EQ(markdown.exit_code, 0) << markdown.err;
  EXPECT_EQ(numbers_of(visible_text(html_)), numbers_of(markdown.out));
}

TEST_F(ReportHtml, RendersInAHeadlessBrowserWithEveryFigureLaidOut) {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "chromium missing: scripts/test.sh installs it (scripts/install-deps.sh --tests)";
  const auto dom = dir_ / "dom.html";
  const std::string command =
      "timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run "
      "--user-data-dir='" +
      (dir_ / "profile").string() + "' --dump-dom 'file://" + file_.string() + "' > '" + dom.string() +
      "' 2> '" + (dir_ / "chromium.err").string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << slurp(dir_ / "chromium.err");
  const std::string rendered = slurp(dom);
  // The page's own script counted the figures with a non-empty layout box.
  EXPECT_NE(rendered.find("data-figures-rendered=\"8\""), std::string::npos) << rendered.substr(0, 400);
  // What the browser parsed says the same numbers as the file.
  EXPECT_EQ(numbers_of(visible_text(rendered)), numbers_of(visible_text(html_)));
}

}  // namespace
