"""RecencyWeights leaves out rows whose weight falls below 1e-12 of the newest.

With a long ``max_samples`` and a short half-life the oldest rows got weights
such as 2**-1000 (about 1e-301) or exactly 0: they changed no fit beyond
rounding, yet counted as rows trained on (``replay``'s ``labels``) and a
class seen only among them made the window look like two classes.
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.linear_model import LogisticRegression

from mllifecycle.policies import LifecycleState, Periodic, RecencyWeights
from mllifecycle.replay import replay


def _state(n):
    return LifecycleState(step=n, labels_available=n)


def test_rows_below_the_relative_cut_leave_the_window():
    sel = RecencyWeights(10.0, max_samples=1000).select(_state(5000))
    # ages 0..398 keep weights >= 1e-12 (age 399: 2**-39.9, below it)
    reach = math.floor(10.0 * math.log2(1e12))
    assert (sel.start, sel.stop) == (5000 - reach - 1, 5000)
    assert sel.sample_weight.min() >= 1e-12
    assert sel.sample_weight[-1] == 1.0
    np.testing.assert_allclose(sel.sample_weight, 0.5 ** (np.arange(reach, -1, -1) / 10.0))


def test_tiny_half_life_keeps_the_newest_row_only():
    # the next row weighs 2**-1000 (about 9e-302): not a row trained on
    sel = RecencyWeights(1e-3, max_samples=50).select(_state(300))
    assert (sel.start, sel.stop) == (299, 300)
    assert sel.sample_weight.tolist() == [1.0]


def test_windows_above_the_cut_are_unchanged():
    s = _state(1000)
    sel = RecencyWeights(100.0, max_samples=300).select(s)
    assert sel.start == 700
    np.testing.assert_allclose(sel.sample_weight, 0.5 ** (np.arange(299, -1, -1) / 100.0))
    assert RecencyWeights(10.0).select(s).n_samples == math.ceil(10 * math.log2(1000))
    # a huge half-life: every row, weight ~1 (the caps no longer overflow)
    assert RecencyWeights(1e308).select(s).n_samples == 1000


def test_fitted_model_unchanged_beyond_rounding():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(1000, 3))
    y = (X @ [1.0, -0.5, 0.25] + rng.normal(size=1000) > 0).astype(int)
    h = 10.0
    sel = RecencyWeights(h, max_samples=1000).select(_state(1000))
    # what the window gave before: every row, down to 2**-99.9
    w_all = 0.5 ** (np.arange(999, -1, -1) / h)
    full = LogisticRegression(tol=1e-10, max_iter=10_000).fit(X, y, sample_weight=w_all)
    cut = LogisticRegression(tol=1e-10, max_iter=10_000).fit(
        X[sel.start:sel.stop], y[sel.start:sel.stop], sample_weight=sel.sample_weight
    )
    np.testing.assert_allclose(cut.coef_, full.coef_, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(cut.intercept_, full.intercept_, rtol=1e-6, atol=1e-8)


def test_replay_labels_count_only_rows_in_the_cut_window():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 2))
    y = (X[:, 0] > 0).astype(int)
    run = replay(X, y, LogisticRegression(), {"p": Periodic(every=50)},
                 window=RecencyWeights(2.0, max_samples=200),
                 initial_train_size=100, batch_size=50)["p"]
    reach = math.floor(2.0 * math.log2(1e12))  # 79 rows older than the newest
    fitted = [e for e in run.events if e.fitted]
    assert fitted
    assert all(e.train_stop - e.train_start == reach + 1 for e in fitted)
    used = np.zeros(300, dtype=bool)
    used[:100] = True
    for e in fitted:
        used[e.train_start:e.train_stop] = True
    assert run.labels == int(used.sum())
