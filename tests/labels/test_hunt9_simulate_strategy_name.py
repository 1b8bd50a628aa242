"""Results name a ``functools.partial`` strategy by the function it wraps.

``simulate(..., partial(cluster_margin, candidate_factor=2.0))`` reported
``strategy='partial'`` (as did every other tuned strategy), so two compared
strategies printed the same name; a partial over the user's own function,
whose answer carries no name, was logged as ``"custom"`` by ActiveLearner.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

import numpy as np
from sklearn.linear_model import LogisticRegression

from mllifecycle.labels import ActiveLearner, cluster_margin, density_weighted, simulate

rng = np.random.default_rng(0)
X = rng.normal(size=(160, 2))
Y = (X[:, 0] > 0).astype(int)


def my_strategy(estimator, X_pool, *, batch_size=1, X_labelled=None, rng=None, power=1.0):
    p = estimator.predict_proba(X_pool)
    scores = (1.0 - p.max(axis=1)) ** power
    idx = np.argsort(-scores, kind="stable")[:batch_size]
    return SimpleNamespace(indices=idx, scores=scores[idx])  # a Query-like answer


def test_simulate_names_partials_by_their_function():
    names = []
    for strategy in (functools.partial(cluster_margin, candidate_factor=2.0),
                     functools.partial(functools.partial(density_weighted), beta=2.0),
                     functools.partial(my_strategy, power=2.0)):
        res = simulate(X, Y, LogisticRegression(), strategy, budget=6, batch_size=3,
                       n_random=1, rng=0)
        names.append(res.strategy)
        assert f"strategy={res.strategy!r}" in repr(res)
        assert res.to_dict()["strategy"] == res.strategy
    assert names == ["cluster_margin", "density_weighted", "my_strategy"]


def test_learner_history_names_a_partial_of_the_users_function():
    learner = ActiveLearner(estimator=LogisticRegression(),
                            strategy=functools.partial(my_strategy, power=2.0),
                            batch_size=3, budget=6, rng=0)
    learner.fit(X[6:], X[:6], Y[:6]).run(lambda idx: Y[6:][idx])
    assert [h["strategy"] for h in learner.history_] == ["my_strategy", "my_strategy"]
