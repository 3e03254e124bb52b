#include "resample/bootstrap/convolution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "resample/equality.hpp"

namespace resample::bootstrap {

namespace {

// Probabilities below this are flushed to zero during the convolution (see the header).
constexpr double negligible_probability = 1e-300;

}  // namespace

std::optional<score_lattice> find_score_lattice(std::span<const double> scores, std::uint32_t max_index) {
  if (scores.empty()) return std::nullopt;
  const double origin = *std::min_element(scores.begin(), scores.end());
  // Offsets from the smallest score are non-negative, so the indices are too.
  const auto found = find_lattice(scores, origin, lattice_equality(scores, origin), max_index);
  if (!found) return std::nullopt;
  score_lattice lattice;
  lattice.origin = origin;
  lattice.step = found->step;
  lattice.max_index = static_cast<std::uint32_t>(found->largest_index);
  lattice.index.reserve(scores.size());
  for (auto k : found->index) lattice.index.push_back(static_cast<std::uint32_t>(k));
  return lattice;
}

std::vector<double> statistic_scores(const statistic& stat, std::span<const double> support) {
  return visit_statistic(stat, [&](auto concrete) {
    std::vector<double> scores;
    if constexpr (decltype(concrete)::sum_type) {
      for (double x : support) scores.push_back(concrete.score(x));
    }
    return scores;
  });
}

double convolution_cost(std::span<const double> sample, const statistic& stat) {
  if (!is_sum_type(stat) || sample.empty()) return std::numeric_limits<double>::infinity();
  const multiset m = to_multiset(sample);
  const auto lattice = find_score_lattice(statistic_scores(stat, m.support));
  if (!lattice) return std::numeric_limits<double>::infinity();
  // Step i convolves a support of about i * L with L taps.
  const double n = static_cast<double>(sample.size());
  const double taps = static_cast<double>(lattice->max_index) + 1.0;
  return 0.5 * n * n * taps * taps;
}

std::optional<weighted_distribution> convolution_bootstrap(std::span<const double> sample,
                                                           const statistic& stat) {
  if (!is_sum_type(stat) || sample.empty()) return std::nullopt;
  const multiset m = to_multiset(sample);
  const auto lattice = find_score_lattice(statistic_scores(stat, m.support));
  if (!lattice) return std::nullopt;
  const std::size_t n = sample.size();
  const std::size_t taps = lattice->max_index + 1;
  // The empirical law of one draw's lattice index.
  std::vector<double> kernel(taps, 0.0);
  for (std::size_t j = 0; j < m.support.size(); ++j)
    kernel[lattice->index[j]] += static_cast<double>(m.counts[j]) / static_cast<double>(n);
  std::size_t kernel_first = 0, kernel_last = taps - 1;
  while (kernel[kernel_first] == 0.0) ++kernel_first;
  while (kernel[kernel_last] == 0.0) --kernel_last;

  // law[s] = P(sum of the indices of i draws = s), non-zero only in [first, last].
  const std::size_t size = n * (taps - 1) + 1;
  std::vector<double> law(size, 0.0), next(size, 0.0);
  law[0] = 1.0;
  std::size_t first = 0, last = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t new_first = first + kernel_first, new_last = last + kernel_last;
    std::fill(next.begin() + static_cast<std::ptrdiff_t>(new_first),
              next.begin() + static_cast<std::ptrdiff_t>(new_last) + 1, 0.0);
    for (std::size_t s = first; s <= last; ++s) {
      const double w = law[s];
      if (w == 0.0) continue;
      for (std::size_t t = kernel_first; t <= kernel_last; ++t) next[s + t] += w * kernel[t];
    }
    // Flush negligible tails so that later steps never touch subnormals, and trim the range.
    for (std::size_t s = new_first; s <= new_last; ++s)
      if (next[s] < negligible_probability) next[s] = 0.0;
    first = new_first;
    last = new_last;
    while (first < last && next[first] == 0.0) ++first;
    while (last > first && next[last] == 0.0) --last;
    std::swap(law, next);
  }
  std::vector<atom> atoms;
  atoms.reserve(last - first + 1);
  const double dn = static_cast<double>(n);
  for (std::size_t s = first; s <= last; ++s)
    if (law[s] > 0.0)
      atoms.push_back({lattice->origin + lattice->step * static_cast<double>(s) / dn, law[s]});
  return weighted_distribution::from_atoms(std::move(atoms), statistic_equality(stat, sample));
}

}  // namespace resample::bootstrap
