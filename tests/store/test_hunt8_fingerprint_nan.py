"""One NaN, however it was made, in a data fingerprint."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.store import fingerprint


def _negative_nan(dtype):
    with np.errstate(invalid="ignore"):
        value = np.log(np.array([-1.0], dtype=dtype))[0]  # sign bit set, as 0/0 gives
    assert np.isnan(value)
    assert np.signbit(value)
    return value


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
def test_nan_computed_or_written_hashes_alike(dtype):
    rng = np.random.default_rng(0)
    written = rng.normal(size=(6, 2)).astype(dtype)
    written[2, 1] = np.nan
    computed = written.copy()
    computed[2, 1] = _negative_nan(dtype)
    assert written.tobytes() != computed.tobytes()  # the bytes differ, the data does not
    y = np.array([0.0, np.nan, 1.0, 1.0, 0.0, 1.0], dtype=dtype)
    y_computed = y.copy()
    y_computed[1] = _negative_nan(dtype)
    a, b = fingerprint(written, y), fingerprint(computed, y_computed)
    assert a.sha256 == b.sha256
    assert a.y_sha256 == b.y_sha256
    # a DataFrame of the same columns as well
    frame = pd.DataFrame({"a": written[:, 0], "b": written[:, 1]})
    frame_computed = pd.DataFrame({"a": computed[:, 0], "b": computed[:, 1]})
    assert fingerprint(frame).sha256 == fingerprint(frame_computed).sha256


def test_nan_is_still_not_a_number():
    with_nan = np.array([[1.0], [np.nan]])
    assert fingerprint(with_nan).sha256 != fingerprint(np.array([[1.0], [0.0]])).sha256
    assert fingerprint(with_nan).sha256 != fingerprint(np.array([[1.0], [np.inf]])).sha256


def _objects(*values):
    col = np.empty(len(values), dtype=object)
    col[:] = list(values)
    return col


@pytest.mark.parametrize(
    ("missing", "word"),
    [(pd.NA, "<NA>"), (pd.NaT, "NaT"), (np.datetime64("NaT"), "NaT")],
    ids=["pd.NA", "pd.NaT", "np.NaT"],
)
def test_pandas_missing_markers_are_not_the_words_they_print_as(missing, word):
    # pd.NA and NaT were hashed as their text: a column with a missing cell
    # got the fingerprint of a column holding the word "<NA>" (different data,
    # equal fingerprints); now they hash as the missing value None does
    with_missing = _objects("x", "y", missing)
    assert fingerprint(with_missing[:, None]).sha256 != fingerprint(
        _objects("x", "y", word)[:, None]).sha256
    assert fingerprint(with_missing[:, None]).sha256 == fingerprint(
        _objects("x", "y", None)[:, None]).sha256
    X = np.zeros((3, 1))
    assert fingerprint(X, with_missing).y_sha256 == fingerprint(
        X, _objects("x", "y", None)).y_sha256


def test_string_column_hashes_as_the_same_column_from_polars():
    pl = pytest.importorskip("polars")
    cells = ["x", "y", None]
    from_pandas = pd.DataFrame({"b": pd.array(cells, dtype="string")})
    assert fingerprint(from_pandas) == fingerprint(pl.DataFrame({"b": cells}))
    aware = pd.DataFrame({"t": pd.to_datetime(["2024-01-01", None]).tz_localize("UTC")})
    words = pd.DataFrame({"t": _objects("2024-01-01 00:00:00+00:00", "NaT")})
    assert fingerprint(aware).sha256 != fingerprint(words).sha256
