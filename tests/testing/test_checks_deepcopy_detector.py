"""``check_stream_detector`` checks a deep copy made mid-stream continues exactly.

``replay`` runs a deep copy of each policy (a detector inside ``OnDrift``
included); the check tried pickling only, so a detector whose ``__deepcopy__``
drops its state passed and then detected at other positions in a replay.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.drift.stream import with_update_many
from mllifecycle.testing import check_stream_detector


class _Counts:
    """Detects when five errors have been counted since the last detection."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.k = 0
        self.drift_detected = False

    def update(self, x):
        if self.drift_detected:
            self.k = 0
        self.k += int(x)
        self.drift_detected = self.k >= 5
        return self.drift_detected


@with_update_many
class _Right(_Counts):
    pass


@with_update_many
class _CopyForgets(_Counts):
    """Pickles with its state, but a deep copy starts afresh."""

    def __deepcopy__(self, memo):
        return type(self)()


def _stream():
    return (np.random.default_rng(0).random(300) < 0.3).astype(float)


def test_a_copy_that_forgets_its_state_fails():
    with pytest.raises(AssertionError, match="deep-copied mid-stream does not continue"):
        # split where the count is under way (2 errors counted at row 120)
        check_stream_detector(_CopyForgets, _stream(), split=120)


def test_a_copy_that_keeps_its_state_passes():
    check_stream_detector(_Right, _stream(), split=120)
