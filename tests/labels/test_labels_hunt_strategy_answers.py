"""ActiveLearner checks what a user's query strategy answers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import ActiveLearner, Query, margin


def _data() -> tuple[np.ndarray, np.ndarray]:
    X = np.random.default_rng(0).normal(size=(30, 2))
    return X, (X[:, 0] > 0).astype(int)


def _learner(strategy: Any, budget: int = 6) -> ActiveLearner:
    X, y = _data()
    return ActiveLearner(estimator=LogisticRegression(), strategy=strategy, batch_size=2,
                         budget=budget, rng=0).fit(X[:10], X[10:20], y[10:20])


def _answering(indices: Any) -> Any:
    def strategy(est: Any, X_pool: Any, *, batch_size: int = 1, X_labelled: Any = None,
                 rng: Any = None) -> Query:
        idx = np.asarray(indices)
        return Query(indices=idx, scores=np.ones(idx.shape[0]), strategy="mine")
    return strategy


def test_more_rows_than_the_batch_do_not_overspend_the_budget() -> None:
    # a strategy ignoring batch_size had all its rows taught: 10 labels bought of 6
    _, y = _data()
    learner = _learner(_answering([0, 1, 2, 3, 4]))
    with pytest.raises(InvalidParameterError, match=r"'strategy'.*batch_size=2.*5 rows"):
        learner.run(lambda idx: y[:10][idx])
    assert learner.n_bought_ <= 6


def test_negative_index_refused() -> None:
    # -1 picked the last remaining pool row
    with pytest.raises(InvalidParameterError, match=r"'strategy'.*\[0, 9\].*-1"):
        _learner(_answering([-1])).query()


def test_index_past_the_pool_refused() -> None:
    # was a bare IndexError
    with pytest.raises(InvalidParameterError, match=r"'strategy'.*\[0, 9\].*100"):
        _learner(_answering([100])).query()


def test_bare_array_answer_refused() -> None:
    # was AttributeError: 'numpy.ndarray' object has no attribute 'strategy'
    def bare(est: Any, X_pool: Any, *, batch_size: int = 1, X_labelled: Any = None,
             rng: Any = None) -> Any:
        return np.arange(batch_size)

    with pytest.raises(InvalidParameterError, match=r"'strategy'.*type ndarray"):
        _learner(bare).query()


def test_well_behaved_strategies_unchanged() -> None:
    q = _learner(margin).query()
    assert q.indices.shape == (2,)
    assert q.strategy == "margin"
    assert _learner(_answering([1.0, 2.0])).query().indices.tolist() == [1, 2]
