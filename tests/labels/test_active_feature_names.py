"""A model fitted on a named table, queried with the table's columns in another order.

Handed the bare array, the model read column ``b`` as ``a`` and the strategies
ranked the pool by the wrong predictions (exit 0); scikit-learn itself refuses
such a table. The columns are now checked against ``feature_names_in_``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import (
    SelfTraining,
    cluster_margin,
    density_weighted,
    entropy,
    k_center_greedy,
    kl_divergence,
    least_confident,
    margin,
    vote_entropy,
)

pd = pytest.importorskip("pandas")


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=120), "b": rng.normal(size=120) * 10})
    y = (X["a"] > 0.5).astype(int).to_numpy()
    return X, y


@pytest.mark.parametrize(
    "strategy", [least_confident, margin, entropy, density_weighted, cluster_margin]
)
def test_single_model_strategies_refuse_reordered_columns(data, strategy):
    X, y = data
    model = LogisticRegression().fit(X, y)
    with pytest.raises(InvalidParameterError, match=r"X_pool.*\['a', 'b'\].*\['b', 'a'\]"):
        strategy(model, X[["b", "a"]], batch_size=3, rng=0)


@pytest.mark.parametrize(
    "strategy", [least_confident, margin, entropy, density_weighted, cluster_margin]
)
def test_matching_table_gives_the_array_answer_without_warnings(data, strategy):
    X, y = data
    model = LogisticRegression().fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "X does not have valid feature names"
        q = strategy(model, X, batch_size=3, rng=0)
    plain = LogisticRegression().fit(X.to_numpy(), y)  # the same fit, without names
    expected = strategy(plain, X.to_numpy(), batch_size=3, rng=0)
    np.testing.assert_array_equal(q.indices, expected.indices)


@pytest.mark.parametrize("strategy", [vote_entropy, kl_divergence])
def test_committees_refuse_reordered_columns(data, strategy):
    X, y = data
    forest = RandomForestClassifier(n_estimators=5, random_state=0).fit(X, y)
    members = [LogisticRegression().fit(X, y), LogisticRegression(C=0.1).fit(X, y)]
    for committee in (forest, members):
        with pytest.raises(InvalidParameterError, match="X_pool"):
            strategy(committee, X[["b", "a"]], batch_size=3, rng=0)
        strategy(committee, X, batch_size=3, rng=0)  # same columns: fine


def test_k_center_greedy_checks_columns(data):
    X, y = data
    model = LogisticRegression().fit(X, y)
    with pytest.raises(InvalidParameterError, match="X_pool"):
        k_center_greedy(model, X[["b", "a"]], batch_size=3, candidate_factor=3, rng=0)
    # plain distances pair the columns of X_pool and X_labelled by position
    with pytest.raises(InvalidParameterError, match=r"X_labelled.*columns of X_pool"):
        k_center_greedy(None, X, batch_size=3, X_labelled=X[["b", "a"]].iloc[:5], rng=0)
    # a fitted transform (the embedding) reads both by name
    pca = PCA(n_components=1).fit(X)
    with pytest.raises(InvalidParameterError, match="X_labelled"):
        k_center_greedy(pca, X, batch_size=3, X_labelled=X[["b", "a"]].iloc[:5], rng=0)
    got = k_center_greedy(pca, X, batch_size=3, X_labelled=X.iloc[:5], rng=0).indices
    want = k_center_greedy(None, pca.transform(X), batch_size=3,
                           X_labelled=pca.transform(X.iloc[:5]), rng=0).indices
    np.testing.assert_array_equal(got, want)


def test_self_training_predict_refuses_reordered_columns(data):
    X, y = data
    y = y.copy()
    y[40:] = -1
    model = SelfTraining(LogisticRegression(), random_state=0).fit(X, y)
    np.testing.assert_array_equal(model.feature_names_in_, ["a", "b"])
    swapped = X[["b", "a"]]
    with pytest.raises(InvalidParameterError, match=r"'X'.*\['a', 'b'\]"):
        model.predict(swapped)
    with pytest.raises(InvalidParameterError, match="X"):
        model.predict_proba(swapped)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the inner model was fitted on an array
        np.testing.assert_array_equal(model.predict(X), model.predict(X.to_numpy()))
    # refitted on an array: no names left to check
    model.fit(X.to_numpy(), y)
    assert not hasattr(model, "feature_names_in_")
