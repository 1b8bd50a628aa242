"""Round 9 hunt: users extending and composing drift (their own classes, copies)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from mllifecycle.drift import classifier_drift
from mllifecycle.drift.stream import calibrate, evaluate_detector
from mllifecycle.exceptions import InvalidParameterError


class _PlainCentroids:
    """A user's classifier as a plain class: fit and decision_function, no get_params."""

    def fit(self, X: Any, y: Any) -> _PlainCentroids:
        self.m0_ = X[y == 0].mean(axis=0)
        self.m1_ = X[y == 1].mean(axis=0)
        return self

    def decision_function(self, X: Any) -> Any:
        return ((X - self.m0_) ** 2).sum(axis=1) - ((X - self.m1_) ** 2).sum(axis=1)


class _PlainCentroidsFitReturnsNone(_PlainCentroids):
    """The same, with a fit that returns None (no ``return self``)."""

    def fit(self, X: Any, y: Any) -> None:  # type: ignore[override]
        super().fit(X, y)


class _SklearnCentroids(ClassifierMixin, BaseEstimator):
    """The same classifier written the scikit-learn way (the reference answer)."""

    def fit(self, X: Any, y: Any) -> _SklearnCentroids:
        self.classes_ = np.unique(y)
        self.m0_ = X[y == 0].mean(axis=0)
        self.m1_ = X[y == 1].mean(axis=0)
        return self

    def decision_function(self, X: Any) -> Any:
        return ((X - self.m0_) ** 2).sum(axis=1) - ((X - self.m1_) ** 2).sum(axis=1)


@pytest.mark.parametrize("plain_class", [_PlainCentroids, _PlainCentroidsFitReturnsNone])
def test_classifier_drift_takes_a_users_plain_classifier(plain_class: Any) -> None:
    # sklearn's clone refused an estimator without get_params (a TypeError
    # naming no argument of classifier_drift); it is deep-copied per fold now
    rng = np.random.default_rng(3)
    ref = rng.normal(size=(120, 2))
    cur = rng.normal(0.6, 1.0, size=(120, 2))
    plain = plain_class()
    got = classifier_drift(ref, cur, estimator=plain, rng=0)
    want = classifier_drift(ref, cur, estimator=_SklearnCentroids(), rng=0)
    assert got.statistic == want.statistic
    assert got.p_value == want.p_value
    assert got.drift_detected == want.drift_detected
    assert not hasattr(plain, "m0_")  # the user's object itself is never fitted


class _UpdateOnly:
    """A user's detector with update() but no update_many()."""

    def __init__(self) -> None:
        self.drift_detected = False

    def update(self, x: float) -> bool:
        self.drift_detected = x > 3.0
        return self.drift_detected

    def reset(self) -> None:
        self.drift_detected = False


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: evaluate_detector(_UpdateOnly, np.zeros(20), [10], tolerance=5),
         "make_detector()"),
        (lambda: calibrate(lambda v: _UpdateOnly(), "v", target_false_alarm_rate=0.01,
                           bounds=(1.0, 2.0), generator=lambda r, n: r.normal(size=n),
                           n_samples=100, rng=0),
         "make_detector(value)"),
    ],
    ids=["evaluate_detector", "calibrate"],
)
def test_a_detector_without_update_many_is_told_how_to_get_one(call: Any, argument: str) -> None:
    with pytest.raises(InvalidParameterError, match="with_update_many") as info:
        call()
    assert repr(argument) in str(info.value)
    assert "_UpdateOnly" in str(info.value)


class _Recorder:
    """A user's detector that records what update() was given; None is 'no value'."""

    def __init__(self) -> None:
        self.drift_detected = False
        self.seen: list[Any] = []

    def update(self, x: Any) -> bool:
        self.seen.append(x)
        self.drift_detected = x is None
        return self.drift_detected

    def reset(self) -> None:
        self.drift_detected = False
        self.seen = []


def _polars_series(values: list[Any]) -> Any:
    pl = pytest.importorskip("polars")
    return pl.Series(values)


def _pyarrow_array(values: list[Any]) -> Any:
    pa = pytest.importorskip("pyarrow")
    return pa.array(values)


@pytest.mark.parametrize("make", [_polars_series, _pyarrow_array], ids=["polars", "pyarrow"])
@pytest.mark.parametrize("values", [[1, None, 3], [1.5, None, 2.5], [True, None, False]],
                         ids=["Int64", "Float64", "Boolean"])
def test_update_many_from_update_gives_a_users_detector_the_loops_values(
    make: Any, values: list[Any]
) -> None:
    # a polars Int64 with a null went through NumPy: [1.0, nan, 3.0], not the
    # [1, None, 3] of `for x in xs`, so a detector reading None as "no value"
    # detected nothing where its update loop detected at index 1
    from mllifecycle.drift.stream import update_many_from_update

    xs = make(values)
    det = _Recorder()
    hits = update_many_from_update(det, xs)
    assert det.seen == values
    assert [type(v) for v in det.seen] == [type(v) for v in values]
    assert hits.tolist() == [i for i, v in enumerate(values) if v is None]


@pytest.mark.parametrize(
    "make",
    [lambda x: pytest.importorskip("polars").Series(x),
     lambda x: pytest.importorskip("pyarrow").array(x),
     lambda x: pytest.importorskip("pyarrow").chunked_array([x[:300], x[300:]])],
    ids=["polars", "pyarrow", "pyarrow-chunked"],
)
def test_evaluate_detector_takes_one_polars_or_pyarrow_stream(make: Any) -> None:
    # read as one stream per value: "one list of change points per stream (1000)"
    from mllifecycle.drift.stream import CUSUM

    rng = np.random.default_rng(0)
    x = np.r_[rng.normal(size=500), rng.normal(2.0, size=500)]
    want = evaluate_detector(lambda: CUSUM(threshold=8.0), x, [500], tolerance=100)
    got = evaluate_detector(lambda: CUSUM(threshold=8.0), make(x), [500], tolerance=100)
    assert got.n_streams == 1
    assert got.detections == want.detections
    assert got.to_dict() == want.to_dict()
