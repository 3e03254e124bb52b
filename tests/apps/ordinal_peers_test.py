#!/usr/bin/env python3
"""resample ordinal against statsmodels (a peer, Debian python3-statsmodels): the Stuart-Maxwell,
Bhapkar and Bowker statistics and their asymptotic chi-square p-values, and McNemar's asymptotic
statistic without continuity correction, on random paired tables, to 1e-10 relative. The same
tables against R (Debian r-base-core, r-cran-coin, installed with the test dependencies): coin's
mh_test (asymptotic Stuart-Maxwell) and stats::mcnemar.test(correct = FALSE) (Bowker on k x k,
McNemar on the dichotomy), also to 1e-10; without Rscript and coin that part fails, not skips.

Tables are drawn so that statsmodels' definitions apply as they are: every level changes to its
neighbour at least once (the k - 1 degrees of freedom of Stuart-Maxwell and Bhapkar), and for
Bowker every cell pair has a discordant patient (statsmodels counts all k(k-1)/2 pairs).

usage: ordinal_peers_test.py RESAMPLE_BINARY
"""
import json
import os
import random
import subprocess
import sys
import tempfile

import numpy as np
from statsmodels.stats.contingency_tables import SquareTable, mcnemar

BINARY = sys.argv[1]
failures = []


def close(a, b, what):
    if not (abs(a - b) <= 1e-10 * max(1.0, abs(b))):
        failures.append(f"{what}: resample {a!r}, statsmodels {b!r}")


def run(pre, post, extra=()):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "t.csv")
        with open(path, "w") as f:
            f.write("pre,post\n")
            for a, b in zip(pre, post):
                f.write(f"{a},{b}\n")
        out = subprocess.run([BINARY, "ordinal", "--data", path, "--pre", "pre", "--post", "post", *extra,
                              "--json"], capture_output=True, text=True)
        if out.returncode != 0:
            failures.append(f"exit {out.returncode}: {out.stderr.strip()}")
            return None
        return json.loads(out.stdout)["endpoints"][0]


rng = random.Random(11)
cases = 0
r_checks = []  # (what, resample's value, R expression on the table `t`)
for levels in (2, 3, 4, 5):
    for trial in range(6):
        all_pairs = trial % 2 == 1
        pre, post = [], []
        for v in range(levels - 1):  # the chain of neighbouring changes
            pre.append(v), post.append(v + 1)
        if all_pairs:
            for i in range(levels):
                for j in range(i + 1, levels):
                    pre.append(i), post.append(j)
        for _ in range(rng.randint(5, 25)):
            a = rng.randrange(levels)
            pre.append(a), post.append(min(levels - 1, max(0, a + rng.randint(-2, 1))))
        e = run(pre, post)
        if e is None:
            continue
        cases += 1
        table = np.array(e["table"]["counts"], dtype=float)
        square = SquareTable(table, shift_zeros=False)
        tests = {t["test"]: t for t in e["tests"]}
        for name in ("stuart_maxwell", "bhapkar"):
            peer = square.homogeneity(method=name)
            close(tests[name]["statistic"], peer.statistic, f"{name} statistic, {levels} levels, trial {trial}")
            close(tests[name]["asymptotic_p"], peer.pvalue, f"{name} p, {levels} levels, trial {trial}")
            close(tests[name]["df"], peer.df, f"{name} df, {levels} levels, trial {trial}")
        if all_pairs:
            peer = square.symmetry(method="bowker")
            close(tests["bowker"]["statistic"], peer.statistic, f"bowker statistic, {levels} levels, trial {trial}")
            close(tests["bowker"]["asymptotic_p"], peer.pvalue, f"bowker p, {levels} levels, trial {trial}")
        counts = e["table"]["counts"]
        matrix = "matrix(c({}), {}, byrow = TRUE)".format(", ".join(str(c) for row in counts for c in row), len(counts))
        where = f"{levels} levels, trial {trial}"
        r_checks.append((f"coin mh_test statistic, {where}", tests["stuart_maxwell"]["statistic"],
                         f"statistic(mh_test(as.table({matrix})))"))
        r_checks.append((f"coin mh_test p, {where}", tests["stuart_maxwell"]["asymptotic_p"],
                         f"pvalue(mh_test(as.table({matrix})))"))
        if all_pairs:
            r_checks.append((f"R mcnemar.test (Bowker) statistic, {where}", tests["bowker"]["statistic"],
                             f"mcnemar.test({matrix}, correct = FALSE)$statistic"))
            r_checks.append((f"R mcnemar.test (Bowker) p, {where}", tests["bowker"]["asymptotic_p"],
                             f"mcnemar.test({matrix}, correct = FALSE)$p.value"))
        # McNemar on the dichotomy level >= 1.
        m = run(pre, post, ["--dichotomize", "1"])["mcnemar"]
        two = np.array([[m["both"], m["before_only"]], [m["after_only"], m["neither"]]], dtype=float)
        if m["before_only"] + m["after_only"] > 0:
            peer = mcnemar(two, exact=False, correction=False)
            close(m["test"]["statistic"], peer.statistic, f"mcnemar statistic, {levels} levels, trial {trial}")
            close(m["test"]["asymptotic_p"], peer.pvalue, f"mcnemar p, {levels} levels, trial {trial}")
            exact = mcnemar(two, exact=True)
            close(m["test"]["p_value"], exact.pvalue, f"mcnemar exact p, {levels} levels, trial {trial}")
            two_r = f"matrix(c({m['both']}, {m['before_only']}, {m['after_only']}, {m['neither']}), 2, byrow = TRUE)"
            r_checks.append((f"R mcnemar.test p, {where}", m["test"]["asymptotic_p"],
                             f"mcnemar.test({two_r}, correct = FALSE)$p.value"))

# One R session for every check; each value printed to 17 significant digits.
script = "suppressMessages(library(coin))\n" + "".join(
    f"cat(sprintf('%.17g', as.numeric({expr})), '\\n')\n" for _, _, expr in r_checks)
try:
    with tempfile.TemporaryDirectory() as d:  # a file: Rscript -e truncates long expressions
        path = os.path.join(d, "peers.R")
        with open(path, "w") as f:
            f.write(script)
        r = subprocess.run(["Rscript", path], capture_output=True, text=True)
    values = r.stdout.split() if r.returncode == 0 else []
    if r.returncode != 0:
        failures.append(f"Rscript with coin failed: {r.stderr.strip()[:300]}")
except FileNotFoundError:
    values = []
    failures.append("Rscript not found (scripts/install-deps.sh --tests installs R and coin)")
if values and len(values) != len(r_checks):
    failures.append(f"R printed {len(values)} values for {len(r_checks)} checks")
else:
    for (what, ours, _), theirs in zip(r_checks, values):
        b = float(theirs)
        if not (abs(ours - b) <= 1e-10 * max(1.0, abs(b))):
            failures.append(f"{what}: resample {ours!r}, R {b!r}")

if cases < 20:
    failures.append(f"only {cases} cases ran")
for f in failures:
    print("FAIL", f)
print(f"ordinal_peers: {cases} tables, {len(r_checks)} values against R, {len(failures)} failures")
sys.exit(1 if failures else 0)
