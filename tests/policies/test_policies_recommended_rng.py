"""``recommended(rng=...)`` seeds a permutation test given as its detector.

``recommended`` builds an ``OnDrift`` but had no ``rng``: with a
permutation-based batch test as ``detector`` its decisions changed from run to
run, and there was no way to seed them through ``recommended``.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from mllifecycle.drift import energy
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import LifecycleState, recommended


def _states():
    r = np.random.default_rng(5)
    ref = r.normal(size=(200, 2))
    out = []
    for k in range(12):
        cur = r.normal(size=(40, 2)) + 0.25  # a shift near the test's level
        out.append(LifecycleState(step=240 + 40 * k, current_X=cur, reference_X=ref))
    return out


def _decisions(policy):
    return [(d.retrain, d.reason) for d in map(policy.policies[0].should_retrain, _states())]


def test_same_seed_same_decisions():
    test = functools.partial(energy, n_resamples=99)
    a = _decisions(recommended(test, rng=0, floor=False, staleness=False, challenger=False))
    b = _decisions(recommended(test, rng=0, floor=False, staleness=False, challenger=False))
    assert a == b
    assert recommended(test, rng=np.random.default_rng(3)).policies[0].rng is not None


def test_seed_reaches_the_test():
    seen = []

    def test(reference, current, rng=None):
        seen.append(rng)
        return energy(reference, current, n_resamples=39, rng=rng)

    p = recommended(test, rng=7)
    p.should_retrain(_states()[0])
    assert isinstance(seen[0], int)


def test_refused_for_the_default_streaming_detector_naming_recommended():
    with pytest.raises(InvalidParameterError, match="'rng' parameter of recommended"):
        recommended(rng=0)
    assert recommended().policies[0].rng is None
