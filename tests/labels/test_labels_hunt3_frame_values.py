"""Row functions and crowd ids see a polars/Arrow table's values as the table holds them."""
from __future__ import annotations

import datetime as dt
import zoneinfo

import numpy as np
import pytest

from mllifecycle import labels as L

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _seen(X, column):
    seen = []
    L.apply([lambda r: seen.append(r[column]) or 0], X)
    return seen


def test_nullable_flag_missing_is_not_set():
    # a missing "boolean" flag came as NaN, which is truthy: it voted as if set
    df = pd.DataFrame({"flag": pd.array([True, None, False], dtype="boolean")})
    lm = L.apply([lambda r: 1 if r["flag"] else 0], df)
    assert lm.values.ravel().tolist() == [1, 0, 0]
    for X in (df, pl.from_pandas(df), pa.Table.from_pandas(df)):
        assert _seen(X, "flag") == [True, None, False]


def test_time_zone_aware_dates_of_polars_and_arrow_rows():
    # 08:00 in Paris arrived as a naive 07:00 (UTC) for polars and Arrow tables
    times = [dt.datetime(2024, 1, 1, 8, tzinfo=PARIS), dt.datetime(2024, 1, 1, 20, tzinfo=PARIS)]
    X = pl.DataFrame({"t": times, "x": [1.0, 2.0]})
    for table in (X, X.to_arrow(), X.lazy()):
        got = _seen(table, "t")
        assert [v.hour for v in got] == [8, 20]
        assert got == times
    morning = [lambda r: 1 if r["t"].hour < 12 else 0]
    assert L.apply(morning, X).values.ravel().tolist() == [1, 0]
    assert L.apply(morning, X.to_pandas()).values.ravel().tolist() == [1, 0]


def test_nanosecond_polars_dates_are_dates():
    # a nanosecond column came as integers
    X = pl.DataFrame({"t": [dt.datetime(2024, 1, 1, 8)]}).with_columns(
        pl.col("t").cast(pl.Datetime("ns")))
    assert _seen(X, "t") == [dt.datetime(2024, 1, 1, 8)]


def _answers():
    d = [dt.datetime(2024, 1, 1, 8, tzinfo=PARIS) + dt.timedelta(days=i) for i in range(6)]
    rows = [(d[i], w, (i % 2) if w < 2 else 1 - (i % 2)) for i in range(6) for w in range(3)]
    return d, pl.DataFrame({"task": [r[0] for r in rows], "worker": [r[1] for r in rows],
                            "label": [r[2] for r in rows]})


def test_polars_and_arrow_date_task_ids_match_gold():
    # task ids came back naive UTC: gold keyed by the column's datetimes matched none
    d, answers = _answers()
    gold = {d[0]: 1, d[1]: 0}
    ref = L.dawid_skene(answers.to_pandas(), gold=gold, rng=0)
    assert ref.n_gold == 2
    for table in (answers, answers.to_arrow()):
        res = L.dawid_skene(table, gold=gold, rng=0)
        assert res.n_gold == 2
        assert res.tasks.tolist() == ref.tasks.tolist()
        assert res.tasks[0].hour == 8
        np.testing.assert_allclose(res.proba, ref.proba)


@pytest.mark.parametrize("kind", ["polars", "arrow", "pandas"])
def test_gold_table_of_any_kind_matches_date_tasks(kind):
    d, answers = _answers()
    gold = pl.DataFrame({"task": [d[0], d[1]], "label": [1, 0]})
    gold = {"polars": gold, "arrow": gold.to_arrow(), "pandas": gold.to_pandas()}[kind]
    for table in (answers, answers.to_pandas()):
        assert L.dawid_skene(table, gold=gold, rng=0).n_gold == 2
