"""Hunt: time_fits with sizes that are not whole row counts."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.budget import fit_compute, fit_curve, plan, time_fits
from mllifecycle.exceptions import InvalidParameterError

RNG = np.random.default_rng(0)
X = RNG.normal(size=(400, 3))
Y = (X[:, 0] > 0).astype(int)


@pytest.mark.parametrize(
    "sizes",
    [
        # 100.9 was timed (and recorded) as 100, 2.9 as 2
        [100.9, 200.5, 300.2],
        [100, 200, 2.9],
        [0.25, 0.5, 0.75],
        [100, 200, np.nan],
    ],
)
def test_fractional_sizes_are_refused(sizes):
    with pytest.raises(
        InvalidParameterError,
        match=r"'sizes' parameter of time_fits must be (integer row counts|positive, finite)",
    ):
        time_fits(LogisticRegression(), X, Y, sizes, repeats=1, rng=0)


def test_whole_float_sizes_are_row_counts():
    m = time_fits(LogisticRegression(), X, Y, [100.0, 200.0, 300.0], repeats=1, rng=0)
    assert m.n_samples.tolist() == [100.0, 200.0, 300.0]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        # runs at 10 features only: the time at 1000 features was the time at 10
        (lambda m: m.predict(16_000, 1000),
         r"The 'n_features' parameter of ComputeModel.predict must be 10 \(the runs' one "
         r"feature count: they did not vary it, so its effect on the time is unknown\). "
         r"Got 1000 instead"),
        (lambda m: m.predict_memory(16_000, 5),
         r"The 'n_features' parameter of ComputeModel.predict_memory must be 10"),
        (lambda m: plan(fit_curve([100, 200, 400, 800], [0.7, 0.8, 0.85, 0.87], rng=0), 0.88,
                        compute=m, n_features=40),
         # named as plan's own argument (hunt 8b), not ComputeModel.predict's
         r"The 'n_features' parameter of plan must be 10"),
    ],
)
def test_a_feature_count_the_runs_did_not_vary_is_not_extrapolated(call, match):
    model = fit_compute([1000, 2000, 4000, 8000], [10] * 4, [0.1, 0.21, 0.39, 0.82],
                        peak_memory=[1e6, 2e6, 4e6, 8e6])
    with pytest.raises(InvalidParameterError, match=match):
        call(model)
    # at the runs' feature count (an int, a float or a NumPy number) it predicts
    assert model.predict(16_000, 10) == model.predict(16_000, np.float64(10.0))
    assert model.predict_memory(16_000, 10) is not None


@pytest.mark.parametrize("method", ["predict", "predict_memory"])
def test_a_model_of_runs_in_thousands_of_rows_predicts_below_one(method):
    # fitted on 0.1..0.8 thousand rows, it refused to predict at 0.5 ("must be
    # >= 1"), and plan() with a curve in the same unit failed with it
    rows = [0.1, 0.2, 0.4, 0.8]
    model = fit_compute(rows, [5] * 4, [1.0, 4.1, 15.8, 64.5], peak_memory=[1e6, 2e6, 4e6, 8e6])
    thousands = getattr(model, method)(0.5, 5)
    in_rows = getattr(
        fit_compute([100, 200, 400, 800], [5] * 4, [1.0, 4.1, 15.8, 64.5],
                    peak_memory=[1e6, 2e6, 4e6, 8e6]),
        method,
    )(500, 5)
    assert thousands == pytest.approx(in_rows, rel=1e-9)
    sizes = np.array([0.1, 0.2, 0.4, 0.8, 1.6])
    curve = fit_curve(sizes, 0.9 - (sizes * 1000) ** -0.5, family="inverse_power", rng=0)
    fig = plan(curve, 0.86, compute=model).figure("train", "seconds per fit")
    assert fig.value == pytest.approx(model.predict(0.625, 5)[0], rel=1e-6)


@pytest.mark.parametrize("method", ["predict", "predict_memory"])
@pytest.mark.parametrize("n", [0, -1.0, float("nan"), float("inf")])
def test_predict_refuses_sizes_that_are_not_positive(method, n):
    model = fit_compute([100, 200, 400], [5] * 3, [1.0, 4.0, 16.0], peak_memory=[1.0, 2.0, 4.0])
    with pytest.raises(InvalidParameterError, match=r"'n_samples' parameter of ComputeModel"):
        getattr(model, method)(n, 5)
