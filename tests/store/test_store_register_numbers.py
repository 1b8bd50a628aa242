"""fingerprint ignores byte order; register refuses ints beyond the float range by name."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import Registry, Store, fingerprint

X = np.arange(12.0).reshape(6, 2)
Y = np.array([0, 1, 0, 1, 1, 0])


@pytest.mark.parametrize(
    ("X_other", "y_other"),
    [
        (X.astype(">f8"), Y),
        (X, Y.astype(">i8")),
        (X.astype(">f8"), Y.astype(">i8")),
        (pd.DataFrame(X.astype(">f8"), columns=["x0", "x1"]), pd.Series(Y.astype(">i8"))),
    ],
)
def test_big_endian_data_has_the_fingerprint_of_the_same_native_data(X_other, y_other):
    # the bytes were hashed as they lay: the same training data read from a
    # big-endian file got another fingerprint (and dtype '>f8')
    native = fingerprint(X, Y)
    other = fingerprint(X_other, y_other)
    assert other.sha256 == native.sha256
    assert other.y_sha256 == native.y_sha256
    assert other.dtypes == ("float64", "float64")


def test_byte_order_does_not_hide_a_change_in_values():
    changed = X.astype(">f8")
    changed[0, 0] = 99.0
    assert fingerprint(changed).sha256 != fingerprint(X).sha256


def test_native_fingerprints_are_unchanged():
    # what earlier releases stored for native data (computed with them)
    assert fingerprint(np.zeros((2, 1)), [0, 1]).sha256 == (
        "a799922ec41823568f116abee916cea678ea952feebeb6f02491cb11187b8294"
    )


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"cost": 10**400}, "cost"), ({"created_at": 10**400}, "created_at"),
     ({"created_at": -(10**400)}, "created_at")],
)
def test_register_refuses_ints_beyond_the_float_range_by_name(kwargs, name):
    # math.isfinite raised a raw OverflowError
    registry = Registry(Store(":memory:"))
    model = DummyClassifier().fit([[0], [1]], [0, 1])
    with pytest.raises(InvalidParameterError, match=rf"'{name}' parameter of register"):
        registry.register("m", model, **kwargs)
    assert registry.names() == []
