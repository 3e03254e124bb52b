#pragma once
// tbb::parallel_for with the fork/join edges ThreadSanitizer needs (see thread_annotations.hpp):
// Debian's libtbb is not instrumented, so without them every parallel region of the engine shows
// false races on its inputs and outputs. Outside a TSan build this is exactly tbb::parallel_for.
// Every parallel loop of the engine goes through here.

#include <oneapi/tbb/parallel_for.h>

#include <type_traits>

#include "resample/thread_annotations.hpp"

namespace resample {

// Over a TBB range (blocked_range and friends): body(const Range&).
template <class Range, class Body>
void parallel_for(const Range& range, const Body& body) {
  fork_join_annotation edges;
  edges.fork();
  tbb::parallel_for(range, [&](const Range& part) {
    edges.task_begin();
    body(part);
    edges.task_end();
  });
  edges.join();
}

// Over the indices [first, last): body(Index).
template <class Index, class Body, class = std::enable_if_t<std::is_integral_v<Index>>>
void parallel_for(Index first, Index last, const Body& body) {
  fork_join_annotation edges;
  edges.fork();
  tbb::parallel_for(first, last, [&](Index i) {
    edges.task_begin();
    body(i);
    edges.task_end();
  });
  edges.join();
}

}  // namespace resample
