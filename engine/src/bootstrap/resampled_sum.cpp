#include "bootstrap/resampled_sum.hpp"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <limits>
#include <string>

#include "resample/error.hpp"

namespace resample::bootstrap::detail {

namespace {

// Quads of halves drawn and used per refill of the halves buffer: small enough for L1.
constexpr std::uint64_t chunk_quads = 128;
// Room for a chunk, the tail halves (at most 4), and one group of 8 past the wanted count.
constexpr std::size_t buffer_halves = 4 * chunk_quads + 4 + 8;

bool accepted(std::uint32_t half, const digit_plan& plan) {
  return static_cast<std::uint32_t>(std::uint64_t{half} * plan.span) >= plan.threshold;
}

// Appends the accepted halves of the next four words (lo half of each word first) at out[got].
std::size_t accept_group_portable(bulk_random_stream& rng, const digit_plan& plan, std::uint32_t* out,
                                  std::size_t got) {
  for (int w = 0; w < 4; ++w) {
    const std::uint64_t word = rng();
    const auto low = static_cast<std::uint32_t>(word), high = static_cast<std::uint32_t>(word >> 32);
    out[got] = low;
    got += accepted(low, plan) ? 1 : 0;
    out[got] = high;
    got += accepted(high, plan) ? 1 : 0;
  }
  return got;
}

// Draws of the tail: draw j comes from half j / m (digit j mod m) and goes to partial sum j mod 4.
template <bool with_squares>
void add_tail(const std::uint32_t* halves, std::uint32_t draws, const digit_plan& plan, std::uint32_t bound,
              const double* scores, double* sums, double* squares) {
  std::uint32_t j = 0;
  for (std::uint32_t t = 0; j < draws; ++t) {
    std::uint32_t chain = halves[t];
    for (unsigned k = 0; k < plan.per_half && j < draws; ++k, ++j) {
      const std::uint64_t product = std::uint64_t{chain} * bound;
      chain = static_cast<std::uint32_t>(product);
      const double x = scores[product >> 32];
      sums[j % 4] += x;
      if constexpr (with_squares) squares[j % 4] += x * x;
    }
  }
}

// One permutation per 8-bit acceptance mask that moves the accepted lanes, in order, to the front.
struct pack_table {
  alignas(32) std::array<std::array<std::uint32_t, 8>, 256> lanes{};
  alignas(32) std::array<std::uint8_t, 256> counts{};
  pack_table() {
    for (unsigned mask = 0; mask < 256; ++mask) {
      unsigned k = 0;
      for (unsigned lane = 0; lane < 8; ++lane)
        if ((mask >> lane) & 1u) lanes[mask][k++] = lane;
      counts[mask] = static_cast<std::uint8_t>(k);
    }
  }
};

const pack_table& packing() {
  static const pack_table table;
  return table;
}

}  // namespace

bool resampled_sum::cpu_has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2") != 0;
  return has;
}

resampled_sum::resampled_sum(std::span<const double> scores) : scores_(scores) {
  constexpr const char* function = "resample::bootstrap::detail::resampled_sum";
  if (scores.size() < 2 || scores.size() > std::numeric_limits<std::uint32_t>::max())
    throw_invalid_argument(function, "n = " + std::to_string(scores.size()) + ", expected 2 <= n < 2^32");
  plan_ = plan_digits(scores.size());
  const std::uint64_t per_quad = 4 * std::uint64_t{plan_.per_half};
  quads_ = scores.size() / per_quad;
  tail_draws_ = static_cast<std::uint32_t>(scores.size() - quads_ * per_quad);
  tail_halves_ = (tail_draws_ + plan_.per_half - 1) / plan_.per_half;
}

void resampled_sum::draw(bulk_random_stream& rng, std::uint64_t count, double* sums, double* squares) const {
  if (!draw_avx2(rng, count, sums, squares)) draw_portable(rng, count, sums, squares);
}

template <bool with_squares>
static void draw_portable_impl(bulk_random_stream& rng, std::uint64_t count,
                               std::span<const double> scores_span, const digit_plan& plan,
                               std::uint64_t total_quads, std::uint32_t tail_draws, std::uint32_t tail_halves,
                               double* sums, double* squares) {
  const double* scores = scores_span.data();
  const auto bound = static_cast<std::uint32_t>(scores_span.size());
  const unsigned per_half = plan.per_half;
  std::uint32_t halves[buffer_halves];
  std::size_t have = 0;  // accepted halves in the buffer, from position 0
  for (std::uint64_t r = 0; r < count; ++r) {
    double s[4] = {0, 0, 0, 0}, q[4] = {0, 0, 0, 0};
    for (std::uint64_t done = 0;; done += chunk_quads) {
      const std::uint64_t quads = std::min(chunk_quads, total_quads - done);
      const bool last = done + chunk_quads >= total_quads;
      const std::size_t want = 4 * quads + (last ? tail_halves : 0);
      while (have < want) have = accept_group_portable(rng, plan, halves, have);
      for (std::uint64_t g = 0; g < quads; ++g) {
        std::uint32_t chain[4] = {halves[4 * g], halves[4 * g + 1], halves[4 * g + 2], halves[4 * g + 3]};
        for (unsigned k = 0; k < per_half; ++k)
          for (int c = 0; c < 4; ++c) {
            const std::uint64_t product = std::uint64_t{chain[c]} * bound;
            chain[c] = static_cast<std::uint32_t>(product);
            const double x = scores[product >> 32];
            s[c] += x;
            if constexpr (with_squares) q[c] += x * x;
          }
      }
      if (last) add_tail<with_squares>(halves + 4 * quads, tail_draws, plan, bound, scores, s, q);
      // Halves not used yet carry over to the next chunk or the next resample.
      std::copy(halves + want, halves + have, halves);
      have -= want;
      if (last) break;
    }
    sums[r] = (s[0] + s[1]) + (s[2] + s[3]);
    if constexpr (with_squares) squares[r] = (q[0] + q[1]) + (q[2] + q[3]);
  }
}

