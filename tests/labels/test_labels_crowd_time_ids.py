"""Crowd aggregation with task ids that are dates: ids kept as given, gold found."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import dawid_skene, majority_vote

pd = pytest.importorskip("pandas")

DAYS = pd.to_datetime(["2020-01-01", "2020-01-01", "2020-01-02", "2020-01-02"])


@pytest.mark.parametrize("kind", ["ns", "tz", "numpy-ns", "us"])
@pytest.mark.parametrize("container", ["frame", "mapping"])
def test_gold_keyed_by_the_column_dates_is_used(kind, container):
    # nanosecond ids came back as integers and time-zone-aware ones as naive
    # UTC times, so gold keyed by the column's own Timestamps matched no task
    # and was silently ignored (n_gold 0, the gold task labelled 1, not 0)
    col = {"ns": DAYS.astype("datetime64[ns]"), "tz": DAYS.tz_localize("Europe/Paris"),
           "numpy-ns": np.asarray(DAYS.astype("datetime64[ns]")), "us": DAYS}[kind]
    cols = {"task": col, "worker": [1, 2, 1, 2], "label": [0, 1, 1, 1]}
    answers = pd.DataFrame(cols) if container == "frame" else cols
    res = majority_vote(answers, gold={col[0]: 0}, rng=0)
    assert res.n_gold == 1
    assert res.labels.tolist() == [0, 1]
    assert res.tasks.tolist() == list(pd.Series(col).drop_duplicates())
    assert res.tasks[0] == pd.Series(col)[0]  # same instant and zone as given


def test_time_zone_kept_in_task_ids():
    col = DAYS.tz_localize("Europe/Paris")
    res = dawid_skene(pd.DataFrame({"task": col, "worker": [1, 2, 1, 2],
                                    "label": ["a", "b", "b", "b"]}), rng=0)
    assert [t.hour for t in res.tasks] == [0, 0]
    assert str(res.tasks[0].tz) == "Europe/Paris"
    assert res.to_dict()["tasks"][0].startswith("2020-01-01 00:00:00+01:00")


def test_missing_date_refused():
    col = pd.to_datetime(["2020-01-01", None, "2020-01-02", "2020-01-02"]).tz_localize("UTC")
    with pytest.raises(InvalidParameterError, match="column 'task'"):
        majority_vote(pd.DataFrame({"task": col, "worker": [1, 2, 1, 2],
                                    "label": [0, 1, 1, 1]}))


@pytest.mark.parametrize("kind", ["ns", "tz"])
def test_gold_table_with_date_ids_is_used(kind):
    # a gold table's date column went through NumPy too: its ids matched no
    # task (n_gold 0) and the gold was silently ignored
    col = DAYS.astype("datetime64[ns]") if kind == "ns" else DAYS.tz_localize("Europe/Paris")
    answers = pd.DataFrame({"task": col, "worker": [1, 2, 1, 2], "label": [0, 1, 1, 1]})
    gold = pd.DataFrame({"task": col[:1], "label": [0]})
    res = majority_vote(answers, gold=gold, rng=0)
    assert res.n_gold == 1
    assert res.labels.tolist() == [0, 1]
    assert res.gold_accuracy == 0.0  # the answers alone tie, and ties go to 1
