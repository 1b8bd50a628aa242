"""policies.select, and check_policy / check_window agreeing with what replay accepts."""

from __future__ import annotations

import json
from decimal import Decimal

import numpy as np
import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle.datasets import sea_stream
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import (
    ExpandingWindow,
    LifecycleState,
    OnDrift,
    Oracle,
    Periodic,
    RecencyWeights,
    SinceLastDrift,
    SlidingWindow,
    recommended,
    select,
)
from mllifecycle.replay import replay
from mllifecycle.testing import check_policy, check_window


@pytest.fixture(scope="module")
def stream():
    return sea_stream(4000, noise=0.05, rng=3)


def never(state):
    return False


def test_select_picks_the_cheapest_by_the_cost_rule(stream):
    cands = {"never": never, "every 500": Periodic(every=500), "every 2000": Periodic(every=2000)}
    model = GaussianNB()
    r = replay(stream.X, stream.y, model, cands)
    for rc in (0.0, 10_000.0):
        choice = select(stream.X, stream.y, model, cands, retrain_cost=rc)
        costs = {k: run.retrains * rc + run.errors for k, run in r.runs.items()}
        assert choice.best == min(costs, key=lambda k: (costs[k], r[k].retrains))
        assert [row["cost"] for row in choice.table] == sorted(costs.values())
        assert choice.policy is cands[choice.best]
    assert choice.best == "never"  # retraining at 10,000 errors a go never pays
    json.dumps(choice.to_dict())
    assert set(choice.to_metrics()) >= {"never.cost", "every 500.retrains"}
    assert "best: never" in choice.summary()
    assert "never" in choice._repr_html_()


def test_select_passes_replay_options_through(stream):
    a = select(
        stream.X,
        stream.y,
        GaussianNB(),
        {"p": Periodic(every=700)},
        label_delay=300,
        window=SlidingWindow(300),
    )
    b = replay(
        stream.X,
        stream.y,
        GaussianNB(),
        {"p": Periodic(every=700)},
        label_delay=300,
        window=SlidingWindow(300),
    )
    assert a.table[0]["accuracy"] == b["p"].accuracy


@pytest.mark.parametrize(
    ("candidates", "message"),
    [({}, "'candidates' parameter of select"), ([never], "'candidates' parameter of select")],
)
def test_select_bad_input(stream, candidates, message):
    with pytest.raises(InvalidParameterError, match=message):
        select(stream.X, stream.y, GaussianNB(), candidates)


def test_select_bad_cost(stream):
    with pytest.raises(InvalidParameterError, match="'retrain_cost' parameter of select"):
        select(stream.X, stream.y, GaussianNB(), {"n": never}, retrain_cost=-1)


# ---- check_policy accepts exactly what replay accepts ---------------------------------


class ReturnsBool:
    def should_retrain(self, state):
        return True


class NotCallable:
    should_retrain = 3


def _states():
    return [
        LifecycleState(step=s, samples_since_retrain=s, labels_available=s)
        for s in (1200, 1300, 2500, 4000)
    ]


@pytest.mark.parametrize(
    "policy",
    [never, lambda state: state.step > 1250, Periodic(every=1000), recommended(), Oracle([1100])],
)
def test_what_replay_runs_check_policy_accepts(policy, stream):
    check_policy(policy, _states())
    replay(stream.X[:2000], stream.y[:2000], GaussianNB(), {"p": policy})


@pytest.mark.parametrize("policy", [ReturnsBool(), NotCallable(), 42, None])
def test_what_replay_refuses_check_policy_refuses(policy, stream):
    with pytest.raises(AssertionError):
        check_policy(policy, _states())
    with pytest.raises(TypeError):
        replay(stream.X[:2000], stream.y[:2000], GaussianNB(), {"p": policy})


class Overreach:
    def select(self, state):
        from mllifecycle.policies import WindowSelection

        return WindowSelection(start=0, stop=state.labels_available + 1)


@pytest.mark.parametrize(
    "window",
    [
        SlidingWindow(300),
        ExpandingWindow(),
        SinceLastDrift(200, max_samples=900),
        RecencyWeights(150.0),
    ],
)
def test_built_in_windows_pass_check_window(window):
    states = [
        LifecycleState(step=s, labels_available=s, last_change_point=cp)
        for s, cp in ((100, None), (1000, 400), (5000, 4990), (5000, None))
    ]
    check_window(window, states)


def test_check_window_catches_unlabelled_rows(stream):
    with pytest.raises(AssertionError, match="labelled"):
        check_window(Overreach(), [LifecycleState(step=10, labels_available=10)])
    with pytest.raises(ValueError, match="only rows"):
        replay(
            stream.X[:2000],
            stream.y[:2000],
            GaussianNB(),
            {"p": Periodic(every=200)},
            window=Overreach(),
        )


def test_replay_default_window_follows_the_change(stream):
    r = replay(
        stream.X,
        stream.y,
        GaussianNB(),
        {"p": Periodic(every=1000), "o": Oracle([2500], refits=(600,))},
    )
    assert {(e.train_start, e.train_stop) for e in r["p"].events} >= {(1000, 2000)}
    (event,) = r["o"].events
    assert event.train_start == 2500
    assert event.train_stop >= 3100


