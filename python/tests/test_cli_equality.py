"""Every function against the command line's JSON on the same inputs: the numbers must be equal,
not close (both run the same engine, and to_dict() is the CLI's serializer)."""

import numpy as np
import pytest

import pairedresample as pr
from conftest import generated_inputs, run_cli, values_option

# Keys the command adds around a result (docs/json.md's envelope), not part of the result itself.
BOOTSTRAP_ENVELOPE = {"schema_version", "engine_version", "command", "seed", "threads", "input", "endpoint", "level"}

INPUTS = generated_inputs(24, seed=19)


def assert_same(python, cli, extra_cli_keys=("confidence_set",)):
    assert set(cli) - set(python) == set(extra_cli_keys)
    assert set(python) <= set(cli)
    for key in python:
        assert python[key] == cli[key], key


def cli_test(values, tests, *options):
    j = run_cli("test", values_option(values), "--test", tests, *options)
    return j["endpoints"][0]


@pytest.mark.parametrize("i", range(len(INPUTS)))
def test_bootstrap_exact(i):
    x = INPUTS[i]
    stat = ["mean", "median", "trimmed:0.2", "hl"][i % 4]
    r = pr.bootstrap(x, statistic=stat, ci=("percentile", "bca", "basic"), level=0.9)
    cli = run_cli("bootstrap", values_option(x), "--stat", stat, "--ci", "percentile,bca,basic", "--conf", "0.9")
    assert_same(r.to_dict(), cli, BOOTSTRAP_ENVELOPE)
    assert r.mode == "exact" == cli["mode"]
    assert r.estimate == cli["estimate"]
    # The attributes read the same numbers, null as NaN.
    for mine, theirs in zip(r.intervals, cli["intervals"]):
        for key in ("lower", "upper"):
            value = getattr(mine, key)
            assert value != value if theirs[key] is None else value == theirs[key]


@pytest.mark.parametrize("i", range(len(INPUTS)))
def test_bootstrap_monte_carlo(i):
    x = INPUTS[i]
    stat = ["mean", "median", "sd"][i % 3]
    seed = 1000 + i
    r = pr.bootstrap(x, statistic=stat, method="mc", ci="percentile,normal,bca", resamples=2000, seed=seed)
    cli = run_cli("bootstrap", values_option(x), "--stat", stat, "--method", "mc", "--ci", "percentile,normal,bca",
                  "--resamples", "2000", "--seed", str(seed))
    assert_same(r.to_dict(), cli, BOOTSTRAP_ENVELOPE)
    assert r.mode == "monte-carlo"
    assert r.distribution.weights.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("i", range(len(INPUTS)))
def test_sign_flip_exact(i):
    x = INPUTS[i]
    stat = ["mean", "median", "prop_ge:2"][i % 3]
    alt = ["two-sided", "greater", "less"][i % 3]
    r = pr.sign_flip_test(x, statistic=stat, alternative=alt)
    cli = cli_test(x, "signflip", "--stat", stat, "--alternative", alt)["tests"][0]
    assert_same(r.to_dict(), cli, {"endpoint", "confidence_set"})
    assert r.exact and r.pvalue == cli["p_value"]


@pytest.mark.parametrize("i", range(len(INPUTS)))
def test_sign_flip_monte_carlo(i):
    x = INPUTS[i]
    seed = 77 + i
    r = pr.sign_flip_test(x, method="mc", resamples=3000, seed=seed, threads=1 + i % 2)
    cli = cli_test(x, "signflip", "--method", "mc", "--resamples", "3000", "--seed", str(seed))["tests"][0]
    assert_same(r.to_dict(), cli, {"endpoint", "confidence_set"})
    assert not r.exact and r.mc_se > 0


@pytest.mark.parametrize("i", range(len(INPUTS)))
def test_sign_test(i):
    x = INPUTS[i]
    alt = ["two-sided", "greater", "less"][i % 3]
    r = pr.sign_test(x, alternative=alt, mid_p=bool(i % 2))
    options = ["--alternative", alt] + (["--mid-p"] if i % 2 else [])
    cli = cli_test(x, "sign", *options)["tests"][0]
    assert_same(r.to_dict(), cli, {"endpoint", "confidence_set"})


