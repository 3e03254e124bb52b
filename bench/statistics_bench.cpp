#include <benchmark/benchmark.h>

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

}  // namespace
