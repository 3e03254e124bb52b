#!/usr/bin/env bash
# The test suite under sanitizers:
#   1. preset asan (AddressSanitizer + UndefinedBehaviorSanitizer, GCC): every test;
#   2. preset tsan (ThreadSanitizer, GCC): the tests about threads (names matching
#      Parallel|Thread|Deterministic), or every test while no such test exists yet.
# Builds are incremental (build-asan/, build-tsan/); any sanitizer report fails the run.
#
#   scripts/sanitizers.sh [asan|tsan]    default: both
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
which="${1:-all}"
case "$which" in all | asan | tsan) ;; *)
  echo "sanitizers.sh: expected asan, tsan or nothing, got '$which'" >&2
  exit 2
  ;;
esac

scripts/install-deps.sh
jobs="$(nproc)"

build() {
  # Configuring again is a second when nothing changed and picks up edited presets.
  cmake --preset "$1" >/dev/null
  cmake --build --preset "$1" -j "$jobs" >&2
}

if [[ "$which" != tsan ]]; then
  start=$SECONDS
  build asan
  # halt_on_error: a UB report fails the test that caused it instead of scrolling past.
  ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    ctest --preset asan -j "$jobs" >&2
  echo "sanitizers.sh: asan + ubsan clean in $((SECONDS - start))s" >&2
fi

if [[ "$which" != asan ]]; then
  start=$SECONDS
  build tsan
  # Suppressions, each with its reason, live in tests/tsan.supp (see docs/hardening.md).
  export TSAN_OPTIONS="suppressions=$root/tests/tsan.supp:halt_on_error=1:second_deadlock_stack=1:history_size=4"
  # Only the annotated parallel tests: the engine kernels still show oneTBB-internal false races
  # (closures and partitioner state handed to workers by the uninstrumented libtbb); see
  # docs/hardening.md, "ThreadSanitizer coverage".
  pattern="ParallelStatistics"
  if ctest --preset tsan -N -R "$pattern" | grep -qE "Total Tests: [1-9]"; then
    ctest --preset tsan -j "$jobs" -R "$pattern" >&2
  else
    echo "sanitizers.sh: no test matches '$pattern' yet; running the whole suite under tsan" >&2
    ctest --preset tsan -j "$jobs" >&2
  fi
  echo "sanitizers.sh: tsan clean in $((SECONDS - start))s" >&2
fi
