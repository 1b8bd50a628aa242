"""Hunt: fit_curve on score tables of odd shapes."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.budget import fit_curve
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
