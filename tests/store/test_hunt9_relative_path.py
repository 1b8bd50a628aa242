"""A store opened by a relative path stays that file after ``os.chdir``.

The SQLite backend opened one connection per thread (and again after
``close()`` or in an unpickled copy) with the path as given, so a relative
path was resolved against the working directory of that moment: after a
``chdir`` another thread read another store of the same file name (a silent
wrong answer), or created an empty file and failed with "no such table".
"""

from __future__ import annotations

import pickle
import threading

import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.store import LabelQueue, Registry, Store


def _model():
    return DummyClassifier().fit([[0], [1]], [0, 1])


def _in_thread(fn):
    out = {}

    def target():
        try:
            out["value"] = fn()
        except Exception as exc:  # the assertion below shows it
            out["value"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return out["value"]


@pytest.fixture
def two_dirs(tmp_path, monkeypatch):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    Registry(Store(second / "life.db")).register("other", _model())
    monkeypatch.chdir(first)
    store = Store("life.db")
    Registry(store).register("mine", _model())
    LabelQueue(store, "q").enqueue(["an item"])
    monkeypatch.chdir(second)  # the same file name holds another store here
    return store


@pytest.mark.parametrize(
    ("reopen", "expected"),
    [
        pytest.param(lambda store: _in_thread(Registry(store).names), ["mine"], id="other-thread"),
        pytest.param(
            lambda store: (store.close(), Registry(store).names())[1], ["mine"], id="after-close"
        ),
        pytest.param(
            lambda store: Registry(pickle.loads(pickle.dumps(store))).names(),
            ["mine"],
            id="pickled",
        ),
        pytest.param(
            lambda store: _in_thread(lambda: [t.item for t in LabelQueue(store, "q").lease("ann")]),
            ["an item"],
            id="queue-thread",
        ),
    ],
)
def test_relative_store_path_survives_chdir(two_dirs, reopen, expected):
    assert reopen(two_dirs) == expected


def test_relative_store_path_keeps_its_repr(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = Store("life.db")
    assert store.url == "life.db"
    assert repr(store).startswith("Store('life.db'")
