"""replay writing its retrains into a registry, and a policy reading the champion's reference.

Runs on the embedded SQLite store and, when MLLIFECYCLE_TEST_PG_URL is set, on
PostgreSQL (see conftest.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.datasets import sea_stream
from mllifecycle.drift import Reference
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import MetricThreshold
from mllifecycle.policies import LifecycleState, OnDrift, Periodic, SlidingWindow
from mllifecycle.replay import replay
from mllifecycle.store import Registry, Store, fingerprint

pytest.importorskip("skops", reason="the registry writes models with skops")

LR = LogisticRegression(solver="newton-cholesky")


@pytest.fixture(scope="module")
def sea():
    return sea_stream(5000, noise=0.05, rng=2)


@pytest.fixture(params=["sqlite", "postgresql"])
def registry(request):
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    store = Store(url)
    yield Registry(store)
    store.close()


def strip(result):
    d = result.to_dict(detail=True)
    for p in d["policies"].values():
        p.pop("compute_seconds")
    return d


def expected_parents(events):
    """The version deployed when each retrain was trained (versions 2, 3, ... in order)."""
    deployed, parents = 1, []
    for k, event in enumerate(events, start=2):
        parents.append(deployed)
        if event.deployed:
            deployed = k
    return parents


def test_every_retrain_is_a_version_with_lineage(sea, registry):
    ts = np.arange(sea.X.shape[0], dtype=float) * 60.0 + 1.7e9
    # a threshold some retrains fail on their holdout: promote and reject both happen
    gates = [MetricThreshold("accuracy", minimum=0.93)]
    kwargs = {
        "window": SlidingWindow(800),
        "gates": gates,
        "timestamps": ts,
        "retrain_cost": 50.0,
        "batch_size": 250,
    }
    policies = {"monthly": Periodic(every=600)}
    plain = replay(sea.X, sea.y, LR, policies, **kwargs)
    r = replay(sea.X, sea.y, LR, policies, registry=registry, model_name="churn", **kwargs)
    assert strip(r) == strip(plain)  # writing into a store changes no result
    run = r["monthly"]
    events = [e for e in run.events if "skipped" not in e.reason]
    assert {e.deployed for e in events} == {True, False}
    versions = registry.versions("churn")
    assert [v.version for v in versions] == list(range(1, len(events) + 2))
    first = versions[0]
    assert first.parent is None
    assert first.decision is None
    assert first.tags["train_start"] == 0
    assert first.tags["train_stop"] == 1000
    assert first.data.sha256 == fingerprint(sea.X[:1000], sea.y[:1000]).sha256
    parents = expected_parents(events)
    for v, event, parent in zip(versions[1:], events, parents, strict=True):
        lo, hi = event.train_start, event.train_stop
        assert v.decision["reason"] == event.reason
        assert v.decision["retrain"] is True
        assert (v.tags["train_start"], v.tags["train_stop"]) == (lo, hi)
        assert v.tags["step"] == event.step
        assert v.tags["replay_policy"] == "monthly"
        assert v.parent == parent
        assert v.n_labels == hi - lo
        assert v.cost == 50.0
        assert v.created_at == ts[event.step - 1]
        assert v.data.sha256 == fingerprint(sea.X[lo:hi], sea.y[lo:hi]).sha256
        # the stored model is the one trained on those rows (a deterministic fit)
        oracle = LogisticRegression(solver="newton-cholesky").fit(sea.X[lo:hi], sea.y[lo:hi])
        np.testing.assert_array_equal(
            registry.load("churn", v.version).predict_proba(sea.X[:200]),
            oracle.predict_proba(sea.X[:200]),
        )
        # the stored reference profiles exactly those training features
        shifted = sea.X[:300] + np.array([0.0, 3.0, 0.0])
        stored = registry.reference("churn", v.version).compare(shifted)
        fresh = Reference.fit(sea.X[lo:hi]).compare(shifted)
        assert stored.to_dict() == fresh.to_dict()
    # promotion went through the gates: one promote/reject per retrain, champion follows
    kinds = [e.kind for e in registry.history("churn") if e.kind in ("promote", "reject")]
    assert kinds == ["promote" if e.deployed else "reject" for e in events]
    last_deployed = max(k for k, e in enumerate(events, start=2) if e.deployed)
    assert registry.champion("churn").version == last_deployed


def test_without_gates_versions_are_registered_and_the_champion_left_alone(sea, tmp_path):
    registry = Registry(Store(str(tmp_path / "s.db")))
    r = replay(
        sea.X,
        sea.y,
        LR,
        {"a": Periodic(every=1500), "b": Periodic(every=2000)},
        registry=registry,
        model_name="risk",
    )
    assert registry.names() == ["risk/a", "risk/b"]
    assert len(registry.versions("risk/a")) == 1 + r["a"].retrains
    assert len(registry.versions("risk/b")) == 1 + r["b"].retrains
    assert registry.champion("risk/a") is None
    # every retrain deployed (no gates): each version's parent is the one before
    assert [v.parent for v in registry.versions("risk/a")] == [None, 1, 2]


def test_mapping_registers_only_the_named_policies(sea, tmp_path):
    registry = Registry(Store(str(tmp_path / "s.db")))
    replay(
        sea.X,
        sea.y,
        LR,
        {"a": Periodic(every=2000), "b": Periodic(every=2000)},
        registry=registry,
        model_name={"b": "fraud"},
    )
    assert registry.names() == ["fraud"]


def test_a_policy_reads_the_champions_reference(sea, tmp_path):
    """OnDrift on the registry's champion reference: the documented way."""
    registry = Registry(Store(str(tmp_path / "s.db")))
    replay(
        sea.X,
        sea.y,
        LR,
        {"m": Periodic(every=2000)},
        registry=registry,
        model_name="churn",
        gates=[MetricThreshold("accuracy", minimum=0.5)],
    )
    champion = registry.champion("churn")
    lo = champion.tags["train_start"]
    policy = OnDrift(registry.reference("churn"))
    # the batch is the rows lo:lo + 400, the latest seen at step lo + 400
    same = LifecycleState(step=lo + 400, current_X=sea.X[lo : lo + 400])
    moved = LifecycleState(
        step=lo + 400, current_X=sea.X[lo : lo + 400] + np.array([0.0, 4.0, 0.0])
    )
    assert not policy.should_retrain(same).retrain
    assert policy.should_retrain(moved).retrain


BAD = [
    ({"model_name": "x"}, InvalidParameterError, "'registry'"),
    ({"registry": "REG"}, InvalidParameterError, "'model_name'"),
    ({"registry": "REG", "model_name": ""}, InvalidParameterError, "'model_name'"),
    ({"registry": "REG", "model_name": {"zz": "x"}}, InvalidParameterError, "unknown name"),
    ({"registry": "REG", "model_name": {"p": 3}}, InvalidParameterError, r"'model_name\[p\]'"),
    ({"registry": object(), "model_name": "x"}, TypeError, r"'registry'.*lacks register"),
]


@pytest.mark.parametrize(("kwargs", "error", "message"), BAD)
def test_bad_registry_arguments(sea, tmp_path, kwargs, error, message):
    if kwargs.get("registry") == "REG":
        kwargs = {**kwargs, "registry": Registry(Store(str(tmp_path / "s.db")))}
    with pytest.raises(error, match=message):
        replay(sea.X[:1500], sea.y[:1500], LR, {"p": Periodic(every=300)}, **kwargs)
