"""ActiveLearner keeps integer labels integers whatever the oracle's abstentions look like.

A batch the oracle answered with ``None``/NaN only was stored as an empty
float64 array, joined to the integer labels so far: every label, the refitted
model's ``classes_`` and its predictions turned into floats (``1.0`` for the
class ``1``). An oracle abstaining the NumPy way (``np.where(known, y, np.nan)``)
answers whole-number floats, which did the same.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import ActiveLearner, margin

rng = np.random.default_rng(0)
X = rng.normal(size=(60, 2))
Y = (X[:, 0] > 0).astype(np.int64)


def _learner(initial: bool = True) -> ActiveLearner:
    learner = ActiveLearner(estimator=LogisticRegression(), strategy=margin, batch_size=3,
                            budget=12, rng=0)
    if initial:
        return learner.fit(X[6:], X[:6], Y[:6])
    return learner.fit(X)


def _pool_y(learner: ActiveLearner) -> np.ndarray:
    return Y[6:] if learner._y_init.size else Y


@pytest.mark.parametrize("initial", [True, False])
@pytest.mark.parametrize("skipped", [[None] * 3, [np.nan] * 3, pd.array([pd.NA] * 3,
                                                                         dtype="Int64")],
                         ids=["None", "nan", "pd.NA"])
def test_a_batch_of_abstentions_keeps_integer_labels(initial, skipped):
    learner = _learner(initial)
    yp = _pool_y(learner)
    q = learner.query()
    learner.teach(q.indices, yp[q.indices])
    # at least two classes, so the model is refitted on every teach
    q = learner.query(batch_size=3)
    rest = [i for i in np.flatnonzero(yp != yp[learner.labelled_indices_[0]])
            if i not in learner.labelled_indices_][:1]
    learner.teach(rest, yp[rest])
    before = learner.y_pool_labelled_.copy()
    q = learner.query()
    learner.teach(q.indices, skipped)
    assert learner.n_bought_ == before.shape[0]
    assert learner.y_pool_labelled_.dtype == before.dtype
    np.testing.assert_array_equal(learner.y_pool_labelled_, before)
    assert learner.estimator_.classes_.dtype.kind == "i"
    assert learner.estimator_.predict(X[:5]).tolist() == LogisticRegression().fit(
        *learner._training()).predict(X[:5]).tolist()
    assert all(type(v) is int for v in learner.estimator_.predict(X[:5]).tolist())


def test_an_oracle_abstaining_with_nan_gives_integer_labels():
    y_obs = Y[6:].astype(np.float64)
    y_obs[::4] = np.nan  # rows the annotator could not label
    learner = _learner().run(lambda idx: y_obs[idx])
    assert learner.skipped_indices_.size > 0
    assert learner.y_pool_labelled_.dtype == np.int64
    np.testing.assert_array_equal(learner.y_pool_labelled_, Y[6:][learner.labelled_indices_])
    assert learner.estimator_.classes_.tolist() == [0, 1]
    assert learner.estimator_.classes_.dtype.kind == "i"
    # the same labels as an oracle answering the integers
    plain = _learner().run(lambda idx: [None if np.isnan(y_obs[i]) else int(y_obs[i])
                                        for i in idx])
    np.testing.assert_array_equal(plain.labelled_indices_, learner.labelled_indices_)
    np.testing.assert_array_equal(plain.y_pool_labelled_, learner.y_pool_labelled_)


def test_float_labels_stay_float_and_fractions_are_refused_by_value():
    learner = ActiveLearner(estimator=LogisticRegression(), strategy=margin, rng=0).fit(
        X[6:], X[:6], Y[:6].astype(np.float64))
    learner.teach([0, 1], [1.0, 0.0])
    assert learner.y_pool_labelled_.dtype == np.float64


@pytest.mark.parametrize(
    ("answers", "match"),
    [
        (np.array([True, False]), r"labels so far \(int64, e\.g\. \d\)\. Got True \(bool\)"),
        (np.array(["1", "0"]), r"labels so far \(int64, e\.g\. \d\)\. Got '1' \(<U1\)"),
    ],
    ids=["numpy bools", "numpy text"],
)
def test_refused_answers_are_shown_as_plain_values(answers, match):
    learner = _learner()
    with pytest.raises(InvalidParameterError, match=match) as info:
        learner.teach([0, 1], answers)
    assert "np." not in str(info.value)
