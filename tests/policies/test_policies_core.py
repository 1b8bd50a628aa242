from __future__ import annotations

import datetime as dt
import math
import pickle

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import (
    AnyOf,
    CostAware,
    ExpandingWindow,
    FunctionPolicy,
    LifecycleState,
    OnDrift,
    OnEstimatedPerformanceDrop,
    OnPerformanceDrop,
    Periodic,
    RecencyWeights,
    RetrainDecision,
    SinceLastDrift,
    SlidingWindow,
    WindowSelection,
    all_of,
    any_of,
    as_policy,
    budget,
    cooldown,
)
from mllifecycle.protocols import RetrainPolicy, StreamDetector, TrainingWindow
from mllifecycle.testing import check_policy


class RunDetector:
    """Fires after `k` ones in a row; a tiny StreamDetector fake."""

    def __init__(self, k=5):
        self.k = k
        self.run = 0
        self.drift_detected = False
        self.resets = 0

    def update(self, x):
        self.run = self.run + 1 if x else 0
        self.drift_detected = self.run >= self.k
        if self.drift_detected:
            self.run = 0
        return self.drift_detected

    def update_many(self, xs):
        return np.array([i for i, x in enumerate(np.asarray(xs)) if self.update(x)], dtype=np.intp)

    def reset(self):
        self.run = 0
        self.drift_detected = False
        self.resets += 1


@attrs.frozen
class FakeResult:
    drift_detected: bool
    p_value: float = 0.01
    method: str = "fake"


def mean_shift_test(reference, current):
    diff = abs(reference.mean(axis=0) - current.mean(axis=0)).max()
    return FakeResult(drift_detected=bool(diff > 1.0))


class FakeReference:
    def __init__(self, X=None):
        self.mean = None if X is None else np.asarray(X).mean(axis=0)

    @classmethod
    def fit(cls, X):
        return cls(X)

    def compare(self, X):
        return FakeResult(drift_detected=bool(abs(self.mean - X.mean(axis=0)).max() > 1.0))


def always(state):
    return True


def never(state):
    return RetrainDecision(retrain=False, reason="never")


def _states(n=30):
    rng = np.random.default_rng(0)
    out = []
    for i in range(n):
        out.append(
            LifecycleState(
                step=100 * (i + 1),
                time=float(i),
                samples_since_retrain=100 * (i % 7),
                time_since_retrain=float(i % 7),
                new_errors=(rng.random(100) < (0.1 if i < 15 else 0.6)).astype(float),
                current_X=rng.normal(size=(100, 2)) + (0 if i < 15 else 3),
                reference_X=rng.normal(size=(300, 2)),
                current_proba=np.full((100, 2), 0.5),
                metric=0.9 if i < 15 else 0.7,
                metric_n=50 * i,
                estimated_metric=0.9 if i < 15 else 0.6,
                estimated_std_error=0.01,
                estimated_n=100,
                labels_available=100 * (i + 1),
                retrains=i // 10,
                model_version=i // 10,
                retrain_cost=20.0,
                error_cost=1.0,
            )
        )
    return out


BUILT_INS = [
    Periodic(every=300),
    Periodic(every_time=3.0),
    OnDrift(RunDetector(3)),
    OnDrift(RunDetector(3), signal="confidence"),
    OnDrift(mean_shift_test),
    OnDrift(FakeReference),
    OnDrift(FakeReference.fit(np.zeros((5, 2)))),
    OnDrift(),
    OnPerformanceDrop(0.05),
    OnPerformanceDrop(0.1, relative=True, baseline=0.95),
    OnEstimatedPerformanceDrop(0.05, min_samples=50),
    CostAware(horizon=500),
    CostAware(retrain_cost=10.0, error_cost=2.0, source="estimated", min_samples=50),
    any_of(Periodic(every=500), OnPerformanceDrop(0.05)),
    all_of(Periodic(every=200), OnDrift(RunDetector(3))),
    cooldown(OnDrift(RunDetector(2)), 300),
    budget(Periodic(every=100), 2),
    FunctionPolicy(always),
    as_policy(never),
]


