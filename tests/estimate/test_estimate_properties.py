"""CBPE: hypothesis property tests (ranges, determinism, invariances)."""

from __future__ import annotations

import math
import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mllifecycle.estimate import CBPE
from mllifecycle.exceptions import DegenerateDataWarning

ALL = ["accuracy", "precision", "recall", "f1", "roc_auc"]

probs = arrays(
    np.float64,
    st.integers(12, 80),
    elements=st.floats(0.0, 1.0, allow_nan=False, allow_subnormal=False),
)


def _labels(p, seed):
    y = (np.random.default_rng(seed).uniform(size=p.size) < p).astype(int)
    y[0], y[1] = 0, 1  # both classes present
    return y


def _estimate(est, p):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        return est.estimate(p)


@settings(max_examples=40, deadline=None)
@given(
    p=probs,
    seed=st.integers(0, 2**16),
    calibration=st.sampled_from(["none", "sigmoid", "isotonic"]),
    threshold=st.floats(0.05, 0.95),
)
def test_estimates_lie_in_unit_interval_and_inside_their_interval(p, seed, calibration, threshold):
    y = _labels(p, seed)
    est = CBPE(metrics=ALL, calibration=calibration, threshold=threshold).fit(y_true=y, y_proba=p)
    window = np.random.default_rng(seed + 1).permutation(p)[: max(2, p.size // 2)]
    r = _estimate(est, window)
    for name in ALL:
        e = r[name]
        if math.isnan(e.value):
            continue
        assert -1e-12 <= e.value <= 1 + 1e-12
        assert e.std_error >= 0
        assert 0.0 <= e.ci_low <= e.value + 1e-12
        assert e.value - 1e-12 <= e.ci_high <= 1.0


@settings(max_examples=25, deadline=None)
@given(p=probs, seed=st.integers(0, 2**16))
def test_row_order_of_a_window_does_not_matter(p, seed):
    y = _labels(p, seed)
    est = CBPE(metrics=ALL, calibration="none").fit(y_true=y, y_proba=p)
    a = _estimate(est, p)
    b = _estimate(est, np.random.default_rng(seed).permutation(p))
    for name in ALL:
        va, vb = a[name].value, b[name].value
        assert (math.isnan(va) and math.isnan(vb)) or math.isclose(
            va, vb, rel_tol=1e-9, abs_tol=1e-12
        )


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**16), n_resamples=st.sampled_from([0, 3]))
def test_same_random_state_gives_the_same_result(seed, n_resamples):
    rng = np.random.default_rng(seed)
    p = rng.uniform(size=120)
    y = (rng.uniform(size=120) < p**2).astype(int)
    y[:6], y[6:12] = 0, 1
    make = lambda: CBPE(metrics=ALL, random_state=seed, n_resamples=n_resamples)  # noqa: E731
    a, b = make().fit(y_true=y, y_proba=p), make().fit(y_true=y, y_proba=p)
    assert a.calibration_ == b.calibration_
    assert a.calibration_scores_ == b.calibration_scores_
    assert _estimate(a, p[:50]).to_dict() == _estimate(b, p[:50]).to_dict()


@settings(max_examples=25, deadline=None)
@given(p=probs, seed=st.integers(0, 2**16))
def test_realized_of_labels_drawn_from_p_is_a_valid_metric(p, seed):
    y = _labels(p, seed)
    est = CBPE(metrics=ALL, calibration="none").fit(y_true=y, y_proba=p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        got = est.realized(y, p)
    assert all(math.isnan(v) or 0.0 <= v <= 1.0 for v in got.values())
