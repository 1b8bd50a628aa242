"""The command's status survives an output encoding without the report's characters.

On a Windows console (cp1252) or with ``PYTHONIOENCODING=ascii``, printing a
report that names a column outside that encoding raised UnicodeEncodeError,
a ValueError, so the command exited 2 ("bad input") with no report: drift
found (exit 1) read as an error, and no drift (exit 0) as well.
"""

from __future__ import annotations

import io
import sys

import numpy as np
import pytest

from mllifecycle.cli import main


def _write(path, column, values):
    path.write_text(column + "\n" + "\n".join(f"{v:.6f}" for v in values) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(0)
    column = "temp\u00e9rature \u6e29\u5ea6"
    ref = _write(tmp_path / "ref.csv", column, rng.normal(size=300))
    same = _write(tmp_path / "same.csv", column, rng.normal(size=300))
    shifted = _write(tmp_path / "shifted.csv", column, rng.normal(1.0, size=300))
    return ref, same, shifted


def _run(argv, encoding, monkeypatch):
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding=encoding, write_through=True)
    monkeypatch.setattr(sys, "stdout", out)
    status = main(argv)
    out.flush()
    return status, raw.getvalue().decode(encoding)


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
@pytest.mark.parametrize(("current", "expected"), [(1, 0), (2, 1)], ids=["no-drift", "drift"])
def test_report_naming_unencodable_column_keeps_the_status(
    files, encoding, current, expected, monkeypatch, capsys
):
    argv = ["drift", files[0], files[current]]
    utf8_status, utf8_text = _run(argv, "utf-8", monkeypatch)
    status, text = _run(argv, encoding, monkeypatch)
    assert utf8_status == status == expected
    assert "error" not in capsys.readouterr().err
    # the column is named with escapes where the encoding lacks its characters
    assert "temp" in text
    assert "\\u6e29\\u5ea6" in text
    assert text.count("\n") == utf8_text.count("\n")
