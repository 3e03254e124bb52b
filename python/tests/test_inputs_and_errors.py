"""Input forms (dtypes, layouts, pre/post, NaN policy) and the exceptions bad input raises."""

import numpy as np
import pytest

import pairedresample as pr

X = np.array([2, 9, 8, 10, 6, 4, -1, 0, 3, 5], dtype=np.int64)


def reference():
    return pr.wilcoxon(X.astype(float).tolist()).to_dict(), pr.bootstrap(X.tolist()).to_dict()


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.float16, np.float32,
                                   np.float64, np.longdouble])
def test_every_real_dtype(dtype):
    if np.dtype(dtype).kind == "u":
        data = (X + 1).astype(dtype)  # unsigned: the same differences shifted by one
        expected = pr.wilcoxon((X + 1).astype(float)).to_dict()
    else:
        data = X.astype(dtype)
        expected = reference()[0]
    assert pr.wilcoxon(data).to_dict() == expected


def test_layouts():
    expected_w, expected_b = reference()
    wide = np.zeros((len(X), 3), order="F")
    wide[:, 1] = X
    strided = np.repeat(X.astype(float), 2)[::2]
    reversed_twice = X.astype(float)[::-1][::-1]
    for data in (wide[:, 1], wide.T[1], strided, reversed_twice, tuple(X.tolist()), list(X)):
        assert not isinstance(data, np.ndarray) or data.ndim == 1
        assert pr.wilcoxon(data).to_dict() == expected_w
        assert pr.bootstrap(data).to_dict() == expected_b


def test_pandas_series():
    pd = pytest.importorskip("pandas")
    s = pd.Series(X, index=list("abcdefghij"))
    assert pr.wilcoxon(s).to_dict() == reference()[0]
    nullable = pd.Series(list(X) + [None], dtype="Float64")
    with pytest.raises(ValueError, match="missing"):
        pr.wilcoxon(nullable)
    assert pr.wilcoxon(nullable, missing="complete-case").to_dict() == reference()[0]


def test_to_frame():
    pd = pytest.importorskip("pandas")
    frame = pr.bootstrap(X).to_frame()
    assert list(frame["method"]) == ["percentile", "bca"]
    assert pr.t_test(X).to_frame().loc[0, "p_value"] == pr.t_test(X).pvalue
    assert isinstance(pr.hodges_lehmann(X).to_frame(), pd.DataFrame)


def test_pre_post():
    pre = np.array([10.0, 12.5, 9.0, 14.0, 11.0, 8.5])
    post = np.array([8.0, 12.5, 9.5, 10.0, 7.0, 8.0])
    assert pr.sign_flip_test(pre=pre, post=post).to_dict() == pr.sign_flip_test(pre - post).to_dict()
    with pytest.raises(ValueError, match="post"):
        pr.sign_flip_test(pre=pre, post=post[:-1])
    with pytest.raises(ValueError, match="pre="):
        pr.sign_flip_test(pre=pre)
    with pytest.raises(ValueError, match="not both"):
        pr.sign_flip_test(X, pre=pre, post=post)


