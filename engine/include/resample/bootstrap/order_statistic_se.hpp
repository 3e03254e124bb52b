#pragma once
// The order-statistic standard error of a rank statistic: a closed form read off the sorted
// sample, the cheap se* of a studentized interval of the median or the Hodges-Lehmann estimator
// (studentized_se_method::order_statistic; docs/simulation.md, "Studentized interval").
//   median: McKean and Schrader (1984), se = (x_(n+1-c) - x_(c)) / (2 z), with
//           c = round((n + 1)/2 - z sqrt(n)/2), the order statistics of the distribution-free
//           median interval at 95%;
//   hl:     the same construction on the n(n+1)/2 Walsh averages W (the interval that inverts the
//           signed-rank test, whose length over 2 z estimates tau / sqrt(n), Hettmansperger and
//           McKean): se = (W_(N+1-c) - W_(c)) / (2 z), N = n(n+1)/2,
//           c = round((N + 1)/2 - z sqrt(n(n+1)(2n+1)/24)).
// z = 1.959964 (the 97.5% normal quantile) and c is clamped to [1, (N + 1)/2]. Both scale with the
// data exactly as the statistic does; no allocation after a thread's first call.

#include <cstddef>
#include <cstdint>
#include <span>

#include "resample/statistics.hpp"

namespace resample::bootstrap {

// True for the statistics that have an order-statistic SE (median, hl).
bool has_order_statistic_se(statistic_kind kind);

// The SE of the multiset (sorted support, counts, n = sum of counts). Throws invalid_argument for
// a statistic without one (has_order_statistic_se) or n = 0. Returns 0 when the two order
// statistics coincide (the caller drops such a resample, as for the jackknife).
double order_statistic_se(statistic_kind kind, std::span<const double> support,
                          std::span<const std::uint32_t> counts, std::size_t n);

// The same for a plain sample (the SE of the data, which the studentized interval scales t* by).
double order_statistic_se(statistic_kind kind, std::span<const double> sample);

}  // namespace resample::bootstrap
