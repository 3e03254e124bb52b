#pragma once
// RESAMPLE_THREAD_SANITIZER is defined when this translation unit is compiled with
// ThreadSanitizer (GCC's __SANITIZE_THREAD__ or clang's __has_feature). parallel_for.hpp then
// runs loops on std::thread workers instead of Debian's uninstrumented oneTBB, whose hand-over of
// tasks between threads TSan cannot see (docs/hardening.md, "ThreadSanitizer and oneTBB").

#if defined(__SANITIZE_THREAD__)
#define RESAMPLE_THREAD_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RESAMPLE_THREAD_SANITIZER 1
#endif
#endif
