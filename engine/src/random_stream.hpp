#pragma once
// Counter-based random numbers: the reproducibility contract of every Monte Carlo path.
//
// A stream is Philox4x64-10 (Random123) keyed by (seed, stream id) and started at counter
// (block, 0): any block of any stream can be generated independently, in any order, on any thread,
// process or MPI rank, and gives the same bits. Work is cut into blocks of a fixed number of
// resamples (never derived from the thread count), so the same seed gives bit-identical results
// for any degree of parallelism.

#include <Random123/philox.h>

#include <cstdint>

#include "resample/monte_carlo_blocks.hpp"

namespace resample {

// 128-bit product for the bounded draw; __extension__ marks the GCC/Clang type as intended.
__extension__ using uint128 = unsigned __int128;

// Stream ids keep the purposes of one seed independent of one another.
enum class stream_id : std::uint64_t {
  bootstrap = 1,
  sign_flip = 2,
  nested_bootstrap = 3,
  simulation = 4,
  sign_flip_inversion = 5,
  ordinal_swap = 6,
};

class random_stream {
 public:
  using result_type = std::uint64_t;

  random_stream(std::uint64_t seed, stream_id stream, std::uint64_t block)
      : key_{{seed, static_cast<std::uint64_t>(stream)}}, counter_{{block, 0, 0, 0}} {}
  // A sub-stream of a block (e.g. trial t of a simulation block): counter (block, 0, sub, 0).
  random_stream(std::uint64_t seed, stream_id stream, std::uint64_t block, std::uint64_t sub)
      : key_{{seed, static_cast<std::uint64_t>(stream)}}, counter_{{block, 0, sub, 0}} {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }

  result_type operator()() {
    if (used_ == 4) refill();
    return buffer_[used_++];
  }

  // Uniform integer in [0, bound), bound > 0, exactly uniform: Lemire's multiply-shift with
  // rejection (ACM TOMACS 2019), one multiplication per draw in the common case.
  std::uint64_t below(std::uint64_t bound) {
    uint128 product = static_cast<uint128>((*this)()) * bound;
    auto low = static_cast<std::uint64_t>(product);
    if (low < bound) {
      const std::uint64_t threshold = (0 - bound) % bound;
      while (low < threshold) {
        product = static_cast<uint128>((*this)()) * bound;
        low = static_cast<std::uint64_t>(product);
      }
    }
    return static_cast<std::uint64_t>(product >> 64);
  }

  // Uniform double in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

 private:
  void refill() {
    buffer_ = generator_(counter_, key_);
    ++counter_[1];
    used_ = 0;
  }

  using philox = r123::Philox4x64;
  philox generator_;
  philox::key_type key_;
  philox::ctr_type counter_;
  philox::ctr_type buffer_{};
  unsigned used_ = 4;
};

}  // namespace resample