@pytest.mark.parametrize("policy", BUILT_INS, ids=lambda p: type(p).__name__)
def test_check_policy_over_every_built_in(policy):
    check_policy(policy, _states())
    assert isinstance(policy, RetrainPolicy)


@pytest.mark.parametrize("policy", BUILT_INS, ids=lambda p: type(p).__name__)
def test_policy_pickled_mid_stream_continues_exactly(policy):
    states = _states()
    a = pickle.loads(pickle.dumps(policy))
    first = [a.should_retrain(s) for s in states[:12]]
    b = pickle.loads(pickle.dumps(a))
    rest_a = [a.should_retrain(s) for s in states[12:]]
    rest_b = [b.should_retrain(s) for s in states[12:]]
    assert rest_a == rest_b
    assert all(isinstance(d, RetrainDecision) for d in first + rest_a)


@pytest.mark.parametrize(
    "window",
    [SlidingWindow(100), ExpandingWindow(), SinceLastDrift(50), RecencyWeights(20.0)],
    ids=lambda w: type(w).__name__,
)
def test_windows_follow_protocol_and_pickle(window):
    assert isinstance(window, TrainingWindow)
    s = LifecycleState(step=1000, labels_available=900, last_change_point=600)
    restored = pickle.loads(pickle.dumps(window))
    a, b = window.select(s), restored.select(s)
    assert (a.start, a.stop) == (b.start, b.stop)


# ---- Periodic ---------------------------------------------------------------


def test_periodic_samples_boundary():
    p = Periodic(every=250)
    assert not p.should_retrain(LifecycleState(step=1000, samples_since_retrain=249)).retrain
    assert p.should_retrain(LifecycleState(step=1000, samples_since_retrain=250)).retrain


@pytest.mark.parametrize("span", [3600.0, dt.timedelta(hours=1), np.timedelta64(3600, "s")])
def test_periodic_time_span_units(span):
    p = Periodic(every_time=span)
    assert p.every_time == 3600.0
    s = LifecycleState(step=1, time=0.0, time_since_retrain=3599.0)
    assert not p.should_retrain(s).retrain
    s = LifecycleState(step=1, time=0.0, time_since_retrain=3600.0)
    assert p.should_retrain(s).retrain


def test_periodic_time_needs_timestamps():
    with pytest.raises(ValueError, match="timestamps"):
        Periodic(every_time=1.0).should_retrain(LifecycleState(step=5))


# ---- OnDrift ----------------------------------------------------------------


def test_on_drift_stream_reports_change_point_and_resets_on_new_model():
    det = RunDetector(3)
    p = OnDrift(det)
    s = LifecycleState(step=20, labels_available=20, new_errors=np.r_[np.zeros(5), np.ones(5)])
    d = p.should_retrain(s)
    # labelled rows 10..19 arrived; 3 ones in a row end at position 7 -> sample 17
    assert d.retrain
    assert d.change_point == 17
    assert det.resets == 1  # first call: a new model (version 0)
    p.should_retrain(attrs.evolve(s, new_errors=np.zeros(3)))
    assert det.resets == 1
    p.should_retrain(attrs.evolve(s, model_version=1, new_errors=np.zeros(3)))
    assert det.resets == 2


def test_on_drift_confidence_signal_uses_uncertainty():
    det = RunDetector(3)
    p = OnDrift(det, signal="confidence")
    proba = np.array([[1.0, 0.0]] * 4 + [[0.5, 0.5]] * 4)
    d = p.should_retrain(LifecycleState(step=108, current_proba=proba))
    assert d.retrain
    assert d.change_point == 100 + 6


