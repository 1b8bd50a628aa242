"""The replay's per-row error array behind ``state.new_errors`` and the counts.

The batch loop writes each batch's 0/1 errors (``!=``, or ``1 - (==)`` for
object labels) into one float array for the stream and hands the states
read-only views of it; the hits, the metric, the known errors, the errors
and the accuracy are counted from it. These tests recompute all of them
from the predictions directly, for labels of several dtypes, with and
without a label delay, and check that errors a policy kept from an earlier
batch still hold their values when the replay ends.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from mllifecycle.policies import Periodic, SlidingWindow
from mllifecycle.replay import replay


class LookupModel(ClassifierMixin, BaseEstimator):
    """Predicts the label stored at row index X[:, 0] (known before the replay)."""

    def __init__(self, table=None):
        self.table = table

    def fit(self, X, y, sample_weight=None):
        self.classes_ = np.unique(np.asarray(y))
        return self

    def predict(self, X):
        return self.table[np.asarray(X)[:, 0].astype(np.intp)]


def _labels(kind, codes):
    if kind == "int":
        return codes.astype(np.int64)
    if kind == "float":
        return codes.astype(np.float64) / 2.0
    if kind == "bool":
        return codes.astype(bool)
    if kind == "str":
        return np.array(["a", "b"])[codes]
    if kind == "object":
        return np.array(["a", "b"], dtype=object)[codes]
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["int", "float", "bool", "str", "object"])
@pytest.mark.parametrize(("batch", "delay"), [(100, 0), (37, 0), (100, 150), (50, 7)])
def test_errors_and_counts_match_the_predictions(kind, batch, delay):
    rng = np.random.default_rng(3)
    n = 2500
    codes = rng.integers(0, 2, n)
    flip = rng.random(n) < np.where(np.arange(n) < n // 2, 0.1, 0.3)
    y = _labels(kind, codes)
    pred = _labels(kind, np.where(flip, 1 - codes, codes))
    correct = pred == y
    X = np.column_stack([np.arange(n, dtype=float), rng.normal(size=n)])
    seen, kept = [], []

    def recording(state):
        seen.append(state)
        if state.new_errors is not None:
            kept.append((state.new_errors, state.new_errors.copy()))
        return Periodic(every=600).should_retrain(state)

    r = replay(
        X,
        y,
        LookupModel(pred),
        {"p": recording},
        batch_size=batch,
        label_delay=delay,
        metric_window=230,
        initial_train_size=300,
        window=SlidingWindow(300),
        retrain_cost=3.0,
    )
    run = r["p"]
    assert run.retrains > 0
    shown = 300
    for state in seen:
        lk, dep = state.labels_available, state.deployed_at
        first = max(shown, dep)
        if lk > first:
            want = 1.0 - correct[first:lk]
            assert state.new_errors.dtype == np.float64
            assert not state.new_errors.flags.writeable
            assert np.array_equal(state.new_errors, want)
        else:
            assert state.new_errors is None
        shown = lk
        lo = max(lk - 230, dep)
        if lk > lo:
            assert state.metric == int(np.count_nonzero(correct[lo:lk])) / (lk - lo)
        # the cost so far: retrains plus the errors whose labels have arrived
        known_errors = int(np.count_nonzero(~correct[300:lk]))
        assert state.cost == state.retrains * 3.0 + known_errors * 1.0
    # errors a policy kept are not changed by the batches after them
    for view, copy in kept:
        assert np.array_equal(view, copy)
    ends = run.batch_ends
    starts = np.r_[300, ends[:-1]]
    want_acc = np.array([correct[s:e].mean() for s, e in zip(starts, ends, strict=True)])
    assert np.array_equal(run.batch_accuracy, want_acc)
    assert run.accuracy == float(correct[300:].mean())
    assert run.errors == int(np.count_nonzero(~correct[300:]))


class Picky:
    """A label whose != is not the negation of its == (== decides, as it always did)."""

    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        return isinstance(other, Picky) and self.v == other.v

    def __ne__(self, other):  # deliberately inconsistent
        return True

    def __hash__(self):
        return hash(self.v)

    def __lt__(self, other):
        return self.v < other.v


def test_object_labels_are_compared_with_equality():
    n = 600
    codes = np.arange(n) % 3 == 0
    y = np.array([Picky(int(c)) for c in codes], dtype=object)
    pred = np.array([Picky(int(c)) for c in codes], dtype=object)  # always right
    X = np.column_stack([np.arange(n, dtype=float), np.zeros(n)])
    seen = []

    def recording(state):
        seen.append(state.new_errors.copy())
        return False

    r = replay(X, y, LookupModel(pred), {"p": recording}, initial_train_size=200, batch_size=100)
    assert r["p"].accuracy == 1.0
    assert r["p"].errors == 0
    assert all(not e.any() for e in seen)
