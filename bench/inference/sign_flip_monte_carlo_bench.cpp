// Monte Carlo sign-flip test of sum-type statistics on real-valued data, and its limit loop.
// items_per_second = sign patterns/s (also as the counter patterns_per_second), one thread:
//   InferenceSignFlipMonteCarlo  the engine's test, B = 2^15 patterns per iteration
//                                Args {n, stat, data}: stat 0 = mean, 1 = prop_ge:0; data 0 =
//                                real-valued (masked sums), 1 = integers -10..10 (grouped
//                                binomial counts: 10 distinct |d|)
//   LimitSignFlipMaskedSum       the bare loop: Philox words (bulk stream, one per 64 signs) and
//                                a branch-free masked sum over 16 lanes, nothing else (no blocks,
//                                no tallies, no statistic); AVX2 where the CPU has it
// Efficiency of the engine = its rate / the limit's rate at the same n, in the same run:
//   build/bin/resample_bench --benchmark_filter='SignFlipMonteCarlo|LimitSignFlip'

#include <benchmark/benchmark.h>
#include <immintrin.h>
#include <tbb/task_arena.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "bootstrap/sampling.hpp"
#include "random_stream.hpp"
#include "resample/inference/sign_flip.hpp"
#include "resample/statistics.hpp"

namespace {

using namespace resample;

std::vector<double> normal_sample(std::size_t n) {
  std::mt19937_64 rng(18);
  std::normal_distribution<double> normal(0.05, 1.0);
  std::vector<double> d(n);
  for (auto& v : d) v = normal(rng);
  return d;
}

std::vector<double> integer_sample(std::size_t n) {
  std::mt19937_64 rng(18);
  std::uniform_int_distribution<int> ints(-10, 10);
  std::vector<double> d(n);
  for (auto& v : d) v = ints(rng);
  return d;
}

void BM_InferenceSignFlipMonteCarlo(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto d = state.range(2) == 0 ? normal_sample(n) : integer_sample(n);
  const statistic stat = parse_statistic(state.range(1) == 0 ? "mean" : "prop_ge:0");
  inference::sign_flip_options o;
  o.resamples = std::uint64_t{1} << 15;
  o.exec.threads = 1;
  o.keep_null_distribution = false;
  for (auto _ : state)
    benchmark::DoNotOptimize(inference::sign_flip_monte_carlo(d, stat, inference::alternative::two_sided, o));
  const auto patterns = static_cast<double>(state.iterations()) * static_cast<double>(o.resamples);
  state.SetItemsProcessed(static_cast<std::int64_t>(patterns));
  state.counters["patterns_per_second"] = benchmark::Counter(patterns, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_InferenceSignFlipMonteCarlo)
    ->ArgsProduct({{1000, 5000}, {0, 1}, {0, 1}})
    ->ArgNames({"n", "stat", "data"})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime();

// Lane masks of a nibble: lane j all ones when bit j is set.
struct nibble_masks {
  alignas(32) std::array<std::array<std::uint64_t, 4>, 16> lanes{};
  nibble_masks() {
    for (unsigned v = 0; v < 16; ++v)
      for (unsigned j = 0; j < 4; ++j) lanes[v][j] = (v >> j) & 1u ? ~std::uint64_t{0} : 0;
  }
};

__attribute__((target("avx2"))) inline __m256d nibble_mask(const nibble_masks& m, std::uint64_t bits) {
  return _mm256_load_pd(reinterpret_cast<const double*>(m.lanes[bits & 15u].data()));
}

// n must be a multiple of 64 (the bench pads with zeros).
__attribute__((target("avx2"))) double masked_sums_avx2(bootstrap::detail::bulk_random_stream& rng,
                                                        const double* x, std::size_t n,
                                                        std::uint64_t patterns, const nibble_masks& m) {
  double total = 0.0;
  for (std::uint64_t r = 0; r < patterns; ++r) {
    __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
    for (std::size_t w = 0; w < n; w += 64) {
      std::uint64_t bits = rng();
      for (std::size_t g = w; g < w + 64; g += 16, bits >>= 16) {
        a0 = _mm256_add_pd(a0, _mm256_and_pd(nibble_mask(m, bits), _mm256_loadu_pd(x + g)));
        a1 = _mm256_add_pd(a1, _mm256_and_pd(nibble_mask(m, bits >> 4), _mm256_loadu_pd(x + g + 4)));
        a2 = _mm256_add_pd(a2, _mm256_and_pd(nibble_mask(m, bits >> 8), _mm256_loadu_pd(x + g + 8)));
        a3 = _mm256_add_pd(a3, _mm256_and_pd(nibble_mask(m, bits >> 12), _mm256_loadu_pd(x + g + 12)));
      }
    }
    alignas(32) double lanes[4];
    _mm256_store_pd(lanes, _mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3)));
    total += (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
  }
  return total;
}

double masked_sums_portable(bootstrap::detail::bulk_random_stream& rng, const double* x, std::size_t n,
                            std::uint64_t patterns) {
  double total = 0.0;
  for (std::uint64_t r = 0; r < patterns; ++r) {
    double a[16] = {};
    for (std::size_t w = 0; w < n; w += 64) {
      const std::uint64_t bits = rng();
      for (std::size_t i = 0; i < 64; ++i) {
        std::uint64_t v;
        std::memcpy(&v, x + w + i, sizeof v);
        v &= 0 - ((bits >> i) & 1u);
        double y;
        std::memcpy(&y, &v, sizeof y);
        a[i % 16] += y;
      }
    }
    for (double v : a) total += v;
  }
  return total;
}

void BM_LimitSignFlipMaskedSum(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  auto x = normal_sample(n);
  x.resize((n + 63) / 64 * 64, 0.0);
  const nibble_masks masks;
  const bool avx2 = __builtin_cpu_supports("avx2") != 0;
  const std::uint64_t patterns = 1u << 12;
  std::uint64_t block = 0;
  for (auto _ : state) {
    bootstrap::detail::bulk_random_stream rng(20020, stream_id::sign_flip, block++);
    benchmark::DoNotOptimize(avx2 ? masked_sums_avx2(rng, x.data(), x.size(), patterns, masks)
                                  : masked_sums_portable(rng, x.data(), x.size(), patterns));
  }
  const auto total = static_cast<double>(state.iterations()) * static_cast<double>(patterns);
  state.SetItemsProcessed(static_cast<std::int64_t>(total));
  state.counters["patterns_per_second"] = benchmark::Counter(total, benchmark::Counter::kIsRate);
  state.SetLabel(avx2 ? "avx2" : "portable");
}
BENCHMARK(BM_LimitSignFlipMaskedSum)->Arg(1000)->Arg(5000)->ArgName("n")->Unit(benchmark::kMillisecond);

}  // namespace
