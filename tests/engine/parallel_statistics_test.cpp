// Kernels are called from many threads at once (the bootstrap's blocks run in resample::parallel_for). The
// Hodges-Lehmann kernel keeps a thread_local scratch buffer: concurrent evaluation must give
// bit-identical results to a sequential one, and ThreadSanitizer (scripts/sanitizers.sh) must see
// no race.

#include <gtest/gtest.h>
#include <tbb/blocked_range.h>
#include <tbb/task_arena.h>

#include <cstddef>
#include <vector>

#include "parallel_for.hpp"
#include "random_stream.hpp"
#include "resample/statistics.hpp"

namespace resample {
namespace {

TEST(ParallelStatistics, ConcurrentEvaluationMatchesSequential) {
  std::vector<std::vector<double>> samples(600);
  random_stream draw(2002, stream_id::simulation, 0);
  for (auto& s : samples) {
    s.resize(2 + draw.below(40));
    for (double& x : s) x = static_cast<double>(draw.below(21)) - 10.0;
  }
  for (const char* spec : {"hl", "median", "sd", "trimmed:0.2"}) {
    const statistic stat = parse_statistic(spec);
    std::vector<double> sequential(samples.size()), concurrent(samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i) sequential[i] = evaluate(stat, samples[i]);
    // More threads than this machine's cores, so that workers really interleave.
    tbb::task_arena arena(4);
    arena.execute([&] {
      resample::parallel_for(tbb::blocked_range<std::size_t>(0, samples.size(), 8), [&](const auto& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i) concurrent[i] = evaluate(stat, samples[i]);
      });
    });
    EXPECT_EQ(concurrent, sequential) << spec;
  }
}

}  // namespace
}  // namespace resample
