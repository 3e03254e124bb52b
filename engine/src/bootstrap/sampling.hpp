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

#include "random_stream.hpp"

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

// How many base-bound digits one 32-bit half word yields: m, chosen to maximise the expected
// digits per half, m * P(accept), over span = bound^m <= 2^32; a half h is accepted when
// low32(h * span) >= threshold = 2^32 mod span (Lemire), which makes it uniform on [0, span).
struct digit_plan {
  std::uint64_t span = 1;
  std::uint64_t threshold = 0;
  unsigned per_half = 1;
};

inline digit_plan plan_digits(std::uint64_t bound) {
  digit_plan plan;
  double best = 0.0;
  std::uint64_t span = 1;
  for (unsigned m = 1; span <= (std::uint64_t{1} << 32) / bound; ++m) {
    span *= bound;
    const std::uint64_t threshold = (std::uint64_t{1} << 32) % span;
    const double yield = m * (1.0 - static_cast<double>(threshold) * 0x1.0p-32);
    if (yield > best) {
      best = yield;
      plan = {span, threshold, m};
    }
  }
  return plan;
}

// Uniform integers in [0, bound), bound < 2^32, taken as the base-bound digits of one exactly
// uniform integer in [0, bound^m) per 32-bit half of a Philox word (Lemire's multiply-shift with
// rejection against bound^m <= 2^32). The digits come out by repeated 32x32->64 multiplication
// (digit = high half, the low half carries on), so one word serves 2m draws and every draw is
// exactly uniform. 32-bit chains keep the products in single registers (GCC spills 128-bit
// products) and the bulk fill runs four chains side by side.
class digit_source {
 public:
  explicit digit_source(std::uint64_t bound) : bound_(bound) {
    const digit_plan plan = plan_digits(bound);
    span_ = plan.span;
    threshold_ = plan.threshold;
    per_half_ = plan.per_half;
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

}  // namespace resample::bootstrap::detail
