"""Small and imbalanced test sets: the exact paired permutation test and its use.

Exact values are checked against a brute-force enumeration of every swap with
scikit-learn's metrics; calibration (every gate statistic at most alpha + 3 SE
on equal models at n = 30 and with 2-5 % positives) by seeded simulation, with
the scenarios and statistics of ``benchmarks/gates_calibration.py``.
"""

from __future__ import annotations

import importlib.util
import itertools
import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import rankdata
from sklearn import metrics as skm

from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError
from mllifecycle.gates import (
    MIN_CLASS_COUNT,
    MIN_DIFFERING,
    GateContext,
    NoRegression,
    PermutationResult,
    SignificantImprovement,
    delong,
    mcnemar,
    paired_bootstrap,
    paired_permutation,
)
from mllifecycle.gates._permutation import _auc_few, _auc_rows

SK = {
    "accuracy": skm.accuracy_score,
    "precision": lambda y, p, sample_weight=None: skm.precision_score(
        y, p, sample_weight=sample_weight, zero_division=0
    ),
    "recall": lambda y, p, sample_weight=None: skm.recall_score(
        y, p, sample_weight=sample_weight, zero_division=0
    ),
    "f1": lambda y, p, sample_weight=None: skm.f1_score(
        y, p, sample_weight=sample_weight, zero_division=0
    ),
    "log_loss": lambda y, p, sample_weight=None: skm.log_loss(
        y, p, sample_weight=sample_weight, labels=[0, 1]
    ),
    "brier_score": skm.brier_score_loss,
    "roc_auc": skm.roc_auc_score,
}
HIGHER = {"log_loss": False, "brier_score": False}


def _metric_rows(metric, y, P, w):
    """A plain reference: the metric of every row of predictions ``P`` (r, n)."""
    w = np.ones(y.size) if w is None else w
    pos = y == 1
    if metric == "accuracy":
        return ((y == P) * w).sum(axis=1) / w.sum()
    if metric in ("precision", "recall", "f1"):
        tp = ((P == 1) & pos) @ w
        fp = ((P == 1) & ~pos) @ w
        fn = ((P == 0) & pos) @ w
        num, den = {
            "precision": (tp, tp + fp),
            "recall": (tp, tp + fn),
            "f1": (2 * tp, 2 * tp + fp + fn),
        }[metric]
        return np.where(den > 0, num / np.where(den > 0, den, 1), 0.0)
    if metric == "log_loss":
        return -(np.where(pos, np.log(P), np.log(1 - P)) * w).sum(axis=1) / w.sum()
    if metric == "brier_score":
        return (((P - y) ** 2) * w).sum(axis=1) / w.sum()
    # roc_auc: every positive against every negative
    d = P[:, pos][:, :, None] - P[:, ~pos][:, None, :]
    return ((d > 0) + 0.5 * (d == 0)).mean(axis=(1, 2))


def brute_force_p(metric, y, a, b, hypothesis="two-sided", w=None):
    """Enumerate every swap with a plain reference metric (ranks for ROC AUC)."""
    if metric == "roc_auc":
        a, b = rankdata(a), rankdata(b)
    hib = HIGHER.get(metric, True)
    rows = np.flatnonzero(a != b)
    masks = np.array(list(itertools.product([False, True], repeat=rows.size)), dtype=bool)
    full = np.zeros((masks.shape[0], y.size), dtype=bool)
    full[:, rows] = masks.reshape(masks.shape[0], rows.size)
    X = np.where(full, b, a)
    Z = np.where(full, a, b)
    vals = _metric_rows(metric, y, Z, w) - _metric_rows(metric, y, X, w)
    obs = vals[0]  # the empty swap comes first
    tol = 1e-9
    p_gt = np.mean(vals >= obs - tol)
    p_lt = np.mean(vals <= obs + tol)
    if hypothesis == "two-sided":
        return min(1.0, 2 * min(p_gt, p_lt))
    return p_gt if hib else p_lt


def _small(seed, n=11):
    rng = np.random.default_rng(seed)
    y = np.r_[0, 1, rng.integers(0, 2, n - 2)]
    sa = y + rng.normal(0, 1.0, n)
    sb = y + rng.normal(0, 0.7, n)
    pa = 1 / (1 + np.exp(-2 * (sa - 0.5)))
    pb = 1 / (1 + np.exp(-2 * (sb - 0.5)))
    return y, sa, sb, pa, pb


