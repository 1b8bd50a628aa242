"""Rolling back to the version that already is the champion records nothing."""

from __future__ import annotations

import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.gates import GateContext, MetricThreshold
from mllifecycle.store import Registry, Store, portfolio

pytest.importorskip("skops")

GATE = MetricThreshold("accuracy", minimum=0.5)
CTX = GateContext(y_true=[0, 1], challenger=[0, 1])


def _two_champions(url: str) -> Registry:
    reg = Registry(Store(url))
    for _ in range(2):
        v = reg.register("churn", DummyClassifier().fit([[0], [1]], [0, 1]))
        reg.promote("churn", v.version, gates=GATE, context=CTX)
    return reg


@pytest.mark.parametrize("backend", ["sqlite", "pg"])
def test_rollback_to_the_champion_is_a_no_op(backend, request):
    url = request.getfixturevalue(f"{backend}_url")
    reg = _two_champions(url)
    with pytest.warns(UserWarning, match="already the champion"):
        assert reg.rollback("churn", to=2) == 2
    # it was recorded as a rollback: history and n_rollbacks 1 with no change
    assert [e.kind for e in reg.history("churn")] == ["register", "promote"] * 2
    assert portfolio(reg.store).models[0].n_rollbacks == 0
    assert reg.champion("churn").version == 2
    # a real rollback still walks back, and is recorded
    assert reg.rollback("churn") == 1
    assert [e.kind for e in reg.history("churn")][-1] == "rollback"
    assert portfolio(reg.store).models[0].n_rollbacks == 1
