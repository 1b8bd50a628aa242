"""n_jobs and progress= on the gates' bootstrap and permutation tests (issues 13, 19)."""

from __future__ import annotations

import warnings

import joblib
import numpy as np
import pytest
import sklearn.metrics as skm

from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError
from mllifecycle.gates import delong, paired_bootstrap, paired_permutation

_g = np.random.default_rng(4)
Y = _g.integers(0, 2, 300)
A = Y + _g.normal(0, 1.0, 300)
B = Y + _g.normal(0, 0.8, 300)
CA, CB = (A > 0.5).astype(int), (B > 0.5).astype(int)

# (metric, champion, challenger, extra keywords): the three resampling engines
ENGINES = [
    ("accuracy", CA, CB, {}),  # count matrix product / multinomial rows
    ("roc_auc", A, B, {}),  # sorted run sums
    (skm.balanced_accuracy_score, CA, CB, {"higher_is_better": True}),  # callable loop
]
IDS = ["accuracy", "roc_auc", "callable"]


def _fields(r):
    return (r.ci_low, r.ci_high, r.p_value, r.std_error, r.n_resamples)


@pytest.mark.parametrize(("metric", "a", "b", "kw"), ENGINES, ids=IDS)
def test_paired_bootstrap_same_result_for_any_n_jobs(metric, a, b, kw):
    n_res = 300 if callable(metric) else 700
    base = paired_bootstrap(Y, a, b, metric=metric, n_resamples=n_res, rng=5, **kw)
    assert base.n_resamples == n_res
    one = paired_bootstrap(Y, a, b, metric=metric, n_resamples=n_res, rng=5, n_jobs=1, **kw)
    assert _fields(one) == _fields(base)
    with joblib.parallel_backend("threading"):
        two = paired_bootstrap(Y, a, b, metric=metric, n_resamples=n_res, rng=5, n_jobs=2, **kw)
    assert _fields(two) == _fields(base)


def test_paired_bootstrap_loky_processes_give_the_same_result():
    base = paired_bootstrap(Y, A, B, metric="roc_auc", n_resamples=600, rng=9)
    with joblib.parallel_backend("loky"):
        two = paired_bootstrap(Y, A, B, metric="roc_auc", n_resamples=600, rng=9, n_jobs=2)
    assert _fields(two) == _fields(base)


@pytest.mark.parametrize(("metric", "a", "b", "kw"), ENGINES, ids=IDS)
def test_paired_bootstrap_progress_counts_every_resample(metric, a, b, kw):
    seen: list[tuple[int, int]] = []
    paired_bootstrap(
        Y,
        a,
        b,
        metric=metric,
        n_resamples=600,
        rng=0,
        progress=lambda d, t: seen.append((d, t)),
        **kw,
    )
    assert seen == [(256, 600), (512, 600), (600, 600)]


# the four swap engines of the permutation test, each on its Monte-Carlo path
# (more differing rows than log2(n_resamples)); F1 is a ratio of sums
SWAP_ENGINES = [
    ("f1", CA, CB, {}),
    ("roc_auc", A, B, {}),
    (skm.balanced_accuracy_score, CA, CB, {"higher_is_better": True}),
    # accuracy with weights of many distinct values: no exact convolution
    ("accuracy", CA, CB, {"sample_weight": np.random.default_rng(3).random(300) + 0.5}),
]


@pytest.mark.parametrize(
    ("metric", "a", "b", "kw"), SWAP_ENGINES, ids=["f1", "roc_auc", "callable", "weighted"]
)
def test_paired_permutation_same_result_for_any_n_jobs(metric, a, b, kw):
    n_res = 300 if callable(metric) else 700
    base = paired_permutation(Y, a, b, metric=metric, n_resamples=n_res, rng=5, **kw)
    assert not base.exact
    assert base.n_resamples == n_res
    with joblib.parallel_backend("threading"):
        two = paired_permutation(
            Y, a, b, metric=metric, n_resamples=n_res, rng=5, n_jobs=2, **kw
        )
    assert two.to_dict() == base.to_dict()
    # a different seed gives a different Monte-Carlo draw (the streams are used)
    others = {
        paired_permutation(Y, a, b, metric=metric, n_resamples=n_res, rng=s, **kw).p_value
        for s in (6, 7, 8)
    }
    assert others - {base.p_value}


def test_paired_permutation_loky_and_delong_permutation_give_the_same_result():
    base = paired_permutation(Y, A, B, metric="roc_auc", n_resamples=600, rng=9)
    with joblib.parallel_backend("loky"):
        two = paired_permutation(Y, A, B, metric="roc_auc", n_resamples=600, rng=9, n_jobs=2)
    assert two.to_dict() == base.to_dict()
    d1 = delong(Y, A, B, test="permutation", n_resamples=600, rng=9)
    d2 = delong(Y, A, B, test="permutation", n_resamples=600, rng=9, n_jobs=-1)
    assert d1.to_dict() == d2.to_dict()
    # the same swaps as paired_permutation's: the same p-value
    assert d1.p_value == base.p_value


