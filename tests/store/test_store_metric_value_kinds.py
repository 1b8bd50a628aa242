"""Registry metrics and tags of kinds JSON has no word for.

A 0-d array (``np.array(0.5)``) raised a bare ``TypeError: 'float' object
is not iterable``; ``Decimal``/``Fraction`` numbers were stored as text, so
``to_metrics()`` left them out; pandas' ``NA`` became the text ``"<NA>"``;
bytes became a list of their codes.
"""

from __future__ import annotations

import decimal
import fractions
import math

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import Registry, Store

pytest.importorskip("skops")

MODEL = DummyClassifier().fit([[0], [1]], [0, 1])


@pytest.fixture
def reg():
    return Registry(Store(":memory:"))


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (np.array(0.5), 0.5),
        (np.array(2**60), 2**60),
        (decimal.Decimal("0.1"), 0.1),
        (fractions.Fraction(1, 4), 0.25),
    ],
)
def test_numbers_are_numbers(reg, value, stored):
    v = reg.register("m", MODEL, metrics={"auc": value}, tags={"t": value})
    assert v.metrics["auc"] == stored
    assert type(v.metrics["auc"]) is type(stored)
    assert v.tags["t"] == stored
    assert v.to_metrics()["auc"] == float(stored)
    assert reg.get("m", 1).metrics == {"auc": stored}


def test_decimal_nan_is_nan(reg):
    v = reg.register("m", MODEL, metrics={"loss": decimal.Decimal("NaN")})
    assert math.isnan(v.metrics["loss"])


def test_pandas_na_is_missing(reg):
    v = reg.register("m", MODEL, metrics={"auc": pd.NA, "x": [np.array(1.5), pd.NA]},
                     tags={"team": pd.NA})
    assert v.metrics == {"auc": None, "x": [1.5, None]}
    assert v.tags == {"team": None}


@pytest.mark.parametrize("arg", ["metrics", "tags"])
def test_bytes_are_refused(reg, arg):
    with pytest.raises(InvalidParameterError,
                       match=rf"'{arg}' parameter of register.*Got bytes in {arg}\['k'\]"):
        reg.register("m", MODEL, **{arg: {"k": b"abc"}})
    assert reg.names() == []
