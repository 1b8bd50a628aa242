"""The label queue under concurrent use: answers arriving while a resolve runs."""

from __future__ import annotations

import threading

import pytest

import mllifecycle.store._queue as queue_mod
from mllifecycle.store import LabelQueue, Store


@pytest.mark.parametrize("method", ["majority", "dawid_skene"])
def test_an_answer_arriving_during_resolve_is_not_left_out_of_the_vote(
    store_url, monkeypatch, method
):
    # ann answers "cat"; a resolve with min_answers=1 reads that one answer, and
    # bob and cy answer "dog" before it writes. The task was written resolved as
    # "cat" at confidence 1.0 with n_answers 3 (two answers it never saw).
    queue = LabelQueue(Store(store_url), redundancy=3)
    [task_id] = queue.enqueue(["a photo"])
    [t] = queue.lease("ann")
    queue.submit(t, "ann", "cat")
    other = LabelQueue(Store(store_url), redundancy=3)
    hooked = "majority_vote" if method == "majority" else "_aggregate_external"
    original = getattr(queue_mod, hooked)
    calls = []

    def answer_meanwhile(*args, **kwargs):
        if not calls:
            for worker in ("bob", "cy"):
                [lease] = other.lease(worker)
                other.submit(lease, worker, "dog")
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(queue_mod, hooked, answer_meanwhile)
    assert queue.resolve(method, min_answers=1) == 0
    assert queue.counts()["resolved"] == 0
    assert queue.export() == []
    # the next call sees every answer
    assert queue.resolve(method, min_answers=1) == 1
    [row] = queue.export()
    assert row["task"] == task_id
    assert row["n_answers"] == 3
    if method == "majority":
        assert row["label"] == "dog"
        assert row["confidence"] == pytest.approx(2 / 3)


def test_resolve_without_concurrent_answers_is_unchanged(store_url):
    queue = LabelQueue(Store(store_url), redundancy=2)
    queue.enqueue(["a", "b"])
    for worker in ("ann", "bob"):
        for t in queue.lease(worker, n_tasks=2):
            queue.submit(t, worker, "x" if worker == "ann" or t.item == "a" else "y")
    assert queue.resolve() == 2
    assert [(r["label"], r["confidence"]) for r in queue.export()] == [("x", 1.0), ("x", 0.5)]


def test_first_answers_of_two_kinds_submitted_at_once_are_not_both_accepted(
    store_url, monkeypatch
):
    # ann's first answer of the queue (True) is written but not committed when
    # bob answers another task with 1: on PostgreSQL bob's check saw no answer
    # yet, so the queue took booleans and numbers, and later answers were
    # checked against whichever came first (True and 1 then split a vote).
    from mllifecycle.exceptions import InvalidParameterError

    queue = LabelQueue(Store(store_url))
    queue.enqueue(["a", "b"])
    [ta] = queue.lease("ann")
    [tb] = queue.lease("bob")
    inside, bob_done = threading.Event(), threading.Event()
    original = queue_mod._checkpoint

    def pause(label):
        if label == "submit:answer" and threading.current_thread().name == "ann":
            inside.set()
            bob_done.wait(timeout=1.0)  # SQLite: bob waits for this transaction
        original(label)

    monkeypatch.setattr(queue_mod, "_checkpoint", pause)
    errors = {}

    def ann():
        queue.submit(ta, "ann", True)

    def bob():
        inside.wait(timeout=5)
        try:
            LabelQueue(Store(store_url)).submit(tb, "bob", 1)
        except InvalidParameterError as exc:
            errors["bob"] = exc
        finally:
            bob_done.set()

    threads = [threading.Thread(target=ann, name="ann"), threading.Thread(target=bob)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert "bob" in errors
    assert "label" in str(errors["bob"])
    assert [a["label"] for a in queue.answers()] == [True]
