"""LifecycleState's drift field: None is no results; what is not a sequence is refused."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from mllifecycle.drift import ks
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import LifecycleState

RESULT = ks(np.arange(20.0), np.arange(20.0) + 15)


def test_none_is_no_drift_results():
    # tuple(None) raised a bare "'NoneType' object is not iterable"
    state = LifecycleState(step=5, drift=None)
    assert state.drift == ()
    assert attrs.evolve(LifecycleState(step=5, drift=[RESULT]), drift=None).drift == ()


@pytest.mark.parametrize(
    "drift",
    [RESULT, "abc", 5, {"f0": RESULT}],
    ids=["one-result", "str", "int", "dict"],
)
def test_what_is_not_a_sequence_of_results_is_refused_by_name(drift):
    # a single result raised a bare TypeError; "abc" became ('a', 'b', 'c') and a
    # dict its keys, which a policy read as results without drift_detected
    with pytest.raises(InvalidParameterError,
                       match=r"'drift' parameter of LifecycleState must be a tuple of drift "
                             r"results"):
        LifecycleState(step=5, drift=drift)


def test_sequences_of_results_are_kept():
    for drift in ([RESULT], (RESULT,), iter([RESULT]), ()):
        assert LifecycleState(step=5, drift=drift).drift == tuple(
            [RESULT] if drift != () else [])
    assert LifecycleState(step=5, drift=[RESULT]).to_dict()["drift"] == [True]
