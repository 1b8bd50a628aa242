"""A store path that is a directory is refused saying so.

SQLite's "unable to open database file" did not say why.
"""

from __future__ import annotations

import pytest

from mllifecycle.store import Registry, Store, StoreError


def test_a_directory_is_named_as_one(tmp_path):
    with pytest.raises(StoreError, match=r"is a directory; give the path of a database file "
                                         r"in it, e.g. .*mllifecycle\.db"):
        Store(str(tmp_path))


def test_a_file_in_it_works(tmp_path):
    path = tmp_path / "mllifecycle.db"
    store = Store(str(path))
    assert Registry(store).names() == []  # an empty, usable store
    assert path.is_file()
