#!/usr/bin/env bash
# Issue 19's acceptance, as a user meets it: `pip install ./python` as python/README.md documents
# (a virtual environment over Debian's packages, no network, no build isolation), then, from
# outside the checkout, the README's intervals of the paper's repeat pain and an import with pandas
# hidden (pandas is an optional dependency). The pip build is the module's own CMake build of the
# engine (python/setup.py): minutes on 2 cores; CMAKE_ARGS="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
# reuses a cache when there is one.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
python=/usr/bin/python3  # the interpreter install-deps.sh installs the modules for
work="$(mktemp -d "${TMPDIR:-/tmp}/resample-python-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT
fail() {
  echo "python-install-check: $*" >&2
  exit 1
}
echo "python-install-check: pip install ./python into a fresh virtual environment"
"$python" -m venv --system-site-packages "$work/venv"
# Quiet unless it fails: the log holds the CMake build.
if ! "$work/venv/bin/pip" install --no-build-isolation --no-index ./python >"$work/pip.log" 2>&1; then
  tail -n 40 "$work/pip.log" >&2
  fail "pip install ./python failed"
fi
cd "$work"
got="$("$work/venv/bin/python" -c 'import pairedresample; print(pairedresample.bootstrap([2,9,8,10,6,4]).intervals)')"
echo "python-install-check: $got"
expected="[Interval(method='percentile', level=0.95, lower=4.166666666666667, upper=8.666666666666666), Interval(method='bca', level=0.95, lower=4.0, upper=8.5)]"
[[ "$got" == "$expected" ]] || fail "expected $expected"
# The installed package, not the checkout's build tree, was imported.
where="$("$work/venv/bin/python" -c 'import pairedresample; print(pairedresample.__file__)')"
[[ "$where" == "$work/venv/"* ]] || fail "imported $where, not the virtual environment's package"
# Without pandas the package imports and computes; only to_frame() needs it.
"$work/venv/bin/python" -c '
import sys
sys.modules["pandas"] = None  # any "import pandas" now raises ImportError
import pairedresample as pr
r = pr.wilcoxon([2, 9, 8, 10, 6, 4])
assert r.pvalue == 0.03125, r.pvalue
try:
    r.to_frame()
except ImportError:
    pass
else:
    raise SystemExit("to_frame() worked without pandas?")
' || fail "the package does not work without pandas"
echo "python-install-check: ok"
