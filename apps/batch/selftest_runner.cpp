#include "selftest_runner.hpp"

#include <oneapi/tbb/parallel_for.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "../cli_common.hpp"
#include "../commands.hpp"
#include "job_file.hpp"
#include "resample/parallel_for.hpp"
#include "resample/random_stream.hpp"
#include "stop_signal.hpp"

namespace resample::cli::batch {

namespace {

struct selftest_options {
  input_options input;
  std::uint64_t resamples = 10000;
  std::uint64_t seed = 1;
};

void add_selftest_options(CLI::App& app, selftest_options& options) {
  add_input_options(app, options.input);
  app.add_option("--resamples", options.resamples, "Monte Carlo resamples B")
      ->check(CLI::Range(1ull, 1ull << 40));
  app.add_option("--seed", options.seed, "seed of the counter-based stream");
}

struct block_sums {
  double sum = 0, sum_of_squares = 0;
};

nlohmann::json run_selftest(const selftest_options& options) {
  const auto endpoints = load_endpoints(options.input);
  const auto& x = endpoints.at(0).differences;
  const std::uint64_t n = x.size();
  double estimate = 0;
  for (double v : x) estimate += v;
  estimate /= static_cast<double>(n);

  const std::uint64_t B = options.resamples;
  const std::uint64_t blocks = (B + resamples_per_block - 1) / resamples_per_block;
  std::vector<block_sums> sums(blocks);
  resample::parallel_for(std::uint64_t{0}, blocks, [&](std::uint64_t b) {
    // Block boundaries are where a stop request can end the job without a partial result.
    if (stop_requested()) throw job_cancelled{};
    random_stream stream(options.seed, stream_id::bootstrap, b);
    const std::uint64_t first = b * resamples_per_block;
    const std::uint64_t count = std::min(resamples_per_block, B - first);
    block_sums s;
    for (std::uint64_t r = 0; r < count; ++r) {
      double total = 0;
      for (std::uint64_t i = 0; i < n; ++i) total += x[stream.below(n)];
      const double mean = total / static_cast<double>(n);
      s.sum += mean;
      s.sum_of_squares += mean * mean;
    }
    sums[b] = s;
  });
  // Combined in block order, never in completion order: the same bits for any thread count.
  block_sums total;
  for (const auto& s : sums) {
    total.sum += s.sum;
    total.sum_of_squares += s.sum_of_squares;
  }
  const double mean = total.sum / static_cast<double>(B);
  const double variance = std::max(0.0, total.sum_of_squares / static_cast<double>(B) - mean * mean);
  return {{"statistic", "mean"}, {"estimate", estimate},
          {"boot_mean", mean},   {"boot_se", std::sqrt(variance)},
          {"resamples", B},      {"n", n}};
}

}  // namespace

void register_selftest_runner_if_enabled() {
  const char* flag = std::getenv("RESAMPLE_BATCH_SELFTEST");
  if (!flag || std::strcmp(flag, "1") != 0) return;
  batch_runners()["selftest-mc"] = [](const std::vector<std::string>& args) {
    selftest_options options;
    CLI::App app{"selftest-mc", "selftest-mc"};
    add_selftest_options(app, options);
    // CLI11 parses a vector in reverse order (argv convention).
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
    return run_selftest(options);
  };
  batch_option_shapes()["selftest-mc"] = [] {
    selftest_options options;
    CLI::App app;
    add_selftest_options(app, options);
    return describe_options(app);
  };
}

}  // namespace resample::cli::batch
