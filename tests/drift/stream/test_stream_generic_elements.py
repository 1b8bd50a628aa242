"""update_many_from_update passes a list's elements as the loop `for x in xs` does.

NumPy's conversion changed them: ``[True, 0.5]`` reached ``update`` as
``[1.0, 0.5]``, ``[1.5, "2.5"]`` as the strings ``["1.5", "2.5"]`` and
``2**60 + 1`` rounded to ``2**60``; a ragged list raised NumPy's bare
``ValueError``.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.drift.stream import update_many_from_update, with_update_many
from mllifecycle.exceptions import InvalidParameterError


class _Recorder:
    drift_detected = False

    def __init__(self):
        self.seen = []

    def update(self, x):
        self.seen.append(x)
        return False

    def reset(self):
        self.seen = []


@pytest.mark.parametrize(
    "xs",
    [[True, 0.5], [2**60 + 1, 0.5], [1.5, "2.5"], (1, 2.0), [None, 1.0]],
)
def test_list_elements_reach_update_as_given(xs):
    det = _Recorder()
    update_many_from_update(det, xs)
    assert det.seen == list(xs)
    assert [type(v) for v in det.seen] == [type(v) for v in xs]


def test_numpy_scalars_in_a_list_become_python_scalars():
    det = _Recorder()
    update_many_from_update(det, [np.float32(0.5), np.int64(3), np.bool_(True)])
    assert det.seen == [0.5, 3, True]
    assert [type(v) for v in det.seen] == [float, int, bool]


def test_arrays_are_passed_as_numpy_holds_them():
    det = _Recorder()
    update_many_from_update(det, np.array([1, 2]))
    assert det.seen == [1, 2]
    assert [type(v) for v in det.seen] == [int, int]


def test_exactness_against_the_loop_for_a_big_int():
    @with_update_many
    class Above:
        def __init__(self):
            self.drift_detected = False

        def update(self, x):
            self.drift_detected = x > 2**60
            return self.drift_detected

        def reset(self):
            self.drift_detected = False

    xs = [2**60 + 1, 0.5, 2**60]  # a float: NumPy made them all float64
    loop = [i for i, x in enumerate(xs) if Above().update(x)]
    assert Above().update_many(xs).tolist() == loop == [0]


def test_ragged_input_is_refused_by_name():
    with pytest.raises(InvalidParameterError, match="'xs'"):
        update_many_from_update(_Recorder(), [[1], [2, 3]])
    with pytest.raises(InvalidParameterError, match="'xs'"):
        update_many_from_update(_Recorder(), [[1], [2]])
