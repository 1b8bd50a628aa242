"""Active learning on inputs the main tests do not cover: each case once returned a
wrong answer or a raw error."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

from mllifecycle.labels import ActiveLearner, margin


def test_learner_without_initial_labels_keeps_integer_labels_exact():
    # the empty initial label array was float64: concatenating it turned the
    # oracle's ints into floats, which merges large ids (2**60 + 1 == 2**60 + 2)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    ids = np.array([2**60 + 1, 2**60 + 2])
    y = ids[(X[:, 0] > 0).astype(int)]
    learner = ActiveLearner(estimator=LogisticRegression(), strategy=margin, batch_size=4,
                            budget=12, rng=0).fit(X).run(lambda idx: y[idx])
    assert learner.estimator_.classes_.tolist() == ids.tolist()
    assert learner.estimator_.classes_.dtype.kind == "i"
    assert set(learner.estimator_.predict(X).tolist()) <= set(ids.tolist())
