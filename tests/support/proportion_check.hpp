#pragma once
// The check behind every simulated power, coverage or rate that has an exactly known value.

#include <gtest/gtest.h>

#include <cmath>

namespace resample::test {

// A proportion over TRIALS independent trials lies within 4 binomial SEs of its true value P in
// all but about 1 run in 16000, while a real error of that size fails the check.
inline void expect_proportion_near(double observed, double p, double trials) {
  EXPECT_LT(std::fabs(observed - p), 4 * std::sqrt(p * (1 - p) / trials)) << observed << " vs " << p;
}

}  // namespace resample::test
