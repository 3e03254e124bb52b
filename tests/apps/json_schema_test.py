#!/usr/bin/env python3
"""Runs the real binary for every command and mode and validates each JSON output against its
schema in docs/schema/ (docs/json.md). Also checks the contract the schemas cannot say alone:
counts are integers (never 462.0), and --format csv gives one header and one row per item.

usage: json_schema_test.py RESAMPLE_BINARY REPO_ROOT
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

try:  # optional: when Debian's python3-pandas is installed, CSV and TSV must read with it too
    import pandas
except ImportError:
    pandas = None

BINARY, ROOT = sys.argv[1], sys.argv[2]
SCHEMAS = {}
for name in ("bootstrap", "test", "ordinal", "power", "coverage", "plan", "report", "batch-line"):
    with open(os.path.join(ROOT, "docs", "schema", f"{name}.schema.json")) as f:
        SCHEMAS[name] = json.load(f)
        jsonschema.Draft202012Validator.check_schema(SCHEMAS[name])

# Keys whose values are counts wherever they appear (integers or null, never floats).
COUNT_KEYS = {"resamples", "compositions_visited", "dropped_zero_se", "trials", "n", "n_nonzero", "covered",
              "undefined", "rejections", "inexact_trials", "undefined_trials", "successes", "first_resamples",
              "pilot_resamples", "calibration_resamples", "schema_version", "threads", "seed",
              "required_n", "n_low", "n_high", "patient_left_out"}

failures = []


def check_counts(value, path="$"):
    if isinstance(value, dict):
        for k, v in value.items():
            if k in COUNT_KEYS and isinstance(v, float):
                failures.append(f"{path}.{k} is a float ({v}), expected an integer count")
            check_counts(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            check_counts(v, f"{path}[{i}]")


def run(args):
    p = subprocess.run([BINARY, *args], cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        failures.append(f"{' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
        return None
    return p.stdout


def validate(schema, document, label):
    errors = sorted(jsonschema.Draft202012Validator(SCHEMAS[schema]).iter_errors(document), key=str)
    for e in errors[:5]:
        failures.append(f"{label}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    check_counts(document)


def check_json(args):
    out = run([*args, "--format", "json"])
    if out is None:
        return None
    document = json.loads(out)
    validate(args[0], document, " ".join(args))
    # --json is the alias of --format json.
    alias = run([*args, "--json"])
    if alias is not None and json.loads(alias).keys() != document.keys():
        failures.append(f"{' '.join(args)}: --json and --format json differ")
    return document


V6 = ["--values", "2,9,8,10,6,4"]
V12 = ["--values", "2,9,8,10,6,4,3,1,5,7,2,8"]
TABLE = ["--data", "data/gaughen2002_table1.csv"]
STUDY = ["--study", "tests/data/study/trial.json"]  # IDs, missing values, higher-is-better
CASES = [
    ["bootstrap", *V6],                                                       # exact enumeration
    ["bootstrap", *V6, "--stat", "median", "--ci", "percentile,calibrated"],
    ["bootstrap", *V12, "--method", "mc", "--resamples", "2000"],             # Monte Carlo
    ["bootstrap", "--values", "5,5,5,5"],                                     # refused intervals
    ["bootstrap", "--values", "5,5,5,5", "--stat", "sd", "--ci", "studentized,bca"],
    ["test", *V6],                                                            # exact
    ["test", *V6, "--mid-p"],
    ["test", *V12, "--method", "mc", "--resamples", "2000"],                  # Monte Carlo
    ["test", "--values", "5,5,5,5", "--test", "t,sign"],                      # undefined t statistic
    ["test", *TABLE, "--pre", "repeat_pain_pre", "--post", "repeat_pain_post",
     "--pre", "repeat_mobility_pre", "--post", "repeat_mobility_post"],       # several endpoints
    ["test", *V6, "--improved-by", "3", "--proportion", "4/4"],
    ["test", *STUDY],                                                         # patients left out
    ["ordinal", *TABLE, "--pre", "repeat_mobility_pre", "--post", "repeat_mobility_post",
     "--dichotomize", "1"],                                                   # exact, McNemar
    ["ordinal", *TABLE, "--pre", "repeat_pain_pre", "--post", "repeat_pain_post", "--method", "mc",
     "--resamples", "2000"],                                                  # Monte Carlo
    ["bootstrap", *STUDY, "--endpoint", "function", "--where", "arm=B"],
    ["plan", *STUDY, "--endpoint", "pain", "--ci", "bca", "--precision", "0.05"],
    ["power", *V6, "--n", "6:10:2", "--trials", "100"],
    ["power", *V6, "--n", "6:10:2", "--trials", "100", "--test", "wilcoxon", "--target-power", "0.5"],
    ["power", "--model", "discrete", "--distribution", "-1:0.2,1:0.8", "--n", "8", "--trials", "100"],
    ["power", *V6, "--n", "6,8", "--trials", "50", "--test", "wilcoxon,t", "--target-power", "0.99"],
    ["power", *V6, "--n", "6", "--trials", "50", "--test", "all"],
    ["coverage", *V6, "--n", "6", "--trials", "50"],
    ["coverage", *STUDY, "--endpoint", "pain", "--n", "6", "--trials", "20", "--ci", "percentile"],
    ["coverage", *V6, "--n", "5:7", "--trials", "20", "--exact-max-n", "6", "--resamples", "100",
     "--ci", "percentile,t"],                                                 # exact and MC per n
    ["plan", *V6, "--ci", "bca", "--precision", "0.05"],
    ["plan", *V12, "--test", "signflip", "--precision", "0.001"],
    ["report"],
]

documents = {}
for args in CASES:
    documents[" ".join(args)] = check_json(args)

# Monte Carlo test: the seed is a field of the result, not only words in a note.
mc = documents.get(" ".join(["test", *V12, "--method", "mc", "--resamples", "2000"]))
if mc:
    seeds = [t["seed"] for e in mc["endpoints"] for t in e["tests"] if t["mc_se"] is not None]
    if not seeds or any(s != mc["seed"] for s in seeds):
        failures.append(f"Monte Carlo test results carry seeds {seeds}, expected the run's seed {mc['seed']}")
# Exact bootstrap: the Monte Carlo keys are there, as null.
exact = documents.get(" ".join(["bootstrap", *V6]))
if exact and any(i["mc_se_lower"] is not None for i in exact["intervals"]):
    failures.append("an exact bootstrap interval has a Monte Carlo SE")

# --format csv: a header and one row per item.
rows_per_item = {
    ("bootstrap", *V6): lambda d: len(d["intervals"]),
    ("test", *V6): lambda d: sum(len(e["tests"]) for e in d["endpoints"]),
    ("power", *V6, "--n", "6:10:2", "--trials", "100"): lambda d: len(d["points"]),
    ("power", *V6, "--n", "6,8", "--trials", "50", "--test", "wilcoxon,t", "--target-power", "0.99"):
        lambda d: len(d["points"]),
    ("coverage", *V6, "--n", "6", "--trials", "50"): lambda d: len(d["methods"]),
    ("coverage", *V6, "--n", "5:7", "--trials", "20", "--exact-max-n", "6", "--resamples", "100",
     "--ci", "percentile,t"): lambda d: len(d["methods"]),
    ("plan", *V6, "--ci", "bca", "--precision", "0.05"): lambda d: 2,
    ("report",): lambda d: len(d["effects"]),
    ("test", *STUDY): lambda d: sum(len(e["tests"]) for e in d["endpoints"]),
}
for args, count in rows_per_item.items():
    document = documents.get(" ".join(args))
    out = run([*args, "--format", "csv"])
    if out is None or document is None:
        continue
    rows = list(csv.reader(io.StringIO(out, newline="")))
    if len(rows) != 1 + count(document) or len({len(r) for r in rows}) != 1:
        failures.append(f"{' '.join(args)} --format csv: {len(rows)} rows, expected 1 + {count(document)}")
    # --format tsv: the same cells, tab-separated (read.delim, pandas sep="\t").
    # (plan's cells hold timings measured anew by each run: there only the shape must agree.)
    tsv = run([*args, "--format", "tsv"])
    tsv_rows = None if tsv is None else list(csv.reader(io.StringIO(tsv, newline=""), delimiter="\t"))
    same = (lambda a, b: [len(r) for r in a] == [len(r) for r in b]) if args[0] == "plan" else (lambda a, b: a == b)
    if tsv_rows is not None and not same(tsv_rows, rows):
        failures.append(f"{' '.join(args)} --format tsv: cells differ from --format csv")
    if pandas is not None and tsv is not None:
        from_csv = pandas.read_csv(io.StringIO(out), keep_default_na=False, dtype=str)
        from_tsv = pandas.read_csv(io.StringIO(tsv), sep="\t", keep_default_na=False, dtype=str)
        if from_csv.shape != (count(document), len(rows[0])) or from_csv.shape != from_tsv.shape or (
                args[0] != "plan" and not from_csv.equals(from_tsv)):
            failures.append(f"{' '.join(args)}: pandas reads {from_csv.shape} from csv, expected "
                            f"({count(document)}, {len(rows[0])}), or tsv differs")
    markdown = run([*args, "--format", "markdown"])
    if markdown is not None and not markdown.startswith("|") and args[0] != "report":
        failures.append(f"{' '.join(args)} --format markdown: not a pipe table")

# A batch file: every line against the line schema, every result against its command's schema.
with tempfile.TemporaryDirectory() as tmp:
    jobs = {"jobs": [
        {"id": "b", "command": "bootstrap", "values": [2, 9, 8, 10, 6, 4]},
        {"id": "bmc", "command": "bootstrap", "values": [2, 9, 8, 10, 6, 4], "method": "mc", "resamples": 500},
        {"id": "t", "command": "test", "values": [2, 9, 8, 10, 6, 4]},
        {"id": "p", "command": "power", "values": [2, 9, 8, 10, 6, 4], "n": "6", "trials": 50},
        {"id": "c", "command": "coverage", "values": [2, 9, 8, 10, 6, 4], "n": 6, "trials": 20},
        {"id": "pg", "command": "power", "values": [2, 9, 8, 10, 6, 4], "n": [6, 8], "test": ["sign", "t"],
         "trials": 20},
        {"id": "cg", "command": "coverage", "values": [2, 9, 8, 10, 6, 4], "n": "5,6", "ci": "percentile",
         "trials": 20},
        {"id": "bad", "command": "bootstrap", "values": [1]},
    ]}
    path = os.path.join(tmp, "jobs.json")
    with open(path, "w") as f:
        json.dump(jobs, f)
    results = os.path.join(tmp, "results.jsonl")
    p = subprocess.run([BINARY, "batch", path, "--out", results], cwd=ROOT, capture_output=True, text=True)
    lines = [json.loads(l) for l in open(results)] if os.path.exists(results) else []
    if len(lines) != len(jobs["jobs"]):
        failures.append(f"batch: {len(lines)} lines for {len(jobs['jobs'])} jobs (exit {p.returncode}: {p.stderr})")
    for line in lines:
        validate("batch-line", line, f"batch line {line.get('id')}")
        if line.get("status") == "ok":
            validate(line["command"], line["result"], f"batch result {line['id']}")
    if not any(l.get("status") == "error" for l in lines):
        failures.append("batch: the failing job has no error line")
    # Job files take the same grids as the command line: n and test as lists or comma text.
    by_id = {l.get("id"): l for l in lines}
    grids = {"pg": lambda r: len(r["points"]) == 4 and r["tests"] == ["sign", "t"],
             "cg": lambda r: r["sizes"] == [5, 6] and len(r["methods"]) == 2}
    for job, ok in grids.items():
        line = by_id.get(job, {})
        if line.get("status") != "ok" or not ok(line["result"]):
            failures.append(f"batch grid job {job}: {line.get('error') or 'unexpected result'}")

for f in failures:
    print("FAIL", f)
print(f"{len(CASES)} commands validated; {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
