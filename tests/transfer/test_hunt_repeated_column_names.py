"""Hunt: CORAL and the stacked estimators name the argument at fault in a table or array.

Repeated column names: scikit-learn's feature-name check raised narwhals'
``DuplicateError: Expected unique column names``, naming no argument
(finetune, progressive and transfer_gain already refused such tables by
name). A complex ``X_target`` of CORAL was refused as ``'X'``.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import CORAL, StackedTransferClassifier, StackedTransferRegressor

pd = pytest.importorskip("pandas")

_rng = np.random.default_rng(0)
X = _rng.normal(size=(50, 2))
Y = (X[:, 0] > 0).astype(int)
OK = pd.DataFrame(X, columns=["a", "b"])
DUP = pd.DataFrame(X, columns=["a", "a"])
REG_SRC = FrozenEstimator(Ridge().fit(OK, X[:, 0]))
CLF_SRC = FrozenEstimator(LogisticRegression().fit(OK, Y))


def _msg(name: str, caller: str) -> str:
    return (f"The {name!r} parameter of {caller} must be a data set with unique column names "
            "(as text). Got column name 'a' repeated (as 'a' and 'a') instead.")


CASES = [
    (lambda: CORAL().fit(DUP), _msg("X", "CORAL")),
    (lambda: CORAL().fit(OK, X_target=DUP), _msg("X_target", "CORAL")),
    (lambda: CORAL().fit(OK, X_target=OK).transform(DUP), _msg("X", "CORAL")),
    (lambda: StackedTransferRegressor(REG_SRC).fit(DUP, X[:, 0]),
     _msg("X", "StackedTransferRegressor")),
    (lambda: StackedTransferRegressor(REG_SRC).fit(OK, X[:, 0]).predict(DUP),
     _msg("X", "StackedTransferRegressor")),
    (lambda: StackedTransferClassifier(CLF_SRC).fit(DUP, Y),
     _msg("X", "StackedTransferClassifier")),
    (lambda: StackedTransferClassifier(CLF_SRC).fit(OK, Y).predict_proba(DUP),
     _msg("X", "StackedTransferClassifier")),
]


@pytest.mark.parametrize(("call", "message"), CASES,
                         ids=["coral-fit", "coral-target", "coral-transform", "reg-fit",
                              "reg-predict", "clf-fit", "clf-predict-proba"])
def test_repeated_column_names_are_refused_by_name(call, message) -> None:
    with pytest.raises(InvalidParameterError) as info:
        call()
    assert str(info.value) == message


@pytest.mark.parametrize("as_list", [False, True], ids=["array", "list"])
def test_complex_target_is_named_x_target(as_list: bool) -> None:
    # the complex check named 'X' whichever argument held the complex values
    xt = X + 1j
    with pytest.raises(InvalidParameterError) as info:
        CORAL().fit(X, X_target=xt.tolist() if as_list else xt)
    assert str(info.value) == (
        "The 'X_target' parameter of CORAL must be real numbers (Complex data not "
        "supported: the imaginary part would be lost). Got complex values instead."
    )
