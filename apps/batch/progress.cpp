#include "progress.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <string>

namespace resample::cli::batch {

namespace {

std::string duration_text(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s / 60) % 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

}  // namespace

progress::progress(std::size_t total, bool enabled) : total_(total), enabled_(enabled && total > 0) {
  if (enabled_) draw();
}

void progress::job_done(bool ok) {
  ++done_;
  failed_ += ok ? 0 : 1;
  if (enabled_) draw();
}

void progress::draw() {
  constexpr std::size_t width = 30;
  const std::size_t filled = total_ == 0 ? width : done_ * width / total_;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  // Jobs differ in size, so the ETA assumes the remaining ones average like those done so far.
  const std::string eta =
      done_ == 0 ? "?"
                 : duration_text(elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_));
  const std::string text =
      fmt::format("\r[{}{}] {}/{} jobs, {} failed, {} elapsed, ETA {}  ", std::string(filled, '#'),
                  std::string(width - filled, ' '), done_, total_, failed_, duration_text(elapsed), eta);
  std::fputs(text.c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void progress::finish() {
  if (!drawn_) return;
  std::fputs("\r\033[K", stderr);  // erase the bar's line
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace resample::cli::batch
