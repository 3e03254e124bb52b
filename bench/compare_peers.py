"""Driver of bench/compare-peers.sh (run that script, not this file).

Workloads, each measured `rounds` times (default 5) alternating engine and peers; the tables give the
median rate and the min-max over the rounds, and each ratio of medians with its range
min(engine)/max(peer) - max(engine)/min(peer):
  A  Monte Carlo bootstrap of the mean, percentile interval, pain reductions n = 6:
     resample bootstrap (1 thread and all cores) vs scipy.stats.bootstrap (vectorized) and
     R boot::boot. Rate: resamples per second.
  B  exact paired permutation (sign-flip) test of the mean, integer differences in [-10, 10],
     n = 5000: resample test --test signflip --method exact vs coin::symmetry_test
     (distribution = "exact"). Rate: exact tests per second.
  C  exact Wilcoxon signed-rank test (Pratt zeros), n = 1000 integers: resample test --test wilcoxon
     --method exact vs coin::wilcoxsign_test(distribution = "exact").
  D  Monte Carlo sign-flip test of the mean, same data: resample test --method mc vs
     scipy.stats.permutation_test(permutation_type = "samples", vectorized). Rate: patterns/s.
  E  Monte Carlo sign-flip test of the mean on real-valued differences (9 decimals in [-10, 10], on
     no lattice), n = 1000 and n = 5000: as D (1 thread and all cores vs scipy). Rate: patterns/s.
  F  studentized bootstrap of the median, n = 20 fixed real values: resample bootstrap --ci
     studentized --studentized-se nested (a nested bootstrap of 200 inside every resample), 1
     thread, vs R boot::boot with the same nested bootstrap variance inside the statistic and
     boot.ci(type = "stud"); beside it the engine's default se* for the median (order statistic,
     no inner bootstrap), not in the ratio. Rate: resamples/s.
Engine times are wall times of the whole process (start-up and CSV parsing included); peer times
are measured inside the interpreter around the call only (interpreter and package start-up
excluded), so the ratios are conservative for the engine.
"""

import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.environ["CP_ROOT"]
BUILD = os.environ["CP_BUILD"]
ROUNDS = int(os.environ.get("CP_ROUNDS", "5"))
SECONDS = float(os.environ.get("CP_SECONDS", "1.5"))
PYTHON = os.environ.get("CP_PYTHON", "")
RSCRIPT = os.environ.get("CP_RSCRIPT", "")
WRITE_DOCS = os.environ.get("CP_WRITE_DOCS") == "1"
SKIP_GBENCH = os.environ.get("CP_SKIP_GBENCH") == "1"
RESAMPLE = os.path.join(BUILD, "bin", "resample")
BENCH = os.path.join(BUILD, "bin", "resample_bench")
NPROC = os.cpu_count() or 1
PAIN = "2,9,8,10,6,4"
# F: 20 fixed real values (distinct, so the median's bootstrap distribution is not degenerate).
STUD20 = "3.42,-1.17,0.86,5.93,2.08,-0.54,4.71,1.39,6.25,-2.83,3.06,0.21,7.48,1.92,-0.97,2.67,4.15,0.63,5.31,1.74"
TARGETS = {"A": ("scipy.stats.bootstrap", 25.0), "B": ("coin::symmetry_test", 50.0)}


def log(message):
    print(message, file=sys.stderr, flush=True)


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run_engine(args):
    """Wall time of one engine process, and its JSON output."""
    start = time.perf_counter()
    out = subprocess.run([RESAMPLE] + args + ["--json"], check=True, capture_output=True, text=True)
    return time.perf_counter() - start, json.loads(out.stdout)


def scaled(measure, first):
    """Runs measure(size) at `first`, then at sizes scaled towards about SECONDS until a run takes
    at least a third of it (at most three more runs): a whole-process time includes fixed costs
    (start-up, reading the data, estimates), so one linear extrapolation from a short run falls
    short of the target, and the rate then measures the fixed costs more than the work."""
    seconds, extra = measure(first)
    size = first
    for _ in range(3):
        if seconds >= SECONDS / 3:
            break
        size = max(size, int(size * SECONDS / max(seconds, 1e-6)))
        seconds, extra = measure(size)
    return size, seconds, extra


