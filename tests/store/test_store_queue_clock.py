"""LabelQueue leases on PostgreSQL follow the server's clock, not each machine's.

Workers on several machines share one PostgreSQL store. Each read its own
clock: a worker whose clock ran 1000 s ahead took a task another held under
a 300 s lease (two workers on one task), and one whose clock ran behind had
its answer accepted after its lease had expired. Leases are now set and
checked by the server's clock (``clock_timestamp()``); the embedded SQLite
store, on one machine, keeps the machine's clock.
"""

from __future__ import annotations

import time

import pytest

from mllifecycle.store import LabelQueue, LeaseError, Store

SKEW = 1000.0


def _skewed(monkeypatch, seconds):
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + seconds)


def test_a_worker_whose_clock_runs_ahead_cannot_take_a_held_lease(pg_url, monkeypatch):
    q = LabelQueue(Store(pg_url))
    q.enqueue(["x"])
    [t] = q.lease("ann", ttl=300)
    _skewed(monkeypatch, SKEW)  # bob's machine
    assert q.lease("bob") == []
    assert q.counts()["leased"] == 1
    monkeypatch.undo()
    q.submit(t, "ann", "cat")  # ann still holds it
    assert q.counts()["answered"] == 1


def test_a_lease_taken_on_a_machine_behind_is_held_for_its_ttl(pg_url, monkeypatch):
    q = LabelQueue(Store(pg_url))
    q.enqueue(["x"])
    _skewed(monkeypatch, -SKEW)  # ann's machine, behind
    [_held] = q.lease("ann", ttl=300)  # was set to expire 700 s ago for everyone else
    monkeypatch.undo()
    assert q.lease("bob") == []


def test_an_answer_from_a_machine_behind_after_expiry_is_refused(pg_url, monkeypatch):
    q = LabelQueue(Store(pg_url))
    q.enqueue(["x"])
    [t] = q.lease("ann", ttl=0.2)
    time.sleep(0.3)  # expired by the server's clock (another worker may take it)
    _skewed(monkeypatch, -SKEW)  # ann's machine, behind
    with pytest.raises(LeaseError, match="expired"):
        q.submit(t, "ann", "cat")
    monkeypatch.undo()
    [t2] = q.lease("bob", ttl=60)
    assert t2.id == t.id


def test_lease_expiry_is_the_server_clock_plus_ttl(pg_url, monkeypatch):
    q = LabelQueue(Store(pg_url))
    q.enqueue(["x"])
    _skewed(monkeypatch, SKEW)
    before = time.time() - SKEW
    [t] = q.lease("ann", ttl=60)
    after = time.time() - SKEW
    # the server runs on this machine (CI): its clock is the unskewed one
    assert before + 60 - 5 <= t.lease_expires <= after + 60 + 5


def test_sqlite_keeps_the_machine_clock(sqlite_url, monkeypatch):
    q = LabelQueue(Store(sqlite_url))
    q.enqueue(["x"])
    _skewed(monkeypatch, SKEW)
    [t] = q.lease("ann", ttl=60)
    assert t.lease_expires >= time.time() + 59
