#pragma once
// Fork/join edges for ThreadSanitizer around oneTBB parallel regions.
//
// Debian's libtbb is not built with ThreadSanitizer, so TSan cannot see that a task starts after
// the code that spawned it nor that the caller resumes after every task ended: without these two
// edges every parallel region reports false races on its inputs and outputs. Marking them keeps
// TSan able to see real races between tasks (which these edges do not order). Outside a TSan
// build every call is empty and inlines away.
//
//   resample::fork_join_annotation edges;
//   edges.fork();                                   // before tbb::parallel_for
//   tbb::parallel_for(range, [&](auto r) {
//     edges.task_begin(); ... edges.task_end();     // first and last thing in the body
//   });
//   edges.join();                                   // after it

#if defined(__SANITIZE_THREAD__)
#define RESAMPLE_THREAD_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RESAMPLE_THREAD_SANITIZER 1
#endif
#endif

#ifdef RESAMPLE_THREAD_SANITIZER
#include <sanitizer/tsan_interface.h>
#endif

namespace resample {

class fork_join_annotation {
 public:
  void fork() { release(&fork_); }
  void task_begin() { acquire(&fork_); }
  void task_end() { release(&join_); }
  void join() { acquire(&join_); }

 private:
#ifdef RESAMPLE_THREAD_SANITIZER
  static void release(char* token) { __tsan_release(token); }
  static void acquire(char* token) { __tsan_acquire(token); }
#else
  static void release(char*) {}
  static void acquire(char*) {}
#endif
  char fork_ = 0;
  char join_ = 0;
};

}  // namespace resample
