"""Resamples too few for the level, context equality, ECE bins, one-class holdouts."""

from __future__ import annotations

import copy
import pickle
import warnings

import numpy as np
import pytest

from mllifecycle import gates as G
from mllifecycle._io import check_n_resamples
from mllifecycle.exceptions import InvalidParameterError

RNG = np.random.default_rng(0)
N = 300
Y = RNG.integers(0, 2, N)
A = np.where(RNG.random(N) < 0.7, Y, 1 - Y)
B = np.where(RNG.random(N) < 0.8, Y, 1 - Y)


# --- n_resamples below what the level needs -------------------------------------


def test_min_resamples_rule():
    from mllifecycle._levels import min_resamples

    assert [min_resamples(t) for t in (0.05, 0.025, 0.01, 0.001, 0.3)] == [20, 40, 100, 1000, 4]


@pytest.mark.parametrize("make", [
    lambda n: G.NoRegression("accuracy", margin=0.01, n_resamples=n),
    lambda n: G.SignificantImprovement("accuracy", n_resamples=n),
    lambda n: G.SignificantImprovement("roc_auc", method="delong", n_resamples=n),
    lambda n: G.SliceNoRegression("accuracy", n_resamples=n),
    lambda n: G.CalibrationNoWorse(n_resamples=n),
], ids=["NoRegression", "SignificantImprovement", "delong-gate", "Slice", "Calibration"])
def test_gates_refuse_fewer_resamples_than_one_over_alpha(make):
    # n_resamples=1 decided on a one-value "interval": the gate passed or failed
    for n in (1, 19):
        with pytest.raises(InvalidParameterError, match=r"'n_resamples'.*at least 1/alpha = 20"):
            make(n)
    assert make(20).n_resamples == 20


def test_gate_minimum_follows_alpha():
    with pytest.raises(InvalidParameterError, match="at least 1/alpha = 100"):
        G.NoRegression("accuracy", margin=0.0, alpha=0.01, n_resamples=99)
    G.NoRegression("accuracy", margin=0.0, alpha=0.01, n_resamples=100)
    # McNemar draws no resamples
    assert G.SignificantImprovement("accuracy", method="mcnemar", n_resamples=1).n_resamples == 1


def test_one_resample_no_longer_decides():
    ctx = G.GateContext(y_true=Y, champion=A, challenger=B, rng=0)
    with pytest.raises(InvalidParameterError, match="n_resamples"):
        G.SignificantImprovement("accuracy", margin=0.01, n_resamples=1).check(ctx)


def test_functions_refuse_too_few_resamples_for_their_level():
    with pytest.raises(InvalidParameterError, match=r"2/\(1 - confidence_level\) = 40"):
        G.paired_bootstrap(Y, A, B, metric="accuracy", n_resamples=39)
    with pytest.raises(InvalidParameterError, match=r"2/\(1 - confidence_level\) = 20"):
        G.paired_bootstrap(Y, A, B, metric="accuracy", n_resamples=19, confidence_level=0.9)
    res = G.paired_bootstrap(Y, A, B, metric="accuracy", n_resamples=40, rng=0)
    assert res.ci_low < res.ci_high
    with pytest.raises(InvalidParameterError, match="2/alpha = 40"):
        G.paired_permutation(Y, A, B, metric="accuracy", n_resamples=39)
    with pytest.raises(InvalidParameterError, match="1/alpha = 20"):
        G.paired_permutation(Y, A, B, metric="accuracy", n_resamples=19,
                             hypothesis="superiority")
    G.paired_permutation(Y, A, B, metric="accuracy", n_resamples=20, hypothesis="superiority")
    with pytest.raises(InvalidParameterError, match="n_resamples"):
        G.delong(Y, A * 1.0, B * 1.0, test="permutation", n_resamples=5)
    # DeLong's normal test draws none
    G.delong(Y, A * 1.0, B * 1.0, test="delong", n_resamples=1)


def test_cli_rule_is_the_librarys():
    with pytest.raises(InvalidParameterError, match=r"at least 1/alpha = 20 .*\(default 10000\)"):
        check_n_resamples(19, 0.05, "mllifecycle gate")
    assert check_n_resamples(20, 0.05, "mllifecycle gate") == 20


# --- GateContext equality and hashing -------------------------------------------


def _ctx(**kw):
    base = {"y_true": Y, "champion": A, "challenger": B,
            "challenger_proba": np.clip(B * 0.8 + 0.1, 0, 1),
            "slices": {"r": np.where(Y == 1, "a", "b")}, "rng": 0}
    base.update(kw)
    return G.GateContext(**base)


def test_context_equality_is_well_defined():
    # "The truth value of an array with more than one element is ambiguous"
    c = _ctx()
    assert c == _ctx()
    assert c == copy.deepcopy(c)
    assert c == pickle.loads(pickle.dumps(c))
    assert not c.__ne__(_ctx())
    assert c != _ctx(challenger=A)
    assert c != _ctx(slices=None)
    assert c != _ctx(rng=1)
    # booleans and numbers are labels of different kinds to the gates
    assert (G.GateContext(y_true=[True, False], challenger=[True, True])
            != G.GateContext(y_true=[1, 0], challenger=[1, 1]))


def test_context_and_results_are_cleanly_unhashable():
    c = _ctx()
    with pytest.raises(TypeError, match="unhashable type: 'GateContext'"):
        hash(c)
    r = G.GateResult(passed=True, name="x", evidence={"a": 1})
    with pytest.raises(TypeError, match="unhashable type: 'GateResult'"):
        hash(r)
    rep = G.evaluate_gates([G.MetricThreshold("accuracy", minimum=0.5)], c)
    with pytest.raises(TypeError, match="unhashable type: 'GateReport'"):
        hash(rep)


