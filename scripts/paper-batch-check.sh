#!/usr/bin/env bash
# Acceptance run of the paper's 200-job batch (scripts/make-paper-batch.py):
#   1. the whole batch in one process;
#   2. the same batch killed with SIGKILL after KILL_AFTER lines, then --resume: same lines as 1;
#   3. with MPI (when built), 2 and 3 ranks: same lines as 1.
# Lines are compared with "timings" removed and sorted by id (they are in completion order).
# Environment: BUILD_DIR (default build), KILL_AFTER (default 40), WORK (default a temporary dir),
# MAKE_ARGS (passed to make-paper-batch.py, e.g. --without-tests).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
binary="$build_dir/bin/resample"
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
kill_after=${KILL_AFTER:-40}

# shellcheck disable=SC2086
scripts/make-paper-batch.py ${MAKE_ARGS:-} >"$work/paper.json"
total=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['jobs']))" "$work/paper.json")
echo "paper-batch: $total jobs in $work/paper.json"

start=$(date +%s)
"$binary" batch "$work/paper.json" --out "$work/whole.jsonl" --overwrite
echo "paper-batch: whole run: $(wc -l <"$work/whole.jsonl") lines in $(($(date +%s) - start)) s"

rm -f "$work/killed.jsonl"
"$binary" batch "$work/paper.json" --out "$work/killed.jsonl" 2>/dev/null &
pid=$!
lines() { if [[ -f "$1" ]]; then wc -l <"$1"; else echo 0; fi; }
while [[ $(lines "$work/killed.jsonl") -lt $kill_after ]] && kill -0 "$pid" 2>/dev/null; do
  sleep 0.05
done
kill -KILL "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
echo "paper-batch: killed with $(wc -l <"$work/killed.jsonl") of $total lines written"
"$binary" batch "$work/paper.json" --out "$work/killed.jsonl" --resume
scripts/batch-compare.sh "$work/whole.jsonl" "$work/killed.jsonl"
echo "paper-batch: killed + resumed: same $total lines as the whole run"

if grep -q '^RESAMPLE_MPI:BOOL=ON' "$build_dir/CMakeCache.txt" 2>/dev/null && command -v mpirun >/dev/null; then
  for n in 2 3; do
    mpirun --oversubscribe --allow-run-as-root -np "$n" "$binary" batch --mpi "$work/paper.json" \
      --out "$work/mpi$n.jsonl" --overwrite
    scripts/batch-compare.sh "$work/whole.jsonl" "$work/mpi$n.jsonl"
    echo "paper-batch: MPI -np $n: same $total lines as the whole run"
  done
else
  echo "paper-batch: MPI checks skipped (built without MPI or no mpirun)"
fi
