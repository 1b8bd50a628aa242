"""Registry: a drift reference of other columns than the data, and re-promoting the champion.

``register(data=..., reference=...)`` stored a reference fitted on other
columns (fewer, more, or the same in another order); monitoring from the
registry then compared column by column with the wrong columns. Promoting
the version that already was the champion recorded a ``"promote"`` that
moved nothing (history, and the portfolio's ``n_promotions``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.drift import Reference
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import GateContext, MetricThreshold
from mllifecycle.store import Registry, Store, portfolio

pytest.importorskip("skops")

rng = np.random.default_rng(0)
X = pd.DataFrame(rng.normal(size=(40, 3)), columns=["a", "b", "c"])
y = (X["a"] > 0).astype(int).to_numpy()
MODEL = DummyClassifier().fit(X, y)


@pytest.fixture
def reg():
    return Registry(Store(":memory:"))


@pytest.mark.parametrize(
    ("data", "ref", "match"),
    [
        ((X, y), X[["a", "b"]], r"fitted on the 3 column\(s\) of data \['a', 'b', 'c'\]. "
                                r"Got a Reference of 2 column\(s\) \['a', 'b'\]"),
        (X, X[["a"]], r"3 column\(s\).*Got a Reference of 1 column"),
        ((X.to_numpy(), y), X.to_numpy()[:, :2], r"3 column\(s\) of data \['x0', 'x1', 'x2'\]"),
        ((X, y), X[["c", "b", "a"]], r"fitted on the columns of data \['a', 'b', 'c'\] \(in that "
                                     r"order\). Got a Reference of columns \['c', 'b', 'a'\]"),
        ((X[["a"]], y), X[["b"]], r"columns of data \['a'\].*columns \['b'\]"),
    ],
)
def test_reference_of_other_columns_is_refused(reg, data, ref, match):
    with pytest.raises(InvalidParameterError, match=r"'reference' parameter of register"):
        reg.register("m", MODEL, data=data, reference=Reference.fit(ref))
    with pytest.raises(InvalidParameterError, match=match):
        reg.register("m", MODEL, data=data, reference=Reference.fit(ref))
    assert reg.names() == []  # nothing stored


@pytest.mark.parametrize(
    ("data", "ref"),
    [
        ((X, y), X),
        (X, X),
        ((X, y), X.to_numpy()),  # an array's reference compares by position
        ((X.to_numpy(), y), X),
        ((X.to_numpy(), None), X.to_numpy()),
    ],
)
def test_matching_reference_is_stored(reg, data, ref):
    v = reg.register("m", MODEL, data=data, reference=Reference.fit(ref))
    assert v.has_reference
    assert reg.reference("m", 1).names == Reference.fit(ref).names


def test_reference_without_data_is_unchecked(reg):
    assert reg.register("m", MODEL, reference=Reference.fit(X[["a"]])).has_reference


GOOD = GateContext(y_true=[0, 1, 1, 0], challenger=[0, 1, 1, 0])
BAD = GateContext(y_true=[0, 1, 1, 0], challenger=[1, 0, 0, 1])
GATE = MetricThreshold("accuracy", minimum=0.9)


def test_promoting_the_champion_again_records_nothing(reg):
    reg.register("m", MODEL)
    reg.register("m", MODEL)
    assert reg.promote("m", 1, gates=GATE, context=GOOD).passed
    with pytest.warns(UserWarning, match=r"version 1 is already the champion of model 'm'"):
        again = reg.promote("m", 1, gates=GATE, context=GOOD, reason="nightly")
    assert (again.passed, again.previous, again.champion) == (True, 1, 1)
    assert [e.kind for e in reg.history("m")] == ["register", "register", "promote"]
    assert reg.champion("m").version == 1
    summary = portfolio(reg.store).models[0]
    assert (summary.n_promotions, summary.champion) == (1, 1)
    # a rollback still walks back to the champion before
    assert reg.promote("m", 2, gates=GATE, context=GOOD).champion == 2
    with pytest.warns(UserWarning, match="already the champion"):
        reg.promote("m", 2, gates=GATE, context=GOOD)
    assert reg.rollback("m") == 1


def test_champion_failing_its_gates_again_is_a_reject_and_stays(reg):
    reg.register("m", MODEL)
    reg.promote("m", 1, gates=GATE, context=GOOD)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = reg.promote("m", 1, gates=GATE, context=BAD)
    assert (out.passed, out.previous, out.champion) == (False, 1, 1)
    assert [e.kind for e in reg.history("m")] == ["register", "promote", "reject"]
    assert reg.champion("m").version == 1


def test_first_promotion_and_promotions_of_others_do_not_warn(reg):
    reg.register("m", MODEL)
    reg.register("m", MODEL)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert reg.promote("m", 1, gates=GATE, context=GOOD).champion == 1
        assert reg.promote("m", 2, gates=GATE, context=GOOD).champion == 2
        assert reg.promote("m", 1, gates=GATE, context=GOOD).champion == 1
    assert [e.kind for e in reg.history("m")][2:] == ["promote"] * 3
