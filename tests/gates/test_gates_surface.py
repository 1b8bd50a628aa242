"""The public surface: to_metrics, as_gate, progress, the shared vocabulary."""

from __future__ import annotations

import inspect
import json
import pickle
import re

import numpy as np
import pytest

from mllifecycle import gates
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import (
    CalibrationNoWorse,
    FunctionGate,
    GateContext,
    GateResult,
    MetricThreshold,
    NoRegression,
    SliceNoRegression,
    as_gate,
    delong,
    evaluate_gates,
    mcnemar,
    paired_bootstrap,
    paired_permutation,
)
from mllifecycle.testing import check_gate

MLFLOW_NAME = re.compile(r"^[0-9A-Za-z_\-./ :]+$")


def _data(n=400, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    s1 = y + rng.normal(0, 1.0, n)
    s2 = y + rng.normal(0, 0.8, n)
    p1, p2 = 1 / (1 + np.exp(-2 * (s1 - 0.5))), 1 / (1 + np.exp(-2 * (s2 - 0.5)))
    return y, s1, s2, p1, p2


def _flat_ok(m):
    assert m
    for k, v in m.items():
        assert isinstance(k, str)
        assert MLFLOW_NAME.match(k), k
        assert type(v) is float
        assert np.isfinite(v)
    json.dumps(m)


def test_every_result_has_to_metrics():
    y, s1, s2, p1, p2 = _data()
    a, b = (s1 > 0.5) * 1, (s2 > 0.5) * 1
    boot = paired_bootstrap(y, a, b, metric="accuracy", n_resamples=300, rng=0)
    m = boot.to_metrics()
    _flat_ok(m)
    assert m["p_value"] == boot.p_value
    assert m["std_error"] == boot.std_error
    assert m["null_rejected"] == float(boot.null_rejected)
    assert "metric" not in m  # text is left out
    for res in (
        delong(y, s1, s2),
        mcnemar(y, a, b),
        paired_permutation(y, a, b, metric="accuracy"),
    ):
        m = res.to_metrics()
        _flat_ok(m)
        assert m["p_value"] == res.p_value
    ctx = GateContext(y_true=y, champion=a, challenger=b, champion_proba=p1,
                      challenger_proba=p2, slices=y, rng=0)
    report = evaluate_gates(
        [MetricThreshold("accuracy", minimum=0.6), NoRegression("accuracy", margin=0.02,
                                                                n_resamples=300),
         CalibrationNoWorse(n_resamples=300), SliceNoRegression("accuracy", n_resamples=300)],
        ctx,
    )
    for r in report.results:
        m = r.to_metrics()
        _flat_ok(m)
        assert m["passed"] == float(r.passed)
    m = report.to_metrics()
    _flat_ok(m)
    assert m["passed"] == float(report.passed)
    assert m["NoRegression_accuracy_margin_0.02.lower_bound"] == report.results[1].evidence[
        "lower_bound"
    ]
    assert m["CalibrationNoWorse_ece_margin_0.01_brier_margin_0.005.brier_score.p_value"] == (
        report.results[2].evidence["brier_score"]["p_value"]
    )


def test_report_metrics_keep_gates_with_the_same_name_apart():
    ctx = GateContext(y_true=[0, 1, 1, 0, 1], challenger=[0, 1, 1, 0, 0])
    rep = evaluate_gates([MetricThreshold("accuracy", minimum=0.5)] * 2, ctx)
    keys = [k for k in rep.to_metrics() if k.endswith(".value")]
    assert keys == ["MetricThreshold_accuracy_0.5.value", "MetricThreshold_accuracy_0.5_2.value"]


def predicts_both_classes(ctx):
    return bool(np.unique(ctx.challenger).size == 2)


def test_as_gate_wraps_a_function():
    ctx = GateContext(y_true=[0, 1, 1, 0], challenger=[0, 1, 1, 1])
    gate = as_gate(predicts_both_classes)
    assert isinstance(gate, FunctionGate)
    res = gate.check(ctx)
    assert res.passed
    assert res.name == "predicts_both_classes"
    assert "returned True" in res.reasons[0]
    check_gate(gate, ctx)  # the Gate protocol, pickling included
    assert pickle.loads(pickle.dumps(gate)).check(ctx).passed
    one = GateContext(y_true=[0, 1, 1, 0], challenger=[1, 1, 1, 1])
    assert not as_gate(predicts_both_classes, name="both").check(one).passed
    passthrough = as_gate(lambda c: GateResult(passed=False, name="mine", reasons="no"))
    assert passthrough.check(ctx).name == "mine"
    assert as_gate(lambda c: np.bool_(True)).check(ctx).passed


def test_evaluate_gates_takes_bare_functions():
    ctx = GateContext(y_true=[0, 1, 1, 0], challenger=[0, 1, 1, 1])
    report = evaluate_gates([predicts_both_classes, MetricThreshold("accuracy", minimum=0.5)],
                            ctx)
    assert report.passed
    assert report.results[0].name == "predicts_both_classes"
    assert evaluate_gates(predicts_both_classes, ctx).passed


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: as_gate(3), "'func' parameter of as_gate must be a callable"),
        (lambda: as_gate(len, name=4), "'name' parameter"),
        (
            lambda: as_gate(lambda c: 0.7, name="score").check(
                GateContext(y_true=[0, 1], challenger=[0, 1])
            ),
            "'func' parameter of score must be a function returning a bool, a GateResult "
            "or a GateReport",
        ),
        (lambda: as_gate(len).check({"y": 1}), "'context' parameter .* GateContext"),
    ],
)
def test_as_gate_errors(call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call()


@pytest.mark.parametrize(
    ("metric", "kind"),
    [("accuracy", "label"), ("log_loss", "proba"), ("roc_auc", "score"), ("callable", "label")],
)
def test_progress_callback_reaches_the_total(metric, kind):
    y, s1, s2, p1, p2 = _data(300)
    a, b = {"label": ((s1 > 0.5) * 1, (s2 > 0.5) * 1), "proba": (p1, p2), "score": (s1, s2)}[
        kind
    ]
    kw = {}
    if metric == "callable":
        metric = lambda t, p: float(np.mean(t == p))  # noqa: E731
        kw["higher_is_better"] = True
    seen = []
    paired_bootstrap(y, a, b, metric=metric, n_resamples=250, rng=0,
                     progress=lambda d, t: seen.append((d, t)), **kw)
    assert seen
    assert seen[-1] == (250, 250)
    assert all(t == 250 for _, t in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_permutation_progress_callback():
    y, s1, s2, _, _ = _data(100)
    seen = []
    res = paired_permutation(y, s1, s2, metric="roc_auc", n_resamples=300, rng=0,
                             progress=lambda d, t: seen.append((d, t)))
    assert not res.exact
    assert seen[-1] == (300, 300)


@pytest.mark.parametrize("func", [paired_bootstrap, paired_permutation])
def test_progress_is_validated(func):
    with pytest.raises(InvalidParameterError, match="'progress' parameter"):
        func([0, 1, 0, 1], [0, 1, 1, 1], [0, 1, 0, 1], metric="accuracy", progress="yes")


def test_vocabulary_of_the_gates():
    """std_error, n_resamples, n_bins, confidence_level, rng; correction=None accepted."""
    never = {"standard_error", "n_permutations", "n_bootstrap", "bins", "confidence",
             "level", "seed", "random_state", "stderr", "se"}
    for name in gates.__all__:
        obj = getattr(gates, name)
        if callable(obj):
            params = set(inspect.signature(obj).parameters)
            assert not params & never, (name, params & never)
        if hasattr(obj, "__attrs_attrs__"):
            fields = {f.name for f in obj.__attrs_attrs__}
            assert not fields & never, (name, fields & never)
    gate = SliceNoRegression("accuracy", correction=None)
    assert gate.correction is None