class RecordingDetector(RunDetector):
    """RunDetector that keeps every value it was fed."""

    def __init__(self, run: int = 3) -> None:
        super().__init__(run)
        self.fed: list[float] = []

    def update_many(self, xs):
        self.fed.extend(np.asarray(xs).tolist())
        return super().update_many(xs)


def test_on_drift_confidence_reads_1d_proba_as_positive_class_rows():
    # a 1-D current_proba (a binary model's positive-class probabilities, as
    # LifecycleState and CBPE read it) was taken as one row of class
    # probabilities: one value per batch, 1 - max over the whole batch
    p_pos = np.array([0.9, 0.2, 0.5, 0.99, 0.6])
    one_d, two_d = RecordingDetector(), RecordingDetector()
    d1 = OnDrift(one_d, signal="confidence").should_retrain(
        LifecycleState(step=105, current_proba=p_pos)
    )
    d2 = OnDrift(two_d, signal="confidence").should_retrain(
        LifecycleState(step=105, current_proba=np.c_[1 - p_pos, p_pos])
    )
    assert one_d.fed == pytest.approx([0.1, 0.2, 0.5, 0.01, 0.4])
    assert one_d.fed == pytest.approx(two_d.fed)
    assert (d1.retrain, d1.change_point) == (d2.retrain, d2.change_point) == (True, 100 + 2)


@pytest.mark.parametrize("shape", [(), (2, 3, 2)])
def test_lifecycle_state_refuses_proba_of_other_ranks(shape):
    with pytest.raises(InvalidParameterError, match=r"'current_proba'.*shape \(b, n_classes\)"):
        LifecycleState(step=10, current_proba=np.full(shape, 0.5))


def test_on_drift_without_new_values_keeps():
    assert not OnDrift(RunDetector()).should_retrain(LifecycleState(step=5)).retrain


def test_on_drift_batch_test_and_reference_class():
    rng = np.random.default_rng(1)
    ref = rng.normal(size=(5000, 2))
    same = LifecycleState(step=5100, reference_X=ref, current_X=rng.normal(size=(100, 2)))
    moved = attrs.evolve(same, current_X=rng.normal(size=(100, 2)) + 3)
    for det in (mean_shift_test, FakeReference):
        p = OnDrift(det, max_reference=1000)
        assert not p.should_retrain(same).retrain
        d = p.should_retrain(moved)
        assert d.retrain
        assert d.change_point == 5000


def test_on_drift_batch_uses_most_recent_reference_rows():
    seen = []

    def spy(reference, current):
        seen.append(reference)
        return FakeResult(drift_detected=False)

    ref = np.arange(50, dtype=float).reshape(-1, 1)
    OnDrift(spy, max_reference=10).should_retrain(
        LifecycleState(step=60, reference_X=ref, current_X=np.zeros((3, 1)))
    )
    assert seen[0].ravel().tolist() == list(range(40, 50))


def test_on_drift_from_state_results():
    p = OnDrift()
    assert not p.should_retrain(LifecycleState(step=1, drift=[FakeResult(False)])).retrain
    d = p.should_retrain(LifecycleState(step=1, drift=[FakeResult(False), FakeResult(True)]))
    assert d.retrain
    assert "fake" in d.reason


def test_on_drift_with_real_stream_detectors_when_available():
    stream = pytest.importorskip("mllifecycle.drift.stream")
    names = [n for n in ("ADWIN", "DDM", "PageHinkley") if hasattr(stream, n)]
    if not names:
        pytest.skip("mllifecycle.drift.stream has no detectors yet")
    rng = np.random.default_rng(3)
    errors = np.r_[rng.random(3000) < 0.05, rng.random(3000) < 0.6].astype(float)
    for name in names:
        det = getattr(stream, name)()
        assert isinstance(det, StreamDetector)
        p = OnDrift(det)
        fired = []
        for k in range(0, 6000, 200):
            s = LifecycleState(
                step=k + 200, labels_available=k + 200, new_errors=errors[k : k + 200]
            )
            d = p.should_retrain(s)
            if d.retrain:
                fired.append((k + 200, d.change_point))
        late = [(step, cp) for step, cp in fired if step > 3000]
        assert late, name
        # the change is found within 400 samples; a warning zone may place it earlier
        assert late[0][0] <= 3400, name
        assert 0 <= late[0][1] <= late[0][0], name


