"""Learning-curve prediction intervals: which families enter a bounded
metric's fit, the monotone floor, the noise of a new measurement, the
shortest interval, and their coverage by seeded simulation."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.budget import fit_curve

SIZES = np.array([50.0, 100, 200, 400, 800, 1600])


def _loglinear_folds(seed):
    rng = np.random.default_rng(seed)
    law = 0.3 + 0.05 * np.log(SIZES)
    return law[:, None] + rng.normal(0, 0.003, (6, 5))


@pytest.mark.parametrize("seed", range(3))
def test_bounded_rising_metric_never_uses_the_log_linear_law(seed):
    folds = _loglinear_folds(seed)
    free = fit_curve(SIZES, folds, rng=0)
    assert "log_linear" in free.boot_family  # the data follow it: unbounded, it is mixed in
    bounded = fit_curve(SIZES, folds, bounds=(0.0, 1.0), rng=0)
    assert bounded.family != "log_linear"
    assert "log_linear" not in bounded.boot_family
    assert "log_linear" not in bounded.cv_errors


def test_bounded_falling_metric_never_uses_the_log_linear_law():
    err = 1.0 - _loglinear_folds(0)
    assert "log_linear" in fit_curve(SIZES, err, rng=0).boot_family
    curve = fit_curve(SIZES, err, bounds=(0.0, None), rng=0)
    assert curve.family != "log_linear"
    assert "log_linear" not in curve.boot_family
    # a bound on the far side only (a floor under a rising curve) does not exclude it
    rising = fit_curve(SIZES, _loglinear_folds(0), bounds=(0.0, None), rng=0)
    assert "log_linear" in rising.boot_family


def test_log_linear_by_name_or_with_three_sizes_is_still_fitted():
    folds = _loglinear_folds(1)
    named = fit_curve(SIZES, folds, family="log_linear", bounds=(0.0, 1.0), rng=0)
    assert named.family == "log_linear"
    # three sizes: the only family that can be fitted with a residual
    # (with a warning: that law has no asymptote and crosses the bound)
    with pytest.warns(DegenerateDataWarning, match="3 sizes fit only the log-linear law"):
        three = fit_curve(SIZES[:3], folds[:3], bounds=(0.0, 1.0), rng=0)
    assert three.family == "log_linear"


# --- the shortest interval ----------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from scipy import stats  # noqa: E402

from mllifecycle.budget._curves import _shortest  # noqa: E402
from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError  # noqa: E402


def test_shortest_interval_exact_values():
    draws = np.array([[0.0, 5.0], [1.0, 6.0], [2.0, 7.0], [3.0, 8.0], [10.0, 20.0]])
    lo, hi = _shortest(draws, 0.6)  # 3 of 5 draws
    np.testing.assert_array_equal(lo, [0.0, 5.0])
    np.testing.assert_array_equal(hi, [2.0, 7.0])
    # a pile of draws at a bound: the interval takes the pile
    piled = np.array([0.1, 0.5, 0.9, 1.0, 1.0, 1.0, 1.0])[:, None]
    lo, hi = _shortest(piled, 4 / 7)
    assert (lo[0], hi[0]) == (1.0, 1.0)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=60),
    st.floats(0.05, 0.99),
)
def test_shortest_interval_holds_the_level_and_beats_equal_tails(values, level):
    d = np.array(values)[:, None]
    lo, hi = _shortest(d, level)
    inside = np.mean((d[:, 0] >= lo[0]) & (d[:, 0] <= hi[0]))
    assert inside >= level - 1e-12
    q = (1 - level) / 2
    # the equal-tailed interval holding as many draws is never narrower
    s = np.sort(d[:, 0])
    h = int(np.ceil(level * s.size))
    start = int(np.floor(q * s.size))
    start = min(start, s.size - h)
    assert hi[0] - lo[0] <= s[start + h - 1] - s[start] + 1e-9


# --- the widening for few folds, the monotone floor, the noise scaling -------------


def _accuracy_folds(law, seed, n_test=100, r=5):
    """Per-fold accuracies on n_test test rows: binomial noise about the law."""
    rng = np.random.default_rng(seed)
    p = law(SIZES)
    return rng.binomial(n_test, np.broadcast_to(p[:, None], (SIZES.size, r))) / n_test


def _inverse_power(n):
    return 0.95 - 1.5 * np.asarray(n, float) ** -0.5


def test_t_factor_is_student_over_normal_for_the_folds():
    curve = fit_curve(SIZES, _accuracy_folds(_inverse_power, 0), bounds=(0.0, 1.0), rng=0)
    assert curve.resample_df == 4
    assert curve._t_factor() == pytest.approx(
        stats.t.isf(0.05, 4) / stats.norm.isf(0.05), rel=1e-12
    )
    assert curve._t_factor() == pytest.approx(1.29607, rel=1e-4)
    # one score per size: residuals with sizes - parameters degrees of freedom
    wobble = np.array([0.01, -0.01, 0.0, 0.01, -0.01, 0.0])
    one = fit_curve(SIZES, _inverse_power(SIZES) + wobble, family="inverse_power", rng=0)
    assert one.resample_df == 3


def test_draws_beyond_the_largest_size_do_not_fall_below_its_resampled_mean():
    curve = fit_curve(SIZES, _accuracy_folds(_inverse_power, 3), bounds=(0.0, 1.0), rng=0)
    kappa = curve._t_factor()
    floor = curve.scores[-1] + (curve.boot_last - curve.scores[-1]) * kappa
    n = np.array([1600.0, 3200.0, 1e6])
    draws = curve._draws(n, "curve")
    assert np.all(draws >= np.clip(floor, 0, 1)[:, None] - 1e-12)
    # below the largest size there is no floor
    assert np.any(curve._draws(np.array([60.0]), "curve")[:, 0] < np.clip(floor, 0, 1))
    # a falling error: at most the resampled mean
    err = fit_curve(SIZES, 1 - _accuracy_folds(_inverse_power, 3), bounds=(0.0, 1.0), rng=0)
    ceil = err.scores[-1] + (err.boot_last - err.scores[-1]) * kappa
    assert np.all(err._draws(n, "curve") <= np.clip(ceil, 0, 1)[:, None] + 1e-12)


def test_noise_scales_as_a_proportion_only_for_a_metric_bounded_on_both_sides():
    folds = _accuracy_folds(_inverse_power, 4)
    curve = fit_curve(SIZES, folds, bounds=(0.0, 1.0), rng=0)
    y = curve.scores[-1]
    m = np.array([0.5, 0.9, 0.99, 1.0])
    np.testing.assert_allclose(
        curve._noise_scale(m), np.sqrt(m * (1 - m) / (y * (1 - y))), rtol=1e-12
    )
    assert fit_curve(SIZES, folds, bounds=(0.0, None), rng=0)._noise_scale(m) == 1.0
    # the prediction interval holds the curve interval and stays in the bounds
    for nn in (1600, 6400):
        clo, chi = curve.interval(nn, kind="curve")
        plo, phi = curve.interval(nn)
        assert plo[0] <= clo[0] + 1e-3
        assert phi[0] >= chi[0] - 1e-3
        assert 0.0 <= plo[0] <= phi[0] <= 1.0


def test_predictive_weights_favour_the_true_family_and_sum_to_one():
    rng = np.random.default_rng(5)
    folds = _inverse_power(SIZES)[:, None] + rng.normal(0, 0.002, (6, 5))
    curve = fit_curve(SIZES, folds, bounds=(0.0, 1.0), rng=0)
    fams, counts = np.unique(np.array(curve.boot_family), return_counts=True)
    share = dict(zip(fams.tolist(), (counts / counts.sum()).tolist(), strict=True))
    assert curve.family == "inverse_power"
    assert share["inverse_power"] > 0.8
    # identical folds: no measured noise, the forward-error weights are used
    flat = np.repeat(_inverse_power(SIZES)[:, None], 5, axis=1)
    assert fit_curve(SIZES, flat, bounds=(0.0, 1.0), rng=0).family == "inverse_power"


@pytest.mark.parametrize("bad", [0, -5, np.nan, np.inf, [100, 0], "many"])
def test_interval_refuses_bad_sizes(bad):
    curve = fit_curve(SIZES, _accuracy_folds(_inverse_power, 0), bounds=(0.0, 1.0), rng=0)
    with pytest.raises(InvalidParameterError, match="n_samples"):
        curve.interval(bad)


def test_interval_refuses_unknown_kind():
    curve = fit_curve(SIZES, _accuracy_folds(_inverse_power, 0), bounds=(0.0, 1.0), rng=0)
    with pytest.raises(InvalidParameterError, match="kind"):
        curve.interval(3200, kind="bayes")


# --- coverage by seeded simulation ---------------------------------------------


def _exponential(n):
    return 0.93 - 0.3 * np.exp(-2.0 * np.asarray(n, float) / 1600)


@pytest.mark.slow
@pytest.mark.parametrize("law", [_inverse_power, _exponential])
def test_ninety_percent_prediction_interval_covers_a_new_binomial_accuracy(law):
    # accuracies on 100 test rows per fold (binomial noise, known law), bounded
    # by (0, 1); the new measurement is a fresh 5-fold accuracy at 4x the
    # largest size. Nominal 90 % must cover at least 90 % less 3 simulation
    # standard errors (60 trials: 0.116)
    trials, hits = 60, 0
    for s in range(trials):
        folds = _accuracy_folds(law, 2000 + s)
        curve = fit_curve(SIZES, folds, bounds=(0.0, 1.0), n_resamples=300, rng=s)
        rng = np.random.default_rng(9000 + s)
        new = rng.binomial(100, law(6400.0), 5).mean() / 100
        lo, hi = curve.interval(6400)
        hits += lo[0] <= new <= hi[0]
    assert hits / trials >= 0.9 - 3 * np.sqrt(0.09 / trials), hits / trials


def test_to_dict_leaves_the_bootstrap_out_and_is_json_safe():
    import json

    curve = fit_curve(SIZES, _accuracy_folds(_inverse_power, 0), bounds=(0.0, 1.0), rng=0)
    d = curve.to_dict()
    for key in ("boot_params", "boot_family", "boot_last", "family_params"):
        assert key not in d
    assert d["resample_df"] == 4
    json.dumps(d)
