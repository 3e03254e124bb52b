#pragma once
// Statistics of a paired sample (one value per patient: the difference pre - post).
//
// Every statistic is evaluated on a multiset: the sorted distinct support of the original sample
// and a multiplicity for each support value (the multiplicities sum to n). That is the natural form
// of a bootstrap resample (exact enumeration visits multisets; the ordinal Monte Carlo path draws
// multinomial counts) and lets a kernel evaluate a median in O(support) without sorting.
//
// Kernels are templates over the concrete statistic type and are instantiated once per statistic
// through visit_statistic(), so the per-resample call is direct and inlinable (no virtual call).
// Adding a built-in statistic: one struct below (with its traits: sum_type, minimum_n, symmetry,
// evaluation_cost, cost_exponent, rounding_operations), one enum value, one line in
// visit_statistic() and one registry entry (name, parameter, help) in statistics.cpp.
// Adding a statistic without touching the engine: the same struct, outside, and one line,
// register_statistic<S>("name", "help") (below); it then works wherever a statistic is taken
// (parse_statistic, bootstrap, the sign-flip test, power, coverage), through one indirect call per
// evaluation instead of an inlined kernel.
//
// Each struct states `rounding_operations(n)`: how many rounded operations, on operands bounded
// by max|x_i|, separate its value on a multiset of n values from the exact value (equality.hpp).
// Every algorithm that compares or merges values of the statistic uses statistic_equality(),
// which turns that count into the tolerance.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "resample/equality.hpp"
#include "resample/error.hpp"

namespace resample {

// `custom`: a statistic added at run time by register_statistic (its definition says which).
enum class statistic_kind { mean, median, trimmed_mean, sd, prop_ge, hl, superiority, rank_biserial, custom };

// How the sign-flip null of a statistic is symmetric, which fixes its two-sided p-value
// (sign_flip.hpp): odd statistics (flipping every sign negates the value) are symmetric about 0;
// the share prop_ge is symmetric about its null mean (a sum of two-point scores); the sd is
// neither, and its two-sided p doubles the smaller tail.
enum class sign_flip_symmetry { odd, about_null_mean, none };

class weighted_distribution;
struct statistic_definition;

// A statistic and its parameter (trim fraction for trimmed_mean, threshold K for prop_ge); a
// registered statistic also points at its definition (which lives as long as the program).
struct statistic {
  statistic_kind kind = statistic_kind::mean;
  double parameter = 0.0;
  const statistic_definition* definition = nullptr;  // kind == custom only

