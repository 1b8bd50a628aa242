"""Edge sizes and exact change positions of the synthetic streams."""

from __future__ import annotations

import numpy as np
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


@pytest.mark.parametrize("make", [sea_stream, agrawal_stream])
@pytest.mark.parametrize("n", [2, 3])
def test_default_change_points_need_a_sample_per_concept(make, n):
    # four default concepts in 2 or 3 samples gave change points (0, 1, 2) or
    # (1, 2, 2): a change at 0, at n, and a concept that never occurs
    with pytest.raises(InvalidParameterError, match="n_samples"):
        make(n, rng=0)


@pytest.mark.parametrize("make", [sea_stream, agrawal_stream])
def test_default_change_points_at_the_smallest_size(make):
    s = make(4, rng=0)
    assert s.change_points == (1, 2, 3)
    assert s.concept.tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize("make", [hyperplane_stream, gaussian_stream])
@pytest.mark.parametrize("n", [2, 3, 7])
def test_one_concept_per_sample_is_allowed(make, n):
    s = make(n, n_concepts=n, rng=0)
    assert s.change_points == tuple(range(1, n))


def test_sea_threshold_switches_exactly_at_the_change_point():
    s = sea_stream(400, thresholds=(-1.0, 100.0), change_points=[137], noise=0.0, rng=1)
    # threshold -1: every label 1; threshold 100: every label 0
    assert s.y[:137].all()
    assert not s.y[137:].any()


@pytest.mark.parametrize(
    "make",
    [
        lambda: mean_shift_stream(50, [17], means=[0.0, 1e6], sigma=1e-3, rng=3),
        lambda: variance_shift_stream(50, [17], sigmas=[1e-9, 1e6], rng=3),
        lambda: bernoulli_stream(50, [0.0, 1.0], [17], rng=3),
    ],
)
def test_change_streams_switch_exactly_at_the_change_point(make):
    s = make()
    big = np.abs(s.values) > 0.5
    assert not big[:17].any()
    assert big[17:].all()
    assert s.change_points.tolist() == [17]


def test_change_streams_at_sizes_one_and_two():
    assert len(mean_shift_stream(1, [], rng=0)) == 1
    assert bernoulli_stream(2, [0.0, 1.0], [1], rng=0).values.tolist() == [0.0, 1.0]


def test_personalization_same_seed_same_stream_and_integer_change_points():
    a = personalization_stream(3000, n_keys=30, rng=5)
    b = personalization_stream(3000, n_keys=30, rng=5)
    np.testing.assert_array_equal(a.keys, b.keys)
    np.testing.assert_array_equal(a.X, b.X)
    with pytest.raises(InvalidParameterError, match="change_points"):
        personalization_stream(3000, change_points=(1500.5,), rng=0)


@pytest.mark.parametrize("n", [1000, 4000, 40_000])
def test_personalization_keys_arrive_over_the_stream_at_any_length(n):
    # keys became available in steps of 1000 rows: a stream of 1000 rows drew
    # every row from key 0, whatever n_keys
    s = personalization_stream(n, n_keys=50, rng=0)
    avail = (np.arange(50) * n / 100).astype(np.int64)
    seen = s.first_seen >= 0
    assert seen.sum() >= 40
    # no key before its arrival row r * n / (2 k)
    assert (s.first_seen[seen] >= avail[seen]).all()
    # once every key is available, each row is drawn by Zipf popularity
    w = np.arange(1, 51, dtype=np.float64) ** -1.1
    late = s.keys[n // 2 :]
    share = np.bincount(late, minlength=50) / late.size
    tol = 4 * np.sqrt(w / w.sum() * (1 - w / w.sum()) / late.size).max() + 1e-12
    assert np.abs(share - w / w.sum()).max() < tol


def test_class_balance_is_the_share_of_class_one():
    # mean(y == y.max()) gave 1.0 for a stream whose labels are all 0
    from mllifecycle.datasets import ClassificationStream

    s = sea_stream(400, rng=0)
    assert s.to_dict()["class_balance"] == pytest.approx(float(np.mean(s.y == 1)))
    zeros = ClassificationStream(X=s.X, y=np.zeros_like(s.y), change_points=s.change_points,
                                 timestamps=s.timestamps, name=s.name, concepts=s.concepts,
                                 feature_names=s.feature_names)
    assert zeros.to_dict()["class_balance"] == 0.0
