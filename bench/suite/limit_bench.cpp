// The "limit": the cheapest loop that could do a Monte Carlo bootstrap of the mean at all, with no
// statistic, no storage and no reproducible blocking: raw Philox words, and n bounded draws summed
// per resample. Each engine path's efficiency is its rate divided by the matching limit (same n,
// one thread). items_per_second:
//   LimitPhiloxWords      64-bit words/s (random_stream, one Philox call per 4 words)
//   LimitBulkPhiloxWords  64-bit words/s (the engine's bulk stream, 16 calls per refill)
//   LimitResampleSum      resamples/s of n Lemire-bounded draws summed (random_stream::below)
//   LimitResampleSumDigits resamples/s of n draws from the engine's digit chains, summed
// --benchmark_filter=Limit runs them all.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "bootstrap/sampling.hpp"
#include "random_stream.hpp"
#include "suite_data.hpp"

namespace {

using namespace resample;

constexpr std::uint64_t words_per_iteration = 1u << 20;

void BM_LimitPhiloxWords(benchmark::State& state) {
  std::uint64_t block = 0;
  for (auto _ : state) {
    random_stream rng(20020, stream_id::bootstrap, block++);
    std::uint64_t sum = 0;
    for (std::uint64_t i = 0; i < words_per_iteration; ++i) sum += rng();
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(words_per_iteration));
}
BENCHMARK(BM_LimitPhiloxWords);

void BM_LimitBulkPhiloxWords(benchmark::State& state) {
  std::uint64_t block = 0;
  for (auto _ : state) {
    bootstrap::detail::bulk_random_stream rng(20020, stream_id::bootstrap, block++);
    std::uint64_t sum = 0;
    for (std::uint64_t i = 0; i < words_per_iteration; ++i) sum += rng();
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(words_per_iteration));
}
BENCHMARK(BM_LimitBulkPhiloxWords);

// Resamples per iteration: about 2^22 draws.
std::uint64_t resamples_for(std::size_t n) {
  return std::max<std::uint64_t>(16, (std::uint64_t{1} << 22) / n);
}

void BM_LimitResampleSum(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto x = bench::real_valued(n);
  const std::uint64_t resamples = resamples_for(n);
  std::uint64_t block = 0;
  for (auto _ : state) {
    random_stream rng(20020, stream_id::bootstrap, block++);
    double total = 0.0;
    for (std::uint64_t b = 0; b < resamples; ++b) {
      double sum = 0.0;
      for (std::size_t i = 0; i < n; ++i) sum += x[rng.below(n)];
      total += sum;
    }
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(resamples));
  state.counters["draws_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations() * resamples * n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LimitResampleSum)->Arg(6)->Arg(100)->Arg(1000)->Arg(100000);

void BM_LimitResampleSumDigits(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto x = bench::real_valued(n);
  const std::uint64_t resamples = resamples_for(n);
  std::vector<std::uint32_t> index(n);
  std::uint64_t block = 0;
  for (auto _ : state) {
    bootstrap::detail::bulk_random_stream rng(20020, stream_id::bootstrap, block++);
    bootstrap::detail::digit_source digits(n);
    double total = 0.0;
    for (std::uint64_t b = 0; b < resamples; ++b) {
      digits.fill(rng, index.data(), n);
      double sum = 0.0;
      for (std::size_t i = 0; i < n; ++i) sum += x[index[i]];
      total += sum;
    }
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(resamples));
  state.counters["draws_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations() * resamples * n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LimitResampleSumDigits)->Arg(6)->Arg(100)->Arg(1000)->Arg(100000);

}  // namespace
