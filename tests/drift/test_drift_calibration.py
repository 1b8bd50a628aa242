"""Calibration under the null and power, by seeded simulation.

Under the null (both samples from one distribution) each test at alpha = 0.05
must reject at most alpha + 3 binomial standard errors over >= 1000 trials,
on normal, Student-t(2), lognormal, Poisson(2) (many ties) and categorical
data. Trials run in one call where the API allows (``detect`` on a matrix
whose columns are trials) and use few permutations and small samples.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

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


def _rate(fn, dist, n, *, d=None, trials=TRIALS, seeded=True, **kw):
    rng = np.random.default_rng(abs(hash((fn.__name__, dist))) % 2**32)
    size = (n,) if d is None else (n, d)
    hits = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degenerate draws (e.g. constant) warn
        for i in range(trials):
            extra = {"rng": i} if seeded else {}
            res = fn(_draw(dist, rng, size), _draw(dist, rng, size), **kw, **extra)
            hits += res.drift_detected
    return hits / trials


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
@pytest.mark.parametrize("dist", NUMERIC)
def test_calibration_anderson_darling(dist):
    # ties (poisson) switch to the permutation p-value: the table is anticonservative there
    rate = _rate(drift.anderson_darling, dist, 20, n_resamples=99)
    assert rate <= _bound(), f"anderson_darling on {dist}: {rate:.3f}"


@pytest.mark.slow
@pytest.mark.parametrize("dist", ["categorical", "poisson"])
def test_calibration_chi_square(dist):
    rate = _rate(drift.chi_square, dist, 60, seeded=False)
    assert rate <= _bound(), f"chi_square on {dist}: {rate:.3f}"


@pytest.mark.slow
@pytest.mark.parametrize("dist", [*NUMERIC, "categorical"])
@pytest.mark.parametrize("name", ["psi", "jensen_shannon", "hellinger"])
def test_calibration_binned_distances(name, dist):
    rate = _rate(getattr(drift, name), dist, 20, n_resamples=99, n_bins=4)
    assert rate <= _bound(), f"{name} on {dist}: {rate:.3f}"


@pytest.mark.slow
@pytest.mark.parametrize("dist", NUMERIC)
def test_calibration_wasserstein(dist):
    rate = _rate(drift.wasserstein, dist, 20, n_resamples=99)
    assert rate <= _bound(), f"wasserstein on {dist}: {rate:.3f}"


@pytest.mark.slow
@pytest.mark.parametrize("dist", NUMERIC)
@pytest.mark.parametrize("name", ["mmd", "energy"])
def test_calibration_multivariate(name, dist):
    rate = _rate(getattr(drift, name), dist, 15, d=2, n_resamples=99)
    assert rate <= _bound(), f"{name} on {dist}: {rate:.3f}"


class CentroidScorer(ClassifierMixin, BaseEstimator):
    """A tiny linear classifier (difference of class means), cheap to refit.

    The calibration of classifier_drift's p-value does not depend on the
    classifier, so a cheap one lets the simulation run 1000 trials quickly.
    """

    def fit(self, X, y):
        mu1, mu0 = X[y == 1].mean(axis=0), X[y == 0].mean(axis=0)
        self.direction_, self.mid_ = mu1 - mu0, (mu1 + mu0) / 2
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X):
        s = 1.0 / (1.0 + np.exp(-(X - self.mid_) @ self.direction_))
        return np.c_[1.0 - s, s]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("dist", "cv"), [("normal", 2), ("normal", 5), ("t2", 2), ("lognormal", 2), ("poisson", 2)]
)
def test_calibration_classifier_drift(dist, cv):
    rate = _rate(drift.classifier_drift, dist, 20, d=2, estimator=CentroidScorer(), cv=cv)
    assert rate <= _bound(), f"classifier_drift on {dist}: {rate:.3f}"


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