# ---- peers -------------------------------------------------------------------------------------

SCIPY_BOOTSTRAP = r"""
import sys, time, numpy as np, scipy.stats as st
x = np.array([2, 9, 8, 10, 6, 4], dtype=float)
B = int(sys.argv[1])
rng = np.random.default_rng(20020)
t = time.perf_counter()
r = st.bootstrap((x,), np.mean, n_resamples=B, vectorized=True, method='percentile', batch=min(B, 1 << 20), random_state=rng)
print(time.perf_counter() - t, r.confidence_interval.low, r.confidence_interval.high)
"""

SCIPY_PERMUTATION = r"""
import sys, time, numpy as np, scipy.stats as st
d = np.loadtxt(sys.argv[2], skiprows=1)
B = int(sys.argv[1])
rng = np.random.default_rng(20021)
def mean(x, axis):
    return np.mean(x, axis=axis)
t = time.perf_counter()
r = st.permutation_test((d,), mean, permutation_type='samples', n_resamples=B, vectorized=True, batch=1000, random_state=rng)
print(time.perf_counter() - t, r.pvalue)
"""

R_BOOT = r"""
suppressMessages(library(boot))
args <- commandArgs(TRUE)
B <- as.integer(args[1])
x <- c(2, 9, 8, 10, 6, 4)
set.seed(20020)
t <- system.time(r <- boot(x, function(d, i) mean(d[i]), R = B))[["elapsed"]]
cat(t, quantile(r$t, c(0.025, 0.975)), "\n")
"""

# The engine's default se* for the median is a nested bootstrap of 200 (Monte Carlo at n = 20), so
# the statistic returns the same: the median and the variance of 200 inner bootstrap medians.
R_BOOT_STUD = r"""
suppressMessages(library(boot))
args <- commandArgs(TRUE)
B <- as.integer(args[1])
x <- as.numeric(strsplit(args[2], ",")[[1]])
set.seed(20020)
stat <- function(d, i) {
  y <- d[i]
  c(median(y), var(replicate(200, median(sample(y, replace = TRUE)))))
}
t <- system.time({r <- boot(x, stat, R = B); ci <- boot.ci(r, type = "stud")})[["elapsed"]]
cat(t, ci$student[4:5], "\n")
"""

R_COIN = r"""
suppressMessages(library(coin))
args <- commandArgs(TRUE)
d <- read.csv(args[2])$d
n <- length(d)
if (args[1] == "symmetry") {
  y <- c(d, rep(0, n)); g <- factor(rep(c("pre", "post"), each = n), levels = c("pre", "post"))
  b <- factor(rep(seq_len(n), 2))
  t <- system.time(r <- symmetry_test(y ~ g | b, distribution = "exact"))[["elapsed"]]
} else {
  pre <- d; post <- rep(0, n)
  t <- system.time(r <- wilcoxsign_test(pre ~ post, distribution = "exact", zero.method = "Pratt"))[["elapsed"]]
}
cat(t, pvalue(r), "\n")
"""


def short_error(e):
    if isinstance(e, subprocess.CalledProcessError):
        text = (e.stderr or "").strip().splitlines()
        return f"exit {e.returncode}: {text[-1][:160] if text else 'no message'}"
    return str(e)[:160]


def run_script(command, source, args):
    with tempfile.NamedTemporaryFile("w", suffix=".src", delete=False) as f:
        f.write(source)
        path = f.name
    try:
        out = subprocess.run(command + [path] + [str(a) for a in args], check=True, capture_output=True, text=True)
    finally:
        os.unlink(path)
    fields = out.stdout.split()
    return float(fields[0]), fields[1:]


def scipy_bootstrap(b):
    return run_script([PYTHON], SCIPY_BOOTSTRAP, [b])


def scipy_permutation(b, csv):
    return run_script([PYTHON], SCIPY_PERMUTATION, [b, csv])


def r_boot(b):
    return run_script([RSCRIPT], R_BOOT, [b])


def r_boot_stud(b):
    return run_script([RSCRIPT], R_BOOT_STUD, [b, STUD20])


def r_coin(kind, csv):
    return run_script([RSCRIPT], R_COIN, [kind, csv])


def r_has(package):
    if not RSCRIPT:
        return False
    return subprocess.run([RSCRIPT, "-e", f"suppressMessages(library({package}))"], capture_output=True).returncode == 0


