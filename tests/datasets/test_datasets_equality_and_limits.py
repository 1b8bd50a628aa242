"""Stream equality compares the data; booleans are no change points; no silent inf.

``ClassificationStream`` and ``PersonalStream`` left their arrays out of
``==``: ``sea_stream(1000, rng=0) == sea_stream(1000, rng=1)`` was True.
``mean_shift_stream(10, [True])`` put a change at 1. A gradual change between
means of opposite signs near the float limits overflowed to ``inf`` values,
returned silently.
"""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pandas as pd
import pytest

from mllifecycle.datasets import (
    agrawal_stream,
    bernoulli_stream,
    gaussian_stream,
    hyperplane_stream,
    mean_shift_stream,
    personalization_stream,
    sea_stream,
    variance_shift_stream,
)
from mllifecycle.exceptions import InvalidParameterError


@pytest.mark.parametrize("make", [sea_stream, agrawal_stream, hyperplane_stream,
                                  gaussian_stream])
def test_classification_streams_with_other_data_are_not_equal(make):
    a, b, c = make(1000, rng=0), make(1000, rng=1), make(1000, rng=0)
    assert a.change_points == b.change_points
    assert a != b
    assert (a == b) is False
    assert a == c
    assert hash(a) == hash(c)  # still hashable, equal streams hash alike
    assert pickle.loads(pickle.dumps(a)) == a
    assert copy.deepcopy(a) == a


def test_classification_streams_differing_only_in_noise_are_not_equal():
    a = sea_stream(2000, noise=0.0, rng=0)
    b = sea_stream(2000, noise=0.3, rng=0)
    assert a != b


def test_personal_streams_with_other_data_are_not_equal():
    a = personalization_stream(500, n_keys=20, rng=0)
    b = personalization_stream(500, n_keys=20, rng=1)
    c = personalization_stream(500, n_keys=20, rng=0)
    assert a.change_points == b.change_points
    assert a != b
    assert a == c
    assert hash(a) == hash(c)
    assert personalization_stream(500, n_keys=20, key_effect=0.0, rng=0) != a


@pytest.mark.parametrize(
    "cps", [[True], np.array([True]), pd.Series([True], dtype="boolean"), [3, True]]
)
def test_boolean_change_points_are_refused(cps):
    with pytest.raises(InvalidParameterError, match=r"'change_points'.*booleans"):
        mean_shift_stream(10, cps, rng=0)
    with pytest.raises(InvalidParameterError, match=r"'change_points'.*booleans"):
        variance_shift_stream(10, cps, rng=0)
    with pytest.raises(InvalidParameterError, match=r"'change_points'.*booleans"):
        bernoulli_stream(10, [0.1] * (len(cps) + 1), cps, rng=0)


def test_integer_change_points_of_any_container_still_work():
    for cps in ([5], (5,), np.array([5], dtype=np.int8), pd.Series([5], dtype="Int64"),
                [5.0], []):
        s = mean_shift_stream(10, cps, rng=0)
        assert s.change_points.tolist() == list(np.asarray(cps, dtype=float).astype(int))


def test_gradual_change_between_huge_means_stays_finite():
    s = mean_shift_stream(10, [5], means=[-1e308, 1e308], sigma=1.0, gradual_width=2, rng=0)
    assert np.isfinite(s.values).all()
    ramp = s.values[5:7]
    assert ramp[0] == pytest.approx(-1e308 / 3, rel=1e-12)
    assert ramp[1] == pytest.approx(1e308 / 3, rel=1e-12)


def test_ordinary_gradual_streams_are_unchanged():
    # the ramp is computed as before when the step between levels is finite
    s = mean_shift_stream(40, [10, 25], means=[0.3, -1.7, 2.2], gradual_width=6, rng=3)
    lv = np.array([0.3, -1.7, 2.2])
    ramp = (np.arange(6) + 1.0) / 7.0
    prof = np.r_[np.full(10, 0.3), np.full(15, -1.7), np.full(15, 2.2)]
    prof[10:16] = lv[0] + (lv[1] - lv[0]) * ramp
    prof[25:31] = lv[1] + (lv[2] - lv[1]) * ramp
    expected = prof + np.random.default_rng(3).standard_normal(40)
    assert np.array_equal(s.values, expected)


@pytest.mark.parametrize(
    "make",
    [
        lambda: mean_shift_stream(10, [5], means=[0.0, 1e308], sigma=1e308, rng=0),
        lambda: variance_shift_stream(10, [], sigmas=[1e308], mean=1e308, rng=0),
    ],
)
def test_values_beyond_the_float_range_are_refused(make):
    with pytest.raises(InvalidParameterError, match="float range"):
        make()


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: sea_stream(100, thresholds=(8.0, 9.0), change_points=50), "change_points"),
        (lambda: sea_stream(100, thresholds=8.0), "thresholds"),
        (lambda: sea_stream(100, thresholds="89"), "thresholds"),
        (lambda: agrawal_stream(100, functions=3), "functions"),
        (lambda: hyperplane_stream(100, change_points=50), "change_points"),
        (lambda: gaussian_stream(100, change_points=50), "change_points"),
        (lambda: personalization_stream(100, change_points=50), "change_points"),
    ],
)
def test_a_scalar_where_a_sequence_is_expected_is_refused_by_name(make, name):
    # a bare TypeError ("'int' object is not iterable") before
    with pytest.raises(InvalidParameterError, match=f"'{name}'.*sequence"):
        make()


def test_sequences_of_any_kind_still_work():
    s = sea_stream(100, thresholds=np.array([8.0, 9.0]), change_points=np.array([50]), rng=0)
    assert s.change_points == (50,)
    s = sea_stream(100, thresholds=iter([8.0, 9.0]), change_points=(50,), rng=0)
    assert s.change_points == (50,)
    assert personalization_stream(100, change_points=np.array([50]), rng=0).change_points == (50,)
