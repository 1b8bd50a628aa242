"""Crowd aggregation refuses booleans beside numbers instead of merging them.

``True == 1`` and both hash alike: ``np.unique`` and the dict lookups read a
worker's ``True`` as the class ``1`` (and a task ``True`` as the task ``1``),
a dict column ``[True, 1, ...]`` became ints, ``classes=[False, True, 2]``
became ``[0, 1, 2]``, and ``classes=[0, 1]`` or gold labels found boolean
answers under the counts. Text beside numbers (``[0, "a"]``) stays
supported; ``1`` beside ``"1"`` was already refused.
"""

from __future__ import annotations

import numpy as np
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


def _rows(labels):
    return [[t, w, labels[(t * 3 + w) % len(labels)]] for t in range(4) for w in range(3)]


def _columns(rows):
    return {"task": [r[0] for r in rows], "worker": [r[1] for r in rows],
            "label": [r[2] for r in rows]}


INT = [1, 0, 1, 0, 0, 1]
BOOL = [bool(v) for v in INT]
MIXED = [True, 1, 0, False, 1, 0]
COLUMN = r"must be ids and labels of one kind in column '{}'"
SAME = r"must be {} of the same kind as '{}''s \({}"

REFUSALS = [
    # (answers, keywords, argument, expected, shown)
    (_rows(MIXED), {}, "answers", COLUMN.format("label"), "booleans and numbers (True and 1)"),
    (_columns(_rows(MIXED)), {}, "answers", COLUMN.format("label"),
     "booleans and numbers (True and 1)"),
    (_rows([np.True_, 1, 0, np.False_, 1, 0]), {}, "answers", COLUMN.format("label"),
     "booleans and numbers (True and 1)"),
    ([[[True, 1, 0, False][i % 4], w, i % 2] for i in range(8) for w in range(2)], {},
     "answers", COLUMN.format("task"), "booleans and numbers (True and 1)"),
    ([[t, [True, 1, 0, False][w], (t + w) % 2] for t in range(4) for w in range(4)], {},
     "answers", COLUMN.format("worker"), "booleans and numbers (True and 1)"),
    (_rows(BOOL), {"classes": [0, 1]}, "answers",
     SAME.format("labels in column 'label'", "classes", "numbers"), "booleans such as True"),
    (_columns(_rows(BOOL)) | {"label": np.array(BOOL * 2)}, {"classes": [0, 1]}, "answers",
     SAME.format("labels in column 'label'", "classes", "numbers"), "booleans such as True"),
    (_rows(INT), {"classes": [False, True]}, "answers",
     SAME.format("labels in column 'label'", "classes", "booleans"), "numbers such as 1"),
    (_rows([1, 0, 2, 0, 0, 1]), {"classes": [False, True, 2]}, "classes",
     r"must be labels that are not booleans and numbers at once",
     "booleans and numbers (False and 2)"),
    (_rows(INT), {"gold": {0: True}}, "gold", SAME.format("labels", "answers", "numbers"),
     "booleans such as True"),
    (_rows(BOOL), {"gold": {0: 1}}, "gold", SAME.format("labels", "answers", "booleans"),
     "numbers such as 1"),
    (_rows(INT), {"classes": [0, 1], "gold": [[0, False]]}, "gold",
     SAME.format("labels", "classes", "numbers"), "booleans such as False"),
    (_rows(INT), {"gold": {True: 0}}, "gold", SAME.format("task ids", "answers", "numbers"),
     "booleans such as True"),
    (_rows(INT), {"gold": {True: 0, 2: 1}}, "gold", r"must be task ids that are not booleans "
     r"and numbers at once", "booleans and numbers (True and 2)"),
]


@pytest.mark.parametrize("method", ALL, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("answers", "kw", "name", "expected", "shown"), REFUSALS)
def test_booleans_beside_numbers_are_refused_by_name(method, answers, kw, name, expected,
                                                     shown):
    with pytest.raises(InvalidParameterError,
                       match=rf"The '{name}' parameter of {method.__name__} {expected}") as err:
        method(answers, rng=0, **kw)
    assert f"Got {shown} instead" in str(err.value)


def _objects(values):
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


ENCODINGS = {
    "int": lambda v: [int(x) for x in v],
    "str": lambda v: [str(x) for x in v],
    "bool": lambda v: [bool(x) for x in v],
    "float": lambda v: [float(x) for x in v],
    "int+float": lambda v: [float(x) if i % 2 else int(x) for i, x in enumerate(v)],
    "np.int64+int": lambda v: [np.int64(x) if i % 2 else int(x) for i, x in enumerate(v)],
}
LABELS = [1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 1]


@pytest.mark.parametrize("method", ALL, ids=lambda f: f.__name__)
@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("form", ["rows", "columns", "classes", "gold"])
def test_labels_of_one_kind_aggregate_as_before(method, encoding, form):
    enc = ENCODINGS[encoding]
    rows = [[t, w, LABELS[(t * 3 + w) % len(LABELS)]] for t in range(6) for w in range(3)]
    kw: dict = {}
    if form == "classes":
        kw["classes"] = enc([0, 1])
    elif form == "gold":
        kw["gold"] = {0: enc([1])[0]}
    expected = method(rows, rng=0, **({"gold": {0: 1}} if form == "gold" else {}))
    labelled = [[t, w, lab] for (t, w, _), lab in zip(rows, enc([r[2] for r in rows]),
                                                       strict=True)]
    res = method(_columns(labelled) if form == "columns" else labelled, rng=0, **kw)
    assert res.classes.tolist() == enc(expected.classes.tolist())
    assert res.labels.tolist() == enc(expected.labels.tolist())
    np.testing.assert_allclose(res.proba, expected.proba)
    assert res.tasks.tolist() == expected.tasks.tolist()


def test_text_beside_numbers_is_still_kept_apart():
    answers = np.empty((6, 3), dtype=object)
    answers[:] = [[1, "u", 0], [1, "v", 0], [2, "u", "a"], [2, "v", "a"], [3, "u", 0],
                  [3, "v", "a"]]
    res = majority_vote(answers, classes=[0, "a"], rng=0)
    assert res.classes.tolist() == [0, "a"]
    assert res.labels[:2].tolist() == [0, "a"]