# ---- workloads ---------------------------------------------------------------------------------

def summarize(samples):
    """(median, min, max, rounds) of the rates of one tool; Nones if it was never measured."""
    if not samples:
        return None, None, None, 0
    return statistics.median(samples), min(samples), max(samples), len(samples)


def measure_all(tools):
    """tools: list of (label, first_size, measure(size) -> (seconds, extra)).
    Alternates the tools round by round; returns {label: (median rate, size, extra, min rate,
    max rate, rounds measured)}."""
    sizes = {}
    rates = {label: [] for label, *_ in tools}
    extras = {}
    for r in range(ROUNDS):
        for label, first, measure in tools:
            try:
                if label not in sizes:
                    size, seconds, extra = scaled(measure, first)
                    sizes[label] = size
                else:
                    size = sizes[label]
                    seconds, extra = measure(size)
                rates[label].append(size / seconds)
                extras[label] = extra
                log(f"  round {r + 1}: {label}: {size} in {seconds:.4g} s")
            except Exception as e:  # a peer that fails is reported, not fatal
                log(f"  {label}: failed: {short_error(e)}")
                extras[label] = f"failed: {short_error(e)}"
    results = {}
    for label, *_ in tools:
        median, low, high, count = summarize(rates[label])
        results[label] = (median, sizes.get(label), extras.get(label), low, high, count)
    return results


def write_csv(path, n, value, seed=5000):
    # A fixed linear congruential sequence (no numpy needed); value(state) gives one difference.
    state = seed
    with open(path, "w") as f:
        f.write("d\n")
        for _ in range(n):
            state = (6364136223846793005 * state + 1442695040888963407) % (1 << 64)
            f.write(f"{value(state)}\n")


def write_integer_csv(path, n=5000, seed=5000):
    # Integers in [-10, 10].
    write_csv(path, n, lambda state: (state >> 33) % 21 - 10, seed)


def write_real_csv(path, n, seed=5000):
    # Real values in [-10, 10) with 9 decimals: a step of 1e-9 over a range of 20 is no lattice the
    # engine can use (its lattice DP wants a denominator <= 1000), so E times the real-valued Monte
    # Carlo path, not the integer one of D.
    write_csv(path, n, lambda state: f"{(state >> 11) / 2**53 * 20 - 10:.9f}", seed)


