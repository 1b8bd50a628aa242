"""``time_fits(measure_memory=True)`` under the caller's own ``tracemalloc``.

When the caller was already tracing allocations, ``time_fits`` reported the
session's peak (a 50 MB array freed before the call became the first fit's
peak memory) and stopped the caller's tracing.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
from sklearn.linear_model import LogisticRegression

from mllifecycle.budget import time_fits


def test_the_callers_tracing_is_kept_and_its_peak_not_counted():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2000, 5))
    y = (X[:, 0] > 0).astype(int)
    tracemalloc.start()
    try:
        big = np.ones(50_000_000 // 8)  # 50 MB, traced, freed before the call
        del big
        model = time_fits(LogisticRegression(), X, y, [250, 500, 1000, 2000],
                          measure_memory=True, rng=0)
        assert tracemalloc.is_tracing()
    finally:
        tracemalloc.stop()
    # a fit on at most 2000 x 5 floats allocates well under 10 MB
    assert model.peak_memory.max() < 10_000_000
    assert model.peak_memory.min() >= 1


def test_without_outer_tracing_it_starts_and_stops_its_own():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 3))
    y = (X[:, 0] > 0).astype(int)
    assert not tracemalloc.is_tracing()
    model = time_fits(LogisticRegression(), X, y, [250, 500, 1000], measure_memory=True,
                      rng=0)
    assert not tracemalloc.is_tracing()
    assert np.all(model.peak_memory > 1000)
