"""Answers of another kind than the queue's (True, 1, '1') are refused at submit.

The vote compares answers as written: three workers answering ``True``,
``1`` and ``"1"`` made three labels, and the task resolved to ``True`` at a
third's confidence.
"""

from __future__ import annotations

import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import LabelQueue, Store


def _queue(redundancy=3):
    queue = LabelQueue(Store(":memory:"), "q", redundancy=redundancy)
    queue.enqueue(["a", "b"])
    return queue


@pytest.mark.parametrize(
    ("first", "then", "shown"),
    [
        (True, 1, "Got numbers: 1 instead"),
        (1, True, "Got booleans: True instead"),
        (1, "1", "Got text: '1' instead"),
        ("cat", 0.5, "Got numbers: 0.5 instead"),
        (False, "no", "Got text: 'no' instead"),
    ],
)
def test_an_answer_of_another_kind_is_refused_and_the_lease_kept(first, then, shown):
    queue = _queue()
    [task] = queue.lease("ann")
    queue.submit(task, "ann", first)
    [task2] = queue.lease("bob")
    with pytest.raises(InvalidParameterError,
                       match=r"The 'label' parameter of submit must be a label of the kind of "
                       r"the answers in label queue 'q'") as err:
        queue.submit(task2, "bob", then)
    assert shown in str(err.value)
    queue.submit(task2, "bob", first)  # the lease survived the refusal
    assert [a["label"] for a in queue.answers()] == [first, first]


def test_answers_of_one_kind_vote_together():
    queue = _queue(redundancy=3)
    for worker, label in (("ann", 1), ("bob", 1), ("cy", 2)):
        [task] = queue.lease(worker)
        queue.submit(task, worker, label)
    assert queue.resolve(min_answers=3) == 1
    [row] = queue.export()
    assert row["label"] == 1
    assert row["confidence"] == pytest.approx(2 / 3)


def test_ints_and_floats_are_one_kind():
    queue = _queue(redundancy=2)
    [task] = queue.lease("ann")
    queue.submit(task, "ann", 1)
    [task] = queue.lease("bob")
    queue.submit(task, "bob", 0.5)  # numbers: accepted
    assert [a["label"] for a in queue.answers()] == [1, 0.5]
