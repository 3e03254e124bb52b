#include "support/browser_layout.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>

namespace resample::test {

namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Measures in the page and writes the findings into <pre> elements that --dump-dom shows. A box
// may exceed the canvas or meet another by half a pixel: anti-aliasing, not clipping.
constexpr const char* measure_script = R"js(
const clipped = [], overlapping = [];
let figures = 0, texts = 0;
const show = (r) => '[' + [r.left, r.top, r.right, r.bottom].map((v) => v.toFixed(1)).join(', ') + ']';
for (const holder of document.querySelectorAll('div.figure')) {
  const svg = holder.querySelector('svg');
  if (!svg) continue;
  ++figures;
  const canvas = svg.getBoundingClientRect();
  const boxes = [];
  for (const text of svg.querySelectorAll('text')) {
    ++texts;
    const r = text.getBoundingClientRect();
    const box = {left: r.left - canvas.left, top: r.top - canvas.top, right: r.right - canvas.left,
                 bottom: r.bottom - canvas.top};
    if (box.left < -0.5 || box.top < -0.5 || box.right > canvas.width + 0.5 || box.bottom > canvas.height + 0.5)
      clipped.push(holder.dataset.name + ": '" + text.textContent + "' box " + show(box) + ' canvas [' +
                   canvas.width + ', ' + canvas.height + ']');
    for (const other of boxes) {
      const dx = Math.min(box.right, other.box.right) - Math.max(box.left, other.box.left);
      const dy = Math.min(box.bottom, other.box.bottom) - Math.max(box.top, other.box.top);
      if (dx > 1 && dy > 1)
        overlapping.push(holder.dataset.name + ": '" + text.textContent + "' " + show(box) + " and '" +
                         other.text + "' " + show(other.box));
    }
    boxes.push({box: box, text: text.textContent});
  }
}
document.getElementById('figures').textContent = String(figures);
document.getElementById('texts').textContent = String(texts);
document.getElementById('clipped').textContent = clipped.join('\n');
document.getElementById('overlapping').textContent = overlapping.join('\n');
)js";

std::string element_text(const std::string& dom, const std::string& id) {
  std::smatch m;
  if (!std::regex_search(dom, m, std::regex("<pre id=\"" + id + "\">([^<]*)</pre>"))) return {};
  return m[1];
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

}  // namespace

bool browser_available() { return std::system("command -v chromium >/dev/null 2>&1") == 0; }

browser_layout lay_out_in_browser(const std::vector<std::filesystem::path>& figures,
                                  const std::filesystem::path& scratch) {
  std::filesystem::create_directories(scratch);
  const auto page = scratch / "figures.html";
  {
    std::ofstream out(page, std::ios::binary);
    out << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">\n";
    for (const auto& figure : figures) {
      std::string svg = read_text(figure);
      // Inline SVG takes no XML declaration.
      if (svg.rfind("<?xml", 0) == 0) svg.erase(0, svg.find("?>") + 2);
      out << "<div class=\"figure\" data-name=\"" << figure.filename().string() << "\">" << svg << "</div>\n";
    }
    out << "<pre id=\"figures\"></pre><pre id=\"texts\"></pre><pre id=\"clipped\"></pre>"
           "<pre id=\"overlapping\"></pre>\n<script>"
        << measure_script << "</script>\n</body></html>\n";
  }
  const auto dom = scratch / "dom.html", log = scratch / "chromium.err";
  const std::string command =
      "timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir='" +
      (scratch / "profile").string() + "' --dump-dom 'file://" + page.string() + "' > '" + dom.string() +
      "' 2> '" + log.string() + "'";
  browser_layout layout;
  if (std::system(command.c_str()) != 0) {
    ADD_FAILURE() << "chromium failed: " << read_text(log);
    return layout;
  }
  const std::string rendered = read_text(dom);
  const auto number = [&](const std::string& id) {
    const auto text = element_text(rendered, id);
    return text.empty() ? std::size_t{0} : static_cast<std::size_t>(std::stoul(text));
  };
  layout.figures = number("figures");
  layout.texts = number("texts");
  const auto decode = [](std::string s) {
    for (const auto& [entity, character] :
         {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}})
      s = std::regex_replace(s, std::regex(entity), character);
    return s;
  };
  layout.clipped = lines_of(decode(element_text(rendered, "clipped")));
  layout.overlapping = lines_of(decode(element_text(rendered, "overlapping")));
  return layout;
}

}  // namespace resample::test
