// Issue 7 bootstrap families (single thread unless stated). items_per_second:
//   MonteCarloBootstrap  resamples/s        --benchmark_filter=MonteCarloBootstrap
//   ExactEnumeration     compositions/s     --benchmark_filter=ExactEnumeration
//   ExactConvolution     multiply-adds/s    --benchmark_filter=ExactConvolution
//                        (counter exact_per_second: whole exact distributions/s)
// Args of MonteCarloBootstrap: {n, ordinal (0 real-valued, 1 ordinal 0..10)}.

#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstdint>

#include "resample/bootstrap/convolution.hpp"
#include "resample/bootstrap/exact_enumeration.hpp"
#include "resample/bootstrap/monte_carlo.hpp"
#include "suite_data.hpp"

namespace {

using namespace resample;
using namespace resample::bootstrap;

// B per iteration: about 2^27 draws, at least 512 resamples, so every size runs ~0.1-1 s.
std::uint64_t resamples_for(std::size_t n) {
  return std::max<std::uint64_t>(512, (std::uint64_t{1} << 27) / std::max<std::size_t>(n, 8));
}

void run_monte_carlo(benchmark::State& state, const char* stat_name) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto sample = state.range(1) != 0 ? bench::ordinal(n) : bench::real_valued(n);
  monte_carlo_options options;
  options.resamples = resamples_for(n);
  const statistic stat = parse_statistic(stat_name);
  tbb::task_arena arena(1);
  std::string path;
  for (auto _ : state) {
    auto result = arena.execute([&] { return monte_carlo_bootstrap(sample, stat, options); });
    path = result.path;
    benchmark::DoNotOptimize(result.distribution.size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(options.resamples));
  state.SetLabel(path);
}

void BM_MonteCarloBootstrapMean(benchmark::State& state) { run_monte_carlo(state, "mean"); }
void BM_MonteCarloBootstrapMedian(benchmark::State& state) { run_monte_carlo(state, "median"); }

void monte_carlo_sizes(benchmark::internal::Benchmark* b) {
  for (int ordinal : {0, 1})
    for (int n : {6, 100, 1000, 100000}) b->Args({n, ordinal});
  // Process CPU time: TBB may run the work on a worker thread, and on a shared machine CPU time
  // is less disturbed by other jobs than wall time.
  b->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
}
BENCHMARK(BM_MonteCarloBootstrapMean)->Apply(monte_carlo_sizes);
BENCHMARK(BM_MonteCarloBootstrapMedian)->Apply(monte_carlo_sizes);

// Enumeration over all C(2n-1, n) multisets of n distinct values, serial.
void run_enumeration(benchmark::State& state, const char* stat_name) {
  const auto sample = bench::real_valued(static_cast<std::size_t>(state.range(0)));
  enumeration_options options;
  options.parallel = false;
  options.max_compositions = 1e9;
  const statistic stat = parse_statistic(stat_name);
  double compositions = 0;
  for (auto _ : state) {
    auto r = enumerate_bootstrap(sample, stat, options);
    compositions = r.compositions;
    benchmark::DoNotOptimize(r.distribution.size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(compositions));
}
void BM_ExactEnumerationMean(benchmark::State& state) { run_enumeration(state, "mean"); }
void BM_ExactEnumerationMedian(benchmark::State& state) { run_enumeration(state, "median"); }
BENCHMARK(BM_ExactEnumerationMean)->DenseRange(6, 14, 2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExactEnumerationMedian)->DenseRange(6, 12, 2)->Unit(benchmark::kMillisecond);

// n-fold convolution of ordinal scores 0..10 (the mean of a pain score).
void BM_ExactConvolutionMean(benchmark::State& state) {
  const auto sample = bench::ordinal(static_cast<std::size_t>(state.range(0)));
  const statistic stat = parse_statistic("mean");
  const double cost = convolution_cost(sample, stat);
  for (auto _ : state) {
    auto d = convolution_bootstrap(sample, stat);
    benchmark::DoNotOptimize(d->size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(cost));
  state.counters["exact_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ExactConvolutionMean)->Arg(6)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
