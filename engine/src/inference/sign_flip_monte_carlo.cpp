// Monte Carlo sign-flip test: B random sign patterns, p = (b + 1)/(B + 1) (the observed pattern
// counts as one of the reference set, so p is never 0). Patterns come in fixed blocks of
// resamples_per_block from the counter-based stream (seed, sign_flip, block): identical for any
// thread count. Sum-type statistics (mean, prop_ge) go through the masked-sum kernel of
// sign_flip_sums.hpp (AVX2 or its portable twin, same bits), or, for data with few distinct |d|,
// one binomial count per distinct |d|; the median flips and selects its two middle values; the
// others flip, sort and evaluate.

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "bootstrap/sampling.hpp"
#include "parallel_for.hpp"
#include "random_stream.hpp"
#include "resample/error.hpp"
#include "resample/monte_carlo_blocks.hpp"
#include "sign_flip_detail.hpp"
#include "sign_flip_sums.hpp"

namespace resample::inference {

namespace {

// A grouped draw (one word, one alias-table entry) costs about as much as 48 differences of the
// masked sum (a word per 64 of them and a vector add per 4): InferenceSignFlipMonteCarlo gives
// about 10-12 ns per draw and 0.2-0.24 ns per difference at n = 1000 and 5000.
constexpr std::size_t grouped_draw_cost_in_differences = 48;

// The sum-type kernel of a run, built once and read by every thread: grouped binomial counts
// where the data have few distinct |d|, else the masked sum.
class sum_kernel {
 public:
  template <class Stat>
  sum_kernel(const detail::sign_flip_problem& p, Stat stat) {
    const std::size_t m = p.nonzero.size();
    std::vector<double> magnitudes(m);
    for (std::size_t i = 0; i < m; ++i) magnitudes[i] = std::fabs(p.nonzero[i]);
    const double zero_score = static_cast<double>(p.zeros) * stat.score(0.0);
    if (detail::distinct_count(magnitudes) * grouped_draw_cost_in_differences <= m) {
      grouped_.emplace(zero_score, magnitudes, [&](double x) { return stat.score(x); });
      if (grouped_->valid()) return;
      grouped_.reset();
    }
    // S = base + sum of delta over the flipped differences.
    double base = zero_score;
    std::vector<double> deltas(m);
    for (std::size_t i = 0; i < m; ++i) {
      const double d = p.nonzero[i];
      base += stat.score(d);
      deltas[i] = stat.score(-d) - stat.score(d);
    }
    masked_.emplace(base, deltas);
  }

  void draw(bootstrap::detail::bulk_random_stream& rng, std::uint64_t count, double* sums) const {
    if (grouped_)
      grouped_->draw(rng, count, sums);
    else
      masked_->draw(rng, count, sums);
  }

