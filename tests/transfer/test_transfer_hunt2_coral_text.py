"""CORAL refuses text and datetimes as the other transfer helpers do."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import CORAL


def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(0)
    src = pd.DataFrame({"a": rng.normal(size=50), "b": rng.integers(0, 5, 50)})
    tgt = pd.DataFrame({"a": rng.normal(size=40), "b": rng.integers(0, 5, 40)})
    return src, tgt


@pytest.mark.parametrize("kind", ["mixed object", "string dtype"])
def test_text_column_is_refused(kind: str) -> None:
    # text digits ("3") were read as numbers and the map fitted with exit 0,
    # while importance_weights and finetune refuse the same table
    src, tgt = _frames()
    if kind == "mixed object":
        col = src["b"].astype(object).where(src.index % 2 == 0, src["b"].astype(str))
    else:
        col = src["b"].astype(str).astype("string")
    with pytest.raises(InvalidParameterError, match="'X' parameter of CORAL must be numeric"):
        CORAL().fit(src.assign(b=col), X_target=tgt)
    with pytest.raises(InvalidParameterError, match="'X_target' parameter of CORAL"):
        CORAL().fit(tgt, X_target=src.assign(b=col))


def test_text_array_is_refused() -> None:
    x = np.random.default_rng(0).normal(size=(20, 2))
    with pytest.raises(InvalidParameterError, match="must be numeric"):
        CORAL().fit(x.astype(str))
    fitted = CORAL().fit(x)
    with pytest.raises(InvalidParameterError, match="must be numeric"):
        fitted.transform(x.astype(str))


def test_datetime_column_is_refused_clearly() -> None:
    # was numpy's DTypePromotionError, naming no argument
    src, tgt = _frames()
    with pytest.raises(InvalidParameterError, match=r"'X' parameter of CORAL.*datetimes"):
        CORAL().fit(src.assign(b=pd.date_range("2020", periods=50)),
                    X_target=tgt.assign(b=pd.date_range("2020", periods=40)))


def test_object_numbers_and_lists_still_work() -> None:
    src, tgt = _frames()
    ref = CORAL().fit(src, X_target=tgt).transform(src)
    got = CORAL().fit(src.astype(object), X_target=tgt).transform(src.astype(object))
    np.testing.assert_array_equal(np.asarray(got, dtype=float), ref.to_numpy())
    lst = CORAL().fit(src.to_numpy().tolist(), X_target=tgt.to_numpy().tolist())
    np.testing.assert_allclose(lst.transform(src.to_numpy().tolist()), ref.to_numpy())
