#!/usr/bin/env python3
"""Writes the real-coverage table of docs/simulation.md (between the coverage-table markers) from
`resample coverage`: every interval method at n = 6, 10 and 20, on a fine-grained skewed law
standing in for continuous data and on the ordinal change scores of a 0-10 and a 0-4 scale, plus
the bootstrap intervals of the paired effect sizes. Never edit the table by hand; run

    scripts/coverage-table.py [RESAMPLE_BINARY]     (default build/bin/resample)

(scripts/update-docs.sh does). With --check it writes nothing and fails when the table in the doc is
not what the program measures now (ctest coverage_table_doc).

Every number is a measurement: coverage over TRIALS simulated data sets with its binomial Monte
Carlo SE. The seed is fixed, so the table is reproducible to the digit.
"""
import json
import subprocess
import sys

import os

CHECK = "--check" in sys.argv[1:]
ARGS = [a for a in sys.argv[1:] if a != "--check"]
BINARY = ARGS[0] if ARGS else "build/bin/resample"
DOC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "simulation.md")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from doc_block import replace_block  # noqa: E402
TRIALS = 2000
SIZES = "6,10,20"

# name, law (value:probability), what it stands for
MODELS = [
    ("fine-grained", ",".join(f"{v / 4 - 1.5}:{w}" for v, w in
                               zip(range(25), [1, 2, 3, 5, 7, 9, 10, 10, 9, 8, 7, 6, 5, 4, 3, 3, 2, 2, 1, 1, 1, 1, 0.5,
                                               0.5, 0.5])),
     "25-point skewed law (step 0.25), standing in for continuous data"),
    ("pain 0-10", "-2:0.05,0:0.15,1:0.1,2:0.15,3:0.15,4:0.1,5:0.1,6:0.08,7:0.06,8:0.06",
     "change on a 0-10 pain scale"),
    ("mobility 0-4", "-1:0.1,0:0.35,1:0.35,2:0.15,3:0.05", "change on a 0-4 mobility scale"),
]


def normalised(law):
    atoms = [a.split(":") for a in law.split(",")]
    total = sum(float(w) for _, w in atoms)
    return ",".join(f"{v}:{float(w) / total:.10g}" for v, w in atoms)


def coverage(law, stat, ci):
    args = [BINARY, "coverage", "--model", "discrete", "--distribution", normalised(law), "--n", SIZES,
            "--trials", str(TRIALS), "--stat", stat, "--ci", ci, "--json"]
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def rows(result, label):
    for m in sorted(result["methods"], key=lambda m: m["n"]):
        if True:
            cov = "-" if m["coverage"] is None else f"{m['coverage']:.3f} ± {m['mc_se']:.3f}"
            length = "-" if m["mean_length"] is None else f"{m['mean_length']:.3g}"
            undefined = m["undefined"]
            yield f"| {label} | {m['n']} | {m['method']} | {m['parameter']} | {cov} | {length} | {undefined} |"


lines = [
    f"Measured by `scripts/coverage-table.py` ({TRIALS} trials per cell, 95% intervals; ± is the Monte Carlo "
    "SE; *undefined*: trials where the interval did not exist, e.g. BCa with zero jackknife variance). "
    "Bootstrap intervals are exact up to n = 10 and Monte Carlo (B = 2000) at n = 20.",
    "",
]
for name, law, what in MODELS:
    lines.append(f"- **{name}**: {what}.")
lines += ["", "| model | n | interval | covers | coverage | mean length | undefined |",
          "| --- | --- | --- | --- | --- | --- | --- |"]
for name, law, _ in MODELS:
    lines += rows(coverage(law, "mean", "percentile,basic,normal,studentized,bca,t,hl,signflip,dz"), name)
for name, law, _ in MODELS:
    for stat in ("rank_biserial", "superiority"):
        lines += rows(coverage(law, stat, "percentile,bca"), name)

if replace_block(DOC, "coverage-table", "\n".join(lines), check=CHECK):
    print("coverage-table: docs/simulation.md regenerated", file=sys.stderr)
else:
    print("coverage-table: docs/simulation.md is current", file=sys.stderr)