def main():
    if ROUNDS < 1:
        log(f"compare-peers: --rounds must be at least 1 (CP_ROUNDS = {ROUNDS})")
        sys.exit(2)
    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = loadavg()
    rows = []  # (workload, tool, n, (median rate, min, max, rounds), unit, detail)
    ratios = []  # (workload, n, engine label, peer label, ratio of medians, min ratio, max ratio, target)
    have_scipy = bool(PYTHON)
    have_boot, have_coin = r_has("boot"), r_has("coin")
    for name, present, package in (("scipy", have_scipy, "python3-scipy"), ("R boot", have_boot, "r-cran-boot"),
                                   ("R coin", have_coin, "r-cran-coin")):
        if not present:
            log(f"compare-peers: {name} not available ({package}); skipped")

    # A: Monte Carlo bootstrap of the mean at n = 6.
    log("A: Monte Carlo bootstrap of the mean, n = 6")

    def engine_bootstrap(threads):
        def measure(b):
            seconds, j = run_engine(["bootstrap", "--values", PAIN, "--method", "mc", "--resamples", str(b),
                                     "--ci", "percentile", "--threads", str(threads)])
            return seconds, [j["intervals"][0]["lower"], j["intervals"][0]["upper"]]
        return measure

    tools = [("resample, 1 thread", 1 << 22, engine_bootstrap(1))]
    if NPROC > 1:
        tools.append((f"resample, {NPROC} threads", 1 << 22, engine_bootstrap(NPROC)))
    if have_scipy:
        tools.append(("scipy.stats.bootstrap", 1 << 16, scipy_bootstrap))
    if have_boot:
        tools.append(("R boot::boot", 2000, r_boot))
    a = measure_all(tools)
    for label, (rate, size, extra, low, high, count) in a.items():
        rows.append(("A", label, 6, (rate, low, high, count), "resamples/s", f"B = {size}; percentile interval {extra}"))

    # B, C, D on one integer data set.
    tmp = tempfile.mkdtemp(prefix="compare-peers-")
    csv = os.path.join(tmp, "integers.csv")
    write_integer_csv(csv)

    def engine_test(test, extra_args, data=csv):
        def measure(_):
            seconds, j = run_engine(["test", "--data", data, "--column", "d", "--test", test] + extra_args)
            return seconds, [j["endpoints"][0]["tests"][0]["p_value"], j["endpoints"][0]["tests"][0]["method"]]
        return measure

    log("B: exact sign-flip test, n = 5000")
    tools = [("resample, signflip exact", 1, engine_test("signflip", ["--method", "exact", "--threads", "1"]))]
    if have_coin:
        tools.append(("coin::symmetry_test", 1, lambda _: r_coin("symmetry", csv)))
    b = measure_all_exact(tools)
    for label, (rate, size, extra, low, high, count) in b.items():
        rows.append(("B", label, 5000, (rate, low, high, count), "tests/s", f"p = {extra[0] if isinstance(extra, list) else extra}; {size} call(s)"))

    # C at n = 1000, where coin's exact test finishes in about a second per call; the engine's
    # n = 5000 time (exact by inversion) is in the Google Benchmark suite (ExactWilcoxon).
    log("C: exact Wilcoxon signed-rank test, n = 1000")
    csv_c = os.path.join(tmp, "integers1000.csv")
    write_integer_csv(csv_c, n=1000)
    tools = [("resample, wilcoxon exact", 1, engine_test("wilcoxon", ["--method", "exact", "--threads", "1"], csv_c))]
    if have_coin:
        tools.append(("coin::wilcoxsign_test", 1, lambda _: r_coin("wilcoxon", csv_c)))
    c = measure_all_exact(tools)
    for label, (rate, size, extra, low, high, count) in c.items():
        rows.append(("C", label, 1000, (rate, low, high, count), "tests/s", f"p = {extra[0] if isinstance(extra, list) else extra}; {size} call(s)"))

    log("D: Monte Carlo sign-flip test, n = 5000")

    def engine_mc(threads, data=csv):
        def measure(bb):
            seconds, j = run_engine(["test", "--data", data, "--column", "d", "--test", "signflip", "--method", "mc",
                                     "--resamples", str(bb), "--threads", str(threads)])
            return seconds, [j["endpoints"][0]["tests"][0]["p_value"]]
        return measure

    tools = [("resample, 1 thread", 1 << 14, engine_mc(1))]
    if NPROC > 1:
        tools.append((f"resample, {NPROC} threads", 1 << 14, engine_mc(NPROC)))
    if have_scipy:
        tools.append(("scipy.stats.permutation_test", 2000, lambda bb: scipy_permutation(bb, csv)))
    dd = measure_all(tools)
    for label, (rate, size, extra, low, high, count) in dd.items():
        rows.append(("D", label, 5000, (rate, low, high, count), "patterns/s",
                     f"B = {size}; p = {extra[0] if isinstance(extra, list) else extra}"))

    # E: as D on real-valued differences, at two n (the engine's cost per pattern grows with n).
    ee = {}
    for n in (1000, 5000):
        log(f"E: Monte Carlo sign-flip test, real-valued, n = {n}")
        csv_e = os.path.join(tmp, f"real{n}.csv")
        write_real_csv(csv_e, n)
        tools = [("resample, 1 thread", 1 << 14, engine_mc(1, csv_e))]
        if NPROC > 1:
            tools.append((f"resample, {NPROC} threads", 1 << 14, engine_mc(NPROC, csv_e)))
        if have_scipy:
            tools.append(("scipy.stats.permutation_test", 2000, lambda bb, path=csv_e: scipy_permutation(bb, path)))
        ee[n] = measure_all(tools)
        for label, (rate, size, extra, low, high, count) in ee[n].items():
            rows.append(("E", label, n, (rate, low, high, count), "patterns/s",
                         f"B = {size}; p = {extra[0] if isinstance(extra, list) else extra}"))

    log("F: studentized bootstrap of the median, n = 20")

    # Like with like: R's statistic returns a nested bootstrap variance, so the engine row that the
    # ratio uses takes the nested se* too; the default se* of the median (order statistic, no
    # inner bootstrap) is shown beside it.
    def engine_stud(se):
        def measure(b):
            seconds, j = run_engine(["bootstrap", "--values", STUD20, "--stat", "median", "--method", "mc",
                                     "--resamples", str(b), "--ci", "studentized", "--studentized-se", se,
                                     "--threads", "1"])
            return seconds, [j["intervals"][0]["lower"], j["intervals"][0]["upper"]]
        return measure

    tools = [("resample, 1 thread", 1 << 10, engine_stud("nested")),
             ("resample, 1 thread, default se* (order statistic)", 1 << 14, engine_stud("auto"))]
    if have_boot:
        tools.append(("R boot::boot", 200, r_boot_stud))
    ff = measure_all(tools)
    for label, (rate, size, extra, low, high, count) in ff.items():
        rows.append(("F", label, 20, (rate, low, high, count), "resamples/s",
                     f"B = {size}; studentized interval {extra}"))

    def ratio(results, engine, peer, workload, n, target=None):
        if engine in results and peer in results and results[engine][0] and results[peer][0]:
            en, pe = results[engine], results[peer]
            # The range pairs the engine's slowest round with the peer's fastest and vice versa.
            ratios.append((workload, n, engine, peer, en[0] / pe[0], en[3] / pe[4], en[4] / pe[3], target))

    all_threads = f"resample, {NPROC} threads" if NPROC > 1 else "resample, 1 thread"
    ratio(a, all_threads, "scipy.stats.bootstrap", "A", 6, 25.0)
    ratio(a, "resample, 1 thread", "scipy.stats.bootstrap", "A", 6)
    ratio(a, all_threads, "R boot::boot", "A", 6)
    ratio(b, "resample, signflip exact", "coin::symmetry_test", "B", 5000, 50.0)
    ratio(c, "resample, wilcoxon exact", "coin::wilcoxsign_test", "C", 1000)
    ratio(dd, all_threads, "scipy.stats.permutation_test", "D", 5000)
    ratio(dd, "resample, 1 thread", "scipy.stats.permutation_test", "D", 5000)
    for n in (1000, 5000):
        ratio(ee[n], all_threads, "scipy.stats.permutation_test", "E", n)
        ratio(ee[n], "resample, 1 thread", "scipy.stats.permutation_test", "E", n)
    ratio(ff, "resample, 1 thread", "R boot::boot", "F", 20)

    load_after = loadavg()
    names = {"A": "Monte Carlo bootstrap, mean, percentile (pain data)",
             "B": "exact sign-flip test, mean, integers in [-10, 10]",
             "C": "exact Wilcoxon signed-rank (Pratt), integers in [-10, 10]",
             "D": "Monte Carlo sign-flip test, mean, integers in [-10, 10]",
             "E": "Monte Carlo sign-flip test, mean, real-valued",
             "F": "studentized bootstrap of the median, n = 20"}
    lines = ["| workload | tool | n | rate: median (min–max) | rounds | unit | detail |",
             "|---|---|---:|---:|---:|---|---|"]
    for w, label, n, (rate, low, high, count), unit, detail in rows:
        cell = "-" if rate is None else f"{fmt(rate)} ({fmt(low)}–{fmt(high)})"
        lines.append(f"| {w}: {names[w]} | {label} | {n} | {cell} | {count} | {unit} | {detail} |")
    lines += ["", "| workload | engine | peer | ratio (engine rate / peer rate, medians) | range | target | met |",
              "|---|---|---|---:|---:|---:|---|"]
    # A workload measured at several n (E) names the n of each ratio.
    several_n = {w for w, *_ in ratios if len({x[1] for x in ratios if x[0] == w}) > 1}
    for w, n, engine, peer, r, low, high, target in ratios:
        met = "" if target is None else ("yes" if r >= target else "**no**")
        where = f"{w}, n = {n}" if w in several_n else w
        lines.append(f"| {where} | {engine} | {peer} | {r:.1f}x | {low:.1f}x–{high:.1f}x | "
                     f"{'' if target is None else f'{target:.0f}x'} | {met} |")
    missing = [f"{w}: {peer} not measured" for w, (peer, _) in TARGETS.items()
               if not any(x[0] == w and x[3] == peer for x in ratios)]
    table = "\n".join(lines)
    # README-ready sentences, one per measured ratio with a target, plus the other peers.
    summary = []
    for w, n, engine, peer, r, low, high, target in ratios:
        verdict = "" if target is None else (f"; target {target:.0f}x: met" if r >= target
                                             else f"; target {target:.0f}x: **missed**")
        # F's name already carries its n.
        at = "" if w == "F" else f", n = {n}"
        summary.append(f"- {names[w]}{at}: {engine} is {r:.1f}x {peer} (range {low:.1f}x–{high:.1f}x{verdict}).")
    summary = "\n".join(summary)
    machine = (f"Machine: {NPROC} cores (nproc), {cpu_model()}; run {started.strftime('%Y-%m-%d %H:%M UTC')}; "
               f"load average before {load_before}, after {load_after}; median rate and min–max over {ROUNDS} "
               f"alternating rounds.")
    print(machine)
    print()
    print(table)
    for m in missing:
        print(f"\nnot measured: {m}")
    print()
    print(summary)
    if WRITE_DOCS:
        write_docs(machine, table, missing, summary)