  friend bool operator==(const statistic&, const statistic&) = default;
};

// Parses "mean", "median", "trimmed:0.1", "sd", "prop_ge:3", "hl". Throws invalid_argument with
// the list of known statistics for anything else.
statistic parse_statistic(std::string_view spec);
// The canonical spelling, e.g. "trimmed:0.1"; parse_statistic(to_string(s)) == s.
std::string to_string(const statistic& s);
// Every statistic's name with its parameter syntax, "mean, median, trimmed:F, ..." (--help).
std::string statistic_syntax();
// One line per statistic: name, parameter syntax and meaning (for --help and error messages).
std::vector<std::string> statistic_descriptions();

namespace statistics {

namespace detail {

// Finite data can still overflow a sum (six values of 1e308) or underflow a square (1e-200). The
// kernels sum in the plain way first and only when the result is not finite (or is suspiciously
// small) recompute on the values scaled by a power of two, which is exact: the common path
// costs one well-predicted branch per evaluation, not per value.
template <class Count>
double scale_for(std::span<const double> support, std::span<const Count> counts) {
  double largest = 0.0;
  for (std::size_t i = 0; i < support.size(); ++i)
    if (counts[i] != 0) largest = std::max(largest, std::fabs(support[i]));
  return largest > 0.0 && std::isfinite(largest) ? std::exp2(static_cast<double>(std::ilogb(largest))) : 1.0;
}

template <class Count>
double scaled_mean(std::span<const double> support, std::span<const Count> counts, std::size_t n) {
  const double scale = scale_for(support, counts);
  double total = 0.0;
  for (std::size_t i = 0; i < support.size(); ++i)
    total += static_cast<double>(counts[i]) * (support[i] / scale);
  return total / static_cast<double>(n) * scale;
}

// Two-pass sample standard deviation of the values divided by `scale` (a power of two).
template <class Count>
double sd_of_scaled(std::span<const double> support, std::span<const Count> counts, std::size_t n,
                    double scale) {
  double total = 0.0;
  for (std::size_t i = 0; i < support.size(); ++i)
    total += static_cast<double>(counts[i]) * (support[i] / scale);
  const double center = total / static_cast<double>(n);
  double squares = 0.0;
  for (std::size_t i = 0; i < support.size(); ++i) {
    const double d = support[i] / scale - center;
    squares += static_cast<double>(counts[i]) * d * d;
  }
  return std::sqrt(squares / static_cast<double>(n - 1));
}

}  // namespace detail

// Sum-type statistics are the mean of a per-value score; they admit the O(1) Gray-code update,
// the convolution of the exact bootstrap and the histogram path of Monte Carlo.
struct mean {
  static constexpr bool sum_type = true;
  static constexpr std::size_t minimum_n = 1;
  static constexpr sign_flip_symmetry symmetry = sign_flip_symmetry::odd;
  // Relative cost of one evaluation on n values, and the power of n it grows with (the planner's
  // scaling of pilot timings).
  static double evaluation_cost(std::size_t n) { return static_cast<double>(n); }
  static constexpr double cost_exponent = 1.0;
  // A sum over at most n support values (partial sums <= n * max|x|), then one division by n;
  // a value assembled from lattice indices (the convolution) adds the detector's snapping.
  static constexpr double rounding_operations(std::size_t n) {
    return static_cast<double>(n) + 1.0 + 2.0 * lattice_rounding_operations;
  }
  double score(double x) const { return x; }
  template <class Count>
  double operator()(std::span<const double> support, std::span<const Count> counts, std::size_t n) const {
    double total = 0.0;
    for (std::size_t i = 0; i < support.size(); ++i) total += static_cast<double>(counts[i]) * support[i];
    const double m = total / static_cast<double>(n);
    if (std::isfinite(m)) [[likely]]
      return m;
    return detail::scaled_mean(support, counts, n);  // the sum overflowed
  }
};

struct prop_ge {
  static constexpr bool sum_type = true;
  static constexpr std::size_t minimum_n = 1;
  static constexpr sign_flip_symmetry symmetry = sign_flip_symmetry::about_null_mean;
  // Relative cost of one evaluation on n values, and the power of n it grows with (the planner's
  // scaling of pilot timings).
  static double evaluation_cost(std::size_t n) { return static_cast<double>(n); }
  static constexpr double cost_exponent = 1.0;
  // hits / n: equal counts give equal bits, different counts differ by 1/n.
  static constexpr double rounding_operations(std::size_t) { return 0.0; }
  double threshold;
  double score(double x) const { return x >= threshold ? 1.0 : 0.0; }
  template <class Count>
  double operator()(std::span<const double> support, std::span<const Count> counts, std::size_t n) const {
    std::uint64_t hits = 0;
    for (std::size_t i = 0; i < support.size(); ++i)
      if (support[i] >= threshold) hits += counts[i];
    return static_cast<double>(hits) / static_cast<double>(n);
  }
};

// Value at 0-based rank r of the multiset (support sorted ascending).
template <class Count>
double value_at_rank(std::span<const double> support, std::span<const Count> counts, std::size_t r) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < support.size(); ++i) {
    seen += counts[i];
    if (r < seen) return support[i];
  }
  return support.back();
}

