#include "progress_bar.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace resample::cli {

namespace {

std::string eta_text(double seconds) {
  const auto s = static_cast<long long>(std::max(0.0, seconds) + 0.5);
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s / 60) % 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

}  // namespace

progress_bar::progress_bar(std::uint64_t total, std::string label, double predicted_seconds)
    : total_(total), label_(std::move(label)), predicted_(predicted_seconds) {
  if ((total_ > 0 || predicted_ > 0.0) && ::isatty(STDERR_FILENO) == 1)
    thread_ = std::thread([this] { run(); });
}

progress_bar::~progress_bar() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::string progress_bar::line(double elapsed) const {
  constexpr int width = 30;
  const std::uint64_t done = done_.load();
  double fraction = 0.0;
  std::string eta = "?";
  if (total_ > 0 && (done > 0 || !(predicted_ > 0.0))) {
    fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
    // The rate so far: trials differ little from one another.
    if (done > 0)
      eta = eta_text(elapsed * static_cast<double>(total_ - std::min(done, total_)) /
                     static_cast<double>(done));
  } else if (predicted_ > 0.0) {
    // Nothing counted: the clock against the prediction, held below 100% when the run is late.
    fraction = std::min(0.99, elapsed / predicted_);
    eta = elapsed < predicted_ ? "about " + eta_text(predicted_ - elapsed) : "soon";
  }
  const int filled = static_cast<int>(fraction * width);
  return fmt::format("{} [{}{}] {:3.0f}% ETA {}", label_, std::string(static_cast<std::size_t>(filled), '#'),
                     std::string(static_cast<std::size_t>(width - filled), ' '), 100.0 * fraction, eta);
}

void progress_bar::run() {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  bool drawn = false;
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; })) {
    const double elapsed = std::chrono::duration<double>(clock::now() - start).count();
    if (elapsed < 1.0) continue;
    std::fputs(("\r" + line(elapsed) + "  ").c_str(), stderr);
    std::fflush(stderr);
    drawn = true;
  }
  if (drawn) {
    std::fputs("\r\033[K", stderr);  // erase the bar's line
    std::fflush(stderr);
  }
}

}  // namespace resample::cli
