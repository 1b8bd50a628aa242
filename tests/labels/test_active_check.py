"""check_query_strategy catches broken user strategies."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.labels import Query, margin
from mllifecycle.testing import check_query_strategy

RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 2))
MODEL = LogisticRegression().fit(X, (X[:, 0] > 0).astype(int))


def duplicates(estimator, X_pool, *, batch_size=1, X_labelled=None, rng=None):
    return Query(indices=np.zeros(batch_size, dtype=np.intp), scores=np.zeros(batch_size),
                 strategy="dup")


def unseeded(estimator, X_pool, *, batch_size=1, X_labelled=None, rng=None):
    idx = np.random.default_rng().permutation(len(X_pool))[:batch_size]
    return Query(indices=idx, scores=np.zeros(batch_size), strategy="unseeded")


def wrong_size(estimator, X_pool, *, batch_size=1, X_labelled=None, rng=None):
    return Query(indices=np.arange(1), scores=np.zeros(1), strategy="one")


def refits(estimator, X_pool, *, batch_size=1, X_labelled=None, rng=None):
    estimator.fit(X_pool, (X_pool[:, 1] > 0).astype(int))
    return margin(estimator, X_pool, batch_size=batch_size, rng=rng)


def no_scores(estimator, X_pool, *, batch_size=1, X_labelled=None, rng=None):
    return np.arange(batch_size)


@pytest.mark.parametrize(
    ("strategy", "match"),
    [
        (duplicates, "distinct"),
        (unseeded, "same rng seed"),
        (wrong_size, "asked for batch_size"),
        (refits, "changed the estimator"),
        (no_scores, "'indices'"),
        ("margin", "not callable"),
    ],
)
def test_check_query_strategy_flags_broken_strategies(strategy, match):
    model = LogisticRegression().fit(X, (X[:, 0] > 0).astype(int))
    with pytest.raises(AssertionError, match=match):
        check_query_strategy(strategy, model, X)


def test_a_user_function_returning_any_object_with_indices_and_scores_passes():
    def farthest_from_origin(estimator, X_pool, *, batch_size=1, X_labelled=None, rng=None):
        r = np.linalg.norm(np.asarray(X_pool), axis=1)
        idx = np.argsort(-r, kind="stable")[:batch_size]

        class Out:
            indices = idx
            scores = r[idx]

        return Out()

    check_query_strategy(farthest_from_origin, MODEL, X)
