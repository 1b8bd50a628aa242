"""Hunt 8b: plan checks n_features against a compute model of one feature count.

Runs that did not vary the features predict only at their one count. plan
passed another count on, where it was refused as ``ComputeModel.predict``'s
(an argument of a method the user never called), and for an unreachable
target it was never checked: the plan came back as if the count were fine.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.budget import fit_compute, fit_curve, plan
from mllifecycle.exceptions import InvalidParameterError

SIZES = np.array([100, 200, 400, 800])
CURVE = fit_curve(SIZES, 0.9 - SIZES**-0.5, family="inverse_power", rng=0)
FIXED = fit_compute([100, 200, 400], [5, 5, 5], [1.0, 4.0, 16.5])
TAIL = ("must be 5 (the runs' one feature count: they did not vary it, so its effect on "
        "the time is unknown). Got {got} instead.")


@pytest.mark.parametrize(("n_features", "target", "got"), [
    (6, 0.88, "6"),
    (6, 0.99, "6"),  # out of reach: no prediction is made, the count is still checked
    (4.5, 0.88, "4.5"),
], ids=["reachable", "unreachable-target", "fraction"])
def test_another_feature_count_is_refused_as_plans(n_features, target, got) -> None:
    with pytest.raises(InvalidParameterError) as info:
        plan(CURVE, target, compute=FIXED, n_features=n_features)
    assert str(info.value) == f"The 'n_features' parameter of plan {TAIL.format(got=got)}"


@pytest.mark.parametrize("n_features", [None, 5, 5.0, np.int64(5)])
def test_the_runs_count_gives_the_compute_prediction(n_features) -> None:
    p = plan(CURVE, 0.88, compute=FIXED, n_features=n_features)
    need = p.samples.n_samples
    assert p.figure("train", "seconds per fit").value == FIXED.predict(need, 5)[0]
