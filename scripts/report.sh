#!/usr/bin/env bash
# The main job: build if needed, then the paper report on the embedded data set.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec build/bin/resample report "$@"
