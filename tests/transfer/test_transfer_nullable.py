"""CORAL takes pandas nullable dtypes (Int64, Float64, boolean); pd.NA is a missing value."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import CORAL

pd = pytest.importorskip("pandas")


def _frame(seed, shift=0.0):
    rng = np.random.default_rng(seed)
    n = 80
    return pd.DataFrame({
        "count": pd.array(rng.integers(0, 20, n), dtype="Int64"),
        "amount": pd.array(rng.normal(shift, 1.0 + shift, n), dtype="Float64"),
        "flag": pd.array(rng.random(n) < 0.3, dtype="boolean"),
    })


def test_nullable_frames_map_as_their_float_copies():
    src, tgt = _frame(0), _frame(1, 0.5)
    got = CORAL().fit(src, X_target=tgt).transform(src)
    ref = CORAL().fit(src.astype(float).to_numpy(),
                      X_target=tgt.astype(float).to_numpy()).transform(
        src.astype(float).to_numpy())
    assert isinstance(got, pd.DataFrame)
    assert list(got.columns) == ["count", "amount", "flag"]
    np.testing.assert_allclose(got.astype(float).to_numpy(), ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("column", ["count", "amount", "flag"])
@pytest.mark.parametrize("where", ["X", "X_target", "transform"])
def test_pd_na_is_refused_naming_the_argument_and_column(column, where):
    src, tgt = _frame(0), _frame(1, 0.5)
    bad = {"X": src, "X_target": tgt, "transform": src}[where].copy()
    bad.loc[5, column] = pd.NA
    name = "X_target" if where == "X_target" else "X"
    msg = rf"'{name}' parameter of CORAL must be free of missing values.*\['{column}'\]"
    if where == "X":
        call = lambda: CORAL().fit(bad, X_target=tgt)  # noqa: E731
    elif where == "X_target":
        call = lambda: CORAL().fit(src, X_target=bad)  # noqa: E731
    else:
        fitted = CORAL().fit(src, X_target=tgt)
        call = lambda: fitted.transform(bad)  # noqa: E731
    with pytest.raises(InvalidParameterError, match=msg):
        call()


def test_polars_nulls_are_refused_too():
    pl = pytest.importorskip("polars")
    src = pl.DataFrame({"a": [1.0, None, 3.0, 4.0], "b": [1, 2, 3, 5]})
    with pytest.raises(InvalidParameterError, match=r"'X' parameter of CORAL.*\['a'\]"):
        CORAL().fit(src)