 private:
  std::optional<detail::sign_flip_group_sums> grouped_;
  std::optional<detail::sign_flip_sums> masked_;
};

// Sum-type statistics: the kernel draws the block's patterns, a chunk of sums at a time (a buffer
// on the stack; the kernels consume the same words however the block is cut).
detail::tally run_sum_block(const sum_kernel& kernel, const detail::classifier& cls, std::uint64_t seed,
                            std::uint64_t block, std::uint64_t count) {
  bootstrap::detail::bulk_random_stream stream(seed, stream_id::sign_flip, block);
  detail::tally t;
  constexpr std::uint64_t chunk = 512;
  double sums[chunk];
  for (std::uint64_t done = 0; done < count; done += chunk) {
    const std::uint64_t k = std::min(chunk, count - done);
    kernel.draw(stream, k, sums);
    for (std::uint64_t r = 0; r < k; ++r) cls.add(sums[r], t);
  }
  return t;
}

// Other statistics: flip, sort, evaluate.
template <class Stat>
detail::tally run_block(const detail::sign_flip_problem& p, Stat stat, const detail::classifier& cls,
                        std::uint64_t seed, std::uint64_t block, std::uint64_t count) {
  random_stream stream(seed, stream_id::sign_flip, block);
  detail::tally t;
  const std::size_t m = p.nonzero.size();
  // Buffers live for the block, not the pattern.
  std::vector<double> flipped(p.n, 0.0);
  const std::vector<std::uint32_t> ones(p.n, 1u);
  for (std::uint64_t r = 0; r < count; ++r) {
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < m; ++i) {
      if (i % 64 == 0) bits = stream();
      flipped[i] = (bits >> (i % 64)) & 1u ? -p.nonzero[i] : p.nonzero[i];
    }
    std::fill(flipped.begin() + static_cast<std::ptrdiff_t>(m), flipped.end(), 0.0);
    if constexpr (std::is_same_v<Stat, statistics::median>) {
      // The median needs two order statistics, not the whole order: a selection, O(n) where the
      // sort was O(n log n), and the same two values, so the same midpoint bit for bit.
      const std::size_t lo = (p.n - 1) / 2, hi = p.n / 2;
      const auto at = [&](std::size_t i) { return flipped.begin() + static_cast<std::ptrdiff_t>(i); };
      std::nth_element(flipped.begin(), at(hi), flipped.end());
      const double upper = *at(hi);
      const double lower = lo == hi ? upper : *std::max_element(flipped.begin(), at(hi));
      cls.add(std::midpoint(lower, upper), t);
    } else {
      std::sort(flipped.begin(), flipped.end());
      cls.add(stat(std::span<const double>(flipped), std::span<const std::uint32_t>(ones), p.n), t);
    }
  }
  return t;
}

// The tally as the partial's counts, in this fixed order.
block_partial to_partial(const detail::tally& t, std::uint64_t first, std::uint64_t last) {
  block_partial out;
  out.first_block = first;
  out.last_block = last;
  out.counts = {t.greater, t.less, t.equal, t.abs_more, t.abs_equal};
  return out;
}

block_partial run_blocks(const detail::sign_flip_problem& p, const statistic& stat,
                         const sign_flip_options& options, std::uint64_t first, std::uint64_t last) {
  const std::uint64_t B = options.resamples;
  const std::uint64_t blocks = monte_carlo_block_count(B);
  if (first > last || last > blocks)
    throw_invalid_argument("resample::sign_flip_monte_carlo_blocks",
                           "blocks [" + std::to_string(first) + ", " + std::to_string(last) +
                               "), expected a range within [0, " + std::to_string(blocks) + ")");
  std::vector<detail::tally> tallies(last - first);
  const auto cls = detail::make_classifier(p);
  detail::run_with_threads(options.exec.threads, [&] {
    visit_statistic(stat, [&](auto concrete) {
      // One kernel for the run, read by every thread.
      const auto sums = [&] {
        if constexpr (decltype(concrete)::sum_type)
          return sum_kernel(p, concrete);
        else
          return 0;
      }();
      resample::parallel_for(tbb::blocked_range<std::uint64_t>(first, last), [&](const auto& range) {
        for (std::uint64_t b = range.begin(); b != range.end(); ++b) {
          // Block boundaries are where a run can stop without leaving a partial result.
          if (cancel_requested(options.exec))
            throw cancelled_error("resample::sign_flip_monte_carlo: cancelled at a block boundary");
          const std::uint64_t count = std::min(resamples_per_block, B - b * resamples_per_block);
          if constexpr (decltype(concrete)::sum_type)
            tallies[b - first] = run_sum_block(sums, cls, options.seed, b, count);
          else
            tallies[b - first] = run_block(p, concrete, cls, options.seed, b, count);
        }
      });
    });
  });
  detail::tally t;
  for (const auto& x : tallies) t += x;
  return to_partial(t, first, last);
}

detail::sign_flip_problem prepare(std::span<const double> differences, const statistic& stat,
                                  const sign_flip_options& options, const char* function) {
  auto p = detail::prepare_sign_flip(differences, stat, function);
  if (options.resamples < 1) throw_invalid_argument(function, "resamples = 0, expected at least 1");
  return p;
}

test_result finish(const detail::sign_flip_problem& p, alternative alt, const sign_flip_options& options,
                   const block_partial& all) {
  const std::uint64_t B = options.resamples;
  if (all.first_block != 0 || all.last_block != monte_carlo_block_count(B) || all.counts.size() != 5 ||
      !all.values.empty() || !all.t_values.empty())
    throw_invalid_argument("resample::sign_flip_monte_carlo_finish",
                           "the partial holds blocks [" + std::to_string(all.first_block) + ", " +
                               std::to_string(all.last_block) + ") and " + std::to_string(all.counts.size()) +
                               " counts, expected all " + std::to_string(monte_carlo_block_count(B)) +
                               " blocks and 5 counts");
  detail::tally t;
  t.greater = all.counts[0], t.less = all.counts[1], t.equal = all.counts[2], t.abs_more = all.counts[3],
  t.abs_equal = all.counts[4];
  auto r = detail::base_result(p, alt, "monte_carlo", false);
  r.resamples = B;
  const double denominator = static_cast<double>(B) + 1.0;
  const double upper = (static_cast<double>(t.greater + t.equal) + 1.0) / denominator;
  const double lower = (static_cast<double>(t.less + t.equal) + 1.0) / denominator;
  // Binomial standard error of a proportion estimated from B patterns.
  auto se = [&](double q) { return std::sqrt(q * (1.0 - q) / static_cast<double>(B)); };
  switch (alt) {
    case alternative::greater:
      r.p_value = upper, r.mc_se = se(upper);
      break;
    case alternative::less:
      r.p_value = lower, r.mc_se = se(lower);
      break;
    case alternative::two_sided:
      if (p.rule == detail::two_sided_rule::doubled) {
        const double q = std::min(upper, lower);
        r.p_value = std::min(1.0, 2.0 * q);
        r.mc_se = 2.0 * se(q);
      } else {
        r.p_value = (static_cast<double>(t.abs_more + t.abs_equal) + 1.0) / denominator;
        r.mc_se = se(r.p_value);
      }
      break;
  }
  r.smallest_attainable_p = std::max(r.smallest_attainable_p, 1.0 / denominator);
  if (options.mid_p)
    r.notes.push_back("mid-p is defined for the exact null distribution only, not reported for Monte Carlo");
  r.notes.push_back("Monte Carlo: " + std::to_string(B) + " random sign patterns, seed " +
                    std::to_string(options.seed) + "; p = (b + 1)/(B + 1)");
  return r;
}

}  // namespace

