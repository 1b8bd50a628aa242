from __future__ import annotations

import json
import pickle
import sys

import joblib
import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from mllifecycle.datasets import gaussian_stream, sea_stream
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import (
    CostAware,
    ExpandingWindow,
    OnDrift,
    OnEstimatedPerformanceDrop,
    OnPerformanceDrop,
    Periodic,
    RecencyWeights,
    SinceLastDrift,
    SlidingWindow,
    WindowSelection,
    any_of,
    budget,
    cooldown,
)
from mllifecycle.replay import PolicyRun, ReplayResult, replay

LR = LogisticRegression(solver="newton-cholesky")


@pytest.fixture(scope="module")
def sea():
    return sea_stream(6000, noise=0.02, rng=0)


def never(state):
    return False


# ---- spies ------------------------------------------------------------------

LOG: list[tuple[str, float, float, int]] = []


class SpyModel(ClassifierMixin, BaseEstimator):
    """Column 0 of X is the row index: records which rows it was fitted and asked on."""

    def __init__(self, tag="spy"):
        self.tag = tag

    def fit(self, X, y, sample_weight=None):
        LOG.append(("fit", float(X[:, 0].min()), float(X[:, 0].max()), len(X)))
        self.classes_ = np.unique(y)
        self.majority_ = self.classes_[np.argmax([np.sum(y == c) for c in self.classes_])]
        self.weights_ = sample_weight
        return self

    def predict(self, X):
        LOG.append(("predict", float(X[:, 0].min()), float(X[:, 0].max()), len(X)))
        return np.full(len(X), self.majority_)


@pytest.mark.parametrize("delay", [0, 1, 150, 777])
def test_no_label_reaches_a_policy_or_a_fit_early(delay):
    n = 3000
    rng = np.random.default_rng(0)
    X = np.column_stack([np.arange(n, dtype=float), rng.normal(size=n)])
    y = (rng.random(n) < 0.5).astype(int)
    LOG.clear()
    # the replay deep-copies policies: record through a module-level list instead
    seen: list = []

    def recording(state):
        seen.append(state)
        return state.samples_since_retrain >= 300

    result = replay(
        X,
        y,
        SpyModel(),
        {"spy": recording},
        label_delay=delay,
        initial_train_size=200,
        batch_size=50,
        window=ExpandingWindow(),
    )
    assert result["spy"].retrains > 0
    # fits: every fitted row was labelled when the fit happened
    predicted_up_to = -1.0
    for kind, _lo, hi, _ in LOG:
        if kind == "predict":
            predicted_up_to = max(predicted_up_to, hi)
        elif predicted_up_to >= 0:  # a retrain after the batch ending at predicted_up_to
            # rows 0..199 are the initial, labelled training set
            assert hi <= max(199.0, predicted_up_to - delay), (
                hi,
                predicted_up_to,
                delay,
            )
    # states: labels_available never exceeds what has arrived
    for s in seen:
        assert s.labels_available <= max(200, s.step - delay)
        if s.new_errors is not None:
            assert len(s.new_errors) <= s.labels_available
        assert s.metric_n <= max(s.labels_available - 200, 0)


def test_new_errors_are_exactly_the_deployed_models_labelled_mistakes(sea):
    records = []

    class Recorder:
        drift_detected = False

        def update(self, x):
            return False

        def update_many(self, xs):
            records.append(np.asarray(xs).copy())
            return np.array([], dtype=np.intp)

        def reset(self):
            records.append(None)

    r = replay(
        sea.X,
        sea.y,
        LR,
        {"d": OnDrift(Recorder())},
        label_delay=250,
        initial_train_size=1000,
        batch_size=100,
    )
    fed = np.concatenate([x for x in records if x is not None])
    # only labels that arrived: 6000 - 1000 predicted, the last 250 never labelled
    assert fed.size == 6000 - 1000 - 250
    assert int(fed.sum()) == r["d"].errors - int(
        (LR.fit(sea.X[:1000], sea.y[:1000]).predict(sea.X[-250:]) != sea.y[-250:]).sum()
    )