# ---- performance drop -------------------------------------------------------


@pytest.mark.parametrize("confidence", [0.5, 0.9, 0.99])
def test_performance_drop_bound_matches_scipy_normal(confidence):
    base, m, n, threshold = 0.9, 0.85, 400, 0.02
    se = math.sqrt(m * (1 - m) / n)
    lower = (base - m) - stats.norm.ppf(confidence) * se
    p = OnPerformanceDrop(threshold, baseline=base, min_samples=10, confidence_level=confidence)
    d = p.should_retrain(LifecycleState(step=1, metric=m, metric_n=n))
    assert d.retrain == (lower > threshold)
    assert f"{lower:.4g}" in d.reason


def test_performance_drop_uses_given_standard_error_and_relative():
    p = OnPerformanceDrop(0.1, relative=True, baseline=0.8, min_samples=1)
    # drop 0.2, se 0.05 -> lower 0.2 - 1.645*0.05 = 0.1178; relative 0.147 > 0.1
    s = LifecycleState(step=1, metric=0.6, metric_n=10, metric_std_error=0.05)
    assert p.should_retrain(s).retrain
    s = attrs.evolve(s, metric_std_error=0.1)  # lower 0.0355, relative 0.044
    assert not p.should_retrain(s).retrain


def test_performance_drop_best_baseline_catches_a_worse_new_model():
    p = OnPerformanceDrop(0.02, min_samples=100)
    s = LifecycleState(step=5000, metric=0.95, metric_n=1000, labels_available=5000)
    assert not p.should_retrain(s).retrain  # learns 0.95
    # a new model that is worse from the start: learned, then compared with 0.95
    s1 = attrs.evolve(s, metric=0.85, model_version=1, deployed_at=4000)
    assert not p.should_retrain(s1).retrain
    d = p.should_retrain(s1)
    assert d.retrain
    assert d.change_point == 4000  # no per-label errors: the deployment position


def test_performance_drop_learns_baseline_after_each_deployment():
    p = OnPerformanceDrop(0.02, min_samples=100, baseline="latest")
    s = LifecycleState(step=1, metric=0.95, metric_n=1000, model_version=0)
    first = p.should_retrain(s)
    assert not first.retrain
    assert "baseline" in first.reason
    assert p.should_retrain(attrs.evolve(s, metric=0.80)).retrain
    # a new model: the baseline is learned again, no retrain on the first look
    assert not p.should_retrain(attrs.evolve(s, metric=0.80, model_version=1)).retrain
    assert not p.should_retrain(attrs.evolve(s, metric=0.80, model_version=1)).retrain


def test_performance_drop_needs_min_samples():
    p = OnPerformanceDrop(0.0, baseline=1.0, min_samples=500)
    d = p.should_retrain(LifecycleState(step=1, metric=0.1, metric_n=499))
    assert not d.retrain
    assert "499" in d.reason


def test_estimated_drop_reads_the_estimate_only():
    p = OnEstimatedPerformanceDrop(0.05, baseline=0.9, min_samples=50)
    s = LifecycleState(step=1, metric=0.5, metric_n=1000)
    assert not p.should_retrain(s).retrain
    s = LifecycleState(step=1, estimated_metric=0.7, estimated_std_error=0.01, estimated_n=60)
    assert p.should_retrain(s).retrain


# ---- cost-aware -------------------------------------------------------------


