#pragma once
// Multinomial counts by binomial splits, and the binomial draws behind them, for the Monte Carlo
// bootstrap and the nested bootstrap (implementation detail, exposed for tests).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "bootstrap/sampling.hpp"
#include "log_gamma.hpp"

namespace resample::bootstrap::detail {

// Binomial(trials, p) variates. For trials * min(p, 1 - p) >= 10, Hoermann's BTRD (transformed
// rejection with decomposition, J. Stat. Comput. Simul. 46, 1993): about 86% of draws are accepted
// after one uniform and a division; the rest use the exact ratio test (recursion near the mode,
// Stirling-corrected logarithms further out), so the variates are exact up to floating point.
// Below that, inversion by sequential search from 0. Parameters change on every call of a
// multinomial by binomial splits, so the setup is kept to one square root and a few divisions.
class binomial_sampler {
 public:
  // The per-probability constants of a draw: the conditional probabilities of a multinomial are
  // fixed for a whole run and only the number of trials varies, so these are computed once.
  struct probability {
    double p = 0.0;          // min(p, 1 - p)
    double q = 1.0;          // 1 - p
    double r = 0.0;          // p / q
    double log_q = 0.0;      // log(q)
    bool flip = false;       // the original p was above 1/2: the draw is trials - X
    bool degenerate = true;  // p <= 0 or p >= 1
    bool certain = false;    // p >= 1: every trial succeeds

    probability() = default;
    explicit probability(double original) {
      if (original <= 0.0) return;
      if (original >= 1.0) {
        certain = true;
        return;
      }
      degenerate = false;
      flip = original > 0.5;
      p = flip ? 1.0 - original : original;
      q = 1.0 - p;
      r = p / q;
      log_q = std::log1p(-p);
    }
  };

  static std::uint64_t draw(bulk_random_stream& rng, std::uint64_t trials, double p) {
    return draw(rng, trials, probability(p));
  }

  static std::uint64_t draw(bulk_random_stream& rng, std::uint64_t trials, const probability& pr) {
    if (trials == 0 || pr.degenerate) return pr.certain ? trials : 0;
    const double n = static_cast<double>(trials);
    const std::uint64_t x = n * pr.p < 10.0 ? inversion(rng, trials, pr) : btrd(rng, trials, pr);
    return pr.flip ? trials - x : x;
  }

 private:
  static std::uint64_t inversion(bulk_random_stream& rng, std::uint64_t trials, const probability& pr) {
    const double ratio = pr.r;
    const double n = static_cast<double>(trials);
    const double zero = std::exp(n * pr.log_q);  // P(X = 0)
    while (true) {
      double mass = zero;
      double u = uniform_01(rng);
      for (std::uint64_t k = 0; k <= trials; ++k) {
        if (u < mass) return k;
        u -= mass;
        mass *= ratio * (n - static_cast<double>(k)) / static_cast<double>(k + 1);
      }
      // u fell in the rounding residue beyond the last mass: draw again.
    }
  }

