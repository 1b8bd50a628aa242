"""Learning curves: exact recovery, the fit against scipy's curve_fit, family
choice, interval coverage by seeded simulation, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mllifecycle.budget import FAMILIES, fit_curve, learning_curve, samples_needed
from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError

SIZES = np.array([50.0, 100, 200, 400, 800, 1600])
LAWS = {
    "inverse_power": (lambda n: 0.92 - 1.2 * n**-0.55),
    "exponential": (lambda n: 0.9 - 0.5 * np.exp(-2.5 * n / 1600)),
    "log_linear": (lambda n: 0.3 + 0.05 * np.log(n)),
}


@pytest.mark.parametrize("family", FAMILIES)
def test_noiseless_law_is_recovered(family):
    y = LAWS[family](SIZES)
    curve = fit_curve(SIZES, y, family=family, rng=0)
    np.testing.assert_allclose(curve.predict(SIZES), y, atol=1e-6)
    np.testing.assert_allclose(curve.predict(6400), LAWS[family](np.array([6400.0])), atol=1e-4)


@pytest.mark.parametrize("family", ["inverse_power", "exponential"])
def test_auto_picks_the_true_family_without_noise(family):
    assert fit_curve(SIZES, LAWS[family](SIZES), rng=0).family == family


@pytest.mark.parametrize("seed", range(5))
def test_weighted_fit_is_at_least_as_good_as_curve_fit(seed):
    from scipy.optimize import curve_fit

    rng = np.random.default_rng(seed)
    folds = LAWS["inverse_power"](SIZES)[:, None] + rng.normal(0, 0.01, (6, 5))
    curve = fit_curve(SIZES, folds, family="inverse_power", rng=0)
    mean = folds.mean(axis=1)
    sigma = folds.std(axis=1, ddof=1) / np.sqrt(5)

    def law(n, a, b, c):
        return a + b * n ** (-c)

    ref, _ = curve_fit(law, SIZES, mean, p0=(0.9, -1.0, 0.5), sigma=sigma, maxfev=20000)
    w = 1 / np.maximum(sigma**2, np.median(sigma**2) * 0.1)
    ours = np.sum(w * (mean - curve.predict(SIZES)) ** 2)
    theirs = np.sum(w * (mean - law(SIZES, *ref)) ** 2)
    assert ours <= theirs * (1 + 1e-6) + 1e-12


def test_falling_error_curve():
    err = 0.05 + 2.0 * SIZES**-0.5
    curve = fit_curve(SIZES, err, family="inverse_power", rng=0)
    assert not curve.higher_is_better
    need = samples_needed(curve, 0.07)
    assert need.n_samples == pytest.approx((2.0 / 0.02) ** 2, rel=1e-3)


def test_target_above_asymptote_is_not_reachable():
    curve = fit_curve(SIZES, LAWS["inverse_power"](SIZES), family="inverse_power", rng=0)
    need = samples_needed(curve, 0.95)
    assert not need.reachable
    assert math.isinf(need.n_samples)
    assert need.asymptote == pytest.approx(0.92, abs=1e-6)
    assert "not reachable" in repr(need)
    assert need.to_dict()["n_samples"] is None  # JSON-safe
    assert "samples_needed.n_samples" not in need.to_metrics()


def test_costs_and_hours_follow_the_additional_labels():
    curve = fit_curve(SIZES, LAWS["inverse_power"](SIZES), family="inverse_power", rng=0)
    need = samples_needed(curve, 0.9, price_per_label=0.25, labels_per_hour=50)
    true_n = (1.2 / 0.02) ** (1 / 0.55)
    assert need.n_samples == pytest.approx(true_n, rel=1e-3)
    assert need.additional_samples == pytest.approx(true_n - 1600, rel=1e-3)
    assert need.cost == pytest.approx(need.additional_samples * 0.25)
    assert need.hours == pytest.approx(need.additional_samples / 50)


def test_nonmonotone_noisy_scores_still_fit():
    scores = np.array([0.70, 0.78, 0.76, 0.83, 0.82, 0.85])
    curve = fit_curve(SIZES, scores, rng=0)
    lo, hi = curve.interval(3200)
    assert lo[0] < hi[0]
    assert np.all(np.isfinite(curve.predict(SIZES)))


def test_same_seed_same_intervals():
    rng = np.random.default_rng(3)
    folds = LAWS["exponential"](SIZES)[:, None] + rng.normal(0, 0.01, (6, 4))
    a = fit_curve(SIZES, folds, rng=7).interval(3200)
    b = fit_curve(SIZES, folds, rng=7).interval(3200)
    np.testing.assert_array_equal(a, b)


def _coverage(confidence_level, trials, sd=0.01, fold_sd=0.0):
    law = LAWS["inverse_power"]
    target = 0.90
    true_n = (1.2 / 0.02) ** (1 / 0.55)
    hits_n = hits_pred = 0
    for s in range(trials):
        rng = np.random.default_rng(1000 + s)
        # fold_sd: an effect of each fold's test set, shared by its scores at
        # every size (as in sklearn's learning_curve, where a fold keeps its test set)
        fold_effect = rng.normal(0, fold_sd, 5)
        folds = law(SIZES)[:, None] + rng.normal(0, sd, (6, 5)) + fold_effect[None, :]
        curve = fit_curve(SIZES, folds, confidence_level=confidence_level, n_resamples=300, rng=s)
        need = samples_needed(curve, target)
        hits_n += need.ci_low <= true_n <= need.ci_high
        # a new 5-fold measurement at 4x the largest size
        new = (law(np.array([6400.0]))[0] + rng.normal(0, sd, 5).mean()
               + rng.normal(0, fold_sd, 5).mean())
        lo, hi = curve.interval(6400)
        hits_pred += lo[0] <= new <= hi[0]
    return hits_n / trials, hits_pred / trials


@pytest.mark.slow
def test_samples_needed_interval_recovers_the_true_n():
    # the goal: the true n inside its interval in >= 90% of trials
    cov_n, cov_pred = _coverage(0.95, 60)
    assert cov_n >= 0.90, cov_n
    assert cov_pred >= 0.90, cov_pred


@pytest.mark.slow
def test_ninety_percent_interval_is_calibrated_with_shared_test_folds():
    # seeded calibration at the level the benchmark uses, with fold effects
    # shared across sizes (whole folds are resampled): nominal 90 % must cover
    # at least 90 % less 2 simulation standard errors (60 trials: 0.077)
    cov_n, cov_pred = _coverage(0.90, 60, fold_sd=0.01)
    assert cov_pred >= 0.90 - 2 * math.sqrt(0.09 / 60), cov_pred
    assert cov_n >= 0.90 - 2 * math.sqrt(0.09 / 60), cov_n


def test_bootstrap_resamples_whole_folds():
    # a constant shift of one fold at every size moves every refit's level by
    # the same multiple of it: the refits' spread in level equals the spread of
    # the fold means, and a shift that is the same at all sizes leaves the
    # shape (b, c) of every refit unchanged
    y = LAWS["inverse_power"](SIZES)
    shift = np.array([-0.02, -0.01, 0.0, 0.01, 0.02])
    folds = y[:, None] + shift[None, :]
    curve = fit_curve(SIZES, folds, family="inverse_power", bounds=None, rng=0)
    np.testing.assert_allclose(curve.boot_params[:, 1], curve.params[1], rtol=1e-4)
    np.testing.assert_allclose(curve.boot_params[:, 2], curve.params[2], rtol=1e-4)
    assert np.std(curve.boot_params[:, 0]) > 0


def test_learning_curve_measures_with_sklearn():
    """One shuffled split (n_repeats=1) is sklearn's learning curve on StratifiedKFold."""
    from sklearn.datasets import load_wine
    from sklearn.model_selection import StratifiedKFold
    from sklearn.model_selection import learning_curve as sk_lc
    from sklearn.naive_bayes import GaussianNB

    X, y = load_wine(return_X_y=True)
    curve = learning_curve(GaussianNB(), X, y, [20, 40, 80, 140], cv=5, n_repeats=1, rng=0)
    gen = np.random.default_rng(0)
    seed = int(gen.integers(0, 2**31 - 1))
    _, _, test = sk_lc(
        GaussianNB(), X, y, train_sizes=[20, 40, 80, 140],
        cv=StratifiedKFold(5, shuffle=True, random_state=seed), shuffle=True, random_state=seed,
    )
    np.testing.assert_allclose(curve.scores, test.mean(axis=1))
    assert curve.resample_df == 4


