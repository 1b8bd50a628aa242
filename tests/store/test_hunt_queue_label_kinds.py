"""Answers of another kind than the queue's (True, 1, '1') are refused at submit.

Three workers answering ``True``, ``1`` and ``"1"`` made three labels, and
the task resolved to ``True`` at a third's confidence. Within one kind,
equal numbers (``1`` and ``1.0``) are one label to the vote.
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


def _answer(queue, answers):
    for worker, label in answers:
        [task] = queue.lease(worker)
        queue.submit(task, worker, label)


@pytest.mark.parametrize("method", ["majority", "dawid_skene"])
def test_equal_numbers_are_one_label_to_the_vote(method):
    # 1, 1.0 and np.float64(1) are one number: three workers agreeing resolve
    # the task at full agreement (before: 1 and 1.0 were two labels, and the
    # task resolved at two thirds, or to the other answer on a tie)
    import numpy as np

    queue = _queue(redundancy=3)
    _answer(queue, [("ann", 1.0), ("bob", 1), ("cy", np.float64(1.0))])
    _answer(queue, [("ann", 2), ("bob", 2.0), ("cy", 1)])
    assert queue.resolve(method, min_answers=3) == 2
    first, second = queue.export()
    assert first["label"] == 1
    assert isinstance(first["label"], float)  # as first written
    # Dawid-Skene's posterior is smoothed: near 1, not 1
    assert first["confidence"] == pytest.approx(1.0, abs=1e-3)
    assert second["label"] == 2
    assert isinstance(second["label"], int)
    if method == "majority":
        assert second["confidence"] == pytest.approx(2 / 3)
    # the answers themselves are kept as written
    assert [a["label"] for a in queue.answers()][:3] == [1.0, 1, 1.0]


def test_a_tie_between_equal_numbers_is_no_tie():
    # 1.0 and 1 against 0: two votes to one, not a three-way tie won by 1.0
    queue = _queue(redundancy=3)
    _answer(queue, [("ann", 0), ("bob", 1.0), ("cy", 1)])
    assert queue.resolve(min_answers=3) == 1
    [row] = queue.export()
    assert row["label"] == 1
    assert row["confidence"] == pytest.approx(2 / 3)


def test_floats_that_differ_stay_apart():
    queue = _queue(redundancy=3)
    _answer(queue, [("ann", 0.5), ("bob", 0.25), ("cy", 0.5)])
    assert queue.resolve(min_answers=3) == 1
    [row] = queue.export()
    assert row["label"] == 0.5
    assert row["confidence"] == pytest.approx(2 / 3)
