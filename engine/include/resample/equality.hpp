#pragma once
// The one equality rule for computed values (docs/equality.md).
//
// Two computed values are equal when they differ by no more than the rounding error of the
// arithmetic that produced them. In the standard model of floating-point arithmetic every
// operation rounds with a relative error of at most u = eps / 2 (eps = 2^-52), so a result of at
// most k operations whose operands and partial results are bounded in magnitude by M lies within
// k * u * M of its exact value, and two such results that are equal in exact arithmetic differ by
// at most k * eps * M. That difference is the tolerance. M is the data's own scale (for example
// n * max|x_i| for a sum of n values, max|x_i| for an order statistic), never an absolute floor:
// multiplying the data by 2^k multiplies every tolerance by 2^k exactly, so every comparison, and
// with it every count and p-value, is bit-identical at any power-of-two scale and agrees up to
// rounding at any other scale. Values that no arithmetic produced (the data as given) compare
// exactly.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

namespace resample {

inline constexpr double machine_epsilon = std::numeric_limits<double>::epsilon();  // 2^-52

// Equality up to an absolute tolerance in the unit of the values compared.
class value_equality {
 public:
  // Exact equality: for values as given, which no arithmetic has rounded.
  constexpr value_equality() = default;

  // Results of at most `operations` rounded operations on operands and partial results of
  // magnitude at most `magnitude` (both finite and non-negative).
  static value_equality after_rounding(double operations, double magnitude);

  double tolerance() const { return tolerance_; }
  bool operator()(double a, double b) const { return std::fabs(a - b) <= tolerance_; }

 private:
  double tolerance_ = 0.0;
};

// max |v|, 0 for an empty span.
double largest_magnitude(std::span<const double> values);

// Throws invalid_argument naming `function` when a sum of the values' magnitudes (as the sign-flip
// and t statistics form) would exceed the largest double: finite data such as 1e308, 1e308 are
// refused with the reason, rather than analysed into an infinite or NaN result.
void check_sums_are_finite(std::span<const double> values, const char* function);

// The values lie on a lattice origin + index_i * step, step > 0, up to a tolerance.
struct integer_lattice {
  double origin = 0.0;
  double step = 0.0;  // 0 when every value equals the origin (up to the tolerance)
  std::vector<std::int64_t> index;
  std::uint64_t largest_index = 0;  // max |index_i|
};

// A lattice through `origin` that holds every value within `equal`'s tolerance, with
// |index| <= max_index, or nullopt when there is none. Each offset is divided by the largest one
// and the ratio matched to its first continued-fraction convergent within the tolerance; the
// step is the largest offset over the least common multiple of those denominators (the coarsest
// lattice, up to an intermediate fraction). Every value is then checked against the lattice, so
// a wrong candidate can only make the detector decline, never accept values off the lattice.
// Ratios are unit-free: values, origin and tolerance times 2^k give the same indices and the
// step times 2^k.
std::optional<integer_lattice> find_lattice(std::span<const double> values, double origin,
                                            value_equality equal, std::uint64_t max_index);

// The tolerance find_lattice needs for data values as given (decimal input rounds each to within
// u * |x|; offsets from an origin and the lattice points add a few more such roundings):
// lattice_rounding_operations * eps * max(max|v|, |origin|). A value assembled from lattice
// indices can therefore sit that far from the same value computed from the data themselves.
inline constexpr double lattice_rounding_operations = 8.0;
value_equality lattice_equality(std::span<const double> values, double origin);

}  // namespace resample