@pytest.mark.parametrize("i", range(len(INPUTS)))
def test_wilcoxon(i):
    x = INPUTS[i]
    zeros = ["pratt", "wilcox"][i % 2]
    alt = ["two-sided", "greater", "less"][i % 3]
    method = ["auto", "exact", "approx"][i % 3]
    r = pr.wilcoxon(x, zero_method=zeros, alternative=alt, method=method)
    cli = cli_test(x, "wilcoxon", "--zero-method", zeros, "--alternative", alt, "--method", method)["tests"][0]
    assert_same(r.to_dict(), cli, {"endpoint", "confidence_set"})


@pytest.mark.parametrize("i", range(len(INPUTS)))
def test_wilcoxon_monte_carlo(i):
    x = INPUTS[i]
    r = pr.wilcoxon(x, method="mc", resamples=2000, seed=5 + i)
    cli = cli_test(x, "wilcoxon", "--method", "mc", "--resamples", "2000", "--seed", str(5 + i))["tests"][0]
    assert_same(r.to_dict(), cli, {"endpoint", "confidence_set"})


@pytest.mark.parametrize("i", range(len(INPUTS)))
def test_t_test(i):
    x = INPUTS[i]
    alt = ["two-sided", "greater", "less"][i % 3]
    r = pr.t_test(x, alternative=alt)
    cli = cli_test(x, "t", "--alternative", alt)["tests"][0]
    assert_same(r.to_dict(), cli, {"endpoint", "confidence_set"})


@pytest.mark.parametrize("i", range(len(INPUTS)))
def test_hodges_lehmann(i):
    x = INPUTS[i]
    level = [0.95, 0.9, 0.8][i % 3]
    r = pr.hodges_lehmann(x, level=level)
    cli = cli_test(x, "t", "--conf", str(level))["estimates"]["hodges_lehmann"]
    assert r.to_dict() == cli


@pytest.mark.parametrize("i", range(len(INPUTS)))
def test_sign_flip_confidence_set(i):
    x = INPUTS[i]
    level = [0.95, 0.9, 0.8][i % 3]
    alt = ["two-sided", "greater", "less"][i % 3]
    r = pr.sign_flip_confidence_set(x, level=level, alternative=alt)
    cli = cli_test(x, "signflip", "--conf", str(level), "--alternative", alt)["tests"][0]["confidence_set"]
    assert set(cli) - set(r.to_dict()) == {"agrees_with_test"}
    assert {k: v for k, v in cli.items() if k != "agrees_with_test"} == r.to_dict()


@pytest.mark.parametrize("i", range(len(INPUTS)))
def test_trimmed_mean_confidence_set(i):
    x = list(INPUTS[i])[:12]  # the trimmed mean's exact sweep goes to 12 patients
    alt = ["two-sided", "greater", "less"][i % 3]
    r = pr.sign_flip_confidence_set(x, level=0.9, alternative=alt, statistic="trimmed:0.25")
    cli = cli_test(x, "signflip", "--conf", "0.9", "--alternative", alt, "--stat", "trimmed:0.25")
    cli = cli["tests"][0]["confidence_set"]
    assert {k: v for k, v in cli.items() if k != "agrees_with_test"} == r.to_dict()


@pytest.mark.parametrize("i", range(len(INPUTS)))
def test_standardized_mean_change(i):
    x = INPUTS[i]
    level = [0.95, 0.9, 0.8][i % 3]
    r = pr.standardized_mean_change(x, level=level)
    cli = cli_test(x, "t", "--conf", str(level))["estimates"]["effect_sizes"]["d_z"]
    assert r.to_dict() == cli