def test_paired_permutation_progress_counts_every_swap():
    seen: list[tuple[int, int]] = []
    paired_permutation(
        Y, A, B, metric="roc_auc", n_resamples=600, rng=0,
        progress=lambda d, t: seen.append((d, t)),
    )  # fmt: skip
    assert seen == [(256, 600), (512, 600), (600, 600)]
    exact: list[tuple[int, int]] = []
    small = paired_permutation(
        Y[:12], A[:12], B[:12], metric="roc_auc", n_resamples=5000, rng=0,
        progress=lambda d, t: exact.append((d, t)),
    )  # fmt: skip
    assert small.exact
    assert exact[-1] == (2**small.n_differing, 2**small.n_differing)


def test_delong_progress_over_the_permutation_swaps():
    y = np.r_[np.ones(12, int), np.zeros(40, int)]
    s1 = np.random.default_rng(1).normal(size=52) + y
    s2 = np.random.default_rng(2).normal(size=52) + y
    seen: list[tuple[int, int]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        res = delong(
            y, s1, s2, test="permutation", n_resamples=500, rng=0,
            progress=lambda d, t: seen.append((d, t)),
        )
        plain = delong(y, s1, s2, test="permutation", n_resamples=500, rng=0)
    assert seen
    assert seen[-1][0] == seen[-1][1]
    assert res.p_value == plain.p_value
    # DeLong's own p-value resamples nothing: no progress calls
    quiet: list[tuple[int, int]] = []
    delong(Y, A, B, test="delong", progress=lambda d, t: quiet.append((d, t)))
    assert quiet == []


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: paired_bootstrap(Y, CA, CB, metric="accuracy", n_jobs=0),
            r"'n_jobs' parameter of paired_bootstrap must be None or a non-zero int",
        ),
        (
            lambda: paired_bootstrap(Y, CA, CB, metric="accuracy", n_jobs="2"),
            r"'n_jobs' parameter of paired_bootstrap must be None or a non-zero int",
        ),
        (
            lambda: paired_permutation(Y, CA, CB, metric="accuracy", n_jobs=1.5),
            r"'n_jobs' parameter of paired_permutation must be None or a non-zero int",
        ),
        (
            lambda: delong(Y, A, B, n_jobs=True),
            r"'n_jobs' parameter of delong must be None or a non-zero int",
        ),
        (
            lambda: delong(Y, A, B, progress="bar"),
            r"'progress' parameter of delong must be True, False or a callable",
        ),
    ],
)
def test_bad_n_jobs_and_progress(call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call()


def _gate_context():
    from mllifecycle.gates import GateContext

    g = np.random.default_rng(8)
    y = g.integers(0, 2, 900)
    a = np.where(g.random(900) < 0.8, y, 1 - y)
    b = np.where(g.random(900) < 0.83, y, 1 - y)
    pa = np.clip(np.where(a == 1, 0.75, 0.25) + g.normal(0, 0.1, 900), 0.01, 0.99)
    pb = np.clip(np.where(b == 1, 0.8, 0.2) + g.normal(0, 0.1, 900), 0.01, 0.99)
    region = g.choice(["north", "south"], 900)
    return GateContext(
        y_true=y,
        champion=a,
        challenger=b,
        champion_proba=pa,
        challenger_proba=pb,
        slices={"region": region},
        rng=0,
    )


def _gates(**kw):
    from mllifecycle.gates import (
        CalibrationNoWorse,
        NoRegression,
        SignificantImprovement,
        SliceNoRegression,
    )

    return [
        NoRegression("accuracy", margin=0.01, n_resamples=300, **kw),
        SignificantImprovement("accuracy", n_resamples=300, **kw),
        SliceNoRegression("accuracy", by="region", margin=0.02, n_resamples=300, **kw),
        CalibrationNoWorse(n_resamples=300, **kw),
    ]


def test_gates_same_decision_for_any_n_jobs_and_report_progress():
    ctx = _gate_context()
    base = [g.check(ctx) for g in _gates()]
    with joblib.parallel_backend("threading"):
        par = [g.check(ctx) for g in _gates(n_jobs=2)]
    for r0, r1 in zip(base, par, strict=True):
        assert r0.passed == r1.passed
        assert r0.to_dict() == r1.to_dict()
    for gate in _gates():
        seen: list[tuple[int, int]] = []
        gate = type(gate)(**{**_fields_of(gate), "progress": _recorder(seen)})
        gate.check(ctx)
        assert seen, gate.name
        assert all(t == 300 for _, t in seen)
        assert seen[-1][0] == 300


def _recorder(seen):
    def record(done, total):
        seen.append((done, total))

    return record


def _fields_of(gate):
    import attrs

    return {
        f.name: getattr(gate, f.name)
        for f in attrs.fields(type(gate))
        if f.init and not f.name.startswith("_")
    }


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"n_jobs": 0}, r"'n_jobs' parameter of \w+ must be None or a non-zero int"),
        ({"progress": 3}, r"'progress' parameter of \w+ must be True, False or a callable"),
    ],
)
def test_gates_bad_n_jobs_and_progress(kw, match):
    from mllifecycle.gates import CalibrationNoWorse, NoRegression, SliceNoRegression

    for make in (
        lambda: NoRegression("accuracy", margin=0.01, **kw),
        lambda: SliceNoRegression("accuracy", **kw),
        lambda: CalibrationNoWorse(**kw),
    ):
        with pytest.raises(InvalidParameterError, match=match):
            make()
