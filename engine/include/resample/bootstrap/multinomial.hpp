#pragma once
// Multinomial counts by binomial splits, and the binomial draws behind them, for the Monte Carlo
// bootstrap and the nested bootstrap (implementation detail, exposed for tests).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "resample/bootstrap/sampling.hpp"

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

// Binomial(trials, p) for one fixed (trials, p) by inversion of its tabulated distribution
// function with a guide table: O(1) expected per draw after an O(trials) setup. For the root split
// of a multinomial, whose number of trials is the sample size in every resample. The pmf comes
// from lgamma at the mode and exact ratios outward; the draw is the first k with F(k) > u for
// u = x / 2^53, found from the guide entry of the top 12 bits of x (exact: 2^12 is a power of two).
class binomial_table {
 public:
  binomial_table(std::uint64_t trials, double p) : cdf_(trials + 1), guide_(guide_size) {
    const double n = static_cast<double>(trials), q = 1.0 - p;
    const auto mode =
        static_cast<std::uint64_t>((n + 1) * p) > trials ? trials : static_cast<std::uint64_t>((n + 1) * p);
    const double dm = static_cast<double>(mode);
    std::vector<double> pmf(trials + 1, 0.0);
    pmf[mode] = std::exp(std::lgamma(n + 1) - std::lgamma(dm + 1) - std::lgamma(n - dm + 1) +
                         dm * std::log(p) + (n - dm) * std::log1p(-p));
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
