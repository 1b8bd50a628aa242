"""Staged refits, the post-deployment floor, the oracle, recommended() and the no-stall case."""

from __future__ import annotations

import math
import pickle
import typing

import attrs
import numpy as np
import pytest
from scipy import stats

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import (
    AnyOf,
    CostAware,
    ExpandingWindow,
    FunctionPolicy,
    LifecycleState,
    OnDrift,
    OnPerformanceDrop,
    OnSettledBelowFloor,
    OnStaleness,
    Oracle,
    Periodic,
    RecencyWeights,
    SinceLastDrift,
    SlidingWindow,
    cooldown,
    recommended,
)
from mllifecycle.testing import check_policy


def _errors(n_ok, n_bad):
    return np.r_[np.zeros(n_ok), np.ones(n_bad)]


# ---- the floor ----------------------------------------------------------------


def _floor_after_first_model(**kw):
    p = OnSettledBelowFloor(min_samples=100, max_samples=200, **kw)
    d = p.should_retrain(
        LifecycleState(step=1200, labels_available=1200, new_errors=_errors(190, 10))
    )
    assert not d.retrain
    assert "first level accepted" in d.reason
    return p


def test_floor_fires_below_the_level_before_the_change_with_the_z_bound():
    p = _floor_after_first_model()
    # 100 labels at 80%: the gap 0.95 - 0.80 minus z * sqrt(s^2 + s0^2) by hand
    acc, floor = 0.8, 0.95
    bound = (floor - acc) - stats.norm.ppf(0.95) * math.sqrt(
        acc * (1 - acc) / 100 + floor * (1 - floor) / 200
    )
    assert bound > 0
    d = p.should_retrain(
        LifecycleState(
            step=1400, labels_available=1400, model_version=1, new_errors=_errors(80, 20)
        )
    )
    assert d.retrain
    assert d.change_point == 1300
    assert "try 1 of 2" in d.reason


def test_floor_stays_quiet_within_sampling_noise():
    p = _floor_after_first_model()
    # 92% on 100 labels is within noise of 95% on 200: no retrain, then accepted
    s = LifecycleState(step=1400, labels_available=1400, model_version=1, new_errors=_errors(92, 8))
    assert not p.should_retrain(s).retrain
    d = p.should_retrain(attrs.evolve(s, step=1500, labels_available=1500))
    assert not d.retrain
    assert "accepted" in d.reason


def test_floor_first_try_uses_the_last_change_point_then_the_deployment():
    p = _floor_after_first_model()
    d = p.should_retrain(
        LifecycleState(
            step=1400,
            labels_available=1400,
            model_version=1,
            new_errors=_errors(70, 30),
            last_change_point=1250,
        )
    )
    assert d.change_point == 1250
    d = p.should_retrain(
        LifecycleState(
            step=1600,
            labels_available=1600,
            model_version=2,
            new_errors=_errors(70, 30),
            last_change_point=1250,
        )
    )
    assert d.retrain
    assert d.change_point == 1500


def test_floor_accepts_the_new_level_after_max_tries():
    p = _floor_after_first_model(max_tries=2)
    fired = []
    for v in range(1, 5):
        d = p.should_retrain(
            LifecycleState(
                step=1200 + 200 * v,
                labels_available=1200 + 200 * v,
                model_version=v,
                new_errors=_errors(70, 30),
            )
        )
        fired.append(d.retrain)
    assert fired == [True, True, False, False]  # third failure: accepted, then quiet


def test_floor_watch_catches_a_slow_decline_of_an_accepted_model():
    p = _floor_after_first_model()
    s = LifecycleState(step=1300, labels_available=1300, new_errors=_errors(150, 50))
    d = p.should_retrain(s)
    assert d.retrain
    assert d.change_point == 1100
    assert "slow decline" in d.reason
    q = _floor_after_first_model(watch=False)
    assert not q.should_retrain(s).retrain


# ---- OnDrift's staged refits through the default ----------------------------


def test_on_drift_default_schedule_is_500_1000_2000_4000():
    assert OnDrift().refits == (500, 1000, 2000, 4000)
    assert OnDrift(refits=700).refits == (700,)


