#pragma once
// Random draws shared by the Monte Carlo bootstrap and the nested bootstrap (implementation detail,
// exposed for tests).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "resample/log_gamma.hpp"
#include "resample/random_stream.hpp"

namespace resample::bootstrap::detail {

// Draw multinomial counts by binomial splits when 25 K < n: a binomial draw costs about as
// much as 25 single index draws.
constexpr std::size_t binomial_cost_in_draws = 25;

// The same words as random_stream(seed, stream, block), in the same order, generated 64 at a time:
// sixteen independent Philox calls per refill overlap in the pipeline, where one call at a time is
// bound by the latency of its ten dependent rounds. Tested equal to random_stream word for word.
class bulk_random_stream {
 public:
  using result_type = std::uint64_t;

  bulk_random_stream(std::uint64_t seed, stream_id stream, std::uint64_t block)
      : key_{{seed, static_cast<std::uint64_t>(stream)}}, block_(block) {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }

  result_type operator()() {
    if (used_ == buffer_words) refill();
    return buffer_[used_++];
  }

 private:
  static constexpr std::size_t calls = 16;
  static constexpr std::size_t buffer_words = 4 * calls;

  void refill() {
    r123::Philox4x64 generator;
    for (std::size_t c = 0; c < calls; ++c) {
      const r123::Philox4x64::ctr_type counter{{block_, next_counter_ + c, 0, 0}};
      const auto words = generator(counter, key_);
      for (std::size_t w = 0; w < 4; ++w) buffer_[4 * c + w] = words[w];
    }
    next_counter_ += calls;
    used_ = 0;
  }

  r123::Philox4x64::key_type key_;
  std::uint64_t block_;
  std::uint64_t next_counter_ = 0;
  std::uint64_t buffer_[buffer_words] = {};
  std::size_t used_ = buffer_words;
};

// Uniform integers in [0, bound), bound < 2^32, taken as the base-bound digits of one exactly
// uniform integer in [0, bound^m) per 32-bit half of a Philox word (Lemire's multiply-shift with
// rejection against bound^m <= 2^32). The digits come out by repeated 32x32->64 multiplication
// (digit = high half, the low half carries on), so one word serves 2m draws and every draw is
// exactly uniform. 32-bit chains keep the products in single registers (GCC spills 128-bit
// products) and the bulk fill runs four chains side by side.
class digit_source {
 public:
  explicit digit_source(std::uint64_t bound) : bound_(bound) {
    // Choose m to maximise the expected digits per half word, m * P(accept), over bound^m <= 2^32.
    double best = 0.0;
    std::uint64_t span = 1;
    for (unsigned m = 1; span <= (std::uint64_t{1} << 32) / bound; ++m) {
      span *= bound;
      const std::uint64_t threshold = (std::uint64_t{1} << 32) % span;
      const double yield = m * (1.0 - static_cast<double>(threshold) * 0x1.0p-32);
      if (yield > best) {
        best = yield;
        span_ = span;
        threshold_ = threshold;
        per_half_ = m;
      }
    }
  }

  std::uint64_t next(bulk_random_stream& rng) {
    if (left_ == 0) {
      chain_ = accepted_half(rng);
      left_ = per_half_;
    }
    const std::uint64_t product = std::uint64_t{chain_} * bound_;
    chain_ = static_cast<std::uint32_t>(product);
    --left_;
    return product >> 32;
  }

  void fill(bulk_random_stream& rng, std::uint32_t* __restrict out, std::size_t count) {
    std::size_t i = 0;
    while (left_ > 0 && i < count) out[i++] = static_cast<std::uint32_t>(next(rng));
    // Locals: out is a uint32_t array, and the compiler must otherwise assume it aliases members.
    // 32-bit bound: the compiler then knows each product is one 32x32->64 multiplication (pmuludq
    // when vectorised) instead of emulating a 64x64 one.
    const auto bound = static_cast<std::uint32_t>(bound_);
    const unsigned per_half = per_half_;
    const std::size_t quad = 4 * std::size_t{per_half};
    std::uint32_t halves[chunk_halves + 1];
    while (i + quad <= count) {
      const std::size_t quads = std::min((count - i) / quad, chunk_halves / 4);
      accepted_halves(rng, halves, 4 * quads);
      for (std::size_t g = 0; g < quads; ++g, i += quad) {
        std::uint32_t a = halves[4 * g], b = halves[4 * g + 1], c = halves[4 * g + 2], d = halves[4 * g + 3];
        std::uint32_t* __restrict target = out + i;
        for (unsigned k = 0; k < per_half; ++k) {
          const std::uint64_t pa = std::uint64_t{a} * bound, pb = std::uint64_t{b} * bound;
          const std::uint64_t pc = std::uint64_t{c} * bound, pd = std::uint64_t{d} * bound;
          a = static_cast<std::uint32_t>(pa);
          b = static_cast<std::uint32_t>(pb);
          c = static_cast<std::uint32_t>(pc);
          d = static_cast<std::uint32_t>(pd);
          target[4 * k] = static_cast<std::uint32_t>(pa >> 32);
          target[4 * k + 1] = static_cast<std::uint32_t>(pb >> 32);
          target[4 * k + 2] = static_cast<std::uint32_t>(pc >> 32);
          target[4 * k + 3] = static_cast<std::uint32_t>(pd >> 32);
        }
      }
    }
    for (; i < count; ++i) out[i] = static_cast<std::uint32_t>(next(rng));
  }

