"""Label queue items come back with their keys in the order they were enqueued.

Items were stored as JSON with sorted keys, so ``lease`` and ``export`` gave a
dict of features back in alphabetical order: a table built from exported
items (``pd.DataFrame([r["item"] for r in rows])``) had its columns
reordered against the frame the records came from, and ``to_numpy()`` fed a
model its features in the wrong columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import LabelQueue, Store


def test_exported_items_keep_their_column_order(store_url):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {"zeta": rng.normal(size=4), "alpha": rng.normal(size=4), "mid é": ["a", "b", "c", "d"]}
    )
    queue = LabelQueue(Store(store_url), "order")
    queue.enqueue(frame.to_dict("records"))
    leased = queue.lease("ann", n_tasks=4)
    assert [list(t.item) for t in leased] == [list(frame.columns)] * 4
    for task in leased:
        queue.submit(task, "ann", "ok")
    assert queue.resolve() == 4
    items = pd.DataFrame([row["item"] for row in queue.export()])
    pd.testing.assert_frame_equal(items, frame)


def test_nested_item_keys_keep_their_order(sqlite_url):
    item = {"text": "arrived broken", "meta": {"source": "app", "lang": "en"}, "id": 7}
    queue = LabelQueue(Store(sqlite_url))
    queue.enqueue([item])
    [task] = queue.lease("ann")
    assert list(task.item) == list(item)
    assert list(task.item["meta"]) == list(item["meta"])
    assert task.item == item


@pytest.mark.parametrize(
    ("item", "twin"),
    [
        pytest.param({1: "a", "1": "b"}, "'1'", id="int-and-text"),
        pytest.param({"x": {True: 1, "true": 2}}, "'true'", id="nested-bool-and-text"),
        pytest.param([{None: 1, "null": 2}], "'null'", id="none-and-text-in-list"),
    ],
)
def test_keys_json_writes_alike_are_refused(item, twin):
    queue = LabelQueue(Store(":memory:"))
    with pytest.raises(InvalidParameterError, match=f"items.*two keys written {twin}"):
        queue.enqueue([item])
    assert queue.counts()["open"] == 0


def test_keys_of_two_types_that_stay_distinct_are_kept():
    queue = LabelQueue(Store(":memory:"))
    queue.enqueue([{2: "b", "a": 1}])
    [task] = queue.lease("ann")
    assert task.item == {"2": "b", "a": 1}
    assert list(task.item) == ["2", "a"]