@pytest.mark.parametrize(
    ("retrain_cost", "error_cost", "horizon", "expected"),
    [
        (99.0, 1.0, 1000, True),
        (101.0, 1.0, 1000, False),
        (49.0, 0.5, 1000, True),
        (50.0, 0.5, 900, False),
    ],
)
def test_cost_aware_rule_exact(retrain_cost, error_cost, horizon, expected):
    # degradation lower bound: 0.1 exactly (standard error 0, confidence 0.5)
    p = CostAware(
        retrain_cost=retrain_cost,
        error_cost=error_cost,
        horizon=horizon,
        baseline=0.9,
        confidence_level=0.5,
        min_samples=1,
    )
    s = LifecycleState(step=1, metric=0.8, metric_n=10, metric_std_error=0.0)
    assert p.should_retrain(s).retrain is expected


def test_cost_aware_takes_costs_from_state_and_falls_back_to_estimate():
    p = CostAware(baseline=0.9, confidence_level=0.5, min_samples=100, horizon=1000)
    s = LifecycleState(
        step=1,
        metric=0.8,
        metric_n=10,
        estimated_metric=0.7,
        estimated_std_error=0.0,
        estimated_n=200,
        retrain_cost=150.0,
        error_cost=1.0,
    )
    d = p.should_retrain(s)  # observed has too few labels -> estimate: 200 > 150
    assert d.retrain
    assert "estimated" in d.reason
    assert not p.should_retrain(attrs.evolve(s, retrain_cost=250.0)).retrain


def test_cost_aware_never_retrains_on_improvement():
    p = CostAware(retrain_cost=0.0, error_cost=1.0, baseline=0.8, min_samples=1)
    assert not p.should_retrain(LifecycleState(step=1, metric=0.95, metric_n=10**6)).retrain


# ---- combinators ------------------------------------------------------------


class Counting:
    def __init__(self, answer):
        self.answer = answer
        self.calls = 0

    def should_retrain(self, state):
        self.calls += 1
        return RetrainDecision(
            retrain=self.answer,
            reason=f"c{self.answer}",
            change_point=7 if self.answer else None,
        )


def test_any_of_and_all_of_ask_every_policy():
    a, b = Counting(True), Counting(False)
    s = LifecycleState(step=1)
    d = any_of(a, b).should_retrain(s)
    assert d.retrain
    assert d.change_point == 7
    assert not all_of(a, b).should_retrain(s).retrain
    assert all_of(a, lambda st: True).should_retrain(s).retrain
    assert (a.calls, b.calls) == (3, 2)
    assert isinstance(any_of(a), AnyOf)


def test_cooldown_and_budget():
    inner = Counting(True)
    c = cooldown(inner, 300)
    assert not c.should_retrain(LifecycleState(step=1000, samples_since_retrain=299)).retrain
    assert c.should_retrain(LifecycleState(step=1000, samples_since_retrain=300)).retrain
    b = budget(inner, 2)
    assert b.should_retrain(LifecycleState(step=1, retrains=1)).retrain
    d = b.should_retrain(LifecycleState(step=1, retrains=2))
    assert not d.retrain
    assert "budget" in d.reason
    assert inner.calls == 4


def test_function_policies_accept_bool_and_decision():
    s = LifecycleState(step=3)
    assert as_policy(lambda st: st.step > 2).should_retrain(s).retrain
    assert as_policy(never).should_retrain(s).reason == "never"
    with pytest.raises(TypeError, match="must return a bool or a RetrainDecision"):
        as_policy(lambda st: 3).should_retrain(s)


# ---- windows ----------------------------------------------------------------