def test_refit_initial_grows_the_first_model_on_all_rows():
    p = OnDrift(_Never(), refit_initial=True)
    at = [
        p.should_retrain(LifecycleState(step=s, labels_available=s, new_errors=np.zeros(100)))
        for s in range(1100, 4200, 100)
    ]
    fired = [
        (s, d.change_point) for s, d in zip(range(1100, 4200, 100), at, strict=True) if d.retrain
    ]
    assert fired == [(2000, 0), (4000, 0)]


class _Never:
    drift_detected = False

    def update(self, x):
        return False

    def update_many(self, xs):
        return np.array([], dtype=np.intp)

    def reset(self):
        pass


# ---- baseline="best" forgets after max_tries, the detected change point ----------


def test_best_baseline_accepts_a_lower_level_after_max_tries():
    p = OnPerformanceDrop(0.02, min_samples=100, max_tries=1)
    s = LifecycleState(step=1, metric=0.95, metric_n=500)
    assert not p.should_retrain(s).retrain  # learns 0.95
    s1 = attrs.evolve(s, metric=0.80, model_version=1)
    assert not p.should_retrain(s1).retrain  # learned 0.80: one try below the best
    assert p.should_retrain(s1).retrain  # still below the best: retrain
    s2 = attrs.evolve(s, metric=0.80, model_version=2)
    d = p.should_retrain(s2)
    assert "accepted" in d.reason
    assert not p.should_retrain(s2).retrain  # the new level is the baseline now


def test_drop_change_point_is_the_most_likely_rise_of_the_error_rate():
    p = OnPerformanceDrop(0.05, baseline=0.95, min_samples=100)
    rng = np.random.default_rng(0)
    labels = 0
    d = None
    for k in range(20):
        p_err = 0.05 if k < 12 else 0.4  # the error rate rises at label 1200
        errs = (rng.random(100) < p_err).astype(float)
        labels += 100
        acc = 1 - errs.mean()
        d = p.should_retrain(
            LifecycleState(
                step=labels,
                labels_available=labels,
                new_errors=errs,
                metric=float(acc),
                metric_n=100,
            )
        )
    assert d is not None
    assert d.retrain
    assert d.change_point == 1200


# ---- the oracle ---------------------------------------------------------------


def test_oracle_retrains_at_each_stage_after_each_change_with_delay():
    o = Oracle([1000, 5000], refits=(500, 1000))
    fired = {}
    for step in range(1100, 8000, 100):
        labels = step - 300  # label delay 300
        d = o.should_retrain(LifecycleState(step=step, labels_available=labels))
        if d.retrain:
            fired[labels] = d.change_point
    assert fired == {1500: 1000, 2000: 1000, 5500: 5000, 6000: 5000}


def test_oracle_bad_input():
    with pytest.raises(InvalidParameterError, match="'change_points' parameter of Oracle"):
        Oracle([5, 3])
    with pytest.raises(InvalidParameterError, match="'refits' parameter of Oracle"):
        Oracle([5], refits=())
    with pytest.raises(InvalidParameterError, match="'refits' parameter of OnDrift"):
        OnDrift(refits=(1000, 500))


# ---- guarantees: pickling, conformance, None state, NaN --------------------------

BUILT_INS = [
    lambda: recommended(),
    lambda: recommended(every=3000),
    lambda: OnSettledBelowFloor(),
    lambda: OnStaleness(block=100),
    lambda: recommended(staleness=True),
    lambda: Oracle([300, 900]),
    lambda: OnPerformanceDrop(0.01),
    lambda: CostAware(retrain_cost=1.0, error_cost=1.0),
]


def _states():
    rng = np.random.default_rng(1)
    out = []
    for k in range(1, 40):
        errs = (rng.random(50) < (0.05 if k < 20 else 0.45)).astype(float)
        out.append(
            LifecycleState(
                step=1000 + 50 * k,
                labels_available=1000 + 50 * k,
                new_errors=errs,
                metric=float(1 - errs.mean()),
                metric_n=50 * min(k, 10),
                model_version=k // 15,
            )
        )
    return out


@pytest.mark.parametrize("make", BUILT_INS)
def test_new_policies_conform_and_pickle_mid_stream(make):
    states = _states()
    check_policy(make(), states)
    p = make()
    for s in states[:20]:
        p.should_retrain(s)
    q = pickle.loads(pickle.dumps(p))
    for s in states[20:]:
        assert p.should_retrain(s) == q.should_retrain(s)


