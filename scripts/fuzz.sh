#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (preset asan: clang, AddressSanitizer + UBSan; the
# build directory scripts/sanitizers.sh asan adds the unit tests to) and runs each for an equal
# share of a time budget, starting from the seed corpora in tests/fuzz/corpus/<target>/ plus what earlier runs found (build-asan/corpus/<target>/).
#
#   scripts/fuzz.sh [TOTAL_SECONDS]     default 60, split evenly across the targets (at least 5 s each)
#
# Fails (exit 1) on any crash, sanitizer report, leak, input slower than 10 s or RSS over 2 GB; the
# input that did it is left in build-asan/artifacts/ and can be replayed with
#   build-asan/bin/<target> build-asan/artifacts/<file>
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

budget="${1:-60}"
if [[ ! "$budget" =~ ^[0-9]+$ ]]; then
  echo "fuzz.sh: expected a whole number of seconds, got '$budget'" >&2
  exit 2
fi

# clang and its libFuzzer/sanitizer runtimes are not part of the default build's packages.
RESAMPLE_EXTRA_PACKAGES="${RESAMPLE_EXTRA_PACKAGES:-} clang libclang-rt-14-dev" scripts/install-deps.sh

targets=(csv_fuzz statistic_fuzz cli_fuzz job_file_fuzz exact_null_fuzz lattice_fuzz)
# Configuring again is a second when nothing changed and picks up edited presets.
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$(nproc)" $(printf -- '--target %s ' "${targets[@]}") >&2

per_target=$((budget / ${#targets[@]}))
if ((per_target < 5)); then per_target=5; fi

# The command-line target makes its scratch directory under TMPDIR: keep it inside build-asan/.
scratch="$root/build-asan/tmp"
rm -rf "$scratch"
mkdir -p "$scratch" "$root/build-asan/artifacts" "$root/build-asan/logs"
trap 'rm -rf "$scratch"' EXIT
export TMPDIR="$scratch"
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

failed=()
for t in "${targets[@]}"; do
  corpus="$root/build-asan/corpus/$t"
  mkdir -p "$corpus"
  extra=()
  if [[ -f "$root/tests/fuzz/$t.dict" ]]; then extra+=("-dict=$root/tests/fuzz/$t.dict"); fi
  log="$root/build-asan/logs/$t.log"
  echo "fuzz.sh: $t for ${per_target}s" >&2
  start=$SECONDS
  if "$root/build-asan/bin/$t" -max_total_time="$per_target" -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 \
      -print_final_stats=1 -artifact_prefix="$root/build-asan/artifacts/$t-" "${extra[@]}" \
      "$corpus" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1 &&
    ! grep -qE "runtime error:|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)" "$log"; then
    runs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$log" | grep -oE "[0-9]+$" || echo "?")
    echo "fuzz.sh: $t ok: $runs inputs in $((SECONDS - start))s, corpus $(find "$corpus" -type f | wc -l) files" >&2
  else
    echo "fuzz.sh: $t FAILED (log $log):" >&2
    grep -E "ERROR|SUMMARY|runtime error|Test unit written|^    #[0-9]+ " "$log" | head -40 >&2 || tail -40 "$log" >&2
    failed+=("$t")
  fi
done

if ((${#failed[@]} > 0)); then
  echo "fuzz.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: all ${#targets[@]} targets clean" >&2
