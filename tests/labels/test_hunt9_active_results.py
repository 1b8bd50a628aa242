"""Query built by a user's strategy from lists, and a readable StabilizingPredictions repr.

A user's strategy returning ``Query(indices=[3, 1], scores=[0.5, 0.2], ...)``
(the type the protocol names) got a Query whose ``batch_size``,
``to_metrics()`` and repr failed on ``list.shape``. The repr of
``StabilizingPredictions`` printed every row of its stop set (and of the last
predictions).
"""

from __future__ import annotations

import pickle

import numpy as np
from sklearn.linear_model import LogisticRegression

from mllifecycle.labels import ActiveLearner, Query, StabilizingPredictions


def test_a_query_of_lists_reads_as_a_query_of_arrays():
    listed = Query(indices=[3, 1], scores=[0.5, 0.2], strategy="mine")
    arrays = Query(indices=np.array([3, 1]), scores=np.array([0.5, 0.2]), strategy="mine")
    assert listed == arrays
    assert listed.batch_size == 2
    assert listed.to_metrics() == arrays.to_metrics() == {
        "batch_size": 2.0, "mean_score": 0.35, "max_score": 0.5}
    assert repr(listed) == "Query(strategy='mine', indices=[3, 1])"
    assert listed.to_dict() == {"indices": [3, 1], "scores": [0.5, 0.2], "strategy": "mine"}
    assert pickle.loads(pickle.dumps(listed)) == listed


def test_a_users_strategy_returning_a_query_of_lists_runs():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    y = (X[:, 0] > 0).astype(int)

    def mine(estimator, X_pool, *, batch_size=1, X_labelled=None, rng=None):
        p = estimator.predict_proba(X_pool)[:, 1]
        order = np.argsort(np.abs(p - 0.5), kind="stable")[:batch_size]
        return Query(indices=order.tolist(), scores=(-np.abs(p[order] - 0.5)).tolist(),
                     strategy="mine")

    learner = ActiveLearner(estimator=LogisticRegression(), strategy=mine, batch_size=2,
                            budget=4, rng=0).fit(X[6:], X[:6], y[:6])
    q = learner.query()
    assert q.batch_size == 2
    assert q.strategy == "mine"
    learner.run(lambda idx: y[6:][idx])
    assert learner.n_bought_ == 4


def test_stabilizing_predictions_repr_shows_the_stop_sets_shape():
    X = np.random.default_rng(0).normal(size=(300, 4))
    stop = StabilizingPredictions(X_stop=X, window=2)
    text = repr(stop)
    assert text == ("StabilizingPredictions(X_stop=<array of shape (300, 4)>, window=2, "
                    "threshold=0.99, kappas=[])")
