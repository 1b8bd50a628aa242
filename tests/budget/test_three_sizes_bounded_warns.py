"""Three sizes of a bounded metric fit only the log-linear law, and say so.

No law with an asymptote leaves a residual on three sizes, and the log-linear
law crosses any bound: a curve levelling off at 0.9 made 0.99 "reachable"
(p_reachable 1.0, at ~18,600 rows) without a word.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from mllifecycle.budget import fit_curve, samples_needed
from mllifecycle.exceptions import DegenerateDataWarning

SIZES = np.array([100.0, 200.0, 400.0])


def test_three_sizes_of_a_bounded_metric_warn() -> None:
    with pytest.warns(DegenerateDataWarning, match="3 sizes fit only the log-linear law"):
        curve = fit_curve(SIZES, 0.9 - SIZES**-0.5, bounds=(0.0, 1.0), rng=0)
    assert curve.family == "log_linear"
    # what the warning is about: the log-linear law reaches a target above the plateau
    assert samples_needed(curve, 0.99).reachable


@pytest.mark.parametrize(
    ("sizes", "kwargs"),
    [
        (np.array([100.0, 200.0, 400.0, 800.0]), {"bounds": (0.0, 1.0)}),  # 4 sizes
        (SIZES, {}),  # no bound: the log-linear law is a fair choice
        (SIZES, {"bounds": (0.0, 1.0), "family": "log_linear"}),  # asked for by name
    ],
)
def test_no_warning_where_the_choice_is_sound(sizes: np.ndarray, kwargs: dict) -> None:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        fit_curve(sizes, 0.9 - sizes**-0.5, rng=0, **kwargs)
    assert not [w for w in seen if issubclass(w.category, DegenerateDataWarning)]
