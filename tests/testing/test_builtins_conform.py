"""Every built-in passes the same `mllifecycle.testing` check a user runs on their
own object. Built-ins are discovered from each package's `__all__`, so a new
policy, window, gate, sampler, two-sample test or query strategy is checked
without anyone remembering to add it (a class that needs constructor
arguments must get a factory below, or this test says so)."""

from __future__ import annotations

import importlib
import inspect

import numpy as np
import pytest

from mllifecycle import testing
from mllifecycle.policies import LifecycleState


def _public(modname, pred):
    mod = importlib.import_module(modname)
    return {n: getattr(mod, n) for n in mod.__all__ if pred(getattr(mod, n))}


def _states(n=12):
    rng = np.random.default_rng(0)
    out = []
    for i in range(1, n + 1):
        out.append(
            LifecycleState(
                step=1000 + 200 * i,
                samples_since_retrain=200 * i,
                new_errors=(rng.random(200) < (0.1 if i < 6 else 0.4)).astype(float),
                metric=0.9 if i < 6 else 0.6,
                metric_n=200 * i,
                labels_available=1000 + 200 * i,
            )
        )
    return out


def _after_1000(state):
    return state.samples_since_retrain > 1000


def _always(context):
    return True


# ----------------------------------------------------------------- policies
POLICY_FACTORIES = {
    "FunctionPolicy": lambda P: P.FunctionPolicy(_after_1000),
    "OnDrift": lambda P: P.OnDrift(),
    "Oracle": lambda P: P.Oracle([1500]),
    "AnyOf": lambda P: P.AnyOf((P.Periodic(every=1000), P.OnDrift())),
    "AllOf": lambda P: P.AllOf((P.Periodic(every=1000), P.OnDrift())),
    "Cooldown": lambda P: P.Cooldown(P.Periodic(every=400), min_samples=800),
    "Budget": lambda P: P.Budget(P.Periodic(every=400), max_retrains=2),
    "Periodic": lambda P: P.Periodic(every=1000),
}
WINDOW_FACTORIES = {
    "SlidingWindow": lambda P: P.SlidingWindow(500),
    "SinceLastDrift": lambda P: P.SinceLastDrift(300),
    "RecencyWeights": lambda P: P.RecencyWeights(400.0),
}


def _build(factories, name, cls, module):
    if name in factories:
        return factories[name](module)
    if "random_state" in inspect.signature(cls).parameters:
        return cls(random_state=0)  # the checks ask for reproducible objects
    required = [
        p for p in inspect.signature(cls).parameters.values()
        if p.default is inspect.Parameter.empty and p.kind != p.VAR_KEYWORD
    ]
    if required:
        pytest.fail(f"{name} needs {[p.name for p in required]}: add a factory to this test")
    return cls()


P = importlib.import_module("mllifecycle.policies")
POLICIES = _public("mllifecycle.policies", lambda o: inspect.isclass(o)
                   and callable(getattr(o, "should_retrain", None)))
WINDOWS = _public("mllifecycle.policies", lambda o: inspect.isclass(o)
                  and callable(getattr(o, "select", None)))


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_every_policy_passes_check_policy(name):
    testing.check_policy(_build(POLICY_FACTORIES, name, POLICIES[name], P), _states())


def test_recommended_passes_check_policy():
    testing.check_policy(P.recommended(), _states())


@pytest.mark.parametrize("name", sorted(WINDOWS))
def test_every_window_passes_check_window(name):
    testing.check_window(_build(WINDOW_FACTORIES, name, WINDOWS[name], P), _states())


# -------------------------------------------------------------------- gates
G = importlib.import_module("mllifecycle.gates")
GATE_FACTORIES = {
    "FunctionGate": lambda G: G.FunctionGate(_always, name="always"),
    "MetricThreshold": lambda G: G.MetricThreshold("accuracy", minimum=0.5),
    "NoRegression": lambda G: G.NoRegression("accuracy", margin=0.01, n_resamples=500),
    "SignificantImprovement": lambda G: G.SignificantImprovement("accuracy", n_resamples=500),
    "SliceNoRegression": lambda G: G.SliceNoRegression("accuracy", n_resamples=300),
    "CalibrationNoWorse": lambda G: G.CalibrationNoWorse(n_resamples=300),
}
GATES = _public("mllifecycle.gates", lambda o: inspect.isclass(o)
                and callable(getattr(o, "check", None)) and not getattr(o, "_is_protocol", False))


