"""A built-in policy that could never see its signal is refused before any training.

``Periodic(every_time=...)`` without ``timestamps`` failed at the first batch,
after the initial model was fitted, with a bare ``ValueError`` (inside a
combinator the other policies' work was lost with it). A policy deciding on
the label-free estimate without ``performance_estimator``, and
``OnDrift(signal="confidence")`` with a model that has no ``predict_proba``,
silently never retrained (``estimated_metric`` / ``current_proba`` were None
at every batch).
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.drift.stream import PageHinkley
from mllifecycle.estimate import CBPE
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import (
    CostAware,
    LifecycleState,
    OnDrift,
    OnEstimatedPerformanceDrop,
    Periodic,
    any_of,
    budget,
    cooldown,
    recommended,
)
from mllifecycle.replay import replay


class _FitSpy:
    fits = 0

    def fit(self, X, y):
        type(self).fits += 1
        self.c = y[0]
        return self

    def predict(self, X):
        return np.full(len(X), self.c)

    def get_params(self, deep=True):
        return {}

    def set_params(self, **params):
        return self


@pytest.mark.parametrize("policy", [
    Periodic(every_time=3600),
    any_of(Periodic(every=500), Periodic(every_time=3600)),
    cooldown(budget(any_of(Periodic(every=500), Periodic(every_time=60.0)), 3), 10),
])
def test_refused_up_front_naming_timestamps_and_the_policy(policy):
    X = np.random.default_rng(0).normal(size=(1500, 2))
    y = (X[:, 0] > 0).astype(int)
    _FitSpy.fits = 0
    with pytest.raises(InvalidParameterError, match=r"'timestamps' parameter of replay.*"
                       r"policy 'time'.*Periodic\(every_time="):
        replay(X, y, _FitSpy(), {"ok": Periodic(every=500), "time": policy})
    assert _FitSpy.fits == 0


def test_with_timestamps_it_runs():
    X = np.random.default_rng(0).normal(size=(1500, 2))
    y = (X[:, 0] > 0).astype(int)
    r = replay(X, y, _FitSpy(), {"time": Periodic(every_time=200.0)},
               timestamps=np.arange(1500.0))
    assert r["time"].retrains == 2


def test_policy_alone_says_what_is_missing():
    with pytest.raises(InvalidParameterError, match=r"time_since_retrain.*timestamps"):
        Periodic(every_time=60).should_retrain(LifecycleState(step=10))


class _NoProba(_FitSpy):
    pass


class _Proba(_FitSpy):
    def fit(self, X, y):
        super().fit(X, y)
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        out = np.zeros((len(X), len(self.classes_)))
        out[:, 0] = 1.0
        return out


def _xy():
    X = np.random.default_rng(0).normal(size=(1500, 2))
    return X, (X[:, 0] > 0).astype(int)


@pytest.mark.parametrize(("policy", "what"), [
    (OnEstimatedPerformanceDrop(), "OnEstimatedPerformanceDrop"),
    (any_of(Periodic(every=500), CostAware(source="estimated")), "CostAware"),
    (cooldown(OnEstimatedPerformanceDrop(0.1), 100), "OnEstimatedPerformanceDrop"),
])
def test_estimate_policy_without_an_estimator_is_refused(policy, what):
    X, y = _xy()
    _FitSpy.fits = 0
    with pytest.raises(InvalidParameterError, match=r"'performance_estimator' parameter of "
                       rf"replay.*policy 'est'.*{what}"):
        replay(X, y, _FitSpy(), {"ok": Periodic(every=500), "est": policy})
    assert _FitSpy.fits == 0


def test_confidence_signal_without_predict_proba_is_refused():
    X, y = _xy()
    _FitSpy.fits = 0
    with pytest.raises(InvalidParameterError, match=r"'estimator' parameter of replay.*"
                       r"predict_proba.*policy 'conf'.*_NoProba"):
        replay(X, y, _NoProba(), {"conf": any_of(OnDrift(PageHinkley(), signal="confidence"))})
    assert _FitSpy.fits == 0


def test_what_can_see_its_signal_still_runs():
    X, y = _xy()
    policies = {
        "auto": CostAware(),  # the observed metric, without an estimator
        "rec": recommended(),
        "conf": OnDrift(PageHinkley(), signal="confidence"),
    }
    r = replay(X, y, _Proba(), policies)
    assert set(r) == set(policies)
    r = replay(X, y, _Proba(), {"est": OnEstimatedPerformanceDrop()},
               performance_estimator=CBPE())
    assert r["est"].n_evaluated == 500


def test_ondrift_without_a_detector_is_refused():
    # it reads state.drift, which the replay never fills: it could never retrain
    X, y = _xy()
    _FitSpy.fits = 0
    with pytest.raises(InvalidParameterError, match=r"'policies\[d\]' parameter of replay.*"
                       r"OnDrift\(detector=None\)"):
        replay(X, y, _FitSpy(), {"d": any_of(Periodic(every=500), OnDrift())})
    assert _FitSpy.fits == 0
