"""replay with gates: each retrain event keeps the gates' own reasons, not only the verdict."""

from __future__ import annotations

from sklearn.linear_model import LogisticRegression

from mllifecycle.datasets import sea_stream
from mllifecycle.gates import GateContext, MetricThreshold, NoRegression, evaluate_gates
from mllifecycle.policies import Periodic, SlidingWindow
from mllifecycle.replay import replay


def test_events_keep_each_gates_reasons():
    # before: gate_reasons was ("FAILED: 1 of 2 gate(s) failed",), the verdict
    # alone: which gate refused the retrain, and on what numbers, was lost
    s = sea_stream(1500, rng=0)
    gates = [NoRegression("accuracy", margin=0.0), MetricThreshold("accuracy", minimum=0.5)]
    run = replay(s.X, s.y, LogisticRegression(), {"p": Periodic(every=300)},
                 window=SlidingWindow(300), initial_train_size=300, gates=gates)["p"]
    refused = [e for e in run.events if not e.deployed]
    assert refused
    for e in run.events:
        assert e.gate_reasons[0].startswith(("PASSED", "FAILED"))
        assert any(r.startswith("[PASS] MetricThreshold(accuracy >= 0.5): accuracy ")
                   for r in e.gate_reasons)
        assert any(r.startswith(("[PASS] NoRegression", "[FAIL] NoRegression"))
                   for r in e.gate_reasons)
    # the lines are the gates' own reasons, as evaluate_gates reports them
    e = refused[0]
    holdout = slice(e.train_stop, e.train_stop + 60)
    assert e.train_stop - e.train_start == 240
    y = s.y[holdout]
    cand = LogisticRegression().fit(s.X[e.train_start:e.train_stop],
                                    s.y[e.train_start:e.train_stop])
    champ = LogisticRegression().fit(s.X[:300], s.y[:300])
    report = evaluate_gates(gates, GateContext(
        y_true=y, challenger=cand.predict(s.X[holdout]), champion=champ.predict(s.X[holdout]),
        challenger_proba=cand.predict_proba(s.X[holdout]),
        champion_proba=champ.predict_proba(s.X[holdout]), rng=e.step, classes=[0, 1]))
    expected = list(report.reasons) + [
        f"[{r.status}] {r.name}: {x}" for r in report.results for x in r.reasons
    ]
    assert list(e.gate_reasons) == expected
    assert e.to_dict()["gate_reasons"] == expected
