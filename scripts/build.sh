#!/usr/bin/env bash
# Installs missing dependencies, then configures and builds the release preset into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [[ ! -f build/CMakeCache.txt ]]; then
  cmake --preset release >&2
fi
cmake --build --preset release -j "$(nproc)" >&2