def test_missing_values():
    with_nan = np.append(X.astype(float), np.nan)
    with pytest.raises(ValueError, match=r"position 10.*complete-case"):
        pr.sign_test(with_nan)
    assert pr.sign_test(with_nan, missing="complete-case").to_dict() == pr.sign_test(X).to_dict()
    pre = [1.0, np.nan, 3.0, 7.0, 2.0]
    post = [0.0, 1.0, np.nan, 5.0, 4.0]
    r = pr.t_test(pre=pre, post=post, missing="complete-case")
    assert r.n == 3 and r.to_dict() == pr.t_test([1.0, 2.0, -2.0]).to_dict()
    with pytest.raises(ValueError, match="missing: got"):
        pr.t_test(X, missing="drop")


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: pr.bootstrap(X, statistic="meen"), r"^statistic: .*'mean'"),
        (lambda: pr.bootstrap(X, level=1.5), r"^level:"),
        (lambda: pr.bootstrap(X, method="approx"), r"^method:"),
        (lambda: pr.bootstrap(X, ci=("percentile", "bcaa")), r"^ci:"),
        (lambda: pr.bootstrap(X, resamples=-3), r"^resamples:"),
        (lambda: pr.bootstrap(X, resamples=2.5), r"^resamples:"),
        (lambda: pr.sign_flip_test(X, alternative="bigger"), r"^alternative:"),
        (lambda: pr.wilcoxon(X, zero_method="zsplit"), r"^zero_method:"),
        (lambda: pr.wilcoxon(X, method="fast"), r"^method:"),
        (lambda: pr.hodges_lehmann(X, level=0), r"^level:"),
        (lambda: pr.t_test([[1.0, 2.0], [3.0, 4.0]]), r"^x: .*one-dimensional"),
        (lambda: pr.t_test(["a", "b"]), r"^x: expected real numbers"),
        (lambda: pr.t_test([1.0, np.inf, 2.0]), r""),
        (lambda: pr.bootstrap([1.0]), r""),
    ],
)
def test_bad_input_raises_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_infeasible_error():
    big = np.arange(1, 301, dtype=float) * 1.001
    with pytest.raises(pr.InfeasibleError) as caught:
        pr.bootstrap(big, statistic="median", method="exact")
    assert isinstance(caught.value, ValueError)
    assert caught.value.reason
    assert "method='mc'" in str(caught.value) or caught.value.remedies == []


def test_error_attributes():
    with pytest.raises(ValueError) as caught:
        pr.bootstrap(X, statistic="meen")
    assert caught.value.parameter == "statistic"
    assert "meen" in caught.value.reason


def test_docstring_examples():
    import doctest

    assert doctest.testmod(pr).failed == 0


def test_readme_examples():
    import doctest
    import pathlib

    readme = pathlib.Path(__file__).resolve().parents[1] / "README.md"
    assert doctest.testfile(str(readme), module_relative=False).failed == 0


def test_help_shows_numpydoc():
    assert "Parameters\n    ----------" in pr.bootstrap.__doc__
    assert "Returns" in pr.wilcoxon.__doc__


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: pr.power(X, test="ttest"), r"^test:"),
        (lambda: pr.power(X, alpha=2), r"^alpha:"),
        (lambda: pr.power(X, n=[1]), r""),
        (lambda: pr.power(X, model="shift"), r"^shift_to:"),
        (lambda: pr.power(n=[5]), r"^x:"),
        (lambda: pr.power(X, model="discrete", distribution="1:1"), r"^x:"),
        (lambda: pr.power(model="discrete", distribution="1:0.5,2:0.2"), r""),
    ],
)
def test_bad_power_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_max_t_is_max_t_test_and_refuses_bad_endpoints():
    assert pr.max_t is pr.max_t_test
    with pytest.raises(ValueError, match="endpoints: got 1 endpoint"):
        pr.max_t_test([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="as many each"):
        pr.max_t_test([[1.0, 2.0, 3.0], [1.0, 2.0]])
    with pytest.raises(ValueError, match="names: 1 names"):
        pr.max_t_test([[1.0, 2.0, 3.0], [1.0, -2.0, 3.0]], names=["a"])


def test_simulation_and_plan_arguments_are_named():
    with pytest.raises(ValueError, match="^ci: got 'signflop'.*did you mean 'signflip'"):
        pr.coverage([1.0, 2.0, 3.0], n=5, ci="t,signflop", trials=5)
    with pytest.raises(ValueError, match="^exact_max_n: got 11"):
        pr.coverage([1.0, 2.0, 3.0], n=5, exact_max_n=11, trials=5)
    with pytest.raises(ValueError, match="^statistic: only the sign-flip test"):
        pr.power([1.0, 2.0, 3.0], n=5, test="wilcoxon", statistic="median", trials=5)
    with pytest.raises(ValueError, match="^target_power: got 1.5"):
        pr.power([1.0, 2.0, 3.0], n=5, target_power=1.5, trials=5)
    with pytest.raises(ValueError, match="^ci: give exactly one of ci="):
        pr.plan([1.0, 2.0, 3.0], precision=0.1)
    with pytest.raises(ValueError, match="^precision: give exactly one"):
        pr.plan([1.0, 2.0, 3.0], ci="bca")
    with pytest.raises(ValueError, match="^studentized_se: "):
        pr.bootstrap([1.0, 2.0, 3.0], studentized_se="bootstrap")
