"""Against scipy.stats where scipy is exact: tie-free data without zeros (Debian python3-scipy).

scipy's exact signed-rank distribution assumes no ties and no zeros, and its exact permutation
test enumerates every sign pattern; on such data the p-values are the same numbers computed
another way, so they must agree to rounding. (On tied data scipy 1.10 falls back to a normal
approximation, which is what this engine does not do.)"""

import numpy as np
import pytest

import pairedresample as pr

stats = pytest.importorskip("scipy.stats")


def tie_free(count, seed):
    """Samples of distinct, non-zero absolute values (n = 5..12), so no midranks and no zeros."""
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        n = int(rng.integers(5, 13))
        x = np.round(rng.normal(0.8, 2.0, size=n), 4)
        if np.all(x != 0) and len(set(np.abs(x))) == n:
            out.append(x)
    return out


SAMPLES = tie_free(30, seed=2026)
ALTERNATIVES = ["two-sided", "greater", "less"]


@pytest.mark.parametrize("i", range(len(SAMPLES)))
def test_wilcoxon_exact_equals_scipy(i):
    x = SAMPLES[i]
    alt = ALTERNATIVES[i % 3]
    mine = pr.wilcoxon(x, alternative=alt, method="exact")
    theirs = stats.wilcoxon(x, alternative=alt, method="exact")
    assert mine.exact and mine.pvalue == pytest.approx(theirs.pvalue, rel=1e-12, abs=0)
    # scipy's two-sided statistic is min(V+, V-); one-sided it is V+ (this engine's V).
    v_plus = mine.statistic
    v_minus = len(x) * (len(x) + 1) / 2 - v_plus
    assert theirs.statistic == (min(v_plus, v_minus) if alt == "two-sided" else v_plus)


@pytest.mark.parametrize("i", range(len(SAMPLES)))
def test_sign_test_equals_binomtest(i):
    x = SAMPLES[i]
    alt = ALTERNATIVES[i % 3]
    mine = pr.sign_test(x, alternative=alt)
    theirs = stats.binomtest(int(np.sum(x > 0)), len(x), 0.5, alternative=alt)
    assert mine.pvalue == pytest.approx(theirs.pvalue, rel=1e-12, abs=0)


@pytest.mark.parametrize("i", range(len(SAMPLES)))
def test_t_test_equals_ttest_1samp(i):
    x = SAMPLES[i]
    alt = ALTERNATIVES[i % 3]
    mine = pr.t_test(x, alternative=alt)
    theirs = stats.ttest_1samp(x, 0.0, alternative=alt)
    assert mine.statistic == pytest.approx(theirs.statistic, rel=1e-12)
    assert mine.pvalue == pytest.approx(theirs.pvalue, rel=1e-10)
    # pre/post is the paired t test of scipy.stats.ttest_rel.
    post = np.linspace(1.0, 2.0, len(x))
    paired = stats.ttest_rel(x + post, post, alternative=alt)
    assert pr.t_test(pre=x + post, post=post, alternative=alt).pvalue == pytest.approx(paired.pvalue, rel=1e-9)


@pytest.mark.parametrize("i", range(len(SAMPLES)))
def test_sign_flip_exact_equals_permutation_test(i):
    x = SAMPLES[i]
    alt = ALTERNATIVES[i % 3]
    mine = pr.sign_flip_test(x, alternative=alt, method="exact")
    # One sample with permutation_type="samples": scipy flips the sign of each observation, all
    # 2**n patterns (n_resamples=inf); its two-sided p is 2 min(one-sided), which on the symmetric
    # sign-flip null is P(|T*| >= |t|), this engine's rule.
    theirs = stats.permutation_test((x,), np.mean, permutation_type="samples", n_resamples=np.inf,
                                    alternative=alt)
    assert mine.exact and mine.pvalue == pytest.approx(theirs.pvalue, rel=1e-12, abs=0)
    assert mine.statistic == pytest.approx(theirs.statistic, rel=1e-12)
