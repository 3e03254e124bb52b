// Thread scaling of the parallel paths at 1, 2 and all cores (wall time; items_per_second as in
// the single-thread families). --benchmark_filter=ThreadScaling
//   ThreadScalingMonteCarloBootstrap  resamples/s, mean of 1000 real values, B = 2^18
//   ThreadScalingSignFlipMonteCarlo   sign patterns/s, median of 1000 real values, B = 2^16
//   ThreadScalingExactEnumeration     compositions/s, mean of 12 distinct values (1.35e6)

#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

#include <cstdint>

#include "resample/bootstrap/exact_enumeration.hpp"
#include "resample/bootstrap/monte_carlo.hpp"
#include "resample/inference/sign_flip.hpp"
#include "suite_data.hpp"

namespace {

using namespace resample;

void thread_counts(benchmark::internal::Benchmark* b) {
  b->Arg(1);
  if (bench::all_cores() >= 2) b->Arg(2);
  if (bench::all_cores() > 2) b->Arg(bench::all_cores());
  b->UseRealTime()->Unit(benchmark::kMillisecond);
}

void BM_ThreadScalingMonteCarloBootstrap(benchmark::State& state) {
  const auto sample = bench::real_valued(1000);
  bootstrap::monte_carlo_options options;
  options.resamples = std::uint64_t{1} << 18;
  const auto stat = parse_statistic("mean");
  tbb::task_arena arena(static_cast<int>(state.range(0)));
  for (auto _ : state)
    benchmark::DoNotOptimize(
        arena.execute([&] { return bootstrap::monte_carlo_bootstrap(sample, stat, options); }));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(options.resamples));
}
BENCHMARK(BM_ThreadScalingMonteCarloBootstrap)->Apply(thread_counts);

void BM_ThreadScalingSignFlipMonteCarlo(benchmark::State& state) {
  const auto d = bench::normal(1000, 7);
  inference::sign_flip_options o;
  o.resamples = std::uint64_t{1} << 16;
  o.exec.threads = static_cast<std::size_t>(state.range(0));
  o.keep_null_distribution = false;
  const auto stat = parse_statistic("median");
  for (auto _ : state)
    benchmark::DoNotOptimize(inference::sign_flip_monte_carlo(d, stat, inference::alternative::two_sided, o));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(o.resamples));
}
BENCHMARK(BM_ThreadScalingSignFlipMonteCarlo)->Apply(thread_counts);

void BM_ThreadScalingExactEnumeration(benchmark::State& state) {
  const auto sample = bench::real_valued(12);
  bootstrap::enumeration_options o;
  o.parallel = true;
  const auto stat = parse_statistic("mean");
  tbb::task_arena arena(static_cast<int>(state.range(0)));
  double compositions = 0;
  for (auto _ : state) {
    auto r = arena.execute([&] { return bootstrap::enumerate_bootstrap(sample, stat, o); });
    compositions = r.compositions;
    benchmark::DoNotOptimize(r.distribution.size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(compositions));
}
BENCHMARK(BM_ThreadScalingExactEnumeration)->Apply(thread_counts);

}  // namespace
