#!/usr/bin/env bash
# Thread scaling of `resample batch` on a batch of Monte Carlo jobs: wall time with 1 thread and
# with THREADS (default 2), and their ratio (target >= 1.8 for 2 threads on 2 free cores).
# Jobs are Monte Carlo bootstraps (`bootstrap --method mc`, half of the mean on the histogram path,
# half of the median on the stored-replicate path), or a job file given as $1.
# Environment: BUILD_DIR (default build), JOBS_COUNT (16), RESAMPLES (50000000), THREADS (2), REPEATS (3).
# On a shared machine with autogroup scheduling (/proc/sys/kernel/sched_autogroup_enabled = 1) each
# session gets one fair share however many threads it runs, so a 2-thread run cannot get 2 cores
# while others are busy; run the benchmark in its own session with a raised group priority:
#   setsid bash -c 'echo -10 > /proc/self/autogroup; scripts/bench-batch.sh'   (as root)
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${BUILD_DIR:-build}/bin/resample"
threads=${THREADS:-2}
repeats=${REPEATS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

jobs=${1:-}
if [[ -z "$jobs" ]]; then
  jobs="$work/jobs.json"
  python3 - "$jobs" "${JOBS_COUNT:-16}" "${RESAMPLES:-50000000}" <<'PY'
import json, sys
path, count, resamples = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
# The median's stored replicates cost memory (24 bytes each), so its jobs take a tenth of B.
jobs = [{"id": f"mc{i:03d}", "values": [2, 9, 8, 10, 6, 4, 7, 1, 3, 5, 8, 2], "seed": i,
         "stat": "mean" if i % 2 == 0 else "median", "resamples": resamples if i % 2 == 0 else resamples // 10}
        for i in range(count)]
json.dump({"defaults": {"command": "bootstrap", "method": "mc", "ci": ["percentile", "bca"]}, "jobs": jobs},
          open(path, "w"))
PY
fi

# Best of REPEATS: the machine may be shared, and the minimum is the least disturbed run. CPU time
# is reported too: cores obtained = CPU / wall shows whether the 2-thread run really had 2 cores
# (on a loaded machine it does not, and the wall-time ratio then says little about the code).
python3 - "$binary" "$jobs" "$work" "$threads" "$repeats" <<'PY'
import resource, subprocess, sys, time
binary, jobs, work, threads, repeats = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])

def run(n):
    best = None
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        subprocess.run([binary, "batch", jobs, "--out", f"{work}/out{n}.jsonl", "--overwrite", "--threads", str(n)],
                       stderr=subprocess.DEVNULL, check=False)
        wall = time.monotonic() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if best is None or wall < best[0]:
            best = (wall, cpu)
    return best

w1, c1 = run(1)
wn, cn = run(threads)
with open("/proc/loadavg") as f:
    load = f.read().split()[0]
print(f"bench-batch: 1 thread {w1:.2f} s wall ({c1:.2f} s CPU, {c1 / w1:.2f} cores), "
      f"{threads} threads {wn:.2f} s wall ({cn:.2f} s CPU, {cn / wn:.2f} cores); load average {load}")
target = 0.9 * threads
verdict = "meets" if w1 / wn >= target else "below"
print(f"bench-batch: speed-up {w1 / wn:.2f}x with {threads} threads ({verdict} the target {target:.1f}x); "
      f"CPU work ratio {cn / c1:.2f} (1.00 = no parallel overhead); speed-up per core obtained "
      f"{(w1 / wn) / (cn / wn / (c1 / w1)):.2f}")
PY
scripts/batch-compare.sh "$work/out1.jsonl" "$work/out$threads.jsonl"
echo "bench-batch: same lines with 1 and $threads threads"
