"""Same numbers in any container give the same plan (budget).

``fit_curve``, ``learning_curve``, ``fit_compute``, ``redundancy`` and
``time_fits`` (its sizes; timings vary) are run on sizes, scores and data
held as NumPy float64 arrays (the reference) and in the other containers a
user may pass. The answers must be equal (float32: within its precision) and
the caller's inputs unchanged. Sizes near 1e300 or 1e-300 fit the curve that
the same sizes in ordinary units fit.
"""

from __future__ import annotations

import numpy as np
import pytest
from _containers import matrices, same_answers, vectors
from sklearn.linear_model import LogisticRegression

from mllifecycle import budget as B

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")











RNG = np.random.default_rng(0)
SIZES = np.array([100.0, 200, 400, 800, 1600])
FOLDS = 0.95 - 2.0 * SIZES[:, None] ** -0.6 + RNG.normal(0, 0.004, (5, 4))


def curve_numbers(sizes, scores):
    c = B.fit_curve(sizes, scores, n_resamples=60, rng=0)
    need = B.samples_needed(c, 0.93)
    return np.concatenate([c.params, c.boot_params.ravel(), c.predict(np.array([3200.0])),
                           np.ravel(c.interval(3200.0)), [need.n_samples]])


def _check_all(fn, base, kinds, *, tol32=None):
    same_answers(fn, fn(base), kinds, tol32=tol32)


def test_fit_curve_sizes_in_every_container():
    _check_all(lambda s: curve_numbers(s, FOLDS), SIZES, vectors(SIZES))


def test_fit_curve_scores_in_every_container():
    _check_all(lambda f: curve_numbers(SIZES, f), FOLDS, matrices(FOLDS), tol32=1e-4)
    mean = FOLDS.mean(axis=1)
    _check_all(lambda f: curve_numbers(SIZES, f), mean, vectors(mean))


def test_learning_curve_data_in_every_container():
    X = RNG.normal(size=(90, 3))
    y = (X[:, 0] + 0.5 * RNG.normal(size=90) > 0).astype(int)

    def measured(X=X, y=y):
        c = B.learning_curve(LogisticRegression(), X, y, [15, 30, 45, 60], cv=3, n_repeats=1,
                             n_resamples=60, rng=0)
        return np.concatenate([c.scores, c.params])

    kinds = {k: v for k, v in matrices(X).items()
             if k in ("list", "pandas", "polars", "polars_lazy", "fortran", "column_view",
                      "float32")}
    _check_all(lambda x: measured(X=x), X, kinds, tol32=1e-4)
    _check_all(lambda v: measured(y=v), y,
               {k: v for k, v in vectors(y).items() if k in ("pandas", "polars", "list")})


def test_fit_compute_and_redundancy_in_every_container():
    ns = np.array([100.0, 200, 400, 800, 1600])
    nf = np.array([5.0, 5, 10, 10, 20])
    sec = 1e-4 * ns * nf**0.5 * np.exp(RNG.normal(0, 0.05, 5))

    def compute(n_samples=ns, n_features=nf, seconds=sec):
        d = B.fit_compute(n_samples, n_features, seconds).to_dict()
        return np.array(list(_numbers(d)))

    _check_all(lambda v: compute(n_samples=v), ns, vectors(ns))
    _check_all(lambda v: compute(n_features=v), nf, vectors(nf))
    _check_all(lambda v: compute(seconds=v), sec, vectors(sec))
    acc = np.array([0.7, 0.8, 0.75, 0.9])

    def plan(a):
        r = B.redundancy(a, 0.95, n_simulations=2000, rng=0)
        return np.concatenate([r.majority_accuracy, r.weighted_accuracy])

    _check_all(plan, acc, vectors(acc))


def test_time_fits_sizes_and_rows_in_every_container():
    X = RNG.normal(size=(120, 3))
    y = (X[:, 0] > 0).astype(int)

    def sizes(X=X, y=y):
        m = B.time_fits(LogisticRegression(), X, y, [40, 80, 120], repeats=1, rng=0)
        return np.concatenate([m.n_samples, m.n_features])

    _check_all(lambda x: sizes(X=x), X, matrices(X), tol32=0)
    _check_all(lambda v: sizes(y=v), y, vectors(y))


def _numbers(d):
    if isinstance(d, dict):
        for k in sorted(d, key=str):
            yield from _numbers(d[k])
    elif isinstance(d, list | tuple):
        for v in d:
            yield from _numbers(v)
    elif isinstance(d, bool | int | float) and d is not None:
        yield float(d)


@pytest.mark.parametrize("exponent", [-290, -60, 290, 300])
@pytest.mark.parametrize("per_fold", [False, True], ids=["means", "folds"])
def test_fit_curve_at_extreme_sizes_fits_the_ordinary_curve(exponent, per_fold):
    # sizes near 1e300: the basis n**-c squared underflowed below the slope's
    # cut, so every slope was 0 and the curve came out another (samples_needed
    # 1960 for 2127); near 1e-300 it overflowed and the fit was NaN (or a
    # bare ValueError with per-fold scores)
    scores = FOLDS if per_fold else FOLDS.mean(axis=1)
    k = 10.0**exponent
    ref = B.fit_curve(SIZES, scores, bounds=(0, 1), n_resamples=100, rng=0)
    # (no RuntimeWarning either: the suite turns warnings into errors)
    got = B.fit_curve(SIZES * k, scores, bounds=(0, 1), n_resamples=100, rng=0)
    assert got.family == ref.family
    np.testing.assert_allclose(got.params[0], ref.params[0], rtol=1e-7)
    np.testing.assert_allclose(got.params[2], ref.params[2], rtol=1e-6)
    np.testing.assert_allclose(got.predict(np.array([3200.0 * k])),
                               ref.predict(np.array([3200.0])), rtol=1e-8)
    np.testing.assert_allclose(np.ravel(got.interval(3200.0 * k)),
                               np.ravel(ref.interval(3200.0)), rtol=1e-7)
    np.testing.assert_allclose(B.samples_needed(got, 0.93).n_samples / k,
                               B.samples_needed(ref, 0.93).n_samples, rtol=1e-6)
