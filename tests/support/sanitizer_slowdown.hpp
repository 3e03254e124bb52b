#pragma once
// Sanitizer builds run the engine about ten times slower than a release build. Tests that need a
// job to last long enough to be interrupted size it for a release build and divide by this, so
// that the same test costs seconds, not minutes, under AddressSanitizer or ThreadSanitizer.

namespace resample::test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr long long sanitizer_slowdown = 10;
#else
inline constexpr long long sanitizer_slowdown = 1;
#endif

}  // namespace resample::test
