#!/usr/bin/env bash
# Regenerates what the README shows from the program itself: the report's terminal output
# (between the report markers) and the figures in docs/figures/. Never edit those by hand; the
# test ReadmeTest.ReportBlockIsTheProgramsOutput fails when they drift.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
build/bin/resample report > /tmp/resample-readme-report.txt
mkdir -p docs/figures
build/bin/resample report --plots docs/figures > /dev/null
python3 - <<'PY'
import re
readme = open("README.md").read()
report = open("/tmp/resample-readme-report.txt").read()
block = "<!-- report:begin -->\n```text\n" + report + "```\n<!-- report:end -->"
new, count = re.subn(r"<!-- report:begin -->.*?<!-- report:end -->", lambda m: block, readme, flags=re.S)
if count != 1:
    raise SystemExit("update-docs: README.md needs exactly one report:begin/report:end block")
open("README.md", "w").write(new)
PY
echo "update-docs: README report block and docs/figures regenerated" >&2