struct median {
  static constexpr bool sum_type = false;
  static constexpr std::size_t minimum_n = 1;
  static constexpr sign_flip_symmetry symmetry = sign_flip_symmetry::odd;
  // Relative cost of one evaluation on n values, and the power of n it grows with (the planner's
  // scaling of pilot timings).
  static double evaluation_cost(std::size_t n) { return static_cast<double>(n); }
  static constexpr double cost_exponent = 1.0;
  // The midpoint of two order statistics: one rounding.
  static constexpr double rounding_operations(std::size_t) { return 1.0; }
  template <class Count>
  double operator()(std::span<const double> support, std::span<const Count> counts, std::size_t n) const {
    // One walk finds both middle order statistics.
    const std::size_t lo = (n - 1) / 2, hi = n / 2;
    std::size_t seen = 0;
    double lower = support.back();
    bool have_lower = false;
    for (std::size_t i = 0; i < support.size(); ++i) {
      seen += counts[i];
      if (!have_lower && lo < seen) {
        lower = support[i];
        have_lower = true;
      }
      if (hi < seen) return std::midpoint(lower, support[i]);  // (a + b) / 2 without overflow
    }
    return support.back();
  }
};

// Mean after removing floor(fraction * n) values from each end.
struct trimmed_mean {
  static constexpr bool sum_type = false;
  static constexpr std::size_t minimum_n = 1;
  static constexpr sign_flip_symmetry symmetry = sign_flip_symmetry::odd;
  // Relative cost of one evaluation on n values, and the power of n it grows with (the planner's
  // scaling of pilot timings).
  static double evaluation_cost(std::size_t n) { return static_cast<double>(n); }
  static constexpr double cost_exponent = 1.0;
  // As the mean: a sum of at most n kept values, one division.
  static constexpr double rounding_operations(std::size_t n) {
    return static_cast<double>(n) + 1.0 + 2.0 * lattice_rounding_operations;
  }
  double fraction;
  // Values dropped at each end of n: the one rule every trimmed-mean computation uses.
  std::size_t cut(std::size_t n) const {
    return static_cast<std::size_t>(std::floor(fraction * static_cast<double>(n)));
  }
  template <class Count>
  double operator()(std::span<const double> support, std::span<const Count> counts, std::size_t n) const {
    const std::size_t cut = this->cut(n);
    const std::size_t first = cut, last = n - cut;  // keep ranks [first, last)
    double total = 0.0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < support.size() && start < last; ++i) {
      const std::size_t stop = start + counts[i];
      const std::size_t a = std::max(start, first), b = std::min(stop, last);
      if (b > a) total += static_cast<double>(b - a) * support[i];
      start = stop;
    }
    const double m = total / static_cast<double>(last - first);
    if (std::isfinite(m)) [[likely]]
      return m;
    // The sum overflowed: the same walk on values scaled by a power of two.
    const double scale = detail::scale_for(support, counts);
    total = 0.0;
    start = 0;
    for (std::size_t i = 0; i < support.size() && start < last; ++i) {
      const std::size_t stop = start + counts[i];
      const std::size_t a = std::max(start, first), b = std::min(stop, last);
      if (b > a) total += static_cast<double>(b - a) * (support[i] / scale);
      start = stop;
    }
    return total / static_cast<double>(last - first) * scale;
  }
};

// Sample standard deviation (divisor n - 1), by a two-pass sum for accuracy.
struct sd {
  static constexpr bool sum_type = false;
  static constexpr std::size_t minimum_n = 2;
  static constexpr sign_flip_symmetry symmetry = sign_flip_symmetry::none;
  // Relative cost of one evaluation on n values, and the power of n it grows with (the planner's
  // scaling of pilot timings).
  static double evaluation_cost(std::size_t n) { return static_cast<double>(n); }
  static constexpr double cost_exponent = 1.0;
  // Two passes of n terms (the mean, then the squared deviations, whose rounding the square root
  // halves relative to the sd but which the centre's rounding, up to (n + 1) u max|x|, shifts).
  static constexpr double rounding_operations(std::size_t n) { return 2.0 * static_cast<double>(n) + 2.0; }
  template <class Count>
  double operator()(std::span<const double> support, std::span<const Count> counts, std::size_t n) const {
    // The plain two-pass computation; sd_of_scaled is the same with a division per value.
    double total = 0.0;
    for (std::size_t i = 0; i < support.size(); ++i) total += static_cast<double>(counts[i]) * support[i];
    const double center = total / static_cast<double>(n);
    double squares = 0.0;
    for (std::size_t i = 0; i < support.size(); ++i) {
      const double d = support[i] - center;
      squares += static_cast<double>(counts[i]) * d * d;
    }
    const double s = std::sqrt(squares / static_cast<double>(n - 1));
    // Squares overflow beyond about 1e154 and lose all precision below about 1e-154.
    if (s > 1e-140 && s < 1e140) [[likely]]
      return s;
    const double scale = detail::scale_for(support, counts);
    return detail::sd_of_scaled(support, counts, n, scale) * scale;
  }
};