def _inputs(metric, sa, sb, pa, pb):
    if metric in ("accuracy", "precision", "recall", "f1"):
        return (sa > 0.5).astype(int), (sb > 0.5).astype(int)
    if metric == "roc_auc":
        return sa, sb
    return pa, pb


@pytest.mark.parametrize("metric", list(SK))
@pytest.mark.parametrize(("hypothesis", "seed"), [("two-sided", 0), ("superiority", 1)])
def test_exact_p_value_equals_brute_force_enumeration(metric, hypothesis, seed):
    y, sa, sb, pa, pb = _small(seed, n=10)
    a, b = _inputs(metric, sa, sb, pa, pb)
    res = paired_permutation(y, a, b, metric=metric, hypothesis=hypothesis, n_resamples=1024)
    assert isinstance(res, PermutationResult)
    assert res.exact
    ref = brute_force_p(metric, y, a, b, hypothesis)
    assert res.p_value == pytest.approx(ref, abs=1e-12)
    assert res.difference == pytest.approx(SK[metric](y, b) - SK[metric](y, a), abs=1e-12)


@pytest.mark.parametrize("metric", ["accuracy", "log_loss", "f1"])
def test_weighted_exact_p_value_equals_brute_force(metric):
    y, sa, sb, pa, pb = _small(5, n=8)
    w = np.random.default_rng(5).integers(1, 4, y.size).astype(float)
    a, b = _inputs(metric, sa, sb, pa, pb)
    res = paired_permutation(y, a, b, metric=metric, sample_weight=w, n_resamples=4096)
    assert res.p_value == pytest.approx(brute_force_p(metric, y, a, b, w=w), abs=1e-12)


@pytest.mark.parametrize(("b_only", "c_only"), [(0, 5), (3, 9), (7, 7), (2, 30), (40, 61)])
def test_accuracy_is_the_exact_mcnemar_test(b_only, c_only):
    both = 25
    y = np.zeros(both + b_only + c_only + 10, dtype=int)
    y[-5:] = 1
    a = y.copy()
    ch = y.copy()
    a[both : both + c_only] = 1  # champion wrong, challenger right
    ch[both + c_only : both + c_only + b_only] = 1  # challenger wrong
    res = paired_permutation(y, a, ch, metric="accuracy")
    ref = mcnemar(y, a, ch, exact=True)
    assert res.exact  # a single binomial whatever the number of discordant pairs
    assert res.n_differing == b_only + c_only
    assert res.p_value == pytest.approx(ref.p_value, rel=1e-12)


def test_log_loss_exact_convolution_beyond_enumeration():
    y, _sa, _sb, pa, pb = _small(3, n=10)
    res = paired_permutation(y, pa, pb, metric="log_loss", n_resamples=100)
    assert res.exact  # 2^10 swaps > n_resamples: convolved, not enumerated
    assert res.p_value == pytest.approx(brute_force_p("log_loss", y, pa, pb), abs=1e-12)


def test_monte_carlo_p_value_is_close_to_the_exact_one():
    y, sa, sb, _, _ = _small(4, n=16)
    exact = paired_permutation(y, sa, sb, metric="roc_auc", n_resamples=1 << 16)
    mc = paired_permutation(y, sa, sb, metric="roc_auc", n_resamples=4000, rng=0)
    assert exact.exact
    assert exact.n_differing >= 12
    assert not mc.exact
    se = np.sqrt(exact.p_value * (1 - exact.p_value) / 4000)
    assert abs(mc.p_value - exact.p_value) <= 4 * se + 2 / 4001
    assert mc.p_value >= 2 / 4001  # (1 + #) / (1 + B), doubled for two sides


def test_roc_auc_is_invariant_to_each_models_scale():
    y, sa, sb, _, _ = _small(6, n=40)
    base = paired_permutation(y, sa, sb, metric="roc_auc", rng=1, n_resamples=500)
    logit = paired_permutation(
        y, np.exp(3 * sa), sb * 100 - 7, metric="roc_auc", rng=1, n_resamples=500
    )
    assert logit.p_value == base.p_value
    assert logit.difference == pytest.approx(base.difference)


