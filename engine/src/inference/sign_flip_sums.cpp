#include "inference/sign_flip_sums.hpp"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "resample/error.hpp"

namespace resample::inference::detail {

namespace {

using bootstrap::detail::bulk_random_stream;

// Patterns drawn together, and words (64 deltas each) per chunk: 16 words are 8 KiB of deltas,
// which stay in L1 with the batch's words while all 8 patterns pass over them (at n = 5000 a
// chunk of 16 measured as fast as 32 and faster than none, within the noise of a loaded machine).
constexpr std::size_t batch_patterns = 8;
constexpr std::size_t chunk_words = 16;

// delta if the bit is set, +0.0 otherwise: the bitwise AND that the AVX2 code does per lane.
double select(double delta, std::uint64_t bit) {
  std::uint64_t v;
  std::memcpy(&v, &delta, sizeof v);
  v &= 0 - bit;
  double out;
  std::memcpy(&out, &v, sizeof out);
  return out;
}

double reduce(const double* p, double base) {
  double v[4];
  for (int j = 0; j < 4; ++j) v[j] = (p[j] + p[4 + j]) + (p[8 + j] + p[12 + j]);
  return base + ((v[0] + v[1]) + (v[2] + v[3]));
}

// Lane masks of a nibble: lane j all ones when bit j is set (loaded, as a table is one load where
// building the mask from the word takes three vector operations).
struct nibble_masks {
  alignas(32) std::array<std::array<std::uint64_t, 4>, 16> lanes{};
  nibble_masks() {
    for (unsigned v = 0; v < 16; ++v)
      for (unsigned j = 0; j < 4; ++j) lanes[v][j] = (v >> j) & 1u ? ~std::uint64_t{0} : 0;
  }
};

const nibble_masks& masks() {
  static const nibble_masks table;
  return table;
}

}  // namespace

bool sign_flip_sums::cpu_has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2") != 0;
  return has;
}

sign_flip_sums::sign_flip_sums(double base, std::span<const double> deltas)
    : base_(base),
      words_((deltas.size() + 63) / 64),
      last_word_mask_(deltas.size() % 64 == 0 ? ~std::uint64_t{0}
                                              : (std::uint64_t{1} << (deltas.size() % 64)) - 1) {
  if (deltas.empty())
    throw_invalid_argument("resample::inference::detail::sign_flip_sums", "no deltas, expected at least one");
  deltas_.assign(64 * words_, 0.0);
  std::copy(deltas.begin(), deltas.end(), deltas_.begin());
}

void sign_flip_sums::draw(bulk_random_stream& rng, std::uint64_t count, double* sums,
                          std::uint32_t* flips) const {
  if (!draw_avx2(rng, count, sums, flips)) draw_portable(rng, count, sums, flips);
}

void sign_flip_sums::draw_portable(bulk_random_stream& rng, std::uint64_t count, double* sums,
                                   std::uint32_t* flips) const {
  const double* deltas = deltas_.data();
  for (std::uint64_t r = 0; r < count; ++r) {
    double p[16] = {};
    std::uint32_t flipped = 0;
    for (std::size_t k = 0; k < words_; ++k) {
      const std::uint64_t bits = rng();
      const double* x = deltas + 64 * k;
      for (unsigned i = 0; i < 64; ++i) p[i % 16] += select(x[i], (bits >> i) & 1u);
      flipped += static_cast<std::uint32_t>(std::popcount(k + 1 == words_ ? bits & last_word_mask_ : bits));
    }
    sums[r] = reduce(p, base_);
    if (flips) flips[r] = flipped;
  }
}

// The lane mask of the low nibble of `bits`.
__attribute__((target("avx2"))) static inline __m256d nibble_mask(const nibble_masks& table,
                                                                  std::uint64_t bits) {
  return _mm256_load_pd(reinterpret_cast<const double*>(table.lanes[bits & 15u].data()));
}