// The Walsh average at 0-based rank `rank` (counted with multiplicity) of the multiset with sorted
// `support` and `counts`, found without forming the averages: O(K log^2 K) for K support values
// and O(K) memory, bit for bit the value sorting all K(K + 1)/2 of them would give. Throws
// invalid_argument if rank is not below n(n + 1)/2.
double walsh_average_at_rank(std::span<const double> support, std::span<const std::uint32_t> counts,
                             std::uint64_t rank);

// Support sizes from which the hl kernel selects in the implicit matrix instead of forming the
// averages (StatisticsHlWalshSelection, 2026-12-04: even at 48 values, the implicit selection
// 2.8 times faster at 64 and 5.7 times at 255).
inline constexpr std::size_t walsh_implicit_selection_from = 64;

// Hodges-Lehmann estimator: the median of the n(n+1)/2 Walsh averages (x_i + x_j)/2, i <= j.
// The scratch buffer is per thread and only grows, so the hot loop does not allocate after warm-up.
struct hl {
  static constexpr bool sum_type = false;
  static constexpr std::size_t minimum_n = 1;
  static constexpr sign_flip_symmetry symmetry = sign_flip_symmetry::odd;
  // Relative cost of one evaluation on n values, and the power of n it grows with (the planner's
  // scaling of pilot timings).
  static double evaluation_cost(std::size_t n) {
    return static_cast<double>(n) * static_cast<double>(n) * std::log2(static_cast<double>(n) + 1.0);
  }
  static constexpr double cost_exponent = 2.0;
  // A Walsh average (one rounding), then the midpoint of two of them (one more).
  static constexpr double rounding_operations(std::size_t) { return 2.0; }
  template <class Count>
  double operator()(std::span<const double> support, std::span<const Count> counts, std::size_t n) const {
    const std::uint64_t total = static_cast<std::uint64_t>(n) * (n + 1) / 2;
    const std::uint64_t lo = (total - 1) / 2, hi = total / 2;
    if constexpr (std::is_same_v<Count, std::uint32_t>) {
      if (support.size() >= walsh_implicit_selection_from) {
        const double lower = walsh_average_at_rank(support, counts, lo);
        return hi == lo ? lower : std::midpoint(lower, walsh_average_at_rank(support, counts, hi));
      }
    }
    struct weighted_average {
      double value;
      std::uint64_t multiplicity;
    };
    thread_local std::vector<weighted_average> walsh;
    walsh.clear();
    const auto fill = [&](auto average) {
      for (std::size_t i = 0; i < support.size(); ++i) {
        if (counts[i] == 0) continue;
        const std::uint64_t ci = counts[i];
        walsh.push_back({support[i], ci * (ci + 1) / 2});
        for (std::size_t j = i + 1; j < support.size(); ++j)
          if (counts[j] != 0) walsh.push_back({average(support[i], support[j]), ci * counts[j]});
      }
    };
    // The support is sorted, so its ends bound every |value|: only beyond half the largest double
    // can a + b overflow, and only then is the slower overflow-free midpoint needed.
    constexpr double half_max = std::numeric_limits<double>::max() / 2;
    if (std::fabs(support.front()) <= half_max && std::fabs(support.back()) <= half_max) [[likely]]
      fill([](double a, double b) { return 0.5 * (a + b); });
    else
      fill([](double a, double b) { return std::midpoint(a, b); });
    const double lower = select_weighted(walsh, lo);
    return hi == lo ? lower : std::midpoint(lower, select_weighted(walsh, hi));
  }

