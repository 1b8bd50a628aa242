"""Datetimes and durations given as objects (lists, tz-aware Series) or in coarse units."""

from __future__ import annotations

import datetime as dt
import pickle

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mllifecycle import drift
from mllifecycle.exceptions import InvalidParameterError

T0 = pd.Timestamp("2024-01-01")


def _times(seed: int = 0) -> tuple[pd.DatetimeIndex, pd.DatetimeIndex]:
    rng = np.random.default_rng(seed)
    a = T0 + pd.to_timedelta(rng.integers(0, 10**6, 50), unit="s")
    b = T0 + pd.to_timedelta(rng.integers(0, 10**6, 60) + 100_000, unit="s")
    return a, b


@pytest.mark.parametrize("test", ["psi", "jensen_shannon", "hellinger"])
def test_binned_tests_read_python_datetimes_as_instants(test: str) -> None:
    # a list of datetimes was binned as one category per instant: p = 1, "no drift"
    a, b = _times()
    fn = getattr(drift, test)
    want = fn(a.to_numpy(), b.to_numpy(), rng=0)
    assert want.drift_detected
    for ra, rb in [
        (list(a.to_pydatetime()), list(b.to_pydatetime())),
        (pd.Series(a).dt.tz_localize("UTC"), pd.Series(b).dt.tz_localize("UTC")),
        (list((a - T0).to_pytimedelta()), list((b - T0).to_pytimedelta())),
    ]:
        got = fn(ra, rb, rng=0)
        assert (got.statistic, got.p_value) == (want.statistic, want.p_value)
        assert got.details["binning"] != "categories"


@pytest.mark.parametrize("test", ["ks", "cramer_von_mises", "anderson_darling", "wasserstein"])
def test_numeric_tests_take_python_datetimes_and_aware_series(test: str) -> None:
    # refused before as "objects are not numbers"
    a, b = _times()
    fn = getattr(drift, test)
    kw = {} if test == "ks" else {"rng": 0}
    want = fn(a.to_numpy(), b.to_numpy(), **kw)
    got = fn(list(a.to_pydatetime()), list(b.to_pydatetime()), **kw)
    assert (got.statistic, got.p_value) == (want.statistic, want.p_value)
    # aware in two zones: the same instants
    tok = pd.Series(b).dt.tz_localize("UTC").dt.tz_convert("Asia/Tokyo")
    got = fn(pd.Series(a).dt.tz_localize("UTC"), tok, **kw)
    assert (got.statistic, got.p_value) == (want.statistic, want.p_value)


def test_aware_against_naive_python_datetimes_is_refused() -> None:
    a, b = _times()
    aware = list(pd.Series(a).dt.tz_localize("Asia/Tokyo"))
    naive = list(b.to_pydatetime())
    with pytest.raises(InvalidParameterError, match=r"'current'.*timezone-aware"):
        drift.ks(aware, naive)
    with pytest.raises(InvalidParameterError, match=r"all timezone-aware or all naive"):
        drift.psi(aware[:10] + naive, naive, rng=0)


def test_detect_tests_durations_given_as_objects_as_numbers() -> None:
    # a dict column of timedelta objects was tested as categories: chi_square, p = 1
    a, b = _times()
    want = drift.detect({"t": (a - T0).to_numpy()}, {"t": (b - T0).to_numpy()})
    got = drift.detect(
        {"t": list((a - T0).to_pytimedelta())}, {"t": list((b - T0).to_pytimedelta())}
    )
    assert got.features[0].test == "ks"
    assert got.features[0].p_value == want.features[0].p_value < 0.05


def test_detect_and_reference_refuse_aware_against_naive_datetime_objects() -> None:
    # dicts (not tables) of aware and naive datetimes were compared as if both UTC
    a, _ = _times()
    aware = list(pd.Series(a).dt.tz_localize("Asia/Tokyo"))
    naive = [x.tz_localize(None) for x in aware]
    with pytest.raises(InvalidParameterError, match="column 't' timezone-aware"):
        drift.detect({"t": aware}, {"t": naive})
    with pytest.raises(InvalidParameterError, match="column 't' naive"):
        drift.Reference.fit({"t": naive}).compare({"t": aware})
    ref = pickle.loads(pickle.dumps(drift.Reference.fit({"t": aware})))
    with pytest.raises(InvalidParameterError, match="column 't' timezone-aware"):
        ref.compare({"t": naive})
    # aware in another zone: the same instants, no drift
    tokyo_as_utc = [x.tz_convert("UTC") for x in aware]
    assert drift.detect({"t": aware}, {"t": tokyo_as_utc}).features[0].statistic == 0.0


