"""replay refuses a regressor: it scores accuracy, and every prediction was "wrong".

A ``LinearRegression`` (or a pipeline ending in one) replayed on numeric
labels ran to the end and reported accuracy 0.0, every row an error and a
cost of ``n`` errors, with exit 0.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic, select
from mllifecycle.replay import replay

rng = np.random.default_rng(0)
X = rng.normal(size=(300, 2))
Y_NUM = 2 * X[:, 0] + rng.normal(size=300)
Y_CLS = (X[:, 0] > 0).astype(int)


@pytest.mark.parametrize(
    "estimator", [LinearRegression(), make_pipeline(StandardScaler(), LinearRegression())]
)
@pytest.mark.parametrize("y", [Y_NUM, Y_CLS])
def test_a_regressor_is_refused(estimator, y):
    with pytest.raises(InvalidParameterError, match="'estimator' parameter of replay must be a "
                       "classifier") as info:
        replay(X, y, estimator, {"p": Periodic(every=50)}, initial_train_size=100,
               batch_size=50)
    assert f"the regressor {type(estimator).__name__}" in str(info.value)


def test_select_refuses_it_too():
    with pytest.raises(InvalidParameterError, match="must be a classifier"):
        select(X, Y_NUM, LinearRegression(), {"p": Periodic(every=50)},
               initial_train_size=100, batch_size=50)


class _Duck:
    """A classifier without scikit-learn tags (cloned through get_params)."""

    def get_params(self, deep=True):
        return {}

    def set_params(self, **params):
        return self

    def fit(self, X, y):
        self.label_ = y[-1]
        return self

    def predict(self, X):
        return np.full(len(X), self.label_)


def test_classifiers_and_untagged_estimators_still_run():
    run = replay(X, Y_CLS, LogisticRegression(), {"p": Periodic(every=50)},
                 initial_train_size=100, batch_size=50)["p"]
    assert run.accuracy > 0.8
    run = replay(X, Y_CLS, _Duck(), {"p": Periodic(every=50)},
                 initial_train_size=100, batch_size=50)["p"]
    assert run.n_evaluated == 200
