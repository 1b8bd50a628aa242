"""A float32/float16 bound of MetricThreshold is the decimal it prints as.

np.float32(0.8) is 0.800000011920929 in float64: an accuracy of exactly 0.8
(80 right of 100) failed ``minimum=np.float32(0.8)``.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.gates import GateContext, MetricThreshold

Y = np.r_[np.zeros(50, int), np.ones(50, int)]
PRED = Y.copy()
PRED[:20] = 1  # 80 of 100 right: accuracy exactly 0.8
CTX = GateContext(y_true=Y, challenger=PRED)


@pytest.mark.parametrize("kind", [np.float32, np.float16, float, np.float64])
def test_an_accuracy_equal_to_the_bound_passes(kind):
    gate = MetricThreshold("accuracy", minimum=kind(0.8))
    assert gate.minimum == 0.8
    assert gate.check(CTX).passed


@pytest.mark.parametrize("kind", [np.float32, np.float16])
def test_a_bound_above_still_fails_and_maximum_alike(kind):
    assert not MetricThreshold("accuracy", minimum=kind(0.81)).check(CTX).passed
    assert MetricThreshold("error_rate", maximum=kind(0.2)).check(CTX).passed
    assert not MetricThreshold("error_rate", maximum=kind(0.19)).check(CTX).passed