  // log(k!) - Stirling approximation: the correction term fc(k) of BTRD.
  static double stirling_correction(std::uint64_t k) {
    static constexpr double table[10] = {0.08106146679532726, 0.04134069595540929, 0.02767792568499834,
                                         0.02079067210376509, 0.01664469118982119, 0.01387612882307075,
                                         0.01189670994589177, 0.01041126526197209, 0.009255462182712733,
                                         0.008330563433362871};
    if (k < 10) return table[k];
    const double k1 = static_cast<double>(k) + 1.0;
    const double k1_squared = k1 * k1;
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / k1_squared) / k1_squared) / k1;
  }

  static std::uint64_t btrd(bulk_random_stream& rng, std::uint64_t trials, const probability& pr) {
    const double n = static_cast<double>(trials);
    const double p = pr.p, q = pr.q, r = pr.r;
    // (n + 1) p > 0, so truncation is the floor (no libm call on the hot path).
    const double m = static_cast<double>(static_cast<std::uint64_t>((n + 1) * p));
    const double nr = (n + 1) * r;
    const double npq = n * p * q;
    const double spq = std::sqrt(npq);
    const double b = 1.15 + 2.53 * spq;
    const double inverse_b = 1.0 / b;
    const double a = -0.0873 + 0.0248 * b + 0.01 * p;
    const double c = n * p + 0.5;
    const double alpha = (2.83 + 5.1 * inverse_b) * spq;
    const double vr = 0.92 - 4.2 * inverse_b;
    const double inverse_vr = b / (0.92 * b - 4.2);  // 1 / vr, not chained behind 1 / b
    const double urvr = 0.86 * vr;
    while (true) {
      double v = uniform_01(rng);
      double u;
      if (v <= urvr) {
        u = v * inverse_vr - 0.43;
        // Inside the box: accept at once. x >= 0 here, so truncation is the floor.
        const double x = (2 * a / (0.5 - std::fabs(u)) + b) * u + c;
        return static_cast<std::uint64_t>(x);
      }
      if (v >= vr) {
        u = uniform_01(rng) - 0.5;
      } else {
        u = v * inverse_vr - 0.93;
        u = (u < 0 ? -0.5 : 0.5) - u;
        v = uniform_01(rng) * vr;
      }
      const double us = 0.5 - std::fabs(u);
      const double x = (2 * a / us + b) * u + c;
      if (x < 0 || x >= n + 1) continue;
      const double kd = std::floor(x);
      const auto k = static_cast<std::uint64_t>(kd);
      v = v * alpha / (a / (us * us) + b);
      const double km = std::fabs(kd - m);
      if (km <= 15) {
        // Ratio of the probabilities of k and the mode by recursion, f(i)/f(i-1) = (nr - r i) / i,
        // as one product of numerators against one of denominators (at most 16 factors each, far
        // from overflow), so the test needs no division.
        double numerator = 1.0, denominator = 1.0;
        const auto mi = static_cast<std::uint64_t>(m);
        if (mi < k) {
          for (std::uint64_t i = mi + 1; i <= k; ++i) {
            const double di = static_cast<double>(i);
            numerator *= nr - r * di;
            denominator *= di;
          }
          if (v * denominator <= numerator) return k;  // v <= f(k) / f(m)
        } else {
          for (std::uint64_t i = k + 1; i <= mi; ++i) {
            const double di = static_cast<double>(i);
            numerator *= nr - r * di;
            denominator *= di;
          }
          if (v * numerator <= denominator) return k;  // v f(m) / f(k) <= 1
        }
        continue;
      }
      // Squeeze on log v, then the exact test with Stirling corrections.
      v = std::log(v);
      const double rho = (km / npq) * (((km / 3 + 0.625) * km + 1.0 / 6) / npq + 0.5);
      const double t = -km * km / (2 * npq);
      if (v < t - rho) return k;
      if (v > t + rho) continue;
      const double nm = n - m + 1;
      const double h = (m + 0.5) * std::log((m + 1) / (r * nm)) +
                       stirling_correction(static_cast<std::uint64_t>(m)) +
                       stirling_correction(trials - static_cast<std::uint64_t>(m));
      const double nk = n - kd + 1;
      if (v <= h + (n + 1) * std::log(nm / nk) + (kd + 0.5) * std::log(nk * r / (kd + 1)) -
                   stirling_correction(k) - stirling_correction(trials - k))
        return k;
    }
  }
};

// Binomial(t, p) for the numbers of trials t in a band (every t, or every 2^shift-th), each row by
// Walker's alias method: one Philox word and one table entry per draw, no search, no branch on the
// outcome. The word w picks slot floor(w M / 2^64) of the M slots and the low 64 bits of w M, a
// uniform fraction, pick between the slot's own value and its alias. A row covers the k whose
// probability is not negligible: the tails cut off hold less than 2^-56 in all, below the rounding
// of a double. The masses are rounded to integer shares of M 2^48 (48-bit thresholds, 16-bit alias
// in one word) and the alias construction runs in integers, so the table draws exactly those
// rounded masses: the draws are exact up to floating point, like a double inversion.
class binomial_band_table {
 public:
  // Values of one row at most: the alias is a 16-bit field.
  static constexpr std::uint64_t max_row_size = 1u << 16;

