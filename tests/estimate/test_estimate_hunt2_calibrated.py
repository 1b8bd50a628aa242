"""CBPE on a perfectly calibrated model: estimates match the realised metrics.

Probabilities are drawn first and labels from them, so the expected
confusion matrix is known; the mean estimate must equal the mean realised
metric (to simulation error) and the intervals cover at about their level.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from mllifecycle.estimate import CBPE

METRICS = ["accuracy", "precision", "recall", "f1", "roc_auc"]


def draw(rng: np.random.Generator, p: np.ndarray) -> np.ndarray:
    if p.ndim == 1:
        return (rng.uniform(size=len(p)) < p).astype(int)
    u = rng.uniform(size=(len(p), 1))
    return np.minimum((u > p.cumsum(axis=1)).sum(axis=1), p.shape[1] - 1)


@pytest.mark.slow
@pytest.mark.parametrize(
    "make",
    [
        lambda r, n: r.uniform(size=n),
        lambda r, n: r.beta(0.5, 3, size=n),
        lambda r, n: r.dirichlet([1, 1, 1], size=n),
    ],
    ids=["binary-uniform", "binary-skewed", "three-classes"],
)
def test_calibrated_model_unbiased_and_covered(make) -> None:
    rng = np.random.default_rng(20261207)
    p_ref = make(rng, 5000)
    est = CBPE(metrics=METRICS, calibration="none").fit(y_true=draw(rng, p_ref), y_proba=p_ref)
    windows = make(rng, 300 * 400).reshape(400, 300, *p_ref.shape[1:])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = est.estimate_many(list(windows))
        realised = [est.realized(draw(rng, w), w) for w in windows]
    for name in METRICS:
        pairs = [
            (r[name], real[name])
            for r, real in zip(results, realised, strict=True)
            if np.isfinite(real[name]) and np.isfinite(r[name].value)
        ]
        diff = np.array([e.value - v for e, v in pairs])
        assert abs(diff.mean()) < 4 * diff.std() / np.sqrt(len(diff)) + 2e-3, name
        covered = np.mean([e.ci_low <= v <= e.ci_high for e, v in pairs])
        assert 0.90 <= covered <= 0.99, (name, covered)


def test_window_identical_to_reference_covers_its_realised_metrics() -> None:
    rng = np.random.default_rng(3)
    p = rng.uniform(size=3000)
    y = draw(rng, p)
    est = CBPE(metrics=METRICS, random_state=0).fit(y_true=y, y_proba=p)
    result = est.estimate(p)
    assert est.realized(y, p) == est.reference_metrics_
    for name in METRICS:
        e = result[name]
        assert e.ci_low <= est.reference_metrics_[name] <= e.ci_high, name


def test_hand_computed_expected_confusion_matrix() -> None:
    p = np.array([0.9, 0.2, 0.6, 0.4])
    est = CBPE(metrics=METRICS, calibration="none").fit(y_true=[1, 0, 1, 0], y_proba=p)
    r = est.estimate(p)
    tp, fp, fn, tn = 0.9 + 0.6, 0.1 + 0.4, 0.2 + 0.4, 0.8 + 0.6
    assert r["accuracy"].value == pytest.approx((tp + tn) / 4)
    assert r["precision"].value == pytest.approx(tp / (tp + fp))
    assert r["recall"].value == pytest.approx(tp / (tp + fn))
    assert r["f1"].value == pytest.approx(2 * tp / (2 * tp + fp + fn))
    # expected correctly ordered (positive, negative) pairs over expected pairs
    num = den = 0.0
    for i in range(4):
        for j in range(4):
            if i != j:
                w = p[i] * (1 - p[j])
                num += w * (p[i] > p[j])
                den += w
    assert r["roc_auc"].value == pytest.approx(num / den)
