#include "progress_bar.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace resample::cli {

progress_bar::progress_bar(std::uint64_t total, std::string label) : total_(total), label_(std::move(label)) {
  if (total_ > 0 && ::isatty(STDERR_FILENO) == 1) thread_ = std::thread([this] { run(); });
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

void progress_bar::run() {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  bool drawn = false;
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; })) {
    if (clock::now() - start < std::chrono::seconds(1)) continue;
    constexpr int width = 30;
    const double fraction = std::min(1.0, static_cast<double>(done_.load()) / static_cast<double>(total_));
    const int filled = static_cast<int>(fraction * width);
    std::fputs(fmt::format("\r{} [{}{}] {:3.0f}%", label_, std::string(static_cast<std::size_t>(filled), '#'),
                           std::string(static_cast<std::size_t>(width - filled), ' '), 100.0 * fraction)
                   .c_str(),
               stderr);
    std::fflush(stderr);
    drawn = true;
  }
  if (drawn) {
    std::fputs(("\r" + std::string(label_.size() + 40, ' ') + "\r").c_str(), stderr);
    std::fflush(stderr);
  }
}

}  // namespace resample::cli
