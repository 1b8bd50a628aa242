"""LabelQueue: priorities, leases, submissions, resolution and export."""

from __future__ import annotations

import time

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import (
    LabelQueue,
    LeaseError,
    NotFoundError,
    Store,
    StoreError,
    majority_vote,
)


def test_lease_order_and_exclusivity(store_url):
    q = LabelQueue(Store(store_url))
    ids = q.enqueue([{"i": i} for i in range(6)], priority=[0.1, 0.9, 0.5, 0.9, 0.0, 0.3])
    a = q.lease("ann", n_tasks=3)
    b = q.lease("bob", n_tasks=10)
    # highest priority first, ties by insertion order
    assert [t.id for t in a] == [ids[1], ids[3], ids[2]]
    assert [t.id for t in b] == [ids[5], ids[0], ids[4]]
    assert q.lease("cy", n_tasks=5) == []
    assert q.counts() == {"open": 0, "leased": 6, "answered": 0, "resolved": 0}
    assert a[0].item == {"i": 1}


def test_expired_lease_returns_the_task(store_url):
    q = LabelQueue(Store(store_url))
    [tid] = q.enqueue(["x"])
    [t] = q.lease("ann", ttl=0.2)
    assert q.lease("bob") == []
    time.sleep(0.3)
    [t2] = q.lease("bob", ttl=60)
    assert t2.id == t.id == tid
    with pytest.raises(LeaseError, match="leased to another worker"):
        q.submit(tid, "ann", "late")
    q.submit(tid, "bob", "cat")
    assert [(a["worker"], a["label"]) for a in q.answers()] == [("bob", "cat")]


def test_submit_after_own_lease_expired_is_refused(store_url):
    q = LabelQueue(Store(store_url))
    [tid] = q.enqueue(["x"])
    q.lease("ann", ttl=0.1)
    time.sleep(0.2)
    with pytest.raises(LeaseError, match="expired"):
        q.submit(tid, "ann", "cat")
    assert q.answers() == []


def test_redundancy_gives_each_worker_a_task_once(store_url):
    q = LabelQueue(Store(store_url), redundancy=3)
    [tid] = q.enqueue(["x"])
    for w, lab in [("ann", "cat"), ("bob", "dog")]:
        [t] = q.lease(w)
        q.submit(t, w, lab)
    assert q.lease("ann") == []  # ann answered already
    assert q.resolve() == 0  # 2 of 3 answers
    [t] = q.lease("cy")
    q.submit(t, "cy", "dog")
    assert q.lease("dan") == []  # enough answers
    assert q.counts()["answered"] == 1
    assert q.resolve() == 1
    [row] = q.export()
    assert (row["task"], row["label"], row["n_answers"]) == (tid, "dog", 3)
    assert row["confidence"] == pytest.approx(2 / 3)


def test_resolve_min_answers_and_queues_are_separate(store_url):
    store = Store(store_url)
    q1, q2 = LabelQueue(store, "a", redundancy=2), LabelQueue(store, "b")
    q1.enqueue([1, 2])
    q2.enqueue([3])
    [t] = q1.lease("ann")
    q1.submit(t, "ann", 7)
    assert q2.lease("bob")[0].item == 3
    with pytest.raises(NotFoundError, match="no task 1 in label queue 'b'"):
        q2.submit(t.id, "ann", 7)
    assert q1.resolve(min_answers=1) == 1
    assert [r["label"] for r in q1.export()] == [7]
    assert q2.export() == []


def test_vote_refuses_label_types_mixed():
    # True and 1 were kept apart (two labels splitting the vote); a second kind
    # of answer is now refused at submit, and the worker may answer again
    q = LabelQueue(Store(":memory:"), redundancy=3)
    q.enqueue(["x"])
    [t] = q.lease("a")
    q.submit(t, "a", True)
    [t] = q.lease("b")
    with pytest.raises(InvalidParameterError, match="'label' parameter of submit"):
        q.submit(t, "b", 1)
    q.submit(t, "b", True)
    [t] = q.lease("c")
    q.submit(t, "c", False)
    q.resolve()
    [row] = q.export()
    assert row["label"] is True
    assert row["confidence"] == pytest.approx(2 / 3)


def test_majority_vote_matches_counting():
    rng = np.random.default_rng(0)
    for _ in range(200):
        labels = rng.integers(0, 3, size=rng.integers(1, 8)).tolist()
        winner, conf = majority_vote(labels)
        counts = {k: labels.count(k) for k in set(labels)}
        best = max(counts.values())
        tied = [k for k in labels if counts[k] == best]
        assert winner == tied[0]  # first answered among the tied
        assert conf == best / len(labels)


