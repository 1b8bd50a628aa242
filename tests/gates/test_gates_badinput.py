"""A table of bad inputs: each raises InvalidParameterError with a clear message."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import (
    CalibrationNoWorse,
    GateContext,
    MetricThreshold,
    NoRegression,
    SignificantImprovement,
    SliceNoRegression,
    delong,
    evaluate_gates,
    mcnemar,
    paired_bootstrap,
)

Y = np.array([0, 1, 0, 1, 1, 0, 1, 0])
A = np.array([0, 1, 1, 1, 0, 0, 1, 0])
P = np.array([0.2, 0.7, 0.6, 0.9, 0.4, 0.1, 0.8, 0.3])


def pb(**kw):
    args = {"y_true": Y, "champion": A, "challenger": A, "metric": "accuracy"}
    args.update(kw)
    return paired_bootstrap(
        args.pop("y_true"), args.pop("champion"), args.pop("challenger"), **args
    )


CASES = [
    # length mismatches
    (lambda: pb(challenger=A[:-1]), "same number of samples as 'y_true'"),
    (lambda: mcnemar(Y, A, A[:5]), "same number of samples"),
    (lambda: delong(Y, P, P[:-2]), "same number of samples"),
    (
        lambda: pb(sample_weight=np.ones(3)),
        "'sample_weight' parameter .* one weight per",
    ),
    (lambda: GateContext(y_true=Y, challenger=A[:4]), "same number of samples"),
    (
        lambda: GateContext(y_true=Y, challenger=A, slices=np.arange(3)),
        "one slice label per",
    ),
    # labels in predictions not in y_true
    (
        lambda: pb(challenger=np.array([0, 1, 2, 1, 0, 0, 1, 0])),
        "labels present in y_true",
    ),
    # text predictions against number labels: refused for their kind first
    (
        lambda: mcnemar(Y, A, np.array(["a"] * 8)),
        r"'challenger_pred' .* same kind as 'y_true''s \(numbers, such as 0; .*Got text",
    ),
    (lambda: mcnemar(Y, A, np.array([0, 1, 2, 1, 0, 0, 1, 0])), "labels present in y_true"),
    # probabilities outside [0, 1] or rows not summing to 1
    (
        lambda: pb(metric="log_loss", champion=P, challenger=P + 0.5),
        r"probabilities in \[0, 1\]",
    ),
    (
        lambda: pb(
            metric="brier_score",
            champion=np.column_stack([1 - P, P]),
            challenger=np.column_stack([P, P]),
        ),
        "sum to 1",
    ),
    (lambda: GateContext(y_true=Y, challenger=A, challenger_proba=-P), r"\[0, 1\]"),
    (
        lambda: pb(
            metric="log_loss",
            champion=np.full((8, 3), 1 / 3),
            challenger=np.full((8, 3), 1 / 3),
        ),
        "one column per class",
    ),
    # a single class in y_true for AUC
    (lambda: delong(np.ones(8), P, P), "exactly two classes"),
    (
        lambda: pb(y_true=np.zeros(8), metric="roc_auc", champion=P, challenger=P),
        "exactly two",
    ),
    (lambda: delong(np.array([0, 1, 2, 0, 1, 2, 0, 1]), P, P), "exactly two classes"),
    # unknown metric names
    (
        lambda: pb(metric="acuracy"),
        "'metric' parameter of paired_bootstrap must be a callable or one of",
    ),
    (lambda: NoRegression("top5", margin=0.0), "'metric' parameter of NoRegression"),
    (
        lambda: pb(metric=len),
        "'higher_is_better' parameter .* a bool when metric is a callable",
    ),
    (lambda: pb(higher_is_better=False), "'higher_is_better'"),
    # parameters
    (lambda: pb(n_resamples=0), "'n_resamples'"),
    (lambda: pb(confidence_level=1.0), "'confidence_level'"),
    (lambda: pb(hypothesis="greater"), "'hypothesis'"),
    (lambda: pb(margin=0.1), "'margin' parameter .* 0.0 for hypothesis='two-sided'"),
    (lambda: pb(hypothesis="superiority", margin=-0.1), "'margin'"),
    (lambda: pb(ci_method="basic"), "'ci_method'"),
    (lambda: pb(rng=-1), "'rng'"),
    (
        lambda: pb(
            metric="f1",
            y_true=np.arange(8) % 3,
            champion=np.arange(8) % 3,
            challenger=np.arange(8) % 3,
        ),
        "binary labels",
    ),
    (lambda: pb(y_true=np.array([]), champion=[], challenger=[]), "at least 1 sample"),
    (
        lambda: pb(metric="mse", challenger=np.array([0, 1, np.nan, 1, 0, 0, 1, 0])),
        "NaN",
    ),
    (lambda: mcnemar(Y, A, A, exact="yes"), "'exact'"),
    (lambda: MetricThreshold("accuracy"), "give a bound"),
    (lambda: MetricThreshold("accuracy", minimum=0.9, maximum=0.5), "'maximum'"),
    (lambda: NoRegression("accuracy", margin=0.0, alpha=0.0), "'alpha'"),
    (lambda: SignificantImprovement("f1", method="mcnemar"), "for method='mcnemar'"),
    (
        lambda: SignificantImprovement("accuracy", method="delong"),
        "'roc_auc' for method='delong'",
    ),
    (lambda: SliceNoRegression("accuracy", min_slice_size=1), "'min_slice_size'"),
    (lambda: SliceNoRegression("accuracy", correction="fdr"), "'correction'"),
    (lambda: SliceNoRegression("accuracy", correction="none"), "'correction'"),
    (lambda: CalibrationNoWorse(ece_margin=-1), "'ece_margin'"),
    (
        lambda: evaluate_gates([], GateContext(y_true=Y, challenger=A)),
        "at least one gate",
    ),
    (
        lambda: evaluate_gates([object()], GateContext(y_true=Y, challenger=A)),
        "lacks check",
    ),
    (
        # was TypeError: 'int' object is not iterable
        lambda: evaluate_gates(5, GateContext(y_true=Y, challenger=A)),
        r"The 'gates' parameter of evaluate_gates must be a gate or an iterable of gates. "
        r"Got 5 instead.",
    ),
    (
        lambda: evaluate_gates([MetricThreshold("accuracy", minimum=0.5)], {"y": Y}),
        "a GateContext",
    ),
]


@pytest.mark.parametrize(("call", "match"), CASES)
def test_bad_input_raises(call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call()


CTX = GateContext(y_true=Y, champion=A, challenger=A, rng=0)

GATE_CASES = [
    # empty slices / no slices
    (SliceNoRegression("accuracy"), CTX, "with slices"),
    (SliceNoRegression("accuracy", by="region"), CTX, "a column of context.slices"),
    (
        SliceNoRegression("accuracy", by=lambda c: np.array([])),
        CTX,
        "at least 1 sample",
    ),
    (
        SliceNoRegression("accuracy", by=lambda c: np.zeros(3)),
        CTX,
        "one slice label per example",
    ),
    # probability metric without probabilities
    (
        NoRegression("log_loss", margin=0.0),
        CTX,
        "challenger_proba for metric 'log_loss'",
    ),
    (
        SignificantImprovement("roc_auc", method="delong"),
        GateContext(y_true=Y, champion=A, challenger=A, challenger_proba=P),
        "champion_proba for metric 'roc_auc'",
    ),
    (
        CalibrationNoWorse(),
        GateContext(y_true=Y, champion=A, challenger=A, challenger_proba=P),
        "champion_proba",
    ),
]


@pytest.mark.parametrize(("gate", "ctx", "match"), GATE_CASES)
def test_bad_context_raises(gate, ctx, match):
    with pytest.raises(InvalidParameterError, match=match):
        gate.check(ctx)


def test_empty_slices_mapping_rejected():
    with pytest.raises(InvalidParameterError, match="non-empty mapping"):
        GateContext(y_true=Y, challenger=A, slices={})


def test_error_message_names_argument_expectation_and_value():
    with pytest.raises(InvalidParameterError) as info:
        pb(challenger=np.array([0, 1, 7, 1, 0, 0, 1, 0]))
    msg = str(info.value)
    assert msg.startswith("The 'challenger' parameter of paired_bootstrap must be")
    assert "e.g. 7" in msg


_BAD_CTX = GateContext(y_true=Y, champion=np.r_[A[:-1], 2], challenger=A, rng=0)
_P3 = np.full((8, 3), 1 / 3)
_CTX3 = GateContext(y_true=Y, champion=A, challenger=A, champion_proba=_P3,
                    challenger_proba=_P3, rng=0)

NAMES = [
    # each message names the argument the caller passed, and the caller
    (lambda: delong(Y, P, P[:-2]), "'challenger_score' parameter of delong"),
    (lambda: delong(Y, np.ones((8, 3)), P), "'champion_score' parameter of delong"),
    (
        lambda: SignificantImprovement("accuracy", method="mcnemar").check(_BAD_CTX),
        "'champion' parameter of SignificantImprovement",
    ),
    (
        lambda: NoRegression("accuracy", margin=0.1).check(_BAD_CTX),
        "'champion' parameter of NoRegression",
    ),
    (
        lambda: SignificantImprovement("roc_auc", method="delong").check(_CTX3),
        "'champion_proba' parameter of SignificantImprovement",
    ),
    (
        lambda: NoRegression("log_loss", margin=0.1).check(
            GateContext(y_true=Y, champion=A, challenger=A, champion_proba=P,
                        challenger_proba=_P3, rng=0)
        ),
        "'challenger_proba' parameter of NoRegression",
    ),
    (lambda: mcnemar(Y, A, A, continuity_correction="yes"), "'continuity_correction'"),
]


@pytest.mark.parametrize(("call", "match"), NAMES)
def test_errors_name_the_callers_argument(call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call()


@pytest.mark.parametrize(
    "make",
    [
        lambda a: NoRegression("accuracy", margin=0.0, alpha=a),
        lambda a: SignificantImprovement("accuracy", alpha=a),
        lambda a: SliceNoRegression("accuracy", alpha=a),
        lambda a: CalibrationNoWorse(alpha=a),
    ],
)
@pytest.mark.parametrize("alpha", [0.5, 0.6, 0.9])
def test_one_sided_gates_refuse_alpha_of_one_half_or_more(make, alpha):
    # the gates read the 1 - 2 alpha interval: at alpha >= 0.5 its level is <= 0
    # and its bounds came out swapped (NoRegression read ci_low > ci_high)
    with pytest.raises(InvalidParameterError, match=r"'alpha'.*\(0, 0\.5\).*Got"):
        make(alpha)


def test_one_sided_gates_keep_levels_below_one_half():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    old = np.where(rng.random(400) < 0.85, y, 1 - y)
    new = np.where(rng.random(400) < 0.80, y, 1 - y)
    ctx = GateContext(y_true=y, champion=old, challenger=new, rng=0)
    for alpha in (0.05, 0.4, 0.49):
        ev = NoRegression("accuracy", margin=0.01, alpha=alpha).check(ctx).evidence
        assert ev["ci_low"] <= ev["ci_high"]


_NONE_LABELS = np.array(["a", "b", None, "a"], dtype=object)
_MIXED_LABELS = np.array([1, "b", 2, "b"], dtype=object)
_STR_PRED = np.array(["a", "b", "a", "a"], dtype=object)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        # a missing label or mixed label types reached np.unique: a bare TypeError
        (
            lambda: paired_bootstrap(_NONE_LABELS, _STR_PRED, _STR_PRED, metric="accuracy"),
            r"'y_true' parameter of paired_bootstrap must be labels free of missing",
        ),
        (
            lambda: mcnemar(_NONE_LABELS, _STR_PRED, _STR_PRED),
            r"'y_true' parameter of mcnemar must be labels free of missing",
        ),
        (
            lambda: MetricThreshold("accuracy", minimum=0.5).check(
                GateContext(y_true=_NONE_LABELS, challenger=_STR_PRED)
            ),
            r"'y_true' parameter of MetricThreshold must be labels free of missing",
        ),
        (
            lambda: paired_bootstrap(_MIXED_LABELS, _MIXED_LABELS, _MIXED_LABELS,
                                     metric="accuracy"),
            r"'y_true' parameter of paired_bootstrap must be labels of one kind .*"
            r"Got numbers and text \(1 and 'b'\)",
        ),
        (
            lambda: mcnemar(["a", "b", "a", "b"], _STR_PRED, _NONE_LABELS),
            r"'challenger_pred' parameter of mcnemar must be labels free of missing",
        ),
    ],
)
def test_missing_or_mixed_labels_are_refused_by_name(call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call()


def test_slices_table_with_duplicate_column_names_is_refused():
    # the columns became a dict keyed by name: the first 'g' was dropped and the
    # gate judged the other column, silently
    import pandas as pd

    g = np.array([0, 1] * 4)
    df = pd.DataFrame(np.column_stack([g, 1 - g]), columns=["g", "g"])
    msg = r"'slices' parameter of GateContext must be a data set with unique column.*'g'"
    with pytest.raises(InvalidParameterError, match=msg):
        GateContext(y_true=Y, champion=A, challenger=A, slices=df)


@pytest.mark.parametrize(
    ("slices", "shown"),
    [
        ({1: [0, 1] * 4, "1": [1, 1, 0, 0] * 2}, r"\(as 1 and '1'\)"),
        ("frame", r"\(as 1 and '1'\)"),
    ],
    ids=["mapping", "frame"],
)
def test_slice_columns_equal_as_text_are_refused(slices, shown):
    # a mapping's keys are kept as text: {1: a, "1": b} kept b alone and the
    # gate judged it for by="1", silently
    import pandas as pd

    if slices == "frame":
        slices = pd.DataFrame({1: [0, 1] * 4, "1": [1, 1, 0, 0] * 2})
    msg = r"'slices' parameter of GateContext must be a data set with unique column.*" + shown
    with pytest.raises(InvalidParameterError, match=msg):
        GateContext(y_true=Y, champion=A, challenger=A, slices=slices)


@pytest.mark.parametrize("value", ["False", "no", float("nan"), None, 2, [False]])
def test_gate_result_refuses_a_passed_flag_that_is_not_a_bool(value):
    # bool("False") and bool(nan) are True: such a gate used to pass silently
    from mllifecycle.gates import GateResult

    with pytest.raises(InvalidParameterError, match=r"'passed' parameter of GateResult"):
        GateResult(passed=value, name="mine")


def test_gate_result_keeps_bools_and_zero_one():
    from mllifecycle.gates import GateResult

    for value, want in ((True, True), (np.False_, False), (1, True), (0, False), (1.0, True)):
        assert GateResult(passed=value, name="mine").passed is want


def test_gate_result_refuses_a_skipped_gate_that_did_not_pass():
    # a skipped gate passes: passed=False, skipped=True was shown as [SKIP]
    # while the report, reading passed, said FAILED
    from mllifecycle.gates import GateResult, evaluate_gates

    with pytest.raises(InvalidParameterError, match=r"'skipped' parameter of GateResult must be "
                       r"False for a gate that did not pass.*needs passed=True\). Got True"):
        GateResult(passed=False, name="mine", skipped=True)
    assert GateResult(passed=True, name="mine", skipped=True).status == "SKIP"

    class Result:
        passed = False
        skipped = True
        name = "custom"

    class Gate:
        name = "custom"

        def check(self, context):
            return Result()

    with pytest.raises(InvalidParameterError, match=r"'skipped' parameter of GateResult"):
        evaluate_gates([Gate()], GateContext(y_true=Y, champion=A, challenger=A))


def test_evaluate_gates_refuses_a_custom_result_with_text_passed():
    class Result:
        passed = "False"
        name = "custom"

    class Gate:
        def check(self, context):
            return Result()

    with pytest.raises(InvalidParameterError, match=r"'passed'.*a bool.*'False'"):
        evaluate_gates([Gate()], GateContext(y_true=Y, challenger=A))


@pytest.mark.parametrize(("metric", "method"), [("accuracy", "mcnemar"), ("roc_auc", "delong")])
def test_unweighted_tests_refuse_a_weighted_context(metric, method):
    # McNemar's and DeLong's tests silently ignored the context's sample_weight
    w = np.array([1.0, 5.0, 1.0, 5.0, 1.0, 5.0, 1.0, 5.0])
    ctx = GateContext(y_true=Y, champion=A, challenger=1 - A, champion_proba=P,
                      challenger_proba=1 - P, sample_weight=w)
    with pytest.raises(InvalidParameterError, match=r"'context'.*without sample_weight"):
        SignificantImprovement(metric, method=method).check(ctx)


def test_callable_metric_without_sample_weight_refuses_weights_by_name():
    # it was called with sample_weight=... anyway: a bare TypeError
    def acc(t, p):
        return float(np.mean(t == p))

    with pytest.raises(InvalidParameterError, match=r"'sample_weight'.*without a sample_weight"):
        paired_bootstrap(Y, A, 1 - A, metric=acc, higher_is_better=True,
                         sample_weight=np.ones(8), n_resamples=40, rng=0)
    # a callable taking sample_weight (or **kwargs) still gets the weights
    res = paired_bootstrap(Y, A, A, metric=lambda t, p, **kw: 1.0, higher_is_better=True,
                           sample_weight=np.ones(8), n_resamples=40, rng=0)
    assert res.difference == 0.0


def test_callable_metric_returning_text_is_refused_by_name():
    with pytest.raises(InvalidParameterError, match=r"'metric'.*returning a number.*'x'"):
        paired_bootstrap(Y, A, A, metric=lambda t, p: "x", higher_is_better=True,
                         n_resamples=40, rng=0)


_NONE_SLICES = np.array(["a", None, "a", "b", None, "b", "a", "b"], dtype=object)
_MIXED_SLICES = np.array(["a", 1, "a", 1, "a", 1, "a", 1], dtype=object)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        # None or mixed types in slice labels crashed np.unique in the slice
        # gate with a bare TypeError
        (
            lambda: GateContext(y_true=Y, champion=A, challenger=A, slices=_NONE_SLICES),
            r"'slices' parameter of GateContext must be labels free of missing values",
        ),
        (
            lambda: GateContext(y_true=Y, champion=A, challenger=A, slices={"g": _NONE_SLICES}),
            r"'slices' parameter of GateContext must be labels free of missing values",
        ),
        (
            lambda: GateContext(y_true=Y, champion=A, challenger=A, slices=_MIXED_SLICES),
            r"'slices' parameter of GateContext must be labels of one kind .*"
            r"Got text and numbers \('a' and 1\)",
        ),
        (
            lambda: SliceNoRegression("accuracy", by=lambda c: _NONE_SLICES).check(
                GateContext(y_true=Y, champion=A, challenger=A)
            ),
            r"'slices' parameter of SliceNoRegression must be labels free of missing values",
        ),
        (
            lambda: SliceNoRegression("accuracy", by=lambda c: _MIXED_SLICES).check(
                GateContext(y_true=Y, champion=A, challenger=A)
            ),
            r"'slices' parameter of SliceNoRegression must be labels of one kind .*"
            r"Got text and numbers \('a' and 1\)",
        ),
    ],
)
def test_slice_labels_with_none_or_mixed_types_are_refused(call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call()
