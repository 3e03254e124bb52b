#pragma once
// Every parallel loop of the engine goes through here.
//
// Normal builds: exactly tbb::parallel_for.
//
// ThreadSanitizer builds (RESAMPLE_THREAD_SANITIZER): the loop runs on plain std::thread workers
// instead. Debian's libtbb.so is not instrumented, so under TBB TSan cannot see how a task (and
// its copy of the loop body, and the partitioner's state) is handed from the splitting thread to
// the worker that runs it; it then reports false races whose top frame is our own loop body
// reading its captures. Thread creation and join are real happens-before edges TSan knows, and
// chunks are claimed through one atomic counter, so two chunks are ordered only by what the body
// itself synchronises: a race between two iterations of a body is reported, and nothing else.
// The thread count is the enclosing task_arena's, so a --threads limit still applies.

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>

#include <type_traits>

#include "thread_annotations.hpp"

#ifdef RESAMPLE_THREAD_SANITIZER
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>
#endif

namespace resample {

#ifdef RESAMPLE_THREAD_SANITIZER
namespace detail {

// True on a thread while it runs chunks of a loop: a loop nested in a loop body (coverage runs a
// bootstrap per trial) then runs on that thread alone, as TBB would mostly do, instead of
// starting threads per trial, which under TSan costs more than the trial itself.
inline thread_local bool inside_sanitizer_loop = false;

inline std::uint64_t sanitizer_thread_count() {
  if (inside_sanitizer_loop) return 1;
  return static_cast<std::uint64_t>(std::max(1, tbb::this_task_arena::max_concurrency()));
}

// Calls run_chunk(c) once for every c in [0, chunks), on up to `threads` threads including the
// caller. The first exception a chunk throws stops the claiming and is rethrown after the join,
// as tbb::parallel_for would.
template <class RunChunk>
void run_chunks_on_threads(std::uint64_t chunks, std::uint64_t threads, const RunChunk& run_chunk) {
  std::atomic<std::uint64_t> next{0};
  std::mutex failure_lock;
  std::exception_ptr failure;
  auto work = [&] {
    const bool outer = inside_sanitizer_loop;
    inside_sanitizer_loop = true;
    try {
      for (std::uint64_t c; (c = next.fetch_add(1, std::memory_order_relaxed)) < chunks;) run_chunk(c);
    } catch (...) {
      next.store(chunks, std::memory_order_relaxed);
      std::lock_guard lock(failure_lock);
      if (!failure) failure = std::current_exception();
    }
    inside_sanitizer_loop = outer;
  };
  std::vector<std::thread> helpers;
  const std::uint64_t helper_count = std::min(threads, chunks) - (chunks > 0 ? 1 : 0);
  helpers.reserve(helper_count);
  for (std::uint64_t t = 0; t < helper_count; ++t) helpers.emplace_back(work);
  work();
  for (auto& h : helpers) h.join();
  if (failure) std::rethrow_exception(failure);
}

// A few chunks per thread, so that uneven chunks still balance, and never below the range's grain.
inline std::uint64_t sanitizer_chunk_size(std::uint64_t size, std::uint64_t grain, std::uint64_t threads) {
  const std::uint64_t target = threads * 4;
  return std::max<std::uint64_t>({std::uint64_t{1}, grain, (size + target - 1) / target});
}

}  // namespace detail

// Over a blocked_range-like range (begin(), end(), grainsize(), Range(begin, end, grain)).
template <class Range, class Body>
void parallel_for(const Range& range, const Body& body) {
  const auto first = range.begin();
  const std::uint64_t size = static_cast<std::uint64_t>(range.end() - first);
  const std::uint64_t threads = detail::sanitizer_thread_count();
  const std::uint64_t chunk = detail::sanitizer_chunk_size(size, range.grainsize(), threads);
  const std::uint64_t chunks = (size + chunk - 1) / chunk;
  detail::run_chunks_on_threads(chunks, threads, [&](std::uint64_t c) {
    const std::uint64_t lo = c * chunk, hi = std::min(size, lo + chunk);
    body(Range(first + lo, first + hi, range.grainsize()));
  });
}

// Over the indices [first, last): body(Index).
template <class Index, class Body, class = std::enable_if_t<std::is_integral_v<Index>>>
void parallel_for(Index first, Index last, const Body& body) {
  if (!(first < last)) return;
  const std::uint64_t size = static_cast<std::uint64_t>(last - first);
  const std::uint64_t threads = detail::sanitizer_thread_count();
  const std::uint64_t chunk = detail::sanitizer_chunk_size(size, 1, threads);
  const std::uint64_t chunks = (size + chunk - 1) / chunk;
  detail::run_chunks_on_threads(chunks, threads, [&](std::uint64_t c) {
    const std::uint64_t lo = c * chunk, hi = std::min(size, lo + chunk);
    for (std::uint64_t i = lo; i < hi; ++i) body(static_cast<Index>(first + static_cast<Index>(i)));
  });
}

// Over the indices [first, last), one index per claim: for a few uneven tasks, where chunking
// would hand one thread the largest ones together.
template <class Index, class Body>
void parallel_for_each_index(Index first, Index last, const Body& body) {
  if (!(first < last)) return;
  const std::uint64_t size = static_cast<std::uint64_t>(last - first);
  detail::run_chunks_on_threads(size, detail::sanitizer_thread_count(), [&](std::uint64_t i) {
    body(static_cast<Index>(first + static_cast<Index>(i)));
  });
}

#else

// Over a TBB range (blocked_range and friends): body(const Range&).
template <class Range, class Body>
void parallel_for(const Range& range, const Body& body) {
  tbb::parallel_for(range, [&](const Range& part) { body(part); });
}

// Over the indices [first, last): body(Index).
template <class Index, class Body, class = std::enable_if_t<std::is_integral_v<Index>>>
void parallel_for(Index first, Index last, const Body& body) {
  tbb::parallel_for(first, last, [&](Index i) { body(i); });
}

// Over the indices [first, last), one task per index (simple_partitioner, grain 1): for a few
// uneven tasks, where the auto partitioner's chunks would hand one thread the largest ones
// together.
template <class Index, class Body>
void parallel_for_each_index(Index first, Index last, const Body& body) {
  tbb::parallel_for(
      tbb::blocked_range<Index>(first, last, 1),
      [&](const tbb::blocked_range<Index>& part) {
        for (Index i = part.begin(); i != part.end(); ++i) body(i);
      },
      tbb::simple_partitioner());
}

#endif

}  // namespace resample
