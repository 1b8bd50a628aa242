"""pandas' nullable number columns (Float64, Int64, UInt8...) holding NA.

``check_array`` read them with ``to_numpy()``, an object array of ``pd.NA``,
and refused them as "strings and objects are not numbers": the message named
the wrong fault. They are read as float64 with NaN, so a missing value is
refused as one (and ``nan_policy="omit"`` can drop it); without NA they give
the numbers of the same float64 array.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle._validation import check_array
from mllifecycle.drift import classifier_drift, energy, mmd
from mllifecycle.exceptions import InvalidParameterError

pd = pytest.importorskip("pandas")

DTYPES = ["Float64", "Float32", "Int64", "Int32", "UInt16"]


def _table(dtype, missing):
    x = pd.array([1, 2, None if missing else 3, 4] * 10, dtype=dtype)
    return pd.DataFrame({"x": x, "y": np.arange(40.0)})


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "call",
    [
        lambda a, b: mmd(a, b, rng=0),
        lambda a, b: energy(a, b, rng=0),
        lambda a, b: classifier_drift(a, b, rng=0),
    ],
    ids=["mmd", "energy", "classifier_drift"],
)
def test_missing_values_are_named_as_missing(dtype, call):
    with pytest.raises(InvalidParameterError, match=r"'reference' parameter .*free of NaN"):
        call(_table(dtype, True), _table(dtype, False))


@pytest.mark.parametrize("dtype", DTYPES)
def test_without_missing_values_the_numbers_are_those_of_float64(dtype):
    t = _table(dtype, False)
    np.testing.assert_array_equal(check_array(t, "X"), t.to_numpy(dtype=np.float64))
    s = t["x"]
    np.testing.assert_array_equal(check_array(s, "x"), s.to_numpy(dtype=np.float64))


def test_omit_drops_the_missing_rows():
    t = _table("Float64", True)
    out = check_array(t, "X", nan_policy="omit")
    assert out.shape == (30, 2)


def test_labels_keep_their_own_rules():
    # dtype="any" (labels, categories) is not read as numbers
    s = pd.Series(pd.array([1, 2, 3], dtype="Int64"))
    assert check_array(s, "y", dtype="any").tolist() == [1, 2, 3]
