"""policies.select with a registry: each candidate under its own model, as replay does."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic, select
from mllifecycle.replay import replay

store = pytest.importorskip("mllifecycle.store")

rng = np.random.default_rng(0)
X = rng.normal(size=(600, 2))
Y = (X[:, 0] > 0).astype(int)
CANDIDATES = {"a": Periodic(every=100), "b": Periodic(every=200)}


def _lineages(registry, names):
    out = {}
    for name in names:
        try:
            out[name] = [v.tags["replay_policy"] for v in registry.versions(name)]
        except Exception:  # no such model
            out[name] = None
    return out


def test_select_registers_each_candidate_as_replay_does():
    by_select = store.Registry(store.Store(":memory:"))
    by_replay = store.Registry(store.Store(":memory:"))
    select(X, Y, GaussianNB(), CANDIDATES, initial_train_size=200, registry=by_select,
           model_name="m")
    replay(X, Y, GaussianNB(), CANDIDATES, initial_train_size=200, registry=by_replay,
           model_name="m")
    names = ("m", "m/a", "m/b")
    got = _lineages(by_select, names)
    # before: both candidates' models were versions of the one model "m"
    assert got == _lineages(by_replay, names)
    assert got == {"m": None, "m/a": ["a"] * 5, "m/b": ["b"] * 3}


def test_select_model_name_mapping():
    registry = store.Registry(store.Store(":memory:"))
    select(X, Y, GaussianNB(), CANDIDATES, initial_train_size=200, registry=registry,
           model_name={"b": "only-b"})
    assert _lineages(registry, ("only-b", "a")) == {"only-b": ["b"] * 3, "a": None}
    with pytest.raises(
        InvalidParameterError,
        match=r"'model_name' parameter of select must be a mapping whose keys are candidate "
        r"names\. Got unknown name\(s\) \['c'\] instead",
    ):
        select(X, Y, GaussianNB(), CANDIDATES, initial_train_size=200, registry=registry,
               model_name={"c": "x"})
