#include "figures.hpp"

#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string_view>

#include "cli_common.hpp"

extern char** environ;

namespace resample::cli {

distribution_figure bootstrap_figure(const bootstrap::bootstrap_result& r, const std::string& title,
                                     const std::string& subtitle, const std::string& x_label,
                                     const number_text& number) {
  distribution_figure f;
  f.title = title;
  f.subtitle = subtitle;
  f.x_label = x_label;
  f.distribution = r.distribution;
  f.markers.push_back({r.estimate, "observed " + to_string(r.stat) + " " + number(r.estimate), "#000000"});
  static const char* const colors[] = {"#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"};
  std::size_t k = 0;
  for (const auto& i : r.intervals) {
    if (!i.lower || !i.upper) continue;
    const std::string name = i.method == bootstrap::interval_method::bca
                                 ? std::string("BCa")
                                 : std::string(bootstrap::to_string(i.method));
    f.intervals.push_back(
        {*i.lower, *i.upper,
         fmt::format("{:.0f}% {} [{}, {}]", 100 * i.level, name, number(*i.lower), number(*i.upper)),
         colors[k++ % std::size(colors)]});
  }
  return f;
}

distribution_figure null_distribution_figure(const inference::test_result& r, const std::string& title,
                                             const std::string& subtitle, const std::string& x_label,
                                             const number_text& number) {
  distribution_figure f;
  f.title = title;
  f.subtitle = subtitle;
  f.x_label = x_label;
  f.distribution = *r.null_distribution;
  f.markers.push_back({r.observed, "observed " + number(r.observed), "#000000"});
  f.highlight_tails = true;
  const double t = r.observed;
  // Two-sided: both tails beyond |t| from the null's centre (0 for the mean); one-sided: one tail.
  const double lowest = f.distribution.atoms().front().value, highest = f.distribution.atoms().back().value;
  const double below_everything = lowest - 1.0 - std::fabs(lowest),
               above_everything = highest + 1.0 + std::fabs(highest);
  switch (r.alt) {
    case inference::alternative::two_sided:
      f.highlight_below = -std::fabs(t);
      f.highlight_above = std::fabs(t);
      break;
    case inference::alternative::greater:
      f.highlight_below = below_everything;
      f.highlight_above = t;
      break;
    case inference::alternative::less:
      f.highlight_below = t;
      f.highlight_above = above_everything;
      break;
  }
  return f;
}

namespace {

bool ends_with_case_insensitive(const std::string& path, std::string_view suffix) {
  if (path.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(path[path.size() - suffix.size() + i])) != suffix[i])
      return false;
  return true;
}

// The PNG renderer: Debian's librsvg2-bin, found on PATH.
constexpr const char* png_renderer = "rsvg-convert";

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::string_view rest(path);
  while (true) {
    const auto colon = rest.find(':');
    const std::string dir(rest.substr(0, colon));
    if (!dir.empty() && ::access((std::filesystem::path(dir) / program).c_str(), X_OK) == 0) return true;
    if (colon == std::string_view::npos) return false;
    rest.remove_prefix(colon + 1);
  }
}

// The SVG rendered to PNG bytes by rsvg-convert (through files in the temporary directory: the
// renderer reads and writes files, and nothing the user named is touched until the bytes exist).
std::string svg_to_png(const std::string& svg) {
  const auto dir = std::filesystem::temp_directory_path();
  std::string pattern = (dir / "resample-figure-XXXXXX").string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) throw std::runtime_error("cannot create a temporary file in " + dir.string());
  ::close(fd);
  const std::string input = pattern + ".svg", output = pattern + ".png";
  std::filesystem::remove(pattern);
  struct cleanup {
    std::string a, b;
    ~cleanup() {
      std::error_code ignored;
      std::filesystem::remove(a, ignored);
      std::filesystem::remove(b, ignored);
    }
  } remove_later{input, output};
  std::ofstream(input, std::ios::binary) << svg;
  std::vector<std::string> args{png_renderer, "-f", "png", "-o", output, input};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t child = 0;
  if (::posix_spawnp(&child, png_renderer, nullptr, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error(std::string("cannot run ") + png_renderer);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(std::string(png_renderer) + " failed to render the figure");
  std::ifstream in(output, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

void check_figure_path(const std::string& path, const std::string& option) {
  if (ends_with_case_insensitive(path, ".svg")) return;
  if (!ends_with_case_insensitive(path, ".png"))
    throw usage_error(option + ": got '" + path + "', expected a FILE.svg or FILE.png");
  if (!on_path(png_renderer))
    throw usage_error(option + ": writing '" + path + "' needs " + png_renderer +
                      " (Debian package librsvg2-bin) on PATH; install it or give a FILE.svg");
}

void write_figure(const output_options& output, const std::string& path, const std::string& svg,
                  const std::string& option) {
  write_side_file(output, path, ends_with_case_insensitive(path, ".png") ? svg_to_png(svg) : svg, option);
}

}  // namespace resample::cli
