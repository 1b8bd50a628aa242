"""A policy trusting the observed accuracy on more labels than metric_window is refused.

``state.metric_n`` is at most ``metric_window``: ``OnPerformanceDrop`` (and
``CostAware`` on the observed metric) with ``min_samples`` above it never
trusted the metric, and the replay reported 0 retrains on a stream whose
concept flipped (accuracy 0.41 where a window of 500 retrained twice for 0.83).
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import CostAware, OnPerformanceDrop, Periodic, any_of, cooldown
from mllifecycle.replay import replay


def _flipped(n: int = 1600) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 2))
    y = (X[:, 0] > 0).astype(int)
    y[n // 2 :] = 1 - y[n // 2 :]
    return X, y


@pytest.mark.parametrize(
    ("policy", "shown"),
    [
        (OnPerformanceDrop(0.05), r"OnPerformanceDrop\(min_samples=200\)"),
        (OnPerformanceDrop(0.05, min_samples=101), r"OnPerformanceDrop\(min_samples=101\)"),
        (CostAware(source="observed"), r"CostAware\(min_samples=200\)"),
        (CostAware(), r"CostAware\(min_samples=200\)"),  # "auto" with no estimate to fall to
        (any_of(Periodic(every=10_000), OnPerformanceDrop(0.05)), r"OnPerformanceDrop"),
        (cooldown(OnPerformanceDrop(0.05), 100), r"OnPerformanceDrop"),
    ],
)
def test_refused_before_training_naming_metric_window(policy, shown):
    X, y = _flipped()
    with pytest.raises(InvalidParameterError,
                       match=r"'metric_window' parameter of replay must be at least \d+ for "
                       r"policy 'p', which holds " + shown
                       + r".*Got 100 instead"):
        replay(X, y, LogisticRegression(), {"p": policy}, initial_train_size=400,
               metric_window=100)


def test_a_window_as_large_as_min_samples_runs_and_retrains():
    X, y = _flipped()
    run = replay(X, y, LogisticRegression(), {"p": OnPerformanceDrop(0.05, min_samples=100)},
                 initial_train_size=400, metric_window=100)["p"]
    assert run.retrains > 0