def test_callable_metric_gives_the_same_exact_p_value():
    y, sa, sb, _, _ = _small(7, n=9)
    a, b = (sa > 0.5).astype(int), (sb > 0.5).astype(int)
    named = paired_permutation(y, a, b, metric="f1")
    called = paired_permutation(
        y, a, b, metric=lambda t, p: skm.f1_score(t, p, zero_division=0), higher_is_better=True
    )
    assert called.exact
    assert called.p_value == pytest.approx(named.p_value, abs=1e-12)


def test_identical_models_give_p_one():
    y, sa, _, _, _ = _small(8, n=30)
    res = paired_permutation(y, sa, sa.copy(), metric="roc_auc")
    assert res.p_value == 1.0
    assert res.n_differing == 0


@pytest.mark.parametrize(("n", "m"), [(40, 3), (60, 57), (30, 15), (200, 64)])
def test_rare_class_auc_shortcut_equals_ranking(n, m):
    rng = np.random.default_rng(n + m)
    pos = np.zeros(n, dtype=bool)
    pos[rng.choice(n, m, replace=False)] = True
    ra = rankdata(np.round(rng.normal(size=n), 1))
    rb = rankdata(np.round(rng.normal(size=n), 1))
    full = rng.random((50, n)) < 0.5
    aa, ab = _auc_few(ra, rb, pos, full)
    A, B = np.where(full, rb, ra), np.where(full, ra, rb)
    np.testing.assert_allclose(aa, _auc_rows(A, pos, None), atol=1e-12)
    np.testing.assert_allclose(ab, _auc_rows(B, pos, None), atol=1e-12)
    np.testing.assert_allclose(aa[:5], [skm.roc_auc_score(pos, r) for r in A[:5]], atol=1e-12)


# ---------------------------------------------------------------- use by the others


def test_paired_bootstrap_switches_to_permutation_on_small_samples():
    y, sa, sb, _, _ = _small(9, n=60)
    small = paired_bootstrap(y, sa, sb, metric="roc_auc", n_resamples=300, rng=0)
    assert small.test == "permutation"
    assert small.small_sample
    exact = paired_permutation(y, sa, sb, metric="roc_auc", n_resamples=300, rng=0)
    assert small.p_value == pytest.approx(exact.p_value, abs=0.05)
    forced = paired_bootstrap(y, sa, sb, metric="roc_auc", n_resamples=300, rng=0, test="bootstrap")
    assert forced.test == "bootstrap"
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 3 * MIN_DIFFERING)
    big = paired_bootstrap(
        y,
        y + rng.normal(size=y.size),
        y + rng.normal(size=y.size),
        metric="roc_auc",
        n_resamples=200,
        rng=0,
    )
    assert big.test == "bootstrap"
    assert not big.small_sample


