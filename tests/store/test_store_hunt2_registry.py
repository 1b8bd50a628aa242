"""Reading a registry while another connection writes it: one snapshot per read."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time

import pytest

from mllifecycle.gates import GateContext, MetricThreshold
from mllifecycle.store import Registry, Store

GATE = MetricThreshold("accuracy", minimum=0.5)
CONTEXT = GateContext(y_true=[0, 1, 1, 0], challenger=[0, 1, 1, 0])


def _write_between_statements(monkeypatch, store_url, writes):
    """Run ``writes`` (another connection) right after a read's first statement."""
    writer = Registry(Store(store_url))
    original = Registry._champion_of
    done = []

    def champion_then_write(self, tx, name):
        champion = original(self, tx, name)
        if not done:
            done.append(1)
            writes(writer)
        return champion

    monkeypatch.setattr(Registry, "_champion_of", champion_then_write)


def _promote_then_register(writer):
    writer.promote("m", 2, gates=GATE, context=CONTEXT)
    writer.register("m", {"v": 3}, format="pickle")


def test_versions_is_one_snapshot_while_another_job_promotes_and_registers(
    store_url, monkeypatch
):
    # versions() read the champion (1), then the versions: on PostgreSQL the
    # second statement saw v2 promoted and v3 registered meanwhile, so it gave
    # v1 flagged champion beside v3, a state the registry was never in (when
    # v3 existed, v2 was champion). SQLite reads one snapshot.
    registry = Registry(Store(store_url))
    for k in range(2):
        registry.register("m", {"v": k}, format="pickle")
    registry.promote("m", 1, gates=GATE, context=CONTEXT)
    _write_between_statements(monkeypatch, store_url, _promote_then_register)
    seen = registry.versions("m")
    assert [(v.version, v.is_champion) for v in seen] == [(1, True), (2, False)]
    monkeypatch.undo()
    now = registry.versions("m")
    assert [(v.version, v.is_champion) for v in now] == [(1, False), (2, True), (3, False)]


def test_history_is_one_snapshot_while_another_job_promotes(store_url, monkeypatch):
    registry = Registry(Store(store_url))
    registry.register("m", {"v": 0}, format="pickle")
    registry.register("m", {"v": 1}, format="pickle")
    _write_between_statements(monkeypatch, store_url, _promote_then_register)
    assert [e.kind for e in registry.history("m")] == ["register", "register"]
    monkeypatch.undo()
    assert [e.kind for e in registry.history("m")] == [
        "register", "register", "promote", "register"]


@contextlib.contextmanager
def _model_locked_by_another_job(store_url, seconds):
    """Hold model 'm' locked in another connection; yield a dict getting 'released'."""
    state = {}
    if "://" in store_url:
        import sqlalchemy as sa

        engine = sa.create_engine(store_url)
        conn = engine.connect()
        trans = conn.begin()
        conn.execute(sa.text("SELECT name FROM models WHERE name = 'm' FOR UPDATE"))
        commit, close = trans.commit, lambda: (conn.close(), engine.dispose())
    else:
        conn = sqlite3.connect(store_url, isolation_level=None, check_same_thread=False)
        conn.execute("BEGIN IMMEDIATE")
        commit, close = (lambda: conn.execute("COMMIT")), conn.close

    def release():
        state["released"] = time.time()
        commit()

    timer = threading.Timer(seconds, release)
    timer.start()
    try:
        yield state
    finally:
        timer.join()
        close()


@pytest.mark.parametrize("change", ["promote", "rollback", "register"])
def test_an_event_is_timed_when_it_happens_not_before_waiting_for_another_job(
    store_url, change
):
    # the time was read before waiting for the other job's lock: an event that
    # followed another in the history could be dated before it (``at`` went
    # back in time: ordered by ``at``, the champion moves were replayed wrong)
    registry = Registry(Store(store_url))
    for k in range(2):
        registry.register("m", {"v": k}, format="pickle")
        registry.promote("m", k + 1, gates=GATE, context=CONTEXT)
    with _model_locked_by_another_job(store_url, 0.3) as lock:
        if change == "promote":
            registry.promote("m", 1, gates=GATE, context=CONTEXT)
        elif change == "rollback":
            registry.rollback("m")
        else:
            version = registry.register("m", {"v": 2}, format="pickle")
    last = registry.history("m")[-1]
    assert last.kind == change
    assert last.at >= lock["released"]
    if change == "register":
        assert version.created_at >= lock["released"]