def test_resolve_through_labels_aggregate():
    """A method other than majority goes to mllifecycle.labels.aggregate, and the
    store keeps what Dawid-Skene decides on the same answers."""
    from mllifecycle.labels import aggregate

    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, 60)
    q = LabelQueue(Store(":memory:"))
    ids = q.enqueue([f"item{i}" for i in range(60)], redundancy=3)
    answers = {"task": [], "worker": [], "label": []}
    for w, acc in (("good", 0.95), ("fair", 0.75), ("spam", 0.5)):
        for t in q.lease(w, n_tasks=60):
            i = ids.index(t.id)
            lab = int(truth[i]) if rng.random() < acc else int(1 - truth[i])
            q.submit(t, w, lab)
            answers["task"].append(t.id)
            answers["worker"].append(w)
            answers["label"].append(lab)
    assert q.resolve(method="dawid_skene") == 60
    ref = aggregate(answers, method="dawid_skene")
    want = dict(zip(ref.tasks.tolist(), ref.labels.tolist(), strict=True))
    got = {r["task"]: r["label"] for r in q.export()}
    assert got == {t: want[t] for t in got}
    assert all(r["method"] == "dawid_skene" for r in q.export())


def test_resolve_unknown_method_is_refused():
    q = LabelQueue(Store(":memory:"))
    q.enqueue(["a"])
    [t] = q.lease("ann")
    q.submit(t, "ann", 1)
    with pytest.raises((StoreError, ValueError), match="method"):
        q.resolve(method="telepathy")
    assert q.resolve() == 1  # majority is built in


def _q():
    q = LabelQueue(Store(":memory:"))
    q.enqueue(["a"])
    return q


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda q: q.enqueue("abc"), InvalidParameterError, "'items' parameter of enqueue"),
        (lambda q: q.enqueue([object()]), InvalidParameterError, "JSON-serialisable"),
        (lambda q: q.enqueue([float("nan")]), InvalidParameterError, "'items' parameter"),
        (lambda q: q.enqueue([1, 2], priority=[1.0]), InvalidParameterError, "'priority'"),
        (lambda q: q.enqueue([1], priority=[np.inf]), InvalidParameterError, "finite"),
        (lambda q: q.enqueue([1], priority="high"), InvalidParameterError, "'priority'"),
        (lambda q: q.enqueue([1], redundancy=0), InvalidParameterError, "'redundancy'"),
        (lambda q: q.lease(""), InvalidParameterError, "'worker' parameter of lease"),
        (
            lambda q: q.lease("ann", n_tasks=0),
            InvalidParameterError,
            "'n_tasks' parameter of lease",
        ),
        (lambda q: q.lease("ann", ttl=0), InvalidParameterError, "'ttl' parameter of lease"),
        (lambda q: q.submit(99, "ann", 1), NotFoundError, "no task 99"),
        (lambda q: q.submit(0, "ann", 1), InvalidParameterError, "'task' parameter of submit"),
        (lambda q: q.submit(1, "ann", 1), LeaseError, "not leased"),
        (lambda q: q.submit(1, "ann", [1]), InvalidParameterError, "'label' parameter"),
        (lambda q: q.submit(1, "ann", float("inf")), InvalidParameterError, "'label'"),
        (lambda q: q.resolve(method=3), InvalidParameterError, "'method' parameter of resolve"),
        (lambda q: q.resolve(min_answers=0), InvalidParameterError, "'min_answers'"),
        (lambda q: LabelQueue(q.store, ""), InvalidParameterError, "'name' parameter"),
        (lambda q: LabelQueue(q.store, redundancy=0), InvalidParameterError, "'redundancy'"),
        (lambda q: LabelQueue(3), InvalidParameterError, "'store' parameter of LabelQueue"),
        (lambda q: majority_vote([]), InvalidParameterError, "'labels' parameter"),
    ],
)
def test_queue_bad_input(call, exc, match):
    q = _q()
    with pytest.raises(exc, match=match):
        call(q)
    assert q.answers() == []


def test_submit_twice_and_after_resolution_refused():
    q = LabelQueue(Store(":memory:"))
    [tid] = q.enqueue(["a"])
    q.lease("ann")
    q.submit(tid, "ann", 1)
    with pytest.raises(LeaseError, match="not leased"):
        q.submit(tid, "ann", 2)
    q.resolve()
    with pytest.raises(LeaseError, match="already resolved"):
        q.submit(tid, "bob", 2)
    assert len(q.answers()) == 1