@pytest.mark.parametrize("name", sorted(GATES))
def test_every_gate_passes_check_gate(name):
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 400)
    pa = np.clip(y * 0.6 + 0.2 + rng.normal(0, 0.15, 400), 0.01, 0.99)
    pb = np.clip(y * 0.7 + 0.15 + rng.normal(0, 0.15, 400), 0.01, 0.99)
    ctx = G.GateContext(
        y_true=y,
        champion=(pa > 0.5).astype(int),
        challenger=(pb > 0.5).astype(int),
        champion_proba=pa,
        challenger_proba=pb,
        slices=rng.choice(["a", "b"], 400),
        rng=0,
    )
    testing.check_gate(_build(GATE_FACTORIES, name, GATES[name], G), ctx)


# -------------------------------------------------------------- samplers
A = importlib.import_module("mllifecycle.augment")
SAMPLER_FACTORIES = {
    "SMOTENC": lambda A: A.SMOTENC(categorical_features=[0], random_state=0),
    "SMOTER": lambda A: A.SMOTER(n_samples=30, random_state=0),
}
SAMPLERS = _public("mllifecycle.augment", lambda o: inspect.isclass(o)
                   and callable(getattr(o, "fit_resample", None)))


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_every_sampler_passes_check_sampler(name):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(120, 3))
    X[:, 0] = rng.integers(0, 3, 120)
    if name == "SMOTER":  # a continuous target with a rare upper tail
        rng = np.random.default_rng(1)
        X = rng.normal(size=(120, 2))
        y = np.exp(X[:, 0]) + 0.1 * rng.normal(size=120)
    else:
        y = np.r_[np.zeros(100, int), np.ones(20, int)]
    sampler = _build(SAMPLER_FACTORIES, name, SAMPLERS[name], A)
    testing.check_sampler(sampler, X, y)


# ------------------------------------------------------- two-sample tests
D = importlib.import_module("mllifecycle.drift")
TWO_SAMPLE = _public(
    "mllifecycle.drift",
    lambda o: inspect.isfunction(o)
    and list(inspect.signature(o).parameters)[:2] == ["reference", "current"]
    and o.__name__ != "detect",
)


@pytest.mark.parametrize("name", sorted(TWO_SAMPLE))
def test_every_two_sample_test_passes_check_two_sample_test(name):
    rng = np.random.default_rng(3)
    multivariate = name in {"mmd", "energy", "classifier_drift"}
    shape = (80, 2) if multivariate else (80,)
    testing.check_two_sample_test(TWO_SAMPLE[name], rng.normal(size=shape),
                                  rng.normal(size=shape))


# ------------------------------------------------------- query strategies
L = importlib.import_module("mllifecycle.labels")
STRATEGIES = {
    n: L.__dict__[n]
    for n in L.__all__
    if inspect.isfunction(L.__dict__[n])
    and "X_pool" in inspect.signature(L.__dict__[n]).parameters
}


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_every_query_strategy_passes_check_query_strategy(name):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(4)
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] > 0).astype(int)
    committee = name in {"vote_entropy", "kl_divergence"}
    est = (RandomForestClassifier(n_estimators=5, random_state=0) if committee
           else LogisticRegression()).fit(X[:30], y[:30])
    testing.check_query_strategy(STRATEGIES[name], est, X[30:], X_labelled=X[:30])


def test_discovery_finds_every_family():
    assert len(POLICIES) >= 10
    assert len(WINDOWS) >= 4
    assert len(GATES) >= 5
    assert len(SAMPLERS) >= 8
    assert len(TWO_SAMPLE) >= 10
    assert len(STRATEGIES) >= 8
