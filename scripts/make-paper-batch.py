#!/usr/bin/env python3
"""Writes the paper's batch: 200 jobs over the four endpoints of data/gaughen2002_table1.csv
(pain and mobility, initial and repeat treatment).

  bootstrap, exact: every statistic x three confidence levels, all intervals
  bootstrap, Monte Carlo with B = 10^6: every statistic x seeds (studentized intervals only for
  the statistics whose se* is closed-form; the nested bootstrap of the others costs 100x)
  test: the exact tests of each endpoint, when the binary has the `test` command (--with-tests)

Usage: scripts/make-paper-batch.py [--with-tests] [--data PATH] > paper_batch.json
The data path is written as given (default: data/gaughen2002_table1.csv, relative to the
directory resample batch runs in).
"""
import argparse
import json
import sys

ENDPOINTS = {
    "initial-pain": ("initial_pain_pre", "initial_pain_post"),
    "initial-mobility": ("initial_mobility_pre", "initial_mobility_post"),
    "repeat-pain": ("repeat_pain_pre", "repeat_pain_post"),
    "repeat-mobility": ("repeat_mobility_pre", "repeat_mobility_post"),
}
STATISTICS = ["mean", "median", "trimmed:0.2", "sd", "prop_ge:1", "hl"]
CLOSED_FORM_SE = {"mean", "prop_ge:1"}
CONF = [0.90, 0.95, 0.99]
TOTAL = 200


def slug(text):
    return text.replace(":", "").replace(".", "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-tests", action="store_true", help="add `test` jobs (needs the test command)")
    parser.add_argument("--data", default="data/gaughen2002_table1.csv")
    args = parser.parse_args()

    jobs = []
    for endpoint, (pre, post) in ENDPOINTS.items():
        for stat in STATISTICS:
            for conf in CONF:
                jobs.append({"id": f"exact-{endpoint}-{slug(stat)}-conf{int(conf * 100)}", "command": "bootstrap",
                             "pre": [pre], "post": [post], "stat": stat, "method": "exact", "conf": conf})
    if args.with_tests:
        for endpoint, (pre, post) in ENDPOINTS.items():
            for test in ["sign-flip", "sign", "wilcoxon"]:
                for alternative in ["two-sided", "greater"]:
                    jobs.append({"id": f"test-{endpoint}-{test}-{alternative}", "command": "test", "pre": [pre],
                                 "post": [post], "test": test, "alternative": alternative})
    # Monte Carlo jobs fill the batch to TOTAL, cycling endpoints and statistics over seeds.
    seed = 1
    while len(jobs) < TOTAL:
        for endpoint, (pre, post) in ENDPOINTS.items():
            for stat in STATISTICS:
                if len(jobs) >= TOTAL:
                    break
                ci = ["percentile", "basic", "normal", "bca"] + (["studentized"] if stat in CLOSED_FORM_SE else [])
                jobs.append({"id": f"mc-{endpoint}-{slug(stat)}-seed{seed}", "command": "bootstrap", "pre": [pre],
                             "post": [post], "stat": stat, "method": "mc", "resamples": 1000000, "seed": seed,
                             "ci": ci})
        seed += 1

    out = sys.stdout
    out.write('{"defaults": ' + json.dumps({"data": args.data}) + ',\n "jobs": [\n')
    out.write(",\n".join("  " + json.dumps(job) for job in jobs))
    out.write("\n ]}\n")


if __name__ == "__main__":
    main()
