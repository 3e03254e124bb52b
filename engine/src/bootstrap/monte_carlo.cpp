#include "resample/bootstrap/monte_carlo.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "resample/bootstrap/convolution.hpp"
#include "resample/bootstrap/exact_enumeration.hpp"
#include "resample/bootstrap/multinomial.hpp"
#include "resample/bootstrap/resampled_sum.hpp"
#include "resample/bootstrap/sampling.hpp"
#include "resample/error.hpp"
#include "resample/parallel_for.hpp"
#include "resample/random_stream.hpp"
#include "text.hpp"

namespace resample::bootstrap {

namespace {

using detail::binomial_cost_in_draws;
using detail::digit_source;
using detail::multinomial_sampler;

// Histograms larger than this (bins, per thread) fall back to storing replicates as doubles.
constexpr std::uint64_t max_histogram_bins = 1u << 22;
// Indices drawn together from one table lookup: n^g table entries at most.
constexpr std::uint64_t max_group_table = 4096;

struct plan {
  std::size_t n = 0;
  multiset data;
  bool sum_type = false;
  std::optional<score_lattice> lattice;
  bool histogram = false;
  bool histogram_2d = false;  // (sum, sum of squares) of lattice indices, for studentized
  std::uint64_t sum_bins = 0, square_bins = 0;
  bool multinomial = false;
  bool store_t_values = false;
  double memory = 0.0;
};

plan make_plan(std::span<const double> sample, const statistic& stat, const monte_carlo_options& options,
               std::size_t threads) {
  plan p;
  p.n = sample.size();
  p.data = to_multiset(sample);
  p.sum_type = is_sum_type(stat);
  const std::size_t k = p.data.support.size();
  p.multinomial = binomial_cost_in_draws * k < p.n;
  if (p.sum_type) p.lattice = find_score_lattice(statistic_scores(stat, p.data.support), 1u << 20);
  const double b = static_cast<double>(options.resamples);
  const double per_thread = static_cast<double>(std::max<std::size_t>(threads, 1));
  if (p.lattice) {
    const std::uint64_t top = p.lattice->max_index;
    p.sum_bins = p.n * top + 1;
    p.square_bins = p.n * top * top + 1;
    if (p.sum_bins <= max_histogram_bins) {
      p.histogram = true;
      if (options.studentized) {
        if (p.square_bins <= max_histogram_bins / p.sum_bins)
          p.histogram_2d = true;
        else
          p.store_t_values = true;
      }
    }
  }
  if (p.histogram) {
    const double bins = static_cast<double>(p.histogram_2d ? p.sum_bins * p.square_bins : p.sum_bins);
    p.memory = per_thread * bins * 8 + bins * 16 + (p.store_t_values ? b * 24 : 0.0);
  } else {
    // Replicates as doubles, then atoms (16 bytes each) for the distribution.
    p.memory = b * 24 * (options.studentized ? 2 : 1);
  }
  return p;
}

std::size_t thread_estimate() {
  return static_cast<std::size_t>(std::max(1, tbb::this_task_arena::max_concurrency()));
}

// Groups of g indices drawn as one digit in [0, n^g) with a table of their summed lattice indices.
struct group_table {
  std::size_t group = 1;
  std::vector<std::uint32_t> sums;     // g * max_index < 2^22 here (the histogram bound)
  std::vector<std::uint64_t> squares;  // g * max_index^2 may exceed 2^32
};

group_table make_group_table(std::size_t n, std::span<const std::uint32_t> patient_index) {
  group_table t;
  for (std::size_t g = 1; g <= n; ++g) {
    double size = std::pow(static_cast<double>(n), static_cast<double>(g));
    if (size > static_cast<double>(max_group_table)) break;
    if (n % g == 0) t.group = g;
  }
  std::size_t size = 1;
  for (std::size_t i = 0; i < t.group; ++i) size *= n;
  t.sums.resize(size);
  t.squares.resize(size);
  for (std::size_t u = 0; u < size; ++u) {
    std::size_t rest = u;
    std::uint32_t s = 0;
    std::uint64_t q = 0;
    for (std::size_t i = 0; i < t.group; ++i) {
      const std::uint64_t k = patient_index[rest % n];
      rest /= n;
      s += static_cast<std::uint32_t>(k);
      q += k * k;
    }
    t.sums[u] = s;
    t.squares[u] = q;
  }
  return t;
}

std::uint64_t block_count(std::uint64_t resamples) {
  return (resamples + resamples_per_block - 1) / resamples_per_block;
}

std::uint64_t block_size(std::uint64_t block, std::uint64_t resamples) {
  return std::min(resamples_per_block, resamples - block * resamples_per_block);
}

weighted_distribution finite_values(const std::vector<double>& values, std::uint64_t& dropped) {
  std::vector<atom> atoms;
  atoms.reserve(values.size());
  for (double v : values) {
    if (std::isnan(v))
      ++dropped;
    else
      atoms.push_back({v, 1.0});
  }
  if (atoms.empty()) return {};
  return weighted_distribution::from_atoms(std::move(atoms));
}

}  // namespace

double monte_carlo_memory_estimate(std::span<const double> sample, const statistic& stat,
                                   const monte_carlo_options& options) {
  return make_plan(sample, stat, options, thread_estimate()).memory;
}

monte_carlo_result monte_carlo_bootstrap(std::span<const double> sample, const statistic& stat,
                                         const monte_carlo_options& options) {
  constexpr const char* function = "resample::bootstrap::monte_carlo_bootstrap";
  const std::size_t n = sample.size();
  if (n < 2) throw_invalid_argument(function, "n = " + std::to_string(n) + ", expected n >= 2");
  if (options.resamples == 0) throw_invalid_argument(function, "resamples = 0, expected resamples >= 1");
  const std::size_t threads = thread_estimate();
  const plan p = make_plan(sample, stat, options, threads);
  if (options.max_memory_bytes > 0 && p.memory > options.max_memory_bytes)
    throw infeasible_error(detail::printf_string(
        "Monte Carlo with B = %llu resamples needs about %.3g MiB, above --max-memory = %.3g MiB; use fewer "
        "--resamples%s",
        static_cast<unsigned long long>(options.resamples), p.memory / 1048576.0,
        options.max_memory_bytes / 1048576.0,
        options.studentized ? " or leave studentized out of --ci" : ""));

  const std::uint64_t resamples = options.resamples;
  const std::uint64_t blocks = block_count(resamples);
  const double estimate = evaluate(stat, p.data);
  const std::size_t k = p.data.support.size();
  const std::span<const double> support(p.data.support);
  // Distinct-value index of each patient, for index draws.
  std::vector<std::uint32_t> patient_value(n);
  for (std::size_t i = 0; i < n; ++i)
    patient_value[i] = static_cast<std::uint32_t>(
        std::lower_bound(p.data.support.begin(), p.data.support.end(), sample[i]) - p.data.support.begin());
  const multinomial_sampler multinomial(p.data.counts, multinomial_sampler::default_table_entries, resamples);
  const double dn = static_cast<double>(n);

  monte_carlo_result result;
  std::vector<double> values;    // doubles path: replicate r at position r
  std::vector<double> t_values;  // studentized t* (NaN: se* = 0, dropped)
  if (!p.histogram) values.assign(resamples, 0.0);
  if (options.studentized && (p.store_t_values || !p.histogram)) t_values.assign(resamples, 0.0);

  if (p.histogram) {
    const score_lattice& lattice = *p.lattice;
    std::vector<std::uint32_t> value_index(k), patient_index(n);
    for (std::size_t j = 0; j < k; ++j) value_index[j] = lattice.index[j];
    for (std::size_t i = 0; i < n; ++i) patient_index[i] = value_index[patient_value[i]];
    const group_table table = make_group_table(n, patient_index);
    const std::size_t groups = n / table.group;
    const std::uint64_t bins = p.histogram_2d ? p.sum_bins * p.square_bins : p.sum_bins;
    const std::uint64_t square_bins = p.square_bins;
    const bool need_squares = options.studentized;
    const bool store_t = p.store_t_values;
    const double step = lattice.step, origin = lattice.origin;
    auto t_of = [&](std::uint64_t s, std::uint64_t q) {
      // se* from exact integer sums: n*q == s^2 exactly when every drawn index is equal.
      // In doubles: n * q can overflow 64 bits for large n and lattice spans; for equal draws both
      // products are the correctly rounded value of the same integer, so the test stays exact.
      const double spread = dn * static_cast<double>(q) - static_cast<double>(s) * static_cast<double>(s);
      if (!(spread > 0.0)) return std::numeric_limits<double>::quiet_NaN();
      const double se = step * std::sqrt(spread / dn / (dn - 1) / dn);
      return (origin + step * static_cast<double>(s) / dn - estimate) / se;
    };
    tbb::enumerable_thread_specific<std::vector<std::uint64_t>> histograms(
        [bins] { return std::vector<std::uint64_t>(bins, 0); });
    resample::parallel_for(std::uint64_t{0}, blocks, [&](std::uint64_t block) {
      auto& hist = histograms.local();
      detail::bulk_random_stream rng(options.seed, stream_id::bootstrap, block);
      const std::uint64_t count = block_size(block, resamples);
      const std::uint64_t first = block * resamples_per_block;
      if (p.multinomial) {
        std::vector<std::uint32_t> counts(k);
        for (std::uint64_t r = 0; r < count; ++r) {
          multinomial.draw(rng, n, counts);
          std::uint64_t s = 0, q = 0;
          for (std::size_t j = 0; j < k; ++j) s += static_cast<std::uint64_t>(counts[j]) * value_index[j];
          if (need_squares)
            for (std::size_t j = 0; j < k; ++j)
              q += static_cast<std::uint64_t>(counts[j]) * value_index[j] * value_index[j];
          if (p.histogram_2d)
            ++hist[s * square_bins + q];
          else
            ++hist[s];
          if (store_t) t_values[first + r] = t_of(s, q);
        }
      } else {
        digit_source digits(table.sums.size());
        // Digits for a chunk of resamples at once, so that fill() runs its four chains side by side.
        constexpr std::uint64_t chunk = 512;
        std::vector<std::uint32_t> drawn(chunk * groups);
        for (std::uint64_t start = 0; start < count; start += chunk) {
          const std::uint64_t in_chunk = std::min(chunk, count - start);
          digits.fill(rng, drawn.data(), in_chunk * groups);
          const std::uint32_t* u = drawn.data();
          for (std::uint64_t r = start; r < start + in_chunk; ++r) {
            std::uint64_t s = 0, q = 0;
            for (std::size_t g = 0; g < groups; ++g, ++u) {
              s += table.sums[*u];
              if (need_squares) q += table.squares[*u];
            }
            if (p.histogram_2d)
              ++hist[s * square_bins + q];
            else
              ++hist[s];
            if (store_t) t_values[first + r] = t_of(s, q);
          }
        }
      }
    });
    // Integer counts: the merge gives the same histogram in any order.
    std::vector<std::uint64_t> total(bins, 0);
    histograms.combine_each([&](const std::vector<std::uint64_t>& h) {
      for (std::uint64_t i = 0; i < bins; ++i) total[i] += h[i];
    });
    std::vector<atom> atoms, t_atoms;
    std::uint64_t dropped = 0;
    for (std::uint64_t i = 0; i < bins; ++i) {
      if (total[i] == 0) continue;
      const std::uint64_t s = p.histogram_2d ? i / square_bins : i;
      atoms.push_back({origin + step * static_cast<double>(s) / dn, static_cast<double>(total[i])});
      if (p.histogram_2d) {
        const double t = t_of(s, i % square_bins);
        if (std::isnan(t))
          dropped += total[i];
        else
          t_atoms.push_back({t, static_cast<double>(total[i])});
      }
    }
    result.distribution = weighted_distribution::from_atoms(std::move(atoms));
    result.path = detail::printf_string(
        "exact histogram of lattice sums (%llu bins), %s", static_cast<unsigned long long>(bins),
        p.multinomial ? "multinomial counts by binomial splits"
                      : detail::printf_string("index draws in groups of %zu", table.group).c_str());
    if (p.histogram_2d) {
      result.studentized_dropped = dropped;
      if (!t_atoms.empty()) result.studentized = weighted_distribution::from_atoms(std::move(t_atoms));
    }
  } else {
    visit_statistic(stat, [&](auto concrete) {
      using concrete_type = decltype(concrete);
      std::vector<double> patient_score;
      std::optional<detail::resampled_sum> sum_kernel;
      if constexpr (concrete_type::sum_type) {
        for (std::size_t i = 0; i < n; ++i) patient_score.push_back(concrete.score(sample[i]));
        if (!p.multinomial) sum_kernel.emplace(patient_score);
      }
      resample::parallel_for(std::uint64_t{0}, blocks, [&](std::uint64_t block) {
        detail::bulk_random_stream rng(options.seed, stream_id::bootstrap, block);
        const std::uint64_t count = block_size(block, resamples);
        const std::uint64_t first = block * resamples_per_block;
        if constexpr (concrete_type::sum_type) {
          if (!p.multinomial) {
            // Sums straight into the replicate slots, then scaled: one pass, no per-resample calls.
            double* sums = values.data() + first;
            std::vector<double> squares(options.studentized ? count : 0);
            sum_kernel->draw(rng, count, sums, options.studentized ? squares.data() : nullptr);
            for (std::uint64_t r = 0; r < count; ++r) {
              const double sum = sums[r];
              const double t = sum / dn;
              sums[r] = t;
              if (options.studentized) {
                const double spread = squares[r] - sum * sum / dn;
                // Relative test: a spread at rounding level means every draw was the same value.
                const double se = spread > 1e-12 * squares[r] ? std::sqrt(spread / (dn - 1) / dn) : 0.0;
                t_values[first + r] =
                    se > 0.0 ? (t - estimate) / se : std::numeric_limits<double>::quiet_NaN();
              }
            }
            return;
          }
        }
        std::vector<std::uint32_t> counts(k);
        const std::span<const std::uint32_t> counts_view(counts);
        digit_source digits(n);
        std::vector<std::uint32_t> drawn(n);
        for (std::uint64_t r = 0; r < count; ++r) {
          if (p.multinomial) {
            multinomial.draw(rng, n, counts);
          } else {
            std::fill(counts.begin(), counts.end(), 0u);
            digits.fill(rng, drawn.data(), n);
            for (std::size_t i = 0; i < n; ++i) ++counts[patient_value[drawn[i]]];
          }
          const double t = concrete(support, counts_view, n);
          values[first + r] = t;
          if (options.studentized) {
            double se = 0.0;
            if constexpr (concrete_type::sum_type) {
              double sum = 0.0, squares = 0.0;
              for (std::size_t j = 0; j < k; ++j) {
                const double x = concrete.score(support[j]);
                sum += counts[j] * x;
                squares += counts[j] * x * x;
              }
              const double spread = squares - sum * sum / dn;
              se = spread > 1e-12 * squares ? std::sqrt(spread / (dn - 1) / dn) : 0.0;
            } else {
              se = nested_bootstrap_se(stat, support, counts_view, options.seed, first + r);
            }
            t_values[first + r] = se > 0.0 ? (t - estimate) / se : std::numeric_limits<double>::quiet_NaN();
          }
        }
      });
    });
    std::uint64_t ignored = 0;
    result.distribution = finite_values(values, ignored);
    result.path = p.multinomial ? "replicates stored, multinomial counts by binomial splits"
                                : "replicates stored, index draws";
  }
  if (!t_values.empty()) {
    std::uint64_t dropped = 0;
    auto t = finite_values(t_values, dropped);
    result.studentized_dropped = dropped;
    if (!t.empty()) result.studentized = std::move(t);
  }
  if (options.studentized) {
    result.studentized_resamples = resamples - result.studentized_dropped;
    result.studentized_method = p.sum_type
                                    ? "analytic se* = sd(scores*) / sqrt(n)"
                                    : "nested bootstrap se* (exact inner enumeration up to 2000 multisets, "
                                      "else 200 Monte Carlo inner resamples)";
  }
  return result;
}

}  // namespace resample::bootstrap
