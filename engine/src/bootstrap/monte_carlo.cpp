#include "resample/bootstrap/monte_carlo.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "bootstrap/multinomial.hpp"
#include "bootstrap/resampled_sum.hpp"
#include "bootstrap/sampling.hpp"
#include "parallel_for.hpp"
#include "random_stream.hpp"
#include "resample/bootstrap/convolution.hpp"
#include "resample/bootstrap/exact_enumeration.hpp"
#include "resample/bootstrap/jackknife.hpp"
#include "resample/bootstrap/order_statistic_se.hpp"
#include "resample/error.hpp"
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
// Resamples tallied by multiset (below) when the key space has at most this many bins: 2 MiB of
// counts per thread, so the increments stay in L2/L3.
constexpr std::uint64_t max_multiset_bins = 1u << 18;

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
  // Small samples of any statistic: a resample is a multiset of the K distinct values, and each is
  // tallied under the key sum_j c_j (n+1)^j over j < K-1 (the counts are base-(n+1) digits; the
  // last count is n minus the others). The key is a sum over the drawn patients, so the lattice
  // histogram's draws count it with the weights as lattice indices; the statistic (and se*, where
  // it is a function of the multiset) is evaluated once per distinct multiset when finishing.
  bool multiset_keys = false;
  std::vector<std::uint32_t> multiset_weights;  // per distinct value
  double memory = 0.0;
};

// The bins of the multiset key of n draws from k distinct values, or 0 when above the limit.
std::uint64_t multiset_key_bins(std::size_t n, std::size_t k) {
  std::uint64_t top = 0;  // the largest weight, (n+1)^(k-2)
  for (std::size_t j = 0; j + 1 < k; ++j) {
    top = j == 0 ? 1 : top * (n + 1);
    if (top * n >= max_multiset_bins) return 0;
  }
  return top * n + 1;
}

// The options with the se* method a run uses (automatic resolved; only where se* is computed).
monte_carlo_options with_resolved_se(const monte_carlo_options& options, const statistic& stat) {
  monte_carlo_options out = options;
  if (options.studentized && !is_sum_type(stat))
    out.se_method = resolve_studentized_se(options.se_method, stat);
  return out;
}

