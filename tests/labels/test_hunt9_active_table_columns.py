"""ActiveLearner and its stopping rule pair table columns by name, not position.

``fit(X_pool, X_labelled, y)`` with the two tables' columns in another order
stacked them by position: the model learned column ``b``'s weight from column
``a`` (exit 0). ``StabilizingPredictions(X_stop=table)`` with the pool's
columns in another order was read by position too (the learner's model is
fitted on the bare array), so the agreements deciding when to stop came from
scrambled rows. Both are refused naming the argument, as ``k_center_greedy``
refuses ``X_labelled``.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import ActiveLearner, StabilizingPredictions, margin

pd = pytest.importorskip("pandas")

rng = np.random.default_rng(0)
X = pd.DataFrame({"a": rng.normal(size=120), "b": rng.normal(size=120) * 10})
Y = (X["a"] > 0).astype(int).to_numpy()


def _learner(stopping=None):
    return ActiveLearner(estimator=LogisticRegression(), strategy=margin, batch_size=5,
                         budget=40, rng=0, stopping=stopping)


def test_fit_refuses_labelled_columns_in_another_order():
    with pytest.raises(InvalidParameterError,
                       match=r"'X_labelled' parameter of ActiveLearner.fit must be the "
                             r"columns of X_pool, in that order \(\['a', 'b'\]\)\. Got "
                             r"columns \['b', 'a'\]"):
        _learner().fit(X.iloc[20:], X.iloc[:20][["b", "a"]], Y[:20])


def test_fit_with_matching_columns_is_the_array_fit():
    table = _learner().fit(X.iloc[20:], X.iloc[:20], Y[:20])
    array = _learner().fit(X.iloc[20:].to_numpy(), X.iloc[:20].to_numpy(), Y[:20])
    np.testing.assert_array_equal(table.estimator_.coef_, array.estimator_.coef_)


def test_stop_set_with_the_pool_columns_in_another_order_is_refused():
    stop = StabilizingPredictions(X_stop=X.iloc[:30][["b", "a"]], window=2)
    learner = _learner(stop).fit(X.iloc[30:], X.iloc[:6], Y[:6])
    with pytest.raises(InvalidParameterError,
                       match=r"'X_stop' parameter of StabilizingPredictions must be the "
                             r"columns of the learner's X_pool, in that order "
                             r"\(\['a', 'b'\]\)\. Got columns \['b', 'a'\]"):
        learner.run(lambda idx: Y[30:][idx])


def test_stop_set_with_the_pool_columns_agrees_with_the_array_stop_set():
    runs = []
    for stop_rows in (X.iloc[:30], X.iloc[:30].to_numpy()):
        stop = StabilizingPredictions(X_stop=stop_rows, window=2, threshold=0.9)
        learner = _learner(stop).fit(X.iloc[30:], X.iloc[:6], Y[:6])
        learner.run(lambda idx: Y[30:][idx])
        runs.append((learner.n_bought_, learner.stop_reason_, list(stop.kappas)))
    assert runs[0] == runs[1]
