#include "resample/bootstrap/order_statistic_se.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "resample/error.hpp"

namespace resample::bootstrap {

namespace {

constexpr double z_975 = 1.959963984540054;

// 1-based rank of the lower order statistic for N ordered values whose rank statistic has
// standard deviation sd under the null: c = round((N + 1)/2 - z sd), within [1, (N + 1)/2].
std::uint64_t lower_rank(std::uint64_t count, double sd) {
  const double middle = (static_cast<double>(count) + 1.0) / 2.0;
  const double c = std::round(middle - z_975 * sd);
  return static_cast<std::uint64_t>(std::clamp(c, 1.0, std::floor(middle)));
}

// (high - low) / (2 z) without overflow for values near the largest double.
double spread(double low, double high) { return (0.5 * high - 0.5 * low) / z_975; }

// The value at 1-based rank r of the multiset.
double order_statistic(std::span<const double> support, std::span<const std::uint32_t> counts,
                       std::uint64_t r) {
  std::uint64_t seen = 0;
  for (std::size_t j = 0; j < support.size(); ++j) {
    seen += counts[j];
    if (seen >= r) return support[j];
  }
  return support.back();
}

}  // namespace

bool has_order_statistic_se(statistic_kind kind) {
  return kind == statistic_kind::median || kind == statistic_kind::hl;
}

double order_statistic_se(statistic_kind kind, std::span<const double> support,
                          std::span<const std::uint32_t> counts, std::size_t n) {
  constexpr const char* function = "resample::bootstrap::order_statistic_se";
  if (n == 0) throw_invalid_argument(function, "n = 0, expected at least 1 value");
  const double x = static_cast<double>(n);
  if (kind == statistic_kind::median) {
    const std::uint64_t c = lower_rank(n, std::sqrt(x) / 2.0);
    return spread(order_statistic(support, counts, c), order_statistic(support, counts, n + 1 - c));
  }
  if (kind == statistic_kind::hl) {
    const std::uint64_t total = static_cast<std::uint64_t>(n) * (n + 1) / 2;
    const std::uint64_t c = lower_rank(total, std::sqrt(x * (x + 1.0) * (2.0 * x + 1.0) / 24.0));
    return spread(statistics::walsh_average_at_rank(support, counts, c - 1),
                  statistics::walsh_average_at_rank(support, counts, total - c));
  }
  throw_invalid_argument(function, "statistic",
                         "an order-statistic se is defined for median and hl only; use jackknife or nested");
}

double order_statistic_se(statistic_kind kind, std::span<const double> sample) {
  const multiset m = to_multiset(sample);
  return order_statistic_se(kind, m.support, m.counts, m.size());
}

}  // namespace resample::bootstrap
