#!/usr/bin/env bash
# `resample batch --mpi` with 2 and 3 ranks must write the same lines as one process (timings
# ignored, lines sorted by id since they are in completion order). Skips (exit 0) when this build
# has no MPI. Usage: scripts/mpi-check.sh [JOBS.json]   (default tests/data/batch_jobs.json)
# Environment: BUILD_DIR (default build), RANKS (default "2 3").
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
jobs=${1:-tests/data/batch_jobs.json}
binary="$build_dir/bin/resample"

if ! grep -q '^RESAMPLE_MPI:BOOL=ON' "$build_dir/CMakeCache.txt" 2>/dev/null; then
  echo "mpi-check: skipped: $build_dir was configured without MPI (RESAMPLE_MPI=OFF; RESAMPLE_WITH_MPI=1 scripts/install-deps.sh, then reconfigure)"
  exit 0
fi
if ! command -v mpirun >/dev/null; then
  echo "mpi-check: skipped: mpirun not found (install openmpi-bin)"
  exit 0
fi
[[ -x "$binary" ]] || { echo "mpi-check: $binary not built" >&2; exit 1; }

# The test job file uses the diagnostic selftest-mc command.
export RESAMPLE_BATCH_SELFTEST=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A job that fails is part of the check (its error line must match too): exit 2 is expected then,
# and every run must agree on the exit code.
run() { local rc=0; "$@" 2>"$work/stderr" || rc=$?; if [[ $rc -ne 0 && $rc -ne 2 ]]; then cat "$work/stderr" >&2; fi; echo "$rc"; }

single_rc=$(run "$binary" batch "$jobs" --out "$work/single.jsonl")
echo "mpi-check: single process: exit $single_rc, $(wc -l <"$work/single.jsonl") lines"
status=0
for n in ${RANKS:-2 3}; do
  rc=$(run mpirun --oversubscribe --allow-run-as-root -np "$n" "$binary" batch --mpi "$jobs" --out "$work/mpi$n.jsonl")
  if [[ "$rc" != "$single_rc" ]]; then
    echo "mpi-check: FAIL: -np $n exited $rc, the single process $single_rc" >&2
    status=1
    continue
  fi
  if scripts/batch-compare.sh "$work/single.jsonl" "$work/mpi$n.jsonl"; then
    ranks=$(grep -o '"rank":[0-9]*' "$work/mpi$n.jsonl" | sort -u | tr '\n' ' ')
    echo "mpi-check: -np $n: same $(wc -l <"$work/mpi$n.jsonl") lines as the single process (ranks used: $ranks)"
  else
    echo "mpi-check: FAIL: -np $n differs from the single process" >&2
    status=1
  fi
done
exit $status
