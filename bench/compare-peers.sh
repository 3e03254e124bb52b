#!/usr/bin/env bash
# Runs the same workloads in this engine and in its peers (scipy.stats, R's boot and coin),
# alternating engine and peer in one run, and prints a markdown table of rates and ratios: for every
# workload and tool the median rate and its min-max over the rounds, for every ratio the ratio of
# medians and its range. Workloads (bench/compare_peers.py says more): A Monte Carlo bootstrap of
# the mean, n = 6; B exact sign-flip test, n = 5000; C exact Wilcoxon signed-rank test, n = 1000;
# D Monte Carlo sign-flip test, integers, n = 5000; E Monte Carlo sign-flip test, real values,
# n = 1000 and 5000; F studentized bootstrap of the median (nested se*), n = 20.
#
#   bench/compare-peers.sh [--install] [--write-docs] [--rounds N] [--seconds S] [--build-dir DIR]
#                          [--skip-gbench]
#
#   --install     apt-get install python3-scipy r-base-core r-cran-boot r-cran-coin first (root)
#   --write-docs  also run the Google Benchmark families and rewrite docs/performance.md with the
#                 machine, the peer table and the benchmark rates (nothing in it is typed by hand)
#   --rounds N    alternations engine/peer per workload (default 5, at least 1); the median rate
#                 and the min-max over the rounds are reported
#   --seconds S   target duration of each Monte Carlo measurement (default 1.5)
#
# Peers that are not installed are skipped with a message; the engine must be built
# (cmake --preset release && cmake --build --preset release).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="$root/build"
install=0
write_docs=0
rounds=5
seconds=1.5
skip_gbench=0

while [[ $# -gt 0 ]]; do
  case "$1" in
    --install) install=1 ;;
    --write-docs) write_docs=1 ;;
    --rounds)
      rounds="${2:-}"
      if ! [[ $rounds =~ ^[0-9]+$ ]] || (( 10#$rounds < 1 )); then
        echo "compare-peers.sh: --rounds needs an integer N >= 1 (got '$rounds')" >&2
        exit 2
      fi
      shift ;;
    --seconds) seconds="$2"; shift ;;
    --build-dir) build="$2"; shift ;;
    --skip-gbench) skip_gbench=1 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/!p}' "$0"; exit 0 ;;
    *) echo "compare-peers.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [[ $install == 1 ]]; then
  if ! apt-get install -y python3-scipy r-base-core r-cran-boot r-cran-coin >/tmp/compare-peers-apt.log 2>&1; then
    echo "compare-peers.sh: apt-get install failed (see /tmp/compare-peers-apt.log); peers that are missing are skipped" >&2
  fi
fi

for tool in resample resample_bench; do
  if [[ ! -x "$build/bin/$tool" ]]; then
    echo "compare-peers.sh: $build/bin/$tool not found; build first: cmake --preset release && cmake --build --preset release" >&2
    exit 2
  fi
done

# A Python with scipy if there is one (pyenv shims may hide the system's python3-scipy).
python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import scipy, numpy' 2>/dev/null; then
    python="$candidate"
    break
  fi
done
driver_python="${python:-python3}"
if [[ -z "$python" ]]; then
  echo "compare-peers.sh: scipy not found (python3-scipy; try --install); scipy workloads skipped" >&2
fi
rscript=""
if command -v Rscript >/dev/null 2>&1; then
  rscript="Rscript"
  for pkg in boot coin; do
    if ! Rscript -e "suppressMessages(library($pkg))" >/dev/null 2>&1; then
      echo "compare-peers.sh: R package $pkg not found (r-cran-$pkg; try --install); its workloads skipped" >&2
    fi
  done
else
  echo "compare-peers.sh: Rscript not found (r-base-core; try --install); R workloads skipped" >&2
fi

export CP_ROOT="$root" CP_BUILD="$build" CP_ROUNDS="$rounds" CP_SECONDS="$seconds" CP_PYTHON="$python" \
  CP_RSCRIPT="$rscript" CP_WRITE_DOCS="$write_docs" CP_SKIP_GBENCH="$skip_gbench"
exec "$driver_python" "$here/compare_peers.py"
