#!/usr/bin/env bash
# Regenerates what the README shows from the program itself: the report's terminal output
# (between the report markers), the figures in docs/figures/ and the real-coverage tables of
# docs/simulation.md (the bootstrap and test intervals, and McNemar's exact coverage). Never edit
# those by hand; the tests ReadmeTest.ReportBlockIsTheProgramsOutput, coverage_table_doc and
# mcnemar_coverage_doc fail when they drift.
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
python3 scripts/coverage-table.py build/bin/resample
# McNemar's intervals through the Python package: with the interpreter it was built for.
python=$(sed -n 's/^Python3_EXECUTABLE:[A-Z]*=//p' build/CMakeCache.txt)
"${python:-python3}" scripts/mcnemar-coverage.py build/python > /dev/null
echo "update-docs: README report block, docs/figures and docs/simulation.md's coverage tables regenerated" >&2
