"""Hunt 8: ``smote_nc`` on a table interpolated a column typed categorical left out
of an explicit ``categorical_features``.

``smote`` refuses a table with a column typed categorical (its categories are
labels); ``smote_nc(categorical_features=["c"])`` on a table whose column
``"d"`` is also typed categorical read ``"d"`` as a number column and gave
its synthetic rows fractional "categories" (1.46 between the categories 1
and 2), returned as a float column without a word.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.augment import SMOTENC, smote_nc
from mllifecycle.exceptions import InvalidParameterError

pd = pytest.importorskip("pandas")


def _table():
    rng = np.random.default_rng(0)
    n = 60
    X = pd.DataFrame({
        "a": rng.normal(size=n),
        "c": pd.Categorical(rng.choice(["x", "y"], n)),
        "d": pd.Categorical(rng.choice([1, 2], n)),
    })
    y = np.r_[np.zeros(50, int), np.ones(10, int)]
    return X, y


@pytest.mark.parametrize(
    "categorical_features",
    [["c"], [1], [-2], [True, True, False], np.array([False, True, False])],
    ids=["name", "position", "negative-position", "mask-list", "mask-array"],
)
def test_a_typed_categorical_column_left_out_is_refused(categorical_features):
    X, y = _table()
    with pytest.raises(
        InvalidParameterError,
        match=r"'categorical_features' parameter of smote_nc must be every column of X "
        r"typed categorical.*Got column 'd', typed categorical, left out",
    ):
        smote_nc(X, y, categorical_features=categorical_features, rng=0)


def test_the_sampler_refuses_it_too():
    X, y = _table()
    with pytest.raises(InvalidParameterError, match=r"Got column 'd', typed categorical"):
        SMOTENC(categorical_features=["c"], random_state=0).fit_resample(X, y)


@pytest.mark.parametrize("categorical_features", [["c", "d"], [1, 2], "auto"])
def test_every_typed_column_listed_keeps_its_categories(categorical_features):
    X, y = _table()
    X_new, _ = smote_nc(X, y, categorical_features=categorical_features, rng=0)
    assert str(X_new["d"].dtype) == "category"
    assert set(X_new["d"].tolist()) <= {1, 2}
    ref, _ = smote_nc(X, y, categorical_features="auto", rng=0)
    pd.testing.assert_frame_equal(X_new, ref)


def test_the_same_column_as_numbers_is_still_interpolated():
    # the way out the message gives: numbers are numbers
    X, y = _table()
    X["d"] = X["d"].astype(float)
    X_new, _ = smote_nc(X, y, categorical_features=["c"], rng=0)
    assert X_new["d"].dtype == np.float64
    assert X_new.shape == (100, 3)
