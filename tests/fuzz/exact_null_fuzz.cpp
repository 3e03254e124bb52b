// libFuzzer target: the two exact routes of the tied signed-rank null against each other.
// The bytes choose up to five tie groups (swing 1..40, size 1..12), an observed value, an
// alternative and a kernel; the inversion (binomial_sum_tail) must agree with the dense table
// counted in extended precision (exact integer counts over 2^M, M <= 60; its tail sums round at
// about 1e-16) within the error bound it reports, for the p-value and for each of its two parts, and that
// bound must stay below 1e-9. Any disagreement traps.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "resample/inference/binomial_sum_tail.hpp"
#include "resample/inference/lattice_null.hpp"

namespace inf = resample::inference;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  std::size_t at = 0;
  const auto next = [&] { return at < size ? data[at++] : std::uint8_t{0}; };
  const std::size_t groups = 1 + next() % 5;
  std::vector<std::uint64_t> swings;
  for (std::size_t g = 0; g < groups; ++g) {
    const std::uint64_t swing = 1 + next() % 40, count = 1 + next() % 12;
    swings.insert(swings.end(), count, swing);
  }
  const auto alt = static_cast<inf::alternative>(next() % 3);
  const auto kernel = next() % 2 ? inf::inversion_kernel::portable : inf::inversion_kernel::automatic;
  const std::uint16_t pick = static_cast<std::uint16_t>(next() << 8 | next());

  const inf::subset_sum_null table(swings, true);
  // The picked value, moved down to the nearest value S can take.
  std::uint64_t observed = pick % (table.total() + 1);
  while (table.probability(observed) == 0.0L) --observed;  // S = 0 is always possible

  const auto inverted = inf::binomial_sum_tail(inf::group_swings(swings), observed, alt, kernel);
  const auto exact = table.tail(observed, alt);
  const long double p = inverted.tail.more + inverted.tail.equal, expected = exact.more + exact.equal;
  const long double allowed = static_cast<long double>(inverted.relative_error_bound) * p + 1e-15L * expected;
  if (!(inverted.relative_error_bound < 1e-9)) __builtin_trap();
  if (!(std::fabs(p - expected) <= allowed)) __builtin_trap();
  if (!(std::fabs(inverted.tail.more - exact.more) <= allowed)) __builtin_trap();
  if (!(std::fabs(inverted.tail.equal - exact.equal) <= allowed)) __builtin_trap();
  return 0;
}
