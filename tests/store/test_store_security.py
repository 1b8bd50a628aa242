"""Security: checksums, no pickle or untrusted type without consent, bound parameters only."""

from __future__ import annotations

import os
import re

import pytest
from sklearn.dummy import DummyClassifier

import mllifecycle.store._db as db
from mllifecycle.drift import Reference
from mllifecycle.store import (
    IntegrityError,
    LabelQueue,
    LeaseError,
    NotFoundError,
    Registry,
    Store,
    UntrustedModelError,
)

pytest.importorskip("skops")

FIT = DummyClassifier().fit([[0], [1]], [0, 1])


def _tamper(store, sha, change):
    with store._write() as tx:
        (data,) = tx.one("SELECT data FROM artifacts WHERE sha256 = :s", {"s": sha})
        tx.execute(
            "UPDATE artifacts SET data = :d WHERE sha256 = :s", {"d": change(bytes(data)), "s": sha}
        )


@pytest.mark.parametrize(
    "change",
    [
        lambda b: b[:-1] + bytes([b[-1] ^ 1]),  # one bit flipped
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b + b"\x00",  # appended
    ],
    ids=["bitflip", "truncated", "appended"],
)
def test_altered_model_file_is_refused(store_url, change):
    store = Store(store_url)
    reg = Registry(store)
    v = reg.register("m", FIT)
    _tamper(store, v.artifact, change)
    with pytest.raises(IntegrityError, match="altered or damaged"):
        reg.load("m", 1)
    assert any("do not match their checksum" in p for p in store.check())


def test_altered_reference_is_refused():
    import numpy as np

    store = Store(":memory:")
    reg = Registry(store)
    reg.register("m", FIT, reference=Reference.fit(np.zeros((5, 2))))
    with store._read() as tx:
        (sha,) = tx.one("SELECT reference FROM versions")
    _tamper(store, sha, lambda b: b[:-1] + bytes([b[-1] ^ 1]))
    with pytest.raises(IntegrityError):
        reg.reference("m", 1)


class _Exploit:
    """Creates a directory when unpickled: stands for arbitrary code."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.makedirs, (self.path,))


def test_pickle_never_loads_without_trusted(tmp_path):
    reg = Registry(Store(tmp_path / "s.db"))
    target = tmp_path / "pwned"
    reg.register("m", _Exploit(str(target)), format="pickle")
    with pytest.raises(UntrustedModelError, match="pickle"):
        reg.load("m", 1)
    with pytest.raises(UntrustedModelError, match="pickle"):
        reg.load("m", 1, trusted=["os.makedirs"])
    assert not target.exists()
    reg.load("m", 1, trusted=True)  # the caller vouched for it: the code runs
    assert target.exists()


def test_skops_refuses_types_nobody_trusted():
    import numpy as np

    reg = Registry(Store(":memory:"))
    reg.register("m", Reference.fit(np.zeros((5, 2))))  # a type outside skops' trusted set
    name = f"{Reference.__module__}.{Reference.__qualname__}"
    with pytest.raises(UntrustedModelError, match=re.escape(name)):
        reg.load("m", 1)
    with pytest.raises(UntrustedModelError):
        reg.load("m", 1, trusted=["something.Else"])
    assert reg.load("m", 1, trusted=[name]).n_reference == 5
    assert reg.load("m", 1, trusted=True).n_reference == 5


MARK = "x'); DROP TABLE versions; --\"MARK"


def test_values_only_reach_the_database_as_bound_parameters(store_url, monkeypatch):
    statements = []
    original = db._Tx.sql

    def spy(self, statement):
        out = original(self, statement)
        statements.append(out)
        return out

    monkeypatch.setattr(db._Tx, "sql", spy)
    store = Store(store_url)
    driver_sql = []
    if store.dialect == "postgresql":
        import sqlalchemy as sa

        engine = store._backend._get_engine()
        sa.event.listen(engine, "before_cursor_execute", lambda c, cur, s, *a: driver_sql.append(s))
    from mllifecycle.gates import GateContext, MetricThreshold

    reg = Registry(store)
    reg.register(MARK, FIT, metrics={MARK: MARK}, tags={"t": MARK})
    reg.promote(
        MARK,
        1,
        gates=MetricThreshold("accuracy", minimum=0.5),
        context=GateContext(y_true=[0, 1], challenger=[0, 1]),
        reason=MARK,
    )
    assert reg.get(MARK, 1).metrics == {MARK: MARK}
    assert reg.history(MARK)[-1].reason == MARK
    q = LabelQueue(store, MARK)
    q.enqueue([{MARK: MARK}])
    [t] = q.lease(MARK)
    q.submit(t, MARK, MARK)
    q.resolve()
    assert q.export()[0]["label"] == MARK
    assert len(statements) > 10
    assert not [s for s in statements + driver_sql if "MARK" in s]
    assert store.check() == []


def test_submit_for_unknown_task_or_without_lease_is_refused(store_url):
    q = LabelQueue(Store(store_url))
    [tid] = q.enqueue(["a"])
    with pytest.raises(NotFoundError, match="no task 12345"):
        q.submit(12345, "ann", 1)
    with pytest.raises(LeaseError, match="not leased"):
        q.submit(tid, "ann", 1)
    q.lease("ann")
    with pytest.raises(LeaseError, match="leased to another worker"):
        q.submit(tid, "mallory", 1)
    assert q.answers() == []
    q.submit(tid, "ann", 1)
    assert len(q.answers()) == 1


def test_password_masked_in_repr():
    assert db._safe_url("postgresql+psycopg://u:s3cret@h:5432/d") == (
        "postgresql+psycopg://u:***@h:5432/d"
    )
