#!/usr/bin/env bash
# Installs missing dependencies, then configures and builds the release preset into build/.
#   scripts/build.sh            every target (the program, tests, benchmarks, the Python module)
#   scripts/build.sh TARGET...  only these (the main job builds just `resample`)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [[ ! -f build/CMakeCache.txt ]]; then
  cmake --preset release >&2
fi
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build --preset release -j "$(nproc)" "${targets[@]}" >&2
