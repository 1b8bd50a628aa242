"""StabilizingPredictions reads a table stop set by column name, and compares by value."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import ActiveLearner, StabilizingPredictions, margin

pd = pytest.importorskip("pandas")


def _fitted():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(100, 2)), columns=["a", "b"])
    y = (X["a"] > 0).astype(int)

    class Learner:
        estimator_ = LogisticRegression().fit(X, y)

    return X, Learner()


def test_stop_set_with_columns_in_another_order_is_refused():
    # read by position, column b was taken for a: the kappas were those of other rows
    X, learner = _fitted()
    rule = StabilizingPredictions(X_stop=X[["b", "a"]], window=1)
    with pytest.raises(InvalidParameterError, match=r"X_stop.*in that order"):
        rule(learner)


def test_stop_set_table_handed_on_by_name():
    X, learner = _fitted()
    rule = StabilizingPredictions(X_stop=X, window=1)
    with warnings.catch_warnings():
        # handed the bare array, scikit-learn warned of missing feature names
        warnings.simplefilter("error", UserWarning)
        assert rule(learner) is False
        assert rule(learner) is True
    assert rule.kappas == [1.0]


def test_stop_rule_pickles_and_compares_by_value():
    X, learner = _fitted()
    rule = StabilizingPredictions(X_stop=X, window=2)
    rule(learner)
    again = pickle.loads(pickle.dumps(rule))
    # raised NumPy's "truth value of an array is ambiguous"
    assert again == rule
    assert again(learner) == rule(learner)
    assert StabilizingPredictions(X_stop=X, window=2) != rule


def test_active_learner_with_table_stop_set():
    X, _ = _fitted()
    y = (X["a"] > 0).astype(int).to_numpy()
    rule = StabilizingPredictions(X_stop=X.iloc[:30], window=2, threshold=0.9)
    learner = ActiveLearner(estimator=LogisticRegression(), strategy=margin, batch_size=5,
                            budget=40, stopping=rule, rng=0)
    learner.fit(X.iloc[30:], X.iloc[:4], y[:4])
    learner.run(lambda idx: y[30:][idx])
    assert learner.n_bought_ <= 40
    assert len(rule.kappas) >= 1
