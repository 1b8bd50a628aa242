"""Calibrated probabilities of exactly 0 or 1 made every estimate 'exact'.

A well-separated model's isotonic calibration maps its top (bottom) block to
1.0 (0.0) when the reference had no error there, and a steep sigmoid to
1 - 1e-12: an estimate on such rows had ``std_error == 0.0``. A block with no
error among ``n`` reference rows now gets the Jeffreys posterior mean
``0.5 / (n + 1)`` of its error rate; other blocks are unchanged.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.isotonic import IsotonicRegression

from mllifecycle.estimate import CBPE


def _separable(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    p = np.where(y == 1, rng.beta(20, 1, n), rng.beta(1, 20, n))
    return y, p


@pytest.mark.parametrize("calibration", ["isotonic", "sigmoid", "auto"])
def test_separable_reference_gives_a_positive_std_error(calibration: str) -> None:
    y, p = _separable(2000, 0)
    est = CBPE(calibration=calibration, random_state=0).fit(y_true=y, y_proba=p)
    _, p_new = _separable(100, 1)
    e = est.estimate(p_new)["accuracy"]
    assert 0.99 < e.value < 1.0
    assert e.std_error > 1e-3  # was 0.0 (isotonic) and 8e-05 (sigmoid)
    assert e.ci_low < e.value
    cal = est.calibrate(p_new)
    assert cal.min() > 0.0
    assert cal.max() < 1.0


def test_isotonic_end_blocks_get_the_jeffreys_mean() -> None:
    y, p = _separable(2000, 0)
    est = CBPE(calibration="isotonic").fit(y_true=y, y_proba=p)
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(p, y)
    fitted = iso.predict(p)
    n_top, n_bottom = int(np.sum(fitted == 1.0)), int(np.sum(fitted == 0.0))
    assert n_top > 0
    assert n_bottom > 0
    cal = est.calibrate(p)
    np.testing.assert_allclose(cal[fitted == 1.0], 1.0 - 0.5 / (n_top + 1))
    np.testing.assert_allclose(cal[fitted == 0.0], 0.5 / (n_bottom + 1))
    inner = (fitted > 0.0) & (fitted < 1.0)
    np.testing.assert_array_equal(cal[inner], fitted[inner])  # the rest unchanged
    order = np.argsort(p)
    assert np.all(np.diff(cal[order]) >= 0.0)  # still monotone


def test_isotonic_uncertain_blocks_are_unchanged() -> None:
    # a noisy reference: only the few-row end blocks (at 0 or 1) move
    rng = np.random.default_rng(3)
    p = rng.uniform(0.2, 0.8, 3000)
    y = (rng.uniform(size=3000) < p).astype(int)
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(p, y)
    est = CBPE(calibration="isotonic").fit(y_true=y, y_proba=p)
    q = rng.uniform(0.2, 0.8, 500)
    fitted = iso.predict(q)
    inner = (fitted > 0.0) & (fitted < 1.0)
    assert inner.mean() > 0.9
    np.testing.assert_array_equal(est.calibrate(q)[inner], fitted[inner])


def test_multiclass_separable_reference_is_not_exact() -> None:
    rng = np.random.default_rng(5)
    y = rng.integers(0, 3, 1500)
    P = np.full((1500, 3), 0.01)
    P[np.arange(1500), y] = 0.98
    est = CBPE(metrics=["accuracy", "precision"], calibration="isotonic").fit(
        y_true=y, y_proba=P
    )
    r = est.estimate(P[:200])
    assert r["accuracy"].std_error > 0.0
    assert r["precision"].std_error > 0.0
    assert r["accuracy"].value < 1.0


def test_pickled_estimator_keeps_its_estimates() -> None:
    y, p = _separable(500, 2)
    est = CBPE(calibration="isotonic", n_resamples=5, random_state=0).fit(y_true=y, y_proba=p)
    again = pickle.loads(pickle.dumps(est))
    assert again.estimate(p[:50]) == est.estimate(p[:50])


def test_auto_choosing_none_on_hard_probabilities_is_not_exact() -> None:
    # a model that outputs exactly 0 and 1 and is never wrong on the reference:
    # "none" has held-out Brier 0, wins, and every estimate had std_error 0.0
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 1000)
    p = y.astype(float)
    est = CBPE(random_state=0).fit(y_true=y, y_proba=p)
    e = est.estimate(p[:100])["accuracy"]
    assert est.calibration_ == "none"
    assert e.value == pytest.approx(1.0 - 0.5 / 1001)
    assert e.std_error > 1e-3
    # calibration="none" asked for explicitly still trusts the model
    explicit = CBPE(calibration="none").fit(y_true=y, y_proba=p)
    assert explicit.estimate(p[:100])["accuracy"].std_error == 0.0
    np.testing.assert_array_equal(explicit.calibrate(p), p)
