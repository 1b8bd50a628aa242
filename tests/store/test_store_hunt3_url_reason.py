"""Hunt: store URLs whose scheme is not lower case, and text the registry could not store.

URL schemes are case-insensitive (RFC 3986): ``SQLITE:////x.db`` failed with
SQLAlchemy's "Can't load plugin: sqlalchemy.dialects:SQLITE", and the
commands' "no such store file" check missed it. ``sqlite://x.db`` gave
SQLAlchemy's bare ``ArgumentError``, ``mysql://`` a ``ModuleNotFoundError``.
A promotion's or rollback's ``reason`` holding NUL was kept by SQLite and
refused by PostgreSQL's driver, and one holding a lone surrogate failed in
either driver, after the gates had run; tags, metrics and decisions holding
lone surrogates were stored and read back as text nothing can print.
"""

from __future__ import annotations

import argparse
import os

import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import Registry, Store, StoreError, portfolio

FIT = DummyClassifier().fit([[0], [1]], [0, 1])


@pytest.mark.parametrize("scheme", ["SQLITE", "Sqlite", "SQLite"])
def test_an_upper_case_sqlite_scheme_opens_the_file(tmp_path, scheme):
    path = tmp_path / "reg.db"
    Registry(Store(str(path))).register("m", FIT, format="pickle")
    store = Store(f"{scheme}:///{path}")  # an absolute path: four slashes
    assert store.dialect == "sqlite"
    assert store.url == str(path)
    assert Registry(store).names() == ["m"]


def test_an_upper_case_sqlite_scheme_of_nothing_is_in_memory():
    assert Store("SQLITE:///").url == ":memory:"
    assert Store("sqlite://").url == ":memory:"  # SQLAlchemy's in-memory form


def test_an_upper_case_postgresql_scheme_opens_the_server(pg_url):
    scheme, rest = pg_url.split("://", 1)
    store = Store(f"{scheme.upper()}://{rest}")
    assert store.dialect == "postgresql"
    assert store.url.startswith(f"{scheme}://")


@pytest.mark.parametrize(
    ("url", "match"),
    [
        ("sqlite://x.db", r"'url' parameter of Store must be a SQLite URL sqlite:///"),
        ("mysql://u:s3cret@h/d", r"'url'.*PostgreSQL URL.*Got a URL of scheme 'mysql'"),
        ("postgres://u:s3cret@h/d", r"'url'.*PostgreSQL URL.*Got a URL of scheme 'postgres'"),
    ],
)
def test_other_urls_are_refused_naming_url(url, match):
    with pytest.raises(InvalidParameterError, match=match) as info:
        Store(url)
    assert "s3cret" not in str(info.value)


def test_a_missing_driver_is_a_store_error_naming_it():
    pytest.importorskip("sqlalchemy")
    try:
        import pg8000  # noqa: F401
    except ModuleNotFoundError:
        pass
    else:  # pragma: no cover - depends on the environment
        pytest.skip("pg8000 is installed")
    with pytest.raises(StoreError, match=r"needs the driver module 'pg8000'") as info:
        Store("postgresql+pg8000://u:s3cret@127.0.0.1:9/d")
    assert "s3cret" not in str(info.value)


def test_the_registry_command_reads_an_upper_case_sqlite_url(tmp_path, capsys):
    from mllifecycle.cli import main

    path = tmp_path / "reg.db"
    Registry(Store(str(path))).register("m", FIT, format="pickle")
    assert main(["registry", "list", "--store", f"SQLITE:///{path}"]) == 0
    assert "\"m\"" in capsys.readouterr().out
    typo = tmp_path / "typo.db"
    assert main(["registry", "list", "--store", f"SQLITE:///{typo}"]) == 2
    assert "no file" in capsys.readouterr().err
    assert not typo.exists()  # a typo creates no empty store


def test_portfolio_refuses_an_upper_case_url_of_a_missing_file(tmp_path):
    typo = tmp_path / "typo.db"
    with pytest.raises(InvalidParameterError, match=r"'store' parameter of portfolio.*no file"):
        portfolio(f"Sqlite:///{typo}")
    assert not typo.exists()


