// The exact sign-flip confidence set for the mean (meet-in-the-middle selection of the subset
// averages), one thread, real-valued differences. Issue target: n = 30 under 1 s.
//   build/bin/resample_bench --benchmark_filter=SignFlipInversion
// Args {n}; the counter half_list_entries_per_second counts the 2 * 2^(n/2) subset sums built per
// bisection step, the algorithm's unit of work.

#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "resample/inference/sign_flip_inversion.hpp"

namespace {

using namespace resample;

void BM_InferenceSignFlipInversionExact(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(30);
  std::normal_distribution<double> normal(0.4, 1.0);
  std::vector<double> d(n);
  for (auto& v : d) v = normal(rng);
  inference::sign_flip_inversion_options o;
  o.method = method_choice::exact;
  for (auto _ : state) benchmark::DoNotOptimize(inference::sign_flip_confidence_set(d, o));
  // Two endpoints, about 55 bisection steps each, two half-lists per step.
  const double entries = 2.0 * 55.0 * 2.0 * std::ldexp(1.0, static_cast<int>((n + 1) / 2));
  state.counters["half_list_entries_per_second"] =
      benchmark::Counter(entries * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_InferenceSignFlipInversionExact)
    ->ArgName("n")
    ->Arg(12)
    ->Arg(20)
    ->Arg(30)
    ->Arg(36)
    ->Unit(benchmark::kMillisecond);

}  // namespace
