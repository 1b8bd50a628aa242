"""SQLite stores opened by several processes (or connections) at once."""

from __future__ import annotations

import sqlite3
import threading
import time

from mllifecycle.store import LabelQueue, Registry, Store


def test_opening_waits_for_a_write_lock_on_a_new_database(tmp_path):
    # another connection writing to a database still in rollback-journal mode
    # (as the first process to create a store is): switching to WAL failed at
    # once with "database is locked" instead of waiting for the lock
    path = tmp_path / "store.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE unrelated (x)")
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    release.start()
    try:
        store = Store(path)
    finally:
        release.join()
        other.close()
    assert store.schema_version == 1
    assert Registry(store).register("m", {"a": 1}, format="pickle").version == 1
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_lease_that_waited_for_another_writer_is_not_handed_out_expired(tmp_path):
    # another process writing for 0.4 s (a big enqueue, a model registered):
    # lease(ttl=0.2) waited for it and returned a lease that had expired
    # before it was handed out, so the worker's answer was refused
    path = tmp_path / "store.db"
    queue = LabelQueue(Store(path))
    [task_id] = queue.enqueue(["a photo"])
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.4, lambda: other.execute("COMMIT"))
    release.start()
    try:
        [task] = queue.lease("ann", ttl=0.2)
        handed_out = time.time()
    finally:
        release.join()
        other.close()
    assert task.id == task_id
    assert task.lease_expires > handed_out
    queue.submit(task, "ann", "cat")
    assert queue.counts()["answered"] == 1