double sign_flip_monte_carlo_memory_estimate(std::size_t n, std::uint64_t resamples) {
  // Per block a tally; per thread the flipped sample and its ones (small beside the tallies).
  return static_cast<double>(monte_carlo_block_count(resamples)) * sizeof(detail::tally) +
         static_cast<double>(n) * (sizeof(double) + sizeof(std::uint32_t)) * 64;
}

test_result sign_flip_monte_carlo(std::span<const double> differences, const statistic& stat, alternative alt,
                                  const sign_flip_options& options) {
  const auto p = prepare(differences, stat, options, "resample::sign_flip_monte_carlo");
  // One code path: all blocks as one range (or as ranges spread by the distributor), then finish.
  const block_range_runner blocks = [&](std::uint64_t first, std::uint64_t last) {
    return run_blocks(p, stat, options, first, last);
  };
  const std::uint64_t count = monte_carlo_block_count(options.resamples);
  return finish(p, alt, options,
                options.exec.distribute ? (*options.exec.distribute)(count, blocks) : blocks(0, count));
}

block_partial sign_flip_monte_carlo_blocks(std::span<const double> differences, const statistic& stat,
                                           const sign_flip_options& options, std::uint64_t first,
                                           std::uint64_t last) {
  const auto p = prepare(differences, stat, options, "resample::sign_flip_monte_carlo_blocks");
  return run_blocks(p, stat, options, first, last);
}

test_result sign_flip_monte_carlo_finish(std::span<const double> differences, const statistic& stat,
                                         alternative alt, const sign_flip_options& options,
                                         const block_partial& all) {
  return finish(prepare(differences, stat, options, "resample::sign_flip_monte_carlo_finish"), alt, options,
                all);
}

}  // namespace resample::inference