 private:
  // The value at 0-based rank `rank` of the multiset the averages and their multiplicities form,
  // by selection instead of a full sort: O(m) expected, where sorting the n(n+1)/2 averages of a
  // large sample was most of `resample test` at n = 5000 (39% of its profile). Each round takes
  // the unweighted median as pivot (std::nth_element), so the range at least halves. Reorders
  // `walsh`; the result is one of its values, bit for bit what sorting would give.
  template <class Average>
  static double select_weighted(std::vector<Average>& walsh, std::uint64_t rank) {
    auto first = walsh.begin(), last = walsh.end();
    const auto by_value = [](const Average& a, const Average& b) { return a.value < b.value; };
    while (last - first > 32) {
      auto middle = first + (last - first) / 2;
      std::nth_element(first, middle, last, by_value);
      const double pivot = middle->value;
      auto less_end = std::partition(first, last, [pivot](const Average& a) { return a.value < pivot; });
      auto equal_end =
          std::partition(less_end, last, [pivot](const Average& a) { return !(pivot < a.value); });
      std::uint64_t below = 0, at = 0;
      for (auto it = first; it != less_end; ++it) below += it->multiplicity;
      for (auto it = less_end; it != equal_end; ++it) at += it->multiplicity;
      if (rank < below) {
        last = less_end;
      } else if (rank < below + at) {
        return pivot;
      } else {
        rank -= below + at;
        first = equal_end;
      }
    }
    std::sort(first, last, by_value);
    for (auto it = first; it != last; ++it) {
      if (rank < it->multiplicity) return it->value;
      rank -= it->multiplicity;
    }
    return (last - 1)->value;  // not reached: rank is below the total multiplicity
  }
};

}  // namespace statistics

// The type-erased form of a statistic struct, made by register_statistic<S>: the traits as values
// and the kernel as a function pointer (instantiated for the engine's count type).
struct statistic_definition {
  std::string name;
  bool takes_parameter = false;
  std::string description;
  std::size_t minimum_n = 1;
  sign_flip_symmetry symmetry = sign_flip_symmetry::none;
  double cost_exponent = 1.0;
  double (*evaluation_cost)(std::size_t n) = nullptr;
  double (*rounding_operations)(std::size_t n) = nullptr;
  double (*evaluate)(double parameter, std::span<const double> support, std::span<const std::uint32_t> counts,
                     std::size_t n) = nullptr;
  // Optional (null: none): the statistic of a population given as a discrete law, the true value a
  // coverage simulation checks intervals against.
  double (*population_value)(double parameter, const weighted_distribution& law) = nullptr;
};