def test_never_policy_matches_a_hand_written_prequential_loop(sea):
    r = replay(
        sea.X,
        sea.y,
        LR,
        {"never": never},
        initial_train_size=1000,
        retrain_cost=7.0,
        error_cost=2.0,
    )
    m = LogisticRegression(solver="newton-cholesky").fit(sea.X[:1000], sea.y[:1000])
    correct = m.predict(sea.X[1000:]) == sea.y[1000:]
    run = r["never"]
    assert run.accuracy == pytest.approx(correct.mean(), abs=1e-12)
    assert run.errors == int((~correct).sum())
    assert run.cost == pytest.approx(2.0 * run.errors)
    assert run.labels == 1000
    assert run.retrains == 0
    np.testing.assert_allclose(run.batch_accuracy, correct.reshape(-1, 100).mean(axis=1))


def test_periodic_retrains_on_schedule_and_counts_cost_and_labels(sea):
    r = replay(
        sea.X,
        sea.y,
        LR,
        {"p": Periodic(every=1000)},
        window=SlidingWindow(500),
        initial_train_size=1000,
        batch_size=100,
        retrain_cost=10.0,
        error_cost=1.0,
    )
    run = r["p"]
    assert run.retrain_steps == (2000, 3000, 4000, 5000, 6000)
    assert run.cost == pytest.approx(10.0 * 5 + run.errors)
    # the initial 1000 rows plus the 500 before each retrain
    assert run.labels == 1000 + 4 * 500 + 500
    assert all(e.train_stop - e.train_start == 500 for e in run.events)
    assert run.fit_seconds > 0
    assert run.total_seconds >= run.fit_seconds + run.predict_seconds - 1e-9


def test_same_seed_same_result_and_parallel_equals_serial(sea):
    policies = {
        "never": never,
        "periodic": Periodic(every=700),
        "perf": OnPerformanceDrop(0.02, min_samples=300),
        "cost": CostAware(horizon=3000),
        "combo": cooldown(any_of(Periodic(every=2000), OnPerformanceDrop(0.05)), 500),
    }
    model = DecisionTreeClassifier(max_depth=5, random_state=0)
    a = replay(sea.X, sea.y, model, policies, window=SinceLastDrift(400))
    b = replay(sea.X, sea.y, model, policies, window=SinceLastDrift(400))
    # the joblib path, on threads (process start-up would dominate this test)
    with joblib.parallel_config(backend="threading"):
        c = replay(sea.X, sea.y, model, policies, window=SinceLastDrift(400), n_jobs=2)

    def strip(res):
        d = res.to_dict(detail=True)
        for p in d["policies"].values():
            p.pop("compute_seconds")
        return d

    assert strip(a) == strip(b) == strip(c)
    assert list(c.runs) == list(policies)


def test_policies_are_copied_not_mutated(sea):
    p = OnPerformanceDrop(0.01, min_samples=100)
    before = pickle.dumps(p)
    replay(sea.X, sea.y, LR, {"p": p})
    assert pickle.dumps(p) == before


