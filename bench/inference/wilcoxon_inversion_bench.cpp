// The exact inversion of the tied Wilcoxon test (one exact test at each of the 2G + 1 shifts, G
// the distinct Walsh averages), one thread, on integer pain-like scores (few distinct Walsh
// averages) and on real values (n(n + 1)/2 of them). The route's work model
// (plan_wilcoxon_inversion) is the counter work_per_second; wilcoxon_inversion_max_work is set
// from it.
//   build/bin/resample_bench --benchmark_filter=WilcoxonInversion
// Args {n, real}: real = 0 integer reductions in -4..10, real = 1 normal draws. Measured: see
// wilcoxon_inversion_max_work.

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "resample/inference/wilcoxon_inversion.hpp"

namespace {

using namespace resample;

void run(benchmark::State& state, method_choice method) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const bool real = state.range(1) != 0;
  std::mt19937_64 rng(17);
  std::normal_distribution<double> normal(1.0, 2.0);
  std::uniform_int_distribution<int> score(-4, 10);
  std::vector<double> d(n);
  for (auto& v : d) v = real ? normal(rng) : static_cast<double>(score(rng));
  inference::wilcoxon_inversion_options o;
  o.method = method;
  const auto route = inference::plan_wilcoxon_inversion(d, o.zeros, o.method);
  for (auto _ : state) benchmark::DoNotOptimize(inference::wilcoxon_confidence_set(d, o));
  state.counters["shifts"] = static_cast<double>(route.shifts);
  state.counters["work_per_second"] =
      benchmark::Counter(route.work * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
void BM_InferenceWilcoxonInversion(benchmark::State& state) { run(state, method_choice::exact); }
// The fallback past the limit: the normal approximation at every shift.
void BM_InferenceWilcoxonInversionNormal(benchmark::State& state) { run(state, method_choice::approximate); }
BENCHMARK(BM_InferenceWilcoxonInversionNormal)
    ->ArgNames({"n", "real"})
    ->Args({100, 1})
    ->Args({200, 1})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_InferenceWilcoxonInversion)
    ->ArgNames({"n", "real"})
    ->Args({6, 0})
    ->Args({12, 0})
    ->Args({30, 0})
    ->Args({100, 0})
    ->Args({300, 0})
    ->Args({12, 1})
    ->Args({30, 1})
    ->Args({60, 1})
    ->Unit(benchmark::kMillisecond);  // real n = 100 (3.3 s) is past wilcoxon_inversion_max_work

}  // namespace
