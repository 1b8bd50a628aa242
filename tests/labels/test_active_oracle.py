"""Uncertainty strategies against scikit-activeml 1.0 (skipped when absent)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.labels import entropy, least_confident, margin

pytest.importorskip("skactiveml")
from skactiveml.classifier import SklearnClassifier
from skactiveml.pool import UncertaintySampling

pytestmark = pytest.mark.oracle


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [(least_confident, "least_confident"), (margin, "margin_sampling"),
     (entropy, "entropy")],
)
@pytest.mark.parametrize("n_classes", [2, 4])
def test_same_batch_and_ranking_as_scikit_activeml(ours, theirs, n_classes):
    rng = np.random.default_rng(n_classes)
    X = rng.normal(size=(2000, 6))
    y = np.digitize(X[:, 0] + 0.5 * X[:, 1] + 0.3 * rng.normal(size=2000),
                    np.linspace(-1, 1, n_classes - 1))
    y_obs = np.full(2000, np.nan)
    y_obs[:150] = y[:150]
    clf = SklearnClassifier(LogisticRegression(), classes=np.arange(n_classes))
    clf.fit(X, y_obs)
    qs = UncertaintySampling(method=theirs, random_state=0)
    idx, util = qs.query(X, y_obs, clf, fit_clf=False, batch_size=25,
                         return_utilities=True)
    q = ours(clf.estimator_, X[150:], batch_size=25, rng=0)
    np.testing.assert_array_equal(np.sort(q.indices + 150), np.sort(idx))
    # the utilities rank the pool the same way as our scores
    u = util[0][150:]
    full = ours(clf.estimator_, X[150:], batch_size=1850, rng=0)
    order_theirs = np.argsort(-u, kind="stable")[:200]
    np.testing.assert_array_equal(full.indices[:200], order_theirs)
