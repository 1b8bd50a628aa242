"""samples_needed counts the rows a learning curve was measured on as held,
and learning_curve bounds the scores that are at most 1 (R^2 and kin)."""

from __future__ import annotations

import pickle

import attrs
import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mllifecycle.budget import learning_curve, plan, samples_needed


@pytest.fixture(scope="module")
def clf_curve():
    X, y = make_classification(600, 20, n_informative=10, flip_y=0.05, random_state=0)
    return learning_curve(
        LogisticRegression(max_iter=1000), X, y, [30, 60, 120, 240, 480], rng=0, n_repeats=2
    )


def test_labels_held_are_the_rows_given_not_the_largest_training_fold(clf_curve):
    # 600 rows, 5 folds: the largest training size is 480, but all 600 rows are
    # labelled; "additional" counted 480 as held and asked 120 rows too many
    assert clf_curve.n_samples == 600
    need = samples_needed(clf_curve, 0.72)
    assert need.reachable
    assert need.n_available == 600
    assert need.additional_samples == pytest.approx(need.n_samples - 600)
    assert need.additional_ci_low == pytest.approx(max(need.ci_low - 600, 0.0))
    # the same fit without the row count (fit_curve's case) holds 480
    blind = samples_needed(attrs.evolve(clf_curve, n_samples=None), 0.72)
    assert blind.n_available == 480
    assert blind.additional_samples - need.additional_samples == pytest.approx(120)
    add = plan(clf_curve, 0.72).figure("acquire", "additional rows")
    assert add.value == pytest.approx(need.n_samples - 600)


def test_target_reached_between_the_largest_fold_and_the_rows_given_needs_none(clf_curve):
    need = samples_needed(clf_curve, 0.70)
    assert 480 < need.n_samples < 600  # 539 rows: fewer than the 600 held
    assert need.additional_samples == 0.0  # was 59
    assert plan(clf_curve, 0.70).figure("label", "answers").value == 0.0


def test_rows_held_survive_pickle_and_to_dict(clf_curve):
    again = pickle.loads(pickle.dumps(clf_curve))
    assert again.n_samples == 600
    assert clf_curve.to_dict()["n_samples"] == 600


REG_DATA = np.random.default_rng(0).normal(size=(500, 30))
REG_Y = REG_DATA @ np.random.default_rng(1).normal(size=30) + np.random.default_rng(
    2
).normal(size=500) * 3


@pytest.mark.parametrize(
    ("estimator", "scoring"),
    [
        (Ridge(), "r2"),
        (Ridge(), "explained_variance"),
        (Ridge(), None),  # a regressor's own score is R^2
        (make_pipeline(StandardScaler(), Ridge()), None),
    ],
)
def test_scores_at_most_one_are_bounded_and_never_pass_one(estimator, scoring):
    curve = learning_curve(
        estimator, REG_DATA, REG_Y, [40, 80, 160, 320, 400], scoring=scoring,
        family="log_linear", rng=0,
    )
    assert curve.bounds == (None, 1.0)
    # a log-linear law has no limit: R^2 = 1.05 was "reachable" at ~10 000 rows
    need = samples_needed(curve, 1.05)
    assert not need.reachable
    assert need.p_reachable == 0.0
    assert not plan(curve, 1.05).reachable


def test_r2_curve_chosen_by_auto_levels_off():
    curve = learning_curve(Ridge(), REG_DATA, REG_Y, [40, 80, 160, 320, 400], rng=0)
    assert curve.family != "log_linear"
    # bootstrap refits keep their limit at most 1: an R^2 of 1 is never reached
    assert samples_needed(curve, 1.0).p_reachable == 0.0  # was 0.07


@pytest.mark.parametrize(
    ("scoring", "bounds"),
    [
        ("d2_absolute_error_score", (None, 1.0)),
        ("neg_mean_squared_error", (None, 0.0)),
        ("max_error", None),
    ],
)
def test_default_bounds_of_named_scorers(scoring, bounds):
    from mllifecycle.budget._curves import _default_bounds

    assert _default_bounds(scoring, False, Ridge()) == bounds
    assert _default_bounds("matthews_corrcoef", True) == (-1.0, 1.0)


def test_plan_says_why_a_target_beyond_the_bounds_is_not_reachable():
    curve = learning_curve(Ridge(), REG_DATA, REG_Y, [40, 80, 160, 320, 400], rng=0)
    p = plan(curve, 1.05)
    assert not p.reachable
    assert any("above the metric's upper bound 1" in n for n in p.notes)
    assert not any("bound" in n for n in plan(curve, 0.7).notes if "not reachable" in n)


def test_curve_html_shows_sizes_in_a_larger_unit():
    from mllifecycle.budget import fit_curve

    sizes = np.array([0.25, 0.5, 1.0, 2.0])  # thousands of rows
    html = fit_curve(sizes, 0.9 - 0.1 * sizes**-0.5, rng=0)._repr_html_()
    # were shown as 0 and 0
    assert "<td>0.25</td>" in html
    assert "<td>0.5</td>" in html


def test_samples_needed_repr_shows_sizes_in_a_larger_unit():
    from mllifecycle.budget import fit_curve

    sizes = np.array([0.1, 0.2, 0.4, 0.8])  # thousands of rows
    curve = fit_curve(sizes, 0.9 - 0.1 * sizes**-0.5, family="inverse_power", rng=0)
    need = samples_needed(curve, 0.9 - 0.1 / np.sqrt(0.625))
    assert need.n_samples == pytest.approx(0.625, rel=1e-6)
    assert "n=0.625 [0.625, 0.625]" in repr(need)  # was "n=1 [1, 1]"


@pytest.mark.parametrize("bounds", [(0, np.inf), (-np.inf, 0), (True, None)])
def test_an_infinite_bound_is_refused_with_the_pair_named(bounds):
    from mllifecycle.budget import fit_curve
    from mllifecycle.exceptions import InvalidParameterError

    sizes = np.array([100, 200, 400, 800])
    # was "must be a finite float. Got inf": nothing said None is the open end
    with pytest.raises(InvalidParameterError, match="None for an open end"):
        fit_curve(sizes, 0.9 - sizes**-0.5, bounds=bounds, rng=0)