def test_window_weights_reach_fit(sea):
    fits = []

    class WeightSpy(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            fits.append(None if sample_weight is None else np.asarray(sample_weight))
            return super().fit(X, y, sample_weight=sample_weight)

    replay(
        sea.X,
        sea.y,
        WeightSpy(solver="newton-cholesky"),
        {"p": Periodic(every=2000)},
        window=RecencyWeights(100.0, max_samples=800),
    )
    assert fits[0] is None  # the initial fit
    assert len(fits) == 1 + 2
    np.testing.assert_allclose(fits[1], 0.5 ** (np.arange(799, -1, -1) / 100.0))


def test_per_policy_windows(sea):
    r = replay(
        sea.X,
        sea.y,
        LR,
        {"a": Periodic(every=2500), "b": Periodic(every=2500)},
        window={"a": SlidingWindow(300)},
    )
    assert r["a"].events[0].train_stop - r["a"].events[0].train_start == 300
    assert r["b"].events[0].train_stop - r["b"].events[0].train_start == 1000


def test_time_based_policy_with_datetime_timestamps(sea):
    ts = np.datetime64("2024-01-01T00:00:00") + np.arange(6000) * np.timedelta64(1, "m")
    r = replay(sea.X, sea.y, LR, {"daily": Periodic(every_time=24 * 3600.0)}, timestamps=ts)
    # decisions at batch ends: the first once row 2499 is 1500 >= 1440 minutes
    # after row 999, then whenever 1440 minutes passed since the last retrain
    assert r["daily"].retrain_steps == (2500, 4000, 5500)


class Gate:
    def __init__(self, verdict):
        self.verdict = verdict
        self.contexts = []

    def check(self, context):
        assert len(context.y_true) == len(context.challenger) == len(context.champion)
        return type("R", (), {"passed": self.verdict, "reasons": [f"verdict {self.verdict}"]})()


@pytest.mark.parametrize("verdict", [True, False])
def test_gates_decide_deployment(sea, verdict):
    r = replay(
        sea.X,
        sea.y,
        LR,
        {"p": Periodic(every=1000)},
        gates=[Gate(verdict)],
        gate_holdout=0.25,
    )
    run = r["p"]
    assert run.retrains == 5
    assert run.deployments == (5 if verdict else 0)
    ev = run.events[0]
    assert ev.train_stop - ev.train_start == 750  # a quarter held out for the gate
    if not verdict:
        never_run = replay(sea.X, sea.y, LR, {"n": never})["n"]
        assert run.accuracy == never_run.accuracy


def test_estimated_metric_reaches_the_state(sea):
    class ConstantEstimator:
        def fit(self, *, y_true, y_proba):
            assert y_proba.shape[1] == 2
            assert set(np.unique(y_true)) <= {0, 1}
            return self

        def estimate(self, proba):
            est = type("E", (), {"value": 0.5, "std_error": 0.01})()
            return {"accuracy": est}

    r = replay(
        sea.X,
        sea.y,
        LR,
        {"est": OnEstimatedPerformanceDrop(0.1, baseline=0.9, min_samples=50)},
        performance_estimator=ConstantEstimator(),
    )
    assert r["est"].retrains == len(range(1000, 6000, 100))
    assert "estimated" in r["est"].events[0].reason


def test_real_cbpe_when_available():
    estimate = pytest.importorskip("mllifecycle.estimate")
    if not hasattr(estimate, "CBPE"):
        pytest.skip("no CBPE yet")
    s = gaussian_stream(5000, kind="covariate", rng=0)
    r = replay(
        s.X,
        s.y,
        LR,
        {"est": OnEstimatedPerformanceDrop(0.05, min_samples=50)},
        performance_estimator=estimate.CBPE(),
    )
    assert isinstance(r["est"], PolicyRun)


def test_progress_bar_on_stderr(sea, capsys):
    pytest.importorskip("tqdm")
    replay(sea.X, sea.y, LR, {"never": never}, progress=True)
    err = capsys.readouterr().err
    assert "replay" in err


def test_result_reports(sea, tmp_path):
    r = replay(
        sea.X,
        sea.y,
        LR,
        {"never": never, "periodic": Periodic(every=1000)},
        change_points=sea.change_points,
    )
    assert isinstance(r, ReplayResult)
    d = json.loads(json.dumps(r.to_dict()))
    assert set(d["policies"]) == {"never", "periodic"}
    assert {"accuracy", "retrains", "labels", "cost"} <= set(d["policies"]["never"])
    assert d["change_points"] == [1500, 3000, 4500]
    text = r.summary()
    assert text.splitlines()[0].split() == [
        "policy",
        "accuracy",
        "retrains",
        "labels",
        "cost",
        "compute_s",
    ]
    assert "periodic" in text
    assert "<table>" in r._repr_html_()
    assert "ReplayResult" in repr(r)
    assert list(r) == ["never", "periodic"]
    assert len(r) == 2


def test_plot_saves_a_png(sea, tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    r = replay(
        sea.X,
        sea.y,
        LR,
        {"never": never, "periodic": Periodic(every=1000)},
        change_points=sea.change_points,
    )
    path = tmp_path / "replay.png"
    ax = r.plot(path=str(path))
    assert path.stat().st_size > 1000
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "true change" in labels
    import matplotlib.pyplot as plt

    plt.close("all")


def test_plot_without_matplotlib_names_the_extra(sea, monkeypatch):
    r = replay(sea.X, sea.y, LR, {"never": never})
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"pip install mllifecycle\[plot\]"):
        r.plot()


class NoFit:
    def predict(self, X):
        return np.zeros(len(X))


class NotAPolicy:
    def decide(self, state):
        return True


class BadWindow:
    def select(self, state):
        return WindowSelection(start=0, stop=state.labels_available + 10)


class BoolPolicy:
    def should_retrain(self, state):
        return True


X6 = np.random.default_rng(0).normal(size=(600, 2))
Y6 = (X6[:, 0] > 0).astype(int)

BAD = [
    (
        {"X": X6, "y": Y6[:-1]},
        InvalidParameterError,
        "'y' parameter of replay must be the same number of samples as 'X'",
    ),
    (
        {"X": X6[:, 0]},
        InvalidParameterError,
        "'X' parameter of replay must be a 2-D array",
    ),
    (
        {"window": SlidingWindow(601)},
        InvalidParameterError,
        "'window' parameter of replay must be a window no longer than the stream",
    ),
    (
        {"window": SinceLastDrift(1000)},
        InvalidParameterError,
        "no longer than the stream",
    ),
    ({"window": "all"}, TypeError, r"lacks select\(\)"),
    ({"window": {"zz": SlidingWindow(5)}}, InvalidParameterError, "unknown name"),
    (
        {"retrain_cost": -1.0},
        InvalidParameterError,
        "'retrain_cost' parameter of replay",
    ),
    ({"error_cost": -0.5}, InvalidParameterError, "'error_cost' parameter of replay"),
    (
        {"estimator": NoFit()},
        TypeError,
        r"'estimator' parameter of replay must be an object with fit\(\), "
        r"predict\(\). Got NoFit, which lacks fit\(\)",
    ),
    (
        {"policies": {"x": NotAPolicy()}},
        TypeError,
        r"'policies\[x\]' parameter of replay .* "
        r"Got NotAPolicy, which lacks should_retrain\(\)",
    ),
    ({"policies": {}}, InvalidParameterError, "non-empty mapping"),
    ({"policies": [Periodic(every=5)]}, InvalidParameterError, "non-empty mapping"),
    ({"label_delay": -1}, InvalidParameterError, "'label_delay'"),
    ({"initial_train_size": 600}, InvalidParameterError, "'initial_train_size'"),
    ({"batch_size": 0}, InvalidParameterError, "'batch_size'"),
    ({"gate_holdout": 1.0}, InvalidParameterError, "'gate_holdout'"),
    ({"gates": [object()]}, TypeError, r"'gates\[0\]'.*lacks check\(\)"),
    (
        {"performance_estimator": object()},
        TypeError,
        r"'performance_estimator'.*lacks fit\(\), estimate\(\)",
    ),
    ({"timestamps": np.arange(5.0)}, InvalidParameterError, "'timestamps'"),
    ({"timestamps": np.arange(600.0)[::-1]}, InvalidParameterError, "non-decreasing"),
    ({"progress": "yes"}, InvalidParameterError, "'progress'"),
    ({"n_jobs": 1.5}, InvalidParameterError, "'n_jobs'"),
]


@pytest.mark.parametrize(("kwargs", "error", "message"), BAD)
def test_bad_input_table(kwargs, error, message):
    args = {
        "X": X6,
        "y": Y6,
        "estimator": LR,
        "policies": {"p": Periodic(every=100)},
        "initial_train_size": 100,
    }
    args.update(kwargs)
    with pytest.raises(error, match=message):
        replay(
            args.pop("X"),
            args.pop("y"),
            args.pop("estimator"),
            args.pop("policies"),
            **args,
        )


def test_runtime_errors_name_the_culprit():
    with pytest.raises(ValueError, match="only rows 0:"):
        replay(
            X6,
            Y6,
            LR,
            {"p": Periodic(every=100)},
            window=BadWindow(),
            initial_train_size=100,
        )
    with pytest.raises(TypeError, match="must return a RetrainDecision"):
        replay(X6, Y6, LR, {"p": BoolPolicy()}, initial_train_size=100)


@pytest.mark.parametrize("kind", ["str", "object"])
def test_string_labels_give_the_same_replay_as_integer_labels(sea, kind):
    # the per-batch hits are written with np.equal(out=...): labels of any
    # dtype a classifier accepts must count the same as their integer codes
    names = np.array(["negative", "positive"])[sea.y]
    y = names if kind == "str" else names.astype(object)
    from mllifecycle.drift.stream import HDDM_A

    # (OnDrift() without a detector is refused by replay: it could never retrain)
    pols = {
        "never": never,
        "p": Periodic(every=1000),
        "d": OnDrift(HDDM_A(), refits=(2000,), refit_initial=True),
    }
    a = replay(sea.X, sea.y, LR, pols, initial_train_size=1000, batch_size=250)
    assert a["d"].retrains > 0
    b = replay(sea.X, y, LR, pols, initial_train_size=1000, batch_size=250)
    for name in pols:
        assert b[name].accuracy == a[name].accuracy
        assert b[name].retrains == a[name].retrains
        np.testing.assert_array_equal(b[name].batch_accuracy, a[name].batch_accuracy)


def test_single_class_window_is_skipped_not_crashed():
    y = np.r_[np.arange(300) % 2, np.zeros(300, int)]
    X = np.random.default_rng(0).normal(size=(600, 2))
    X[:, 0] += 3 * y
    r = replay(
        X,
        y,
        LR,
        {"p": Periodic(every=50)},
        window=SlidingWindow(40),
        initial_train_size=290,
        batch_size=10,
    )
    skipped = [e for e in r["p"].events if "skipped" in e.reason]
    assert skipped
    assert r["p"].retrains == len(r["p"].events) - len(skipped)


def test_budget_caps_retrains(sea):
    r = replay(sea.X, sea.y, LR, {"b": budget(Periodic(every=500), 3)})
    assert r["b"].retrains == 3


def test_real_gates_when_available(sea):
    gates = pytest.importorskip("mllifecycle.gates")
    if not hasattr(gates, "NoRegression") or not hasattr(gates, "evaluate_gates"):
        pytest.skip("mllifecycle.gates has no NoRegression/evaluate_gates yet")
    r = replay(
        sea.X,
        sea.y,
        LR,
        {"p": Periodic(every=1000)},
        gates=[gates.NoRegression(metric="accuracy", margin=0.05)],
    )
    run = r["p"]
    assert run.retrains == 5
    assert all(e.gate_reasons for e in run.events)
    # a challenger trained on the current concept is not worse than the champion
    assert run.deployments >= 4


@pytest.mark.parametrize("kind", ["detect", "Reference"])
def test_batch_drift_test_from_mllifecycle_drift_when_available(kind):
    drift = pytest.importorskip("mllifecycle.drift")
    if not hasattr(drift, kind):
        pytest.skip(f"mllifecycle.drift has no {kind} yet")
    import functools

    s = gaussian_stream(10_000, kind="covariate", rng=0)
    # a partial of the test function, or the Reference class (refitted per deployment)
    detector = functools.partial(drift.detect, alpha=0.001) if kind == "detect" else drift.Reference
    r = replay(
        s.X,
        s.y,
        LR,
        {"never": never, "batch": cooldown(OnDrift(detector), 1000)},
        batch_size=500,
        window=SlidingWindow(1000),
    )
    run = r["batch"]
    assert run.retrains >= 3
    assert all(f"{kind} found drift" in e.reason for e in run.events)
    # covariate shift: the features move, so the batch test sees it and retraining pays
    assert run.accuracy > r["never"].accuracy + 0.1