def test_recommended_same_seed_same_result(stream):
    a = replay(stream.X, stream.y, GaussianNB(), {"r": recommended()}, label_delay=100)
    b = replay(stream.X, stream.y, GaussianNB(), {"r": recommended()}, label_delay=100)
    da, db = a["r"].to_dict(detail=True), b["r"].to_dict(detail=True)
    da.pop("compute_seconds")
    db.pop("compute_seconds")
    assert da == db
    assert np.array_equal(a["r"].batch_accuracy, b["r"].batch_accuracy)


def test_on_drift_refits_replay_end_to_end():
    from mllifecycle.drift.stream import ADWIN

    s = sea_stream(12_000, thresholds=(8.0, 10.0), noise=0.02, rng=5)
    r = replay(s.X, s.y, GaussianNB(), {"d": OnDrift(ADWIN())}, label_delay=100)
    events = r["d"].events
    detections = [e for e in events if "detected" in e.reason]
    refits = [e for e in events if "staged refit" in e.reason]
    assert detections
    assert len(refits) >= 2
    first = detections[0]
    assert 6000 < first.step < 7000  # soon after the change at 6000
    # each refit trains on the rows since the detected change (the default window)
    for e in refits:
        assert e.train_start >= 6000
        assert e.train_stop <= e.step - 100  # no label early


# ---- select fans out over joblib --------------------------------------------------


def _select_table(stream, **kw):
    cands = {
        "never": never,
        "every 700": Periodic(every=700),
        "recommended": recommended(),
        "oracle": Oracle([2000]),
    }
    choice = select(
        stream.X,
        stream.y,
        GaussianNB(),
        cands,
        retrain_cost=5.0,
        label_delay=100,
        window={"every 700": SlidingWindow(600)},
        **kw,
    )
    runs = {
        k: (r.accuracy, r.retrains, [(e.step, e.train_start, e.train_stop) for e in r.events])
        for k, r in choice.replay.runs.items()
    }
    return choice.best, choice.table, runs


@pytest.fixture(scope="module")
def serial_choice(stream):
    return _select_table(stream)


def test_select_serial_equals_one_replay_of_all_candidates(stream, serial_choice):
    # the fan-out (one replay per candidate) gives what one replay of them all gives
    _, table, runs = serial_choice
    r = replay(
        stream.X,
        stream.y,
        GaussianNB(),
        {
            "never": never,
            "every 700": Periodic(every=700),
            "recommended": recommended(),
            "oracle": Oracle([2000]),
        },
        retrain_cost=5.0,
        label_delay=100,
        window={"every 700": SlidingWindow(600)},
    )
    for name, (acc, retrains, events) in runs.items():
        assert acc == r[name].accuracy
        assert retrains == r[name].retrains
        assert events == [(e.step, e.train_start, e.train_stop) for e in r[name].events]
    assert {row["policy"]: row["cost"] for row in table} == {
        k: run.cost for k, run in r.runs.items()
    }


@pytest.mark.parametrize("backend", ["threading", "loky"])
def test_select_parallel_backends_give_the_serial_result(stream, serial_choice, backend):
    joblib = pytest.importorskip("joblib")
    with joblib.parallel_backend(backend, n_jobs=2):
        got = _select_table(stream)
    assert got == serial_choice


def test_select_n_jobs_gives_the_serial_result(stream, serial_choice):
    assert _select_table(stream, n_jobs=2) == serial_choice


def test_select_progress_callback(stream):
    seen = []
    select(
        stream.X[:2500],
        stream.y[:2500],
        GaussianNB(),
        {"never": never, "p": Periodic(every=500)},
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(1, 2), (2, 2)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_jobs": 0}, "'n_jobs' parameter of select"),
        ({"n_jobs": "two"}, "'n_jobs' parameter of select"),
        ({"progress": "yes"}, "'progress' parameter of select"),
        ({"window": {"nope": SlidingWindow(100)}}, "'window' parameter of select"),
        (
            {"policies": {"q": never}},
            r"'policies' parameter of select must be left out: select backtests its "
            r"candidates \(pass the policies as candidates, a mapping of name to policy\)\. "
            r"Got policies=\{'q': <function never at .*\} instead",
        ),
        ({"policies": None}, r"'policies' parameter of select .* Got policies=None instead"),
    ],
)
def test_select_bad_fan_out_options(stream, kwargs, message):
    with pytest.raises(InvalidParameterError, match=message):
        select(stream.X, stream.y, GaussianNB(), {"n": never}, **kwargs)


def test_select_breaks_a_decimal_tie_by_fewer_retrains(stream):
    # A retrain costing exactly as much as the errors it saves is a tie, and a
    # tie goes to fewer retrains. In floats the costs can differ in the last
    # bit (1 * 0.3 < 3 * 0.1), which used to decide the tie the other way.
    model = GaussianNB()
    cands = {"never": never, "every 2500": Periodic(every=2500)}
    r = replay(stream.X, stream.y, model, cands)
    saved = r["never"].errors - r["every 2500"].errors
    retrains = r["every 2500"].retrains
    assert retrains == 1
    assert saved > 0
    found = False
    for ec in ("0.1", "0.3", "0.7", "0.9", "1.1", "0.01"):
        rc = str(Decimal(saved) * Decimal(ec))  # the exact decimal tie
        float_costs = {
            "never": r["never"].errors * float(ec),
            "every 2500": retrains * float(rc) + r["every 2500"].errors * float(ec),
        }
        choice = select(stream.X, stream.y, model, cands,
                        retrain_cost=float(rc), error_cost=float(ec))
        assert choice.best == "never", (ec, rc)
        found |= float_costs["every 2500"] < float_costs["never"]
    assert found  # at least one of the ties misorders in floats