  // Rough number of entries for rows of trials around `trials` (about 17 standard deviations of
  // the draw each), for the memory budget of the caller.
  static double row_size_estimate(double trials, double p) {
    return 17.0 * std::sqrt(trials * p * (1.0 - p)) + 2.0;
  }

  // Rows for t = first + (j << shift), j < rows; p strictly between 0 and 1.
  binomial_band_table(std::uint64_t first, std::uint64_t rows, double p, unsigned shift = 0)
      : first_(first), shift_(shift) {
    rows_.reserve(rows);
    scratch work;
    for (std::uint64_t j = 0; j < rows; ++j) {
      if (!add_row(first + (j << shift), p, work)) {
        rows_.clear();
        entries_.clear();
        return;
      }
    }
  }

  // False if some row would need more than max_row_size values (the table is then empty).
  bool valid() const { return !rows_.empty(); }
  // Whether trials = first + (j << shift) has a row, for trials of that form.
  bool covers(std::uint64_t trials) const { return (trials - first_) >> shift_ < rows_.size(); }
  std::size_t entries() const { return entries_.size(); }

  // trials = first + (j << shift) for a row j.
  std::uint64_t draw(bulk_random_stream& rng, std::uint64_t trials) const {
    return draw_row(rng, (trials - first_) >> shift_);
  }

  // Row j, trials first + (j << shift).
  std::uint64_t draw_row(bulk_random_stream& rng, std::uint64_t j) const {
    const row& r = rows_[j];
    const uint128 product = uint128{rng()} * r.size;
    const auto slot = static_cast<std::uint64_t>(product >> 64);
    const auto fraction = static_cast<std::uint64_t>(product);
    const std::uint64_t entry = entries_[r.offset + slot];
    return r.low + ((fraction >> 16) < (entry >> 16) ? slot : (entry & 0xffff));
  }

 private:
  static constexpr std::uint64_t slot_weight = std::uint64_t{1} << 48;

  struct scratch {
    std::vector<double> up, down, mass;
    std::vector<std::uint64_t> weight;
    std::vector<std::uint32_t> small, large;
  };

