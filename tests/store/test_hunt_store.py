"""Hunt: opening a file that is not a store."""

from __future__ import annotations

import pytest

from mllifecycle.cli import main
from mllifecycle.store import Store, StoreError


@pytest.mark.parametrize(
    "content", [b"size,score\n100,0.7\n", b"\x00" * 4096, b"SQLite format 3\x00" + b"\xff" * 200]
)
def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path, capsys, content):
    # raised sqlite3.DatabaseError "file is not a database" (the CLI: "unexpected
    # DatabaseError")
    path = tmp_path / "curve.csv"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=r"cannot open the store at .*curve.csv: "):
        Store(str(path))
    assert main(["registry", "list", "--store", str(path)]) == 2
    err = capsys.readouterr().err
    assert "cannot open the store at" in err
    assert "unexpected" not in err
    assert path.read_bytes() == content  # left as it was
