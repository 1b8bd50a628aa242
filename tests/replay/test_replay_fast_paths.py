"""The replay's per-batch shortcuts give what the direct computations give.

The batch loop counts a metric window's hits from per-batch counts when the
window starts and ends on batch boundaries, builds a batch's errors from its
flags, and turns the batch counts into accuracies at the end; these tests
recompute every state's metric, errors and the batch accuracies from the
predictions directly, on aligned and misaligned windows, delays and a short
last batch, and require exact equality.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from mllifecycle.policies import Periodic, SlidingWindow
from mllifecycle.replay import replay


class ColumnModel(ClassifierMixin, BaseEstimator):
    """Predicts column 1 of X: its predictions are known before the replay."""

    def fit(self, X, y, sample_weight=None):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return X[:, 1].astype(np.int64)


def _stream(n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    # right about 80% of the time, worse in the second half
    wrong = rng.random(n) < np.where(np.arange(n) < n // 2, 0.15, 0.35)
    pred = np.where(wrong, 1 - y, y)
    X = np.column_stack([rng.normal(size=n), pred.astype(float)])
    return X, y, pred == y


@pytest.mark.parametrize(
    ("n", "batch", "window", "delay", "every"),
    [
        (3000, 100, 500, 0, 700),  # aligned: the counts path
        (3050, 100, 500, 0, 700),  # a short last batch
        (3000, 100, 250, 0, 700),  # a window that does not end on a boundary
        (3000, 100, 500, 200, 700),  # a delay of whole batches: aligned
        (3037, 100, 500, 150, 650),  # a delay of part of a batch
        (2999, 37, 111, 5, 400),
        (2000, 1, 7, 3, 90),
        (2000, 500, 500, 0, 1000),
    ],
)
def test_states_and_batch_accuracy_match_a_direct_count(n, batch, window, delay, every):
    X, y, correct = _stream(n, seed=n + batch)
    seen = []

    def recording(state):
        seen.append(state)
        return Periodic(every=every).should_retrain(state)

    r = replay(
        X,
        y,
        ColumnModel(),
        {"p": recording},
        batch_size=batch,
        metric_window=window,
        label_delay=delay,
        initial_train_size=300,
        window=SlidingWindow(300),
    )
    run = r["p"]
    assert run.retrains > 0
    shown = 300  # labels already shown to the policy
    for state in seen:
        lk, dep = state.labels_available, state.deployed_at
        lo = max(lk - window, dep)
        if lk > lo:
            assert state.metric_n == lk - lo
            assert state.metric == int(np.count_nonzero(correct[lo:lk])) / (lk - lo)
        else:
            assert state.metric is None
            assert state.metric_n == 0
        first = max(shown, dep)
        if lk > first:
            want = 1.0 - correct[first:lk]
            assert state.new_errors.dtype == np.float64
            assert np.array_equal(state.new_errors, want)
        else:
            assert state.new_errors is None
        shown = lk
    ends = run.batch_ends
    starts = np.r_[300, ends[:-1]]
    want = np.array([correct[s:e].mean() for s, e in zip(starts, ends, strict=True)])
    assert run.batch_accuracy.dtype == np.float64
    assert np.array_equal(run.batch_accuracy, want)
    assert run.accuracy == correct[300:].mean()
