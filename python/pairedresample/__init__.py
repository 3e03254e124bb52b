"""Exact and Monte Carlo resampling for paired data: the resample engine from Python.

The functions follow scipy.stats in naming and results (``pvalue``, ``statistic``,
``confidence_interval``) and give the same numbers as the ``resample`` command line, bit for bit:
both call the same C++ engine, and every result's :meth:`to_dict` is the command line's JSON
for it, written by the same serializer.

Functions
---------
bootstrap
    Exact or Monte Carlo bootstrap of a statistic, with confidence intervals.
sign_flip_test
    The paired permutation (sign-flip) test.
sign_test
    The exact binomial sign test.
wilcoxon
    The Wilcoxon signed-rank test, exact with ties and zeros.
t_test
    The paired t test.
hodges_lehmann
    The Hodges-Lehmann estimate with its exact signed-rank interval.
sign_flip_confidence_set
    The exact confidence set for the mean that inverts the sign-flip test.
standardized_mean_change
    d_z with its normal-theory (noncentral t) interval.
ordinal
    The ordinal paired suite: Stuart-Maxwell, Bhapkar, Bowker, McNemar.
max_t_test
    Several endpoints of the same patients: Westfall-Young max-T and Holm adjusted p-values.
power
    Power of a paired test by simulation, and the sample size that reaches a target power.
coverage
    The real coverage of interval methods by simulation.
plan
    Exact or Monte Carlo, and how many resamples a bootstrap interval or a test needs.

Every function takes the paired differences as ``x`` (a list, a numpy array of any real dtype
and layout, or a pandas Series), or two samples ``pre=`` and ``post=`` whose difference
``pre - post`` is analysed. A missing value (NaN) raises ``ValueError`` unless
``missing="complete-case"`` drops the patients that have one.

Errors: ``ValueError`` for bad input, naming the argument at fault; :class:`InfeasibleError`
(a ``ValueError``) for a request the engine cannot carry out within its limits, such as an exact
enumeration that is too large. A long Monte Carlo run stops at its next block on Ctrl-C
(``KeyboardInterrupt``); the GIL is released while the engine runs.
"""

import json as _json
import operator as _operator

import numpy as _np

from . import _engine
from ._engine import InfeasibleError, engine_version, schema_version

__all__ = [
    "bootstrap",
    "sign_flip_test",
    "sign_test",
    "wilcoxon",
    "t_test",
    "hodges_lehmann",
    "sign_flip_confidence_set",
    "standardized_mean_change",
    "ordinal",
    "OrdinalResult",
    "max_t_test",
    "max_t",
    "MaxTResult",
    "power",
    "coverage",
    "CoverageResult",
    "plan",
    "PlanResult",
    "BootstrapResult",
    "PowerResult",
    "Interval",
    "Distribution",
    "TestResult",
    "EstimateResult",
    "InfeasibleError",
    "engine_version",
    "schema_version",
]

__version__ = engine_version


# --- results -------------------------------------------------------------------------------


class _JSONResult:
    """A result held as the command line's JSON text, with attributes read from it."""

    def __init__(self, text):
        self._text = text
        self._json = _json.loads(text)

    def to_dict(self):
        """The command line's JSON for this result (docs/json.md), as a new dict.

        Returns
        -------
        dict
            Equal to the result object of ``resample ... --format json`` on the same input and
            options (the command's envelope, such as ``schema_version`` and ``input``, aside).
        """
        return _json.loads(self._text)

    def _get(self, key):
        value = self._json.get(key)
        return float("nan") if value is None and key in self._numbers else value

    _numbers = ()


class Distribution:
    """A discrete distribution: distinct values (``atoms``, ascending) and their ``weights``.

    Attributes
    ----------
    atoms : numpy.ndarray
        The distinct values, ascending.
    weights : numpy.ndarray
        Their probabilities, summing to 1.
    """

    def __init__(self, atoms, weights):
        self.atoms = atoms
        self.weights = weights

    def __len__(self):
        return len(self.atoms)

    def __repr__(self):
        return f"Distribution({len(self.atoms)} atoms)"


class Interval:
    """One bootstrap confidence interval.

    Attributes
    ----------
    method : str
        "percentile", "basic", "normal", "studentized", "bca" or "calibrated".
    level : float
        The nominal confidence level.
    lower, upper : float
        The endpoints; NaN when undefined for these data (``note`` says why).
    mc_se_lower, mc_se_upper : float
        Monte Carlo standard errors of the endpoints; NaN for an exact bootstrap.
    note : str or None
        Why an endpoint is undefined, if one is.
    """

    def __init__(self, d):
        def number(key):
            return float("nan") if d.get(key) is None else d[key]

        self.method = d["method"]
        self.level = d["level"]
        self.lower = number("lower")
        self.upper = number("upper")
        self.mc_se_lower = number("mc_se_lower")
        self.mc_se_upper = number("mc_se_upper")
        self.note = d.get("note")

    def __iter__(self):
        # So that ``lower, upper = interval`` works, as with scipy's ConfidenceInterval.
        return iter((self.lower, self.upper))

    def __repr__(self):
        return f"Interval(method={self.method!r}, level={self.level!r}, lower={self.lower!r}, upper={self.upper!r})"


