"""detect on Dask: integers beyond 2**53 shifted alike in both samples, as in memory."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from scipy import stats

from mllifecycle.drift import detect

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

BIG = 2**60


@pytest.fixture(autouse=True)
def _synchronous() -> Iterator[None]:
    with dask.config.set(scheduler="synchronous"):
        yield


def _key(rep: Any) -> list[tuple[Any, ...]]:
    return [(f.name, f.test, f.statistic, f.p_value) for f in rep.features]


def _frames() -> tuple[Any, Any]:
    rng = np.random.default_rng(0)
    ref = pd.DataFrame({"a": rng.normal(size=400), "b": rng.integers(BIG, BIG + 1000, 400)})
    cur = pd.DataFrame({"a": rng.normal(size=300), "b": rng.integers(BIG, BIG + 1100, 300)})
    return ref, cur


@pytest.mark.parametrize("which", ["both", "reference", "current"])
def test_big_int_column_on_dask_equals_in_memory_and_scipy(which: str) -> None:
    # the Dask path kept each partition's column as float64 (spacing 256 near
    # 2**60): KS D=0.1175, p=0.016 against D=0.11, p=0.030 in memory and in
    # scipy, with a warning telling the user to "use detect()", which they did
    ref, cur = _frames()
    want = detect(ref, cur)
    sp = stats.ks_2samp(ref["b"].to_numpy() - BIG, cur["b"].to_numpy() - BIG)
    assert want["b"].statistic == pytest.approx(sp.statistic)
    dref = dd.from_pandas(ref, npartitions=3) if which != "current" else ref
    dcur = dd.from_pandas(cur, npartitions=2) if which != "reference" else cur
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no "integers beyond 2**53" warning
        got = detect(dref, dcur)
    assert _key(got) == _key(want)
    assert cur["b"].dtype == np.int64  # the caller's frame is not changed


def test_big_int_dask_arrays_irregular_chunks_and_unsigned() -> None:
    rng = np.random.default_rng(1)
    X = rng.integers(BIG, BIG + 1000, (400, 2))
    Y = rng.integers(BIG, BIG + 1100, (300, 2))
    got = detect(da.from_array(X, chunks=((1, 99, 300), 1)), da.from_array(Y, chunks=(77, 2)))
    assert _key(got) == _key(detect(X, Y))
    U = rng.integers(2**63, 2**63 + 1000, (400, 1), dtype=np.uint64)
    V = rng.integers(2**63, 2**63 + 1100, (300, 1), dtype=np.uint64)
    got = detect(da.from_array(U, chunks=100), da.from_array(V, chunks=100))
    assert _key(got) == _key(detect(U, V))
    got = detect(da.from_array(-X, chunks=100), -Y)
    assert _key(got) == _key(detect(-X, -Y))


def test_big_nullable_ints_with_missing_and_a_categorical_int_column() -> None:
    rng = np.random.default_rng(2)
    ref = pd.DataFrame(
        {
            "b": pd.array(rng.integers(BIG, BIG + 1000, 400), dtype="Int64"),
            "c": rng.integers(BIG, BIG + 3, 400),  # labels: kept, not shifted
        }
    )
    cur = pd.DataFrame(
        {
            "b": pd.array(rng.integers(BIG, BIG + 1100, 300), dtype="Int64"),
            "c": rng.integers(BIG, BIG + 3, 300),
        }
    )
    ref.loc[:120, "b"] = pd.NA  # missing in the first partitions only
    kw: dict[str, Any] = {"nan_policy": "omit", "categorical_features": ["c"], "rng": 0}
    want = detect(ref, cur, **kw)
    got = detect(dd.from_pandas(ref, npartitions=4), dd.from_pandas(cur, npartitions=3), **kw)
    assert _key(got) == _key(want)
    assert got["c"].result.to_dict() == want["c"].result.to_dict()


def test_nan_count_of_a_partition_says_so() -> None:
    # "Got 21 NaN value(s)" read as the column's count (121 missing in all)
    ref = pd.DataFrame({"b": np.arange(400.0)})
    ref.loc[:120, "b"] = np.nan
    with pytest.raises(ValueError, match=r"NaN value\(s\) in one partition"):
        detect(dd.from_pandas(ref, npartitions=4), ref)
