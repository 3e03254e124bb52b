#!/usr/bin/env bash
# Style check: every C++ file of the tree as clang-format (Debian 12: clang-format 14) formats it
# with the repository's .clang-format; any difference fails. `scripts/format-check.sh --fix`
# rewrites the files instead.
set -euo pipefail
cd "$(dirname "$0")/.."
RESAMPLE_EXTRA_PACKAGES="clang-format ${RESAMPLE_EXTRA_PACKAGES:-}" scripts/install-deps.sh
mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
if [[ "${1:-}" == "--fix" ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi
clang-format --dry-run -Werror "${files[@]}"
echo "format-check: ${#files[@]} files formatted as .clang-format says"
