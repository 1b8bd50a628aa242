"""Hunt: plan checks n_features itself.

It was converted with ``float()``: ``True`` planned one feature, text raised a
bare ``ValueError: could not convert string to float``, a count below 1 was
refused as ``ComputeModel.predict``'s (and not at all when the target was out
of reach), and an ``n_features`` without ``compute`` was silently ignored.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.budget import fit_compute, fit_curve, plan
from mllifecycle.exceptions import InvalidParameterError

SIZES = np.array([100, 200, 400, 800])
CURVE = fit_curve(SIZES, 0.9 - SIZES**-0.5, family="inverse_power", rng=0)
COMPUTE = fit_compute([100, 200, 400, 800], [5, 10, 5, 10], [1.0, 4.0, 15.0, 70.0])
RANGE = "must be a float in the range [1.0, inf)"

CASES = [
    ({"compute": COMPUTE, "n_features": True}, f"{RANGE}. Got True instead."),
    ({"compute": COMPUTE, "n_features": "abc"}, f"{RANGE}. Got 'abc' instead."),
    ({"compute": COMPUTE, "n_features": 0}, f"{RANGE}. Got 0 instead."),
    ({"compute": COMPUTE, "n_features": [5]}, f"{RANGE}. Got [5] instead."),
    ({"compute": COMPUTE, "n_features": 0.5, "target": 0.99}, f"{RANGE}. Got 0.5 instead."),
    ({"n_features": 5}, "must be None without compute (it is the feature count of the "
     "compute prediction). Got 5 instead."),
]


@pytest.mark.parametrize(("kwargs", "tail"), CASES,
                         ids=["bool", "text", "zero", "list", "unreachable-target",
                              "without-compute"])
def test_bad_n_features(kwargs, tail) -> None:
    kwargs = dict(kwargs)
    target = kwargs.pop("target", 0.88)
    with pytest.raises(InvalidParameterError) as info:
        plan(CURVE, target, **kwargs)
    assert str(info.value) == f"The 'n_features' parameter of plan {tail}"


def test_a_good_count_gives_the_compute_prediction() -> None:
    p = plan(CURVE, 0.88, compute=COMPUTE, n_features=np.int64(7))
    need = p.samples.n_samples
    assert p.figure("train", "seconds per fit").value == COMPUTE.predict(need, 7.0)[0]
