"""The calibration matrix of issue 12: every batch drift test with a p-value,
under the null, over 8 distributions x 5 size pairs.

Used by tests/drift/test_drift_calibration_matrix.py (each cell must reject at
most alpha + 3 binomial standard errors) and by benchmarks/drift_calibration.py
(which writes the whole table). Not a test module itself.

Replicates per cell (chosen so the whole matrix runs in a few minutes on 2
cores; the bound uses each cell's own number of replicates):

* ks runs through one ``detect`` call on a matrix whose columns are
  independent replicates: ``REPS_FAST`` replicates (SE 0.0069 at 1000);
* permutation tests (``n_resamples=99``) and ``detect`` families:
  ``REPS_PERM`` replicates (SE 0.0154 at 200);
* mmd, energy (d = 2) and classifier_drift: ``REPS_KERNEL`` replicates
  (SE 0.0218 at 100).
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from mllifecycle import drift

ALPHA = 0.05
REPS_FAST = 1000
REPS_PERM = 200
REPS_KERNEL = 100
N_RESAMPLES = 99

SIZES = [(5, 5), (10, 20), (50, 50), (20, 5000), (5000, 20)]
DISCRETE = ["poisson(0.3)", "3-valued", "zero-inflated"]
DISTRIBUTIONS = [
    "normal",
    "poisson(0.3)",
    "3-valued",
    "cauchy",
    "pareto(1.1)",
    "lognormal(2)",
    "zero-inflated",
    "bimodal",
]


def draw(dist: str, rng: np.random.Generator, size: Any) -> np.ndarray:
    """Draw from one of the null distributions."""
    if dist == "normal":
        return rng.normal(size=size)
    if dist == "poisson(0.3)":
        return rng.poisson(0.3, size=size).astype(float)
    if dist == "3-valued":
        return rng.choice([0.0, 1.0, 2.0], p=[0.5, 0.3, 0.2], size=size)
    if dist == "cauchy":
        return rng.standard_cauchy(size=size)
    if dist == "pareto(1.1)":
        return rng.pareto(1.1, size=size) + 1.0
    if dist == "lognormal(2)":
        return rng.lognormal(0.0, 2.0, size=size)
    if dist == "zero-inflated":
        return np.where(rng.random(size) < 0.7, 0.0, rng.exponential(size=size))
    if dist == "bimodal":
        return np.where(rng.random(size) < 0.5, -3.0, 3.0) + rng.normal(size=size)
    raise ValueError(dist)


class CentroidScorer(ClassifierMixin, BaseEstimator):
    """A tiny linear classifier (difference of class means), cheap to refit.

    classifier_drift's p-value is valid whatever the classifier, so a cheap
    one lets the matrix run many replicates.
    """

    def fit(self, X: Any, y: Any) -> CentroidScorer:
        mu1, mu0 = X[y == 1].mean(axis=0), X[y == 0].mean(axis=0)
        self.direction_, self.mid_ = mu1 - mu0, (mu1 + mu0) / 2
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X: Any) -> Any:
        t = np.clip((X - self.mid_) @ self.direction_, -50, 50)
        s = 1.0 / (1.0 + np.exp(-t))
        return np.c_[1.0 - s, s]


UNIVARIATE = [
    "ks",
    "cramer_von_mises",
    "anderson_darling",
    "wasserstein",
    "chi_square",
    "psi",
    "jensen_shannon",
    "hellinger",
]
CORRECTIONS = ["holm", "hochberg", "bonferroni", "fdr_bh", "fdr_by", None]
TESTS = [
    *UNIVARIATE,
    "mmd",
    "energy",
    "classifier_drift",
    *[f"detect[{c}]" for c in CORRECTIONS],
]


def cells() -> list[tuple[str, str, tuple[int, int]]]:
    """Every (test, distribution, sizes) cell of the matrix."""
    out = []
    for test in TESTS:
        for dist in DISTRIBUTIONS:
            if test == "chi_square" and dist not in DISCRETE:
                continue  # categories of a continuous variable: every value its own
            for sizes in SIZES:
                if test == "classifier_drift" and max(sizes) > 50:
                    continue  # "small": the refits dominate the run time
                out.append((test, dist, sizes))
    return out


def reps_of(test: str) -> int:
    """Replicates used for a test (see the module docstring)."""
    if test == "ks":
        return REPS_FAST
    if test in ("mmd", "energy", "classifier_drift"):
        return REPS_KERNEL
    return REPS_PERM


def bound(reps: int, alpha: float = ALPHA) -> float:
    """``alpha + 3`` binomial standard errors."""
    return alpha + 3.0 * math.sqrt(alpha * (1 - alpha) / reps)


def _seed(*parts: Any) -> int:
    # stable across processes (str hashes are salted)
    text = "|".join(map(str, parts))
    return sum((i + 1) * ord(ch) for i, ch in enumerate(text)) % 2**32


def rate(
    test: str, dist: str, sizes: tuple[int, int], reps: int | None = None
) -> tuple[float, int]:
    """Null rejection rate of one cell, and the number of replicates."""
    n, m = sizes
    rng = np.random.default_rng(_seed(test, dist, n, m))
    reps = reps_of(test) if reps is None else reps
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tiny or tied samples warn, by design
        if test in UNIVARIATE:
            ref, cur = draw(dist, rng, (n, reps)), draw(dist, rng, (m, reps))
            kw: dict[str, Any] = {"tests": test, "correction": None}
            if test not in ("ks",):
                kw["rng"] = 0
            hits = sum(_detect_resampled(ref, cur, test, kw))
            return hits / reps, reps
        if test.startswith("detect["):
            corr = test[len("detect[") : -1]
            correction = None if corr == "None" else corr
            hits = 0
            k = 5
            for i in range(reps):
                ref, cur = draw(dist, rng, (n, k)), draw(dist, rng, (m, k))
                rep = drift.detect(ref, cur, correction=correction, rng=i)
                if correction is None:  # per-test level: one column of the family
                    hits += rep["x0"].drift_detected
                else:  # family-wise (FDR = FWER under the global null)
                    hits += rep.drift_detected
            return hits / reps, reps
        fn: Callable[..., Any] = getattr(drift, test)
        extra: dict[str, Any] = {}
        if test in ("mmd", "energy"):
            extra["n_resamples"] = N_RESAMPLES
        else:
            extra["estimator"] = CentroidScorer()
        hits = 0
        for i in range(reps):
            ref, cur = draw(dist, rng, (n, 2)), draw(dist, rng, (m, 2))
            hits += fn(ref, cur, rng=i, **extra).drift_detected
        return hits / reps, reps


def _detect_resampled(
    ref: np.ndarray, cur: np.ndarray, test: str, kw: dict[str, Any]
) -> list[bool]:
    if test == "ks":  # one vectorised detect call over all replicates
        return [f.drift_detected for f in drift.detect(ref, cur, **kw).features]
    # permutation tests: called column by column with fewer resamples
    from mllifecycle.drift._columns import FEATURE_TESTS

    fn = FEATURE_TESTS[test][0]
    return [
        fn(ref[:, j], cur[:, j], n_resamples=N_RESAMPLES, rng=j).drift_detected
        for j in range(ref.shape[1])
    ]


def run_matrix(
    selected: list[tuple[str, str, tuple[int, int]]] | None = None,
) -> list[dict[str, Any]]:
    """Run cells (default: all); return one row per cell with rate, reps, bound, seconds."""
    rows = []
    for test, dist, sizes in selected or cells():
        t0 = time.perf_counter()
        r, reps = rate(test, dist, sizes)
        rows.append(
            {
                "test": test,
                "distribution": dist,
                "sizes": f"{sizes[0]}/{sizes[1]}",
                "rate": r,
                "reps": reps,
                "bound": bound(reps),
                "seconds": time.perf_counter() - t0,
            }
        )
    return rows