 private:
  static constexpr std::size_t chunk_halves = 256;

  // The next wanted accepted half words, the same ones in the same order as that many calls of
  // accepted_half, but without a branch per half: every half is stored and the write position
  // advances only past accepted ones (out has room for wanted + 1).
  void accepted_halves(bulk_random_stream& rng, std::uint32_t* out, std::size_t wanted) {
    std::size_t got = 0;
    const std::uint64_t span = span_, threshold = threshold_;
    auto accept = [&](std::uint32_t h) {
      return static_cast<std::size_t>(static_cast<std::uint32_t>(std::uint64_t{h} * span) >= threshold);
    };
    if (have_spare_ && wanted > 0) {
      have_spare_ = false;
      out[got] = spare_;
      got += accept(spare_);
    }
    while (got + 2 <= wanted) {
      const std::uint64_t w = rng();
      const auto low = static_cast<std::uint32_t>(w), high = static_cast<std::uint32_t>(w >> 32);
      out[got] = low;
      got += accept(low);
      out[got] = high;
      got += accept(high);
    }
    while (got < wanted) out[got++] = accepted_half(rng);
  }

  // The next 32-bit half word that passes the rejection test (low half of a word first).
  std::uint32_t accepted_half(bulk_random_stream& rng) {
    while (true) {
      std::uint32_t h;
      if (have_spare_) {
        h = spare_;
        have_spare_ = false;
      } else {
        const std::uint64_t w = rng();
        h = static_cast<std::uint32_t>(w);
        spare_ = static_cast<std::uint32_t>(w >> 32);
        have_spare_ = true;
      }
      if (static_cast<std::uint32_t>(std::uint64_t{h} * span_) >= threshold_) return h;
    }
  }