COARSE = np.array(
    ["2000-01-01", "2100-01-01", "2200-01-01", "2300-01-01", "2400-01-01", "2500-01-01"],
    dtype="M8[s]",
)
LATE = np.array(
    ["2250-01-01", "2260-01-01", "2270-01-01", "2280-01-01", "2290-01-01", "2295-01-01"],
    dtype="M8[s]",
)


def test_detect_keeps_datetimes_beyond_2262_in_order() -> None:
    # a cast of datetime64[s] to nanoseconds overflowed: 2300 came out as 1715
    want = stats.ks_2samp(COARSE.astype(np.int64), LATE.astype(np.int64))
    frames = pd.DataFrame({"t": COARSE}), pd.DataFrame({"t": LATE})
    for rep in (
        drift.detect(*frames),
        drift.detect({"t": COARSE}, {"t": LATE.astype("M8[D]")}),
        drift.Reference.fit(frames[0]).compare(frames[1]),
    ):
        f = rep.features[0]
        assert f.statistic == pytest.approx(want.statistic)
        assert f.p_value == pytest.approx(want.pvalue)
    # and in the single tests, whose samples are put in the finer unit
    early = LATE - np.timedelta64(100 * 365, "D")  # 2150-2195, within nanoseconds' range
    want = stats.ks_2samp(COARSE.astype(np.int64), early.astype(np.int64))
    got = drift.ks(COARSE, early.astype("M8[ns]"))
    assert (got.statistic, got.p_value) == pytest.approx((want.statistic, want.pvalue))
    assert drift.detect({"t": COARSE}, {"t": early.astype("M8[ns]")}).features[
        0
    ].statistic == pytest.approx(want.statistic)


def test_one_instant_in_two_units_ties() -> None:
    x = np.array(["2020-01-01T00:00:00", "2020-01-02T00:00:01"], dtype="M8[s]")
    y = x.astype("M8[ns]")
    assert drift.ks(np.r_[x, x], np.r_[y, y]).statistic == 0.0
    assert drift.detect({"t": np.r_[x, x]}, {"t": np.r_[y, y]}).features[0].statistic == 0.0
    d = [dt.datetime(2020, 1, 1), dt.datetime(2020, 1, 2, 0, 0, 1)] * 2
    assert drift.detect({"t": d}, {"t": np.r_[y, y]}).features[0].statistic == 0.0


def test_merge_refuses_aware_and_naive_partitions() -> None:
    # the merged reference mixed naive instants with UTC ones
    t = pd.Series(pd.date_range("2024-01-01", periods=20, freq="h"))
    aware = drift.Reference.fit(pd.DataFrame({"t": t.dt.tz_localize("UTC")}))
    naive = drift.Reference.fit(pd.DataFrame({"t": t}))
    with pytest.raises(InvalidParameterError, match=r"aware in references\[0\], naive in"):
        drift.Reference.merge([aware, naive])
    merged = drift.Reference.merge([aware, aware])
    with pytest.raises(InvalidParameterError, match="column 't' timezone-aware"):
        merged.compare(pd.DataFrame({"t": t}))


def test_big_endian_datetimes() -> None:
    a = np.array(["2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01"], dtype="M8[D]")
    b = np.array(["2020-01-10", "2020-05-01", "2021-03-01", "2020-04-01"], dtype="M8[s]")
    want = drift.ks(a, b)
    got = drift.ks(a.astype(">M8[D]"), b.astype(">M8[s]"))
    assert (got.statistic, got.p_value) == (want.statistic, want.p_value)
    w = drift.wasserstein(a, b, rng=0)
    assert drift.wasserstein(a.astype(">M8[D]"), b, rng=0).statistic == w.statistic
    rep = drift.detect({"t": a.astype(">M8[D]")}, {"t": b.astype(">M8[s]")})
    assert rep.features[0].statistic == want.statistic
