"""Hunt: ``mllifecycle registry promote`` on label files with a byte-order mark."""

from __future__ import annotations

import json

import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.cli import main
from mllifecycle.store import Registry, Store

pytest.importorskip("skops")


@pytest.mark.parametrize("header", ["", "label\n"])
def test_bom_does_not_drop_the_first_label(tmp_path, capsys, header):
    # without a header, "\ufeff0" was not a number, so the first row was taken
    # for a header and dropped from both files: accuracy 3/3 instead of 3/4,
    # and a version below the floor was promoted
    db = str(tmp_path / "reg.db")
    Registry(Store(db)).register("m", DummyClassifier().fit([[0], [1]], [0, 1]))
    y, chal = tmp_path / "y.csv", tmp_path / "c.csv"
    y.write_bytes(b"\xef\xbb\xbf" + (header + "0\n1\n1\n1\n").encode())
    chal.write_bytes(b"\xef\xbb\xbf" + (header + "1\n1\n1\n1\n").encode())
    code = main(["registry", "promote", "m", "1", "--store", db, "--y-true", str(y),
                 "--challenger", str(chal), "--minimum", "0.9"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert out["passed"] is False
    assert out["report"]["n_samples"] == 4
    assert out["report"]["results"][0]["evidence"]["value"] == 0.75
