"""Against brute force written here in numpy: every sign pattern, every bootstrap resample.

Small integer and half-integer data with ties and zeros, where every sum is exact in floating
point, so that "at least as extreme" needs no tolerance and the numbers must agree to rounding."""

import itertools

import numpy as np
import pytest

import pairedresample as pr


def lattice_samples(count, seed, n_range=(3, 9)):
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        n = int(rng.integers(n_range[0], n_range[1] + 1))
        x = rng.integers(-3, 7, size=n) / (2.0 if len(out) % 2 else 1.0)
        if np.any(x != 0):
            out.append(x)
    return out


SAMPLES = lattice_samples(24, seed=7)
ALTERNATIVES = ["two-sided", "greater", "less"]


def signs(n):
    return np.array(list(itertools.product([1.0, -1.0], repeat=n)))


def p_value(null, observed, centre, alternative):
    if alternative == "greater":
        return float(np.mean(null >= observed))
    if alternative == "less":
        return float(np.mean(null <= observed))
    return float(np.mean(np.abs(null - centre) >= abs(observed - centre)))


@pytest.mark.parametrize("i", range(len(SAMPLES)))
def test_sign_flip_mean_is_every_pattern(i):
    x = SAMPLES[i]
    alt = ALTERNATIVES[i % 3]
    null = signs(len(x)) @ np.abs(x) / len(x)
    expected = p_value(null, x.mean(), 0.0, alt)
    r = pr.sign_flip_test(x, alternative=alt, method="exact")
    assert r.exact and r.pvalue == pytest.approx(expected, rel=1e-12)


def midranks(a):
    order = np.argsort(a, kind="stable")
    ranks = np.empty(len(a))
    ranks[order] = np.arange(1, len(a) + 1)
    for v in np.unique(a):
        ranks[a == v] = ranks[a == v].mean()
    return ranks


@pytest.mark.parametrize("i", range(len(SAMPLES)))
def test_wilcoxon_ties_and_zeros_is_every_pattern(i):
    x = SAMPLES[i]
    alt = ALTERNATIVES[i % 3]
    zero_method = ["pratt", "wilcox"][i % 2]
    kept = x if zero_method == "pratt" else x[x != 0]
    ranks = midranks(np.abs(kept))
    ranks = ranks[kept != 0]  # Pratt: zeros are ranked, then carry no sign
    observed = ranks[kept[kept != 0] > 0].sum()
    null = (signs(len(ranks)) > 0) @ ranks
    expected = p_value(null, observed, ranks.sum() / 2, alt)
    r = pr.wilcoxon(x, zero_method=zero_method, alternative=alt, method="exact")
    assert r.statistic == observed
    assert r.exact and r.pvalue == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("i", [k for k in range(len(SAMPLES)) if len(SAMPLES[k]) <= 6])
def test_exact_bootstrap_is_every_resample(i):
    x = SAMPLES[i]
    n = len(x)
    # All n**n equally likely index tuples, the definition the engine's multiset enumeration
    # and convolution reproduce with multinomial weights.
    means = np.array([x[list(t)].mean() for t in itertools.product(range(n), repeat=n)])
    values, counts = np.unique(np.round(means, 9), return_counts=True)
    r = pr.bootstrap(x, method="exact", ci="percentile")
    np.testing.assert_allclose(r.distribution.atoms, values, rtol=0, atol=1e-9)
    np.testing.assert_allclose(r.distribution.weights, counts / n**n, rtol=1e-12, atol=0)
    assert r.se == pytest.approx(means.std(), rel=1e-10)
    # The percentile interval from the conventions' quantile Q(p) = inf{t : F(t) >= p}.
    cdf = np.cumsum(counts) / n**n
    lower = values[np.searchsorted(cdf, 0.025 - 1e-12)]
    upper = values[np.searchsorted(cdf, 0.975 - 1e-12)]
    interval = r.interval("percentile")
    assert interval.lower == pytest.approx(lower, abs=1e-9) and interval.upper == pytest.approx(upper, abs=1e-9)
