"""Hunt: domain_distance names itself in its errors, not the drift test it calls."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import domain_distance

RNG = np.random.default_rng(0)
XS = RNG.normal(size=(60, 3))
XT = RNG.normal(size=(40, 3))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"X_target": XT[:3]}, r"'cv' parameter of domain_distance must be at most the "
                               r"smaller sample size \(3\).*Got 5"),
        ({"cv": 41}, r"'cv' parameter of domain_distance must be at most the smaller "
                     r"sample size \(40\)"),
        ({"estimator": "rf"}, r"'estimator' parameter of domain_distance must be an object "
                              r"with fit\(\)"),
        ({"estimator": LogisticRegression}, r"'estimator' parameter of domain_distance "
                                            r"must be an estimator instance"),
        ({"estimator": LinearRegression()}, r"'estimator' parameter of domain_distance "
                                            r"must be a classifier with predict_proba"),
    ],
)
def test_bad_arguments_name_domain_distance(kwargs, match):
    # these errors said "parameter of classifier_drift", a function the user
    # never called
    args = {"X_source": XS, "X_target": XT, "n_resamples": 20, "rng": 0, **kwargs}
    with pytest.raises(InvalidParameterError, match=match):
        domain_distance(**args)
