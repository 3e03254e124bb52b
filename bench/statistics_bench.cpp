#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <vector>

#include "resample/statistics.hpp"

namespace {

// Cost of evaluating one statistic on a multiset of n distinct values: the inner step of every
// bootstrap kernel.
template <class Statistic>
void BM_StatisticOnMultiset(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<double> support(n);
  std::vector<std::uint32_t> counts(n, 1);
  for (std::size_t i = 0; i < n; ++i) support[i] = static_cast<double>(i) * 0.5;
  const Statistic statistic{};
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        statistic(std::span<const double>(support), std::span<const std::uint32_t>(counts), n));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StatisticOnMultiset<resample::statistics::mean>)->Arg(6)->Arg(1000);
BENCHMARK(BM_StatisticOnMultiset<resample::statistics::median>)->Arg(6)->Arg(1000);
BENCHMARK(BM_StatisticOnMultiset<resample::statistics::hl>)->Arg(6)->Arg(1000)->Arg(5000);

// Where the hl kernel stops forming the Walsh averages (walsh_implicit_selection_from):
//   path 0  the hl kernel itself (forms and selects below the switch, implicit from it)
//   path 1  the implicit selection at any size: two walsh_average_at_rank calls (the median ranks)
// The switch belongs where path 1 at n - 1 costs about what path 0 does.
void BM_StatisticsHlWalshSelection(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(9);
  std::normal_distribution<double> normal;
  std::vector<double> support(n);
  for (auto& v : support) v = normal(rng);
  std::sort(support.begin(), support.end());
  const std::vector<std::uint32_t> counts(n, 1);
  const std::uint64_t total = static_cast<std::uint64_t>(n) * (n + 1) / 2;
  for (auto _ : state) {
    if (state.range(1) == 0)
      benchmark::DoNotOptimize(resample::statistics::hl{}(std::span<const double>(support),
                                                          std::span<const std::uint32_t>(counts), n));
    else
      benchmark::DoNotOptimize(resample::statistics::walsh_average_at_rank(support, counts, (total - 1) / 2) +
                               resample::statistics::walsh_average_at_rank(support, counts, total / 2));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StatisticsHlWalshSelection)
    ->ArgsProduct({{32, 48, 64, 255, 1000}, {0, 1}})
    ->ArgNames({"n", "path"});

}  // namespace
