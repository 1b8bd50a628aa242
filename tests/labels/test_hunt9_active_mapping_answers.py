"""ActiveLearner.teach reads a ``{row: label}`` mapping by key, and refuses a set.

An oracle answering ``{row: label}`` was iterated over its keys: the queried
row numbers were taught as the labels (the model's classes became 0, 1, 6, 12,
35, ...; exit 0). A set of answers, which has no order, was paired with the
rows in hash order.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import ActiveLearner, margin

pd = pytest.importorskip("pandas")

rng = np.random.default_rng(0)
X = rng.normal(size=(80, 2))
Y = np.where(X[:, 0] > 0, "pos", "neg")


def _learner(pool=None):
    learner = ActiveLearner(estimator=LogisticRegression(), strategy=margin, batch_size=3,
                            budget=6, rng=0)
    return learner.fit(X[8:] if pool is None else pool, X[:8], Y[:8])


def test_a_mapping_oracle_teaches_the_same_labels_as_a_list_oracle():
    yp = Y[8:]
    by_key = _learner().run(lambda idx: {int(i): yp[i] for i in reversed(idx)})
    by_list = _learner().run(lambda idx: yp[idx].tolist())
    np.testing.assert_array_equal(by_key.labelled_indices_, by_list.labelled_indices_)
    np.testing.assert_array_equal(by_key.y_pool_labelled_, by_list.y_pool_labelled_)
    np.testing.assert_array_equal(by_key.y_pool_labelled_, yp[by_key.labelled_indices_])
    assert by_key.estimator_.classes_.tolist() == ["neg", "pos"]


def test_a_mapping_keyed_by_a_pandas_pools_row_labels():
    pool = pd.DataFrame(X[8:], columns=["a", "b"], index=[f"r{i}" for i in range(72)])
    learner = _learner(pool)
    q = learner.query()
    rows = pool.index[q.indices]
    learner.teach(q.indices, {r: Y[8:][pool.index.get_loc(r)] for r in reversed(rows)})
    np.testing.assert_array_equal(learner.y_pool_labelled_, Y[8:][q.indices])


@pytest.mark.parametrize(
    ("answers", "match"),
    [
        (lambda idx: {int(i) + 1: "pos" for i in idx},
         r"'labels' parameter of ActiveLearner.teach must be a mapping keyed by exactly the "
         r"rows of 'indices' \(pool positions\)\. Got a mapping with the keys"),
        (lambda idx: {str(i): "pos" for i in idx}, r"must be a mapping keyed by exactly"),
        (lambda idx: {"pos", "neg", "other"},
         r"'labels' parameter.*answers in the order of 'indices'.*Got a set, which has no "
         r"order"),
        (lambda idx: frozenset({"pos"}), r"Got a frozenset, which has no order"),
    ],
    ids=["other rows", "keys as text", "set", "frozenset"],
)
def test_unpairable_answers_are_refused(answers, match):
    learner = _learner()
    q = learner.query()
    with pytest.raises(InvalidParameterError, match=match):
        learner.teach(q.indices, answers(q.indices))
    assert learner.n_bought_ == 0