def test_window_selections_exact():
    s = LifecycleState(step=1200, labels_available=1000, last_change_point=700)
    assert (SlidingWindow(300).select(s).start, SlidingWindow(300).select(s).stop) == (
        700,
        1000,
    )
    assert SlidingWindow(5000).select(s).start == 0
    assert ExpandingWindow().select(s).n_samples == 1000
    assert SinceLastDrift(100).select(s).start == 700
    assert SinceLastDrift(500).select(s).start == 500
    assert SinceLastDrift(100, max_samples=200).select(s).start == 800
    assert SinceLastDrift(10).select(attrs.evolve(s, last_change_point=None)).start == 0
    sel = RecencyWeights(100.0, max_samples=300).select(s)
    assert sel.start == 700
    np.testing.assert_allclose(sel.sample_weight, 0.5 ** (np.arange(299, -1, -1) / 100.0))
    assert RecencyWeights(10.0).select(s).n_samples == math.ceil(10 * math.log2(1000))


@settings(max_examples=60, deadline=None)
@given(
    labels=st.integers(0, 5000),
    cp=st.one_of(st.none(), st.integers(0, 6000)),
    n=st.integers(1, 3000),
)
def test_windows_stay_inside_the_labelled_history(labels, cp, n):
    # a change point may lie beyond the labelled rows, not beyond the samples seen
    step = max(labels, cp or 0) + 10
    s = LifecycleState(step=step, labels_available=labels, last_change_point=cp)
    for w in (
        SlidingWindow(n),
        ExpandingWindow(),
        SinceLastDrift(n),
        RecencyWeights(n / 3),
    ):
        sel = w.select(s)
        assert 0 <= sel.start <= sel.stop == labels
        if isinstance(w, SlidingWindow | SinceLastDrift):
            assert sel.n_samples >= min(n, labels) or isinstance(w, SlidingWindow)
        if sel.sample_weight is not None:
            assert np.all(sel.sample_weight > 0)
            assert np.all(np.diff(sel.sample_weight) >= 0)


def test_window_selection_checks_itself():
    with pytest.raises(ValueError, match="start <= stop"):
        WindowSelection(start=5, stop=2)
    with pytest.raises(ValueError, match="one weight per"):
        WindowSelection(start=0, stop=2, sample_weight=np.ones(3))
    assert WindowSelection(start=1, stop=3).to_dict()["n_samples"] == 2


# ---- state / decision -------------------------------------------------------


def test_state_is_frozen_and_serialises():
    s = _states(1)[0]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        s.step = 3  # type: ignore[misc]
    d = s.to_dict()
    assert d["new_errors_shape"] == [100]
    assert d["current_X_shape"] == [100, 2]
    assert RetrainDecision(retrain=1, reason="x").retrain is True
    assert "<table>" in RetrainDecision(retrain=True, reason="x")._repr_html_()


def test_unchecked_state_equals_the_validated_state():
    # the replay's fast constructor must give the very object the validated
    # constructor gives, for every field (a field it forgot would differ)
    from mllifecycle._lifecycle_types import _unchecked_state

    rng = np.random.default_rng(0)
    values = {}
    for f in attrs.fields(LifecycleState):
        if f.name in ("new_errors", "current_X", "reference_X", "current_proba"):
            values[f.name] = rng.random(4)
        elif f.name == "drift":
            values[f.name] = []  # a list: the converter makes it a tuple
        elif f.name == "metric_name":
            values[f.name] = "balanced accuracy"
        else:
            values[f.name] = 7
    fast, slow = _unchecked_state(**values), LifecycleState(**values)
    assert type(fast) is LifecycleState
    assert fast == slow
    assert fast.to_dict() == slow.to_dict()
    assert fast.drift == ()
    assert isinstance(fast.drift, tuple)
    for name in ("new_errors", "current_X", "reference_X", "current_proba"):
        assert getattr(fast, name) is getattr(slow, name)
    # defaults fill what is not given; the result is frozen and pickles
    short = _unchecked_state(step=3)
    assert short == LifecycleState(step=3)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        short.step = 4  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(short)) == short
    with pytest.raises(TypeError, match=r"no field\(s\) \['stepp'\]"):
        _unchecked_state(step=3, stepp=4)
    with pytest.raises(TypeError, match="needs step"):
        _unchecked_state(retrains=1)


