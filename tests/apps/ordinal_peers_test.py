#!/usr/bin/env python3
"""resample ordinal against statsmodels (a peer, Debian python3-statsmodels): the Stuart-Maxwell,
Bhapkar and Bowker statistics and their asymptotic chi-square p-values, and McNemar's asymptotic
statistic without continuity correction, on random paired tables, to 1e-10 relative.

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
        # McNemar on the dichotomy level >= 1.
        m = run(pre, post, ["--dichotomize", "1"])["mcnemar"]
        two = np.array([[m["both"], m["before_only"]], [m["after_only"], m["neither"]]], dtype=float)
        if m["before_only"] + m["after_only"] > 0:
            peer = mcnemar(two, exact=False, correction=False)
            close(m["test"]["statistic"], peer.statistic, f"mcnemar statistic, {levels} levels, trial {trial}")
            close(m["test"]["asymptotic_p"], peer.pvalue, f"mcnemar p, {levels} levels, trial {trial}")
            exact = mcnemar(two, exact=True)
            close(m["test"]["p_value"], exact.pvalue, f"mcnemar exact p, {levels} levels, trial {trial}")

if cases < 20:
    failures.append(f"only {cases} cases ran")
for f in failures:
    print("FAIL", f)
print(f"ordinal_peers: {cases} tables, {len(failures)} failures")
sys.exit(1 if failures else 0)
