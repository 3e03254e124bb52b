// libFuzzer target: the lattice detector behind the exact sign-flip DP and the bootstrap
// convolution (find_lattice in equality.hpp). The input is read as doubles: the first picks a
// power-of-two scale, the rest form the values (non-finite ones skipped). Invariants: no signal
// (the near-constant 5, 5.0000000001 once divided by a zero gcd); a lattice it returns holds every
// value within its tolerance with |index| <= max_index; the same values times 2^k give the same
// answer with the step times 2^k (the unit of measurement never changes a result).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "resample/bootstrap/convolution.hpp"
#include "resample/equality.hpp"
#include "resample/inference/sign_flip.hpp"

namespace {

void check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<double> values;
  int exponent = 0;
  for (std::size_t i = 0; i + sizeof(double) <= size && values.size() < 64; i += sizeof(double)) {
    double x;
    std::memcpy(&x, data + i, sizeof x);
    if (i == 0) {
      exponent = std::isfinite(x) ? static_cast<int>(std::fmod(std::fabs(x), 121.0)) - 60 : 0;
      continue;
    }
    // Keep magnitudes where 2^+-60 cannot overflow or go subnormal, so the scaled run is exact.
    if (std::isfinite(x) && (x == 0.0 || (std::fabs(x) > 1e-200 && std::fabs(x) < 1e200)))
      values.push_back(x);
  }
  if (values.empty()) return 0;
  const double scale = std::ldexp(1.0, exponent);
  std::vector<double> scaled;
  for (double v : values) scaled.push_back(v * scale);

  constexpr std::uint64_t max_index = 1u << 20;
  for (double origin : {0.0, values[0]}) {
    const auto equal = resample::lattice_equality(values, origin);
    const auto lattice = resample::find_lattice(values, origin, equal, max_index);
    const auto scaled_lattice = resample::find_lattice(
        scaled, origin * scale, resample::lattice_equality(scaled, origin * scale), max_index);
    check(lattice.has_value() == scaled_lattice.has_value());
    if (!lattice) continue;
    check(lattice->index == scaled_lattice->index);
    check(lattice->step * scale == scaled_lattice->step);
    check(lattice->largest_index <= max_index);
    for (std::size_t i = 0; i < values.size(); ++i)
      check(equal(values[i] - origin, static_cast<double>(lattice->index[i]) * lattice->step));
  }
  // The two consumers must not trap either.
  (void)resample::bootstrap::find_score_lattice(values);
  std::vector<double> nonzero;
  for (double v : values)
    if (v != 0.0) nonzero.push_back(v);
  if (!nonzero.empty()) (void)resample::inference::detect_lattice(nonzero);
  return 0;
}