# ---- bad input --------------------------------------------------------------

BAD = [
    (lambda: Periodic(), InvalidParameterError, "'every' parameter of Periodic"),
    (lambda: Periodic(every=10, every_time=5.0), InvalidParameterError, "not both"),
    (
        lambda: Periodic(every=0),
        InvalidParameterError,
        r"'every' parameter of Periodic must be an int in the range \[1",
    ),
    (lambda: Periodic(every_time=-1.0), InvalidParameterError, "'every_time'"),
    (
        lambda: OnDrift(42),
        InvalidParameterError,
        "'detector' parameter of OnDrift.*int, which has none",
    ),
    (lambda: OnDrift(signal="loss"), InvalidParameterError, "'signal'"),
    (
        lambda: OnPerformanceDrop(-0.1),
        InvalidParameterError,
        "'threshold' parameter of OnPerformanceDrop",
    ),
    (
        lambda: OnPerformanceDrop(0.1, confidence_level=1.5),
        InvalidParameterError,
        "'confidence_level'",
    ),
    (
        lambda: OnEstimatedPerformanceDrop(0.1, min_samples=0),
        InvalidParameterError,
        "'min_samples' parameter of OnEstimatedPerformanceDrop",
    ),
    (
        lambda: CostAware(retrain_cost=-5.0),
        InvalidParameterError,
        "'retrain_cost' parameter of CostAware",
    ),
    (lambda: CostAware(error_cost=-1.0), InvalidParameterError, "'error_cost'"),
    (lambda: CostAware(horizon=0), InvalidParameterError, "'horizon'"),
    (lambda: CostAware(source="guess"), InvalidParameterError, "'source'"),
    (lambda: any_of(), InvalidParameterError, "at least one policy"),
    (
        lambda: any_of(object()),
        InvalidParameterError,
        r"object, which lacks should_retrain\(\)",
    ),
    (
        lambda: cooldown(Periodic(every=5), -1),
        InvalidParameterError,
        "'min_samples' parameter of cooldown",
    ),
    (
        lambda: budget(Periodic(every=5), -1),
        InvalidParameterError,
        "'max_retrains' parameter of budget",
    ),
    (lambda: budget("x", 2), InvalidParameterError, "str, which lacks should_retrain"),
    (
        lambda: as_policy(3, "policies[a]", "replay"),
        TypeError,
        r"'policies\[a\]' parameter of replay",
    ),
    (lambda: SlidingWindow(0), InvalidParameterError, "'n_samples' parameter of SlidingWindow"),
    (
        lambda: SinceLastDrift(0),
        InvalidParameterError,
        "'min_samples' parameter of SinceLastDrift",
    ),
    (lambda: SinceLastDrift(10, max_samples=5), InvalidParameterError, "'max_samples'"),
    (
        lambda: RecencyWeights(0.0),
        InvalidParameterError,
        "'half_life' parameter of RecencyWeights",
    ),
    (
        lambda: LifecycleState(step=-1),
        InvalidParameterError,
        "'step' parameter of LifecycleState",
    ),
    (lambda: LifecycleState(step=1, cost=-1.0), InvalidParameterError, "'cost'"),
    (lambda: LifecycleState(step=1, metric="high"), InvalidParameterError, "'metric'"),
    (
        lambda: FunctionPolicy(5),
        InvalidParameterError,
        "'func' parameter of FunctionPolicy",
    ),
]


@pytest.mark.parametrize(("make", "error", "message"), BAD)
def test_bad_input_table(make, error, message):
    with pytest.raises(error, match=message):
        make()


class WarnDetector(RunDetector):
    """Warning on 0.5, drift on 1.0 (records warnings_ like drift.stream's DDM)."""

    def update_many(self, xs):
        xs = np.asarray(xs)
        hits = np.flatnonzero(xs == 1.0).astype(np.intp)[:1]
        self.warnings_ = np.flatnonzero(xs == 0.5).astype(np.intp)
        return hits


