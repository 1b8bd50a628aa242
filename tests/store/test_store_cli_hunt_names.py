"""Hunt: ``mllifecycle registry`` prints a model's name as the registry stores it.

Names are NFC-normalised, so ``rollback`` given ``"cafe\\u0301"`` (``e`` and a
combining accent) acted on the model ``list`` shows as ``"caf\\u00e9"`` but
printed the name as typed: its JSON matched no model of ``list`` or ``history``.
"""

from __future__ import annotations

import json
import unicodedata

import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.cli import main
from mllifecycle.gates import GateContext, MetricThreshold
from mllifecycle.store import Registry, Store

pytest.importorskip("skops")

COMPOSED = "caf\u00e9 model"
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "reg.db")
    reg = Registry(Store(path))
    gate = MetricThreshold("accuracy", minimum=0.5)
    ctx = GateContext(y_true=[0, 1], challenger=[0, 1])
    for _ in range(2):
        v = reg.register(COMPOSED, DummyClassifier().fit([[0], [1]], [0, 1]))
        reg.promote(COMPOSED, v.version, gates=gate, context=ctx)
    reg.store.close()
    return path


def _json(capsys):
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("typed", [COMPOSED, DECOMPOSED])
def test_rollback_prints_the_stored_name(db, capsys, typed):
    assert main(["registry", "rollback", typed, "--store", db]) == 0
    out = _json(capsys)
    assert out == {"name": COMPOSED, "champion": 1}
    assert main(["registry", "list", "--store", db]) == 0
    [model] = _json(capsys)
    assert model["name"] == out["name"]
    assert model["champion"] == out["champion"]


@pytest.mark.parametrize("typed", [COMPOSED, DECOMPOSED])
def test_show_and_history_print_the_stored_name(db, capsys, typed):
    assert main(["registry", "show", typed, "--version", "2", "--store", db]) == 0
    assert _json(capsys)["name"] == COMPOSED
    assert main(["registry", "history", typed, "--store", db]) == 0
    assert {e["name"] for e in _json(capsys)} == {COMPOSED}
