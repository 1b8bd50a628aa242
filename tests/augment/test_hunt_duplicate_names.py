"""Hunt: a column name that names two columns cannot pick the categorical ones."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.augment import SMOTENC, smote_nc
from mllifecycle.exceptions import InvalidParameterError


def _frame():
    rng = np.random.default_rng(0)
    n = 30
    X = pd.DataFrame({
        "c1": rng.integers(0, 3, n),  # both categorical, both named "c"
        "c2": rng.integers(0, 3, n),
        "x": rng.normal(size=n),
    })
    X.columns = ["c", "c", "x"]
    y = np.r_[np.zeros(22, int), np.ones(8, int)]
    return X, y


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda X, y: smote_nc(X, y, categorical_features=["c"], rng=0),
         r"'categorical_features' parameter of smote_nc must be column names that each "
         r"name one column.*Got 'c', which names 2 columns"),
        (lambda X, y: SMOTENC(categorical_features=["c"], random_state=0).fit_resample(X, y),
         r"'categorical_features' parameter of \w+ must be column names that each name one"),
    ],
)
def test_an_ambiguous_column_name_is_refused(call, match):
    # the name picked the first "c" only: the second was interpolated into
    # fractional categories with exit 0
    X, y = _frame()
    with pytest.raises(InvalidParameterError, match=match):
        call(X, y)


def test_indices_still_pick_both_duplicated_columns():
    X, y = _frame()
    Xn, _ = smote_nc(X, y, categorical_features=[0, 1], rng=0)
    values = Xn.to_numpy()[:, :2]
    assert np.array_equal(values, np.round(values))