def measure_all_exact(tools):
    """Exact tests: one call per round, alternating; rate = 1 / median seconds, min and max = 1 / the
    slowest and the fastest call. A tool whose first call takes over 20 s is measured once (the
    detail column says how many calls). Returns the same tuples as measure_all, size = calls."""
    seconds = {label: [] for label, *_ in tools}
    extras = {}
    failed = set()
    for r in range(ROUNDS):
        for label, _, measure in tools:
            if (seconds[label] and seconds[label][0] > 20.0) or label in failed:
                continue  # a call of minutes (coin at n = 5000) or a failure is not repeated
            try:
                s, extra = measure(1)
                seconds[label].append(s)
                extras[label] = extra
                log(f"  round {r + 1}: {label}: {s:.4g} s")
            except Exception as e:
                failed.add(label)
                log(f"  {label}: failed: {short_error(e)}")
                extras[label] = f"failed: {short_error(e)}"
    return {label: ((1.0 / statistics.median(s)) if s else None, len(s), extras.get(label),
                    (1.0 / max(s)) if s else None, (1.0 / min(s)) if s else None, len(s))
            for label, s in seconds.items()}


def fmt(rate):
    if rate is None:
        return "-"
    if rate >= 1e6:
        return f"{rate / 1e6:.3g} M"
    if rate >= 1e3:
        return f"{rate / 1e3:.3g} k"
    return f"{rate:.3g}"


