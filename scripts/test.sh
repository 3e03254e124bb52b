#!/usr/bin/env bash
# The whole test suite: build if needed, then every test through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests
scripts/build.sh
ctest --preset release -j "$(nproc)" "$@"