@pytest.mark.parametrize("scheme", ["sqlite", "SQLITE", "Sqlite"])
@pytest.mark.parametrize("entry", ["store._serve.run", "labels._cli._run_serve"])
def test_labels_serve_refuses_a_missing_file_in_any_scheme_case(tmp_path, scheme, entry):
    # the command's own check read only a lower-case "sqlite:///" and passed
    # SQLITE:/// on as a path; the server behind it must refuse it too
    import importlib

    module, func = entry.rsplit(".", 1)
    run = getattr(importlib.import_module(f"mllifecycle.{module}"), func)
    typo = tmp_path / "typo.db"
    args = argparse.Namespace(store=f"{scheme}:///{typo}", host="127.0.0.1", port=0,
                              queue="default", choices=[], token=None)
    with pytest.raises(InvalidParameterError, match=r"'store' parameter.*no file"):
        run(args)
    assert not typo.exists()


def _promoted(url):
    from mllifecycle.gates import GateContext, MetricThreshold

    registry = Registry(Store(url))
    gate = MetricThreshold("accuracy", minimum=0.5)
    ctx = GateContext(y_true=[0, 1], challenger=[0, 1])
    for _ in range(2):
        v = registry.register("m", FIT, format="pickle")
        registry.promote("m", v.version, gates=gate, context=ctx)
    return registry, gate, ctx


@pytest.mark.parametrize("reason", ["a\x00b", "\ud800", "ok\udfff"])
def test_a_reason_no_text_column_stores_is_refused_on_both_backends(store_url, reason):
    registry, gate, ctx = _promoted(store_url)
    before = registry.history("m")
    with pytest.raises(InvalidParameterError, match=r"'reason' parameter of promote.*NUL"):
        registry.promote("m", 1, gates=gate, context=ctx, reason=reason)
    with pytest.raises(InvalidParameterError, match=r"'reason' parameter of rollback.*NUL"):
        registry.rollback("m", reason=reason)
    assert registry.history("m") == before
    assert registry.champion("m").version == 2
    assert registry.rollback("m", reason="") == 1  # an empty reason is still a reason


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"tags": {"team": "\ud800"}}, "tags"),
        ({"tags": {"\udc00": 1}}, "tags"),
        ({"metrics": {"auc\ud800": 0.5}}, "metrics"),
        ({"decision": {"reason": "drift \ud800"}}, "decision"),
    ],
)
def test_a_lone_surrogate_in_registered_text_is_refused(store_url, kwargs, name):
    registry = Registry(Store(store_url))
    with pytest.raises(InvalidParameterError, match=rf"'{name}' parameter of register.*surrogat"):
        registry.register("m", FIT, format="pickle", **kwargs)
    assert registry.names() == []
    v = registry.register("m", FIT, format="pickle", tags={"team": "\U0001f600"})
    assert v.tags == {"team": "\U0001f600"}


def test_a_relative_sqlite_url_is_relative_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Store("SQLITE:///rel.db")
    assert os.path.exists(tmp_path / "rel.db")


def test_a_reason_from_undecodable_command_line_bytes_is_refused_by_name(tmp_path, capsys):
    # Python reads the bytes b"\xff" of argv as the lone surrogate "\udcff": the
    # command stopped with the codec's "surrogates not allowed", after the gates
    from mllifecycle.cli import main

    db = str(tmp_path / "reg.db")
    Registry(Store(db)).register("m", FIT, format="pickle")
    y = tmp_path / "y.csv"
    y.write_text("label\n0\n1\n")
    argv = ["registry", "promote", "m", "1", "--y-true", str(y), "--challenger", str(y),
            "--minimum", "0.5", "--reason", "\udcff", "--store", db]
    assert main(argv) == 2
    [err] = capsys.readouterr().err.strip().splitlines()
    assert "'reason' parameter of promote" in err
    assert Registry(Store(db)).history("m")[-1].kind == "register"

