"""Ids and labels written two ways (1 and "1") are one value, not two.

A worker who typed ``"1"`` where the others answered ``1`` used to create a
third class; a task id ``"1"`` a second task; gold keyed ``"1"`` for task
``1`` was silently ignored. Mixed spellings are now refused, naming the column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import (
    dawid_skene,
    glad,
    mace,
    majority_vote,
    one_coin,
    wawa,
    zero_based_skill,
)

ALL = [majority_vote, wawa, zero_based_skill, dawid_skene, one_coin, glad, mace]
ROWS = [(1, "a", 1), (1, "b", 1), (1, "c", 0), (2, "a", 0), (2, "b", 0), (2, "c", 1),
        (3, "a", 1), (3, "b", 0), (3, "c", 1)]


def _with(i, j, value):
    rows = [list(r) for r in ROWS]
    rows[i][j] = value
    return rows


CASES = [
    ("label 1 and '1'", _with(5, 2, "1"), "'label'", "1 and '1'"),
    ("label 0 and '0'", _with(2, 2, np.str_("0")), "'label'", "np.str_('0') and 0"),
    ("task 1 and '1'", _with(2, 0, "1"), "'task'", "1 and '1'"),
    ("worker 'a' written as a number", [[t, 7 if w == "a" else w, y] for t, w, y in ROWS]
     + [[4, "7", 1]], "'worker'", "7 and '7'"),
    ("label True and 'True'", [[t, w, bool(y)] for t, w, y in ROWS[:-1]] + [[3, "c", "True"]],
     "'label'", "True and 'True'"),
]


@pytest.mark.parametrize("method", ALL, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("case", "rows", "column", "shown"), CASES, ids=[c[0] for c in CASES])
def test_two_spellings_of_one_value_are_refused(method, case, rows, column, shown):
    with pytest.raises(InvalidParameterError, match=r"'answers' parameter") as err:
        method(rows, rng=0)
    msg = str(err.value)
    assert column in msg
    assert shown in msg


def test_two_spellings_in_a_dataframe_column():
    df = pd.DataFrame(ROWS, columns=["task", "worker", "label"])
    df["label"] = df["label"].astype(object)
    df.loc[5, "label"] = "1"
    with pytest.raises(InvalidParameterError, match=r"column 'label'.*1 and '1'"):
        dawid_skene(df, rng=0)


@pytest.mark.parametrize(
    "rows",
    [
        ROWS,
        [(t, w, float(y)) for t, w, y in ROWS],  # 1 and 1.0: one value, as in Python
        [(t, w, ["no", "yes"][y]) for t, w, y in ROWS],
        _with(5, 1, 42),  # worker ids of two types that do not collide: kept
    ],
)
def test_one_spelling_or_equal_values_still_work(rows):
    res = majority_vote(rows, rng=0)
    assert len(res.classes) == 2
    assert len(res.tasks) == 3


@pytest.mark.parametrize("gold", [{"1": 0}, {1.5: 0, "2": 1}, [["3", 1]]])
def test_gold_keyed_by_another_spelling_of_a_task_id_is_refused(gold):
    with pytest.raises(InvalidParameterError, match=r"'gold' parameter.*task ids"):
        dawid_skene(ROWS, gold=gold, rng=0)


def test_gold_for_unanswered_tasks_is_still_ignored():
    res = dawid_skene(ROWS, gold={1: 0, 99: 1}, rng=0)
    assert res.labels[0] == 0
    assert res.proba[0].tolist() == [1.0, 0.0]
