"""Calibration under the null and power, by seeded simulation.

The per-test null calibration lives in the calibration matrix
(test_drift_calibration_matrix.py); here: ``detect`` vectorised over 1000
trials (each column a trial) on normal, Student-t(2), lognormal and Poisson(2)
data, Holm's family-wise rate, and power checks.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle import drift

ALPHA = 0.05
TRIALS = 1000
NUMERIC = ["normal", "t2", "lognormal", "poisson"]
CATS = np.array(["a", "b", "c", "d"])


def _bound(trials=TRIALS):
    return ALPHA + 3.0 * np.sqrt(ALPHA * (1 - ALPHA) / trials)


def _draw(dist, rng, size):
    if dist == "normal":
        return rng.normal(size=size)
    if dist == "t2":
        return rng.standard_t(2, size=size)
    if dist == "lognormal":
        return rng.lognormal(size=size)
    if dist == "poisson":
        return rng.poisson(2.0, size=size).astype(float)
    return rng.choice(CATS, p=[0.4, 0.3, 0.2, 0.1], size=size)


@pytest.mark.slow
@pytest.mark.parametrize("dist", NUMERIC)
@pytest.mark.parametrize("test", ["ks", "cramer_von_mises"])
def test_calibration_detect_vectorised_over_trials(test, dist):
    # each column is one trial; no correction, so every column is a level-alpha test
    rng = np.random.default_rng(7)
    n = 40 if test == "ks" else 25
    ref, cur = _draw(dist, rng, (n, TRIALS)), _draw(dist, rng, (n, TRIALS))
    report = drift.detect(ref, cur, tests=test, correction=None)
    rate = np.mean([f.drift_detected for f in report.features])
    assert rate <= _bound(), f"{test} on {dist}: false-positive rate {rate:.3f}"


@pytest.mark.slow
def test_calibration_ks_unequal_sizes_and_detect_holm():
    rng = np.random.default_rng(8)
    ref, cur = rng.normal(size=(37, TRIALS)), rng.normal(size=(53, TRIALS))
    report = drift.detect(ref, cur, correction=None)
    assert np.mean([f.drift_detected for f in report.features]) <= _bound()
    # family-wise: 1000 data sets of 10 null features, Holm at 0.05
    ref, cur = rng.normal(size=(30, 10, 300)), rng.normal(size=(30, 10, 300))
    fwer = np.mean([drift.detect(ref[:, :, t], cur[:, :, t]).drift_detected for t in range(300)])
    assert fwer <= _bound(300)


@pytest.mark.slow
def test_power_detect_small_shift_in_one_of_20_features():
    # 0.2-sigma shift in one of 20 features, n = 5000 per sample
    rng = np.random.default_rng(2024)
    trials, found = 60, 0
    for _ in range(trials):
        ref = rng.normal(size=(5000, 20))
        cur = rng.normal(size=(5000, 20))
        cur[:, 7] += 0.2
        report = drift.detect(ref, cur)
        found += "x7" in report.drifted
    assert found / trials >= 0.9


@pytest.mark.slow
def test_power_of_the_other_tests_on_a_clear_shift():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=300), rng.normal(0.4, 1.0, size=300)
    for fn in (
        drift.cramer_von_mises,
        drift.anderson_darling,
        drift.wasserstein,
        drift.psi,
        drift.jensen_shannon,
        drift.hellinger,
    ):
        kw = {} if fn is drift.cramer_von_mises else {"rng": 0, "n_resamples": 199}
        assert fn(x, y, **kw).drift_detected, fn.__name__
    x2, y2 = rng.normal(size=(200, 5)), rng.normal(size=(200, 5))
    y2[:, 0] += 1.0
    for fn in (drift.mmd, drift.energy, drift.classifier_drift):
        assert fn(x2, y2, rng=0).drift_detected, fn.__name__
