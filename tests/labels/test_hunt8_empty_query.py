"""A strategy that picks no row: simulate looped for ever, run blamed the oracle."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import ActiveLearner, Query, margin, simulate


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    return X, (X[:, 0] > 0).astype(int)


def _picks_nothing_after(n_calls):
    """A strategy answering with margin's rows ``n_calls`` times, then an empty Query.

    It refuses to be asked again once it has answered empty 20 times, so that
    a loop waiting for it to pick a row ends (with a RuntimeError) instead of
    hanging.
    """
    state = {"calls": 0, "empty": 0}

    def strategy(estimator, X_pool, *, batch_size=1, X_labelled=None, rng=None):
        state["calls"] += 1
        if state["calls"] <= n_calls:
            return margin(estimator, X_pool, batch_size=batch_size, rng=rng)
        state["empty"] += 1
        if state["empty"] > 20:
            raise RuntimeError("asked again and again after answering with no row")
        return Query(indices=np.empty(0, np.intp), scores=np.empty(0), strategy="lazy")

    return strategy


@pytest.mark.parametrize("n_calls", [0, 2])
def test_simulate_refuses_a_strategy_that_picks_no_row(n_calls):
    X, y = _data()
    with pytest.raises(InvalidParameterError, match=r"'strategy'.*an empty Query where 2 "
                       rf"were asked, after {2 * n_calls} of 8 labels"):
        simulate(X, y, LogisticRegression(), _picks_nothing_after(n_calls), budget=8,
                 batch_size=2, rng=0)


def test_simulate_refuses_a_short_batch_that_broke_the_curve_comparison():
    X, y = _data()

    def one_row(estimator, X_pool, *, batch_size=1, X_labelled=None, rng=None):
        return margin(estimator, X_pool, batch_size=1, rng=rng)

    # a bare numpy broadcast error before: the curves had 5 and 3 points
    with pytest.raises(InvalidParameterError, match=r"'strategy'.*1 row\(s\) where 2 "
                       r"were asked, after 0 of 4 labels"):
        simulate(X, y, LogisticRegression(), one_row, budget=4, batch_size=2,
                 n_random=1, rng=0)


def test_simulate_takes_a_last_batch_cut_to_the_budget_left():
    X, y = _data()
    res = simulate(X, y, LogisticRegression(), margin, budget=5, batch_size=2,
                   n_random=1, rng=0)
    assert res.n_labels.tolist() == [4, 6, 8, 9]
    assert res.scores.shape == res.random_scores.shape == (4,)


@pytest.mark.parametrize("n_calls", [0, 2])
def test_run_says_the_strategy_picked_nothing_and_never_asks_the_oracle(n_calls):
    X, y = _data()
    asked = []

    def oracle(idx):
        asked.append(np.asarray(idx).tolist())
        return y[idx]

    learner = ActiveLearner(estimator=LogisticRegression(), batch_size=3,
                            strategy=_picks_nothing_after(n_calls), rng=0)
    learner.fit(X[:50], X[50:], y[50:]).run(oracle)
    assert learner.stop_reason_ == "strategy queried no row"
    assert learner.n_bought_ == 3 * n_calls
    assert len(asked) == n_calls
    assert all(len(a) == 3 for a in asked)
