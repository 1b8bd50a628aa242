"""Schema versions and migrations."""

from __future__ import annotations

import pytest
from sklearn.dummy import DummyClassifier

import mllifecycle.store._db as db
from mllifecycle.store import Registry, SchemaVersionError, Store

pytest.importorskip("skops")


def _version(store):
    with store._read() as tx:
        return tx.execute("SELECT version FROM schema_version")


def test_new_store_is_at_latest_version_and_reopens(store_url):
    s = Store(store_url)
    assert s.schema_version == len(db.MIGRATIONS)
    assert _version(s) == [(len(db.MIGRATIONS),)]
    Registry(s).register("m", DummyClassifier().fit([[0], [1]], [0, 1]))
    s.close()
    again = Store(store_url)  # a second open applies nothing
    assert _version(again) == [(len(db.MIGRATIONS),)]
    assert Registry(again).get("m", 1).version == 1


def test_a_new_migration_upgrades_an_old_store(store_url, monkeypatch):
    s = Store(store_url)
    Registry(s).register("m", DummyClassifier().fit([[0], [1]], [0, 1]))
    s.close()
    extra = ["ALTER TABLE models ADD COLUMN owner TEXT", "UPDATE models SET owner = 'ml-team'"]
    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, extra])
    upgraded = Store(store_url)
    assert upgraded.schema_version == 2
    assert _version(upgraded) == [(2,)]
    with upgraded._read() as tx:
        assert tx.execute("SELECT name, owner FROM models") == [("m", "ml-team")]
    assert Registry(upgraded).get("m", 1).version == 1


def test_a_failing_migration_changes_nothing(store_url, monkeypatch):
    Store(store_url).close()
    bad = ["CREATE TABLE half_done (x INTEGER)", "ALTER TABLE no_such_table ADD COLUMN y TEXT"]
    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, bad])
    with pytest.raises(Exception, match="no_such_table"):
        Store(store_url)
    monkeypatch.undo()
    s = Store(store_url)
    assert _version(s) == [(1,)]
    with s._read() as tx:
        tables = tx.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'half_done'"
            if s.dialect == "sqlite"
            else "SELECT tablename FROM pg_tables WHERE tablename = 'half_done' "
            "AND schemaname = current_schema()"
        )
    assert tables == []


def test_a_store_from_a_newer_version_is_refused(store_url):
    s = Store(store_url)
    with s._write() as tx:
        tx.execute("UPDATE schema_version SET version = 99")
    s.close()
    with pytest.raises(SchemaVersionError, match="schema version 99, newer"):
        Store(store_url)