void resampled_sum::draw_portable(bulk_random_stream& rng, std::uint64_t count, double* sums,
                                  double* squares) const {
  if (squares != nullptr)
    draw_portable_impl<true>(rng, count, scores_, plan_, quads_, tail_draws_, tail_halves_, sums, squares);
  else
    draw_portable_impl<false>(rng, count, scores_, plan_, quads_, tail_draws_, tail_halves_, sums, nullptr);
}

__attribute__((target("avx2"))) static std::size_t accept_group_avx2(bulk_random_stream& rng,
                                                                     const digit_plan& plan,
                                                                     const pack_table& table,
                                                                     std::uint32_t* out, std::size_t got) {
  const std::uint64_t w0 = rng(), w1 = rng(), w2 = rng(), w3 = rng();
  const __m256i halves = _mm256_set_epi64x(static_cast<long long>(w3), static_cast<long long>(w2),
                                           static_cast<long long>(w1), static_cast<long long>(w0));
  // low32(h * span) >= threshold, unsigned: compare with the sign bits flipped.
  const __m256i sign = _mm256_set1_epi32(std::numeric_limits<int>::min());
  const __m256i low = _mm256_mullo_epi32(halves, _mm256_set1_epi32(static_cast<int>(plan.span)));
  const __m256i threshold = _mm256_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(plan.threshold)));
  const __m256i rejected = _mm256_cmpgt_epi32(_mm256_xor_si256(threshold, sign), _mm256_xor_si256(low, sign));
  const unsigned mask = ~static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(rejected))) & 0xffu;
  const __m256i order = _mm256_load_si256(reinterpret_cast<const __m256i*>(table.lanes[mask].data()));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + got), _mm256_permutevar8x32_epi32(halves, order));
  return got + table.counts[mask];
}

template <bool with_squares>
__attribute__((target("avx2"))) static void draw_avx2_impl(bulk_random_stream& rng, std::uint64_t count,
                                                           std::span<const double> scores_span,
                                                           const digit_plan& plan, std::uint64_t total_quads,
                                                           std::uint32_t tail_draws,
                                                           std::uint32_t tail_halves, double* sums,
                                                           double* squares) {
  const double* scores = scores_span.data();
  const auto bound32 = static_cast<std::uint32_t>(scores_span.size());
  const __m256i bound = _mm256_set1_epi64x(bound32);
  const unsigned per_half = plan.per_half;
  const pack_table& table = packing();
  alignas(32) std::uint32_t halves[buffer_halves];
  alignas(32) double s_lanes[4], q_lanes[4];
  std::size_t have = 0;
  for (std::uint64_t r = 0; r < count; ++r) {
    __m256d s = _mm256_setzero_pd(), q = _mm256_setzero_pd();
    for (std::uint64_t done = 0;; done += chunk_quads) {
      const std::uint64_t quads = std::min(chunk_quads, total_quads - done);
      const bool last = done + chunk_quads >= total_quads;
      const std::size_t want = 4 * quads + (last ? tail_halves : 0);
      while (have < want) have = accept_group_avx2(rng, plan, table, halves, have);
      for (std::uint64_t g = 0; g < quads; ++g) {
        __m256i chain =
            _mm256_cvtepu32_epi64(_mm_loadu_si128(reinterpret_cast<const __m128i*>(halves + 4 * g)));
        for (unsigned k = 0; k < per_half; ++k) {
          // vpmuludq reads the low 32 bits of each lane: the carried low half needs no mask.
          chain = _mm256_mul_epu32(chain, bound);
          const __m256d x = _mm256_i64gather_pd(scores, _mm256_srli_epi64(chain, 32), 8);
          s = _mm256_add_pd(s, x);
          // Multiply, then add (this target has no FMA): the rounding of the portable code.
          if constexpr (with_squares) q = _mm256_add_pd(q, _mm256_mul_pd(x, x));
        }
      }
      if (last) {
        _mm256_store_pd(s_lanes, s);
        _mm256_store_pd(q_lanes, q);
        add_tail<with_squares>(halves + 4 * quads, tail_draws, plan, bound32, scores, s_lanes, q_lanes);
      }
      std::copy(halves + want, halves + have, halves);
      have -= want;
      if (last) break;
    }
    sums[r] = (s_lanes[0] + s_lanes[1]) + (s_lanes[2] + s_lanes[3]);
    if constexpr (with_squares) squares[r] = (q_lanes[0] + q_lanes[1]) + (q_lanes[2] + q_lanes[3]);
  }
}

bool resampled_sum::draw_avx2(bulk_random_stream& rng, std::uint64_t count, double* sums,
                              double* squares) const {
  if (!cpu_has_avx2()) return false;
  if (squares != nullptr)
    draw_avx2_impl<true>(rng, count, scores_, plan_, quads_, tail_draws_, tail_halves_, sums, squares);
  else
    draw_avx2_impl<false>(rng, count, scores_, plan_, quads_, tail_draws_, tail_halves_, sums, nullptr);
  return true;
}

}  // namespace resample::bootstrap::detail
