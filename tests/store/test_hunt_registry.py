"""Hunt: values written with a registration come back exactly after reopening."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import NotFoundError, Registry, Store

FIT = DummyClassifier().fit([[0], [1]], [0, 1])


@pytest.mark.parametrize("n_labels", [0, 2**53 + 1, 2**62 + 3, 2**63 - 1])
def test_n_labels_round_trips_exactly(tmp_path, n_labels):
    # 2**53 + 1 came back as 2**53: the count went through a float
    path = str(tmp_path / "s.db")
    Registry(Store(path)).register("m", FIT, n_labels=n_labels)
    got = Registry(Store(path)).get("m", 1).n_labels
    assert got == n_labels
    assert type(got) is int


@pytest.mark.parametrize(
    ("n_labels", "match"),
    [
        (2**63, r"'n_labels' parameter of register must be an int in the range \[0, "),
        (10**30, r"'n_labels' parameter of register must be an int in the range \[0, "),
        (-1, r"'n_labels' parameter of register"),
        (1.0, r"'n_labels' parameter of register"),
    ],
)
def test_n_labels_out_of_range_is_a_clear_error(tmp_path, n_labels, match):
    # 2**63 raised a raw OverflowError from sqlite3
    reg = Registry(Store(str(tmp_path / "s.db")))
    with pytest.raises(InvalidParameterError, match=match):
        reg.register("m", FIT, n_labels=n_labels)
    assert reg.names() == []


def test_non_finite_metrics_and_tags_round_trip(tmp_path):
    # NaN, inf and -inf metrics came back as None (an infinite loss read as "no value")
    path = str(tmp_path / "s.db")
    metrics = {
        "loss": math.inf,
        "low": -math.inf,
        "auc": math.nan,
        "acc": 0.1 + 0.2,
        "zero": -0.0,
        "per_fold": [0.5, math.inf],
        "nested": {"x": np.float32(0.1), "n": np.int64(2**62 + 1)},
    }
    Registry(Store(path)).register("m", FIT, metrics=metrics, tags={"threshold": math.inf})
    v = Registry(Store(path)).get("m", 1)
    assert v.metrics["loss"] == math.inf
    assert v.metrics["low"] == -math.inf
    assert math.isnan(v.metrics["auc"])
    assert v.metrics["acc"] == 0.30000000000000004
    assert math.copysign(1.0, v.metrics["zero"]) == -1.0
    assert v.metrics["per_fold"] == [0.5, math.inf]
    assert v.metrics["nested"] == {"x": float(np.float32(0.1)), "n": 2**62 + 1}
    assert v.tags == {"threshold": math.inf}
    assert v.to_metrics()["loss"] == math.inf
    # the JSON views stay JSON-safe
    assert v.to_dict()["metrics"]["loss"] is None
    json.dumps(v.to_dict(), allow_nan=False)


@pytest.mark.parametrize(
    "call",
    [
        lambda r: r.get("m", 2**63),
        lambda r: r.rollback("m", to=2**63),
        lambda r: r.promote("m", 2**63, gates=[], context=None),
        lambda r: r.reference("m", 2**63),
        lambda r: r.load("m", 2**63),
    ],
)
def test_versions_past_a_database_integer_are_clear_errors(tmp_path, call):
    # raised a raw OverflowError from sqlite3
    reg = Registry(Store(str(tmp_path / "s.db")))
    reg.register("m", FIT)
    with pytest.raises(
        InvalidParameterError, match=r"must be an int in the range \[1, 9223372036854775807\]"
    ):
        call(reg)


def test_a_missing_version_is_named_exactly(tmp_path):
    # "has no version 9007199254740992" for 2**53 + 1: the number went through a float
    reg = Registry(Store(str(tmp_path / "s.db")))
    reg.register("m", FIT)
    with pytest.raises(NotFoundError, match=r"model 'm' has no version 9007199254740993$"):
        reg.get("m", 2**53 + 1)


@pytest.mark.parametrize(
    ("data", "match"),
    [
        # a list [X, y] (not a tuple) raised numpy's raw "inhomogeneous shape" ValueError
        ([np.zeros((4, 2)), np.array([0, 1, 0, 1])],
         r"The 'X' parameter of fingerprint must be a 2-D array or a DataFrame \(features "
         r"and labels as a tuple \(X, y\)\). Got rows of different lengths instead"),
        ([[1.0, 2.0], [3.0]],
         r"The 'X' parameter of fingerprint must be a 2-D array or a DataFrame"),
    ],
)
def test_ragged_training_data_is_a_clear_error(tmp_path, data, match):
    reg = Registry(Store(str(tmp_path / "r.db")))
    with pytest.raises(InvalidParameterError, match=match):
        reg.register("m", FIT, data=data)
    assert reg.names() == []


@pytest.mark.parametrize(
    ("kwargs", "field", "value"),
    [
        # NumPy numbers (a backtest's stream times, a cost summed by NumPy) were refused as
        # "must be a finite number": only Python ints and floats passed
        ({"cost": np.int64(5)}, "cost", 5.0),
        ({"cost": np.float32(2.5)}, "cost", 2.5),
        ({"created_at": np.int64(86_400)}, "created_at", 86_400.0),
        ({"created_at": np.float32(100.5)}, "created_at", 100.5),
    ],
)
def test_numpy_numbers_are_numbers(tmp_path, kwargs, field, value):
    reg = Registry(Store(str(tmp_path / "r.db")))
    v = reg.register("m", FIT, **kwargs)
    assert getattr(v, field) == value
    assert isinstance(getattr(reg.get("m", 1), field), float)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"cost": np.float64("nan")}, r"'cost' parameter of register must be a finite number"),
        ({"cost": np.int64(-1)}, r"'cost' parameter of register must be a finite number >= 0"),
        ({"created_at": True}, r"'created_at' parameter of register must be a finite number"),
        ({"created_at": np.float64("inf")}, r"'created_at' parameter of register must be"),
    ],
)
def test_bad_numbers_are_still_refused(tmp_path, kwargs, match):
    reg = Registry(Store(str(tmp_path / "r.db")))
    with pytest.raises(InvalidParameterError, match=match):
        reg.register("m", FIT, **kwargs)
