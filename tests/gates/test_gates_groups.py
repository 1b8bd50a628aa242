"""``groups=``: cluster bootstrap and cluster swap test of the paired comparisons."""

from __future__ import annotations

import attrs
import numpy as np
import pytest
from sklearn import metrics as skm

from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError
from mllifecycle.gates import (
    CalibrationNoWorse,
    GateContext,
    MetricThreshold,
    NoRegression,
    SignificantImprovement,
    SliceNoRegression,
    delong,
    mcnemar,
    paired_bootstrap,
    paired_permutation,
)
from mllifecycle.gates._metrics import jackknife_values, prepare, resolve_metric

N = 600


def _data(seed: int = 0, n: int = N, sizes: int = 6):
    """Binary labels, labels/probabilities of two models, groups sharing correctness."""
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(n // sizes), sizes)
    y = rng.integers(0, 2, n)
    skill_a = rng.choice([0.95, 0.6], n // sizes)[g]
    skill_b = rng.choice([0.95, 0.6], n // sizes)[g]
    pa = np.clip(np.where(y == 1, skill_a, 1 - skill_a) + rng.normal(0, 0.1, n), 0.01, 0.99)
    pb = np.clip(np.where(y == 1, skill_b, 1 - skill_b) + rng.normal(0, 0.1, n), 0.01, 0.99)
    flip_a = rng.random(n) > skill_a
    flip_b = rng.random(n) > skill_b
    a = np.where(flip_a, 1 - y, y)
    b = np.where(flip_b, 1 - y, y)
    return y, a, b, pa, pb, g


# (metric, which inputs: labels or probabilities)
METRICS = [
    ("accuracy", "label"),
    ("error_rate", "label"),
    ("precision", "label"),
    ("recall", "label"),
    ("f1", "label"),
    ("log_loss", "proba"),
    ("brier_score", "proba"),
    ("mean_absolute_error", "proba"),
    ("mean_squared_error", "proba"),
    ("expected_calibration_error", "proba"),
    ("roc_auc", "proba"),
]


def _inputs(kind, a, b, pa, pb):
    return (a, b) if kind == "label" else (pa, pb)


def _strip(d):
    return {k: v for k, v in d.items() if k not in ("n_groups", "method")}


# ------------------------------------------------------------ exact equivalence


@pytest.mark.parametrize(("metric", "kind"), METRICS)
@pytest.mark.parametrize("weighted", [False, True])
def test_one_row_per_group_is_the_row_bootstrap_bit_for_bit(metric, kind, weighted):
    y, a, b, pa, pb, _ = _data(1, n=300)
    champ, chal = _inputs(kind, a, b, pa, pb)
    w = np.random.default_rng(5).uniform(0.5, 2.0, y.size) if weighted else None
    # labels in another order than the rows: groups are numbered by first row
    labels = np.random.default_rng(3).permutation(y.size).astype(str)
    for test in ("bootstrap", "permutation"):
        kw = {"metric": metric, "n_resamples": 500, "rng": 7, "sample_weight": w, "test": test}
        rows = paired_bootstrap(y, champ, chal, **kw)
        grouped = paired_bootstrap(y, champ, chal, groups=labels, **kw)
        assert _strip(grouped.to_dict()) == _strip(rows.to_dict())
        assert grouped.n_groups == y.size
        assert rows.n_groups is None
        assert grouped.method.startswith(f"cluster bootstrap over {y.size} groups")
    kw = {"metric": metric, "n_resamples": 200, "rng": 7, "sample_weight": w}
    rows_p = paired_permutation(y, champ, chal, **kw)
    grouped_p = paired_permutation(y, champ, chal, groups=labels, **kw)
    assert _strip(grouped_p.to_dict()) == _strip(rows_p.to_dict())
    assert grouped_p.method.startswith(f"cluster sign-flip test over {y.size} groups")


def test_one_row_per_group_gate_decision_is_the_row_decision():
    y, a, b, *_ = _data(2)
    plain = GateContext(y_true=y, champion=a, challenger=b, rng=0)
    grouped = attrs.evolve(plain, groups=np.arange(y.size))
    for gate in (NoRegression("accuracy", margin=0.02, n_resamples=1000),
                 SignificantImprovement("f1", n_resamples=1000)):
        r1, r2 = gate.check(plain), gate.check(grouped)
        assert r1.passed == r2.passed
        assert r1.evidence["p_value"] == r2.evidence["p_value"]
        assert r1.evidence["ci_low"] == r2.evidence["ci_low"]
        assert r2.evidence["n_groups"] == y.size


# ------------------------------------------------- against a plain cluster bootstrap


def _sk(metric, y, p, w=None):
    if metric == "f1":
        return skm.f1_score(y, p, sample_weight=w)
    if metric == "log_loss":
        return skm.log_loss(y, p, sample_weight=w, labels=[0, 1])
    if metric == "roc_auc":
        return skm.roc_auc_score(y, p, sample_weight=w)
    return skm.accuracy_score(y, p, sample_weight=w)


@pytest.mark.parametrize(("metric", "kind"),
                         [("accuracy", "label"), ("f1", "label"), ("log_loss", "proba"),
                          ("roc_auc", "proba")])
def test_cluster_bootstrap_matches_a_plain_one_in_distribution(metric, kind):
    y, a, b, pa, pb, g = _data(3, n=480, sizes=8)
    champ, chal = _inputs(kind, a, b, pa, pb)
    n_groups = g.max() + 1
    members = [np.flatnonzero(g == k) for k in range(n_groups)]
    rng = np.random.default_rng(11)
    B = 1000
    plain = np.empty(B)
    for r in range(B):
        rows = np.concatenate([members[k] for k in rng.integers(0, n_groups, n_groups)])
        plain[r] = _sk(metric, y[rows], chal[rows]) - _sk(metric, y[rows], champ[rows])
    res = paired_bootstrap(y, champ, chal, metric=metric, groups=g, n_resamples=20_000,
                           ci_method="percentile", test="bootstrap", rng=0)
    row = paired_bootstrap(y, champ, chal, metric=metric, n_resamples=20_000,
                           ci_method="percentile", test="bootstrap", rng=0)
    sd = plain.std(ddof=1)
    # the standard deviation within Monte-Carlo error (about 2.2 % for B = 1000)
    assert res.std_error == pytest.approx(sd, rel=0.1)
    lo, hi = np.quantile(plain, [0.025, 0.975])
    assert res.ci_low == pytest.approx(lo, abs=0.15 * sd)
    assert res.ci_high == pytest.approx(hi, abs=0.15 * sd)
    # and the rows resampled alone give a visibly narrower spread
    assert row.std_error < 0.85 * sd


@pytest.mark.parametrize(("metric", "kind"),
                         [("accuracy", "label"), ("f1", "label"), ("log_loss", "proba"),
                          ("roc_auc", "proba")])
@pytest.mark.parametrize("weighted", [False, True])
def test_leave_one_group_out_jackknife_is_exact(metric, kind, weighted):
    y, a, b, pa, pb, _ = _data(4, n=240)
    g = np.random.default_rng(1).integers(0, 23, y.size)  # uneven, interleaved groups
    champ, chal = _inputs(kind, a, b, pa, pb)
    w = np.random.default_rng(2).uniform(0.5, 2.0, y.size) if weighted else None
    problem = prepare(resolve_metric(metric, None, "t"), y, champ, chal, sample_weight=w,
                      caller="t", groups=g)
    jack = jackknife_values(problem)
    # groups are numbered by their first row
    _, first = np.unique(g, return_index=True)
    order = np.unique(g)[np.argsort(first)]
    expected = []
    for k in order:
        keep = g != k
        wk = None if w is None else w[keep]
        expected.append(_sk(metric, y[keep], chal[keep], wk)
                        - _sk(metric, y[keep], champ[keep], wk))
    np.testing.assert_allclose(jack, expected, rtol=1e-10, atol=1e-12)


def test_weights_add_up_within_groups():
    """A row of weight 2 is the row written twice in its group: the same result."""
    y, a, b, pa, pb, g = _data(5, n=120)
    w = np.where(np.arange(y.size) % 3 == 0, 2.0, 1.0)
    twice = np.flatnonzero(w == 2.0)
    rows = np.sort(np.concatenate([np.arange(y.size), twice]))
    for metric, kind in (("accuracy", "label"), ("brier_score", "proba"), ("f1", "label")):
        champ, chal = _inputs(kind, a, b, pa, pb)
        kw = {"metric": metric, "n_resamples": 2000, "rng": 3, "test": "bootstrap"}
        weighted = paired_bootstrap(y, champ, chal, sample_weight=w, groups=g, **kw)
        written = paired_bootstrap(y[rows], champ[rows], chal[rows], groups=g[rows], **kw)
        for field in ("difference", "ci_low", "ci_high", "p_value", "std_error"):
            assert getattr(weighted, field) == pytest.approx(getattr(written, field),
                                                             rel=1e-12, abs=1e-15)
        assert weighted.n_groups == written.n_groups == g.max() + 1
        p1 = paired_permutation(y, champ, chal, sample_weight=w, groups=g, metric=metric,
                                n_resamples=2000, rng=3)
        p2 = paired_permutation(y[rows], champ[rows], chal[rows], groups=g[rows],
                                metric=metric, n_resamples=2000, rng=3)
        assert p1.p_value == pytest.approx(p2.p_value, rel=1e-12)


def test_cluster_swap_test_is_exact_over_groups():
    y, a, b, *_ = _data(6, n=60, sizes=6)  # 10 groups: 2^10 swaps at most
    g = np.repeat(np.arange(10), 6)
    res = paired_permutation(y, a, b, metric="accuracy", groups=g)
    ca, cb = (a == y).astype(float), (b == y).astype(float)
    d = np.bincount(g, weights=cb - ca)
    # all 2^10 sign flips of the group differences, counted plainly
    signs = 1 - 2 * ((np.arange(1024)[:, None] >> np.arange(10)) & 1)
    null = signs @ d
    p_plain = min(1.0, 2 * min(np.mean(null >= d.sum() - 1e-9), np.mean(null <= d.sum() + 1e-9)))
    assert res.exact
    assert res.n_groups == 10
    assert res.n_differing == int(np.count_nonzero(d))
    assert res.p_value == pytest.approx(p_plain)


def test_auc_cluster_swaps_enumerated():
    y, _, _, pa, pb, _ = _data(7, n=48, sizes=6)
    g = np.repeat(np.arange(8), 6)
    res = paired_permutation(y, pa, pb, metric="roc_auc", groups=g, n_resamples=1000)
    assert res.exact
    assert res.n_groups == 8
    assert res.n_resamples == 2 ** res.n_differing
    # plainly: every subset of groups swapped, AUC by scikit-learn on ranks
    from scipy.stats import rankdata

    ra, rb = rankdata(pa), rankdata(pb)
    vals = []
    for code in range(256):
        sw = ((code >> g) & 1).astype(bool)
        vals.append(skm.roc_auc_score(y, np.where(sw, ra, rb))
                    - skm.roc_auc_score(y, np.where(sw, rb, ra)))
    vals = np.array(vals)
    obs = vals[0]
    tol = 1e-12
    p_plain = min(1.0, 2 * min(np.mean(vals >= obs - tol), np.mean(vals <= obs + tol)))
    assert res.p_value == pytest.approx(p_plain)


def test_small_sample_counts_groups():
    y, a, b, *_ = _data(8, n=3000, sizes=30)  # 100 groups, thousands of differing rows
    g = np.repeat(np.arange(100), 30)
    rows = paired_bootstrap(y, a, b, metric="accuracy", n_resamples=1000, rng=0)
    grouped = paired_bootstrap(y, a, b, metric="accuracy", groups=g, n_resamples=1000, rng=0)
    assert rows.test == "bootstrap"
    assert not rows.small_sample
    # fewer than MIN_DIFFERING differing groups: the exact cluster swap test decides
    assert grouped.test == "permutation"
    assert grouped.small_sample
    assert "cluster sign-flip test over 100 groups" in grouped.method
    # the rarer class counted in groups holding it: positives in 40 groups only
    y = np.where(g < 40, y, 0)
    a, b = np.where(g < 40, a, 0), np.where(g < 40, b, 0)
    with pytest.warns(DegenerateDataWarning, match="40 groups holding the rarer class"):
        paired_bootstrap(y, a, b, metric="f1", groups=g, n_resamples=1000, rng=0,
                         margin=0.01, hypothesis="non-inferiority")


def test_pandas_groups_matched_by_label():
    pd = pytest.importorskip("pandas")
    y, a, b, *_ = _data(9, n=120)
    g = np.repeat(np.arange(20), 6)
    idx = [f"r{i}" for i in range(y.size)]
    order = np.random.default_rng(0).permutation(y.size)
    ys = pd.Series(y, index=idx)
    gs = pd.Series(g, index=idx).iloc[order]  # another order: matched by label
    kw = {"metric": "accuracy", "n_resamples": 500, "rng": 1, "test": "bootstrap"}
    by_label = paired_bootstrap(ys, a, b, groups=gs, **kw)
    by_position = paired_bootstrap(y, a, b, groups=g, **kw)
    assert by_label.to_dict() == by_position.to_dict()
    ctx = GateContext(y_true=ys, champion=a, challenger=b, groups=gs)
    np.testing.assert_array_equal(ctx.groups, g)


# ------------------------------------------------------------------ the gates


def test_context_keeps_groups():
    y, a, b, *_ = _data(10, n=60)
    g = np.repeat(np.arange(10), 6)
    ctx = GateContext(y_true=y, champion=a, challenger=b, groups=g, rng=0)
    assert ctx.n_groups == 10
    assert GateContext(y_true=y, challenger=b).n_groups is None
    sub = ctx.subset(g < 4)
    np.testing.assert_array_equal(sub.groups, g[g < 4])
    assert ctx == attrs.evolve(ctx, groups=g.copy())
    assert ctx != attrs.evolve(ctx, groups=g[::-1].copy())
    assert ctx != attrs.evolve(ctx, groups=None)


def test_gates_resample_groups():
    y, a, b, pa, pb, g = _data(11, n=1200, sizes=12)
    ctx = GateContext(y_true=y, champion=a, challenger=b, champion_proba=pa,
                      challenger_proba=pb, groups=g, rng=0)
    for gate in (NoRegression("accuracy", margin=0.03, n_resamples=500),
                 SignificantImprovement("roc_auc", n_resamples=500),
                 CalibrationNoWorse(n_resamples=500)):
        res = gate.check(ctx)
        if not isinstance(gate, CalibrationNoWorse):
            assert "in 100 groups" in " ".join(res.reasons) or res.evidence["test"] == (
                "permutation")
        ev = res.evidence
        found = [v.get("n_groups") for v in ev.values() if isinstance(v, dict)]
        assert ev.get("n_groups") == 100 or 100 in found
    # MetricThreshold draws nothing: groups change nothing
    plain = attrs.evolve(ctx, groups=None)
    gate = MetricThreshold("accuracy", minimum=0.5)
    assert gate.check(ctx).evidence == gate.check(plain).evidence


def test_slice_gate_passes_groups_on_and_skips_one_group_slices():
    y, a, b, *_ = _data(12, n=1200, sizes=12)
    g = np.repeat(np.arange(100), 12)
    region = np.where(g < 50, "north", "south")
    region[g == 0] = "tiny"  # one group of 12 rows: cannot be resampled
    ctx = GateContext(y_true=y, champion=a, challenger=b, slices=region, groups=g, rng=0)
    res = SliceNoRegression("accuracy", margin=0.05, min_slice_size=10,
                            n_resamples=500).check(ctx)
    assert {r["slice"] for r in res.evidence["slices"]} == {"north", "south"}
    assert res.evidence["too_small"] == ["tiny (one group only)"]


def test_too_few_groups_is_insufficient_evidence():
    rng = np.random.default_rng(13)
    y = rng.integers(0, 2, 400)
    g = np.repeat(np.arange(4), 100)  # 4 groups: no test at 0.05 can decide
    ctx = GateContext(y_true=y, champion=1 - y, challenger=y.copy(), groups=g, rng=0)
    # the exact cluster swap test cannot reach 0.05 on 4 groups (2^-4 = 0.0625)
    res = SignificantImprovement("accuracy", n_resamples=500).check(ctx)
    assert not res.passed
    assert res.evidence["test"] == "permutation"
    # with a margin the bootstrap decides (a zero-width interval): not passed either
    gate = NoRegression("accuracy", margin=0.1, n_resamples=500)
    res = gate.check(ctx)
    assert not res.passed
    assert res.evidence["insufficient_evidence"]
    assert "4 groups" in " ".join(res.reasons)
    # the same rows without groups: plenty of evidence
    plain = attrs.evolve(ctx, groups=None)
    assert SignificantImprovement("accuracy", n_resamples=500).check(plain).passed
    assert gate.check(plain).passed


# ------------------------------------------------------------------- bad input

Y = np.array([0, 1, 0, 1, 1, 0, 1, 0])
A = np.array([0, 1, 1, 1, 0, 0, 1, 0])
P = np.array([0.2, 0.7, 0.6, 0.9, 0.4, 0.1, 0.8, 0.3])
G = np.array([0, 0, 1, 1, 2, 2, 3, 3])


def _pb(**kw):
    return paired_bootstrap(Y, A, Y, metric=kw.pop("metric", "accuracy"), n_resamples=100,
                            **kw)


def _ctx(**kw):
    return GateContext(y_true=Y, champion=A, challenger=Y, champion_proba=P,
                       challenger_proba=P, **kw)


BAD = [
    (lambda: _pb(groups=G[:-1]), "'groups' parameter .*one group label per row of y_true"),
    (lambda: _pb(groups=np.array([0, 0, 1, 1, np.nan, 2, 3, 3])),
     "'groups' parameter .*NaN"),
    (lambda: _pb(groups=np.array(["a", "a", None, "b", "b", "c", "c", "d"], dtype=object)),
     "'groups' parameter .*no NaN, None or NaT"),
    (lambda: _pb(groups=np.zeros(8)), "'groups' parameter .*at least 2 distinct groups"),
    (lambda: _pb(groups=np.column_stack([G, G])), "'groups' parameter"),
    (lambda: _pb(groups=[0, 0, 1, 1, "2", "2", 3, 3]), "'groups' parameter"),
    (lambda: paired_permutation(Y, A, Y, metric="accuracy", groups=G[:3]),
     "'groups' parameter"),
    (lambda: paired_permutation(Y, A, Y, metric=lambda t, p: float(np.mean(t == p)),
                                higher_is_better=True, groups=G),
     "'groups' parameter .*callable metric .*accuracy"),
    (lambda: _pb(metric=skm.accuracy_score, higher_is_better=True, groups=G),
     "'groups' parameter .*callable metric"),
    (lambda: mcnemar(Y, A, Y, groups=G), "'groups' parameter .*cluster bootstrap"),
    (lambda: delong(Y, P, P, groups=G), "'groups' parameter .*cluster bootstrap"),
    (lambda: SignificantImprovement("accuracy", method="mcnemar").check(_ctx(groups=G)),
     "'groups' parameter .*method='mcnemar'.*method='bootstrap'"),
    (lambda: SignificantImprovement("roc_auc", method="delong").check(_ctx(groups=G)),
     "'groups' parameter .*method='delong'.*method='bootstrap'"),
    (lambda: _ctx(groups=G[:5]), "'groups' parameter .*one group label per row"),
    (lambda: _ctx(groups=[0, 0, 1, None, 2, 2, 3, 3]), "'groups' parameter .*None"),
    (lambda: NoRegression("accuracy", margin=0.1, n_resamples=100).check(
        _ctx(groups=np.ones(8))), "'groups' parameter .*at least 2 distinct groups"),
]


@pytest.mark.parametrize(("call", "match"), BAD)
def test_bad_groups(call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call()
