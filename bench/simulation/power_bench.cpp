// The power curve of the paper's two endpoints, n = 6..60, 10^4 trials per n with the exact test
// inside every trial: the acceptance target is the whole curve in under a minute on 2 cores.
// Items are simulated trials, so the report reads in trials per second.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <vector>

#include "resample/simulation/power.hpp"

namespace {

using resample::simulation::effect_model;
using resample::simulation::power_options;
using resample::simulation::test_kind;

const std::vector<double> pain{2, 9, 8, 10, 6, 4};
const std::vector<double> mobility{1, 1, 1, 0, 0, 3};

// state.range(0): 0 pain, 1 mobility; range(1): the test; range(2): the grid step.
void power_curve(benchmark::State& state) {
  const auto model = effect_model::bootstrap(state.range(0) == 0 ? pain : mobility);
  power_options o;
  o.test = static_cast<test_kind>(state.range(1));
  o.trials = 10000;
  std::vector<std::size_t> grid;
  for (std::size_t n = 6; n <= 60; n += static_cast<std::size_t>(state.range(2))) grid.push_back(n);
  for (auto _ : state) {
    const auto points = resample::simulation::power_curve(model, grid, o);
    benchmark::DoNotOptimize(points.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(o.trials * grid.size()));
  state.SetLabel(state.range(0) == 0 ? "pain" : "mobility");
}

BENCHMARK(power_curve)
    ->ArgNames({"data", "test", "step"})
    ->ArgsProduct({{0, 1},
                   {static_cast<long>(test_kind::sign_flip), static_cast<long>(test_kind::sign),
                    static_cast<long>(test_kind::wilcoxon), static_cast<long>(test_kind::t)},
                   {2}})
    ->Args({0, static_cast<long>(test_kind::sign_flip), 1})
    ->Args({1, static_cast<long>(test_kind::sign_flip), 1})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace
