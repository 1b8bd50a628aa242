"""Hunt: label-queue counts and ids beyond a database integer, odd priorities."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import LabelQueue, NotFoundError, Store

BIG = 2**63  # one past the largest SQLite INTEGER / PostgreSQL BIGINT


@pytest.fixture
def queue(tmp_path):
    q = LabelQueue(Store(str(tmp_path / "q.db")))
    q.enqueue(["low", "high"], priority=[0.1, 0.9])
    return q


@pytest.mark.parametrize("n_tasks", [2**63 - 1, BIG, 10**30])
def test_lease_with_a_huge_n_tasks_leases_everything(queue, n_tasks):
    # raised a raw OverflowError from sqlite3 (2**63 - 1 too: it went through a float)
    assert [t.item for t in queue.lease("ann", n_tasks=n_tasks)] == ["high", "low"]


def test_submit_to_a_task_id_past_any_database_integer_is_not_found(queue):
    [task] = queue.lease("ann")
    with pytest.raises(NotFoundError, match=f"no task {BIG} in label queue 'default'"):
        queue.submit(BIG, "ann", "cat")
    queue.submit(task, "ann", "cat")
    assert queue.counts()["answered"] == 1


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda q: q.enqueue(["a"], redundancy=BIG),
         r"'redundancy' parameter of enqueue must be an int in the range "
         r"\[1, 2147483647\]"),
        (lambda q: q.resolve(min_answers=BIG),
         r"'min_answers' parameter of resolve must be an int in the range \[1, "),
        (lambda q: LabelQueue(q.store, redundancy=BIG),
         r"'redundancy' parameter of LabelQueue must be an int in the range \[1, "),
        # a list of text priorities raised a raw "could not convert string to float"
        (lambda q: q.enqueue(["a", "b"], priority=["high", "low"]),
         r"'priority' parameter of enqueue must be a number or one number per item"),
    ],
)
def test_out_of_range_arguments_are_clear_errors(queue, call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call(queue)
    assert queue.counts()["open"] == 2  # nothing half-written


def test_a_zero_dimensional_array_priority_is_one_number(queue):
    # np.array(0.5) was refused as "an array of shape ()"
    ids = queue.enqueue(["a", "b"], priority=np.array(0.5))
    tasks = queue.lease("ann", n_tasks=4)
    assert [(t.item, t.priority) for t in tasks] == [
        ("high", 0.9), ("a", 0.5), ("b", 0.5), ("low", 0.1)
    ]
    assert ids == [3, 4]


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow"])
def test_a_table_of_items_is_refused_not_enqueued_as_its_column_names(tmp_path, kind):
    # iterating a pandas DataFrame yields its column names: "text" and "n" were
    # enqueued as the two items to label, with no error
    mod = pytest.importorskip(kind)
    data = {"text": ["a", "b", "c"], "n": [1, 2, 3]}
    table = mod.table(data) if kind == "pyarrow" else mod.DataFrame(data)
    q = LabelQueue(Store(str(tmp_path / "q.db")))
    with pytest.raises(
        InvalidParameterError,
        match=r"The 'items' parameter of enqueue must be an iterable of items \(a table's "
        r"rows as records, e.g. df.to_dict\('records'\)\). Got a .* table instead",
    ):
        q.enqueue(table)
    assert q.counts()["open"] == 0


def test_zero_and_negative_zero_are_one_label_in_the_vote(tmp_path):
    # 0.0 and -0.0 were stored as different JSON texts ("0.0", "-0.0"): answers
    # 0.0, -0.0, 1.0 resolved as a three-way tie (confidence 1/3), not 0.0 by 2 of 3
    q = LabelQueue(Store(str(tmp_path / "q.db")), redundancy=3)
    q.enqueue(["x"])
    for worker, label in [("ann", -0.0), ("bob", 1.0), ("cy", np.float64(0.0))]:
        [task] = q.lease(worker)
        q.submit(task, worker, label)
    assert q.resolve() == 1
    [row] = q.export()
    assert row["label"] == 0.0
    assert row["confidence"] == pytest.approx(2 / 3)


def _answered(tmp_path, answers, redundancy):
    q = LabelQueue(Store(str(tmp_path / "q.db")), redundancy=redundancy)
    q.enqueue([f"item{i}" for i in range(len(answers))])
    workers = [f"w{j}" for j in range(redundancy)]
    for labels in answers:
        for w, lab in zip(workers, labels, strict=True):
            [task] = q.lease(w)
            q.submit(task, w, lab)
    return q


@pytest.mark.parametrize("first", [True, 1])
def test_answers_of_two_kinds_are_refused_at_submit(tmp_path, first):
    # majority voted on the stored JSON text (true and 1 two labels) but the
    # answers went to labels.aggregate decoded, where True == 1: one class, and
    # resolve raised "at least 2 distinct classes"; then answers of two kinds
    # were kept apart, splitting the vote. Now the second kind is refused (as
    # labels.aggregate refuses such answers), and the vote is on one kind.
    other = 1 if first is True else True
    with pytest.raises(InvalidParameterError, match=r"'label' parameter of submit"):
        _answered(tmp_path, [[first, other]], redundancy=2)


@pytest.mark.parametrize("method", ["dawid_skene", "majority"])
def test_every_method_resolves_answers_of_one_kind(tmp_path, method):
    q = _answered(tmp_path, [[1, 1, 0], [1, 1, 1], [0, 0, 1]], redundancy=3)
    assert q.resolve(method=method) == 3
    assert [r["label"] for r in q.export()] == [1, 1, 0]


@pytest.mark.parametrize("method", ["dawid_skene", "glad", "majority"])
def test_unanimous_answers_resolve_under_every_method(tmp_path, method):
    # every worker gave "cat": Dawid-Skene raised "at least 2 distinct classes"
    # (a StoreError) where the majority vote resolved both items
    q = _answered(tmp_path, [["cat", "cat"], ["cat", "cat"]], redundancy=2)
    assert q.resolve(method=method) == 2
    rows = q.export()
    assert [r["label"] for r in rows] == ["cat", "cat"]
    assert [r["confidence"] for r in rows] == [1.0, 1.0]