__attribute__((target("avx2"))) static void draw_avx2_impl(bulk_random_stream& rng, std::uint64_t count,
                                                           double base, const double* deltas,
                                                           std::size_t words, std::uint64_t last_word_mask,
                                                           double* sums, std::uint32_t* flips) {
  const nibble_masks& table = masks();
  // The words of a batch, pattern after pattern as the stream gives them: one allocation per call.
  std::vector<std::uint64_t> bits(batch_patterns * words);
  alignas(32) double partials[batch_patterns][16];
  for (std::uint64_t first = 0; first < count; first += batch_patterns) {
    const std::size_t patterns =
        static_cast<std::size_t>(std::min<std::uint64_t>(batch_patterns, count - first));
    for (std::size_t k = 0; k < patterns * words; ++k) bits[k] = rng();
    if (flips)
      for (std::size_t q = 0; q < patterns; ++q) {
        const std::uint64_t* w = bits.data() + q * words;
        std::uint32_t flipped = 0;
        for (std::size_t k = 0; k + 1 < words; ++k)
          flipped += static_cast<std::uint32_t>(std::popcount(w[k]));
        flips[first + q] = flipped + static_cast<std::uint32_t>(std::popcount(w[words - 1] & last_word_mask));
      }
    for (std::size_t q = 0; q < patterns; ++q) std::fill(partials[q], partials[q] + 16, 0.0);
    // Chunk by chunk of the deltas, every pattern of the batch: each lane still adds its
    // differences in increasing order, so the chunking does not change the result.
    for (std::size_t c0 = 0; c0 < words; c0 += chunk_words) {
      const std::size_t c1 = std::min(words, c0 + chunk_words);
      for (std::size_t q = 0; q < patterns; ++q) {
        double* p = partials[q];
        __m256d a0 = _mm256_load_pd(p), a1 = _mm256_load_pd(p + 4), a2 = _mm256_load_pd(p + 8),
                a3 = _mm256_load_pd(p + 12);
        const std::uint64_t* w = bits.data() + q * words;
        for (std::size_t k = c0; k < c1; ++k) {
          std::uint64_t b = w[k];
          const double* x = deltas + 64 * k;
          for (int g = 0; g < 4; ++g, b >>= 16, x += 16) {
            a0 = _mm256_add_pd(a0, _mm256_and_pd(nibble_mask(table, b), _mm256_loadu_pd(x)));
            a1 = _mm256_add_pd(a1, _mm256_and_pd(nibble_mask(table, b >> 4), _mm256_loadu_pd(x + 4)));
            a2 = _mm256_add_pd(a2, _mm256_and_pd(nibble_mask(table, b >> 8), _mm256_loadu_pd(x + 8)));
            a3 = _mm256_add_pd(a3, _mm256_and_pd(nibble_mask(table, b >> 12), _mm256_loadu_pd(x + 12)));
          }
        }
        _mm256_store_pd(p, a0);
        _mm256_store_pd(p + 4, a1);
        _mm256_store_pd(p + 8, a2);
        _mm256_store_pd(p + 12, a3);
      }
    }
    for (std::size_t q = 0; q < patterns; ++q) sums[first + q] = reduce(partials[q], base);
  }
}

bool sign_flip_sums::draw_avx2(bulk_random_stream& rng, std::uint64_t count, double* sums,
                               std::uint32_t* flips) const {
  if (!cpu_has_avx2()) return false;
  draw_avx2_impl(rng, count, base_, deltas_.data(), words_, last_word_mask_, sums, flips);
  return true;
}

void sign_flip_group_sums::add_groups(std::span<const double> sorted, const std::vector<double>& plus,
                                      const std::vector<double>& minus) {
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i + 1;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    const std::uint64_t m = j - i;
    base_ += static_cast<double>(m) * minus[i];
    const double coefficient = plus[i] - minus[i];
    // A group whose sign does not change its score adds a constant: no draw.
    if (coefficient != 0.0) {
      tables_.emplace_back(m, 1, 0.5);
      if (!tables_.back().valid()) valid_ = false;
      coefficients_.push_back(coefficient);
    }
    i = j;
  }
}

void sign_flip_group_sums::draw(bulk_random_stream& rng, std::uint64_t count, double* sums) const {
  const std::size_t groups = coefficients_.size();
  for (std::uint64_t r = 0; r < count; ++r) {
    double s = base_;
    for (std::size_t g = 0; g < groups; ++g)
      s += static_cast<double>(tables_[g].draw_row(rng, 0)) * coefficients_[g];
    sums[r] = s;
  }
}

std::size_t distinct_count(std::span<const double> magnitudes) {
  std::vector<double> sorted(magnitudes.begin(), magnitudes.end());
  std::sort(sorted.begin(), sorted.end());
  return static_cast<std::size_t>(std::unique(sorted.begin(), sorted.end()) - sorted.begin());
}

}  // namespace resample::inference::detail