plan make_plan(std::span<const double> sample, const statistic& stat, const monte_carlo_options& requested,
               std::size_t threads) {
  const monte_carlo_options options = with_resolved_se(requested, stat);
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
  // The multiset tally needs se* to be a function of the multiset: analytic (sum-type) or jackknife.
  // The nested bootstrap se* is seeded by the resample's index (nested_bootstrap_se), so those runs
  // keep their replicates.
  const bool se_of_multiset = !options.studentized || p.sum_type ||
                              options.se_method == studentized_se_method::jackknife ||
                              options.se_method == studentized_se_method::order_statistic;
  if (!p.histogram && se_of_multiset) {
    const std::uint64_t bins = multiset_key_bins(p.n, k);
    if (bins > 0) {
      p.histogram = p.multiset_keys = true;
      p.sum_bins = bins;
      p.multiset_weights.assign(k, 0);
      std::uint32_t weight = 1;
      for (std::size_t j = 0; j + 1 < k; ++j, weight *= static_cast<std::uint32_t>(p.n + 1))
        p.multiset_weights[j] = weight;
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

weighted_distribution finite_values(const std::vector<double>& values, std::uint64_t& dropped,
                                    value_equality equal = {}) {
  std::vector<atom> atoms;
  atoms.reserve(values.size());
  for (double v : values) {
    if (std::isnan(v))
      ++dropped;
    else
      atoms.push_back({v, 1.0});
  }
  if (atoms.empty()) return {};
  return weighted_distribution::from_atoms(std::move(atoms), equal);
}

// A spread (sum of squares minus the squared sum over n) within the rounding of those sums means
// every draw had the same score: se* = 0, and the resample is dropped.
double spread_rounding(double dn) { return 2.0 * (dn + 2.0) * machine_epsilon; }

// The analytic se* of a sum-type statistic's resample given by its counts over the support, from
// scores relative to `centre` (a data value near the middle, see replicate_blocks); 0 when every
// drawn score is equal.
template <class Concrete>
double analytic_resample_se(const Concrete& concrete, std::span<const double> support,
                            std::span<const std::uint32_t> counts, double dn, double centre) {
  double sum = 0.0, squares = 0.0;
  for (std::size_t j = 0; j < support.size(); ++j) {
    const double x = concrete.score(support[j]) - centre;
    sum += counts[j] * x;
    squares += counts[j] * x * x;
  }
  const double spread = squares - sum * sum / dn;
  return spread > spread_rounding(dn) * squares ? std::sqrt(spread / (dn - 1) / dn) : 0.0;
}

// Per-resample doubles of a block range, addressed by the absolute resample index r as the
// single-run loops always did (values[first + r]): the range's first resample sits at offset 0.
struct range_store {
  double* base = nullptr;
  std::uint64_t offset = 0;
  double& operator[](std::uint64_t r) const { return base[r - offset]; }
};

// One Monte Carlo bootstrap run: the setup shared by every block range and by the finish step.
class monte_carlo_run {
 public:
  monte_carlo_run(std::span<const double> sample, const statistic& stat, const monte_carlo_options& options,
                  const char* function)
      : sample_(sample),
        stat_(stat),
        options_(with_resolved_se(options, stat)),
        n_(sample.size()),
        p_(checked_plan(sample, stat, options_, function)),
        estimate_(evaluate(stat, p_.data)),
        k_(p_.data.support.size()),
        multinomial_(p_.data.counts, multinomial_sampler::default_table_entries, options.resamples),
        dn_(static_cast<double>(n_)),
        equal_(statistic_equality(stat, sample)) {
    // Distinct-value index of each patient, for index draws.
    patient_value_.resize(n_);
    for (std::size_t i = 0; i < n_; ++i)
      patient_value_[i] = static_cast<std::uint32_t>(
          std::lower_bound(p_.data.support.begin(), p_.data.support.end(), sample[i]) -
          p_.data.support.begin());
    if (p_.histogram) {
      value_index_.resize(k_);
      patient_index_.resize(n_);
      for (std::size_t j = 0; j < k_; ++j)
        value_index_[j] = p_.multiset_keys ? p_.multiset_weights[j] : p_.lattice->index[j];
      for (std::size_t i = 0; i < n_; ++i) patient_index_[i] = value_index_[patient_value_[i]];
      table_ = make_group_table(n_, patient_index_);
      bins_ = p_.histogram_2d ? p_.sum_bins * p_.square_bins : p_.sum_bins;
    }
  }

  const plan& planned() const { return p_; }

  block_partial blocks(std::uint64_t first_block, std::uint64_t last_block) const;
  monte_carlo_result finish(block_partial&& all) const;

 private:
  static plan checked_plan(std::span<const double> sample, const statistic& stat,
                           const monte_carlo_options& options, const char* function) {
    const std::size_t n = sample.size();
    if (n < 2) throw_invalid_argument(function, "n = " + std::to_string(n) + ", expected n >= 2");
    if (options.resamples == 0) throw_invalid_argument(function, "resamples = 0, expected resamples >= 1");
    return make_plan(sample, stat, options, thread_estimate());
  }

  double t_of(std::uint64_t s, std::uint64_t q) const {
    // se* from exact integer sums: n*q == s^2 exactly when every drawn index is equal.
    // In doubles: n * q can overflow 64 bits for large n and lattice spans; for equal draws both
    // products are the correctly rounded value of the same integer, so the test stays exact.
    const double dn = dn_;
    const double step = p_.lattice->step, origin = p_.lattice->origin;
    const double spread = dn * static_cast<double>(q) - static_cast<double>(s) * static_cast<double>(s);
    if (!(spread > 0.0)) return std::numeric_limits<double>::quiet_NaN();
    const double se = step * std::sqrt(spread / dn / (dn - 1) / dn);
    return (origin + step * static_cast<double>(s) / dn - estimate_) / se;
  }

  // Block loop bodies: histogram paths add to `hist`, replicate paths write values[first + r].
  void histogram_blocks(std::uint64_t first_block, std::uint64_t last_block,
                        tbb::enumerable_thread_specific<std::vector<std::uint64_t>>& histograms,
                        range_store t_values) const;
  void replicate_blocks(std::uint64_t first_block, std::uint64_t last_block, range_store values,
                        range_store t_values) const;

  // The distribution (and t*) of a multiset tally: every key with a count, decoded into the counts
  // of the distinct values, evaluated once and weighted by how many resamples drew it.
  void finish_multisets(const std::vector<std::uint64_t>& tally, monte_carlo_result& result) const;

  void check_cancel() const {
    if (cancel_requested(options_.exec))
      throw cancelled_error("resample::bootstrap::monte_carlo_bootstrap: cancelled at a block boundary");
  }

  std::span<const double> sample_;
  const statistic& stat_;
  const monte_carlo_options options_;  // with se_method resolved
  std::size_t n_;
  plan p_;
  double estimate_;
  std::size_t k_;
  multinomial_sampler multinomial_;
  double dn_;
  value_equality equal_;  // leave-one-out values within rounding of each other: se* = 0
  std::vector<std::uint32_t> patient_value_;
  // Histogram paths.
  std::vector<std::uint32_t> value_index_, patient_index_;
  group_table table_;
  std::uint64_t bins_ = 0;
};

void monte_carlo_run::histogram_blocks(
    std::uint64_t first_block, std::uint64_t last_block,
    tbb::enumerable_thread_specific<std::vector<std::uint64_t>>& histograms, range_store t_values) const {
  const plan& p = p_;
  const std::size_t n = n_, k = k_;
  const std::uint64_t resamples = options_.resamples;
  const multinomial_sampler& multinomial = multinomial_;
  const std::vector<std::uint32_t>& value_index = value_index_;
  const group_table& table = table_;
  const std::size_t groups = n / table.group;
  const std::uint64_t square_bins = p.square_bins;
  const bool need_squares = options_.studentized && !p.multiset_keys;
  const bool store_t = p.store_t_values;
  const auto& options = options_;
  auto t_of = [this](std::uint64_t s, std::uint64_t q) { return this->t_of(s, q); };
  resample::parallel_for(first_block, last_block, [&](std::uint64_t block) {
    check_cancel();
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
}

void monte_carlo_run::replicate_blocks(std::uint64_t first_block, std::uint64_t last_block,
                                       range_store values, range_store t_values) const {
  const plan& p = p_;
  const std::size_t n = n_, k = k_;
  const std::uint64_t resamples = options_.resamples;
  const multinomial_sampler& multinomial = multinomial_;
  const std::vector<std::uint32_t>& patient_value = patient_value_;
  const std::span<const double> support(p.data.support);
  const std::span<const double> sample = sample_;
  const statistic& stat = stat_;
  const auto& options = options_;
  const double estimate = estimate_, dn = dn_;
  const value_equality equal = equal_;
  const bool jackknife_se = options_.se_method == studentized_se_method::jackknife;
  const bool order_se = options_.se_method == studentized_se_method::order_statistic;
  visit_statistic(stat, [&](auto concrete) {
    using concrete_type = decltype(concrete);
    std::vector<double> patient_score;
    std::optional<detail::resampled_sum> sum_kernel;
    // Scores are summed relative to a data value near the middle: with data such as 1e12 + x,
    // x of order 1, the sum of squares of the raw scores would cancel all of the spread's digits
    // (studentized se*), and the centre, a data value, scales with the data so no result depends
    // on the unit.
    double centre = 0.0;
    if constexpr (concrete_type::sum_type) {
      centre = concrete.score(support[k / 2]);
      for (std::size_t i = 0; i < n; ++i) patient_score.push_back(concrete.score(sample[i]) - centre);
      if (!p.multinomial) sum_kernel.emplace(patient_score);
    }
    const double rounding = spread_rounding(dn);
    resample::parallel_for(first_block, last_block, [&](std::uint64_t block) {
      check_cancel();
      detail::bulk_random_stream rng(options.seed, stream_id::bootstrap, block);
      const std::uint64_t count = block_size(block, resamples);
      const std::uint64_t first = block * resamples_per_block;
      if constexpr (concrete_type::sum_type) {
        if (!p.multinomial) {
          // Sums straight into the replicate slots, then scaled: one pass, no per-resample calls.
          double* sums = &values[first];
          std::vector<double> squares(options.studentized ? count : 0);
          sum_kernel->draw(rng, count, sums, options.studentized ? squares.data() : nullptr);
          for (std::uint64_t r = 0; r < count; ++r) {
            const double sum = sums[r];
            const double t = sum / dn + centre;
            sums[r] = t;
            if (options.studentized) {
              const double spread = squares[r] - sum * sum / dn;
              const double se = spread > rounding * squares[r] ? std::sqrt(spread / (dn - 1) / dn) : 0.0;
              t_values[first + r] = se > 0.0 ? (t - estimate) / se : std::numeric_limits<double>::quiet_NaN();
            }
          }
          return;
        }
      }
      // Per block, not per resample: the loop below allocates nothing (the jackknife se* works in
      // place on `counts`).
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
            se = analytic_resample_se(concrete, support, counts_view, dn, centre);
          } else if (order_se) {
            se = order_statistic_se(stat.kind, support, counts_view, n);
          } else if (jackknife_se) {
            se = multiset_jackknife_se(concrete, support, std::span<std::uint32_t>(counts), n, equal);
          } else {
            se = nested_bootstrap_se(stat, support, counts_view, options.seed, first + r);
          }
          t_values[first + r] = se > 0.0 ? (t - estimate) / se : std::numeric_limits<double>::quiet_NaN();
        }
      }
    });
  });
}

block_partial monte_carlo_run::blocks(std::uint64_t first_block, std::uint64_t last_block) const {
  const std::uint64_t blocks = block_count(options_.resamples);
  if (first_block > last_block || last_block > blocks)
    throw_invalid_argument("resample::bootstrap::monte_carlo_blocks",
                           "blocks [" + std::to_string(first_block) + ", " + std::to_string(last_block) +
                               "), expected a range within [0, " + std::to_string(blocks) + ")");
  block_partial out;
  out.first_block = first_block;
  out.last_block = last_block;
  const std::uint64_t offset = first_block * resamples_per_block;
  const std::uint64_t end = std::min(last_block * resamples_per_block, options_.resamples);
  const std::uint64_t in_range = end > offset ? end - offset : 0;
  if (options_.studentized && (p_.store_t_values || !p_.histogram)) out.t_values.assign(in_range, 0.0);
  const range_store t_values{out.t_values.data(), offset};
  if (p_.histogram) {
    const std::uint64_t bins = bins_;
    tbb::enumerable_thread_specific<std::vector<std::uint64_t>> histograms(
        [bins] { return std::vector<std::uint64_t>(bins, 0); });
    histogram_blocks(first_block, last_block, histograms, t_values);
    // Integer counts: the merge gives the same histogram in any order.
    out.counts.assign(bins, 0);
    histograms.combine_each([&](const std::vector<std::uint64_t>& h) {
      for (std::uint64_t i = 0; i < bins; ++i) out.counts[i] += h[i];
    });
  } else {
    out.values.assign(in_range, 0.0);
    replicate_blocks(first_block, last_block, range_store{out.values.data(), offset}, t_values);
  }
  return out;
}

monte_carlo_result monte_carlo_run::finish(block_partial&& all) const {
  constexpr const char* function = "resample::bootstrap::monte_carlo_finish";
  const plan& p = p_;
  const std::uint64_t resamples = options_.resamples;
  const bool with_t = options_.studentized && (p.store_t_values || !p.histogram);
  const bool fits = all.first_block == 0 && all.last_block == block_count(resamples) &&
                    all.counts.size() == (p.histogram ? bins_ : 0) &&
                    all.values.size() == (p.histogram ? 0 : resamples) &&
                    all.t_values.size() == (with_t ? resamples : 0);
  if (!fits)
    throw_invalid_argument(function, "the partial holds blocks [" + std::to_string(all.first_block) + ", " +
                                         std::to_string(all.last_block) +
                                         ") with tallies or replicates that do not fit this run, expected "
                                         "all " +
                                         std::to_string(block_count(resamples)) + " blocks");
  const double dn = dn_;
  // Replicates of the same resampled value computed in another order merge (equality.hpp).
  const value_equality equal = statistic_equality(stat_, sample_);
  monte_carlo_result result;
  if (p.multiset_keys) {
    finish_multisets(all.counts, result);
  } else if (p.histogram) {
    const std::vector<std::uint64_t>& total = all.counts;
    const std::uint64_t bins = bins_, square_bins = p.square_bins;
    const double step = p.lattice->step, origin = p.lattice->origin;
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
    result.distribution = weighted_distribution::from_atoms(std::move(atoms), equal);
    result.path = detail::printf_string(
        "exact histogram of lattice sums (%llu bins), %s", static_cast<unsigned long long>(bins),
        p.multinomial ? "multinomial counts by binomial splits"
                      : detail::printf_string("index draws in groups of %zu", table_.group).c_str());
    if (p.histogram_2d) {
      result.studentized_dropped = dropped;
      if (!t_atoms.empty()) result.studentized = weighted_distribution::from_atoms(std::move(t_atoms));
    }
  } else {
    std::uint64_t ignored = 0;
    result.distribution = finite_values(all.values, ignored, equal);
    result.path = p.multinomial ? "replicates stored, multinomial counts by binomial splits"
                                : "replicates stored, index draws";
  }
  if (!all.t_values.empty()) {
    std::uint64_t dropped = 0;
    auto t = finite_values(all.t_values, dropped);
    result.studentized_dropped = dropped;
    if (!t.empty()) result.studentized = std::move(t);
  }
  if (options_.studentized) {
    result.studentized_resamples = resamples - result.studentized_dropped;
    result.studentized_method = p.sum_type ? std::string("analytic se* = sd(scores*) / sqrt(n)")
                                           : std::string(describe_studentized_se(options_.se_method));
  }
  return result;
}

void monte_carlo_run::finish_multisets(const std::vector<std::uint64_t>& tally,
                                       monte_carlo_result& result) const {
  const std::size_t n = n_, k = k_;
  const std::span<const double> support(p_.data.support);
  const double estimate = estimate_, dn = dn_;
  const bool studentized = options_.studentized;
  const bool jackknife_se = options_.se_method == studentized_se_method::jackknife;
  const bool order_se = options_.se_method == studentized_se_method::order_statistic;
  std::vector<atom> atoms, t_atoms;
  std::uint64_t dropped = 0;
  std::vector<std::uint32_t> counts(k);
  visit_statistic(stat_, [&](auto concrete) {
    using concrete_type = decltype(concrete);
    // The same centre as the replicate path's analytic se*.
    double centre = 0.0;
    if constexpr (concrete_type::sum_type) centre = concrete.score(support[k / 2]);
    for (std::uint64_t key = 0; key < tally.size(); ++key) {
      if (tally[key] == 0) continue;
      std::uint64_t rest = key, drawn = 0;
      for (std::size_t j = 0; j + 1 < k; ++j) {
        counts[j] = static_cast<std::uint32_t>(rest % (n + 1));
        rest /= n + 1;
        drawn += counts[j];
      }
      counts[k - 1] = static_cast<std::uint32_t>(n - drawn);
      const std::span<const std::uint32_t> view(counts);
      const double t = concrete(support, view, n);
      if (std::isnan(t)) continue;  // as finite_values does for stored replicates
      const double weight = static_cast<double>(tally[key]);
      atoms.push_back({t, weight});
      if (!studentized) continue;
      double se = 0.0;
      if constexpr (concrete_type::sum_type)
        se = analytic_resample_se(concrete, support, view, dn, centre);
      else if (order_se)
        se = order_statistic_se(stat_.kind, support, view, n);
      else if (jackknife_se)
        se = multiset_jackknife_se(concrete, support, std::span<std::uint32_t>(counts), n, equal_);
      if (se > 0.0)
        t_atoms.push_back({(t - estimate) / se, weight});
      else
        dropped += tally[key];
    }
  });
  if (!atoms.empty()) result.distribution = weighted_distribution::from_atoms(std::move(atoms), equal_);
  if (studentized) {
    result.studentized_dropped = dropped;
    if (!t_atoms.empty()) result.studentized = weighted_distribution::from_atoms(std::move(t_atoms));
  }
  result.path = detail::printf_string(
      "exact tally of resampled multisets (%llu keys), %s", static_cast<unsigned long long>(tally.size()),
      p_.multinomial ? "multinomial counts by binomial splits"
                     : detail::printf_string("index draws in groups of %zu", table_.group).c_str());
}

}  // namespace

double monte_carlo_memory_estimate(std::span<const double> sample, const statistic& stat,
                                   const monte_carlo_options& options) {
  return make_plan(sample, stat, options, thread_estimate()).memory;
}

monte_carlo_result monte_carlo_bootstrap(std::span<const double> sample, const statistic& stat,
                                         const monte_carlo_options& options) {
  const monte_carlo_run r(sample, stat, options, "resample::bootstrap::monte_carlo_bootstrap");
  const plan& p = r.planned();
  if (options.max_memory_bytes > 0 && p.memory > options.max_memory_bytes) {
    std::vector<remedy> remedies{{"resamples", "fewer {}"}};
    if (options.studentized) remedies.push_back({"intervals", "leave studentized out of {}"});
    throw infeasible_error(
        detail::printf_string("Monte Carlo with B = %llu resamples needs about %.3g MiB, above "
                              "the memory limit max_memory = %.3g MiB",
                              static_cast<unsigned long long>(options.resamples), p.memory / 1048576.0,
                              options.max_memory_bytes / 1048576.0),
        "max_memory", std::move(remedies));
  }
  // One code path: all blocks as one range (or as ranges spread by the distributor), then finish.
  const block_range_runner blocks = [&r](std::uint64_t first, std::uint64_t last) {
    return r.blocks(first, last);
  };
  const std::uint64_t count = block_count(options.resamples);
  return r.finish(options.exec.distribute ? (*options.exec.distribute)(count, blocks) : blocks(0, count));
}

block_partial monte_carlo_blocks(std::span<const double> sample, const statistic& stat,
                                 const monte_carlo_options& options, std::uint64_t first,
                                 std::uint64_t last) {
  return monte_carlo_run(sample, stat, options, "resample::bootstrap::monte_carlo_blocks")
      .blocks(first, last);
}

monte_carlo_result monte_carlo_finish(std::span<const double> sample, const statistic& stat,
                                      const monte_carlo_options& options, block_partial&& all) {
  return monte_carlo_run(sample, stat, options, "resample::bootstrap::monte_carlo_finish")
      .finish(std::move(all));
}

}  // namespace resample::bootstrap
