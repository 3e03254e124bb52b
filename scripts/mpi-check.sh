#!/usr/bin/env bash
# `resample batch --mpi` with 1, 2 and 3 ranks must write the same lines as one process (timings
# ignored, lines sorted by id since they are in completion order). The default job file includes
# jobs with B >= 2^20, which every rank runs on its own block range (--split-blocks), so this also
# checks that a split job's merged line is byte-identical to the single-process one. Then a rank
# killed during a split job must make the run fail with rank 0 naming the job.
# Skips (exit 0) when this build has no MPI. Usage: scripts/mpi-check.sh [JOBS.json]
# (default tests/data/batch_jobs.json). Environment: BUILD_DIR (default build), RANKS (default
# "1 2 3"), DEATH_CHECK (default 1).
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

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A job that fails is part of the check (its error line must match too): exit 2 is expected then,
# and every run must agree on the exit code.
run() { local rc=0; "$@" 2>"$work/stderr" || rc=$?; if [[ $rc -ne 0 && $rc -ne 2 ]]; then cat "$work/stderr" >&2; fi; echo "$rc"; }

single_rc=$(run "$binary" batch "$jobs" --out "$work/single.jsonl")
echo "mpi-check: single process: exit $single_rc, $(wc -l <"$work/single.jsonl") lines"
status=0
for n in ${RANKS:-1 2 3}; do
  rc=$(run mpirun --oversubscribe --allow-run-as-root -np "$n" "$binary" batch --mpi "$jobs" --out "$work/mpi$n.jsonl")
  if [[ "$rc" != "$single_rc" ]]; then
    echo "mpi-check: FAIL: -np $n exited $rc, the single process $single_rc" >&2
    status=1
    continue
  fi
  if scripts/batch-compare.sh "$work/single.jsonl" "$work/mpi$n.jsonl"; then
    ranks=$(grep -o '"rank":[0-9]*' "$work/mpi$n.jsonl" | sort -u | tr '\n' ' ')
    split=$(grep -c '"id":"split-' "$work/mpi$n.jsonl" || true)
    echo "mpi-check: -np $n: same $(wc -l <"$work/mpi$n.jsonl") lines as the single process ($split split over all ranks; ranks used: $ranks)"
  else
    echo "mpi-check: FAIL: -np $n differs from the single process" >&2
    status=1
  fi
done

# A rank killed (SIGKILL) in the middle of a split job: the run must fail, not hang or write a
# line, and rank 0 must say which job it was waiting for.
if [[ "${DEATH_CHECK:-1}" == 1 && $status -eq 0 ]]; then
  cat >"$work/death.json" <<'JSON'
{"jobs": [{"id": "doomed-split", "command": "bootstrap", "method": "mc", "values": [2, 9, 8, 10, 6, 4, 7, 1],
           "ci": ["percentile"], "resamples": 4000000000, "seed": 9}]}
JSON
  rc=0
  # Rank 1 is killed once it has used 0.5 s of CPU (/proc/PID/stat field 14, in ticks), so surely
  # inside its share of the 4e9 resamples (about 18 s of CPU per rank), however loaded the machine.
  # shellcheck disable=SC2016
  timeout 300 mpirun --oversubscribe --allow-run-as-root -np 2 \
    sh -c 'if [ "$OMPI_COMM_WORLD_RANK" = 1 ]; then
             (while [ "$(cut -d" " -f14 /proc/$$/stat)" -lt 50 ]; do sleep 0.1; done; kill -KILL $$) &
           fi; exec "$0" "$@"' \
    "$binary" batch --mpi "$work/death.json" --out "$work/death.jsonl" 2>"$work/death.err" || rc=$?
  if [[ $rc -eq 0 || $rc -eq 124 ]]; then
    echo "mpi-check: FAIL: a rank killed during a split job gave exit $rc (expected a failure, 124 = hung)" >&2
    status=1
  elif ! grep -q 'doomed-split' "$work/death.err"; then
    echo "mpi-check: FAIL: a rank killed during a split job: stderr does not name the job:" >&2
    cat "$work/death.err" >&2
    status=1
  elif [[ -s "$work/death.jsonl" ]]; then
    echo "mpi-check: FAIL: a rank killed during a split job: a line was written" >&2
    status=1
  else
    echo "mpi-check: rank 1 killed during a split job: exit $rc, rank 0 named the job:"
    grep 'doomed-split' "$work/death.err" | sed 's/^/  /'
  fi
fi
exit $status
