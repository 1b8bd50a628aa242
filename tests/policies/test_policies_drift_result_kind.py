"""``OnDrift`` refuses a batch test whose result has no ``drift_detected``.

The result's ``drift_detected`` was read with a default of False, so a test
answering a bool (``lambda ref, cur: True``), a p-value, or SciPy's
``KstestResult`` was "no drift" at every batch: the policy never retrained,
with exit 0.
"""

from __future__ import annotations

import types

import numpy as np
import pytest
from scipy import stats

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import LifecycleState, OnDrift


def _state():
    rng = np.random.default_rng(0)
    return LifecycleState(step=200, current_X=rng.normal(3.0, 1.0, size=(50, 1)),
                          reference_X=rng.normal(size=(100, 1)))


class _Ref:
    """A fitted reference whose compare() answers a bare bool."""

    def compare(self, current):
        return True


@pytest.mark.parametrize(("detector", "got"), [
    (lambda ref, cur: True, "a test <lambda> returning bool"),
    (lambda ref, cur: stats.ks_2samp(ref[:, 0], cur[:, 0]), "returning KstestResult"),
    (lambda ref, cur: 0.001, "returning float"),
    (_Ref(), "a fitted reference's compare\\(\\) _Ref returning bool"),
])
def test_a_result_without_drift_detected_is_refused(detector, got):
    with pytest.raises(InvalidParameterError,
                       match=rf"'detector' parameter of OnDrift\.should_retrain.*{got}"):
        OnDrift(detector).should_retrain(_state())


def test_results_with_drift_detected_are_read_as_before():
    yes = OnDrift(lambda r, c: types.SimpleNamespace(drift_detected=np.True_, p_value=0.01))
    d = yes.should_retrain(_state())
    assert d.retrain
    assert d.change_point == 150
    no = OnDrift(lambda r, c: types.SimpleNamespace(drift_detected=False))
    assert not no.should_retrain(_state()).retrain


def test_state_drift_items_without_drift_detected_are_refused():
    # detector=None reads state.drift: a bare True was "no drift reported"
    with pytest.raises(InvalidParameterError,
                       match=r"'state\.drift' parameter of OnDrift\.should_retrain.*bool at "
                             r"index 1"):
        OnDrift().should_retrain(LifecycleState(
            step=10, drift=(types.SimpleNamespace(drift_detected=False), True)))
    d = OnDrift().should_retrain(LifecycleState(
        step=10, drift=(types.SimpleNamespace(drift_detected=np.True_, method="ks"),)))
    assert d.retrain
    assert d.reason == "drift reported by ks"
