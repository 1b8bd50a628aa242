"""A pretrained source model of the user's own (a plain class) in the stacked estimators.

The pretrained model is used as it is, never refitted, and needs only
``predict_proba``, ``decision_function`` or ``predict``: a plain class (a
wrapped network, say) was refused by scikit-learn's fitted check with
"... is not an estimator instance" (no ``fit``) or an AttributeError about
``__sklearn_tags__`` (a ``fit`` but no scikit-learn base class).
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LinearRegression, LogisticRegression

from mllifecycle.exceptions import NotFittedError
from mllifecycle.transfer import StackedTransferClassifier, StackedTransferRegressor

rng = np.random.default_rng(0)
XS = rng.normal(size=(400, 3))
YS = (XS.sum(axis=1) > 0).astype(int)
XT = rng.normal(size=(60, 3))
YT = (XT.sum(axis=1) > 0.3).astype(int)
RT = XT @ np.array([1.0, -2.0, 0.5]) + rng.normal(0, 0.1, 60)
SOURCE = LogisticRegression().fit(XS, YS)
SOURCE_R = LinearRegression().fit(XS, XS @ np.array([1.0, -2.0, 0.0]))


class Wrapped:
    """Answers as a fitted model does, with no fit of its own."""

    def __init__(self, model):
        self.model = model

    def predict_proba(self, X):
        return self.model.predict_proba(X)

    def predict(self, X):
        return self.model.predict(X)


class WrappedWithFit(Wrapped):
    """Has a fit, but no scikit-learn base class (no tags)."""

    def fit(self, X, y):
        return self


class WrappedRegressor:
    """A regressor's answers, with only predict."""

    def __init__(self, model):
        self.model = model

    def predict(self, X):
        return self.model.predict(X)


@pytest.mark.parametrize("wrapper", [Wrapped, WrappedWithFit])
def test_own_source_model_answers_as_the_frozen_one(wrapper):
    ref = StackedTransferClassifier(FrozenEstimator(SOURCE)).fit(XT, YT)
    own = StackedTransferClassifier(wrapper(SOURCE)).fit(XT, YT)
    np.testing.assert_array_equal(own.predict_proba(XT), ref.predict_proba(XT))
    assert own.n_source_features_ == 1
    # clone keeps the source (deep-copied), pickles answer the same
    again = clone(own).fit(XT, YT)
    np.testing.assert_array_equal(again.predict_proba(XT), ref.predict_proba(XT))
    back = pickle.loads(pickle.dumps(own))
    np.testing.assert_array_equal(back.predict_proba(XT), own.predict_proba(XT))


def test_own_source_model_in_the_regressor():
    ref = StackedTransferRegressor(FrozenEstimator(SOURCE_R)).fit(XT, RT)
    own = StackedTransferRegressor(WrappedRegressor(SOURCE_R)).fit(XT, RT)
    np.testing.assert_array_equal(own.predict(XT), ref.predict(XT))


def test_an_unfitted_scikit_learn_source_is_still_refused():
    with pytest.raises(NotFittedError, match="'source_model' of StackedTransferClassifier "
                                             "must be fitted"):
        StackedTransferClassifier(LogisticRegression()).fit(XT, YT)
