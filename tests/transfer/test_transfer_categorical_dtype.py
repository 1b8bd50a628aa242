"""Columns typed categorical are refused where transfer computes on numbers.

Importance weights, domain distances and CORAL take distances, means and
covariances: a pandas ``Categorical`` of ints went through as numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import CORAL, domain_distance, importance_weights

_g = np.random.default_rng(0)
XS = pd.DataFrame({"a": _g.normal(size=80), "grade": pd.Categorical(_g.integers(0, 3, 80))})
XT = pd.DataFrame({"a": _g.normal(size=80), "grade": pd.Categorical(_g.integers(0, 3, 80))})
NUM_S = XS.assign(grade=XS["grade"].astype(int))
NUM_T = XT.assign(grade=XT["grade"].astype(int))


@pytest.mark.parametrize(
    ("call", "arg"),
    [
        (lambda s, t: importance_weights(s, t, rng=0), "X_source"),
        (lambda s, t: importance_weights(NUM_S, t, rng=0), "X_target"),
        (lambda s, t: domain_distance(s, t, rng=0), "X_source"),
        (lambda s, t: CORAL().fit(s, X_target=NUM_T), "X"),
        (lambda s, t: CORAL().fit(NUM_S, X_target=t), "X_target"),
    ],
    ids=["weights-source", "weights-target", "distance", "coral-source", "coral-target"],
)
def test_categorical_typed_columns_are_refused(call, arg):
    with pytest.raises(InvalidParameterError, match=rf"'{arg}'.*column 'grade' of categorical"):
        call(XS, XT)


def test_the_same_columns_as_numbers_are_accepted():
    w = importance_weights(NUM_S, NUM_T, rng=0)
    assert np.isfinite(np.asarray(w.weights)).all()
    CORAL().fit(NUM_S, X_target=NUM_T)