namespace statistics {

// Paired probability of superiority: P(d > 0) + P(d = 0) / 2, the share of patients who improved
// with no change counted half (statistical-conventions.md, "Paired effect sizes"). Sum-type: the
// mean of the score 1, 1/2, 0 for a positive, zero, negative value.
struct superiority {
  static constexpr bool sum_type = true;
  static constexpr std::size_t minimum_n = 1;
  // Flipping a non-zero value's sign swaps its score between 1 and 0: symmetric about the null
  // mean, as prop_ge.
  static constexpr sign_flip_symmetry symmetry = sign_flip_symmetry::about_null_mean;
  static double evaluation_cost(std::size_t n) { return static_cast<double>(n); }
  static constexpr double cost_exponent = 1.0;
  // A sum of halves is exact; equal sums divided by n give equal bits.
  static constexpr double rounding_operations(std::size_t) { return 0.0; }
  double score(double x) const { return x > 0.0 ? 1.0 : x == 0.0 ? 0.5 : 0.0; }
  template <class Count>
  double operator()(std::span<const double> support, std::span<const Count> counts, std::size_t n) const {
    double total = 0.0;
    for (std::size_t i = 0; i < support.size(); ++i)
      total += static_cast<double>(counts[i]) * score(support[i]);
    return total / static_cast<double>(n);
  }
};

// Matched-pairs rank-biserial correlation r = (T+ - T-) / (T+ + T-), T+ and T- the sums of the
// midranks of |x| over the positive and the negative values; zeros are ranked (Pratt) and count in
// neither sum (statistical-conventions.md, "Paired effect sizes"). r = 0 when every value is zero
// (no value ranks either way). It depends on the order of |x| only, so it is unit-free.
struct rank_biserial {
  static constexpr bool sum_type = false;
  static constexpr std::size_t minimum_n = 1;
  static constexpr sign_flip_symmetry symmetry = sign_flip_symmetry::odd;  // flipping every sign negates r
  static double evaluation_cost(std::size_t n) {
    return static_cast<double>(n) * std::log2(static_cast<double>(n) + 1.0);
  }
  static constexpr double cost_exponent = 1.0;
  // Midrank sums are half-integers held exactly; the quotient of two exact values is correctly
  // rounded, so equal values give equal bits.
  static constexpr double rounding_operations(std::size_t) { return 0.0; }
  template <class Count>
  double operator()(std::span<const double> support, std::span<const Count> counts, std::size_t) const {
    struct ranked {
      double magnitude;
      double count;
      int sign;  // +1, -1, or 0 for the zeros (ranked, in neither sum)
    };
    // Per thread and only growing: no allocation per resample after warm-up.
    thread_local std::vector<ranked> values;
    values.clear();
    for (std::size_t i = 0; i < support.size(); ++i)
      if (counts[i] != 0)
        values.push_back({std::fabs(support[i]), static_cast<double>(counts[i]),
                          support[i] > 0.0   ? 1
                          : support[i] < 0.0 ? -1
                                             : 0});
    std::sort(values.begin(), values.end(),
              [](const ranked& a, const ranked& b) { return a.magnitude < b.magnitude; });
    double seen = 0.0, plus = 0.0, minus = 0.0;
    for (std::size_t i = 0; i < values.size();) {
      // One tie group of equal |x| (a value and its negation, or the zeros) shares one midrank.
      std::size_t j = i;
      double group = 0.0;
      for (; j < values.size() && values[j].magnitude == values[i].magnitude; ++j) group += values[j].count;
      const double midrank = seen + (group + 1.0) / 2.0;
      for (std::size_t k = i; k < j; ++k) {
        if (values[k].sign > 0) plus += values[k].count * midrank;
        if (values[k].sign < 0) minus += values[k].count * midrank;
      }
      seen += group;
      i = j;
    }
    if (plus + minus == 0.0) return 0.0;
    return (plus - minus) / (plus + minus);
  }
};

// What visit_statistic hands a kernel for a registered statistic: the same traits as a built-in
// struct (read from an instance, not the type), never sum-type, and the kernel behind a pointer.
struct registered {
  static constexpr bool sum_type = false;
  const statistic_definition* definition;
  double parameter;
  std::size_t minimum_n = definition->minimum_n;
  sign_flip_symmetry symmetry = definition->symmetry;
  double cost_exponent = definition->cost_exponent;
  double evaluation_cost(std::size_t n) const { return definition->evaluation_cost(n); }
  double rounding_operations(std::size_t n) const { return definition->rounding_operations(n); }
  double operator()(std::span<const double> support, std::span<const std::uint32_t> counts,
                    std::size_t n) const {
    return definition->evaluate(parameter, support, counts, n);
  }
};

}  // namespace statistics

namespace detail {
// A statistic struct takes a parameter when it is built from one number (S{0.1}, as trimmed_mean).
template <class S>
inline constexpr bool takes_parameter = requires {
  S{0.0};
};
template <class S>
S make_statistic(double parameter) {
  if constexpr (takes_parameter<S>)
    return S{parameter};
  else
    return S{};
}
// Adds a definition to the registry and returns the stored one (stable for the program's life).
// Throws invalid_argument when the name is not a lower-case identifier or is already taken.
const statistic_definition& add_statistic_definition(statistic_definition definition);
}  // namespace detail

