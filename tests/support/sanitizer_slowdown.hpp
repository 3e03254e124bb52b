#pragma once
// Sanitizer builds run the engine about ten times slower than a release build (measured with the
// unity builds of 2026-12-03, a Monte Carlo bootstrap of 2e6 resamples: release 0.06 s, asan 0.54
// s, tsan 0.70 s). Tests that need a job to last long enough to be interrupted, or whose exhaustive
// checks grow fast with n, size themselves for a release build and divide by this (or take their
// smaller sizes when it is above 1), so that they cost seconds, not minutes, under a sanitizer.
//
// GCC defines __SANITIZE_ADDRESS__ and __SANITIZE_THREAD__; clang 14 (Debian 12, the asan preset)
// defines neither and answers __has_feature instead. Testing only the macros left every asan run
// at release sizes: 50 million resamples per batch job, the n = 1500 dense table.

namespace resample::test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RESAMPLE_TEST_UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define RESAMPLE_TEST_UNDER_SANITIZER 1
#endif
#endif

// The build system knows (RESAMPLE_SANITIZED in CMakeLists.txt): both must agree.
#if defined(RESAMPLE_TESTS_SANITIZED) != defined(RESAMPLE_TEST_UNDER_SANITIZER)
#error "sanitizer_slowdown.hpp: the compiler's sanitizer macros disagree with RESAMPLE_TESTS_SANITIZED"
#endif

#ifdef RESAMPLE_TEST_UNDER_SANITIZER
inline constexpr long long sanitizer_slowdown = 10;
#else
inline constexpr long long sanitizer_slowdown = 1;
#endif

}  // namespace resample::test
