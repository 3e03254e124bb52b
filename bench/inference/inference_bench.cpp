// Exact paired tests at the sizes the acceptance criteria name. Run in Release:
//   build/bin/resample_bench --benchmark_filter=Inference
// Data are generated from a fixed seed so every run measures the same problem.

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "resample/error.hpp"
#include "resample/inference/rank_tests.hpp"
#include "resample/inference/sign_flip.hpp"

namespace {

namespace inf = resample::inference;

std::vector<double> normal_sample(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.2, 1.0);
  std::vector<double> d(n);
  for (auto& v : d) v = normal(rng);
  return d;
}

std::vector<double> integer_sample(std::size_t n, int lo, int hi, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> ints(lo, hi);
  std::vector<double> d(n);
  for (auto& v : d) v = ints(rng);
  return d;
}

// Exact sign-flip test of the mean, real-valued data (meet in the middle past n = 20).
void BM_InferenceSignFlipMeanReal(benchmark::State& state) {
  const auto d = normal_sample(static_cast<std::size_t>(state.range(0)), 1);
  inf::sign_flip_options o;
  o.method = inf::method_choice::exact;
  o.keep_null_distribution = false;
  for (auto _ : state)
    benchmark::DoNotOptimize(
        inf::sign_flip_test(d, resample::parse_statistic("mean"), inf::alternative::two_sided, o));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InferenceSignFlipMeanReal)->Arg(20)->Arg(30)->Arg(40)->Unit(benchmark::kMillisecond);

// Gray-code enumeration of a general statistic (median), O(n) per pattern.
void BM_InferenceSignFlipGrayMedian(benchmark::State& state) {
  const auto d = normal_sample(static_cast<std::size_t>(state.range(0)), 2);
  inf::sign_flip_options o;
  o.keep_null_distribution = false;
  for (auto _ : state)
    benchmark::DoNotOptimize(
        inf::sign_flip_gray(d, resample::parse_statistic("median"), inf::alternative::two_sided, o));
  state.SetItemsProcessed(state.iterations() * (std::int64_t{1} << state.range(0)));
}
BENCHMARK(BM_InferenceSignFlipGrayMedian)->Arg(16)->Arg(20)->Unit(benchmark::kMillisecond);

// Exact lattice DP: integer differences in [-10, 10].
void BM_InferenceSignFlipLattice(benchmark::State& state) {
  const auto d = integer_sample(static_cast<std::size_t>(state.range(0)), -10, 10, 3);
  inf::sign_flip_options o;
  o.method = inf::method_choice::exact;
  o.keep_null_distribution = false;
  for (auto _ : state)
    benchmark::DoNotOptimize(
        inf::sign_flip_test(d, resample::parse_statistic("mean"), inf::alternative::two_sided, o));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InferenceSignFlipLattice)->Arg(1000)->Arg(5000)->Unit(benchmark::kMillisecond);

// Exact Wilcoxon with heavy ties: ordinal differences with |d| taking at most 11 values. Arg 1
// selects data near the null (d uniform on -10..10, p about 0.2), where the tilted null is
// widest and inversion needs the most points; arg 0 a clear effect (d on -4..10, p below 1e-300).
void BM_InferenceWilcoxonOrdinalTies(benchmark::State& state) {
  const auto d = state.range(1) == 0 ? integer_sample(static_cast<std::size_t>(state.range(0)), -4, 10, 4)
                                     : integer_sample(static_cast<std::size_t>(state.range(0)), -10, 10, 7);
  inf::wilcoxon_options o;
  o.method = inf::method_choice::exact;
  o.keep_null_distribution = false;
  for (auto _ : state) {
    try {
      benchmark::DoNotOptimize(inf::wilcoxon_test(d, inf::alternative::two_sided, o));
    } catch (const resample::infeasible_error& e) {
      state.SkipWithError(e.what());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InferenceWilcoxonOrdinalTies)
    ->ArgsProduct({{500, 1500, 5000}, {0, 1}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The labelled alternatives at n = 5000 with ties: normal approximation and Monte Carlo (10^5).
void BM_InferenceWilcoxonOrdinalTiesFallback(benchmark::State& state) {
  const auto d = integer_sample(5000, -4, 10, 4);
  inf::wilcoxon_options o;
  o.method = state.range(0) == 0 ? inf::method_choice::approximate : inf::method_choice::monte_carlo;
  for (auto _ : state) benchmark::DoNotOptimize(inf::wilcoxon_test(d, inf::alternative::two_sided, o));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InferenceWilcoxonOrdinalTiesFallback)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// Exact Wilcoxon, distinct real values (ranks 1..n).
void BM_InferenceWilcoxonDistinct(benchmark::State& state) {
  const auto d = normal_sample(static_cast<std::size_t>(state.range(0)), 5);
  inf::wilcoxon_options o;
  o.method = inf::method_choice::exact;
  o.keep_null_distribution = false;
  for (auto _ : state) benchmark::DoNotOptimize(inf::wilcoxon_test(d, inf::alternative::two_sided, o));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InferenceWilcoxonDistinct)->Arg(300)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace
