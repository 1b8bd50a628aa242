"""Dask input against the same data in memory: time zones, categorical types, shapes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from mllifecycle.drift import Reference, detect

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")


@pytest.fixture(autouse=True)
def _synchronous() -> Iterator[None]:
    with dask.config.set(scheduler="synchronous"):
        yield


def _key(rep: Any) -> list[tuple[Any, ...]]:
    return [(f.name, f.test, f.statistic, f.p_value, f.drift_detected) for f in rep.features]


def _times(aware_ref: bool, aware_cur: bool) -> tuple[Any, Any]:
    rng = np.random.default_rng(0)
    t0 = pd.Timestamp("2020-01-01")
    ref = pd.DataFrame(
        {"a": rng.normal(size=200), "t": t0 + pd.to_timedelta(rng.integers(0, 900, 200), "h")}
    )
    cur = pd.DataFrame(
        {"a": rng.normal(size=150), "t": t0 + pd.to_timedelta(rng.integers(0, 900, 150), "h")}
    )
    if aware_ref:
        ref["t"] = ref["t"].dt.tz_localize("UTC")
    if aware_cur:
        cur["t"] = cur["t"].dt.tz_localize("UTC")
    return ref, cur


@pytest.mark.parametrize(
    ("aware_ref", "aware_cur", "match"),
    [(True, False, "timezone-aware, like the reference"), (False, True, "naive, like the ref")],
)
def test_sketch_compare_of_a_dask_current_refuses_aware_against_naive(
    aware_ref: bool, aware_cur: bool, match: str
) -> None:
    # a Dask current against a sketched reference was compared as instants
    # (a report, exit 0) where the same data in memory is refused
    ref, cur = _times(aware_ref, aware_cur)
    with pytest.raises(ValueError, match=match):
        Reference.fit(ref).compare(cur)
    fitted = Reference.fit(dd.from_pandas(ref, npartitions=3))
    assert fitted.sketch is not None
    with pytest.raises(ValueError, match=match):
        fitted.compare(dd.from_pandas(cur, npartitions=2))
    with pytest.raises(ValueError, match=match):
        detect(dd.from_pandas(ref, npartitions=3), dd.from_pandas(cur, npartitions=2))


def test_sketch_compare_of_a_dask_current_with_matching_time_zones() -> None:
    ref, cur = _times(True, True)
    want = Reference.fit(ref).compare(cur)
    got = Reference.fit(dd.from_pandas(ref, npartitions=3)).compare(dd.from_pandas(cur, 2))
    assert _key(got) == _key(want)


def _ints(n: int, m: int) -> tuple[Any, Any]:
    rng = np.random.default_rng(1)
    ref = pd.DataFrame({"a": rng.normal(size=n), "c": rng.integers(0, 4, n)})
    cur = pd.DataFrame({"a": rng.normal(size=m), "c": rng.choice(4, m, p=[0.4, 0.2, 0.2, 0.2])})
    return ref, cur


@pytest.mark.parametrize("dask_ref", [True, False])
def test_detect_takes_a_category_typed_current_column_as_categorical(dask_ref: bool) -> None:
    # an int reference column against a `category` current column: chi-squared
    # in memory; on Dask refused ("tests must be a test for categorical data,
    # got 'ks'") although the user named no test
    ref, cur = _ints(300, 200)
    cur["c"] = cur["c"].astype("category")
    want = detect(ref, cur, rng=0)
    assert want["c"].test == "chi_square"
    dref = dd.from_pandas(ref, npartitions=3) if dask_ref else ref
    got = detect(dref, dd.from_pandas(cur, npartitions=2), rng=0)
    assert _key(got) == _key(want)
    got = detect(dd.from_pandas(ref, npartitions=3), cur, rng=0)  # in-memory current
    assert _key(got) == _key(want)
    # with categorical_features given too (by position: column "c")
    want = detect(ref, cur, rng=0, categorical_features=[1])
    got = detect(dref, dd.from_pandas(cur, npartitions=2), rng=0, categorical_features=[1])
    assert _key(got) == _key(want)


def test_sketch_compare_refuses_a_category_typed_current_column_clearly() -> None:
    ref, cur = _ints(300, 200)
    cur["c"] = cur["c"].astype("category")
    fitted = Reference.fit(dd.from_pandas(ref, npartitions=3))
    match = "column 'c' numeric, as in the reference .*categorical-typed column 'c'"
    with pytest.raises(ValueError, match=match):
        fitted.compare(cur)
    with pytest.raises(ValueError, match=match):
        fitted.compare(dd.from_pandas(cur, npartitions=2))


def test_sketch_compare_refuses_text_in_a_numeric_column_clearly() -> None:
    # was: "The 'tests' parameter ... must be a test for categorical data ... Got 'ks'"
    ref, cur = _ints(300, 200)
    cur["a"] = np.where(cur["a"] > 0, "hi", "lo")
    fitted = Reference.fit(dd.from_pandas(ref, npartitions=3))
    with pytest.raises(ValueError, match=r"'current'.*column 'a' numeric, as in the reference"):
        fitted.compare(dd.from_pandas(cur, npartitions=2))
    with pytest.raises(ValueError, match=r"'current'.*column 'a' numeric, as in the reference"):
        detect(dd.from_pandas(ref, npartitions=3), dd.from_pandas(cur, npartitions=2))


@pytest.mark.parametrize("shape", [(50,), (50, 1, 1)])
def test_sketch_compare_refuses_a_dask_array_not_2d(shape: tuple[int, ...]) -> None:
    # a 1-D Dask current raised IndexError: tuple index out of range
    fitted = Reference.fit(da.from_array(np.random.default_rng(0).normal(size=(100, 1)), 50))
    with pytest.raises(ValueError, match=rf"'current' .* 2-D Dask array.*ndim={len(shape)}"):
        fitted.compare(da.ones(shape, chunks=10))


def test_detect_on_dask_names_detect_in_parameter_errors() -> None:
    X = da.from_array(np.random.default_rng(0).normal(size=(100, 2)), chunks=50)
    with pytest.raises(ValueError, match="'alpha' parameter of detect"):
        detect(X, X, alpha=2.0)
    with pytest.raises(ValueError, match="'rng' parameter of detect"):
        detect(X, X, rng=-1)
    with pytest.raises(ValueError, match="'min_effect' parameter of detect"):
        detect(X, X, min_effect=-1.0)
