"""Categorical, binned and multivariate tests checked against references.

SciPy (chi2_contingency, jensenshannon), hand formulas, exhaustive
enumeration of the relabellings on tiny samples, and the moments of the
multivariate hypergeometric law drawn by the grouped permutation path.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from scipy import stats
from scipy.spatial.distance import cdist, jensenshannon

from mllifecycle.drift import chi_square, energy, hellinger, jensen_shannon, mmd, psi
from mllifecycle.drift._grouped import groups_from_codes, permuted_counts
from mllifecycle.exceptions import DegenerateDataWarning


def _counts(ref: list[str], cur: list[str], cats: str) -> tuple[np.ndarray, np.ndarray]:
    return (
        np.array([ref.count(c) for c in cats], dtype=float),
        np.array([cur.count(c) for c in cats], dtype=float),
    )


@pytest.mark.parametrize(
    ("ref", "cur"),
    [
        (["a"] * 60 + ["b"] * 40, ["a"] * 30 + ["b"] * 50),  # K = 2: Yates, as scipy
        (["a"] * 60 + ["b"] * 40 + ["c"] * 30, ["a"] * 30 + ["b"] * 50 + ["c"] * 25),
    ],
)
def test_chi_square_asymptotic_is_scipy_chi2_contingency(ref: list[str], cur: list[str]) -> None:
    res = chi_square(ref, cur, rng=0)
    cats = "abc"[: len(set(ref))]
    r, c = _counts(ref, cur, cats)
    want = stats.chi2_contingency(np.vstack([r, c]))
    assert res.details["p_value_method"] == "asymptotic"
    assert res.statistic == pytest.approx(float(want.statistic), rel=1e-12)
    assert res.p_value == pytest.approx(float(want.pvalue), rel=1e-9)
    assert res.effect_size == pytest.approx(np.sqrt(want.statistic / (len(ref) + len(cur))))


def test_binned_categorical_statistics_are_the_textbook_formulas_with_an_unseen_category() -> None:
    ref = ["a"] * 30 + ["b"] * 50 + ["c"] * 20
    cur = ["a"] * 20 + ["b"] * 30 + ["c"] * 25 + ["d"] * 5  # "d" only in current
    r, c = _counts(ref, cur, "abcd")
    p, q = r / r.sum(), c / c.sum()
    js = jensen_shannon(ref, cur, rng=0)
    assert js.statistic == pytest.approx(float(jensenshannon(p, q, base=2)), rel=1e-12)
    hel = hellinger(ref, cur, rng=0)
    assert hel.statistic == pytest.approx(
        float(np.sqrt(0.5 * np.sum((np.sqrt(p) - np.sqrt(q)) ** 2))), rel=1e-12
    )
    pf, qf = np.maximum(p, 1e-4), np.maximum(q, 1e-4)  # the documented floor
    assert psi(ref, cur, rng=0).statistic == pytest.approx(
        float(np.sum((qf - pf) * np.log(qf / pf))), rel=1e-12
    )


def _exact_p(fn, ref, cur, **kw) -> float:  # type: ignore[no-untyped-def]
    """Share of all relabellings whose statistic reaches the observed one."""
    pooled = np.concatenate([np.asarray(ref), np.asarray(cur)])
    n, big_n = len(ref), len(pooled)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        obs = fn(ref, cur, n_resamples=1, rng=0, **kw).statistic
        hits = total = 0
        for idx in itertools.combinations(range(big_n), n):
            mask = np.zeros(big_n, dtype=bool)
            mask[list(idx)] = True
            s = fn(pooled[mask], pooled[~mask], n_resamples=1, rng=0, **kw).statistic
            total += 1
            hits += s >= obs - 1e-9 * max(1.0, abs(obs))
    return hits / total


@pytest.mark.parametrize(
    ("fn", "ref", "cur", "kw"),
    [
        (chi_square, np.array(list("aabbc")), np.array(list("abccc")), {}),
        (chi_square, np.array(list("aab")), np.array(list("bbbb")), {}),
        (jensen_shannon, np.array(list("aabbc")), np.array(list("abccd")), {}),
        (hellinger, np.array([0.1, 0.5, 0.3, 2.0, 1.1]),
         np.array([1.5, 2.5, 0.7, 3.0, 2.2, 0.2]), {"n_bins": 3}),
    ],
)
def test_permutation_p_value_matches_exhaustive_enumeration(fn, ref, cur, kw) -> None:  # type: ignore[no-untyped-def]
    exact = _exact_p(fn, ref, cur, **kw)
    b = 4000
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        got = fn(ref, cur, n_resamples=b, rng=1, **kw).p_value
    assert abs(got - exact) <= 4.0 * np.sqrt(exact * (1 - exact) / b) + 1.0 / b


@pytest.mark.parametrize(("fn", "kw"), [(energy, {}), (mmd, {"bandwidth": 1.0})])
def test_multivariate_permutation_p_value_matches_exhaustive_enumeration(fn, kw) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(3)
    ref, cur = rng.normal(size=(4, 2)), rng.normal(0.8, size=(5, 2))
    exact = _exact_p(fn, ref, cur, **kw)
    b = 4000
    got = fn(ref, cur, n_resamples=b, rng=1, **kw).p_value
    assert abs(got - exact) <= 4.0 * np.sqrt(exact * (1 - exact) / b) + 1.0 / b


def test_multivariate_statistics_are_the_textbook_formulas() -> None:
    rng = np.random.default_rng(4)
    ref, cur = rng.normal(size=(6, 3)), rng.normal(0.5, size=(8, 3))
    e = np.sqrt(2 * cdist(ref, cur).mean() - cdist(ref, ref).mean() - cdist(cur, cur).mean())
    assert energy(ref, cur, rng=0).statistic == pytest.approx(e, rel=1e-9)
    g = 1.0 / (2 * 1.5**2)
    k_rr = np.exp(-g * cdist(ref, ref, "sqeuclidean"))
    k_cc = np.exp(-g * cdist(cur, cur, "sqeuclidean"))
    k_rc = np.exp(-g * cdist(ref, cur, "sqeuclidean"))
    n, m = len(ref), len(cur)
    want = (k_rr.sum() - n) / (n * (n - 1)) + (k_cc.sum() - m) / (m * (m - 1)) - 2 * k_rc.mean()
    assert mmd(ref, cur, bandwidth=1.5, rng=0).statistic == pytest.approx(want, rel=1e-9, abs=1e-12)


def test_hypergeometric_path_draws_multivariate_hypergeometric_counts() -> None:
    rng = np.random.default_rng(0)
    rc, cc = rng.integers(0, 5, 30), rng.integers(0, 5, 300)
    groups = groups_from_codes(rc, cc)
    assert groups.labels is None  # few groups for the rows: hypergeometric draws
    draws = np.concatenate(list(permuted_counts(groups, np.random.default_rng(1), 40_000)))
    big_n, n = 330, 30
    share = groups.sizes / big_n
    mean = n * share
    cov = n * (big_n - n) / (big_n - 1) * (np.diag(share) - np.outer(share, share))
    assert (draws.sum(axis=1) == n).all()
    assert np.all((draws >= 0) & (draws <= groups.sizes))
    se = np.sqrt(np.diag(cov) / draws.shape[0])
    assert np.all(np.abs(draws.mean(axis=0) - mean) <= 5 * se)
    np.testing.assert_allclose(np.cov(draws.T), cov, atol=0.1)
