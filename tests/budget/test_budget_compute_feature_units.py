"""``ComputeModel`` predicts at the feature counts its runs were timed at.

``fit_compute`` takes runs at any positive feature count (features in
thousands: 0.5), but ``predict`` and ``predict_memory`` refused every count
below 1, so the model could not predict at its own runs' count, and ``plan``
(which predicts at the runs' last count by default) failed with an error
naming ``ComputeModel.predict``'s ``n_features``.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.budget import fit_compute, fit_curve, plan
from mllifecycle.exceptions import InvalidParameterError

ROWS = [100, 200, 400, 800]


def test_predict_at_the_runs_fractional_feature_count():
    whole = fit_compute(ROWS, [5, 5, 5, 5], [1.0, 2.1, 3.9, 8.2], peak_memory=[1, 2, 4, 8])
    frac = fit_compute(ROWS, [0.5] * 4, [1.0, 2.1, 3.9, 8.2], peak_memory=[1, 2, 4, 8])
    assert frac.predict(1600, 0.5) == whole.predict(1600, 5)
    assert frac.predict_memory(1600, 0.5) == whole.predict_memory(1600, 5)
    # another count than the runs' one is still refused
    with pytest.raises(InvalidParameterError, match=r"must be 0.5 \(the runs' one"):
        frac.predict(1600, 1)


def test_varied_fractional_features_predict_between_them():
    m = fit_compute(ROWS, [0.5, 1.5, 0.5, 1.5], [1.0, 6.3, 3.9, 24.6])
    mid, lo, hi = m.predict(400, 1.0)
    assert lo < mid < hi
    assert m.predict(400, 0.5)[0] < mid < m.predict(400, 1.5)[0]
    for bad in (0, -1.0, True, np.nan):
        with pytest.raises(InvalidParameterError, match=r"'n_features' parameter of "
                                                        r"ComputeModel\.predict"):
            m.predict(400, bad)


def test_plan_costs_a_fit_with_such_a_model():
    sizes = np.array([100, 200, 400, 800])
    curve = fit_curve(sizes, 0.9 - sizes**-0.5, family="inverse_power", rng=0)
    m = fit_compute(ROWS, [0.5] * 4, [1.0, 2.1, 3.9, 8.2])
    p = plan(curve, 0.88, compute=m)
    assert p.figure("train", "seconds per fit").value == m.predict(p.samples.n_samples, 0.5)[0]


def test_html_shows_fractional_sizes():
    html = fit_compute([0.5, 1, 2, 4], [0.5] * 4, [1.0, 2.0, 4.0, 8.0])._repr_html_()
    # 0.5 (thousand) rows and features were shown as 0
    assert "<tr><td>0.5</td><td>0.5</td><td>1</td></tr>" in html
    html = fit_compute([100, 200, 400], [5, 5, 5], [1.0, 2.0, 4.0])._repr_html_()
    assert "<tr><td>100</td><td>5</td><td>1</td></tr>" in html
