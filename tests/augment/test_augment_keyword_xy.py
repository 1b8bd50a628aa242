"""``smote(X=X, y=y)``: X and y given by keyword, as the signature allows.

The table wrappers read ``args[0]`` and ``args[1]`` and failed with a bare
``IndexError: tuple index out of range``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from mllifecycle import augment

pd = pytest.importorskip("pandas")

FUNCTIONS = [augment.smote, augment.borderline_smote, augment.adasyn,
             augment.random_oversample, augment.gaussian_noise, augment.mixup]


def _data() -> tuple[Any, Any]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    X[30:] += 1.0
    return X, y


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.__name__)
def test_x_and_y_by_keyword_give_the_positional_answer(fn: Any) -> None:
    X, y = _data()
    want = fn(X, y, rng=0)
    for got in (fn(X=X, y=y, rng=0), fn(X, y=y, rng=0)):
        for a, b in zip(want, got, strict=True):
            np.testing.assert_array_equal(a, b)


def test_smote_regression_and_smote_nc_by_keyword() -> None:
    rng = np.random.default_rng(3)
    Xr = rng.normal(size=(60, 2))
    yr = Xr[:, 0] * 2.0 + rng.normal(0, 0.1, 60)
    yr[:8] += 8.0
    yr[8:16] -= 8.0
    want = augment.smote_regression(Xr, yr, rng=0)
    got = augment.smote_regression(X=Xr, y=yr, rng=0)
    for a, b in zip(want, got, strict=True):
        np.testing.assert_array_equal(a, b)
    X, y = _data()
    df = pd.DataFrame({"a": X[:, 0], "t": np.where(X[:, 1] > 0, "u", "v")})
    # "auto" reads the text column as categorical on the table given by keyword too
    want = augment.smote_nc(df, y, categorical_features="auto", rng=0)
    got = augment.smote_nc(X=df, y=y, categorical_features="auto", rng=0)
    assert got[0].equals(want[0])
    np.testing.assert_array_equal(got[1], want[1])


def test_a_missing_y_is_python_s_own_error() -> None:
    X, _ = _data()
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'y'"):
        augment.smote(X=X)  # type: ignore[call-arg]
