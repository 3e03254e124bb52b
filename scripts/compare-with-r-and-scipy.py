#!/usr/bin/env python3
"""Writes docs/compared-with-r-and-scipy.md from real runs: each quantity of three paired data sets
as resample, R (wilcox.test, coin, exactRankTests, boot, binom.test, t.test) and scipy.stats compute
it, side by side, with the reason for every difference.

    scripts/compare-with-r-and-scipy.py [--resample build/bin/resample] [--out FILE]

Needs build/bin/resample; R with coin, exactRankTests and boot (r-base-core r-cran-coin
r-cran-exactranktests r-cran-boot) and scipy (python3-scipy) are used where installed, and a peer
that is missing is said to be. Run with Debian's /usr/bin/python3 (numpy and scipy). Nothing in the
document is typed by hand except the reasons, each printed only where the numbers differ.
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

DATA = [
    ("paper, repeat pain reduction (Table 1): no ties, no zeros", [2, 9, 8, 10, 6, 4]),
    ("paper, repeat mobility gain (Table 1): ties and two zeros", [1, 1, 1, 0, 0, 3]),
    ("trial function score change (tests/data/study): real-valued, one worsening",
     [20.5, 13.5, 8, 25.5, -1, 9, 15.5, 16, 18, 19]),
]
B = 20000  # Monte Carlo resamples of the peers' bootstraps
SEED = 1
SEEDS = range(1, 6)  # the Monte Carlo peers are also run with these, to show how far their ends move

# Why a peer's number differs from resample's, by quantity and peer; printed only where it does.
MONTE_CARLO = ("draws B = {B} resamples (Monte Carlo) and reads interpolated order statistics, where "
               "resample enumerates every distinct resample and takes the quantile the conventions define: over "
               "seeds {seeds} this end was {spread}, {cause}")
REASONS = {
    ("sign_flip", "R exactRankTests::perm.test"): "perm.test's exact algorithm works on integer scores: the same "
                                                  "data in units of 10^-{_units_k} (perm.test(d * 10^{_units_k})) "
                                                  "give {_sign_flip_integer_units}, resample's p, which does not "
                                                  "depend on the unit",
    ("wilcoxon_pratt", "scipy"): "scipy.stats.wilcoxon switches to the normal approximation when there are ties "
                                 "or zeros (method 'auto'); resample's p is the exact conditional one",
    ("wilcoxon_wilcox", "scipy"): "scipy.stats.wilcoxon switches to the normal approximation with ties or zeros",
    ("wilcoxon_wilcox", "R wilcox.test"): "wilcox.test cannot compute the exact distribution with ties or zeros "
                                          "and falls back to the normal approximation with continuity correction "
                                          "(it warns)",
    ("hl_estimate", "R wilcox.test"): "with ties or zeros wilcox.test finds the estimate by a numerical root search "
                                      "on the normal approximation, not as the median of the Walsh averages",
    ("hl_lower", "R wilcox.test"): "with ties or zeros wilcox.test's interval comes from the normal approximation "
                                   "(a root search on the continuity-corrected statistic), not from the "
                                   "signed-rank quantiles of the Walsh averages",
    ("hl_upper", "R wilcox.test"): "as for the lower end",
}
for key in ("percentile_lower", "percentile_upper", "bca_lower", "bca_upper"):
    REASONS[(key, "R boot")] = "boot " + MONTE_CARLO
    REASONS[(key, "scipy")] = "scipy.stats.bootstrap " + MONTE_CARLO

ROWS = [
    ("sign_flip", "sign-flip (permutation) test of the mean, exact two-sided p"),
    ("sign", "sign test, exact two-sided p"),
    ("wilcoxon_pratt", "Wilcoxon signed-rank p, zeros ranked (Pratt)"),
    ("wilcoxon_wilcox", "Wilcoxon signed-rank p, zeros dropped (Wilcoxon)"),
    ("t", "one-sample t test p"),
    ("hl_estimate", "Hodges-Lehmann estimate"),
    ("hl_lower", "Hodges-Lehmann 95% interval, lower"),
    ("hl_upper", "Hodges-Lehmann 95% interval, upper"),
    ("percentile_lower", "bootstrap percentile 95% interval of the mean, lower"),
    ("percentile_upper", "bootstrap percentile 95% interval of the mean, upper"),
    ("bca_lower", "bootstrap BCa 95% interval of the mean, lower"),
    ("bca_upper", "bootstrap BCa 95% interval of the mean, upper"),
]

R_SCRIPT = r"""
suppressMessages({library(coin); library(exactRankTests); library(boot)})
d <- as.numeric(strsplit(commandArgs(TRUE)[1], ",")[[1]])
out <- function(peer, key, value) cat(peer, "\t", key, "\t", sprintf("%.17g", value), "\n", sep = "")
out("R exactRankTests::perm.test", "sign_flip", perm.test(d, exact = TRUE)$p.value)
out("R binom.test", "sign", binom.test(sum(d > 0), sum(d != 0))$p.value)
w <- suppressWarnings(wilcox.test(d, exact = TRUE, conf.int = TRUE))
out("R wilcox.test", "wilcoxon_wilcox", w$p.value)
out("R wilcox.test", "hl_estimate", w$estimate)
out("R wilcox.test", "hl_lower", w$conf.int[1])
out("R wilcox.test", "hl_upper", w$conf.int[2])
out("R exactRankTests::wilcox.exact", "wilcoxon_wilcox", wilcox.exact(d, exact = TRUE)$p.value)
# The same permutation test in the unit that makes the data integers (10^-k).
k <- 0
while (k < 6 && any(abs(d * 10^k - round(d * 10^k)) > 1e-9)) k <- k + 1
out("R exactRankTests::perm.test", "_units_k", k)
out("R exactRankTests::perm.test", "_sign_flip_integer_units", perm.test(d * 10^k, exact = TRUE)$p.value)
frame <- data.frame(d = d, zero = 0)
out("R coin", "wilcoxon_pratt", pvalue(wilcoxsign_test(d ~ zero, data = frame, distribution = "exact", zero.method = "Pratt")))
out("R coin", "wilcoxon_wilcox", pvalue(wilcoxsign_test(d ~ zero, data = frame, distribution = "exact", zero.method = "Wilcoxon")))
out("R t.test", "t", t.test(d)$p.value)
for (seed in SEEDS) {
  set.seed(seed)
  b <- boot(d, function(x, i) mean(x[i]), R = B)
  ci <- suppressWarnings(boot.ci(b, type = c("perc", "bca")))
  at <- if (seed == SEED) "" else paste0("@", seed)
  out("R boot", paste0("percentile_lower", at), ci$percent[4]); out("R boot", paste0("percentile_upper", at), ci$percent[5])
  out("R boot", paste0("bca_lower", at), ci$bca[4]); out("R boot", paste0("bca_upper", at), ci$bca[5])
}
""".replace("SEEDS", "c(" + ",".join(str(x) for x in range(1, 6)) + ")").replace(
    "SEED", str(SEED)).replace("R = B", f"R = {B}")


def run_resample(binary, values):
    csv = ",".join(str(v) for v in values)

    def command(*args):
        text = subprocess.run([binary, *args, "--values", csv, "--format", "json"], check=True,
                              capture_output=True, text=True).stdout
        return json.loads(text)

    out = {}
    tests = command("test", "--test", "all")["endpoints"][0]
    for t in tests["tests"]:
        key = {"signflip": "sign_flip", "sign": "sign", "wilcoxon": "wilcoxon_pratt", "t": "t"}[t["test"]]
        out[key] = t["p_value"]
    wilcox = command("test", "--test", "wilcoxon", "--zero-method", "wilcox")["endpoints"][0]["tests"][0]
    out["wilcoxon_wilcox"] = wilcox["p_value"]
    hl = tests["estimates"]["hodges_lehmann"]
    out["hl_estimate"], out["hl_lower"], out["hl_upper"] = hl["estimate"], hl["lower"], hl["upper"]
    boot = command("bootstrap", "--stat", "mean", "--ci", "percentile,bca")
    for i in boot["intervals"]:
        out[i["method"] + "_lower"], out[i["method"] + "_upper"] = i["lower"], i["upper"]
    out["_bootstrap_mode"] = boot["mode"]
    return out


def run_r(values):
    if shutil.which("Rscript") is None:
        return None, "Rscript not found"
    with tempfile.NamedTemporaryFile("w", suffix=".R", delete=False) as f:
        f.write(R_SCRIPT)
    try:
        r = subprocess.run(["Rscript", f.name, ",".join(str(v) for v in values)], capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    if r.returncode != 0:
        return None, "R failed: " + (r.stderr.strip().splitlines() or ["?"])[-1]
    out = {}
    for line in r.stdout.splitlines():
        peer, key, value = line.split("\t")
        out.setdefault(peer, {})[key] = float(value)
    return out, None


def run_scipy(values):
    try:
        import numpy as np
        import scipy
        import scipy.stats as st
    except ImportError:
        return None, "scipy not importable (python3-scipy)"
    import warnings
    d = np.array(values, dtype=float)
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out["sign_flip"] = st.permutation_test((d,), np.mean, permutation_type="samples",
                                               n_resamples=np.inf).pvalue
        out["sign"] = st.binomtest(int((d > 0).sum()), int((d != 0).sum())).pvalue
        out["wilcoxon_pratt"] = st.wilcoxon(d, zero_method="pratt").pvalue
        out["wilcoxon_wilcox"] = st.wilcoxon(d, zero_method="wilcox").pvalue
        out["t"] = st.ttest_1samp(d, 0).pvalue
        for seed in SEEDS:
            at = "" if seed == SEED else f"@{seed}"
            for method, key in (("percentile", "percentile"), ("BCa", "bca")):
                ci = st.bootstrap((d,), np.mean, n_resamples=B, method=method,
                                  random_state=np.random.default_rng(seed)).confidence_interval
                out[key + "_lower" + at], out[key + "_upper" + at] = float(ci.low), float(ci.high)
    return {"scipy": out}, None, scipy.__version__


def fmt(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if x == 0:
        return "0"
    return f"{x:.4g}"


def same(a, b):
    # Display equality: the peers' numbers agree with resample's to 1e-9 relative (p-values and
    # interval ends of the same definition computed by different code).
    return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resample", default=os.path.join(ROOT, "build", "bin", "resample"))
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "compared-with-r-and-scipy.md"))
    parser.add_argument("--check", action="store_true",
                        help="regenerate into a temporary file and fail if --out differs (ctest "
                             "peer_comparison_doc); exit 77 (skipped) when a peer is not installed")
    args = parser.parse_args()
    if args.check:
        if run_r([1.0, 2.0, 3.0])[0] is None or run_scipy([1.0, 2.0])[0] is None:
            print("compare-with-r-and-scipy: R (with coin, exactRankTests, boot) or scipy missing: skipped")
            sys.exit(77)
        target, args.out = args.out, tempfile.mktemp(suffix=".md")

    r_version = None
    if shutil.which("Rscript"):
        r_version = subprocess.run(["Rscript", "-e", "cat(R.version.string)"], capture_output=True,
                                   text=True).stdout.strip()
    lines = [
        "# resample compared with R and scipy",
        "",
        "Generated by `scripts/compare-with-r-and-scipy.py` from real runs; do not edit by hand. Each",
        "quantity as resample computes it, then as each peer does. A peer's number is printed bold where",
        "it differs from resample's (beyond 1e-9 relative), with the reason below the table. resample's",
        "p-values here are all exact, and its bootstrap enumerates every distinct resample; the peers'",
        f"bootstraps draw B = {B} resamples with seed {SEED}.",
        "",
        f"Peers: {r_version or 'R not installed'}; scipy "
        + (run_scipy([1.0, 2.0])[2] if run_scipy([1.0, 2.0])[0] else "not installed") + ".",
    ]
    for title, values in DATA:
        mine = run_resample(args.resample, values)
        r, r_missing = run_r(values)
        scipy_result = run_scipy(values)
        peers = {}
        if r:
            peers.update(r)
        if scipy_result[0]:
            peers.update(scipy_result[0])
        names = list(peers)
        lines += ["", f"## {title}", "", "Differences: " + ", ".join(str(v) for v in values) + ".", ""]
        if r_missing:
            lines += [f"R: {r_missing}.", ""]
        if not scipy_result[0]:
            lines += [f"scipy: {scipy_result[1]}.", ""]
        lines.append("| quantity | resample | " + " | ".join(names) + " |")
        lines.append("|" + " --- |" * (2 + len(names)))
        notes = []
        for key, label in ROWS:
            cells = [label, fmt(mine.get(key))]
            for peer in names:
                value = peers[peer].get(key)
                if value is None:
                    cells.append("")
                elif same(value, mine.get(key)):
                    cells.append(fmt(value))
                else:
                    cells.append(f"**{value:.6g}**")
                    reason = REASONS.get((key, peer), "not explained yet: a difference this script has no reason for")
                    spread = [peers[peer].get(f"{key}@{seed}", peers[peer][key]) for seed in SEEDS]
                    inside = min(spread) <= mine[key] <= max(spread)
                    cause = ("so the difference is Monte Carlo error" if inside else
                             "never resample's value: the difference is the quantile rule, not chance")
                    reason = reason.format(B=B, seeds=f"{min(SEEDS)}-{max(SEEDS)}", cause=cause,
                                           spread=f"{min(spread):.6g} to {max(spread):.6g}",
                                           **{k: fmt(v) for k, v in peers[peer].items() if k.startswith("_")})
                    notes.append((peer, reason, label))
            lines.append("| " + " | ".join(cells) + " |")
        if notes:
            lines.append("")
            for peer, reason, label in notes:
                lines.append(f"- {label}, {peer}: {reason}.")
    lines += [
        "",
        "## Conventions behind the agreements",
        "",
        "- The sign-flip test's two-sided p counts sign patterns whose |mean| is at least the observed one;",
        "  the null is symmetric, so scipy's doubled smaller tail and exactRankTests' count agree with it.",
        "- The sign test and R's binom.test and scipy's binomtest all sum the probabilities of counts no",
        "  more likely than the observed one; with p = 1/2 the binomial is symmetric.",
        "- coin's exact signed-rank test conditions on the tied ranks, as resample does; with",
        "  zero.method = \"Pratt\" it ranks the zeros and gives them no sign, as `--zero-method pratt`.",
        "- The t test is the same formula everywhere.",
    ]
    text = "\n".join(lines) + "\n"
    if args.check:
        with open(target) as f:
            if f.read() != text:
                sys.exit(f"compare-with-r-and-scipy: {target} is stale: run scripts/compare-with-r-and-scipy.py")
        print("compare-with-r-and-scipy: the document is current")
        return
    with open(args.out, "w") as f:
        f.write(text)
    print(f"compare-with-r-and-scipy: wrote {os.path.relpath(args.out)}", file=sys.stderr)


if __name__ == "__main__":
    main()
