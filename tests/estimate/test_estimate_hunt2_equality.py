"""Identical CBPE results compare equal, NaN fields included.

With ``n_resamples=0`` every ``calibration_std_error`` is NaN (and an
undefined metric's value too), so ``est.estimate(p) == est.estimate(p)`` was
False, as was a pickled estimator's estimate against the original's.
"""

from __future__ import annotations

import copy
import math
import pickle
import warnings

import numpy as np
from sklearn.base import clone

from mllifecycle.estimate import CBPE, MetricEstimate

RNG = np.random.default_rng(0)
P = RNG.uniform(size=300)
Y = (RNG.uniform(size=300) < P).astype(int)


def test_same_window_twice_compares_equal() -> None:
    est = CBPE(metrics=["accuracy", "roc_auc"], random_state=0).fit(y_true=Y, y_proba=P)
    assert math.isnan(est.estimate(P)["accuracy"].calibration_std_error)
    assert est.estimate(P) == est.estimate(P)
    assert est.estimate_many(P, window_size=100) == est.estimate_many(P, window_size=100)


def test_round_trips_give_equal_results() -> None:
    est = CBPE(metrics=["accuracy", "f1"], random_state=0).fit(y_true=Y, y_proba=P)
    expected = est.estimate(P[:100])
    assert pickle.loads(pickle.dumps(est)).estimate(P[:100]) == expected
    assert copy.deepcopy(est).estimate(P[:100]) == expected
    assert clone(est).fit(y_true=Y, y_proba=P).estimate(P[:100]) == expected
    assert pickle.loads(pickle.dumps(expected)) == expected


def test_undefined_metric_compares_equal_and_values_still_differ() -> None:
    est = CBPE(metrics=["accuracy", "precision"], calibration="none", threshold=1.0)
    est.fit(y_true=Y, y_proba=P)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a, b = est.estimate(P), est.estimate(P)
    assert math.isnan(a["precision"].value)
    assert a == b
    assert a != est.set_params(threshold=0.5).estimate(P)


def test_metric_estimate_nan_equality_and_hash() -> None:
    def make(v: float) -> MetricEstimate:
        return MetricEstimate(metric="f1", value=v, std_error=v, ci_low=v, ci_high=v)

    assert make(float("nan")) == make(float("nan"))
    assert hash(make(float("nan"))) == hash(make(float("nan")))
    assert make(0.5) != make(float("nan"))
    assert make(0.5) != make(0.6)
    assert len({make(float("nan")), make(float("nan")), make(0.5)}) == 2