  bool add_row(std::uint64_t t, double p, scratch& work) {
    const double n = static_cast<double>(t), q = 1.0 - p;
    const std::uint64_t mode = std::min<std::uint64_t>(t, static_cast<std::uint64_t>((n + 1) * p));
    const double dm = static_cast<double>(mode);
    const double at_mode = std::exp(log_gamma(n + 1) - log_gamma(dm + 1) - log_gamma(n - dm + 1) +
                                    dm * std::log(p) + (n - dm) * std::log1p(-p));
    // Outward from the mode while the mass beyond k could still reach 2^-58: past the mode the
    // ratio f(k+1)/f(k) falls, so that mass is below f(k) / (1 - ratio).
    constexpr double negligible = 0x1.0p-58;
    std::vector<double>& up = work.up;
    std::vector<double>& down = work.down;
    up.assign(1, at_mode);
    down.clear();
    for (std::uint64_t k = mode; k < t; ++k) {
      const double ratio = (static_cast<double>(t - k) / static_cast<double>(k + 1)) * (p / q);
      if (up.back() < negligible * (1.0 - ratio)) break;
      up.push_back(up.back() * ratio);
    }
    double last = at_mode;
    for (std::uint64_t k = mode; k > 0; --k) {
      const double ratio = (static_cast<double>(k) / static_cast<double>(t - k + 1)) * (q / p);
      if (last < negligible * (1.0 - ratio)) break;
      last *= ratio;
      down.push_back(last);
    }
    const std::uint64_t size = up.size() + down.size();
    if (size > max_row_size) return false;
    std::vector<double>& mass = work.mass;
    mass.assign(down.rbegin(), down.rend());
    mass.insert(mass.end(), up.begin(), up.end());
    double total = 0.0;
    for (double m : mass) total += m;
    // Integer weights summing to exactly size * 2^48; the rounding difference (a few units either
    // way; unsigned arithmetic wraps to the right value) goes to the mode.
    std::vector<std::uint64_t>& weight = work.weight;
    weight.resize(size);
    const double scale = static_cast<double>(size) * static_cast<double>(slot_weight) / total;
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < size; ++i) sum += weight[i] = static_cast<std::uint64_t>(mass[i] * scale);
    weight[down.size()] += size * slot_weight - sum;
    // Vose's construction, in integers.
    const std::size_t offset = entries_.size();
    entries_.resize(offset + size);
    std::vector<std::uint32_t>& small = work.small;
    std::vector<std::uint32_t>& large = work.large;
    small.clear();
    large.clear();
    for (std::size_t i = 0; i < size; ++i)
      (weight[i] < slot_weight ? small : large).push_back(static_cast<std::uint32_t>(i));
    while (!small.empty() && !large.empty()) {
      const std::uint32_t s = small.back(), l = large.back();
      small.pop_back();
      entries_[offset + s] = (weight[s] << 16) | l;
      weight[l] -= slot_weight - weight[s];
      if (weight[l] < slot_weight) {
        large.pop_back();
        small.push_back(l);
      }
    }
    // Full slots (and any left by exact arithmetic in small): always their own value.
    for (std::uint32_t i : large) entries_[offset + i] = ((slot_weight - 1) << 16) | i;
    for (std::uint32_t i : small) entries_[offset + i] = ((slot_weight - 1) << 16) | i;
    rows_.push_back(
        {static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(size), mode - down.size()});
    return true;
  }

  struct row {
    std::uint32_t offset, size;
    std::uint64_t low;
  };
  std::uint64_t first_;
  unsigned shift_;
  std::vector<row> rows_;
  std::vector<std::uint64_t> entries_;
};

// Binomial(t, p) for every t in [first, first + count) from two band tables: a sum of independent
// binomials with the same p is binomial, so with t = base + d, base = first + ((t - first) >> shift
// << shift) and d < 2^shift, X = Binomial(base, p) + Binomial(d, p). Two draws instead of one, but
// rows for only every 2^shift-th base plus 2^shift small rows: at n = 100 000 a split needs about
// 26 000 entries this way and 2.2 million with a row per t.
class binomial_split_table {
 public:
  // Table entries for shift over `count` trials around `trials`, for choosing the shift.
  static double entries_estimate(double trials, std::uint64_t count, double p, unsigned shift) {
    const double step = static_cast<double>(std::uint64_t{1} << shift);
    const double bases = std::ceil(static_cast<double>(count) / step);
    // The small rows d < step, sum of row_size_estimate(d) with the sum of sqrt(d) taken as its
    // integral (a slight overestimate), so that choosing among 16 shifts stays O(1) per split.
    const double small =
        shift > 0 ? 17.0 * std::sqrt(p * (1.0 - p)) * (2.0 / 3.0) * step * std::sqrt(step) + 2.0 * step : 0.0;
    return bases * binomial_band_table::row_size_estimate(trials, p) + small;
  }

  binomial_split_table(std::uint64_t first, std::uint64_t count, double p, unsigned shift)
      : first_(first),
        count_(count),
        shift_(shift),
        bases_(first, ((count - 1) >> shift) + 1, p, shift),
        small_(0, shift > 0 ? std::uint64_t{1} << shift : 0, p) {}

  bool valid() const { return bases_.valid() && (shift_ == 0 || small_.valid()); }
  bool covers(std::uint64_t trials) const { return trials - first_ < count_; }
  std::size_t entries() const { return bases_.entries() + small_.entries(); }
  bool two_draws() const { return shift_ > 0; }

