"""A nullable integer column with every value missing: a clear answer, not int(pd.NA).

pandas gives ``pd.NA`` (not None) as the min and max of an all-missing
``Int64``/``UInt64`` column; the check for integers beyond 2**53 called
``int(pd.NA)`` and failed with a bare TypeError, in ``detect``, ``ks`` and
``Reference.fit``, and in a Dask partition where such a column is all missing
(valid input there).
"""

from __future__ import annotations

import pandas as pd
import pytest

from mllifecycle import drift
from mllifecycle.exceptions import InvalidParameterError


@pytest.mark.parametrize("dtype", ["Int64", "UInt64"])
def test_all_missing_column_is_refused_naming_the_column(dtype: str) -> None:
    A = pd.DataFrame({"a": pd.array([None] * 4, dtype=dtype), "b": [1.0, 2, 3, 4]})
    B = pd.DataFrame({"a": pd.array([1, 2, 3, 3, None, 5], dtype=dtype),
                      "b": [1.0, 2, 3, 4, 5, 6]})
    with pytest.raises(InvalidParameterError, match="column 'a'"):
        drift.detect(A, B, nan_policy="omit")


def test_dask_partition_all_missing_gives_the_in_memory_answer() -> None:
    dask = pytest.importorskip("dask")
    dd = pytest.importorskip("dask.dataframe")
    A = pd.DataFrame({"a": pd.array([1, 2, None, 3, 4, 5], dtype="Int64")})
    B = pd.DataFrame({"a": pd.array([1, 2, 3, 3, None, 5], dtype="Int64")})
    parts = [A.iloc[:2], A.iloc[2:3], A.iloc[3:]]  # the middle partition is all missing
    Ad = dd.from_delayed([dask.delayed(p) for p in parts], meta=A.iloc[:0])
    got = drift.detect(Ad, B, nan_policy="omit").features[0]
    want = drift.detect(A, B, nan_policy="omit").features[0]
    assert (got.statistic, got.p_value) == (want.statistic, want.p_value)
