"""Paired bootstrap: exact agreement with scikit-learn, vectorisation, BCa, p-values."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as skm

from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError
from mllifecycle.gates import BootstrapResult, paired_bootstrap
from mllifecycle.gates._metrics import (
    auc_jackknife,
    auc_weighted,
    jackknife_values,
    prepare,
    resolve_metric,
)


def _binary(n=400, seed=0, ties=False):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    a = y + rng.normal(0, 1.0, n)
    b = y + rng.normal(0, 0.8, n)
    if ties:
        a, b = np.round(a, 1), np.round(b, 1)
    pa = 1 / (1 + np.exp(-2 * (a - 0.5)))
    pb = 1 / (1 + np.exp(-2 * (b - 0.5)))
    return y, a, b, pa, pb


def _sk(name, y, pred, w=None):
    fns = {
        "accuracy": skm.accuracy_score,
        "error_rate": skm.zero_one_loss,
        "precision": skm.precision_score,
        "recall": skm.recall_score,
        "f1": skm.f1_score,
        "log_loss": skm.log_loss,
        "brier_score": skm.brier_score_loss,
        "mean_absolute_error": skm.mean_absolute_error,
        "mean_squared_error": skm.mean_squared_error,
        "roc_auc": skm.roc_auc_score,
    }
    if name == "log_loss" and pred.ndim == 1:
        return skm.log_loss(y, pred, sample_weight=w, labels=[0, 1])
    return fns[name](y, pred, sample_weight=w)


def _inputs(name, y, a, b, pa, pb):
    if name in ("accuracy", "error_rate", "precision", "recall", "f1"):
        return (a > 0.5).astype(int), (b > 0.5).astype(int)
    if name in ("log_loss", "brier_score"):
        return pa, pb
    if name == "roc_auc":
        return a, b
    return a, b  # regression: predict y from the noisy values


ALL = [
    "accuracy",
    "error_rate",
    "precision",
    "recall",
    "f1",
    "log_loss",
    "brier_score",
    "mean_absolute_error",
    "mean_squared_error",
    "roc_auc",
]


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("weighted", [False, True])
def test_resample_values_equal_sklearn_with_counts_as_weights(name, weighted):
    """Every vectorised resample statistic equals sklearn with counts as weights."""
    y, a, b, pa, pb = _binary(300, seed=1, ties=True)
    ca, cb = _inputs(name, y, a, b, pa, pb)
    rng = np.random.default_rng(5)
    sw = rng.integers(1, 4, y.size).astype(float) if weighted else None
    problem = prepare(resolve_metric(name, None, "t"), y, ca, cb, sample_weight=sw, caller="t")
    obs = problem.observed()
    assert obs[0] == pytest.approx(_sk(name, y, ca, sw), rel=1e-10)
    assert obs[1] == pytest.approx(_sk(name, y, cb, sw), rel=1e-10)
    for _ in range(3):
        counts = rng.multinomial(y.size, np.full(y.size, 1 / y.size)).astype(float)
        w = counts if sw is None else counts * sw
        if problem.F is not None:
            va, vb = problem.evaluate(counts @ problem.F)
        else:
            va = auc_weighted(problem.positive, problem.scores[0], w[None])[0]
            vb = auc_weighted(problem.positive, problem.scores[1], w[None])[0]
        keep = w > 0
        assert va == pytest.approx(_sk(name, y[keep], ca[keep], w[keep]), rel=1e-10)
        assert vb == pytest.approx(_sk(name, y[keep], cb[keep], w[keep]), rel=1e-10)


def test_multiclass_log_loss_and_brier_equal_sklearn():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 3, 200)
    pa = rng.dirichlet(np.ones(3), 200)
    pb = rng.dirichlet(np.ones(3) * 2, 200)
    for name, fn in (("log_loss", skm.log_loss), ("brier_score", skm.brier_score_loss)):
        res = paired_bootstrap(y, pa, pb, metric=name, n_resamples=50, rng=0)
        assert res.champion_value == pytest.approx(fn(y, pa), rel=1e-12)
        assert res.challenger_value == pytest.approx(fn(y, pb), rel=1e-12)


@pytest.mark.parametrize("ties", [False, True])
def test_auc_jackknife_equals_leave_one_out(ties):
    y, a, _, _, _ = _binary(60, seed=3, ties=ties)
    w = np.random.default_rng(0).integers(1, 3, 60).astype(float)
    loo = auc_jackknife(y == 1, a, w)
    expected = [
        skm.roc_auc_score(np.delete(y, i), np.delete(a, i), sample_weight=np.delete(w, i))
        for i in range(60)
    ]
    np.testing.assert_allclose(loo, expected, rtol=1e-12)


def test_sum_jackknife_equals_leave_one_out():
    y, _a, _b, pa, pb = _binary(50, seed=4)
    problem = prepare(resolve_metric("log_loss", None, "t"), y, pa, pb, caller="t")
    jack = jackknife_values(problem)
    expected = [
        skm.log_loss(np.delete(y, i), np.delete(pb, i))
        - skm.log_loss(np.delete(y, i), np.delete(pa, i))
        for i in range(50)
    ]
    np.testing.assert_allclose(jack, expected, rtol=1e-10)


def test_callable_metric_matches_named_metric_distribution():
    y, a, b, _, _ = _binary(300, seed=6)
    ca, cb = (a > 0.5).astype(int), (b > 0.5).astype(int)
    named = paired_bootstrap(y, ca, cb, metric="accuracy", n_resamples=2000, rng=1)
    called = paired_bootstrap(
        y,
        ca,
        cb,
        metric=skm.accuracy_score,
        higher_is_better=True,
        n_resamples=400,
        rng=1,
    )
    assert called.difference == named.difference
    assert called.std_error == pytest.approx(named.std_error, rel=0.15)
    assert "(callable metric))" in called.method


def test_percentile_interval_matches_quantiles_of_explicit_loop():
    """The percentile interval equals a sklearn loop on the same draws."""
    y, a, b, _, _ = _binary(80, seed=7)
    res = paired_bootstrap(
        y, a, b, metric="roc_auc", n_resamples=120, ci_method="percentile", rng=3
    )
    # the engine draws the resamples in chunks (<= 256) with streams spawned from
    # SeedSequence(4 words drawn from rng), counts by rng.integers; replay them
    entropy = np.random.default_rng(3).integers(0, 2**63, size=4, dtype=np.int64)
    child = np.random.SeedSequence([int(e) for e in entropy]).spawn(1)[0]
    idx = np.random.default_rng(child).integers(0, 80, size=(120, 80), dtype=np.int32)
    order = np.lexsort((y == 1, a))
    diffs = []
    for r in range(120):
        counts = np.bincount(idx[r], minlength=80).astype(float)
        w = np.empty(80)
        w[order] = counts  # column j counts the j-th example of the champion order
        keep = w > 0
        diffs.append(
            skm.roc_auc_score(y[keep], b[keep], sample_weight=w[keep])
            - skm.roc_auc_score(y[keep], a[keep], sample_weight=w[keep])
        )
    lo, hi = np.quantile(diffs, [0.025, 0.975])
    assert res.ci_low == pytest.approx(lo, rel=1e-9)
    assert res.ci_high == pytest.approx(hi, rel=1e-9)


def test_identical_models_give_zero_difference_and_p_one():
    y, a, _, _, _ = _binary(200, seed=8)
    res = paired_bootstrap(y, a, a, metric="roc_auc", n_resamples=200, rng=0)
    assert res.difference == 0.0
    assert res.ci_low == res.ci_high == 0.0
    assert res.p_value == 1.0


def test_directions_for_lower_is_better_metrics():
    y, _a, _b, pa, pb = _binary(2000, seed=9)
    # challenger pb is sharper: lower log loss, i.e. a negative difference
    res = paired_bootstrap(
        y, pa, pb, metric="log_loss", hypothesis="superiority", n_resamples=2000, rng=0
    )
    assert not res.higher_is_better
    assert res.difference < 0 < res.improvement
    assert res.alternative == "difference < 0"
    assert res.p_value < 0.01
    worse = paired_bootstrap(
        y, pb, pa, metric="log_loss", hypothesis="superiority", n_resamples=2000, rng=0
    )
    assert worse.p_value > 0.9
    ni = paired_bootstrap(
        y,
        pb,
        pa,
        metric="log_loss",
        hypothesis="non-inferiority",
        margin=1.0,
        n_resamples=2000,
        rng=0,
    )
    assert ni.null_value == 1.0
    assert ni.alternative == "difference < 1"
    assert ni.p_value < 0.01


def test_non_inferiority_and_superiority_differ():
    rng = np.random.default_rng(10)
    y = rng.integers(0, 2, 3000)
    a = np.where(rng.random(3000) < 0.85, y, 1 - y)
    b = a.copy()
    flip = rng.choice(3000, 15, replace=False)  # challenger slightly worse
    b[flip] = 1 - y[flip]
    kw = {"metric": "accuracy", "n_resamples": 4000, "rng": 0}
    sup = paired_bootstrap(y, a, b, hypothesis="superiority", **kw)
    # 15 discordant examples: the bootstrap with a margin warns
    with pytest.warns(DegenerateDataWarning, match="small sample"):
        ni = paired_bootstrap(y, a, b, hypothesis="non-inferiority", margin=0.01, **kw)
    assert sup.p_value > 0.5
    assert ni.p_value < 0.05
    assert ni.null_value == -0.01


def test_bca_interval_with_no_skew_is_close_to_percentile():
    y, a, b, _, _ = _binary(2000, seed=11)
    res = paired_bootstrap(
        y, (a > 0.5) * 1, (b > 0.5) * 1, metric="accuracy", n_resamples=4000, rng=0
    )
    assert res.bca_ci == pytest.approx(res.percentile_ci, abs=3e-3)
    assert (res.ci_low, res.ci_high) == res.bca_ci


def test_result_fields_and_serialisation():
    y, a, b, _, _ = _binary(200, seed=12)
    res = paired_bootstrap(y, a, b, metric="roc_auc_score", n_resamples=100, rng=0)
    assert isinstance(res, BootstrapResult)
    d = res.to_dict()
    assert d["metric"] == "roc_auc"
    assert set(d) >= {"difference", "ci_low", "ci_high", "p_value"}
    assert "BootstrapResult(metric='roc_auc'" in repr(res)
    assert "<table>" in res._repr_html_()


def test_degenerate_resamples_warn():
    y = np.array([0] * 30 + [1])
    s = np.linspace(0, 1, 31)
    with pytest.warns(DegenerateDataWarning, match="undefined"):
        res = paired_bootstrap(y, s, s[::-1], metric="roc_auc", n_resamples=200, rng=0)
    assert res.n_resamples < 200


@pytest.mark.parametrize("method", ["percentile", "BCa"])
def test_intervals_agree_with_scipy_bootstrap(method):
    """scipy.stats.bootstrap (paired) on the same data: equal up to Monte Carlo error."""
    from scipy import stats

    y, _, _, pa, pb = _binary(400, seed=13)

    def stat(yy, la, lb, axis=-1):
        return np.mean(-np.log(np.where(yy == 1, lb, 1 - lb)), axis=axis) - np.mean(
            -np.log(np.where(yy == 1, la, 1 - la)), axis=axis
        )

    ref = stats.bootstrap(
        (y, pa, pb),
        stat,
        paired=True,
        vectorized=True,
        n_resamples=20_000,
        method=method,
        random_state=np.random.default_rng(0),
    )
    ours = paired_bootstrap(
        y,
        pa,
        pb,
        metric="log_loss",
        n_resamples=20_000,
        ci_method="bca" if method == "BCa" else "percentile",
        rng=1,
    )
    se = ours.std_error
    assert ours.ci_low == pytest.approx(ref.confidence_interval.low, abs=0.1 * se)
    assert ours.ci_high == pytest.approx(ref.confidence_interval.high, abs=0.1 * se)
    assert se == pytest.approx(ref.standard_error, rel=0.03)


@pytest.mark.parametrize("labels", [(0, 1), ("neg", "pos"), (-1, 1), (7, -3)])
@pytest.mark.parametrize("which", [0, 1])
def test_pos_label_is_honoured_by_score_and_probability_metrics(labels, which):
    # pos_label used to be ignored outside precision/recall/F1: ROC AUC, log loss,
    # Brier and ECE always read 1-D inputs as the larger label's, so a caller
    # passing the smaller label got 1 - AUC and the loss of the other class
    y, a, b, pa, pb = _binary(n=60, seed=3, ties=True)
    L = np.array(labels)
    yy = L[y]
    pos = L[which]
    w = np.random.default_rng(1).random(60)
    w[:5] = 0.0

    def obs(metric, ca, cb):
        spec = resolve_metric(metric, None, "t")
        return prepare(spec, yy, ca, cb, sample_weight=w, pos_label=pos, caller="t").observed()

    yb = yy == pos
    np.testing.assert_allclose(
        obs("roc_auc", a, b),
        [skm.roc_auc_score(yb, s, sample_weight=w) for s in (a, b)],
    )
    np.testing.assert_allclose(
        obs("log_loss", pa, pb),
        [skm.log_loss(yb, p, sample_weight=w) for p in (pa, pb)],
    )
    np.testing.assert_allclose(
        obs("brier_score", pa, pb),
        [skm.brier_score_loss(yb, p, sample_weight=w) for p in (pa, pb)],
    )
    # two columns of probabilities: pos_label picks the column of ROC AUC
    cols = np.sort(L)
    P = np.column_stack([1 - pa, pa]) if pos == cols[1] else np.column_stack([pa, 1 - pa])
    Q = np.column_stack([1 - pb, pb]) if pos == cols[1] else np.column_stack([pb, 1 - pb])
    np.testing.assert_allclose(
        obs("roc_auc", P, Q),
        [skm.roc_auc_score(yb, s, sample_weight=w) for s in (pa, pb)],
    )
    # ECE of 1-D probabilities of pos_label equals that of the 2-D matrix (away
    # from p = 0.5, where the two forms break the tie towards different classes)
    keep = (pa != 0.5) & (pb != 0.5)
    yy, w = yy[keep], w[keep]
    np.testing.assert_allclose(obs("ece", pa[keep], pb[keep]), obs("ece", P[keep], Q[keep]))


def test_unknown_pos_label_is_refused_for_every_classification_metric():
    y, a, b, pa, pb = _binary(n=40, seed=4)
    for metric, ca, cb in (("roc_auc", a, b), ("log_loss", pa, pb), ("f1", y, 1 - y)):
        with pytest.raises(InvalidParameterError, match="pos_label"):
            paired_bootstrap(y, ca, cb, metric=metric, pos_label=2, n_resamples=40, rng=0)


@pytest.mark.parametrize("scale", [1e100, 1e-100])
def test_bca_interval_is_invariant_to_the_scale_of_the_metric(scale):
    # the BCa acceleration cubed the jackknife deviations: at squared errors near
    # 1e200 they overflowed (NaN levels, "Quantiles must be in the range [0, 1]"),
    # near 1e-200 they underflowed (acceleration 0, a different interval); the
    # standard error squared the differences too (inf near 1e200)
    rng = np.random.default_rng(5)
    y = rng.normal(size=2000)
    a = y + rng.normal(size=2000)
    b = y + 0.9 * rng.normal(size=2000)
    ref = paired_bootstrap(y, a, b, metric="mse", rng=0, n_resamples=500, test="bootstrap")
    got = paired_bootstrap(
        y * scale, a * scale, b * scale, metric="mse", rng=0, n_resamples=500, test="bootstrap"
    )
    k = scale**2
    np.testing.assert_allclose(
        [got.difference / k, got.ci_low / k, got.ci_high / k, got.std_error / k, got.p_value],
        [ref.difference, ref.ci_low, ref.ci_high, ref.std_error, ref.p_value],
        rtol=1e-9,
    )


@pytest.mark.parametrize("factor", [1e200, 1e-200, 1e300])
def test_weighted_auc_is_invariant_to_scaling_the_weights(factor):
    # the AUC multiplies pairs of weights: at 1e200 or 1e-200 the products
    # overflowed or underflowed and the AUC was refused as undefined (NaN)
    from mllifecycle.gates import paired_permutation

    y, a, b, _, _ = _binary(n=300, seed=6, ties=True)
    w = np.random.default_rng(2).random(300)
    ref = paired_bootstrap(y, a, b, metric="roc_auc", sample_weight=w, rng=0,
                           n_resamples=200, test="bootstrap")
    got = paired_bootstrap(y, a, b, metric="roc_auc", sample_weight=w * factor, rng=0,
                           n_resamples=200, test="bootstrap")
    np.testing.assert_allclose(
        [got.champion_value, got.challenger_value, got.ci_low, got.ci_high, got.p_value],
        [ref.champion_value, ref.challenger_value, ref.ci_low, ref.ci_high, ref.p_value],
        rtol=1e-9,
    )
    perm = paired_permutation(y, a, b, metric="roc_auc", sample_weight=w * factor, rng=0,
                              n_resamples=200)
    base = paired_permutation(y, a, b, metric="roc_auc", sample_weight=w, rng=0,
                              n_resamples=200)
    assert perm.p_value == pytest.approx(base.p_value)
