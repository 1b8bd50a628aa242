"""CBPE reads metrics, threshold and confidence_level when it estimates.

``set_params`` (or an attribute assignment) after ``fit`` changed nothing that
``fit`` had stored: ``set_params(metrics="roc_auc")`` still returned accuracy,
an invalid ``threshold=5`` predicted every row negative without a word, and
``confidence_level=1.5`` raised a bare ``statistics.StatisticsError``.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.estimate import CBPE
from mllifecycle.exceptions import InvalidParameterError

RNG = np.random.default_rng(0)
P = RNG.uniform(size=400)
Y = (RNG.uniform(size=400) < P).astype(int)


def fitted(**params: object) -> CBPE:
    return CBPE(calibration="none", **params).fit(y_true=Y, y_proba=P)


def same(a: object, b: object) -> bool:
    """Results compared as dicts (NaN, e.g. calibration_std_error, is None there)."""
    if isinstance(a, list):
        return [r.to_dict() for r in a] == [r.to_dict() for r in b]  # type: ignore[union-attr]
    return a.to_dict() == b.to_dict()  # type: ignore[attr-defined]


def test_metrics_set_after_fit_are_estimated() -> None:
    est = fitted().set_params(metrics=["roc_auc", "f1"])
    fresh = fitted(metrics=["roc_auc", "f1"])
    assert same(est.estimate(P), fresh.estimate(P))
    assert same(est.estimate_many(P, window_size=100), fresh.estimate_many(P, window_size=100))
    assert est.realized(Y, P) == fresh.realized(Y, P)
    assert list(est.estimate(P)) == ["roc_auc", "f1"]


def test_threshold_set_after_fit_is_used() -> None:
    est = fitted().set_params(threshold=0.3)
    fresh = fitted(threshold=0.3)
    assert same(est.estimate(P), fresh.estimate(P))
    assert est.realized(Y, P) == fresh.realized(Y, P)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"threshold": 5}, r"'threshold' parameter of CBPE.estimate must be a float in the range \[0.0, 1.0\]. Got 5"),  # noqa: E501
        ({"confidence_level": 1.5}, r"'confidence_level' parameter of CBPE.estimate must be a float in the range \(0.0, 1.0\). Got 1.5"),  # noqa: E501
        ({"metrics": "auc"}, r"'metrics' parameter of CBPE.estimate must be one of"),
    ],
)
def test_invalid_params_set_after_fit_are_refused(params: dict, message: str) -> None:
    est = fitted().set_params(**params)
    with pytest.raises(InvalidParameterError, match=message):
        est.estimate(P)
    with pytest.raises(InvalidParameterError, match=r"CBPE\.estimate_many"):
        est.estimate_many(P, window_size=100)


def test_invalid_threshold_assigned_after_fit_refused_by_realized() -> None:
    est = fitted()
    est.threshold = -0.5
    with pytest.raises(InvalidParameterError, match=r"'threshold' parameter of CBPE\.realized"):
        est.realized(Y, P)


def test_numpy_string_metric_names_come_back_as_str() -> None:
    result = fitted(metrics=np.str_("f1")).estimate(P)
    assert list(result) == ["f1"]
    assert type(next(iter(result))) is str
    assert type(result["f1"].metric) is str
