"""learning_curve names the argument at fault when no cross-validated fit succeeds.

With NaN in X for a model that refuses it, every fit failed and the error
blamed the sizes ("e.g. on a training subset with a single class"). When the
estimator cannot be fitted on all rows either, the rows are at fault: the
error names X and quotes the fit's own error. Sizes too small to hold every
class are still named as sizes.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression

from mllifecycle.budget import learning_curve
from mllifecycle.exceptions import InvalidParameterError


def _data(minority=0.5, n=120):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 3))
    y = (rng.random(n) < minority).astype(int)
    return X, y


@pytest.mark.filterwarnings("ignore:Scoring failed:UserWarning")  # test folds with NaN
@pytest.mark.parametrize("cell", [np.nan, np.inf])
def test_rows_no_fit_can_take_are_named_as_x(cell):
    X, y = _data()
    X[7, 1] = cell
    with pytest.warns(FitFailedWarning), pytest.raises(
        InvalidParameterError,
        match=r"The 'X' parameter of learning_curve must be rows the estimator can be fitted "
        r"on \(no cross-validated fit succeeded\). Got a fit of LogisticRegression on all "
        r"rows failing with ValueError: Input X contains",
    ):
        learning_curve(LogisticRegression(), X, y, [20, 40, 60], rng=0)


def test_sizes_too_small_for_every_class_are_still_named_as_sizes():
    X, y = _data(minority=0.05, n=300)
    with pytest.warns(FitFailedWarning), pytest.raises(
        InvalidParameterError, match=r"The 'sizes' parameter of learning_curve .*\[2, 3, 4\]"
    ):
        learning_curve(LogisticRegression(), X, y, [2, 3, 4], rng=0)
