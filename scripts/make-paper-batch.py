#!/usr/bin/env python3
"""Writes the paper's batch: 200 jobs over the four endpoints of data/gaughen2002_table1.csv
(pain and mobility, initial and repeat treatment).

  bootstrap, exact: every statistic x three confidence levels, all intervals
  bootstrap, Monte Carlo with B = 10^6: every statistic x seeds (studentized intervals only for
  the statistics whose se* is closed-form; the nested bootstrap of the others costs 100x)
  test: each endpoint's sign-flip (mean, median), sign, Wilcoxon (Pratt, Wilcox) and t tests,
  two-sided and one-sided, plus a Monte Carlo sign-flip test with B = 10^6 per endpoint
  Monte Carlo bootstrap jobs then fill the batch to 200.

Usage: scripts/make-paper-batch.py [--without-tests] [--data PATH] > paper_batch.json
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
    parser.add_argument("--without-tests", action="store_true", help="bootstrap jobs only (a binary without `test`)")
    parser.add_argument("--data", default="data/gaughen2002_table1.csv")
    args = parser.parse_args()

    jobs = []
    for endpoint, (pre, post) in ENDPOINTS.items():
        for stat in STATISTICS:
            for conf in CONF:
                jobs.append({"id": f"exact-{endpoint}-{slug(stat)}-conf{int(conf * 100)}", "command": "bootstrap",
                             "pre": [pre], "post": [post], "stat": stat, "method": "exact", "conf": conf})
    if not args.without_tests:
        tests = [("signflip-mean", {"test": "signflip", "stat": "mean"}),
                 ("signflip-median", {"test": "signflip", "stat": "median"}),
                 ("sign", {"test": "sign"}),
                 ("wilcoxon-pratt", {"test": "wilcoxon", "zero-method": "pratt"}),
                 ("wilcoxon-wilcox", {"test": "wilcoxon", "zero-method": "wilcox"}),
                 ("t", {"test": "t"})]
        for endpoint, (pre, post) in ENDPOINTS.items():
            for name, options in tests:
                for alternative in ["two-sided", "greater"]:
                    jobs.append({"id": f"test-{endpoint}-{name}-{alternative}", "command": "test", "pre": [pre],
                                 "post": [post], **options, "alternative": alternative})
            jobs.append({"id": f"test-{endpoint}-signflip-mc", "command": "test", "pre": [pre], "post": [post],
                         "test": "signflip", "method": "mc", "resamples": 1000000, "seed": 2002})
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
