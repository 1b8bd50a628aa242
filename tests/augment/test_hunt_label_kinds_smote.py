"""``sampling_strategy`` keys of another kind than ``y`` are refused, not merged.

``{True: 20}`` named the class ``1`` of an integer ``y`` (``True == 1``) and
``{1: 20}`` the class ``True`` of a boolean ``y``: the count went to a class
the dict does not name. ``y`` itself is checked by ``augment._common.check_y``.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle import augment
from mllifecycle.exceptions import InvalidParameterError

RNG = np.random.default_rng(1)
X = RNG.normal(size=(30, 2))
Y = np.r_[np.zeros(20, int), np.ones(10, int)]
XC = np.column_stack([RNG.integers(0, 3, 30).astype(float), RNG.normal(size=30)])

FUNCS = [
    (augment.smote, X, {}),
    (augment.borderline_smote, X, {}),
    (augment.adasyn, X, {}),
    (augment.smote_nc, XC, {"categorical_features": [0]}),
    # every augmenter plans its classes in augment._common.class_plan
    (augment.random_oversample, X, {}),
    (augment.gaussian_noise, X, {}),
]
SAME = r"must be a dict whose keys are classes of the same kind as 'y''s \({}"


@pytest.mark.parametrize(("fn", "X_", "kw"), FUNCS, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize(
    ("y", "strategy", "expected", "shown"),
    [
        (Y, {True: 20}, SAME.format("numbers"), "booleans such as True"),
        (Y, {np.True_: 20}, SAME.format("numbers"), "booleans such as True"),
        (Y.astype(bool), {1: 20}, SAME.format("booleans"), "numbers such as 1"),
        (Y, {"1": 20}, SAME.format("numbers"), "text such as '1'"),
        (Y, {True: 20, 0: 20}, r"must be a dict whose keys are classes of one kind",
         "booleans and numbers (True and 0)"),
    ],
    ids=["True-for-1", "np.True_-for-1", "1-for-True", "'1'-for-1", "two-kinds"],
)
def test_strategy_keys_of_another_kind_are_refused(fn, X_, kw, y, strategy, expected, shown):
    with pytest.raises(
        InvalidParameterError,
        match=rf"The 'sampling_strategy' parameter of {fn.__name__} {expected}",
    ) as err:
        fn(X_, y, sampling_strategy=strategy, rng=0, **kw)
    assert f"Got {shown} instead" in str(err.value)


@pytest.mark.parametrize(("fn", "X_", "kw"), FUNCS, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize(
    ("encode", "key"),
    [
        (lambda y: y, 1),
        (lambda y: y, np.int64(1)),
        (lambda y: y, 1.0),
        (lambda y: y.astype(float), 1),
        (lambda y: y.astype(bool), True),
        (lambda y: y.astype(str), "1"),
    ],
    ids=["int", "np.int64", "float-key", "float-y", "bool", "str"],
)
def test_strategy_keys_of_the_kind_of_y_as_before(fn, X_, kw, encode, key):
    xa, ya = fn(X_, Y, sampling_strategy={1: 20}, rng=0, **kw)
    xb, yb = fn(X_, encode(Y), sampling_strategy={key: 20}, rng=0, **kw)
    np.testing.assert_array_equal(xa, xb)
    assert yb.tolist() == encode(ya).tolist()
