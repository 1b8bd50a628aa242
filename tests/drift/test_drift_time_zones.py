"""A datetime column timezone-aware on one side and naive on the other is refused.

Naive times were read as UTC instants; local clock times are not, so the
comparison was silently off by the UTC offset (pandas refuses it too).
"""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from mllifecycle.drift import Reference, detect
from mllifecycle.exceptions import InvalidParameterError

T = pd.date_range("2024-01-01", periods=300, freq="h", tz="UTC")
AWARE = pd.DataFrame({"t": T, "x": np.arange(300.0)})
OTHER_ZONE = pd.DataFrame({"t": T.tz_convert("America/New_York"), "x": np.arange(300.0)})
NAIVE = pd.DataFrame({"t": T.tz_localize(None), "x": np.arange(300.0)})


def test_the_same_instants_in_two_zones_do_not_drift():
    assert detect(AWARE, OTHER_ZONE)["t"].statistic == 0.0
    assert Reference.fit(AWARE).compare(OTHER_ZONE)["t"].statistic == 0.0


@pytest.mark.parametrize(
    ("call", "arg", "match"),
    [
        (lambda: detect(AWARE, NAIVE), "current", "timezone-aware, like reference's"),
        (lambda: detect(NAIVE, AWARE), "reference", "timezone-aware, like current's"),
        (lambda: Reference.fit(AWARE).compare(NAIVE), "current", "timezone-aware, like the"),
        (lambda: Reference.fit(NAIVE).compare(AWARE), "current", "naive, like the reference"),
        (lambda: pickle.loads(pickle.dumps(Reference.fit(AWARE))).compare(NAIVE), "current",
         "timezone-aware"),
    ],
    ids=["detect-current", "detect-reference", "fitted-aware", "fitted-naive", "pickled"],
)
def test_mixed_awareness_is_refused(call, arg, match):
    with pytest.raises(InvalidParameterError, match=rf"'{arg}'.*column 't' {match}"):
        call()


def test_polars_and_pyarrow_too():
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    with pytest.raises(InvalidParameterError, match="timezone-aware"):
        detect(pl.from_pandas(AWARE), pl.from_pandas(NAIVE))
    with pytest.raises(InvalidParameterError, match="timezone-aware"):
        detect(pa.Table.from_pandas(AWARE), pa.Table.from_pandas(NAIVE))
