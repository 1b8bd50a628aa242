"""The same store operations give the same answers on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import LabelQueue, Registry, Store, portfolio

from .conftest import _pg_admin_url

NAMES = ["b", "B", "a", "_x", "é", "e"]


@pytest.fixture
def pg_icu_url():
    """A fresh PostgreSQL database whose collation is ICU's en-US (not C)."""
    import sqlalchemy as sa

    admin = _pg_admin_url()
    name = f"mlstore_icu_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(
                f"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu "
                "ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
            ))
    except sa.exc.OperationalError as exc:
        pytest.skip(f"PostgreSQL is unreachable: {str(exc).splitlines()[0]}")
    url = sa.engine.make_url(admin).set(database=name)
    yield url.render_as_string(hide_password=False)
    with engine.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    engine.dispose()


def _listings(url: str) -> tuple[list[str], list[str], list[str]]:
    store = Store(url)
    registry = Registry(store)
    model = DummyClassifier().fit([[0], [1]], [0, 1])
    for name in NAMES:
        registry.register(name, model, cost=0.1)
    out = (
        registry.names(),
        [m["name"] for m in registry.models()],
        [m.name for m in portfolio(store).models],
    )
    store.close()
    return out


@pytest.mark.slow  # creates and drops a PostgreSQL database
def test_model_order_does_not_depend_on_the_database_collation(sqlite_url, pg_icu_url):
    # PostgreSQL sorted by its collation (en-US: "_x", "a", ..., "b", "B", ...),
    # SQLite by code point: one registry listed in two orders
    expected = sorted(NAMES)
    lite = _listings(sqlite_url)
    pg = _listings(pg_icu_url)
    assert lite == (expected, expected, expected)
    assert pg == lite


@pytest.mark.parametrize("where", ["queue", "enqueue"])
@pytest.mark.parametrize("redundancy", [2**31, 2**63 - 1])
def test_redundancy_beyond_an_integer_column_is_refused_on_every_backend(
    store_url, where, redundancy
):
    # needed is an INTEGER column: 32 bits on PostgreSQL, whose driver failed
    # with "integer out of range" where SQLite stored the number
    store = Store(store_url)
    if where == "queue":
        call = lambda: LabelQueue(store, redundancy=redundancy)  # noqa: E731
    else:
        call = lambda: LabelQueue(store).enqueue(["a"], redundancy=redundancy)  # noqa: E731
    with pytest.raises(InvalidParameterError, match=r"redundancy.*\[1, 2147483647\]"):
        call()
    assert sum(LabelQueue(store).counts().values()) == 0  # nothing stored
    store.close()


def test_largest_redundancy_is_stored_on_every_backend(store_url):
    store = Store(store_url)
    queue = LabelQueue(store, redundancy=2**31 - 1)
    [task] = queue.enqueue(["a"])
    [leased] = queue.lease("ann")
    assert leased.id == task
    store.close()


@pytest.mark.parametrize(
    "name",
    ["q" * 2001, "\U0001f600" * 501, "é" * 1001],
    ids=["ascii-2001", "emoji-501", "e-acute-1001"],
)
def test_queue_name_too_long_to_index_is_refused_on_every_backend(store_url, name):
    # PostgreSQL's btree over (queue, status, priority) refused such a name at
    # the first enqueue ("index row size ... exceeds btree maximum 2704");
    # SQLite stored it
    store = Store(store_url)
    size = len(name.encode("utf-8"))
    with pytest.raises(InvalidParameterError, match=rf"'name'.*2000 bytes.*{size} bytes"):
        LabelQueue(store, name)
    store.close()


def test_longest_queue_name_is_stored_on_every_backend(store_url):
    import random
    import string

    rng = random.Random(0)  # incompressible text: PostgreSQL compresses no index entry
    name = "".join(rng.choice(string.ascii_letters) for _ in range(1000)) + "é" * 500
    store = Store(store_url)
    queue = LabelQueue(store, name)
    queue.enqueue(["a", "b"])
    [task] = queue.lease("ann")
    queue.submit(task, "ann", "yes")
    assert queue.resolve() == 1  # status "resolved": the longest index entry
    assert queue.counts()["resolved"] == 1
    store.close()


def test_long_queue_name_the_store_already_holds_is_still_opened(sqlite_url):
    name = "q" * 3000
    store = Store(sqlite_url)
    with store._write() as tx:  # as an earlier release wrote it
        tx.execute(
            "INSERT INTO label_tasks (queue, item, priority, needed, n_answers, status, "
            "created_at) VALUES (:q, '\"a\"', 0, 1, 0, 'open', 0)",
            {"q": name},
        )
    assert LabelQueue(store, name).counts()["open"] == 1
    store.close()


@pytest.mark.parametrize("priority", [[10**400, 1.0], (0.5, -(2**1100)), np.array([1, 10**400],
                                                                                   dtype=object)])
def test_priority_int_beyond_the_float_range_is_refused_naming_it(priority):
    # np.asarray(..., dtype=float) raised a bare OverflowError ("int too large
    # to convert to float"), naming no argument; one such number alone was refused
    queue = LabelQueue(Store(":memory:"))
    with pytest.raises(InvalidParameterError, match=r"'priority'.*finite numbers.*float range"):
        queue.enqueue(["a", "b"], priority=priority)
    assert sum(queue.counts().values()) == 0


def test_negative_zero_reads_back_alike_on_every_backend(store_url):
    # SQLite reads -0.0 back as 0.0, PostgreSQL kept the sign: the same call
    # printed created_at=-0.0 on one backend and 0.0 on the other
    import math

    store = Store(store_url)
    model = DummyClassifier().fit([[0], [1]], [0, 1])
    version = Registry(store).register("m", model, created_at=-0.0, cost=-0.0)
    queue = LabelQueue(store)
    queue.enqueue(["a"], priority=-0.0)
    queue.enqueue(["b"], priority=[-0.0])
    leased = queue.lease("ann", n_tasks=2)
    signs = [math.copysign(1.0, v) for v in (version.created_at, version.cost,
                                               *(t.priority for t in leased))]
    assert signs == [1.0] * 4
    store.close()