// Registers a statistic struct S written outside the engine, shaped as the built-in ones above:
// static traits minimum_n, symmetry, evaluation_cost(n), cost_exponent, rounding_operations(n);
// operator()(support, counts, n) on a multiset; a parameter (S{value}) when S is an aggregate of
// one double, as trimmed_mean; optionally population_value(const weighted_distribution&). After
// this, parse_statistic("name") or "name:value" returns it. Thread-safe; names never go away.
template <class S>
const statistic_definition& register_statistic(std::string name, std::string description) {
  statistic_definition d;
  d.name = std::move(name);
  d.takes_parameter = detail::takes_parameter<S>;
  d.description = std::move(description);
  d.minimum_n = S::minimum_n;
  d.symmetry = S::symmetry;
  d.cost_exponent = S::cost_exponent;
  d.evaluation_cost = [](std::size_t n) { return static_cast<double>(S::evaluation_cost(n)); };
  d.rounding_operations = [](std::size_t n) { return static_cast<double>(S::rounding_operations(n)); };
  d.evaluate = [](double parameter, std::span<const double> support, std::span<const std::uint32_t> counts,
                  std::size_t n) {
    return static_cast<double>(detail::make_statistic<S>(parameter)(support, counts, n));
  };
  if constexpr (requires(const S& s, const weighted_distribution& law) { s.population_value(law); })
    d.population_value = [](double parameter, const weighted_distribution& law) {
      return static_cast<double>(detail::make_statistic<S>(parameter).population_value(law));
    };
  return detail::add_statistic_definition(std::move(d));
}

// Calls f with the concrete statistic object, so that f can instantiate a kernel template for it.
template <class F>
decltype(auto) visit_statistic(const statistic& s, F&& f) {
  switch (s.kind) {
    case statistic_kind::mean:
      return f(statistics::mean{});
    case statistic_kind::median:
      return f(statistics::median{});
    case statistic_kind::trimmed_mean:
      return f(statistics::trimmed_mean{s.parameter});
    case statistic_kind::sd:
      return f(statistics::sd{});
    case statistic_kind::prop_ge:
      return f(statistics::prop_ge{s.parameter});
    case statistic_kind::hl:
      return f(statistics::hl{});
    case statistic_kind::superiority:
      return f(statistics::superiority{});
    case statistic_kind::rank_biserial:
      return f(statistics::rank_biserial{});
    case statistic_kind::custom:
      if (s.definition != nullptr) return f(statistics::registered{s.definition, s.parameter});
      break;
  }
  throw_invalid_argument("resample::visit_statistic", "unknown statistic kind");
}

// The equality rule for values of the statistic computed on resamples or sign patterns of n
// values bounded by `magnitude` (max|x_i|): rounding_operations(n) * eps * magnitude.
value_equality statistic_equality(const statistic& s, std::size_t n, double magnitude);
// The same for the values of `sample` (and their negations).
value_equality statistic_equality(const statistic& s, std::span<const double> sample);

// The traits of a statistic, read from its struct (one definition each):
// True for statistics that are the mean of a per-value score (mean, prop_ge).
bool is_sum_type(const statistic& s);
// The smallest n for which the statistic is defined (2 for sd, 1 otherwise).
std::size_t minimum_sample_size(const statistic& s);
sign_flip_symmetry symmetry_of(const statistic& s);
double evaluation_cost(const statistic& s, std::size_t n);
double cost_exponent(const statistic& s);

// A sample as a multiset: sorted distinct values and their multiplicities.
struct multiset {
  std::vector<double> support;
  std::vector<std::uint32_t> counts;
  std::size_t size() const;  // sum of counts
};
multiset to_multiset(std::span<const double> sample);

// The statistic of a plain sample (any order). Throws invalid_argument if the sample is too small
// for the statistic or holds a non-finite value.
double evaluate(const statistic& s, std::span<const double> sample);
// The statistic of a multiset.
double evaluate(const statistic& s, const multiset& m);

}  // namespace resample