# --- n_bins of the calibration error ----------------------------------------------


def test_ece_refuses_more_bins_than_examples():
    p = RNG.random(N)
    q = np.clip(0.5 + 1.5 * (p - 0.5), 0, 1)
    # n_bins=10**9 allocated the bins whole: MemoryError
    for nb in (N + 1, 10**9, 10**30):
        with pytest.raises(InvalidParameterError, match=r"'n_bins'.*at most the number of "
                                                        r"examples \(300\)"):
            G.paired_bootstrap(Y, p, q, metric="ece", n_bins=nb, n_resamples=100, rng=0)
    ctx = _ctx(champion_proba=p, challenger_proba=q)
    with pytest.raises(InvalidParameterError, match="'n_bins'"):
        G.CalibrationNoWorse(n_bins=10**12, n_resamples=100).check(ctx)
    # as many bins as examples: empty bins add nothing (same as a hand computation)
    res = G.paired_bootstrap(Y, p, q, metric="ece", n_bins=N, n_resamples=100, rng=0)
    conf = np.maximum(p, 1 - p)
    gap = ((p > 0.5).astype(int) == Y) - conf
    bins = np.minimum((conf * N).astype(int), N - 1)
    hand = np.abs(np.bincount(bins, gap, minlength=N)).sum() / N
    assert res.champion_value == pytest.approx(hand, rel=1e-12)


def test_ece_default_bins_on_a_tiny_sample_still_work():
    y = np.array([0, 1, 1])
    res = G.paired_bootstrap(y, np.array([0.2, 0.7, 0.9]), np.array([0.4, 0.6, 0.55]),
                             metric="ece", n_resamples=40, rng=0)
    assert np.isfinite(res.difference)


# --- one-class or tiny holdouts ------------------------------------------------------


def _one_class(classes=(0, 1)):
    y = np.zeros(50, dtype=int)
    a = np.zeros(50, dtype=int)
    b = np.r_[np.zeros(45, dtype=int), np.ones(5, dtype=int)]
    return G.GateContext(y_true=y, champion=a, challenger=b,
                         champion_proba=np.linspace(0.1, 0.4, 50),
                         challenger_proba=np.linspace(0.2, 0.6, 50), rng=0,
                         classes=None if classes is None else list(classes))


@pytest.mark.parametrize("gate", [
    G.MetricThreshold("roc_auc", minimum=0.5),
    G.NoRegression("roc_auc", margin=0.0, n_resamples=200),
    G.NoRegression("roc_auc", margin=0.01, n_resamples=200),
    G.SignificantImprovement("roc_auc", n_resamples=200),
    G.SignificantImprovement("roc_auc", method="delong", n_resamples=200),
], ids=lambda g: g.name)
@pytest.mark.parametrize("classes", [None, (0, 1)])
def test_roc_auc_on_one_class_is_skipped_with_a_reason(gate, classes):
    # ROC AUC has no value on one class: the gate raised mid-replay
    res = gate.check(_one_class(classes))
    assert res.skipped
    assert res.passed
    assert "undefined on data holding one class only" in res.reasons[0]
    assert res.evidence["applies"] is False


def test_predictions_of_a_class_the_holdout_lacks_are_judged_with_classes():
    ctx = _one_class()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = G.MetricThreshold("accuracy", minimum=0.95).check(ctx)
        assert not res.passed
        assert res.evidence["value"] == pytest.approx(0.9)
        # the challenger is wrong on 5 of 50 where the champion is right on all
        assert not G.NoRegression("accuracy", margin=0.01, n_resamples=500).check(ctx).passed
        mc = G.SignificantImprovement("accuracy", method="mcnemar").check(ctx)
        assert not mc.passed
        assert mc.evidence["n_champion_only"] == 5
        # 1-D probabilities are those of the larger of the classes given
        ll = G.MetricThreshold("log_loss", maximum=10.0).check(ctx)
        p = np.linspace(0.2, 0.6, 50)
        assert ll.evidence["value"] == pytest.approx(-np.log(1 - p).mean())
        assert G.CalibrationNoWorse(n_resamples=200).check(ctx).evidence


def test_without_classes_the_error_says_how_to_name_them():
    ctx = _one_class(classes=None)
    with pytest.raises(InvalidParameterError, match=r"GateContext\(classes=\.\.\.\)"):
        G.NoRegression("accuracy", margin=0.01).check(ctx)
    with pytest.raises(InvalidParameterError, match=r"GateContext\(classes=\.\.\.\)"):
        G.NoRegression("log_loss", margin=0.01).check(ctx)


def test_classes_are_checked_and_kept_by_subset():
    with pytest.raises(InvalidParameterError, match=r"'classes'.*every label of y_true"):
        G.GateContext(y_true=[0, 1, 2], challenger=[0, 1, 2], classes=[0, 1])
    with pytest.raises(InvalidParameterError, match="'classes'"):
        G.GateContext(y_true=[0, 1], challenger=[0, 1], classes=["0", "1"])
    ctx = G.GateContext(y_true=[0, 1, 1, 0], challenger=[0, 1, 1, 1], classes=[1, 0, 2])
    assert ctx.classes.tolist() == [0, 1, 2]
    sub = ctx.subset(np.array([True, False, False, True]))
    assert sub.classes.tolist() == [0, 1, 2]
    assert sub.labels.tolist() == [0, 1, 2]
