// The exact sign-flip confidence set for the mean, one thread. Issue targets: real-valued n = 30
// under 1 s (meet-in-the-middle selection of the subset averages); lattice data at n = 1000 under
// 0.5 s (the table of the flipped subset's size and sum).
//   build/bin/resample_bench --benchmark_filter=SignFlipInversion
// Exact: Args {n}; the counter half_list_entries_per_second counts the 2 * 2^(n/2) subset sums
// built per bisection step, the algorithm's unit of work. Lattice: Args {n, range}, pain-change
// scores uniform on -range/2 .. range (a 0-10 scale gives range 10); the counter
// table_additions_per_second counts the plan's estimated additions.

#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "inference/sign_flip_inversion_lattice.hpp"
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

void BM_InferenceSignFlipInversionLattice(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto range = static_cast<int>(state.range(1));
  std::mt19937_64 rng(31);
  std::uniform_int_distribution<int> score(-range / 2, range);
  std::vector<double> d(n);
  for (auto& v : d) v = static_cast<double>(score(rng));
  inference::sign_flip_inversion_options o;
  o.method = method_choice::exact;
  for (auto _ : state) benchmark::DoNotOptimize(inference::sign_flip_confidence_set(d, o));
  const auto plan = inference::detail::plan_lattice_inversion(d, 1.0 - o.level);
  state.counters["table_additions_per_second"] =
      benchmark::Counter(plan->work * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_InferenceSignFlipInversionLattice)
    ->ArgNames({"n", "range"})
    ->Args({100, 10})
    ->Args({1000, 4})
    ->Args({1000, 10})
    ->Args({1000, 20})
    ->Args({3000, 4})
    ->Unit(benchmark::kMillisecond);

}  // namespace
