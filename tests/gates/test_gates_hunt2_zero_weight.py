"""A class or a slice whose rows all weigh zero carries no evidence."""

from __future__ import annotations

import warnings

import numpy as np

from mllifecycle.gates import (
    GateContext,
    MetricThreshold,
    NoRegression,
    SignificantImprovement,
    SliceNoRegression,
)


def _data(n: int = 600):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, n)
    region = rng.choice(["a", "b"], n)
    pa = np.clip(0.3 * y + 0.7 * rng.random(n), 0, 1)
    pb = np.clip(0.3 * y + 0.7 * rng.random(n), 0, 1)
    return y, region, pa, pb


def _ctx(w):
    y, region, pa, pb = _data()
    return GateContext(
        y_true=y, champion=(pa > 0.5) * 1, challenger=(pb > 0.5) * 1, champion_proba=pa,
        challenger_proba=pb, slices=region, sample_weight=w, rng=0,
    )


def test_auc_gates_skip_when_a_class_weighs_zero() -> None:
    y, *_ = _data()
    ctx = _ctx(np.where(y == 1, 0.0, 1.0))
    # MetricThreshold failed on "roc_auc nan < minimum"; the paired gates raised
    for gate in (MetricThreshold("roc_auc", minimum=0.6),
                 MetricThreshold("roc_auc", maximum=0.99),
                 NoRegression("roc_auc", margin=0.05, n_resamples=200),
                 SignificantImprovement("roc_auc", n_resamples=200)):
        res = gate.check(ctx)
        assert res.skipped, res
        assert res.passed
        assert "positive weight" in res.reasons[0]


def test_slice_weighted_zero_is_not_judged() -> None:
    _, region, *_ = _data()
    ctx = _ctx(np.where(region == "b", 0.0, 1.0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for metric in ("accuracy", "roc_auc"):
            res = SliceNoRegression(metric, n_resamples=200).check(ctx)
            assert [r["slice"] for r in res.evidence["slices"]] == ["a"]
            assert res.evidence["too_small"] == ["b (n=0 of positive weight)"]


def test_slice_with_few_weighted_rows_is_not_judged() -> None:
    y, region, _, _ = _data()
    # slice b: the challenger wrong on its only 3 weighted rows, 0 weight elsewhere
    b_rows = np.flatnonzero(region == "b")
    w = np.where(region == "b", 0.0, 1.0)
    w[b_rows[:3]] = 1.0
    new = y.copy()
    new[b_rows[:3]] = 1 - y[b_rows[:3]]
    ctx = GateContext(y_true=y, champion=y.copy(), challenger=new, slices=region,
                      sample_weight=w, rng=0)
    res = SliceNoRegression("accuracy", n_resamples=200).check(ctx)
    # three weighted rows were judged as a whole slice of 300 and flagged
    assert res.passed
    assert res.evidence["too_small"] == ["b (n=3 of positive weight)"]


def test_auc_slice_with_one_weighted_class_is_not_judged() -> None:
    y, region, *_ = _data()
    ctx = _ctx(np.where((region == "b") & (y == 1), 0.0, 1.0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = SliceNoRegression("roc_auc", n_resamples=200).check(ctx)
    assert res.evidence["too_small"] == ["b (one class only)"]
    assert [r["slice"] for r in res.evidence["slices"]] == ["a"]
