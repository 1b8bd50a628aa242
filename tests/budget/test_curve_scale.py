"""A learning curve fitted to scores times ``s`` is the curve of the scores, times ``s``.

The weighted least squares square the scores: at 1e200 they overflowed and at
1e-200 underflowed, and ``samples_needed`` said 1550 where the answer is 2500
(with only RuntimeWarnings). Every figure must scale with the scores (sizes,
rates and probabilities not at all), for both signs of ``s``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mllifecycle.budget import fit_curve, samples_needed

SIZES = np.array([100, 200, 400, 800])
FOLD_SIZES = np.array([100, 200, 400, 800, 1600])
SCALES = [1e-300, 1e-200, 1e-100, 1e-30, 1e-5, 3.7, 1e5, 1e30, 1e100, 1e200, 1e300]


def _folds() -> np.ndarray:
    rng = np.random.default_rng(0)
    return 0.95 - 2.0 * FOLD_SIZES[:, None] ** -0.6 + rng.normal(0, 0.004, (5, 5))


def _figures(scores, sizes, s, target=0.88, **kw):
    """(figures that scale with s, figures that do not) of a fit to scores * s.

    ``target`` (times s) is beyond the largest size, so labels are still to buy
    (a target just reached leaves a difference of rounding, 1600.00001 - 1600).
    """
    bounds = kw.pop("bounds", None)
    if bounds is not None:
        bounds = tuple(sorted(v * s for v in bounds))
    with warnings.catch_warnings():
        # an overflow or underflow is the silent wrong answer this guards against
        warnings.simplefilter("error")
        curve = fit_curve(sizes, scores * s, bounds=bounds, rng=0, **kw)
        need = samples_needed(curve, target * s, price_per_label=0.5, labels_per_hour=10)
        at = [sizes[-1], 4 * sizes[-1]]
        pred = curve.interval(at)
        band = curve.interval(at, kind="curve")
        scaled = np.array([
            *curve.params[:2], *curve.predict(at), *pred[0], *pred[1], *band[0], *band[1],
            *(curve.asymptote_interval() or (math.nan, math.nan)), curve.eval_std,
            math.nan if curve.asymptote is None else curve.asymptote,
            *curve.scores, *np.nan_to_num(curve.score_std_error),
        ])
        plain = np.array([
            curve.params[2], need.n_samples, need.ci_low, need.ci_high, need.p_reachable,
            need.cost, need.cost_ci_low, need.cost_ci_high, need.hours,
        ])
    return curve, scaled, plain


@pytest.mark.parametrize("sign", [1.0, -1.0])
@pytest.mark.parametrize("s", SCALES)
def test_fit_and_samples_needed_scale_with_the_scores(s, sign):
    scores = 0.9 - SIZES**-0.5
    base_curve, base, base_plain = _figures(scores, SIZES, sign, family="inverse_power")
    curve, scaled, plain = _figures(scores, SIZES, sign * s, family="inverse_power")
    assert curve.family == base_curve.family
    np.testing.assert_allclose(scaled / s, base, rtol=1e-6)
    np.testing.assert_allclose(plain, base_plain, rtol=1e-6)
    # the reported example: 2500 labels at every scale (1550 at 1e200 before)
    assert plain[1] == pytest.approx(2500, rel=1e-6)
    assert base_plain[1] == pytest.approx(2500, rel=1e-6)


@pytest.mark.parametrize("sign", [1.0, -1.0])
@pytest.mark.parametrize("s", [1e-200, 1e-30, 1e30, 1e200, 1e307])
def test_fold_fit_with_bounds_scales_with_the_scores(s, sign):
    """Per-fold scores (fold variances, family weights, binomial noise) and bounds."""
    folds = _folds()
    kw = {"bounds": (0.0, 1.0)}
    base_curve, base, base_plain = _figures(folds, FOLD_SIZES, sign, **dict(kw))
    curve, scaled, plain = _figures(folds, FOLD_SIZES, sign * s, **dict(kw))
    assert curve.family == base_curve.family
    assert curve.boot_family == base_curve.boot_family
    np.testing.assert_allclose(scaled / s, base, rtol=1e-6)
    np.testing.assert_allclose(plain, base_plain, rtol=1e-6)
    # mean squared validation errors scale with s squared (where it is representable)
    if s <= 1e100:
        for f, v in base_curve.cv_errors.items():
            assert curve.cv_errors[f] == pytest.approx(v * s * s, rel=1e-6)


@settings(max_examples=25, deadline=None)
@given(
    exponent=st.floats(-300, 300),
    negative=st.booleans(),
    family=st.sampled_from(["auto", "inverse_power", "exponential", "log_linear"]),
)
def test_scale_equivariance_property(exponent, negative, family):
    s = 10.0**exponent
    sign = -1.0 if negative else 1.0
    scores = 0.9 - 0.8 * np.array([50, 100, 200, 400, 800, 1600]) ** -0.5
    sizes = np.array([50, 100, 200, 400, 800, 1600])
    base_curve, base, base_plain = _figures(scores, sizes, sign, 0.89, family=family)
    curve, scaled, plain = _figures(scores, sizes, sign * s, 0.89, family=family)
    assert curve.family == base_curve.family
    keep = np.isfinite(base)  # the log-linear law has no asymptote (NaN)
    np.testing.assert_allclose(scaled[keep] / s, base[keep], rtol=1e-6)
    np.testing.assert_allclose(plain, base_plain, rtol=1e-6)


def test_ordinary_scales_are_untouched():
    """Scores between 2**-64 and 2**64 are fitted as given (bit for bit)."""
    scores = 0.9 - SIZES**-0.5
    curve = fit_curve(SIZES, scores, family="inverse_power", rng=0)
    assert np.array_equal(curve.scores, scores)
    assert curve.params == pytest.approx((0.9, -1.0, 0.5), rel=1e-6)
