#pragma once
// The Monte Carlo kernel of sum-type statistics on real-valued data (implementation detail,
// exposed for tests and benchmarks): for each resample, the sum (and optionally the sum of
// squares) of n scores drawn uniformly with replacement.
//
// Philox words are consumed four at a time (eight 32-bit halves). A half h is accepted when
// low32(h * bound^m) >= 2^32 mod bound^m (Lemire's test), so it is an exactly uniform integer in
// [0, bound^m); its m base-bound digits, taken by repeated 32x32->64 multiplication (digit = high
// half, the low half carries on), are m exactly uniform indices. Accepted halves are used in
// order, across the resamples of one call; a group of words is drawn only when the halves in hand
// do not cover the next chunk of draws, and halves left at the end of a call are discarded (one
// call per block of resamples keeps the result independent of the thread count).
//
// Summation order (fixed, so every implementation gives the same bits): each resample takes its
// halves in quads; the digits of the c-th half of every quad go to partial sum c (c = 0..3) in draw order;
// the remaining n mod 4m draws come from the next halves, draw j to partial sum j mod 4. The sum
// is (s0 + s1) + (s2 + s3). Four partial sums break the floating-point add dependency chain and
// are exactly the four lanes of an AVX2 register, which is why the layout is chosen this way.
//
// Two implementations of the same function: a portable one and, where the CPU has AVX2 (checked
// at run time), one with vector multiplies, a vector accept-and-pack of halves and gathers of the
// scores. Tests check that they agree bit for bit.

#include <cstdint>
#include <span>

#include "bootstrap/sampling.hpp"

namespace resample::bootstrap::detail {

class resampled_sum {
 public:
  // scores: the per-patient scores; 2 <= scores.size() < 2^32.
  explicit resampled_sum(std::span<const double> scores);

  // `count` resamples from rng: sums[r], and squares[r] (sum of squared scores) unless squares is
  // null. Uses the AVX2 implementation when the CPU has it.
  void draw(bulk_random_stream& rng, std::uint64_t count, double* sums, double* squares) const;

  // The portable implementation, and the AVX2 one (returns false, doing nothing, without AVX2).
  void draw_portable(bulk_random_stream& rng, std::uint64_t count, double* sums, double* squares) const;
  bool draw_avx2(bulk_random_stream& rng, std::uint64_t count, double* sums, double* squares) const;

  static bool cpu_has_avx2();

 private:
  std::span<const double> scores_;
  digit_plan plan_;
  std::uint64_t quads_ = 0;        // whole quads of halves per resample
  std::uint32_t tail_draws_ = 0;   // draws after the quads
  std::uint32_t tail_halves_ = 0;  // halves they need
};

}  // namespace resample::bootstrap::detail
