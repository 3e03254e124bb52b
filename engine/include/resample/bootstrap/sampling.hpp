#pragma once
// Random draws shared by the Monte Carlo bootstrap and the nested bootstrap (implementation detail,
// exposed for tests).

#include <boost/random/binomial_distribution.hpp>
#include <cstdint>
#include <span>
#include <vector>

#include "resample/random_stream.hpp"

namespace resample::bootstrap::detail {

// Draw multinomial counts by conditional binomials when 25 K < n: a binomial draw costs about as
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

// Uniform integers in [0, bound) taken as the base-bound digits of one exactly uniform integer in
// [0, bound^m) per 64-bit word (Lemire's multiply-shift with rejection against bound^m): the
// digits come out by repeated 64x64->128 multiplication, so one Philox word serves m draws and
// every draw is exactly uniform.
class digit_source {
 public:
  explicit digit_source(std::uint64_t bound) : bound_(bound) {
    // Choose m to maximise the expected digits per word, m * P(accept), over bound^m < 2^64.
    double best = 0.0;
    uint128 span = 1;
    for (unsigned m = 1;; ++m) {
      span *= bound;
      if (span > ~std::uint64_t{0}) break;
      const auto candidate = static_cast<std::uint64_t>(span);
      const std::uint64_t threshold = (0 - candidate) % candidate;  // 2^64 mod span
      const double yield = m * (1.0 - static_cast<double>(threshold) * 0x1.0p-64);
      if (yield > best) {
        best = yield;
        span_ = candidate;
        threshold_ = threshold;
        per_word_ = m;
      }
    }
  }

  unsigned per_word() const { return per_word_; }

  std::uint64_t next(bulk_random_stream& rng) {
    if (left_ == 0) {
      word_ = accepted_word(rng);
      left_ = per_word_;
    }
    const uint128 product = static_cast<uint128>(word_) * bound_;
    word_ = static_cast<std::uint64_t>(product);
    --left_;
    return static_cast<std::uint64_t>(product >> 64);
  }

  // count digits into out. The bulk takes two words at a time and interleaves their digit chains,
  // so that the two multiplication chains overlap in the pipeline.
  void fill(bulk_random_stream& rng, std::uint32_t* out, std::size_t count) {
    std::size_t i = 0;
    while (left_ > 0 && i < count) out[i++] = static_cast<std::uint32_t>(next(rng));
    const std::size_t pair = 2 * std::size_t{per_word_};
    for (; i + pair <= count; i += pair) {
      std::uint64_t a = accepted_word(rng), b = accepted_word(rng);
      for (unsigned d = 0; d < per_word_; ++d) {
        const uint128 pa = static_cast<uint128>(a) * bound_;
        const uint128 pb = static_cast<uint128>(b) * bound_;
        a = static_cast<std::uint64_t>(pa);
        b = static_cast<std::uint64_t>(pb);
        out[i + 2 * d] = static_cast<std::uint32_t>(pa >> 64);
        out[i + 2 * d + 1] = static_cast<std::uint32_t>(pb >> 64);
      }
    }
    for (; i < count; ++i) out[i] = static_cast<std::uint32_t>(next(rng));
  }

 private:
  std::uint64_t accepted_word(bulk_random_stream& rng) const {
    while (true) {
      const std::uint64_t w = rng();
      if (static_cast<std::uint64_t>(static_cast<uint128>(w) * span_) >= threshold_) return w;
    }
  }

  std::uint64_t bound_;
  std::uint64_t span_ = 1;
  std::uint64_t threshold_ = 0;
  std::uint64_t word_ = 0;
  unsigned per_word_ = 1;
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

  void draw(bulk_random_stream& rng, std::size_t n, std::span<std::uint32_t> counts) const {
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
