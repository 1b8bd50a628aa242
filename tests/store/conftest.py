"""Fixtures for mllifecycle.store: a SQLite file, and a fresh PostgreSQL database.

PostgreSQL tests read the server's URL from MLLIFECYCLE_TEST_PG_URL (``.ci/run``
starts a server with ``.ci/start-postgres.sh`` and exports it); each test gets
a schema of its own, dropped afterwards. They skip, saying why, only when
the variable is unset or the server does not answer.
"""

from __future__ import annotations

import os
import uuid

import pytest

PG_ENV = "MLLIFECYCLE_TEST_PG_URL"


def _pg_admin_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is unset: no PostgreSQL server (run .ci/start-postgres.sh)")
    pytest.importorskip("sqlalchemy", reason="PostgreSQL tests need SQLAlchemy")
    pytest.importorskip("psycopg", reason="PostgreSQL tests need psycopg")
    return url


@pytest.fixture
def pg_url():
    """A fresh schema on the test server, selected through the URL's search_path.

    A schema per test is much cheaper than a database per test. Commits do not
    wait for the server's WAL flush (``synchronous_commit=off``): the same
    transactions, locks and isolation; only durability across a *server* crash
    is given up, and the tests kill clients, never the server.
    """
    import sqlalchemy as sa

    admin = _pg_admin_url()
    name = f"mlstore_{uuid.uuid4().hex[:12]}"
    try:
        engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    except sa.exc.OperationalError as exc:
        pytest.skip(f"PostgreSQL at {PG_ENV} is unreachable: {str(exc).splitlines()[0]}")
    options = f"-csearch_path={name} -csynchronous_commit=off"
    url = sa.engine.make_url(admin).update_query_dict({"options": options})
    yield url.render_as_string(hide_password=False)
    with engine.connect() as conn:
        conn.execute(sa.text("SET lock_timeout = '20s'"))
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path):
    return str(tmp_path / "store.db")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request):
    """A fresh store URL on each backend."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def asgi():
    """Call an ASGI app in-process: ``asgi(app, method, path, body=b"", headers=None)``.

    Returns ``(status, body text)``; ``path`` may hold a query string. The
    default header is ``content-type: application/json``.
    """
    import asyncio

    def call(app, method="GET", path="/", body=b"", headers=None):
        sent = []

        async def receive():
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message):
            sent.append(message)

        where, _, query = path.partition("?")
        scope = {"type": "http", "method": method, "path": where,
                 "query_string": query.encode(),
                 "headers": list(headers if headers is not None
                                 else [(b"content-type", b"application/json")]),
                 "http_version": "1.1", "scheme": "http", "server": ("test", 80),
                 "client": ("test", 1), "root_path": ""}
        asyncio.run(app(scope, receive, send))
        return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:]).decode()

    return call