NONE_STATE = [
    lambda: Periodic(every=5).should_retrain(None),
    lambda: OnDrift().should_retrain(None),
    lambda: OnPerformanceDrop().should_retrain(None),
    lambda: CostAware().should_retrain(None),
    lambda: OnSettledBelowFloor().should_retrain(None),
    lambda: Oracle([5]).should_retrain(None),
    lambda: AnyOf((Periodic(every=5),)).should_retrain(None),
    lambda: cooldown(Periodic(every=5), 3).should_retrain(None),
    lambda: FunctionPolicy(lambda s: True).should_retrain(None),
    lambda: SlidingWindow(5).select(None),
    lambda: ExpandingWindow().select(None),
    lambda: SinceLastDrift(5).select(None),
    lambda: RecencyWeights(5.0).select(None),
]


@pytest.mark.parametrize("call", NONE_STATE)
def test_none_state_gets_a_clear_error(call):
    with pytest.raises(
        InvalidParameterError, match=r"'state' parameter .* must be a LifecycleState .*Got None"
    ):
        call()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"metric": float("nan")}, "'metric' parameter of LifecycleState must be a finite"),
        ({"time": float("inf")}, "'time' parameter of LifecycleState"),
        ({"cost": float("nan")}, "'cost' parameter of LifecycleState"),
        ({"new_errors": [0, 1]}, "'new_errors' parameter of LifecycleState must be a NumPy array"),
        ({"current_X": [[1.0]]}, "'current_X' parameter of LifecycleState must be a NumPy array"),
        ({"new_errors": np.array([0.0, np.nan])}, "'new_errors' .* finite values"),
        ({"last_change_point": -1}, "'last_change_point' parameter of LifecycleState"),
        ({"deployed_at": 1.5}, "'deployed_at' parameter of LifecycleState"),
    ],
)
def test_state_refuses_nan_and_lists(kwargs, message):
    with pytest.raises(InvalidParameterError, match=message):
        LifecycleState(step=1, **kwargs)


def test_protocol_type_hints_resolve_and_protocols_import_no_subpackage():
    import subprocess
    import sys

    from mllifecycle import protocols

    for name in ("RetrainPolicy", "TrainingWindow", "StreamDetector", "Gate", "Sampler"):
        cls = getattr(protocols, name)
        for attr, fn in vars(cls).items():
            if callable(fn) and not attr.startswith("_"):
                assert "return" in typing.get_type_hints(fn), (name, attr)
    hints = typing.get_type_hints(protocols.RetrainPolicy.should_retrain)
    assert hints["state"] is LifecycleState
    code = (
        "import sys, mllifecycle.protocols; "
        "print(sorted(m for m in sys.modules if m.startswith('mllifecycle.') "
        "and m.count('.') == 1 and not m.split('.')[1].startswith('_') "
        "and m not in ('mllifecycle.protocols', 'mllifecycle.exceptions')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---- the no-stall case, end to end ----------------------------------------------


@pytest.mark.slow
def test_recommended_recovers_where_a_single_retrain_stalls():
    """Detector fires soon after the change, labels 200 late, SlidingWindow: no stall."""
    from sklearn.tree import DecisionTreeClassifier

    from mllifecycle.datasets import agrawal_stream
    from mllifecycle.drift.stream import ADWIN
    from mllifecycle.replay import replay

    change, delay = 6000, 200
    after = {"single": [], "recommended": [], "oracle": []}
    for seed in range(3):
        s = agrawal_stream(14_000, functions=(0, 2), change_points=(change,), rng=seed)
        r = replay(
            s.X,
            s.y,
            DecisionTreeClassifier(min_samples_leaf=5, random_state=0),
            {
                "single": OnDrift(ADWIN(), refits=None),
                "recommended": recommended(),
                "oracle": Oracle(s.change_points),
            },
            window=SlidingWindow(1000),
            label_delay=delay,
            initial_train_size=1000,
        )
        # the detector did fire soon after the change (the straddling case)
        first = [e.step for e in r["single"].events]
        assert first
        assert change < first[0] <= change + 800
        # accuracy once 4000 labels of the new concept exist
        for name, run in r.runs.items():
            after[name].append(run.batch_accuracy[run.batch_ends > change + 4000 + delay].mean())
    single, rec, oracle = (float(np.mean(after[k])) for k in ("single", "recommended", "oracle"))
    assert single < oracle - 0.2  # one retrain on a straddling window stalls
    assert rec >= oracle - 0.02
