#pragma once
// Shared by the sign-flip algorithms: validation, the extremeness rule and the p-value assembly,
// so that every algorithm applies exactly the same definitions.

#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "resample/distribution.hpp"
#include "resample/inference/sign_flip.hpp"

namespace resample::inference::detail {

enum class two_sided_rule { about_centre, doubled };

struct sign_flip_problem {
  std::vector<double> nonzero;  // the m values whose sign flips
  std::size_t zeros = 0;
  std::size_t n = 0;
  statistic stat;
  bool sum_type = false;
  double observed = 0.0;  // the statistic on the data
  two_sided_rule rule = two_sided_rule::about_centre;
  double centre = 0.0;  // T0 for about_centre
  // Sum-type statistics: n * T = sum of scores; compared on that scale.
  double observed_sum = 0.0;
  double centre_sum = 0.0;
  double swing = 0.0;  // sum |score(d) - score(-d)|: bounds every partial signed sum of scores
  // The equality rule of the compared values: sums for sum-type statistics, else the statistic.
  value_equality equal;
};

// Roundings behind any algorithm's pattern sum, whose partial results are signed sums of the
// scores: sign_flip_gray's table chains (2m) plus the high part (n), or n additions elsewhere.
inline double sum_rounding_operations(std::size_t n) { return 3.0 * static_cast<double>(n) + 2.0; }

// Validates (n >= 1, finite, not all zero, n large enough for the statistic) and precomputes.
sign_flip_problem prepare_sign_flip(std::span<const double> differences, const statistic& stat,
                                    const char* function);

// Counts of patterns by comparison with the observed value.
struct tally {
  std::uint64_t greater = 0, less = 0, equal = 0;  // T* > t, T* < t, T* == t (tolerance)
  std::uint64_t abs_more = 0, abs_equal = 0;       // |T* - T0| > |t - T0|, ==
  tally& operator+=(const tally& o) {
    greater += o.greater, less += o.less, equal += o.equal, abs_more += o.abs_more, abs_equal += o.abs_equal;
    return *this;
  }
};

// Classifies one value: `value` and `reference` on the same scale (sums or statistics).
struct classifier {
  double reference;
  double centre;
  value_equality equal;
  void add(double value, tally& t) const {
    if (equal(value, reference))
      ++t.equal;
    else if (value > reference)
      ++t.greater;
    else
      ++t.less;
    const double a = std::fabs(value - centre), b = std::fabs(reference - centre);
    if (equal(a, b))
      ++t.abs_equal;
    else if (a > b)
      ++t.abs_more;
  }
};

classifier make_classifier(const sign_flip_problem& p);

// Exact p-value (and mid-p) from counts over `patterns` equally likely patterns.
void finish_exact(test_result& r, const sign_flip_problem& p, const tally& t, long double patterns,
                  alternative alt, bool mid_p);
// Fills the fields every sign-flip result shares.
test_result base_result(const sign_flip_problem& p, alternative alt, const char* method, bool exact);

template <class F>
void run_with_threads(std::size_t threads, F&& f) {
  if (threads == 0) {
    f();
  } else {
    tbb::task_arena arena(static_cast<int>(threads));
    arena.execute(f);
  }
}

// 2^m written out for messages ("4294967296"), or in powers of ten beyond 64 bits.
inline std::string pattern_count(std::size_t m) {
  if (m < 64) return std::to_string(std::uint64_t{1} << m);
  return "about 1e" + std::to_string(static_cast<int>(static_cast<double>(m) * 0.30103));
}

// Replaces one occurrence of old_value by new_value in a sorted vector, keeping it sorted: O(n)
// without allocation (the per-pattern update of the Gray-code enumeration).
inline void replace_sorted(std::vector<double>& w, double old_value, double new_value) {
  std::size_t pos = static_cast<std::size_t>(std::lower_bound(w.begin(), w.end(), old_value) - w.begin());
  if (new_value > old_value) {
    while (pos + 1 < w.size() && w[pos + 1] < new_value) {
      w[pos] = w[pos + 1];
      ++pos;
    }
  } else {
    while (pos > 0 && w[pos - 1] > new_value) {
      w[pos] = w[pos - 1];
      --pos;
    }
  }
  w[pos] = new_value;
}

}  // namespace resample::inference::detail