def level_pairs(count, seed):
    """(pre, post) ordinal levels 0-4 of 5-14 patients, most of them changing by a level or two."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        n = int(rng.integers(5, 15))
        pre = rng.integers(0, 5, size=n)
        post = np.clip(pre - rng.integers(-1, 3, size=n), 0, 4)
        out.append((pre.astype(float), post.astype(float)))
    return out


LEVELS = level_pairs(24, seed=23)


@pytest.mark.parametrize("i", range(len(LEVELS)))
def test_ordinal(i, tmp_path):
    pre, post = LEVELS[i]
    path = tmp_path / "levels.csv"
    path.write_text("pre,post\n" + "".join(f"{a:g},{b:g}\n" for a, b in zip(pre, post)))
    options, kwargs = [], {}
    if i % 2:
        options += ["--dichotomize", "2"]
        kwargs["dichotomize"] = 2
    if i % 3 == 0:
        options += ["--method", "mc", "--resamples", "2000", "--seed", str(60 + i)]
        kwargs.update(method="mc", resamples=2000, seed=60 + i)
    cli = run_cli("ordinal", "--data", str(path), "--pre", "pre", "--post", "post", *options)
    e = cli["endpoints"][0]
    r = pr.ordinal(pre, post, **kwargs)
    assert r.to_dict() == {"table": e["table"], "tests": e["tests"], "mcnemar": e["mcnemar"]}


@pytest.mark.parametrize("i", range(len(INPUTS)))
def test_sign_flip_confidence_set_monte_carlo(i):
    x = INPUTS[i]
    seed = 500 + i
    r = pr.sign_flip_confidence_set(x, method="mc", resamples=4000, seed=seed, threads=1 + i % 2)
    cli = cli_test(x, "signflip", "--method", "mc", "--resamples", "4000", "--seed", str(seed))["tests"][0]
    assert {k: v for k, v in cli["confidence_set"].items() if k != "agrees_with_test"} == r.to_dict()
    assert r.method != "exact" and r.exact is False


def test_ordinal_is_the_cli_endpoint(tmp_path):
    pre = [1, 2, 1, 0, 0, 3, 2, 4, 1]
    post = [0, 1, 0, 0, 0, 0, 3, 2, 1]
    path = tmp_path / "levels.csv"
    path.write_text("pre,post\n" + "".join(f"{a},{b}\n" for a, b in zip(pre, post)))
    cli = run_cli("ordinal", "--data", str(path), "--pre", "pre", "--post", "post", "--dichotomize", "1")
    e = cli["endpoints"][0]
    r = pr.ordinal(pre, post, dichotomize=1)
    assert r.to_dict() == {"table": e["table"], "tests": e["tests"], "mcnemar": e["mcnemar"]}
    assert r.table.sum() == len(pre)
    assert r.tests["stuart_maxwell"]["method"] == "exact_conditional"


def test_sign_flip_confidence_set_paper():
    r = pr.sign_flip_confidence_set([2, 9, 8, 10, 6, 4])
    assert r.confidence_interval == (2.0, 10.0)
    assert r.achieved_level == 62 / 64
    assert pr.sign_flip_confidence_set([2, 9, 8, 10, 6, 4], level=0.9).confidence_interval == (4.0, 9.0)


def test_pre_post_is_the_cli_pre_post():
    pre = [7.5, 3.0, 9.25, 4.0, 8.0, 6.5, 2.0]
    post = [5.0, 3.0, 4.75, 6.0, 1.5, 2.0, 2.5]
    r = pr.wilcoxon(pre=pre, post=post)
    diffs = [a - b for a, b in zip(pre, post)]
    cli = cli_test(diffs, "wilcoxon")["tests"][0]
    assert_same(r.to_dict(), cli, {"endpoint", "confidence_set"})


def test_readme_intervals():
    # The acceptance example of issue 19: the README report's exact intervals.
    r = pr.bootstrap([2, 9, 8, 10, 6, 4])
    assert [(i.method, round(i.lower, 4), round(i.upper, 4)) for i in r.intervals] == [
        ("percentile", 4.1667, 8.6667),
        ("bca", 4.0, 8.5),
    ]
    assert r.mode == "exact"


# The keys `resample power|coverage` add around the result (the envelope and the command's own).
SIMULATION_ENVELOPE = {"schema_version", "engine_version", "command", "seed", "threads", "input"}


def without(d, keys):
    return {k: v for k, v in d.items() if k not in keys}


@pytest.mark.parametrize("i", range(len(INPUTS)))
def test_power(i):
    x = INPUTS[i]
    tests = [["signflip"], ["sign"], ["wilcoxon", "t"], ["t", "signflip", "sign"]][i % 4]
    options = ["--test", ",".join(tests), "--n", "5,8", "--trials", "200", "--seed", str(300 + i)]
    kwargs = {}
    if i % 3 == 1:
        options += ["--model", "shift", "--shift-to", "0.5"]
        kwargs = {"model": "shift", "shift_to": 0.5}
    if i % 2:
        options += ["--target-power", "0.6"]
        kwargs["target_power"] = 0.6
    r = pr.power(x, n=[8, 5], test=tests, trials=200, seed=300 + i, **kwargs)
    cli = run_cli("power", values_option(x), *options)
    # The data's name: "values" on the command line, "x" (or the Series' name) here.
    assert r.to_dict()["endpoint"] == "x" and cli["endpoint"] == "values"
    assert without(r.to_dict(), {"endpoint"}) == without(cli, SIMULATION_ENVELOPE | {"endpoint"})
    assert r.power.shape == ((2,) if len(tests) == 1 else (len(tests), 2))


def test_power_discrete_model():
    law = {-1.0: 0.2, 0.0: 0.2, 2.0: 0.6}
    r = pr.power(n=[6, 12], model="discrete", distribution=law, test="wilcoxon", trials=300)
    cli = run_cli("power", "--model", "discrete", "--distribution", "-1.0:0.2,0.0:0.2,2.0:0.6", "--n", "6,12",
                  "--test", "wilcoxon", "--trials", "300")
    assert r.to_dict() == without(cli, SIMULATION_ENVELOPE)


COVERAGE_CASES = [
    ("mean", None, []),
    ("median", "percentile,bca,hl", ["--ci", "percentile,bca,hl"]),
    ("sd", "basic,normal,t", ["--ci", "basic,normal,t"]),
    ("hl", "studentized,signflip", ["--ci", "studentized,signflip", "--studentized-se", "jackknife"]),
]


@pytest.mark.parametrize("i", range(len(INPUTS)))
def test_coverage(i):
    x = INPUTS[i]
    stat, ci, ci_options = COVERAGE_CASES[i % 4]
    se = "jackknife" if "--studentized-se" in ci_options else None
    # n = 12 > exact_max_n = 6: the bootstrap inside each trial is Monte Carlo there.
    r = pr.coverage(x, n=[5, 12], statistic=stat, ci=ci, trials=20, seed=40 + i, exact_max_n=6, resamples=200,
                    studentized_se=se, level=[0.95, 0.9][i % 2])
    cli = run_cli("coverage", values_option(x), "--stat", stat, "--n", "5,12", "--trials", "20", "--seed",
                  str(40 + i), "--exact-max-n", "6", "--resamples", "200", "--conf", str([0.95, 0.9][i % 2]),
                  *ci_options)
    assert without(r.to_dict(), {"endpoint"}) == without(cli, SIMULATION_ENVELOPE | {"endpoint"})
    assert {m["bootstrap_mode"] for m in r.methods if m["n"] == 12} != {"exact"}


def test_coverage_discrete_model():
    r = pr.coverage(n=6, model="discrete", distribution="0:0.3,1:0.3,3:0.4", trials=40, ci="percentile,t")
    cli = run_cli("coverage", "--model", "discrete", "--distribution", "0:0.3,1:0.3,3:0.4", "--n", "6",
                  "--trials", "40", "--ci", "percentile,t")
    assert r.to_dict() == without(cli, SIMULATION_ENVELOPE)
    assert 0.0 <= r.coverage("t") <= 1.0


def endpoint_table(i, k):
    """k endpoints of the same patients, made from the generated inputs (first n rows of each)."""
    columns = [INPUTS[(i + j) % len(INPUTS)] for j in range(k)]
    n = min(len(c) for c in columns)
    return [np.asarray(c[:n]) for c in columns]


def cli_max_t(tmp_path, columns, *options):
    path = tmp_path / "endpoints.csv"
    names = [f"e{j}" for j in range(len(columns))]
    rows = [",".join(repr(float(c[r])) for c in columns) for r in range(len(columns[0]))]
    path.write_text(",".join(names) + "\n" + "\n".join(rows) + "\n")
    args = ["test", "--data", str(path), "--test", "signflip"]
    for name in names:
        args += ["--column", name]
    j = run_cli(*args, *options)
    return names, {"adjusted": j["adjusted"], "adjustment": j["adjustment"]}


@pytest.mark.parametrize("i", range(len(INPUTS)))
def test_max_t_exact(i, tmp_path):
    columns = endpoint_table(i, 2 + i % 2)
    alt = ["two-sided", "greater", "less"][i % 3]
    names, cli = cli_max_t(tmp_path, columns, "--alternative", alt)
    r = pr.max_t_test(columns, alternative=alt, names=names)
    assert r.to_dict() == cli
    assert r.exact and r.max_t_mc_se is None
    # Max-T is never below the endpoint's own p-value, nor above Holm's (single step vs step-down aside).
    assert np.all(r.max_t_pvalue >= r.pvalue - 1e-12)


@pytest.mark.parametrize("i", range(len(INPUTS)))
def test_max_t_monte_carlo(i, tmp_path):
    columns = endpoint_table(i, 2)
    seed = 900 + i
    names, cli = cli_max_t(tmp_path, columns, "--method", "mc", "--resamples", "3000", "--seed", str(seed))
    r = pr.max_t_test(columns, method="mc", resamples=3000, seed=seed, names=names, threads=1 + i % 2)
    assert r.to_dict() == cli
    # A Monte Carlo p below 1 has a positive SE; p = 1 (every pattern as extreme) has none.
    assert not r.exact and np.all((r.max_t_mc_se > 0) == (r.max_t_pvalue < 1))


def test_max_t_data_frame_and_missing():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"pain": [2, 9, 8, np.nan, 6, 4, 3], "mobility": [1, 0, 2, 1, 1, 0, 1]},
                         index=["p1", "p2", "p3", "p4", "p5", "p6", "p7"])
    with pytest.raises(ValueError, match="p4"):
        pr.max_t_test(frame)
    r = pr.max_t_test(frame, missing="complete-case")
    assert r.endpoints == ["pain", "mobility"] and r.left_out == ["p4"] and r.n == 6
    same = pr.max_t_test({"pain": [2, 9, 8, 6, 4, 3], "mobility": [1, 0, 2, 1, 0, 1]})
    assert same.max_t_pvalue.tolist() == r.max_t_pvalue.tolist()


# Keys of `resample plan` that depend on this machine's timings or name the command it recommends.
# The recommendation itself is one of them: exact wins when it is not much slower than the Monte
# Carlo run, which two runs on a loaded machine can measure either way.
PLAN_TIMING = {"predicted_seconds", "reason", "recommended_command", "notes", "over_limits", "recommendation",
               "resamples"}
PLAN_EXACT_TIMING = {"predicted_seconds", "note"}
PLAN_MC_TIMING = {"seconds_per_resample", "fixed_seconds", "calibration_resamples", "seconds_needed",
                  "predicted_seconds", "resamples_needed", "resamples", "predicted_mc_se", "note"}


@pytest.mark.parametrize("i", range(len(INPUTS)))
def test_plan(i):
    x = INPUTS[i]
    if i % 2:
        target, options = {"ci": ["percentile", "bca", "basic"][i % 3]}, ["--ci", ["percentile", "bca", "basic"][i % 3]]
    else:
        test = ["signflip", "wilcoxon", "sign", "t"][(i // 2) % 4]
        target, options = {"test": test}, ["--test", test]
    goal = {"precision": 0.01} if i % 3 else {"relative": 0.05}
    goal_options = ["--precision", "0.01"] if i % 3 else ["--relative", "0.05"]
    r = pr.plan(x, threads=1, **target, **goal)
    cli = run_cli("plan", values_option(x), "--threads", "1", *options, *goal_options)
    mine = r.to_dict()
    assert without(mine, PLAN_TIMING | {"exact", "monte_carlo"}) == without(
        cli, PLAN_TIMING | {"exact", "monte_carlo", "schema_version", "engine_version", "command", "threads",
                            "input", "endpoint"})
    assert without(mine["exact"], PLAN_EXACT_TIMING) == without(cli["exact"], PLAN_EXACT_TIMING)
    # The pilots are seeded and sized by the request, not by the clock: the same on both sides.
    assert without(mine["monte_carlo"], PLAN_MC_TIMING) == without(cli["monte_carlo"], PLAN_MC_TIMING)
    assert r.kwargs["method"] == ("exact" if r.recommendation == "exact" else "mc")
    if r.recommendation == cli["recommendation"]:
        assert mine["resamples"] == cli["resamples"]
