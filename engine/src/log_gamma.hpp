#pragma once
// std::lgamma also stores the sign of Gamma(x) in the global `signgam`, so concurrent calls (the
// engine calls it from parallel loop bodies) race on that global; ThreadSanitizer reports it.
// glibc's reentrant lgamma_r returns the sign through a pointer instead. The engine only takes
// the log-gamma of positive arguments, where the sign is always +1, so it is dropped.

#include <math.h>  // lgamma_r is a glibc (POSIX-2008 XSI) extension, not in <cmath>'s std::

namespace resample {

inline double log_gamma(double x) {
  int sign = 0;
  return ::lgamma_r(x, &sign);
}

}  // namespace resample
