"""n_jobs and progress= on the gates' bootstrap and permutation tests (issues 13, 19)."""

from __future__ import annotations

import warnings

import joblib
import numpy as np
import pytest
import sklearn.metrics as skm

from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError
from mllifecycle.gates import delong, paired_bootstrap

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
            lambda: delong(Y, A, B, progress="bar"),
            r"'progress' parameter of delong must be True, False or a callable",
        ),
    ],
)
def test_bad_n_jobs_and_progress(call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call()
