#!/usr/bin/env bash
# The main job: build if needed, then the paper report on the embedded data set. Only the program
# is built (and the data directory it reads beside it): tests and benchmarks wait for scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh resample
exec build/bin/resample report "$@"