class BootstrapResult(_JSONResult):
    """The result of :func:`bootstrap`.

    Attributes
    ----------
    estimate : float
        The statistic on the sample.
    se, bias : float
        Bootstrap standard error and bias.
    mode : str
        "exact" or "monte-carlo".
    reason : str
        Why that mode was run (the engine's routing decision).
    algorithm : str
        "enumeration", "convolution" or the Monte Carlo path.
    resamples : int or None
        Distinct multisets (exact; None beyond 2**53) or Monte Carlo resamples.
    intervals : list of Interval
        The confidence intervals asked for, in the order asked.
    distribution : Distribution
        The bootstrap distribution of the statistic.
    n : int
        The number of differences analysed.
    notes : list of str
    """

    _numbers = ("estimate", "se", "bias", "mc_se_se")

    def __init__(self, text, atoms, weights):
        super().__init__(text)
        j = self._json
        self.n = j["n"]
        self.statistic = j["statistic"]
        self.estimate = self._get("estimate")
        self.se = self._get("se")
        self.bias = self._get("bias")
        self.mc_se_se = self._get("mc_se_se")
        self.mode = j["mode"]
        self.reason = j["mode_reason"]
        self.algorithm = j["algorithm"]
        self.resamples = j["resamples"]
        self.intervals = [Interval(i) for i in j["intervals"]]
        self.distribution = Distribution(atoms, weights)
        self.notes = list(j["notes"])

    def interval(self, method):
        """The interval of one method ("percentile", "bca", ...); KeyError when not computed."""
        for i in self.intervals:
            if i.method == method:
                return i
        raise KeyError(method)

    def to_frame(self):
        """The intervals as a pandas DataFrame, one row per method (needs pandas)."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "method": i.method,
                    "level": i.level,
                    "lower": i.lower,
                    "upper": i.upper,
                    "mc_se_lower": i.mc_se_lower,
                    "mc_se_upper": i.mc_se_upper,
                    "estimate": self.estimate,
                    "mode": self.mode,
                }
                for i in self.intervals
            ]
        )

    def __repr__(self):
        return (
            f"BootstrapResult(statistic={self.statistic!r}, estimate={self.estimate!r}, se={self.se!r}, "
            f"mode={self.mode!r}, intervals={self.intervals!r})"
        )


class TestResult(_JSONResult):
    """The result of a test (:func:`sign_flip_test`, :func:`sign_test`, :func:`wilcoxon`, :func:`t_test`).

    Attributes
    ----------
    pvalue : float
        The p-value; NaN when undefined for these data (``notes`` says why).
    statistic : float
        The observed value of the test statistic.
    statistic_name : str
        What ``statistic`` is: "mean", "V", "positives", "t", ...
    alternative : str
    exact : bool
        Whether ``pvalue`` is exact (False for Monte Carlo, normal approximations and the t test).
    method : str
        The algorithm that computed it ("gray_code", "lattice_dp", "exact_dp", "monte_carlo", ...).
    null_distribution : Distribution or None
        The exact null distribution of the statistic, when small enough to keep.
    smallest_attainable_p : float
        The smallest p-value this test can give at this n and alternative.
    mc_se : float
        Monte Carlo standard error of ``pvalue``; NaN for an exact test.
    mid_p : float
        The mid-p-value when asked for (``mid_p=True``) and defined, else NaN.
    n, n_nonzero : int
        Differences analysed, and those that are not zero.
    df : float
        Degrees of freedom (t test), else NaN.
    notes : list of str
    """

    __test__ = False  # not a pytest test class, despite the name
    _numbers = ("observed", "p_value", "mid_p", "smallest_attainable_p", "mc_se", "df")

    def __init__(self, text, values, weights):
        super().__init__(text)
        j = self._json
        self.test = j["test"]
        self.statistic_name = j["statistic"]
        self.statistic = self._get("observed")
        self.pvalue = self._get("p_value")
        self.mid_p = self._get("mid_p")
        self.alternative = j["alternative"]
        self.exact = j["exact"]
        self.method = j["method"]
        self.n = j["n"]
        self.n_nonzero = j["n_nonzero"]
        self.smallest_attainable_p = self._get("smallest_attainable_p")
        self.mc_se = self._get("mc_se")
        self.resamples = j["resamples"]
        self.df = self._get("df")
        self.two_sided_convention = j["two_sided_convention"]
        self.null_distribution = None if values is None else Distribution(values, weights)
        self.notes = list(j["notes"])

    def to_frame(self):
        """The result as a one-row pandas DataFrame (needs pandas)."""
        import pandas as pd

        row = {k: v for k, v in self.to_dict().items() if k not in ("null_distribution", "notes")}
        return pd.DataFrame([row])

    def __repr__(self):
        return (
            f"TestResult(test={self.test!r}, statistic={self.statistic!r}, pvalue={self.pvalue!r}, "
            f"exact={self.exact!r}, method={self.method!r})"
        )


class EstimateResult(_JSONResult):
    """A point estimate with its confidence interval (:func:`hodges_lehmann`,
    :func:`sign_flip_confidence_set`).

    Attributes
    ----------
    estimate : float
    lower, upper : float
        The interval; NaN when no finite interval exists at this level (n too small).
    confidence_interval : tuple of float
        ``(lower, upper)``.
    level : float
        The nominal level.
    achieved_level : float
        The exact coverage of the discrete construction.
    exact : bool
    method : str
    notes : list of str
    """

    _numbers = ("estimate", "lower", "upper", "achieved_level")

    def __init__(self, text):
        super().__init__(text)
        j = self._json
        self.estimate = self._get("estimate")
        self.lower = self._get("lower")
        self.upper = self._get("upper")
        self.confidence_interval = (self.lower, self.upper)
        self.level = j["level"]
        self.achieved_level = self._get("achieved_level")
        self.exact = j["exact"]
        self.method = j["method"]
        self.notes = list(j["notes"])

    def to_frame(self):
        """The estimate as a one-row pandas DataFrame (needs pandas)."""
        import pandas as pd

        return pd.DataFrame([{k: v for k, v in self.to_dict().items() if k != "notes"}])

    def __repr__(self):
        return f"EstimateResult(estimate={self.estimate!r}, lower={self.lower!r}, upper={self.upper!r}, level={self.level!r})"


class PowerResult(_JSONResult):
    """The result of :func:`power`: one curve per test, one point per sample size.

    Attributes
    ----------
    tests : list of str
        The tests simulated, in the order given.
    test : str
        The test, when there is one (else the first).
    n : numpy.ndarray
        The sample sizes of the grid.
    power : numpy.ndarray
        Estimated power (rejections / trials): shape ``(len(n),)`` for one test,
        ``(len(tests), len(n))`` for several.
    mc_se : numpy.ndarray
        Its Monte Carlo standard error, sqrt(power (1 - power) / trials), shaped as ``power``.
    required_n : list of dict
        With ``target_power``: per test the smallest n of the grid with power >= target (``n``),
        and with power +/- 2 mc_se >= target (``n_low``, ``n_high``); None where not reached.
    points : list of dict
        Each point as the command line writes it (test, n, power, mc_se, rejections,
        inexact_trials, undefined_trials).
    notes : list of str
    """

    def __init__(self, text):
        super().__init__(text)
        j = self._json
        self.tests = list(j["tests"])
        self.test = self.tests[0]
        self.points = j["points"]
        self.n = _np.array(sorted({p["n"] for p in self.points}), dtype=_np.int64)
        power = _np.array([[_nan_if_none(p["power"]) for p in self.points if p["test"] == t] for t in self.tests])
        mc_se = _np.array([[_nan_if_none(p["mc_se"]) for p in self.points if p["test"] == t] for t in self.tests])
        self.power = power[0] if len(self.tests) == 1 else power
        self.mc_se = mc_se[0] if len(self.tests) == 1 else mc_se
        self.required_n = j["required_n"]
        self.notes = list(j["notes"])

    def to_frame(self):
        """The points as a pandas DataFrame, one row per (test, n) (needs pandas)."""
        import pandas as pd

        return pd.DataFrame(self.to_dict()["points"])

    def __repr__(self):
        return f"PowerResult(tests={self.tests!r}, n={self.n.tolist()!r}, power={self.power.tolist()!r})"


class CoverageResult(_JSONResult):
    """The result of :func:`coverage`: per sample size and method, how often the interval covered.

    Attributes
    ----------
    methods : list of dict
        One row per (n, method) as the command line writes it: ``method``, ``parameter``,
        ``true_value``, ``coverage`` (among trials where the interval exists) with ``mc_se``,
        ``covered``, ``undefined``, ``coverage_all_trials`` (undefined counted as a miss),
        ``mean_length``, ``bootstrap_mode``.
    sizes : list of int
    level : float
    trials : int
    notes : list of str
    """

    def __init__(self, text):
        super().__init__(text)
        j = self._json
        self.methods = j["methods"]
        self.sizes = list(j["sizes"])
        self.level = j["level"]
        self.trials = j["trials"]
        self.statistic = j["statistic"]
        self.notes = list(j["notes"])

    def coverage(self, method, n=None):
        """The coverage of one method (at n; the only n when None); KeyError when not measured."""
        if n is None:
            if len(self.sizes) != 1:
                raise ValueError(f"n: several sample sizes were simulated ({self.sizes}); give n")
            n = self.sizes[0]
        for m in self.methods:
            if m["method"] == method and m["n"] == n:
                return _nan_if_none(m["coverage"])
        raise KeyError((method, n))

    def to_frame(self):
        """The rows as a pandas DataFrame (needs pandas)."""
        import pandas as pd

        return pd.DataFrame(self.methods)

    def __repr__(self):
        return f"CoverageResult(statistic={self.statistic!r}, sizes={self.sizes!r}, methods={len(self.methods)} rows)"


class MaxTResult(_JSONResult):
    """The result of :func:`max_t_test`: each endpoint's p-value, adjusted for the others.

    Attributes
    ----------
    endpoints : list of str
    statistic : numpy.ndarray
        Each endpoint's standardized sign-flip statistic sum(e d) / sqrt(sum d^2).
    pvalue : numpy.ndarray
        Each endpoint's own sign-flip p-value (unadjusted).
    max_t_pvalue : numpy.ndarray
        Westfall-Young single-step max-T adjusted p-values (signs flipped jointly per patient).
    holm_pvalue : numpy.ndarray
        Holm's step-down adjustment of ``pvalue``.
    max_t_mc_se : numpy.ndarray or None
        Monte Carlo SE of ``max_t_pvalue`` (Monte Carlo runs only).
    exact : bool
    method : str
    n : int
        Patients analysed (complete for every endpoint).
    left_out : list of str
        Patients left out for a missing value (``missing="complete-case"``).
    notes : list of str
    """

    def __init__(self, text):
        super().__init__(text)
        j = self._json
        rows = j["adjusted"]
        a = j["adjustment"]
        self.endpoints = [r["endpoint"] for r in rows]
        self.statistic = _np.array([_nan_if_none(r["standardized_statistic"]) for r in rows])
        self.pvalue = _np.array([_nan_if_none(r["p_value"]) for r in rows])
        self.max_t_pvalue = _np.array([_nan_if_none(r["max_t_p"]) for r in rows])
        self.holm_pvalue = _np.array([_nan_if_none(r["holm_p"]) for r in rows])
        self.max_t_mc_se = None if a["exact"] else _np.array([_nan_if_none(r["max_t_mc_se"]) for r in rows])
        self.exact = a["exact"]
        self.method = a["method"]
        self.n = a["n"]
        self.left_out = list(a["left_out"])
        self.smallest_attainable_p = a["smallest_attainable_p"]
        self.notes = list(a["notes"])

    def to_frame(self):
        """One row per endpoint (needs pandas)."""
        import pandas as pd

        return pd.DataFrame(self.to_dict()["adjusted"])

    def __repr__(self):
        return f"MaxTResult(endpoints={self.endpoints!r}, max_t_pvalue={self.max_t_pvalue.tolist()!r})"


class PlanResult(_JSONResult):
    """The result of :func:`plan`.

    Attributes
    ----------
    recommendation : str
        "exact" or "monte-carlo".
    resamples : int or None
        The Monte Carlo resamples recommended, or the resamples the exact answer covers.
    predicted_seconds : float
        Predicted wall time of the recommendation, from timings on this machine.
    reason : str
    kwargs : dict
        The arguments that carry the recommendation out: pass them to :func:`bootstrap` (an
        interval plan) or to the test's function, e.g. ``bootstrap(x, ci="bca", **p.kwargs)``.
    notes : list of str
    """

    def __init__(self, text):
        super().__init__(text)
        j = self._json
        self.recommendation = j["recommendation"]
        self.resamples = j["resamples"]
        self.predicted_seconds = _nan_if_none(j["predicted_seconds"])
        self.reason = j["reason"]
        self.notes = list(j["notes"])
        if self.recommendation == "exact":
            self.kwargs = {"method": "exact"}
        else:
            self.kwargs = {"method": "mc", "resamples": j["monte_carlo"]["resamples"], "seed": j["seed"]}

    def __repr__(self):
        return f"PlanResult(recommendation={self.recommendation!r}, resamples={self.resamples!r})"


def _nan_if_none(value):
    return float("nan") if value is None else value


# --- input ---------------------------------------------------------------------------------


def _as_float_array(values, name):
    """One-dimensional float64 copy of a list, numpy array (any real dtype, any layout) or Series."""
    if hasattr(values, "to_numpy") and not isinstance(values, _np.ndarray):
        # pandas: nullable dtypes carry pd.NA, which becomes NaN (then the missing policy applies).
        try:
            values = values.to_numpy(dtype=_np.float64, na_value=_np.nan)
        except TypeError:
            values = values.to_numpy()
    a = _np.asarray(values)
    if a.dtype.kind not in "biuf":
        raise ValueError(f"{name}: expected real numbers, got an array of dtype {a.dtype}")
    if a.ndim != 1:
        raise ValueError(f"{name}: expected a one-dimensional sequence, got {a.ndim} dimensions")
    return _np.ascontiguousarray(a, dtype=_np.float64)


def _differences(x, pre, post, missing):
    """The differences analysed: x, or pre - post; NaN by the missing policy."""
    if missing not in ("raise", "complete-case"):
        raise ValueError(f"missing: got {missing!r}, expected 'raise' or 'complete-case'")
    if x is not None:
        if pre is not None or post is not None:
            raise ValueError("x: give either x (the differences) or pre= and post=, not both")
        d = _as_float_array(x, "x")
        bad = _np.isnan(d)
        what = "x"
    else:
        if pre is None or post is None:
            raise ValueError("x: give the differences x, or both pre= and post=")
        a = _as_float_array(pre, "pre")
        b = _as_float_array(post, "post")
        if a.shape != b.shape:
            raise ValueError(f"post: {b.size} values, expected as many as pre ({a.size})")
        bad = _np.isnan(a) | _np.isnan(b)
        d = a - b
        what = "pre/post"
    if bad.any():
        if missing == "raise":
            where = ", ".join(str(i) for i in _np.flatnonzero(bad)[:5])
            more = "" if bad.sum() <= 5 else ", ..."
            raise ValueError(
                f"{what}: missing value (NaN) at position {where}{more}; "
                "use missing='complete-case' to leave those patients out"
            )
        d = d[~bad]
    return d


def _count(value, name, default):
    if value is None:
        return default
    try:
        value = _operator.index(value)
    except TypeError:
        raise ValueError(f"{name}: got {value!r}, expected a whole number") from None
    if value < 0 or value >= 2**64:
        raise ValueError(f"{name}: got {value}, expected a whole number from 0 to 2**64 - 1")
    return value


def _level(level):
    try:
        level = float(level)
    except (TypeError, ValueError):
        raise ValueError(f"level: got {level!r}, expected a number with 0 < level < 1") from None
    if not 0.0 < level < 1.0:
        raise ValueError(f"level: got {level!r}, expected a number with 0 < level < 1")
    return level


def _word(value, name):
    if not isinstance(value, str):
        raise ValueError(f"{name}: got {value!r}, expected a string")
    return value


# --- functions -----------------------------------------------------------------------------


def bootstrap(
    x=None,
    statistic="mean",
    method="auto",
    ci=("percentile", "bca"),
    level=0.95,
    resamples=None,
    seed=None,
    threads=0,
    *,
    studentized_se=None,
    pre=None,
    post=None,
    missing="raise",
):
    """Bootstrap distribution of a statistic of paired differences, with confidence intervals.

    Exact (every multiset of the sample, enumerated or convolved) when feasible, Monte Carlo
    otherwise; the result says which was run and why.

    Parameters
    ----------
    x : array_like, optional
        The paired differences (one per patient). Give ``pre`` and ``post`` instead to analyse
        ``pre - post``.
    statistic : str, default "mean"
        "mean", "median", "trimmed:F" (trim fraction F), "sd", "prop_ge:K" (share >= K) or "hl"
        (Hodges-Lehmann).
    method : {"auto", "exact", "mc"}, default "auto"
        "exact" raises :class:`InfeasibleError` when the enumeration is too large.
    ci : sequence of str, str or None, default ("percentile", "bca")
        Interval methods: "percentile", "basic", "normal", "studentized", "bca", "calibrated",
        or "all"; a comma-separated string also works. None: the command line's default set.
    level : float, default 0.95
        Confidence level, 0 < level < 1.
    resamples : int, optional
        Monte Carlo resamples (default 10000, as the command line).
    seed : int, optional
        Seed of the Monte Carlo stream (default 20020, as the command line). The same seed gives
        the same numbers on any number of threads.
    threads : int, default 0
        Worker threads; 0 uses all cores.
    studentized_se : {"auto", "order_statistic", "jackknife", "nested"}, optional
        The SE inside each resample of the studentized interval for a statistic without an
        analytic SE (median, trimmed, sd, hl): "auto" (the default: "order_statistic" for the
        median and hl, "nested" for the others), "order_statistic" (median and hl only: read off
        the resample's order statistics, about 3 times a percentile-only run), "jackknife" (n
        evaluations; it covers less on ordinal data: docs/simulation.md) or "nested" (a bootstrap
        of 200 inside each resample). With ``ci=None`` a nested se* leaves studentized out of
        the default set, as the command line does.
    pre, post : array_like, optional
        Paired samples; the differences are ``pre - post``.
    missing : {"raise", "complete-case"}, default "raise"
        What a NaN does: raise ``ValueError``, or leave that patient out.

    Returns
    -------
    BootstrapResult
        ``estimate``, ``se``, ``bias``, ``mode``, ``reason``, ``intervals``, ``distribution``;
        ``to_dict()`` is the JSON of ``resample bootstrap --format json``.

    Raises
    ------
    ValueError
        Bad input or arguments; the message names the argument.
    InfeasibleError
        ``method="exact"`` on a sample too large to enumerate, or a Monte Carlo plan over the
        memory limit.

    Examples
    --------
    >>> r = bootstrap([2, 9, 8, 10, 6, 4])
    >>> [(i.method, round(i.lower, 4), round(i.upper, 4)) for i in r.intervals]
    [('percentile', 4.1667, 8.6667), ('bca', 4.0, 8.5)]
    """
    d = _differences(x, pre, post, missing)
    if ci is not None and not isinstance(ci, str):
        ci = ",".join(_word(c, "ci") for c in ci)
    defaults = _engine.bootstrap_defaults
    text, atoms, weights = _engine.bootstrap(
        d,
        _word(statistic, "statistic"),
        _word(method, "method"),
        ci,
        _level(level),
        _count(resamples, "resamples", defaults["resamples"]),
        _count(seed, "seed", defaults["seed"]),
        _count(threads, "threads", 0),
        None if studentized_se is None else _word(studentized_se, "studentized_se"),
    )
    return BootstrapResult(text, atoms, weights)


def sign_flip_test(
    x=None,
    statistic="mean",
    alternative="two-sided",
    method="auto",
    resamples=None,
    seed=None,
    threads=0,
    *,
    mid_p=False,
    pre=None,
    post=None,
    missing="raise",
):
    """Paired permutation test: every sign pattern of the differences is equally likely under H0.

    Exact (lattice DP, meet in the middle or Gray code over all 2**m patterns) when feasible,
    Monte Carlo otherwise.

    Parameters
    ----------
    x : array_like, optional
        The paired differences; or give ``pre`` and ``post``.
    statistic : str, default "mean"
        As in :func:`bootstrap`.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
    method : {"auto", "exact", "mc"}, default "auto"
    resamples : int, optional
        Monte Carlo sign patterns (default 100000, as the command line).
    seed : int, optional
        Default 20021, as the command line.
    threads : int, default 0
        Worker threads; 0 uses all cores.
    mid_p : bool, default False
        Also compute the mid-p-value (exact tests).
    pre, post : array_like, optional
    missing : {"raise", "complete-case"}, default "raise"

    Returns
    -------
    TestResult
        ``to_dict()`` is the test's JSON in ``resample test --test signflip --format json``.

    Raises
    ------
    ValueError, InfeasibleError
    """
    d = _differences(x, pre, post, missing)
    defaults = _engine.sign_flip_defaults
    return TestResult(
        *_engine.sign_flip_test(
            d,
            _word(statistic, "statistic"),
            _word(alternative, "alternative"),
            _word(method, "method"),
            _count(resamples, "resamples", defaults["resamples"]),
            _count(seed, "seed", defaults["seed"]),
            bool(mid_p),
            _count(threads, "threads", 0),
        )
    )


def sign_test(x=None, alternative="two-sided", *, mid_p=False, pre=None, post=None, missing="raise"):
    """Exact binomial sign test: zeros dropped, positives ~ Binomial(m, 1/2) under H0.

    Parameters
    ----------
    x : array_like, optional
        The paired differences; or give ``pre`` and ``post``.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
    mid_p : bool, default False
    pre, post : array_like, optional
    missing : {"raise", "complete-case"}, default "raise"

    Returns
    -------
    TestResult
        ``to_dict()`` is the test's JSON in ``resample test --test sign --format json``.
    """
    d = _differences(x, pre, post, missing)
    return TestResult(*_engine.sign_test(d, _word(alternative, "alternative"), bool(mid_p)))


def wilcoxon(
    x=None,
    zero_method="pratt",
    alternative="two-sided",
    method="auto",
    resamples=None,
    seed=None,
    threads=0,
    *,
    mid_p=False,
    pre=None,
    post=None,
    missing="raise",
):
    """Wilcoxon signed-rank test, exact with tied and zero differences.

    Parameters
    ----------
    x : array_like, optional
        The paired differences; or give ``pre`` and ``post``.
    zero_method : {"pratt", "wilcox"}, default "pratt"
        "pratt" ranks the zeros and gives them no sign; "wilcox" drops them first.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
    method : {"auto", "exact", "approx", "mc"}, default "auto"
        "auto": exact when feasible, else the normal approximation (stated in ``notes``).
    resamples : int, optional
        Monte Carlo sign patterns (default 100000).
    seed : int, optional
        Default 20021, as the command line.
    threads : int, default 0
    mid_p : bool, default False
    pre, post : array_like, optional
    missing : {"raise", "complete-case"}, default "raise"

    Returns
    -------
    TestResult
        ``statistic`` is V, the sum of the ranks of the positive differences; ``to_dict()`` is
        the test's JSON in ``resample test --test wilcoxon --format json``.
    """
    d = _differences(x, pre, post, missing)
    defaults = _engine.wilcoxon_defaults
    return TestResult(
        *_engine.wilcoxon(
            d,
            _word(alternative, "alternative"),
            _word(zero_method, "zero_method"),
            _word(method, "method"),
            _count(resamples, "resamples", defaults["resamples"]),
            _count(seed, "seed", defaults["seed"]),
            bool(mid_p),
            _count(threads, "threads", 0),
        )
    )


def t_test(x=None, alternative="two-sided", *, pre=None, post=None, missing="raise"):
    """Paired t test of a zero mean difference (n - 1 degrees of freedom).

    Parameters
    ----------
    x : array_like, optional
        The paired differences; or give ``pre`` and ``post``.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
    pre, post : array_like, optional
    missing : {"raise", "complete-case"}, default "raise"

    Returns
    -------
    TestResult
        ``exact`` is False (the p-value is exact for normal differences only); ``pvalue`` is
        NaN for a zero standard deviation. ``to_dict()`` is the test's JSON in
        ``resample test --test t --format json``.
    """
    d = _differences(x, pre, post, missing)
    return TestResult(*_engine.t_test(d, _word(alternative, "alternative")))


def hodges_lehmann(x=None, level=0.95, *, pre=None, post=None, missing="raise"):
    """Hodges-Lehmann estimate (median of the Walsh averages) with its exact signed-rank interval.

    Parameters
    ----------
    x : array_like, optional
        The paired differences; or give ``pre`` and ``post``.
    level : float, default 0.95
    pre, post : array_like, optional
    missing : {"raise", "complete-case"}, default "raise"

    Returns
    -------
    EstimateResult
        ``to_dict()`` is ``estimates.hodges_lehmann`` in ``resample test --format json``.
    """
    d = _differences(x, pre, post, missing)
    return EstimateResult(_engine.hodges_lehmann(d, _level(level)))


def standardized_mean_change(x=None, level=0.95, *, pre=None, post=None, missing="raise"):
    """The standardized mean change d_z = mean / sd with its noncentral-t interval.

    Normal theory: the interval inverts the noncentral t distribution of ``sqrt(n) * d_z`` and is
    exact only for normally distributed differences (``exact`` is False). For n < 2 or a zero SD
    the estimate is NaN and a note says why.

    Parameters
    ----------
    x : array_like, optional
        The paired differences; or give ``pre`` and ``post``.
    level : float, default 0.95
    pre, post : array_like, optional
    missing : {"raise", "complete-case"}, default "raise"

    Returns
    -------
    EstimateResult
        ``to_dict()`` is ``estimates.effect_sizes.d_z`` in ``resample test --format json``.
    """
    d = _differences(x, pre, post, missing)
    return EstimateResult(_engine.standardized_mean_change(d, _level(level)))


class OrdinalResult(_JSONResult):
    """The ordinal paired suite (:func:`ordinal`).

    Attributes
    ----------
    levels : list of float
        The distinct levels seen, ascending.
    table : numpy.ndarray
        ``table[i, j]``: patients with pre = ``levels[i]`` and post = ``levels[j]``.
    tests : dict
        ``"stuart_maxwell"``, ``"bhapkar"``, ``"bowker"``: each a dict with ``statistic``, ``df``,
        ``p_value`` (exact conditional or Monte Carlo), ``asymptotic_p``, ``method``, ``notes``.
    mcnemar : dict or None
        With ``dichotomize``: the 2 x 2 counts, ``test`` and Newcombe's interval ``lower``,
        ``upper`` for the share positive before minus after.
    """

    def __init__(self, text):
        super().__init__(text)
        j = self._json
        self.levels = list(j["table"]["levels"])
        self.table = _np.array(j["table"]["counts"], dtype=_np.int64)
        self.tests = {t["test"]: t for t in j["tests"]}
        self.mcnemar = j["mcnemar"]

    def __repr__(self):
        p = self.tests["stuart_maxwell"]["p_value"]
        return f"OrdinalResult(levels={self.levels!r}, stuart_maxwell_p={p!r})"


def ordinal(pre, post, dichotomize=None, level=0.95, method="auto", resamples=None, seed=None, threads=0):
    """Paired ordinal data: the (pre, post) table, Stuart-Maxwell, Bhapkar, Bowker, McNemar.

    The p-values are exact conditional on the patients who changed level (each equally likely to
    have their two levels in either order), Monte Carlo beyond about 2e7 combinations or when asked;
    the asymptotic chi-square p-values are given beside them.

    Parameters
    ----------
    pre, post : array_like
        The levels before and after, one of each per patient (no missing values).
    dichotomize : float, optional
        Also run McNemar for the state ``level >= dichotomize``.
    level : float, default 0.95
        Of McNemar's Newcombe interval.
    method : {"auto", "exact", "mc"}, default "auto"
    resamples, seed, threads : as in :func:`sign_flip_test`

    Returns
    -------
    OrdinalResult
        ``to_dict()`` has the keys ``table``, ``tests`` and ``mcnemar`` of an endpoint of
        ``resample ordinal --format json``.
    """
    a = _as_float_array(pre, "pre")
    b = _as_float_array(post, "post")
    if a.shape != b.shape:
        raise ValueError(f"post: {b.size} values, expected as many as pre ({a.size})")
    if _np.isnan(a).any() or _np.isnan(b).any():
        raise ValueError("pre/post: missing value (NaN); the ordinal table needs both levels of every patient")
    defaults = _engine.sign_flip_defaults
    return OrdinalResult(
        _engine.ordinal(
            a,
            b,
            None if dichotomize is None else float(dichotomize),
            _level(level),
            _word(method, "method"),
            _count(resamples, "resamples", defaults["resamples"]),
            _count(seed, "seed", defaults["seed"]),
            _count(threads, "threads", 0),
        )
    )


def sign_flip_confidence_set(
    x=None,
    level=0.95,
    alternative="two-sided",
    method="auto",
    resamples=None,
    seed=None,
    threads=0,
    *,
    mid_p=False,
    statistic="mean",
    pre=None,
    post=None,
    missing="raise",
):
    """The confidence set for the mean shift that inverts the sign-flip test of the mean.

    The closure of the shifts delta at which the two-sided (or one-sided) sign-flip test of
    ``x - delta`` does not reject at ``1 - level``; exact up to 36 patients (order statistics of
    the subset averages) and for lattice data (integers or a common step) at any n the table
    fits, Monte Carlo otherwise or when asked, with each endpoint's Monte Carlo SE.

    Parameters
    ----------
    x : array_like, optional
        The paired differences; or give ``pre`` and ``post``.
    level : float, default 0.95
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        ``greater`` gives a lower bound, ``less`` an upper bound (the other end is NaN).
    method : {"auto", "exact", "mc"}, default "auto"
    resamples, seed, threads : as in :func:`sign_flip_test`
    mid_p : bool, default False
        Invert the mid-p test instead (exact only).
    statistic : {"mean", "trimmed:F"}, default "mean"
        ``trimmed:F`` inverts the sign-flip test of the trimmed mean: exact up to 12 patients
        (every sign pattern on every interval between Walsh averages), no mid-p, no Monte Carlo.
    pre, post : array_like, optional
    missing : {"raise", "complete-case"}, default "raise"

    Returns
    -------
    EstimateResult
        ``to_dict()`` is ``tests[].confidence_set`` of the sign-flip test in
        ``resample test --format json`` without its ``agrees_with_test``.
    """
    d = _differences(x, pre, post, missing)
    defaults = _engine.sign_flip_defaults
    return EstimateResult(
        _engine.sign_flip_confidence_set(
            d,
            _level(level),
            _word(alternative, "alternative"),
            _word(method, "method"),
            _count(resamples, "resamples", defaults["resamples"]),
            _count(seed, "seed", defaults["seed"]),
            bool(mid_p),
            _count(threads, "threads", 0),
            _word(statistic, "statistic"),
        )
    )


def _simulation_data(x, pre, post, missing, distribution):
    """(differences or None, endpoint name, distribution text) of power() and coverage()."""
    if x is None and pre is None and post is None:
        d = None
    else:
        d = _differences(x, pre, post, missing)
    name = getattr(x, "name", None) if x is not None else None
    endpoint = str(name) if isinstance(name, str) and name else "x"
    if isinstance(distribution, dict):
        distribution = ",".join(f"{float(v)!r}:{float(p)!r}" for v, p in distribution.items())
    elif distribution is not None:
        distribution = _word(distribution, "distribution")
    return d, endpoint, distribution


def _sizes(n):
    sizes = [n] if isinstance(n, (int, _np.integer)) else list(n)
    if not sizes:
        raise ValueError("n: expected at least one sample size")
    sizes = sorted({_count(k, "n", 0) for k in sizes})
    return sizes


def _fraction(value, name):
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: got {value!r}, expected a number with 0 < {name} < 1") from None
    if not 0.0 < value < 1.0:
        raise ValueError(f"{name}: got {value!r}, expected a number with 0 < {name} < 1")
    return value


def power(
    x=None,
    n=(10, 20, 30),
    test="signflip",
    statistic="mean",
    alternative="two-sided",
    alpha=0.05,
    trials=None,
    seed=None,
    threads=0,
    *,
    target_power=None,
    zero_method="pratt",
    model="bootstrap",
    shift_to=None,
    distribution=None,
    pre=None,
    post=None,
    missing="raise",
):
    """Power of paired tests by simulation, at each sample size of ``n``.

    Each of ``trials`` simulated data sets of size n is drawn from the effect model and tested
    (exactly wherever the test is exact); power is the share that rejects at ``alpha``.

    Parameters
    ----------
    x : array_like, optional
        Observed differences the model resamples (models "bootstrap" and "shift"); or give
        ``pre`` and ``post``.
    n : int or sequence of int, default (10, 20, 30)
        Sample sizes (the grid, each once, ascending).
    test : str or sequence of str, default "signflip"
        "signflip", "sign", "wilcoxon" or "t"; several give one curve each, on the same
        simulated data sets.
    statistic : str, default "mean"
        Of the sign-flip test (the other tests have their own).
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
    alpha : float, default 0.05
    trials : int, optional
        Simulated data sets per n (default 2000, as the command line).
    seed : int, optional
        Default 20026, as the command line. A point depends on (seed, n, trial) only.
    threads : int, default 0
    target_power : float, optional
        Also give, per test, the smallest n of the grid that reaches it (``required_n``).
    zero_method : {"pratt", "wilcox"}, default "pratt"
        Of the Wilcoxon test.
    model : {"bootstrap", "shift", "discrete"}, default "bootstrap"
        "bootstrap": draw from the observed differences; "shift": the same moved to mean
        ``shift_to``; "discrete": draw from ``distribution`` (no data).
    shift_to : float, optional
    distribution : dict or str, optional
        A discrete law: ``{value: probability}`` or "v:p,v:p,...".
    pre, post : array_like, optional
    missing : {"raise", "complete-case"}, default "raise"

    Returns
    -------
    PowerResult
        ``n``, ``power``, ``mc_se`` as numpy arrays; ``to_dict()`` is the result of
        ``resample power --format json`` (its envelope aside; ``endpoint`` is the Series' name or
        "x").

    Examples
    --------
    >>> curve = power([2, 9, 8, 10, 6, 4], n=[4, 6], test="wilcoxon", trials=200)
    >>> curve.n.tolist(), curve.power.shape
    ([4, 6], (2,))
    """
    d, endpoint, distribution = _simulation_data(x, pre, post, missing, distribution)
    tests = [test] if isinstance(test, str) else list(test)
    defaults = _engine.power_defaults
    text = _engine.power(
        d,
        _sizes(n),
        [_word(t, "test") for t in tests],
        _word(statistic, "statistic"),
        _word(alternative, "alternative"),
        _word(zero_method, "zero_method"),
        _fraction(alpha, "alpha"),
        _count(trials, "trials", defaults["trials"]),
        _count(seed, "seed", defaults["seed"]),
        _word(model, "model"),
        None if shift_to is None else float(shift_to),
        distribution,
        None if target_power is None else _fraction(target_power, "target_power"),
        _count(threads, "threads", 0),
        endpoint,
    )
    return PowerResult(text)


def coverage(
    x=None,
    n=(6, 10, 20),
    statistic="mean",
    ci=None,
    level=0.95,
    trials=None,
    seed=None,
    threads=0,
    *,
    studentized_se=None,
    exact_max_n=None,
    resamples=None,
    model="bootstrap",
    shift_to=None,
    distribution=None,
    pre=None,
    post=None,
    missing="raise",
):
    """The real coverage of confidence-interval methods, by simulation from an effect model.

    Each of ``trials`` simulated data sets of size n is drawn from the model; every interval is
    computed on it (the bootstrap exactly up to ``exact_max_n``, Monte Carlo beyond) and counted
    as covering when it contains the model's population value of what it estimates.

    Parameters
    ----------
    x : array_like, optional
        Observed differences the model resamples (models "bootstrap" and "shift").
    n : int or sequence of int, default (6, 10, 20)
    statistic : str, default "mean"
        Of the bootstrap intervals: one with a population value under the model ("mean",
        "median", "sd", "prop_ge:K", "hl", "superiority", "rank_biserial"; not "trimmed:F").
    ci : sequence of str, str or None
        "percentile", "basic", "normal", "studentized", "bca", "calibrated" (bootstrap), "t",
        "hl", "signflip" (the sign-flip confidence set), or "all". None: the command line's
        default (the bootstrap's default intervals, then t, hl and signflip).
    level : float, default 0.95
    trials : int, optional
        Simulated data sets per n (default 2000).
    seed : int, optional
        Default 20026, as the command line.
    threads : int, default 0
    studentized_se : {"auto", "order_statistic", "jackknife", "nested"}, optional
        As in :func:`bootstrap`.
    exact_max_n : int, optional
        Exact bootstrap inside each trial up to this n (default and largest: 10).
    resamples : int, optional
        Monte Carlo bootstrap B beyond ``exact_max_n`` (default 2000).
    model, shift_to, distribution : as in :func:`power`
    pre, post : array_like, optional
    missing : {"raise", "complete-case"}, default "raise"

    Returns
    -------
    CoverageResult
        ``to_dict()`` is the result of ``resample coverage --format json`` (its envelope aside).
    """
    d, endpoint, distribution = _simulation_data(x, pre, post, missing, distribution)
    if ci is not None and not isinstance(ci, str):
        ci = ",".join(_word(c, "ci") for c in ci)
    defaults = _engine.coverage_defaults
    text = _engine.coverage(
        d,
        _sizes(n),
        _word(statistic, "statistic"),
        ci,
        None if studentized_se is None else _word(studentized_se, "studentized_se"),
        _level(level),
        _count(trials, "trials", defaults["trials"]),
        _count(seed, "seed", defaults["seed"]),
        _count(exact_max_n, "exact_max_n", defaults["exact_max_n"]),
        _count(resamples, "resamples", defaults["resamples"]),
        _word(model, "model"),
        None if shift_to is None else float(shift_to),
        distribution,
        _count(threads, "threads", 0),
        endpoint,
    )
    return CoverageResult(text)


def _endpoint_columns(endpoints, names):
    """(names, float64 columns, row labels) of max_t_test's endpoints."""
    labels = None
    if hasattr(endpoints, "columns") and hasattr(endpoints, "index"):  # a pandas DataFrame
        given = [str(c) for c in endpoints.columns]
        columns = [_as_float_array(endpoints[c], f"endpoints[{c!r}]") for c in endpoints.columns]
        labels = [str(i) for i in endpoints.index]
    elif isinstance(endpoints, dict):
        given = [str(k) for k in endpoints]
        columns = [_as_float_array(v, f"endpoints[{k!r}]") for k, v in endpoints.items()]
    else:
        a = _np.asarray(endpoints) if not isinstance(endpoints, (list, tuple)) else None
        if a is not None and a.ndim == 2:
            columns = [_as_float_array(a[:, j], f"endpoints[:, {j}]") for j in range(a.shape[1])]
        else:
            columns = [_as_float_array(c, f"endpoints[{j}]") for j, c in enumerate(endpoints)]
        given = [f"endpoint_{j + 1}" for j in range(len(columns))]
    if names is not None:
        names = [_word(v, "names") for v in names]
        if len(names) != len(columns):
            raise ValueError(f"names: {len(names)} names, expected one per endpoint ({len(columns)})")
        given = names
    if len(columns) < 2:
        raise ValueError(f"endpoints: got {len(columns)} endpoint(s), expected at least 2")
    sizes = {c.size for c in columns}
    if len(sizes) != 1:
        raise ValueError(f"endpoints: the endpoints have {sorted(sizes)} values, expected as many each (same patients)")
    if labels is None:
        labels = [str(i) for i in range(columns[0].size)]
    return given, columns, labels


def max_t_test(
    endpoints,
    alternative="two-sided",
    method="auto",
    resamples=None,
    seed=None,
    threads=0,
    *,
    names=None,
    missing="raise",
):
    """Several endpoints of the same patients tested jointly: Westfall-Young max-T and Holm.

    Each patient's signs flip for all endpoints at once, which keeps the correlation between the
    endpoints in the null. Each endpoint's statistic is its sign-flip mean standardized by its
    permutation SD, so endpoints on different scales compete fairly in the maximum. Exact
    enumeration of the 2**n sign patterns when feasible, Monte Carlo otherwise.

    Parameters
    ----------
    endpoints : DataFrame, dict, 2-D array or sequence of arrays
        The paired differences of each endpoint, one column (or array) per endpoint, one row per
        patient in the same order. A DataFrame's columns (a dict's keys) name the endpoints.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
    method : {"auto", "exact", "mc"}, default "auto"
    resamples : int, optional
        Monte Carlo sign patterns (default 100000).
    seed : int, optional
        Default 20021, as the command line.
    threads : int, default 0
    names : sequence of str, optional
        Endpoint names (default: the columns', or endpoint_1, endpoint_2, ...).
    missing : {"raise", "complete-case"}, default "raise"
        "complete-case" leaves out the patients missing any endpoint (listed in ``left_out`` by
        their DataFrame index label, or their 0-based position).

    Returns
    -------
    MaxTResult
        ``to_dict()`` has the keys ``adjusted`` and ``adjustment`` of ``resample test --format
        json`` with several endpoints.
    """
    if missing not in ("raise", "complete-case"):
        raise ValueError(f"missing: got {missing!r}, expected 'raise' or 'complete-case'")
    given, columns, labels = _endpoint_columns(endpoints, names)
    bad = _np.zeros(columns[0].size, dtype=bool)
    for c in columns:
        bad |= _np.isnan(c)
    if bad.any() and missing == "raise":
        where = ", ".join(labels[i] for i in _np.flatnonzero(bad)[:5])
        raise ValueError(
            f"endpoints: missing value (NaN) for patient {where}; use missing='complete-case' to leave "
            "the patients missing any endpoint out"
        )
    left_out = [labels[i] for i in _np.flatnonzero(bad)]
    columns = [_np.ascontiguousarray(c[~bad]) for c in columns]
    defaults = _engine.sign_flip_defaults
    return MaxTResult(
        _engine.max_t_test(
            columns,
            given,
            left_out,
            _word(alternative, "alternative"),
            _word(method, "method"),
            _count(resamples, "resamples", defaults["resamples"]),
            _count(seed, "seed", defaults["seed"]),
            _count(threads, "threads", 0),
        )
    )


max_t = max_t_test  # the name issue 19 and the command line's "max-T" use; one function


def plan(
    x=None,
    statistic="mean",
    ci=None,
    test=None,
    level=0.95,
    precision=None,
    relative=None,
    seed=None,
    threads=0,
    *,
    alternative="two-sided",
    zero_method="pratt",
    pre=None,
    post=None,
    missing="raise",
):
    """Exact or Monte Carlo, and how many resamples: the planner, from timings on this machine.

    Measures the exact algorithm's cost and a Monte Carlo pilot, then recommends the exact answer
    when it is affordable, otherwise the number of resamples that reaches the precision asked.

    Parameters
    ----------
    x : array_like, optional
        The paired differences; or give ``pre`` and ``post``.
    statistic : str, default "mean"
    ci : str, optional
        Plan this bootstrap interval: "percentile", "basic", "normal", "studentized" or "bca".
    test : str, optional
        Or plan this test: "signflip", "wilcoxon", "sign" or "t" (give exactly one of ci, test).
    level : float, default 0.95
        Of the interval.
    precision : float, optional
        Target Monte Carlo SE of each interval endpoint (or of the p-value), on the statistic's
        scale.
    relative : float, optional
        Or a relative target: each endpoint (or the p-value) within this fraction of its
        B = infinity value with probability 0.95 (give exactly one of precision, relative).
    seed : int, optional
        Of the pilot runs and of the recommendation (default: that function's own).
    threads : int, default 0
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
    zero_method : {"pratt", "wilcox"}, default "pratt"
    pre, post : array_like, optional
    missing : {"raise", "complete-case"}, default "raise"

    Returns
    -------
    PlanResult
        ``to_dict()`` is the result of ``resample plan --format json`` without the command it
        recommends (``kwargs`` says the Python call instead); its timings are this machine's.
    """
    d = _differences(x, pre, post, missing)
    if (ci is None) == (test is None):
        raise ValueError("ci: give exactly one of ci= (a bootstrap interval) or test=")
    if (precision is None) == (relative is None):
        raise ValueError("precision: give exactly one of precision= or relative=")
    target = precision if precision is not None else relative
    name = "precision" if precision is not None else "relative"
    try:
        target = float(target)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: got {target!r}, expected a positive number") from None
    if not (target > 0.0 and _np.isfinite(target)):
        raise ValueError(f"{name}: got {target!r}, expected a positive number")
    return PlanResult(
        _engine.plan(
            d,
            _word(statistic, "statistic"),
            None if ci is None else _word(ci, "ci"),
            None if test is None else _word(test, "test"),
            _level(level),
            _word(alternative, "alternative"),
            _word(zero_method, "zero_method"),
            target if precision is not None else 0.0,
            target if relative is not None else 0.0,
            None if seed is None else _count(seed, "seed", 0),
            _count(threads, "threads", 0),
        )
    )