@pytest.mark.parametrize(
    ("make", "splitter"),
    [("classifier", "RepeatedStratifiedKFold"), ("regressor", "RepeatedKFold")],
)
def test_learning_curve_repeats_the_split_by_default(make, splitter):
    """The default measures n_repeats=4 repetitions of the cv-fold split: every
    split's score is a column (resample_df = 4 * 5 - 1) and the scores are
    sklearn's on the same repeated splitter."""
    from sklearn import model_selection
    from sklearn.datasets import load_diabetes, load_wine
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import learning_curve as sk_lc
    from sklearn.naive_bayes import GaussianNB

    if make == "classifier":
        X, y = load_wine(return_X_y=True)
        est, sizes = GaussianNB(), [20, 40, 80, 140]
    else:
        X, y = load_diabetes(return_X_y=True)
        est, sizes = Ridge(), [40, 80, 160, 320]
    curve = learning_curve(est, X, y, sizes, rng=3)
    seed = int(np.random.default_rng(3).integers(0, 2**31 - 1))
    cv = getattr(model_selection, splitter)(n_splits=5, n_repeats=4, random_state=seed)
    _, _, test = sk_lc(est, X, y, train_sizes=sizes, cv=cv, shuffle=True, random_state=seed)
    assert test.shape == (4, 20)
    np.testing.assert_allclose(curve.scores, test.mean(axis=1))
    assert curve.resample_df == 19
    # a different number of repeats is a different measurement
    two = learning_curve(est, X, y, sizes, n_repeats=2, rng=3)
    assert two.resample_df == 9
    assert not np.allclose(two.scores, curve.scores)