# ---- Google Benchmark rates --------------------------------------------------------------------

GBENCH_FILTER = ("MonteCarloBootstrap|ExactEnumeration|ExactConvolution|SignFlipGrayCode|MeetInTheMiddle|LatticeDP|"
                 "ExactWilcoxon|ThreadScaling|Limit|BM_BootstrapMonteCarloMeanPain|BM_InferenceSignFlipLattice")


def gbench():
    out = os.path.join(tempfile.mkdtemp(prefix="compare-peers-gbench-"), "bench.json")
    log("Google Benchmark families (" + GBENCH_FILTER + ")")
    subprocess.run([BENCH, f"--benchmark_filter={GBENCH_FILTER}", "--benchmark_min_time=0.2",
                    "--benchmark_format=console", f"--benchmark_out={out}", "--benchmark_out_format=json"],
                   check=True, stdout=sys.stderr)
    with open(out) as f:
        return json.load(f)


def gbench_table(data):
    lines = ["| benchmark | items/s | wall ms/iteration | extra counters | label |", "|---|---:|---:|---|---|"]
    limits = {}
    for b in data["benchmarks"]:
        if b.get("error_occurred"):
            lines.append(f"| {b['name']} | - | - | skipped: {b.get('error_message', '')} | |")
            continue
        rate = b.get("items_per_second")
        m = re.match(r"BM_LimitResampleSum(Digits)?/(\d+)$", b["name"])
        if m and rate:
            limits[(m.group(1) or "lemire", int(m.group(2)))] = rate
        counters = ", ".join(f"{k} {fmt(v)}" for k, v in b.items()
                             if k in ("tests_per_second", "exact_per_second", "draws_per_second"))
        ms = b["real_time"] * {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b["time_unit"]]
        lines.append(f"| {b['name']} | {fmt(rate)} | {ms:.3g} | {counters} | {b.get('label', '')} |")
    eff = ["| path (mean, 1 thread) | n | engine resamples/s | limit: Lemire draws | engine / limit | "
           "limit: digit chains | engine / limit |", "|---|---:|---:|---:|---:|---:|---:|"]
    for b in data["benchmarks"]:
        m = re.match(r"BM_MonteCarloBootstrapMean/(\d+)/(\d)/process_time$", b["name"])
        if m and b.get("items_per_second"):
            n = int(m.group(1))
            kind = "ordinal" if m.group(2) == "1" else "real-valued"
            rate = b["items_per_second"]
            cells = []
            for key in ("lemire", "Digits"):
                limit = limits.get((key, n))
                cells += [fmt(limit), f"{rate / limit:.2f}" if limit else "-"]
            eff.append(f"| {kind} | {n} | {fmt(rate)} | " + " | ".join(cells) + " |")
    return "\n".join(lines), "\n".join(eff)


