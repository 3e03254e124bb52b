#pragma once
// How the exact paired tests turn a null of equally likely sign patterns into p-values, so that the
// sign test, the sign-flip test and the Wilcoxon test report them alike.

#include <cstddef>

#include "resample/inference/test_result.hpp"

namespace resample::inference::detail {

// The smallest p-value of a null of 2^m equally likely sign patterns: one pattern, or for a
// two-sided test the observed one and its mirror image.
double smallest_sign_pattern_p(std::size_t m, alternative alt);

// r.p_value, r.mid_p when asked, and r.log10_p_value when the p-value underflows a double, from
// the tail of the alternative already chosen.
void set_p_values(test_result& r, const tail_probability& tail, bool mid_p);

// r.p_value, and r.mid_p when asked, of `alt` from the upper tail P(T* >= t) and the lower tail
// P(T* <= t). Two-sided doubles the smaller tail, which needs no symmetry of the null.
void set_p_values(test_result& r, alternative alt, const tail_probability& upper,
                  const tail_probability& lower, bool mid_p);

}  // namespace resample::inference::detail
