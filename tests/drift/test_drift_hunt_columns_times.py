"""Columns matched by name in the multivariate tests; times never compared with numbers."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from mllifecycle import drift
from mllifecycle.exceptions import InvalidParameterError

MULTIVARIATE = ["mmd", "energy", "classifier_drift"]


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(3)
    x = pd.DataFrame({"a": rng.normal(size=120), "b": rng.normal(5.0, size=120)})
    return x, x.sample(frac=1.0, random_state=0).reset_index(drop=True)


@pytest.mark.parametrize("test", MULTIVARIATE)
def test_multivariate_refuses_reordered_columns(test: str) -> None:
    # the same rows with the columns swapped were compared by position:
    # mmd/energy p = 0.002, classifier_drift p = 5e-41 ("drift")
    x, y = _tables()
    f = getattr(drift, test)
    assert not f(x, y, rng=0).drift_detected
    with pytest.raises(InvalidParameterError, match=r"columns of 'reference' \['a', 'b'\]"):
        f(x, y[["b", "a"]], rng=0)


@pytest.mark.parametrize("test", MULTIVARIATE)
def test_multivariate_refuses_renamed_and_repeated_columns(test: str) -> None:
    x, y = _tables()
    f = getattr(drift, test)
    with pytest.raises(InvalidParameterError, match=r"'current'.*Got columns \['z', 'b'\]"):
        f(x, y.rename(columns={"a": "z"}), rng=0)
    dup = pd.DataFrame(x.to_numpy(), columns=["a", "a"])
    with pytest.raises(InvalidParameterError, match=r"'reference'.*unique column names"):
        f(dup, y.to_numpy(), rng=0)


@pytest.mark.parametrize("test", MULTIVARIATE)
def test_multivariate_dict_refused_clearly(test: str) -> None:
    x, y = _tables()
    with pytest.raises(InvalidParameterError, match=r"'reference'.*a mapping of columns"):
        getattr(drift, test)({"a": x.a, "b": x.b}, y, rng=0)


def _time_pairs() -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    rng = np.random.default_rng(2)
    dates = pd.DataFrame({"t": np.array(rng.integers(0, 10**6, 200), dtype="datetime64[s]")})
    nums = pd.DataFrame({"t": rng.normal(size=200)})
    durs = pd.DataFrame({"t": pd.to_timedelta(rng.integers(0, 100, 200), unit="s")})
    return [
        ("dates-numbers", dates, nums),
        ("numbers-dates", nums, dates),
        ("date-objects-numbers", dates.astype(object), nums),
        ("durations-numbers", durs, nums),
        ("dates-durations", dates, durs),
        ("array-dates-numbers", dates.to_numpy(), nums.to_numpy()),
    ]


@pytest.mark.parametrize(("label", "ref", "cur"), _time_pairs(), ids=[p[0] for p in _time_pairs()])
def test_detect_refuses_times_against_other_kinds(label: str, ref: object, cur: object) -> None:
    # datetimes against numbers (or durations) were compared as nanosecond
    # counts: KS statistic 1.0, "drift", where ks() itself refuses the pair
    with pytest.raises(InvalidParameterError, match=r"'current'.*column '(t|x0)' of"):
        drift.detect(ref, cur)


@pytest.mark.parametrize(("label", "ref", "cur"), _time_pairs(), ids=[p[0] for p in _time_pairs()])
def test_reference_refuses_times_against_other_kinds(label: str, ref: object, cur: object) -> None:
    fitted = drift.Reference.fit(ref)
    for r in (fitted, pickle.loads(pickle.dumps(fitted))):
        with pytest.raises(InvalidParameterError, match=r"'current'.*as in the reference"):
            r.compare(cur)


def test_times_against_same_kind_still_compared() -> None:
    rng = np.random.default_rng(4)
    start = pd.Timestamp("2020-01-01")
    a = pd.DataFrame({"t": start + pd.to_timedelta(rng.integers(0, 1000, 150), "h")})
    b = pd.DataFrame({"t": start + pd.to_timedelta(rng.integers(0, 1000, 150), "h")})
    expected = drift.ks(a.t, b.t).p_value
    assert drift.detect(a, b).features[0].result.p_value == expected
    assert drift.Reference.fit(a).compare(b.astype(object)).features[0].result.p_value == expected
    ref = drift.Reference.fit(a)
    merged = drift.Reference.merge([ref, drift.Reference.fit(b)])
    with pytest.raises(InvalidParameterError, match="of datetimes"):
        merged.compare(pd.DataFrame({"t": rng.normal(size=50)}))


@pytest.mark.parametrize("sketch", [False, True])
def test_dask_refuses_times_against_numbers(sketch: bool) -> None:
    dd = pytest.importorskip("dask.dataframe")
    rng = np.random.default_rng(5)
    a = pd.DataFrame({"t": pd.date_range("2020", periods=200, freq="h"), "x": rng.normal(size=200)})
    b = pd.DataFrame({"t": rng.normal(size=200), "x": rng.normal(size=200)})
    ref = drift.Reference.fit(dd.from_pandas(a, npartitions=2), sketch=sketch)
    with pytest.raises(InvalidParameterError, match=r"column 't' of datetimes"):
        ref.compare(dd.from_pandas(b, npartitions=2))
    with pytest.raises(InvalidParameterError, match=r"column 't' of datetimes"):
        drift.detect(dd.from_pandas(a, npartitions=2), dd.from_pandas(b, npartitions=2))


def test_merge_refuses_times_with_other_kinds() -> None:
    # a partition of datetimes merged with one of numbers (or durations) gave a
    # profile mixing instants with plain numbers, compared without a word
    rng = np.random.default_rng(1)
    dates = pd.DataFrame({"t": pd.date_range("2020", periods=50, freq="h")})
    nums = pd.DataFrame({"t": rng.normal(size=50)})
    durs = pd.DataFrame({"t": pd.to_timedelta(np.arange(50), unit="s")})
    for x, y in [(dates, nums), (dates, durs), (durs, nums)]:
        with pytest.raises(InvalidParameterError, match=r"'references'.*column 't'.*same kind"):
            drift.Reference.merge([drift.Reference.fit(x), drift.Reference.fit(y)])
    merged = drift.Reference.merge([drift.Reference.fit(dates), drift.Reference.fit(dates)])
    assert not merged.compare(dates).drift_detected