  std::uint64_t bound_;
  std::uint64_t span_ = 1;
  std::uint64_t threshold_ = 0;
  unsigned per_half_ = 1;
  unsigned left_ = 0;
  std::uint32_t chain_ = 0;
  std::uint32_t spare_ = 0;
  bool have_spare_ = false;
};

// Uniform double in [0, 1) with 53 random bits.
inline double uniform_01(bulk_random_stream& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

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

// Binomial(trials, p) for one fixed (trials, p) by inversion of its tabulated distribution
// function with a guide table: O(1) expected per draw after an O(trials) setup. For the root split
// of a multinomial, whose number of trials is the sample size in every resample. The pmf comes
// from log-gamma at the mode and exact ratios outward; the draw is the first k with F(k) > u for
// u = x / 2^53, found from the guide entry of the top 12 bits of x (exact: 2^12 is a power of two).
class binomial_table {
 public:
  binomial_table(std::uint64_t trials, double p) : cdf_(trials + 1), guide_(guide_size) {
    const double n = static_cast<double>(trials), q = 1.0 - p;
    const auto mode =
        static_cast<std::uint64_t>((n + 1) * p) > trials ? trials : static_cast<std::uint64_t>((n + 1) * p);
    const double dm = static_cast<double>(mode);
    std::vector<double> pmf(trials + 1, 0.0);
    pmf[mode] = std::exp(log_gamma(n + 1) - log_gamma(dm + 1) - log_gamma(n - dm + 1) + dm * std::log(p) +
                         (n - dm) * std::log1p(-p));
    for (std::uint64_t k = mode; k < trials; ++k)
      pmf[k + 1] = pmf[k] * (static_cast<double>(trials - k) / static_cast<double>(k + 1)) * (p / q);
    for (std::uint64_t k = mode; k > 0; --k)
      pmf[k - 1] = pmf[k] * (static_cast<double>(k) / static_cast<double>(trials - k + 1)) * (q / p);
    double total = 0.0;
    for (double m : pmf) total += m;
    double running = 0.0;
    for (std::uint64_t k = 0; k <= trials; ++k) {
      running += pmf[k];
      cdf_[k] = running / total;
    }
    cdf_[trials] = 1.0;  // u < 1 always stops the search
    std::uint64_t k = 0;
    for (std::size_t g = 0; g < guide_size; ++g) {
      const double level = static_cast<double>(g) * 0x1.0p-12;
      while (cdf_[k] <= level) ++k;
      guide_[g] = static_cast<std::uint32_t>(k);
    }
  }

  std::uint64_t draw(bulk_random_stream& rng) const {
    const std::uint64_t x = rng() >> 11;
    const double u = static_cast<double>(x) * 0x1.0p-53;
    std::uint64_t k = guide_[x >> 41];  // first k with F(k) > (x >> 41) / 2^12 <= u
    while (cdf_[k] <= u) ++k;
    return k;
  }

 private:
  static constexpr std::size_t guide_size = 4096;
  std::vector<double> cdf_;
  std::vector<std::uint32_t> guide_;
};

// Multinomial counts by binomial splits along a balanced binary tree over the K values: a node
// covering values [lo, hi) with t trials sends Binomial(t, mass[lo, mid) / mass[lo, hi)) of them
// to [lo, mid) and the rest to [mid, hi). Exact for any tree; the balanced one has depth
// ceil(log2 K), and the nodes of one level are independent, so their draws (each a latency-bound
// chain of a square root and divisions) overlap in the pipeline instead of running one after the
// other as conditional binomials along the values would. A node's trials are kept in counts[lo]
// until it is split; nodes are stored breadth first, so parents come before children.
class multinomial_sampler {
 public:
  // tabulate_root: also tabulate the root split for n = sum of the multiplicities (the Monte Carlo
  // bootstrap, which draws that n in every resample; not worth it for a few hundred draws).
  explicit multinomial_sampler(std::span<const std::uint32_t> multiplicities, bool tabulate_root = false) {
    const std::size_t k = multiplicities.size();
    std::vector<double> prefix(k + 1, 0.0);
    for (std::size_t j = 0; j < k; ++j) prefix[j + 1] = prefix[j] + multiplicities[j];
    std::vector<std::pair<std::size_t, std::size_t>> level{{0, k}}, next;
    while (!level.empty()) {
      next.clear();
      for (const auto& [lo, hi] : level) {
        if (hi - lo < 2) continue;
        const std::size_t mid = lo + (hi - lo) / 2;
        const double share = (prefix[mid] - prefix[lo]) / (prefix[hi] - prefix[lo]);
        nodes_.push_back({static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(mid),
                          binomial_sampler::probability(share)});
        next.emplace_back(lo, mid);
        next.emplace_back(mid, hi);
      }
      level.swap(next);
    }
    const double share = nodes_.empty() ? 0.0 : prefix[nodes_[0].mid] / prefix[k];
    if (tabulate_root && share > 0.0 && share < 1.0) {
      root_trials_ = static_cast<std::uint64_t>(prefix[k]);
      root_.emplace(root_trials_, share);
    }
  }

  void draw(bulk_random_stream& rng, std::size_t n, std::span<std::uint32_t> counts) const {
    std::uint32_t* const c = counts.data();
    c[0] = static_cast<std::uint32_t>(n);
    std::size_t first = 0;
    if (root_ && n == root_trials_) {
      const auto left = static_cast<std::uint32_t>(root_->draw(rng));
      c[0] = left;
      c[nodes_[0].mid] = static_cast<std::uint32_t>(n) - left;
      first = 1;
    }
    for (std::size_t i = first; i < nodes_.size(); ++i) {
      const node& v = nodes_[i];
      const std::uint32_t trials = c[v.lo];
      const auto left = static_cast<std::uint32_t>(binomial_sampler::draw(rng, trials, v.share));
      c[v.lo] = left;
      c[v.mid] = trials - left;
    }
  }

 private:
  struct node {
    std::uint32_t lo, mid;
    binomial_sampler::probability share;
  };
  std::vector<node> nodes_;
  std::optional<binomial_table> root_;
  std::uint64_t root_trials_ = 0;
};

}  // namespace resample::bootstrap::detail
