#include "resample/equality.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <string>

#include "resample/error.hpp"

namespace resample {

value_equality value_equality::after_rounding(double operations, double magnitude) {
  constexpr const char* function = "resample::value_equality::after_rounding";
  if (!(operations >= 0.0) || !std::isfinite(operations))
    throw_invalid_argument(function, "operations must be finite and non-negative");
  if (!(magnitude >= 0.0) || !std::isfinite(magnitude))
    throw_invalid_argument(function, "magnitude must be finite and non-negative");
  value_equality e;
  e.tolerance_ = operations * machine_epsilon * magnitude;
  return e;
}

double largest_magnitude(std::span<const double> values) {
  double largest = 0.0;
  for (double v : values) largest = std::max(largest, std::fabs(v));
  return largest;
}

void check_sums_are_finite(std::span<const double> values, const char* function) {
  double total = 0.0;
  for (double v : values) total += std::fabs(v);
  // Twice the total: a signed sum and the swing sum |score(d) - score(-d)| = 2|d| must both fit.
  if (!std::isfinite(2.0 * total)) {
    char buffer[160];
    std::snprintf(buffer, sizeof buffer,
                  "the %zu values, up to %.3g in magnitude, sum beyond the largest double (%.3g); divide "
                  "them by a power of ten",
                  values.size(), largest_magnitude(values), std::numeric_limits<double>::max());
    throw_invalid_argument(function, buffer);
  }
}

value_equality lattice_equality(std::span<const double> values, double origin) {
  // Each value and the origin within u * M of their decimal meaning, the offset rounded once
  // (|offset| <= 2M), the step taken from one offset and multiplied back: under 6 eps * M in all.
  return value_equality::after_rounding(lattice_rounding_operations,
                                        std::max(largest_magnitude(values), std::fabs(origin)));
}

namespace {

// The denominator of the first continued-fraction convergent p/q of r in [0, 1] with
// |r - p/q| <= delta, or 0 when none has q <= limit. Convergents are the best rational
// approximations, so this is (up to an intermediate fraction) the smallest denominator that puts
// r on a grid 1/q within delta. The expansion runs in long double; the distance is checked
// against r itself, so rounding in the expansion can only make the search give up.
std::uint64_t convergent_denominator(double r, double delta, std::uint64_t limit) {
  long double x = r;
  long double h_prev = 0, h = 1, k_prev = 1, k = 0;  // h_{-2}/k_{-2} = 0/1, h_{-1}/k_{-1} = 1/0
  if (std::fabs(r) <= delta) return 1;
  for (int terms = 0; terms < 64; ++terms) {
    const long double a = std::floor(x);
    const long double h_next = a * h + h_prev, k_next = a * k + k_prev;
    h_prev = h, h = h_next, k_prev = k, k = k_next;
    if (k > static_cast<long double>(limit)) return 0;
    if (std::fabs(static_cast<long double>(r) - h / k) <= delta) return static_cast<std::uint64_t>(k);
    const long double fraction = x - a;
    if (fraction <= 0) return 0;  // r is h/k exactly, yet farther than delta: cannot happen
    x = 1 / fraction;
  }
  return 0;
}

}  // namespace

std::optional<integer_lattice> find_lattice(std::span<const double> values, double origin,
                                            value_equality equal, std::uint64_t max_index) {
  const double tolerance = equal.tolerance();
  integer_lattice lattice;
  lattice.origin = origin;
  lattice.index.assign(values.size(), 0);
  // The largest offset is the reference: every other offset is a fraction of it, and a lattice
  // with at most max_index steps up to it has step reference / K for an integer K <= max_index.
  std::size_t widest = 0;
  double reference = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double offset = std::fabs(values[i] - origin);
    if (!std::isfinite(offset)) return std::nullopt;
    if (offset > reference) reference = offset, widest = i;
  }
  if (reference <= tolerance) return lattice;  // every value at the origin

  // K = the least common multiple of the denominators that put each ratio offset / reference on
  // a grid within the tolerance (relative to the reference: both ends may carry it).
  const double delta = 2.0 * tolerance / reference;
  std::uint64_t common = 1;
  for (double v : values) {
    const double ratio = std::fabs(v - origin) / reference;
    const std::uint64_t q = convergent_denominator(ratio, delta, max_index);
    if (q == 0) return std::nullopt;
    common = common / std::gcd(common, q) * q;
    if (common > max_index) return std::nullopt;
  }

  // Indices on the grid reference / K, the step from the widest offset (index +-K), then every
  // value checked against the lattice: a wrong grid can only make the detector decline.
  const double signed_reference = values[widest] - origin;
  lattice.step = reference / static_cast<double>(common);
  for (std::size_t i = 0; i < values.size(); ++i)
    lattice.index[i] = static_cast<std::int64_t>(std::round((values[i] - origin) / lattice.step));
  const auto top = lattice.index[widest];
  if (top == 0) return std::nullopt;
  lattice.step = signed_reference / static_cast<double>(top);
  std::uint64_t largest_index = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto k = lattice.index[i];
    largest_index = std::max<std::uint64_t>(largest_index, static_cast<std::uint64_t>(k < 0 ? -k : k));
    if (!equal(values[i] - origin, static_cast<double>(k) * lattice.step)) return std::nullopt;
  }
  if (largest_index > max_index) return std::nullopt;
  lattice.largest_index = largest_index;
  return lattice;
}

}  // namespace resample