def test_on_drift_change_point_is_the_start_of_an_open_warning_zone():
    p = OnDrift(WarnDetector())
    s1 = LifecycleState(step=4, labels_available=4, new_errors=np.array([0, 0, 0.5, 0.5]))
    assert not p.should_retrain(s1).retrain
    s2 = LifecycleState(step=7, labels_available=7, new_errors=np.array([0.5, 1, 0]))
    d = p.should_retrain(s2)
    assert d.retrain
    assert d.change_point == 2
    assert "warning since sample 2" in d.reason
    # a closed warning zone is forgotten
    p = OnDrift(WarnDetector())
    p.should_retrain(
        LifecycleState(step=4, labels_available=4, new_errors=np.array([0.5, 0, 0, 0]))
    )
    d = p.should_retrain(LifecycleState(step=6, labels_available=6, new_errors=np.array([0, 1.0])))
    assert d.change_point == 5


def test_on_drift_staged_refits_fire_once_per_stage():
    p = OnDrift(RunDetector(3), refits=(10, 20))
    d = p.should_retrain(LifecycleState(step=5, labels_available=5, new_errors=np.ones(5)))
    assert d.retrain
    cp = d.change_point
    assert cp == 2
    quiet = np.zeros(1)

    def at(labels, version):
        state = LifecycleState(
            step=labels + 5, labels_available=labels, new_errors=quiet, model_version=version
        )
        return p.should_retrain(state)

    assert not at(cp + 9, 1).retrain
    d = at(cp + 10, 1)
    assert d.retrain
    assert d.change_point == cp
    assert "staged refit (1 of 2)" in d.reason
    assert not at(cp + 11, 2).retrain
    assert not at(cp + 19, 2).retrain
    d = at(cp + 20, 2)
    assert (d.retrain, d.change_point) == (True, cp)
    assert "staged refit (2 of 2)" in d.reason
    assert not at(cp + 500, 3).retrain  # the schedule is spent


def test_on_drift_refits_skip_stages_already_passed_and_restart_on_a_detection():
    p = OnDrift(RunDetector(3), refits=(10, 20, 40))
    assert p.should_retrain(LifecycleState(step=3, labels_available=3, new_errors=np.ones(3)))
    quiet = np.zeros(1)
    # labels jump past two stages at once (a long delay): one refit, not two
    d = p.should_retrain(
        LifecycleState(step=30, labels_available=25, new_errors=quiet, model_version=1)
    )
    assert d.retrain
    assert "(2 of 3)" in d.reason
    # a new detection restarts the schedule from its own change point
    d = p.should_retrain(
        LifecycleState(step=33, labels_available=28, new_errors=np.ones(3), model_version=2)
    )
    assert d.retrain
    assert d.change_point == 27
    d = p.should_retrain(
        LifecycleState(step=40, labels_available=37, new_errors=quiet, model_version=3)
    )
    assert d.retrain
    assert "(1 of 3)" in d.reason
    assert d.change_point == 27


def test_on_drift_without_refits_retrains_once_per_detection():
    for off in (None, ()):
        p = OnDrift(RunDetector(3), refits=off)
        assert p.should_retrain(LifecycleState(step=3, labels_available=3, new_errors=np.ones(3)))
        for labels in (600, 1200, 5000):
            assert not p.should_retrain(
                LifecycleState(
                    step=labels, labels_available=labels, new_errors=np.zeros(1), model_version=1
                )
            ).retrain


def test_imports_stay_light():
    import subprocess
    import sys

    code = (
        "import sys, mllifecycle.policies, mllifecycle.replay, mllifecycle.datasets; "
        "heavy = [m for m in ('sklearn', 'scipy.stats', 'matplotlib', 'joblib') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]"
