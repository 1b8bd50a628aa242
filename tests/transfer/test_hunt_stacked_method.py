"""Hunt: a stacked estimator asked for a method its source model lacks says so.

It raised a bare ``AttributeError: 'Ridge' object has no attribute
'predict_proba'``, naming neither ``method`` nor ``source_model``.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import StackedTransferClassifier, StackedTransferRegressor

_rng = np.random.default_rng(0)
X = _rng.normal(size=(60, 3))
Y_REG = X @ [1.0, 2.0, 0.0]
Y_CLF = (X[:, 0] > 0).astype(int)
RIDGE = Ridge().fit(X, Y_REG)

CASES = [
    (StackedTransferClassifier, FrozenEstimator(RIDGE), "predict_proba", Y_CLF,
     "The 'method' parameter of StackedTransferClassifier must be 'auto' or a method the "
     "source model has ('predict'). Got 'predict_proba', which FrozenEstimator(Ridge) "
     "lacks instead."),
    (StackedTransferClassifier, RIDGE, "decision_function", Y_CLF,
     "The 'method' parameter of StackedTransferClassifier must be 'auto' or a method the "
     "source model has ('predict'). Got 'decision_function', which Ridge lacks instead."),
    (StackedTransferRegressor, FrozenEstimator(RIDGE), "predict_proba", Y_REG,
     "The 'method' parameter of StackedTransferRegressor must be 'auto' or a method the "
     "source model has ('predict'). Got 'predict_proba', which FrozenEstimator(Ridge) "
     "lacks instead."),
]


@pytest.mark.parametrize(("cls", "source", "method", "y", "message"), CASES,
                         ids=["clf-frozen-proba", "clf-decision", "reg-frozen-proba"])
def test_missing_source_method_names_the_argument(cls, source, method, y, message) -> None:
    with pytest.raises(InvalidParameterError) as info:
        cls(source, method=method).fit(X, y)
    assert str(info.value) == message


def test_a_method_the_source_model_has_still_works() -> None:
    src = FrozenEstimator(LogisticRegression().fit(X, Y_CLF))
    model = StackedTransferClassifier(src, method="decision_function").fit(X, Y_CLF)
    assert model.n_source_features_ == 1
