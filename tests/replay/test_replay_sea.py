"""The headline claim: on SEA with three abrupt drifts, drift-triggered retraining
beats never-retraining by >= 5 points and matches the best periodic schedule
(within 1 point) with at most half its retrains."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.datasets import sea_stream
from mllifecycle.policies import OnDrift, Periodic, SinceLastDrift, SlidingWindow
from mllifecycle.replay import replay


class PageHinkley:
    """Page-Hinkley test for an increase of the mean (Page 1954), written here so the
    claim does not depend on mllifecycle.drift.stream."""

    def __init__(self, delta=0.005, threshold=15.0, min_instances=30):
        self.delta, self.threshold, self.min_instances = delta, threshold, min_instances
        self.reset()

    def reset(self):
        self.n = 0
        self.mean = 0.0
        self.cum = 0.0
        self.low = 0.0
        self.drift_detected = False

    def update(self, x):
        self.n += 1
        self.mean += (x - self.mean) / self.n
        self.cum += x - self.mean - self.delta
        self.low = min(self.low, self.cum)
        self.drift_detected = self.n >= self.min_instances and self.cum - self.low > self.threshold
        if self.drift_detected:
            self.n, self.mean, self.cum, self.low = 0, 0.0, 0.0, 0.0
        return self.drift_detected

    def update_many(self, xs):
        return np.array(
            [i for i, x in enumerate(np.asarray(xs, float)) if self.update(x)],
            dtype=np.intp,
        )


def _detectors():
    out = [pytest.param(PageHinkley, id="page-hinkley(test)")]
    try:
        from mllifecycle.drift import stream
    except ImportError:  # pragma: no cover
        return out
    for name in ("HDDM_A", "ADWIN"):
        if hasattr(stream, name):
            out.append(pytest.param(getattr(stream, name), id=name))
    return out


@pytest.fixture(scope="module")
def sea_baselines():
    s = sea_stream(40_000, noise=0.02, rng=0)
    model = LogisticRegression(solver="newton-cholesky")
    policies = {"never": lambda state: False}
    policies.update({f"every {k}": Periodic(every=k) for k in (250, 500, 1000, 2000)})
    result = replay(
        s.X,
        s.y,
        model,
        policies,
        window=SlidingWindow(1000),
        change_points=s.change_points,
    )
    return s, model, result


@pytest.mark.slow
@pytest.mark.parametrize("make_detector", _detectors())
def test_drift_triggered_beats_never_and_matches_best_periodic(sea_baselines, make_detector):
    s, model, base = sea_baselines
    assert len(s.change_points) == 3
    drift = replay(
        s.X,
        s.y,
        model,
        {"drift": OnDrift(make_detector(), refits=(500,))},
        window=SinceLastDrift(500, max_samples=2000),
    )["drift"]
    never = base["never"]
    periodic = [base[k] for k in base if k.startswith("every")]
    best = max(periodic, key=lambda r: r.accuracy)
    assert drift.accuracy - never.accuracy >= 0.05, (drift.accuracy, never.accuracy)
    assert drift.accuracy >= best.accuracy - 0.01, (
        drift.accuracy,
        best.name,
        best.accuracy,
    )
    assert drift.retrains <= best.retrains / 2, (drift.retrains, best.retrains)
    # every true change was followed by a retrain within 1500 samples
    steps = np.asarray(drift.retrain_steps)
    for cp in s.change_points:
        assert np.any((steps > cp) & (steps <= cp + 1500)), (cp, steps.tolist())