def write_docs(machine, table, missing, summary):
    gb_machine, gb_table, gb_eff = "", "(not run: --skip-gbench)", ""
    if not SKIP_GBENCH:
        load_before = loadavg()
        data = gbench()
        ctx = data.get("context", {})
        gb_machine = (f"Google Benchmark {ctx.get('library_version', '')}, {ctx.get('num_cpus', '?')} CPUs at "
                      f"{ctx.get('mhz_per_cpu', '?')} MHz (the Debian benchmark library reports build type "
                      f"{ctx.get('library_build_type', '?')}; the engine and the benchmarks are built Release); "
                      f"load average before {load_before}, after {loadavg()}; --benchmark_min_time=0.2.")
        gb_table, gb_eff = gbench_table(data)
    path = os.path.join(ROOT, "docs", "performance.md")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    text = f"""# Performance

Generated by `bench/compare-peers.sh --write-docs`; do not edit by hand (rerun the script).
The machine is shared by several engineers: load averages above the core count mean other jobs
(compilers) ran at the same time and depress every rate in proportion; rerun on a quiet machine
for clean numbers.

{machine}

## Summary (README-ready)

{summary}

## Peer comparison

The same workload in this engine and in its peers, alternating engine and peer in one run. Engine
times are wall times of the whole `resample` process (start-up and parsing included); peer times
are measured inside Python or R around the call only, so the ratios are conservative for the
engine. scipy and R are single-threaded; the engine is shown at 1 thread and at all cores.
Targets (issues 3 and 4): Monte Carlo bootstrap of the mean at n = 6 at least 25x
scipy.stats.bootstrap; exact paired permutation test on integer data at n = 5000 at least 50x
R coin.

{table}
{"".join(chr(10) + "Not measured: " + m for m in missing)}

## Benchmark families (Google Benchmark)

{gb_machine}

Families and filters (`build/bin/resample_bench --benchmark_filter=NAME`): MonteCarloBootstrap
(resamples/s; args n, ordinal), ExactEnumeration (compositions/s), ExactConvolution
(multiply-adds/s), SignFlipGrayCode and MeetInTheMiddle (sign patterns/s), LatticeDP and
ExactWilcoxon (DP additions/s, plus tests/s), ThreadScaling (1, 2, all cores), Limit (raw Philox
words, and n bounded draws summed per resample: the cheapest loop that could do a bootstrap of the
mean).

### Efficiency against the limit

Engine Monte Carlo rate (per process CPU second, one thread) divided by the limit loops (per CPU
second): n index draws summed per resample, by Lemire's bounded draw or by the engine's digit
chains. Ordinal data take the histogram paths, which draw multinomial counts instead of n indices
and so can beat an index-drawing limit by far at large n.

{gb_eff}

### All rates

{gb_table}

## resample plan

`resample plan` measures the exact path (on prefixes of the data, scaled by the engine's work
count) and the Monte Carlo path (growing B until a run is long enough to time) on the machine it
runs on; its predictions carry the same load caveat as the tables above.
"""
    with open(path, "w") as f:
        f.write(text)
    log(f"wrote {path}")


if __name__ == "__main__":
    main()
