"""Hunt: fit_curve on score tables of odd shapes."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.budget import fit_curve, samples_needed
from mllifecycle.exceptions import InvalidParameterError

SIZES = np.array([100, 200, 400, 800, 1600])


@pytest.mark.parametrize(
    ("scores", "match"),
    [
        # a table with no fold column raised a raw numpy reshape ValueError
        (np.zeros((5, 0)), r"'scores' parameter of fit_curve must be 5 scores, or an array of "
         r"shape \(5, n_folds\) with at least one fold"),
        (np.zeros((4, 2)), r"'scores' parameter of fit_curve must be 5 scores"),
        (np.zeros((5, 2, 1)), r"'scores' parameter of fit_curve must be 5 scores"),
    ],
)
def test_bad_score_shapes(scores, match):
    with pytest.raises(InvalidParameterError, match=match):
        fit_curve(SIZES, scores, rng=0)


def test_one_fold_column_is_one_score_per_size():
    y = 0.9 - SIZES**-0.5
    a = fit_curve(SIZES, y[:, None], family="inverse_power", rng=0)
    b = fit_curve(SIZES, y, family="inverse_power", rng=0)
    assert a.params == b.params
    assert a.asymptote == pytest.approx(0.9, abs=1e-6)


@pytest.mark.parametrize("value", [0.7, 0.8, 0.9, 0.95, 0.3, 1.0])
@pytest.mark.parametrize("folds", [False, True])
def test_a_flat_curve_rises_and_does_not_reach_a_higher_target(value, folds):
    # a flat curve's direction came from the rounding of its mean: for 0.7 and
    # 0.95 it was "falling", so a target above the flat score was "reachable
    # with n=1, no additional labels"
    sizes = np.array([100, 200, 400, 800, 1600, 3200])
    scores = np.full((6, 5), value) if folds else np.full(6, value)
    curve = fit_curve(sizes, scores, bounds=(0, 1), rng=0)
    assert curve.higher_is_better
    assert curve.asymptote == pytest.approx(value)
    if value < 1.0:
        assert not samples_needed(curve, value + 0.02).reachable
    # the flat score is already the target: reached (a tie, not "not reachable")
    need = samples_needed(curve, value)
    assert need.reachable
    assert need.additional_samples == 0
    assert need.p_reachable == 1.0


def test_learning_curve_names_the_sizes_whose_fits_failed():
    # fits on 2, 4 and 8 rows of a 5 % minority class see one class and fail;
    # the error named fit_curve's 'scores', which a learning_curve caller never passed
    from sklearn.exceptions import FitFailedWarning
    from sklearn.linear_model import LogisticRegression

    from mllifecycle.budget import learning_curve

    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = (rng.random(300) < 0.05).astype(int)
    with pytest.warns(FitFailedWarning), pytest.raises(
        InvalidParameterError,
        match=r"The 'sizes' parameter of learning_curve must be sizes at which every "
        r"cross-validated fit succeeds and gives a finite score. Got no score at sizes "
        r"\[2, 4, 8\]",
    ):
        learning_curve(LogisticRegression(), X, y, [2, 4, 8, 100], rng=0)


@pytest.mark.parametrize(
    ("scores", "target"),
    [
        # accuracy rising along a log-linear law: 1.2 was "reachable at 1.2M rows"
        (0.5 + 0.05 * np.log(SIZES), 1.2),
        # an error rate falling: -0.1 was "reachable at 163k rows"
        (0.5 - 0.05 * np.log(SIZES), -0.1),
    ],
)
def test_a_target_outside_the_metric_bounds_is_not_reachable(scores, target):
    curve = fit_curve(SIZES, scores, family="log_linear", bounds=(0, 1), rng=0)
    need = samples_needed(curve, target)
    assert not need.reachable
    assert need.n_samples == np.inf
    assert need.p_reachable == 0.0
    # the bound itself is reached (the curve is clipped to it)
    assert samples_needed(curve, 1.0 if target > 1 else 0.0).reachable


def test_learning_curve_of_a_noisy_flat_score_is_rising():
    # pure-noise labels: accuracy 0.5 whatever the data. The scores dipped by
    # chance, so the curve was read as an error curve (falling) and an accuracy
    # of 0.6 was "reachable with 47 rows, no additional labels, p_reachable 1"
    from sklearn.linear_model import LogisticRegression

    from mllifecycle.budget import learning_curve

    rng = np.random.default_rng(2)
    X = rng.normal(size=(600, 5))
    y = rng.integers(0, 2, 600)
    curve = learning_curve(LogisticRegression(), X, y, [50, 100, 200, 400], rng=2)
    assert curve.scores[-1] < curve.scores[0]  # the dip that turned it around
    assert curve.higher_is_better
    need = samples_needed(curve, 0.6)
    assert not need.reachable
    assert need.p_reachable < 0.5


@pytest.mark.parametrize("higher", [True, False])
def test_fit_curve_direction_can_be_given(higher):
    scores = np.array([0.80, 0.79, 0.795, 0.785, 0.79])  # flat, dipping by noise
    curve = fit_curve(SIZES, scores, bounds=(0, 1), higher_is_better=higher, rng=0)
    assert curve.higher_is_better is higher
    # the target on the better side of every score is not reached
    assert not samples_needed(curve, 0.85 if higher else 0.7).reachable
    assert fit_curve(SIZES, scores, rng=0).higher_is_better is False  # read from the data


def test_fit_curve_refuses_a_direction_that_is_not_a_bool():
    with pytest.raises(
        InvalidParameterError,
        match=r"The 'higher_is_better' parameter of fit_curve must be True, False or None. "
        r"Got 'yes' instead",
    ):
        fit_curve(SIZES, 0.9 - SIZES**-0.5, higher_is_better="yes", rng=0)


def test_samples_needed_does_not_depend_on_the_unit_of_the_sizes():
    # sizes in thousands of rows: 4.5 thousand held was truncated to 4, so 6000
    # additional rows were asked instead of 5500
    sizes = np.array([500, 1000, 2000, 4500])
    scores = 0.9 - 3 * sizes**-0.5
    rows = samples_needed(fit_curve(sizes, scores, family="inverse_power", rng=0), 0.87)
    thousands = samples_needed(
        fit_curve(sizes / 1000, scores, family="inverse_power", rng=0), 0.87
    )
    assert rows.n_available == 4500
    assert thousands.n_available == 4.5
    assert thousands.additional_samples * 1000 == pytest.approx(rows.additional_samples)
    assert rows.additional_samples == pytest.approx(5500, rel=1e-6)


@pytest.mark.parametrize("target", [0.86, 0.8])
def test_samples_needed_below_one_unit_of_the_sizes(target):
    # sizes in thousands of rows: a target the curve reaches at 0.625 thousand
    # (625 rows) was reported at 1.0 thousand, the search starting at "1 row"
    sizes = np.array([100.0, 200, 400, 800, 1600])
    scores = 0.9 - sizes**-0.5
    rows = samples_needed(fit_curve(sizes, scores, family="inverse_power", rng=0), target)
    thousands = samples_needed(
        fit_curve(sizes / 1000, scores, family="inverse_power", rng=0), target
    )
    assert rows.n_samples == pytest.approx((1 / (0.9 - target)) ** 2, rel=1e-6)
    assert thousands.n_samples * 1000 == pytest.approx(rows.n_samples, rel=1e-6)
    assert thousands.ci_low * 1000 == pytest.approx(rows.ci_low, rel=1e-6)
    assert thousands.ci_high * 1000 == pytest.approx(rows.ci_high, rel=1e-6)


def test_max_samples_is_in_the_unit_of_the_sizes():
    # sizes in millions of rows: max_samples=1.5 (million) was refused as < 2
    sizes = np.array([0.1, 0.2, 0.4, 0.8])
    curve = fit_curve(sizes, 0.9 - (sizes * 1e6) ** -0.5, family="inverse_power", rng=0)
    reached = samples_needed(curve, 0.899, max_samples=1.5)
    assert reached.reachable
    assert reached.n_samples == pytest.approx(1.0, rel=1e-6)
    assert not samples_needed(curve, 0.8995, max_samples=1.5).reachable


@pytest.mark.parametrize(
    ("sizes", "max_samples", "match"),
    [
        ([100.0, 200, 400, 800], 1.0, r"'max_samples' parameter of samples_needed must be a "
         r"size above 1 \(one row"),
        ([0.1, 0.2, 0.4, 0.8], 1e-4, r"'max_samples' parameter of samples_needed must be a "
         r"size above 0.0001 \(one row, in the unit of the sizes\)"),
        ([0.1, 0.2, 0.4, 0.8], 0.0, r"'max_samples' parameter of samples_needed must be a float"),
        ([0.1, 0.2, 0.4, 0.8], float("nan"), r"'max_samples' parameter of samples_needed"),
    ],
)
def test_max_samples_below_one_row_is_refused(sizes, max_samples, match):
    sizes = np.asarray(sizes)
    curve = fit_curve(sizes, 0.9 - sizes**-0.5, family="inverse_power", rng=0)
    with pytest.raises(InvalidParameterError, match=match):
        samples_needed(curve, 0.8, max_samples=max_samples)


@pytest.mark.parametrize("scale", [1e-30, 1e-12, 1e-10, 1e-8, 1e8, 1e30])
@pytest.mark.parametrize("sign", [1, -1])
def test_samples_needed_does_not_depend_on_the_scale_of_the_metric(scale, sign):
    # an MSE in square micrometres (1e-12): the absolute tolerance of 1e-12
    # took every target as reached at n=1 (1e-10: 1111 rows, 1e-8: 2475)
    sizes = np.array([100.0, 200, 400, 800, 1600])
    curve = fit_curve(sizes, sign * scale * (0.9 - sizes**-0.5), rng=0)
    need = samples_needed(curve, sign * scale * 0.88)
    assert need.n_samples == pytest.approx(2500, rel=1e-6)
    assert need.ci_low == pytest.approx(2500, rel=1e-4)
    assert need.ci_high == pytest.approx(2500, rel=1e-4)


@pytest.mark.parametrize("target", [0.85, 0.87, 0.88])
def test_a_curve_measured_beyond_1e9_rows_reaches_its_targets(target):
    # sizes in tokens (1e9 .. 1.6e10): the fixed default cap of 1e9 called
    # every target "not reachable", 0.85 too, reached at the sizes measured
    sizes = np.array([1e9, 2e9, 4e9, 8e9, 1.6e10])
    curve = fit_curve(sizes, 0.9 - (sizes / 1e7) ** -0.5, family="inverse_power", rng=0)
    need = samples_needed(curve, target)
    assert need.reachable
    assert need.n_samples == pytest.approx(1e7 / (0.9 - target) ** 2, rel=1e-6)


def test_max_samples_below_the_sizes_measured_is_refused():
    sizes = np.array([100.0, 200, 400, 800])
    curve = fit_curve(sizes, 0.9 - sizes**-0.5, family="inverse_power", rng=0)
    with pytest.raises(
        InvalidParameterError,
        match=r"'max_samples' parameter of samples_needed must be at least the largest size "
        r"measured \(800\)",
    ):
        samples_needed(curve, 0.8, max_samples=500)


def test_learning_curve_reads_a_callable_scorers_direction_from_the_scores():
    # a callable may return an error (lower is better): its direction is not assumed
    from sklearn.linear_model import Ridge
    from sklearn.metrics import mean_squared_error

    from mllifecycle.budget import learning_curve

    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 8))
    y = X @ rng.normal(size=8) + rng.normal(size=600)

    def mse(est, X, y):
        return mean_squared_error(y, est.predict(X))

    curve = learning_curve(Ridge(), X, y, [12, 25, 50, 100, 400], scoring=mse, rng=0)
    assert not curve.higher_is_better
    named = learning_curve(Ridge(), X, y, [12, 25, 50, 100, 400],
                           scoring="neg_mean_squared_error", rng=0)
    assert named.higher_is_better
