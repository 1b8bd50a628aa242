"""OnDrift reads a user's detector's answers as the protocol says, or refuses them.

``update_many`` answers indices: a boolean mask (one flag per value, an
easy mistake next to ``update``'s bool) was read as indices: it has a first
element whatever it holds, so OnDrift retrained at every batch, "at sample
0" of it, with no detection. None failed with a bare IndexError.

A batch test's (or ``state.drift``'s) ``drift_detected`` is one bool: the
string "False" was read as drift, None as no drift, and per-feature flags
failed with NumPy's ambiguous truth value.
"""

from __future__ import annotations

import types

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import LifecycleState, OnDrift


class EveryKth:
    """A user's detector (no base class): fires at every 150th value."""

    drift_detected = False

    def __init__(self, answer=None):
        self.n = 0
        self.answer = answer

    def update(self, x):
        self.n += 1
        self.drift_detected = self.n % 150 == 0
        return self.drift_detected

    def update_many(self, xs):
        flags = [self.update(x) for x in xs]
        hits = [i for i, f in enumerate(flags) if f]
        return self.answer(flags, hits) if self.answer else np.asarray(hits, dtype=np.intp)

    def reset(self):
        self.n = 0


def _decisions(detector, n_batches=4):
    p = OnDrift(detector)
    return [
        p.should_retrain(LifecycleState(step=100 * k, labels_available=100 * k,
                                        new_errors=np.zeros(100)))
        for k in range(1, n_batches + 1)
    ]


@pytest.mark.parametrize(
    "answer",
    [
        lambda flags, hits: hits,  # a list of ints
        lambda flags, hits: np.asarray(hits, dtype=np.float64),  # whole floats
        lambda flags, hits: tuple(np.asarray(hits, dtype=np.int32)),
    ],
    ids=["list", "floats", "tuple"],
)
def test_indices_of_any_int_kind_give_the_same_decisions(answer):
    want = _decisions(EveryKth())
    got = _decisions(EveryKth(answer))
    assert [d.retrain for d in want] == [False, True, True, False]
    assert got == want


@pytest.mark.parametrize(
    ("answer", "match"),
    [
        (lambda flags, hits: np.asarray(flags), "boolean array of 100 flag"),
        (lambda flags, hits: flags, "boolean array of 100 flag"),
        (lambda flags, hits: None, "returning NoneType"),
        (lambda flags, hits: np.asarray(hits, dtype=np.float64) + 0.5, "dtype float64"),
        (lambda flags, hits: np.zeros((1, 1), dtype=int), r"shape \(1, 1\)"),
        (lambda flags, hits: [100], "the index 100"),
        (lambda flags, hits: [-1], "the index -1"),
    ],
    ids=["mask", "list of bools", "None", "fractions", "2-D", "past the end", "negative"],
)
def test_other_answers_are_refused_naming_the_detector(answer, match):
    with pytest.raises(InvalidParameterError, match=match) as info:
        _decisions(EveryKth(answer))
    assert "'detector'" in str(info.value)
    assert "EveryKth.update_many" in str(info.value)


# --- a batch test's drift_detected -------------------------------------------

_RNG = np.random.default_rng(0)
_STATE = LifecycleState(step=100, labels_available=100, current_X=_RNG.normal(size=(100, 3)),
                        reference_X=_RNG.normal(size=(300, 3)))


def _test_answering(flag):
    def my_test(reference, current):
        return types.SimpleNamespace(drift_detected=flag, p_value=0.01)

    return my_test


@pytest.mark.parametrize(
    ("flag", "want"),
    [(True, True), (np.True_, True), (np.int64(0), False), (1, True), (np.array(True), True)],
)
def test_one_flag_of_any_kind_is_read_as_it_is(flag, want):
    assert OnDrift(_test_answering(flag)).should_retrain(_STATE).retrain is want
    state = LifecycleState(step=100, drift=(types.SimpleNamespace(drift_detected=flag),))
    assert OnDrift().should_retrain(state).retrain is want


@pytest.mark.parametrize(
    "flag",
    [np.array([False, True, False]), "False", None, 0.5],
    ids=["per feature", "text", "None", "half"],
)
def test_other_flags_are_refused(flag):
    # "False" was read as drift (a non-empty string), None as no drift at
    # every batch, and per-feature flags failed with NumPy's "truth value of
    # an array is ambiguous"
    with pytest.raises(InvalidParameterError, match=r"'detector'.*drift_detected="):
        OnDrift(_test_answering(flag)).should_retrain(_STATE)
    state = LifecycleState(step=100, drift=(types.SimpleNamespace(drift_detected=flag),))
    with pytest.raises(InvalidParameterError, match=r"'state\.drift'.*SimpleNamespace at index 0"):
        OnDrift().should_retrain(state)