  std::uint64_t draw(bulk_random_stream& rng, std::uint64_t trials) const {
    const std::uint64_t offset = trials - first_;
    if (shift_ == 0) return bases_.draw_row(rng, offset);
    return bases_.draw_row(rng, offset >> shift_) +
           small_.draw_row(rng, offset & ((std::uint64_t{1} << shift_) - 1));
  }

 private:
  std::uint64_t first_, count_;
  unsigned shift_;
  binomial_band_table bases_, small_;
};

// Multinomial counts by binomial splits along a balanced binary tree over the K values: a node
// covering values [lo, hi) with t trials sends Binomial(t, mass[lo, mid) / mass[lo, hi)) of them
// to [lo, mid) and the rest to [mid, hi). Exact for any tree; the balanced one has depth
// ceil(log2 K), and the nodes of one level are independent, so their draws (each a latency-bound
// chain of a square root and divisions) overlap in the pipeline instead of running one after the
// other as conditional binomials along the values would. When the draws repeat one n (the Monte
// Carlo bootstrap), splits whose trials stay within a band are drawn from alias tables instead, one
// Philox word each. A node's trials are kept in counts[lo] until it is split; nodes are stored
// breadth first, so parents come before children.
class multinomial_sampler {
 public:
  // Table entries (8 bytes each) of the default budget: within a core's L2 cache, and enough for
  // every split of an 11-level scale at n = 1000.
  static constexpr std::size_t default_table_entries = std::size_t{1} << 18;

