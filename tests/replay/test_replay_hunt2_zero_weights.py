"""replay reads a window's rows of weight 0 as rows not trained on.

A window's ``sample_weight`` may be 0 for some rows (``RecencyWeights``'
oldest rows underflow to 0 with a short half-life and a long
``max_samples``). The skip rule (fewer than two rows, or one class) counted
them: a window whose weighted rows all fell in the gates' holdout stopped the
replay midway with scikit-learn's "Sample weights must contain at least one
non-zero number", a window weighting one class only was fitted (a retrain paid
for a one-class model), and ``labels`` counted rows no fit used.
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

from mllifecycle.gates import NoRegression
from mllifecycle.policies import Periodic, RecencyWeights, WindowSelection
from mllifecycle.replay import replay

rng = np.random.default_rng(0)
X = rng.normal(size=(300, 2))
y = (X[:, 0] > 0).astype(int)


class _Weighted:
    """The last ``n`` labelled rows, weighted by ``weights(y_window)``."""

    def __init__(self, n, weights):
        self.n, self.weights = n, weights

    def select(self, state):
        stop = state.labels_available
        start = max(0, stop - self.n)
        return WindowSelection(start=start, stop=stop,
                               sample_weight=self.weights(y[start:stop]))


def _run(window, **kw):
    return replay(X, y, LogisticRegression(), {"p": Periodic(every=50)}, window=window,
                  initial_train_size=100, batch_size=50, **kw)["p"]


def test_weighted_rows_all_in_the_gate_holdout_skip_the_retrain():
    # the newest 10 rows (the gate's 20 % holdout of 50) carry all the weight
    window = _Weighted(50, lambda yw: np.r_[np.zeros(40), np.ones(10)])
    run = _run(window, gates=NoRegression("accuracy", margin=0.9))
    assert run.retrains == 0
    assert run.retrain_steps == ()
    assert [e.fitted for e in run.events] == [False] * 4
    assert all("skipped" in e.reason for e in run.events)
    assert run.labels == 100


def test_a_window_weighting_one_class_only_is_skipped():
    window = _Weighted(50, lambda yw: (yw == 1).astype(float))
    run = _run(window)
    assert run.retrains == 0
    assert not any(e.fitted for e in run.events)
    assert run.labels == 100
    assert run.cost == run.errors * 1.0


def test_labels_count_the_rows_of_positive_weight():
    # every other row weighted 0: both classes among the others
    window = _Weighted(50, lambda yw: (np.arange(yw.shape[0]) % 2).astype(float))
    run = _run(window)
    assert run.retrains == 4
    used = np.zeros(300, dtype=bool)
    used[:100] = True
    for e in run.events:
        used[e.train_start + 1 : e.train_stop : 2] = True
    assert run.labels == int(used.sum()) == 200


def test_recency_weights_that_underflow():
    # half-life 1e-3: every row but the newest two has weight exactly 0, and
    # the second newest 2**-1000 (below RecencyWeights' 1e-12 cut, so left
    # out of the window): one row, no fit
    run = _run(RecencyWeights(1e-3, max_samples=50))
    assert all(e.train_stop - e.train_start == 1 for e in run.events)
    assert not any(e.fitted for e in run.events)
    assert run.labels == 100


def test_unweighted_and_positive_weights_unchanged():
    a = _run(_Weighted(50, lambda yw: np.ones(yw.shape[0])))
    b = _run(_Weighted(50, lambda yw: np.full(yw.shape[0], 0.5)))
    assert (a.retrains, a.labels) == (b.retrains, b.labels) == (4, 300)


def test_weights_given_as_a_list():
    a = _run(_Weighted(50, lambda yw: (np.arange(yw.shape[0]) % 2).tolist()))
    b = _run(_Weighted(50, lambda yw: [bool(k % 2) for k in range(yw.shape[0])]))
    assert (a.retrains, a.labels) == (b.retrains, b.labels) == (4, 200)