@pytest.mark.parametrize(
    ("value", "got"), [(0, "Got 0"), (-2, "Got -2"), (1.5, "Got 1.5"), ("4", "Got '4'")]
)
def test_learning_curve_refuses_bad_n_repeats(value, got):
    from sklearn.naive_bayes import GaussianNB

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = (X[:, 0] > 0).astype(int)
    match = rf"'n_repeats' parameter of learning_curve.*{got}"
    with pytest.raises(InvalidParameterError, match=match):
        learning_curve(GaussianNB(), X, y, [20, 40, 80], n_repeats=value)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"sizes": [10, 20], "scores": [0.5, 0.6]}, "at least 3 distinct training sizes"),
        ({"sizes": [10, 10, 20], "scores": [0.5, 0.6, 0.7]}, "distinct training sizes"),
        ({"sizes": [0, 10, 20], "scores": [0.5, 0.6, 0.7]}, "positive, finite"),
        ({"sizes": [10, 20, 40], "scores": [0.5, np.nan, 0.7]}, "finite scores"),
        ({"sizes": [10, 20, 40], "scores": [0.5, 0.6]}, r"3 scores, or an array of shape"),
        ({"sizes": [[10, 20, 40]], "scores": [0.5, 0.6, 0.7]}, "1-D sequence"),
        ({"sizes": [10, 20, 40], "scores": [0.5, 0.6, 0.7], "family": "cubic"}, "'family'"),
        ({"sizes": [10, 20, 40], "scores": [0.5, 0.6, 0.7], "family": "exponential"},
         "at least 4 sizes for family 'exponential'"),
        ({"sizes": [10, 20, 40], "scores": [0.5, 0.6, 0.7], "confidence_level": 1.0},
         "'confidence_level'"),
        ({"sizes": [10, 20, 40], "scores": [0.5, 0.6, 0.7], "n_resamples": 10},
         "'n_resamples'"),
    ],
)
def test_fit_curve_bad_input(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        fit_curve(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"price_per_label": -1.0}, "'price_per_label'"),
        ({"labels_per_hour": 0.0}, "'labels_per_hour'"),
        ({"max_samples": 1.0}, "'max_samples'"),
    ],
)
def test_samples_needed_bad_input(kwargs, match):
    curve = fit_curve(SIZES, LAWS["log_linear"](SIZES), rng=0)
    with pytest.raises(InvalidParameterError, match=match):
        samples_needed(curve, 0.8, **kwargs)
    with pytest.raises(InvalidParameterError, match="'curve' parameter of samples_needed"):
        samples_needed("curve", 0.8)
    with pytest.raises(InvalidParameterError, match="'target'"):
        samples_needed(curve, float("nan"))


def test_learning_curve_refuses_non_integer_sizes():
    """20.5 was truncated to 20 and 0.5 (a fraction, as sklearn allows) to 0,
    reported as 'sizes between 2 and ...' or measured at another size silently."""
    from sklearn.naive_bayes import GaussianNB

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = (X[:, 0] > 0).astype(int)
    with pytest.raises(InvalidParameterError,
                       match=r"'sizes' parameter of learning_curve must be integer training "
                             r"sizes \(absolute row counts\). Got \[20.5, 40, 80\]"):
        learning_curve(GaussianNB(), X, y, [20.5, 40, 80])
    with pytest.warns(DegenerateDataWarning, match="3 sizes fit only the log-linear law"):
        ok = learning_curve(GaussianNB(), X, y, [20.0, 40, 80], n_resamples=50, rng=0)
    assert ok.sizes.tolist() == [20.0, 40.0, 80.0]