def test_margin_on_a_small_sample_warns_in_the_function_and_explains_in_the_gate():
    y, sa, sb, _, _ = _small(10, n=50)
    a, b = (sa > 0.5).astype(int), (sb > 0.5).astype(int)
    with pytest.warns(DegenerateDataWarning, match="small sample"):
        res = paired_bootstrap(
            y,
            a,
            b,
            metric="accuracy",
            hypothesis="non-inferiority",
            margin=0.05,
            n_resamples=200,
            rng=0,
        )
    assert res.test == "bootstrap"
    ctx = GateContext(y_true=y, champion=a, challenger=b, rng=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = NoRegression("accuracy", margin=0.05, n_resamples=200).check(ctx)
    assert any("small sample" in r for r in out.reasons)


def test_gate_decides_on_the_permutation_p_value():
    y, sa, sb, _, _ = _small(11, n=40)
    ctx = GateContext(y_true=y, champion=(sa > 0.5) * 1, challenger=(sb > 0.5) * 1, rng=0)
    res = SignificantImprovement("accuracy", n_resamples=500).check(ctx)
    perm = paired_permutation(
        y, (sa > 0.5) * 1, (sb > 0.5) * 1, metric="accuracy", hypothesis="superiority"
    )
    assert res.evidence["test"] == "permutation"
    assert res.evidence["p_value"] == pytest.approx(perm.p_value)
    assert res.passed == (perm.p_value < 0.05)
    assert any("exact paired permutation" in r for r in res.reasons)


def test_delong_falls_back_below_the_minimum_class_count():
    rng = np.random.default_rng(12)
    y = np.r_[np.ones(MIN_CLASS_COUNT - 1), np.zeros(300)].astype(int)
    s1 = y + rng.normal(size=y.size)
    s2 = y + rng.normal(size=y.size)
    with pytest.warns(DegenerateDataWarning, match="rarer class"):
        res = delong(y, s1, s2, n_resamples=500, rng=0)
    assert res.test == "permutation"
    ref = paired_permutation(y, s1, s2, metric="roc_auc", n_resamples=500, rng=0)
    assert res.p_value == ref.p_value
    plain = delong(y, s1, s2, test="delong")
    assert plain.test == "delong"
    assert plain.std_error == res.std_error  # the interval is DeLong's either way
    with pytest.warns(DegenerateDataWarning, match="margin"):
        kept = delong(y, s1, s2, hypothesis="superiority", margin=0.01)
    assert kept.test == "delong"


BAD = [
    (
        lambda: paired_bootstrap(
            [0, 1, 0, 1], [0, 1, 1, 1], [0, 1, 0, 1], metric="accuracy", test="exact"
        ),
        "'test' parameter",
    ),
    (
        lambda: paired_bootstrap(
            [0, 1, 0, 1],
            [0, 1, 1, 1],
            [0, 1, 0, 1],
            metric="accuracy",
            test="permutation",
            hypothesis="superiority",
            margin=0.1,
        ),
        "'margin' parameter .* test='permutation'",
    ),
    (
        lambda: delong(
            [0, 1, 0, 1],
            [0.1, 0.2, 0.3, 0.4],
            [0.1, 0.3, 0.2, 0.4],
            test="permutation",
            hypothesis="superiority",
            margin=0.1,
        ),
        "'margin' parameter",
    ),
    (
        lambda: delong([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], [0.1, 0.3, 0.2, 0.4], test="boot"),
        "'test' parameter",
    ),
    (
        lambda: paired_permutation(
            [0, 1, 0, 1], [0, 1, 1, 1], [0, 1, 0, 1], metric="accuracy", n_resamples=0
        ),
        "'n_resamples' parameter",
    ),
    (
        lambda: paired_permutation([0, 1, 0, 1], [0, 1, 1, 1], [0, 1], metric="accuracy"),
        "'challenger' parameter .* same number of samples",
    ),
    (
        lambda: paired_permutation(
            [0, 1, 0, 1], [0, 1, 1, 1], [0, 1, 0, 1], metric="accuracy", alpha=2
        ),
        "'alpha' parameter",
    ),
]


@pytest.mark.parametrize(("call", "match"), BAD)
def test_bad_input(call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call()


# ---------------------------------------------------------------- calibration


def _matrix():
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "gates_calibration.py"
    spec = importlib.util.spec_from_file_location("gates_calibration", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.B = 200  # resamples per test: the decisions at these sizes are permutation tests
    return mod


CAL = _matrix()
CAL.B = 100  # at these sizes the decisions are (valid) Monte-Carlo permutation tests
TRIALS = 300

BALANCED, FIVE, TWO = list(CAL.SCENARIOS)
# every statistic once, in the scenario where it used to fail (the full matrix,
# every statistic in every scenario, is benchmarks/gates_calibration.py)
HARDEST = {
    "paired_bootstrap accuracy": BALANCED,
    "paired_bootstrap precision": FIVE,
    "paired_bootstrap recall": TWO,
    "paired_bootstrap f1": FIVE,
    "paired_bootstrap log_loss": TWO,
    "paired_bootstrap brier_score": FIVE,
    "paired_bootstrap expected_calibration_error": TWO,
    "paired_bootstrap roc_auc": FIVE,
    "paired_bootstrap mean_absolute_error": BALANCED,
    "paired_bootstrap mean_squared_error": BALANCED,
    "paired_permutation accuracy": BALANCED,
    "paired_permutation f1": TWO,
    "paired_permutation roc_auc": TWO,
    "mcnemar": BALANCED,
    "delong": FIVE,
    "SignificantImprovement accuracy": BALANCED,
    "SignificantImprovement accuracy, mcnemar": FIVE,
    "SignificantImprovement f1": TWO,
    "SignificantImprovement log_loss": FIVE,
    "SignificantImprovement roc_auc": FIVE,
    "SignificantImprovement roc_auc, delong": TWO,
    "NoRegression accuracy, margin 0": BALANCED,
    "NoRegression roc_auc, margin 0": TWO,
    "SliceNoRegression accuracy (3 slices)": BALANCED,
    "CalibrationNoWorse, margins 0": FIVE,
}


def test_every_statistic_of_the_matrix_is_tested():
    assert set(HARDEST) == set(CAL.STATISTICS)


@pytest.mark.slow
@pytest.mark.parametrize(("statistic", "scenario"), list(HARDEST.items()))
def test_equal_models_rejection_rate_at_most_alpha(statistic, scenario):
    """Rejection rate of a true null <= alpha + 3 SE (issue 12, item 7)."""
    rate, done = CAL.rate(statistic, scenario, TRIALS)
    assert done == TRIALS
    assert rate <= CAL.bound(done), f"{statistic} rejects {rate:.3f} at {scenario}"


def test_auto_keeps_the_bootstrap_when_the_exact_test_is_too_costly(monkeypatch):
    import mllifecycle.gates._compare as compare

    monkeypatch.setattr(compare, "MAX_PERMUTATION_SECONDS", 0.0)
    y, sa, sb, _, _ = _small(13, n=60)
    with pytest.warns(DegenerateDataWarning, match="too costly"):
        res = paired_bootstrap(y, sa, sb, metric="roc_auc", n_resamples=200, rng=0)
    assert res.test == "bootstrap"
    assert res.small_sample
    with pytest.warns(DegenerateDataWarning, match="too costly"):
        dl = delong(y, sa, sb)
    assert dl.test == "delong"
    forced = paired_bootstrap(y, sa, sb, metric="roc_auc", n_resamples=200, rng=0,
                              test="permutation")
    assert forced.test == "permutation"


def test_cost_estimate_grows_with_the_work():
    from mllifecycle.gates._metrics import prepare, resolve_metric
    from mllifecycle.gates._permutation import permutation_seconds

    rng = np.random.default_rng(0)
    spec = resolve_metric("roc_auc", None, "test")
    costs = []
    for n in (200, 2000, 20000):
        y = np.zeros(n, dtype=int)
        y[:50] = 1
        p = prepare(spec, y, rng.normal(size=n), rng.normal(size=n), caller="test")
        costs.append(permutation_seconds(p, 1000))
    assert costs == sorted(costs)
    assert costs[0] < 1.0


def _exact_sign_flip_p(D):
    """Two-sided p-value of sum(D) over every sign flip, in rational arithmetic."""
    from fractions import Fraction

    d = [Fraction(float(x)) for x in D]
    obs = sum(d)
    vals = [sum(s * x for s, x in zip(signs, d, strict=True))
            for signs in itertools.product((1, -1), repeat=len(d))]
    ge = Fraction(sum(v >= obs for v in vals), len(vals))
    le = Fraction(sum(v <= obs for v in vals), len(vals))
    return float(min(1, 2 * min(ge, le)))


@pytest.mark.parametrize("scale", [1e-6, 1e-9, 1e-12])
@pytest.mark.parametrize("metric", ["mean_squared_error", "mean_absolute_error"])
def test_permutation_p_value_exact_for_small_metric_values(scale, metric):
    # an absolute tolerance of 1e-9 merged every swap with the observed
    # difference when the metric itself is that small: p = 1 on any data
    y = np.zeros(6)
    a = scale * np.arange(1.0, 7.0)
    b = 0.5 * a
    loss = np.square if metric == "mean_squared_error" else np.abs
    res = paired_permutation(y, a, b, metric=metric)
    assert res.p_value == pytest.approx(_exact_sign_flip_p(loss(b) - loss(a)))
    assert res.p_value == pytest.approx(2 / 64)


def test_permutation_p_value_never_zero_when_the_difference_cancels():
    # close models with large squared errors: the difference of the two MSEs
    # (each ~1e8) cancels and fell outside the swap distribution: p was 0,
    # impossible for an exact test (the unswapped row is one of the 2^k swaps)
    y = np.zeros(3)
    a = np.array([1e4, 1e4 + 1.0, 1e4])
    b = a.copy()
    b[1] += 5e-12
    res = paired_permutation(y, a, b, metric="mean_squared_error")
    assert res.exact
    assert res.p_value == pytest.approx(1.0)
    boot = paired_bootstrap(y, a, b, metric="mean_squared_error", rng=0, n_resamples=200)
    assert boot.test == "permutation"
    assert boot.p_value == pytest.approx(1.0)
