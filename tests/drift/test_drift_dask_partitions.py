"""Dask partitions too small to profile alone: one row, or a column all missing."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from mllifecycle.drift import Reference, detect

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")


def _key(rep: Any) -> list[tuple[Any, ...]]:
    return [(f.name, f.test, f.statistic, f.p_value) for f in rep.features]


@pytest.mark.parametrize("sketch", [None, False])
def test_a_one_row_partition_with_a_text_column(sketch: Any) -> None:
    # the 1-row last partition was refused: "at least 2 sample(s). Got 1"
    ref = pd.DataFrame({"a": np.arange(9.0), "c": list("xyxyxyxyz")})
    cur = ref.assign(c=list("xxxxxxxyy"))
    parts = dd.from_pandas(ref, chunksize=4)
    assert [len(p) for p in parts.partitions] == [4, 4, 1]
    want = detect(ref, cur, rng=0)
    assert _key(Reference.fit(parts, sketch=sketch).compare(cur, rng=0)) == _key(want)
    assert _key(detect(parts, cur, rng=0)) == _key(want)


@pytest.mark.parametrize("sketch", [None, False])
@pytest.mark.parametrize(
    "values", [["x", "y", "x", "y", None, None], [1.5, 2.0, 2.5, 3.0, None, None]]
)
def test_a_partition_whose_column_is_all_missing(sketch: Any, values: list[Any]) -> None:
    # with nan_policy="omit" the partition's empty object column was taken as
    # numeric, and the merge refused "references with the same column kinds"
    ref = pd.DataFrame({"a": np.arange(6.0), "c": values})
    cur = pd.DataFrame({"a": np.arange(6.0)[::-1], "c": values[:4] + values[:2]})
    want = Reference.fit(ref, nan_policy="omit").compare(cur, rng=0)
    got = Reference.fit(dd.from_pandas(ref, chunksize=2), nan_policy="omit", sketch=sketch)
    assert _key(got.compare(cur, rng=0)) == _key(want)


def test_a_column_missing_everywhere_is_still_refused() -> None:
    ref = pd.DataFrame({"a": np.arange(4.0), "c": [None, None, None, "x"]})
    with pytest.raises(ValueError, match="at least 2 values in column 'c'"):
        Reference.fit(dd.from_pandas(ref, chunksize=2), nan_policy="omit")
