#pragma once
// Argument checks, one per kind of argument, called at the top of each public engine function
// (Stan Math's check_* style): each names the function and the parameter and throws
// resample::invalid_argument with the parameter recorded, so that a front end can name its own
// option for it. The reason always reads "PARAMETER = VALUE, expected ...".

#include <cstddef>
#include <cstdint>
#include <span>

namespace resample {

// 0 < value < 1 (a confidence level, a significance level, a quantile's probability).
void check_level(const char* function, const char* parameter, double value);
// Finite and > 0.
void check_positive_finite(const char* function, const char* parameter, double value);
// A count of at least `minimum` (resamples, trials).
void check_count(const char* function, const char* parameter, std::uint64_t value, std::uint64_t minimum = 1);
// At least `min_n` values, every one finite. The parameter is "n" for the size, "sample" for a
// non-finite value.
void check_sample(const char* function, std::span<const double> sample, std::size_t min_n);

}  // namespace resample