  // table_entries: tabulate splits for n = sum of the multiplicities (the Monte Carlo bootstrap,
  // which draws that n in every resample; not worth it for a few hundred draws) within about this
  // many table entries. A node's trials t are then Binomial(n, its share of the mass), and its
  // table covers t within 4 standard deviations of their mean; the rare t outside use BTRD. The
  // cheapest tables go first: every node saves about the same per draw. draws: the expected number
  // of draws with that n. An entry costs about 12 ns to build and a table draw saves about 50 ns
  // over BTRD, so a split whose table has more than 3 entries per draw is left to BTRD, and one
  // extra draw (~6 ns) is saved with a row per t only when that costs under half an entry a draw.
  explicit multinomial_sampler(std::span<const std::uint32_t> multiplicities, std::size_t table_entries = 0,
                               std::uint64_t draws = ~std::uint64_t{0}) {
    const std::size_t k = multiplicities.size();
    std::vector<double> prefix(k + 1, 0.0);
    for (std::size_t j = 0; j < k; ++j) prefix[j + 1] = prefix[j] + multiplicities[j];
    std::vector<std::pair<std::size_t, std::size_t>> level{{0, k}}, next;
    std::vector<double> shares;
    std::vector<double> node_mass;
    while (!level.empty()) {
      next.clear();
      for (const auto& [lo, hi] : level) {
        if (hi - lo < 2) continue;
        const std::size_t mid = lo + (hi - lo) / 2;
        const double share = (prefix[mid] - prefix[lo]) / (prefix[hi] - prefix[lo]);
        nodes_.push_back({static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(mid),
                          binomial_sampler::probability(share)});
        shares.push_back(share);
        node_mass.push_back(prefix[hi] - prefix[lo]);
        next.emplace_back(lo, mid);
        next.emplace_back(mid, hi);
      }
      level.swap(next);
    }
    if (table_entries == 0 || nodes_.empty()) return;
    const double n = prefix[k];
    struct candidate {
      std::size_t node;
      std::uint64_t first, count;
      unsigned shift;
      double cost, cost_unshifted;
    };
    std::vector<candidate> candidates;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      if (!(shares[i] > 0.0 && shares[i] < 1.0)) continue;
      const double fraction = node_mass[i] / n;
      const double mean = n * fraction, spread = 4.0 * std::sqrt(n * fraction * (1.0 - fraction));
      const double first = std::max(0.0, std::floor(mean - spread)),
                   last = std::min(n, std::ceil(mean + spread));
      if (binomial_band_table::row_size_estimate(last, shares[i]) > binomial_band_table::max_row_size)
        continue;
      candidate c{i,  static_cast<std::uint64_t>(first), static_cast<std::uint64_t>(last - first + 1), 0, 0.0,
                  0.0};
      c.cost = c.cost_unshifted = binomial_split_table::entries_estimate(mean, c.count, shares[i], 0);
      for (unsigned shift = 1; shift < 16 && (std::uint64_t{1} << shift) <= c.count; ++shift) {
        const double cost = binomial_split_table::entries_estimate(mean, c.count, shares[i], shift);
        if (cost < c.cost) {
          c.cost = cost;
          c.shift = shift;
        }
      }
      candidates.push_back(c);
    }
    // As many splits as fit in their smallest form, then a row per t (one draw instead of two)
    // where the remaining budget allows.
    std::sort(candidates.begin(), candidates.end(),
              [](const candidate& a, const candidate& b) { return a.cost < b.cost; });
    double budget = static_cast<double>(table_entries);
    std::size_t taken = 0;
    const double worth = 3.0 * static_cast<double>(draws), worth_unshifted = 0.5 * static_cast<double>(draws);
    while (taken < candidates.size() && candidates[taken].cost <= std::min(budget, worth))
      budget -= candidates[taken++].cost;
    candidates.resize(taken);
    std::sort(candidates.begin(), candidates.end(), [](const candidate& a, const candidate& b) {
      return a.cost_unshifted - a.cost < b.cost_unshifted - b.cost;
    });
    for (candidate& c : candidates) {
      if (c.shift == 0 || c.cost_unshifted - c.cost > std::min(budget, worth_unshifted)) continue;
      budget -= c.cost_unshifted - c.cost;
      c.shift = 0;
    }
    std::vector<std::pair<std::size_t, std::size_t>> table_of;
    for (const candidate& c : candidates) {
      binomial_split_table table(c.first, c.count, shares[c.node], c.shift);
      if (!table.valid()) continue;
      table_of.emplace_back(c.node, tables_.size());
      tables_.push_back(std::move(table));
    }
    // Pointers once tables_ stops growing (a move of the sampler keeps its buffer).
    for (const auto& [node, table] : table_of) nodes_[node].table = &tables_[table];
  }

  // Nodes point into tables_: a copy would point into the original's.
  multinomial_sampler(const multinomial_sampler&) = delete;
  multinomial_sampler& operator=(const multinomial_sampler&) = delete;
  multinomial_sampler(multinomial_sampler&&) = default;
  multinomial_sampler& operator=(multinomial_sampler&&) = default;

  // Splits with a table (for tests).
  std::size_t tabulated_splits() const { return tables_.size(); }
  std::size_t table_entries() const {
    std::size_t total = 0;
    for (const auto& t : tables_) total += t.entries();
    return total;
  }
  // Splits drawn as two table draws (shift > 0, for tests).
  std::size_t two_draw_splits() const {
    std::size_t count = 0;
    for (const auto& t : tables_) count += t.two_draws();
    return count;
  }

  void draw(bulk_random_stream& rng, std::size_t n, std::span<std::uint32_t> counts) const {
    std::uint32_t* const c = counts.data();
    c[0] = static_cast<std::uint32_t>(n);
    for (const node& v : nodes_) {
      const std::uint32_t trials = c[v.lo];
      std::uint32_t left;
      if (v.table != nullptr && v.table->covers(trials))
        left = static_cast<std::uint32_t>(v.table->draw(rng, trials));
      else
        left = static_cast<std::uint32_t>(binomial_sampler::draw(rng, trials, v.share));
      c[v.lo] = left;
      c[v.mid] = trials - left;
    }
  }

 private:
  struct node {
    std::uint32_t lo, mid;
    binomial_sampler::probability share;
    const binomial_split_table* table = nullptr;
  };
  std::vector<node> nodes_;
  std::vector<binomial_split_table> tables_;
};

}  // namespace resample::bootstrap::detail
