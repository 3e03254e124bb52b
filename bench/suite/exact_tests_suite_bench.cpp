// Issue 7 exact test families (single thread). items_per_second:
//   SignFlipGrayCode  sign patterns/s           --benchmark_filter=SignFlipGrayCode
//   MeetInTheMiddle   sign patterns/s (2^n)     --benchmark_filter=MeetInTheMiddle
//   LatticeDP         DP additions/s            --benchmark_filter=LatticeDP
// Sizes past the engine's DP limits (16000 values, 4e9 additions) are kept and reported as skipped
// with the engine's message, so the table shows where exact stops.
//   ExactWilcoxon     DP additions/s, or inversion work units/s (label says which)
//                                               --benchmark_filter=ExactWilcoxon
// The DP families also report tests_per_second (whole exact p-values per second); their 2^n
// patterns do not fit a counter.

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "resample/error.hpp"
#include "resample/inference/binomial_sum_tail.hpp"
#include "resample/inference/lattice_null.hpp"
#include "resample/inference/rank_tests.hpp"
#include "resample/inference/sign_flip.hpp"
#include "suite_data.hpp"

namespace {

using namespace resample;
namespace inf = resample::inference;

inf::sign_flip_options serial_exact() {
  inf::sign_flip_options o;
  o.method = inf::method_choice::exact;
  o.keep_null_distribution = false;
  o.exec.threads = 1;
  return o;
}

void set_tests_rate(benchmark::State& state) {
  state.counters["tests_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void run_gray(benchmark::State& state, const char* stat_name) {
  const auto d = bench::normal(static_cast<std::size_t>(state.range(0)), 2);
  const auto stat = parse_statistic(stat_name);
  const auto o = serial_exact();
  for (auto _ : state) benchmark::DoNotOptimize(inf::sign_flip_gray(d, stat, inf::alternative::two_sided, o));
  state.SetItemsProcessed(state.iterations() * (std::int64_t{1} << state.range(0)));
}
void BM_SignFlipGrayCodeMean(benchmark::State& state) { run_gray(state, "mean"); }
void BM_SignFlipGrayCodeMedian(benchmark::State& state) { run_gray(state, "median"); }
BENCHMARK(BM_SignFlipGrayCodeMean)->DenseRange(16, 28, 4)->Arg(30)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SignFlipGrayCodeMedian)->DenseRange(16, 24, 4)->Unit(benchmark::kMillisecond);

void BM_MeetInTheMiddleMean(benchmark::State& state) {
  const auto d = bench::normal(static_cast<std::size_t>(state.range(0)), 1);
  const auto o = serial_exact();
  for (auto _ : state)
    benchmark::DoNotOptimize(inf::sign_flip_meet_in_middle(d, inf::alternative::two_sided, o));
  state.SetItemsProcessed(state.iterations() * (std::int64_t{1} << state.range(0)));
}
// The engine's limit is sign_flip_max_meet_in_middle = 44 non-zero differences.
BENCHMARK(BM_MeetInTheMiddleMean)->DenseRange(30, 44, 2)->Unit(benchmark::kMillisecond);

std::vector<std::uint64_t> lattice_swings(const std::vector<double>& d) {
  std::vector<double> nonzero;
  for (double v : d)
    if (v != 0.0) nonzero.push_back(v);
  std::vector<std::uint64_t> swings;
  if (const auto form = inf::detect_lattice(nonzero))
    for (auto k : form->k) swings.push_back(static_cast<std::uint64_t>(k < 0 ? -k : k));
  return swings;
}

// Integer differences in [-10, 10] (the pain scale), mean statistic.
void BM_LatticeDPMean(benchmark::State& state) {
  const auto d = bench::integers(static_cast<std::size_t>(state.range(0)), -10, 10, 3);
  const double work = inf::subset_sum_work(lattice_swings(d));
  const auto o = serial_exact();
  const auto stat = parse_statistic("mean");
  for (auto _ : state) {
    try {
      benchmark::DoNotOptimize(inf::sign_flip_lattice(d, stat, inf::alternative::two_sided, o));
    } catch (const infeasible_error& e) {
      state.SkipWithError(e.what());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(work));
  set_tests_rate(state);
}
BENCHMARK(BM_LatticeDPMean)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(16000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond);

std::vector<std::uint64_t> wilcoxon_swings(const std::vector<double>& d) {
  const auto ranks = inf::signed_rank_midranks(d, inf::zero_method::pratt);
  std::vector<std::uint64_t> swings;
  for (std::size_t i = 0; i < d.size(); ++i)
    if (d[i] != 0.0) swings.push_back(static_cast<std::uint64_t>(std::llround(2.0 * ranks[i])));
  return swings;
}

// Args: {n, ties (1: integer differences in [-10, 10], 0: distinct real values)}. Items are the
// work units of the route the engine chose (label): table additions for exact_dp, powering
// work units (binomial_sum_tail_work) for exact_inversion.
void BM_ExactWilcoxon(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto d = state.range(1) != 0 ? bench::integers(n, -10, 10, 4) : bench::normal(n, 5);
  inf::wilcoxon_options o;
  o.method = inf::method_choice::exact;
  o.keep_null_distribution = false;
  o.exec.threads = 1;
  std::string method;
  for (auto _ : state) {
    try {
      const auto r = inf::wilcoxon_test(d, inf::alternative::two_sided, o);
      method = r.method;
      benchmark::DoNotOptimize(r);
    } catch (const infeasible_error& e) {
      state.SkipWithError(e.what());
      return;
    }
  }
  const auto swings = wilcoxon_swings(d);
  double work = inf::subset_sum_work(swings);
  if (method == "exact_inversion") {
    std::uint64_t observed = 0;
    const auto ranks = inf::signed_rank_midranks(d, inf::zero_method::pratt);
    for (std::size_t i = 0; i < d.size(); ++i)
      if (d[i] > 0.0) observed += static_cast<std::uint64_t>(std::llround(2.0 * ranks[i]));
    work = inf::binomial_sum_tail_work(inf::group_swings(swings), observed, inf::alternative::two_sided);
  }
  state.SetLabel(method);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(work));
  set_tests_rate(state);
}
BENCHMARK(BM_ExactWilcoxon)
    ->Args({100, 0})
    ->Args({1000, 0})
    ->Args({2000, 0})
    ->Args({100, 1})
    ->Args({1000, 1})
    ->Args({5000, 1})
    ->Args({100000, 1})
    ->Unit(benchmark::kMillisecond);

}  // namespace
