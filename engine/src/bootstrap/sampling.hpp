#pragma once
// Random draws shared by the Monte Carlo bootstrap and the nested bootstrap (internal header).

#include <boost/random/binomial_distribution.hpp>
#include <cstdint>
#include <span>
#include <vector>

#include "resample/random_stream.hpp"

namespace resample::bootstrap::detail {

// Draw multinomial counts by conditional binomials when 25 K < n: a binomial draw costs about as
// much as 25 single index draws.
constexpr std::size_t binomial_cost_in_draws = 25;

// Uniform integers in [0, bound) taken as the base-bound digits of one exactly uniform integer in
// [0, bound^m) per 64-bit word (Lemire's multiply-shift with rejection against bound^m): the
// digits come out by repeated 64x64->128 multiplication, so one Philox word serves m draws and
// every draw is exactly uniform.
class digit_source {
 public:
  explicit digit_source(std::uint64_t bound) : bound_(bound) {
    span_ = bound;
    per_word_ = 1;
    while (span_ <= (std::uint64_t{1} << 56) / bound) {
      span_ *= bound;
      ++per_word_;
    }
    threshold_ = (0 - span_) % span_;
  }

  std::uint64_t next(random_stream& rng) {
    if (left_ == 0) refill(rng);
    const uint128 product = static_cast<uint128>(word_) * bound_;
    word_ = static_cast<std::uint64_t>(product);
    --left_;
    return static_cast<std::uint64_t>(product >> 64);
  }

 private:
  void refill(random_stream& rng) {
    while (true) {
      const std::uint64_t w = rng();
      if (static_cast<std::uint64_t>(static_cast<uint128>(w) * span_) >= threshold_) {
        word_ = w;
        break;
      }
    }
    left_ = per_word_;
  }

  std::uint64_t bound_;
  std::uint64_t span_;
  std::uint64_t threshold_;
  std::uint64_t word_ = 0;
  unsigned per_word_;
  unsigned left_ = 0;
};

// Conditional binomials: count_j ~ Binomial(remaining, m_j / (m_j + ... + m_{K-1})).
class multinomial_sampler {
 public:
  explicit multinomial_sampler(std::span<const std::uint32_t> multiplicities) {
    const std::size_t k = multiplicities.size();
    conditional_.resize(k);
    double tail = 0.0;
    for (std::size_t j = k; j-- > 0;) {
      tail += multiplicities[j];
      conditional_[j] = static_cast<double>(multiplicities[j]) / tail;
    }
  }

  void draw(random_stream& rng, std::size_t n, std::span<std::uint32_t> counts) const {
    std::size_t remaining = n;
    const std::size_t k = counts.size();
    for (std::size_t j = 0; j + 1 < k; ++j) {
      std::uint32_t c = 0;
      if (remaining > 0) {
        boost::random::binomial_distribution<long long, double> binomial(static_cast<long long>(remaining),
                                                                         conditional_[j]);
        c = static_cast<std::uint32_t>(binomial(rng));
      }
      counts[j] = c;
      remaining -= c;
    }
    counts[k - 1] = static_cast<std::uint32_t>(remaining);
  }

 private:
  std::vector<double> conditional_;
};

}  // namespace resample::bootstrap::detail
