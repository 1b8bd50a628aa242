"""A metric named like the registry's own ``version`` field, and ints beyond floats."""
from __future__ import annotations

import math

import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import Registry, Store


def _model():
    return DummyClassifier().fit([[0.0], [1.0]], [0, 1])


def test_a_metric_named_version_is_refused():
    # to_metrics() writes the version number under "version": the metric
    # silently replaced it there
    reg = Registry(Store(":memory:"))
    with pytest.raises(InvalidParameterError,
                       match=r"'metrics' parameter of register must be metric names "
                             r"other than 'version'.*Got a metric named 'version'"):
        reg.register("m", _model(), metrics={"version": 7.0, "acc": 0.9})


def test_to_metrics_writes_ints_beyond_the_float_range_as_infinities():
    # float(10**400) raised OverflowError in to_metrics()
    reg = Registry(Store(":memory:"))
    mv = reg.register("m", _model(), metrics={"acc": 0.9, "big": 10**400, "low": -(10**400)})
    assert mv.to_metrics() == {"version": 1.0, "acc": 0.9, "big": math.inf, "low": -math.inf}
