"""The same numbers in every container a user may pass (shared by tests/test_containers_*).

``matrices(X)`` and ``vectors(v)`` return ``{kind: container}`` holding the
numbers of a float64 ``X`` or 1-D ``v``; ``unchanged`` says whether a call left
its input as it was; ``as_array`` reads any of them back as NumPy.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")


def _names(d: int) -> list[str]:
    return [f"c{j}" for j in range(d)]


def _read_only(a: np.ndarray) -> np.ndarray:
    ro = a.copy()
    ro.flags.writeable = False
    return ro


def matrices(X: np.ndarray, *, tables: bool = True, lazy: bool = True,
             tuples: bool = True) -> dict[str, Any]:
    """The numbers of a 2-D float64 ``X`` as lists, tables and array layouts."""
    names = _names(X.shape[1])
    out: dict[str, Any] = {"list": X.tolist()}
    if tuples:
        out["tuple"] = tuple(map(tuple, X.tolist()))
    if tables:
        out["pandas"] = pd.DataFrame(X, columns=names)
        out["polars"] = pl.DataFrame({n: X[:, j] for j, n in enumerate(names)})
        if lazy:
            out["polars_lazy"] = out["polars"].lazy()
        out["pandas_Float64"] = pd.DataFrame(X, columns=names).astype("Float64")
    out["fortran"] = np.asfortranarray(X)
    out["big_endian"] = X.astype(">f8")
    out["float32"] = X.astype(np.float32)
    out["read_only"] = _read_only(X)
    wide = np.zeros((X.shape[0], 2 * X.shape[1]))
    wide[:, ::2] = X
    out["column_view"] = wide[:, ::2]
    out["row_view"] = np.repeat(X, 2, axis=0)[::2]
    if np.array_equal(X, np.round(X)):
        out["int"] = X.astype(np.int64)
        if tables:
            out["pandas_Int64"] = pd.DataFrame(X.astype(np.int64), columns=names).astype("Int64")
    return out


def vectors(v: np.ndarray) -> dict[str, Any]:
    """The numbers of a 1-D ``v`` as lists, Series and array layouts."""
    out: dict[str, Any] = {
        "list": v.tolist(),
        "tuple": tuple(v.tolist()),
        "pandas": pd.Series(v),
        "polars": pl.Series("v", v),
        "strided": np.repeat(v, 2)[::2],
        "big_endian": v.astype(">f8") if v.dtype.kind == "f" else v.astype(">i8"),
        "pandas_nullable": pd.Series(v).astype("Int64" if v.dtype.kind in "iu" else "Float64"),
        "read_only": _read_only(v),
    }
    if v.dtype.kind == "f" and np.array_equal(v, np.round(v)):
        out["int"] = v.astype(np.int64)
    return out


def unchanged(before: Any, after: Any) -> bool:
    """Whether ``after`` holds what the copy ``before`` held."""
    if isinstance(before, pl.LazyFrame):
        return bool(before.collect().equals(after.collect()))
    if isinstance(before, pd.DataFrame | pd.Series | pl.DataFrame | pl.Series):
        return bool(before.equals(after))
    return bool(np.array_equal(np.asarray(before), np.asarray(after)))


def as_array(a: Any) -> np.ndarray:
    """Any container read back as a NumPy array."""
    to_numpy = getattr(a, "to_numpy", None)
    return np.asarray(to_numpy() if to_numpy is not None else a)


def same_answers(fn: Any, ref: Any, kinds: dict[str, Any], *, tol32: float | None = None) -> None:
    """Assert ``fn(c)`` equals ``ref`` for every container ``c`` and leaves ``c`` as it was.

    Bit for bit, except ``float32`` (other numbers: within ``tol32``).
    """
    import copy

    for kind, c in kinds.items():
        before = copy.deepcopy(c)
        got = fn(c)
        assert unchanged(before, c), kind
        if kind == "float32":
            np.testing.assert_allclose(got, ref, rtol=tol32, atol=tol32, err_msg=kind)
        else:
            np.testing.assert_array_equal(got, ref, err_msg=kind)
