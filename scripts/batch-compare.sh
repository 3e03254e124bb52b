#!/usr/bin/env bash
# Compares two `resample batch` results files: same lines apart from "timings", in any order.
# Lines are written in completion order, so both files are sorted (by id, which leads each line).
# Usage: scripts/batch-compare.sh A.jsonl B.jsonl   (exit 0 same, 1 different)
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 A.jsonl B.jsonl" >&2
  exit 2
fi
comparable() { sed -E 's/,"timings":\{[^}]*\}//' "$1" | LC_ALL=C sort; }
if diff <(comparable "$1") <(comparable "$2") >/dev/null; then
  exit 0
fi
echo "batch-compare: $1 and $2 differ (timings ignored, lines sorted):" >&2
diff <(comparable "$1") <(comparable "$2") | head -20 >&2 || true
exit 1
