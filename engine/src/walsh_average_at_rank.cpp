// Selection among the Walsh averages of a multiset without forming them (Hodges-Lehmann estimate
// and interval at large n). The averages form an upper-triangular matrix whose rows and columns are
// sorted, because the support is sorted and fl(a + b) is monotone in each argument; so the weight
// below any pivot is a binary search per row, and each round keeps, per row, only the columns on
// the side of the pivot where the rank lies (as in Johnson and Mitchell's selection in sorted
// matrices). A random active cell as pivot removes a constant fraction of the active cells in
// expectation: O(K log K) per round and O(log K) rounds, where forming the K(K+1)/2 averages took
// 100 MB and most of `resample test` at n = 5000. The pivot's randomness does not reach the
// result: the value at a rank is unique.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "resample/error.hpp"
#include "resample/statistics.hpp"

namespace resample::statistics {

namespace {

struct walsh_cell {
  double value;
  std::uint64_t weight;
};

template <class Average>
double select_in_matrix(std::span<const double> s, std::span<const std::uint64_t> c, std::uint64_t rank,
                        Average average) {
  const std::size_t k = s.size();
  // prefix[j] = c[0] + ... + c[j - 1]
  thread_local std::vector<std::uint64_t> prefix, low, high, below_at, through_at;
  prefix.assign(k + 1, 0);
  for (std::size_t j = 0; j < k; ++j) prefix[j + 1] = prefix[j] + c[j];
  // Weight of row i's columns [i, end): the diagonal cell pairs a value with itself c(c + 1)/2
  // ways, the others c_i c_j ways.
  const auto row_weight = [&](std::size_t i, std::size_t end) -> std::uint64_t {
    if (end <= i) return 0;
    return c[i] * (c[i] + 1) / 2 + c[i] * (prefix[end] - prefix[i + 1]);
  };
  const auto cell = [&](std::size_t i, std::size_t j) { return i == j ? s[i] : average(s[i], s[j]); };
  // Active columns of row i: [low[i], high[i]); everything left of them is below the answer,
  // everything right of them above.
  low.resize(k), high.resize(k), below_at.resize(k), through_at.resize(k);
  for (std::size_t i = 0; i < k; ++i) low[i] = i, high[i] = k;
  std::uint64_t generator = 0x9e3779b97f4a7c15ULL;
  for (;;) {
    std::uint64_t active = 0;
    for (std::size_t i = 0; i < k; ++i) active += high[i] - low[i];
    if (active <= std::max<std::uint64_t>(64, 2 * k)) break;
    // A uniformly chosen active cell (xorshift; any choice gives the same answer).
    generator ^= generator << 13, generator ^= generator >> 7, generator ^= generator << 17;
    std::uint64_t pick = generator % active;
    std::size_t row = 0;
    while (pick >= high[row] - low[row]) pick -= high[row] - low[row], ++row;
    const double pivot = cell(row, low[row] + pick);
    std::uint64_t below = 0, through = 0;
    for (std::size_t i = 0; i < k; ++i) {
      std::size_t lo = low[i], hi = high[i];
      // First active column whose cell is >= pivot, then the first > pivot.
      std::size_t a = lo, b = hi;
      {
        std::size_t first = lo, count = hi - lo;
        while (count > 0) {
          const std::size_t step = count / 2;
          if (cell(i, first + step) < pivot)
            first += step + 1, count -= step + 1;
          else
            count = step;
        }
        a = first;
      }
      {
        std::size_t first = a, count = hi - a;
        while (count > 0) {
          const std::size_t step = count / 2;
          if (!(pivot < cell(i, first + step)))
            first += step + 1, count -= step + 1;
          else
            count = step;
        }
        b = first;
      }
      below_at[i] = a, through_at[i] = b;
      below += row_weight(i, a);
      through += row_weight(i, b);
    }
    if (rank < below) {
      for (std::size_t i = 0; i < k; ++i) high[i] = below_at[i];
    } else if (rank < through) {
      return pivot;
    } else {
      for (std::size_t i = 0; i < k; ++i) low[i] = through_at[i];
    }
  }
  // Few cells left: sort them and count the rank off.
  thread_local std::vector<walsh_cell> cells;
  cells.clear();
  std::uint64_t left = 0;
  for (std::size_t i = 0; i < k; ++i) {
    left += row_weight(i, low[i]);
    for (std::size_t j = low[i]; j < high[i]; ++j)
      cells.push_back({cell(i, j), i == j ? c[i] * (c[i] + 1) / 2 : c[i] * c[j]});
  }
  std::sort(cells.begin(), cells.end(),
            [](const walsh_cell& x, const walsh_cell& y) { return x.value < y.value; });
  rank -= left;
  for (const auto& x : cells) {
    if (rank < x.weight) return x.value;
    rank -= x.weight;
  }
  throw_invalid_argument("resample::statistics::walsh_average_at_rank", "rank beyond the Walsh averages");
}

}  // namespace

double walsh_average_at_rank(std::span<const double> support, std::span<const std::uint32_t> counts,
                             std::uint64_t rank) {
  constexpr const char* function = "resample::statistics::walsh_average_at_rank";
  if (support.size() != counts.size() || support.empty())
    throw_invalid_argument(function, "support and counts differ in size or are empty");
  // The values that occur, with their counts as 64-bit weights (c_i c_j overflows 32 bits).
  thread_local std::vector<double> values;
  thread_local std::vector<std::uint64_t> weights;
  values.clear(), weights.clear();
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < support.size(); ++i)
    if (counts[i] != 0) values.push_back(support[i]), weights.push_back(counts[i]), n += counts[i];
  if (rank >= n * (n + 1) / 2)
    throw_invalid_argument(function, "rank " + std::to_string(rank) + ", expected below the " +
                                         std::to_string(n * (n + 1) / 2) + " Walsh averages");
  // Only beyond half the largest double can a + b overflow; the same two averages as hl's.
  constexpr double half_max = std::numeric_limits<double>::max() / 2;
  if (std::fabs(values.front()) <= half_max && std::fabs(values.back()) <= half_max) [[likely]]
    return select_in_matrix(values, weights, rank, [](double a, double b) { return 0.5 * (a + b); });
  return select_in_matrix(values, weights, rank, [](double a, double b) { return std::midpoint(a, b); });
}

}  // namespace resample::statistics
