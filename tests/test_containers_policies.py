"""Same numbers in any array kind give the same retraining decisions (policies).

A ``LifecycleState`` holds NumPy arrays; the same errors, features and
probabilities as float64 (the reference), float32, float16, int/bool/uint8
flags, Fortran-ordered, strided, read-only and big-endian arrays must give
every policy the same decisions (retrain, reason, change point) over a short
stream, leave the state's arrays unchanged, and the windows must select the
same rows for parameters given as NumPy scalars.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from mllifecycle import drift
from mllifecycle import policies as P
from mllifecycle.drift import stream
from mllifecycle.policies import LifecycleState

RNG = np.random.default_rng(3)
K, B, D = 10, 60, 3
XS = [RNG.normal(size=(B, D)) + (1.5 if t >= 6 else 0.0) for t in range(K)]
REF = RNG.normal(size=(150, D))
ERRORS = [(RNG.random(B) < (0.1 if t < 5 else 0.4)).astype(float) for t in range(K)]
PROBA = [RNG.beta(5 if t < 5 else 1.5, 1.5, size=B) for t in range(K)]


def convert(a: np.ndarray, kind: str) -> np.ndarray:
    flags = bool(np.all((a == 0) | (a == 1)))
    if kind == "float32":
        return a.astype(np.float32)
    if kind == "float16":
        return a.astype(np.float16)
    if kind in ("int", "bool", "uint8"):
        return a.astype({"int": np.int64, "bool": bool, "uint8": np.uint8}[kind]) if flags \
            else a.copy()
    if kind == "fortran":
        return np.asfortranarray(a)
    if kind == "strided":
        if a.ndim == 2:
            wide = np.zeros((a.shape[0], 2 * a.shape[1]))
            wide[:, ::2] = a
            return wide[:, ::2]
        return np.repeat(a, 2)[::2]
    if kind == "read_only":
        r = a.copy()
        r.flags.writeable = False
        return r
    assert kind == "big_endian"
    return a.astype(">f8")


KINDS = ["float32", "float16", "int", "bool", "uint8", "fortran", "strided", "read_only",
         "big_endian"]


def decisions(policy, kind: str | None, field: str) -> list[tuple]:
    out = []
    for t in range(K):
        arrays = {"new_errors": ERRORS[t], "current_X": XS[t], "reference_X": REF,
                  "current_proba": PROBA[t]}
        if kind is not None:
            arrays = {k: convert(v, kind) if k == field or (field == "current_X"
                                                            and k == "reference_X") else v
                      for k, v in arrays.items()}
        kept = copy.deepcopy(arrays)
        state = LifecycleState(
            step=(t + 1) * B, labels_available=(t + 1) * B, samples_since_retrain=(t + 1) * B,
            model_version=1, metric=float(1 - ERRORS[t].mean()), metric_n=B,
            estimated_metric=float(PROBA[t].mean()), estimated_n=B, retrain_cost=5.0,
            error_cost=1.0, **arrays,
        )
        d = policy.should_retrain(state)
        for k, v in arrays.items():
            np.testing.assert_array_equal(v, kept[k], err_msg=k)
        out.append((bool(d.retrain), d.reason, d.change_point))
    return out


POLICIES = {
    "OnDrift_detect": (lambda: P.OnDrift(drift.detect), "current_X"),
    "OnDrift_mmd": (lambda: P.OnDrift(drift.mmd, rng=0), "current_X"),
    "OnDrift_reference": (lambda: P.OnDrift(drift.Reference.fit(REF)), "current_X"),
    "OnDrift_stream": (lambda: P.OnDrift(stream.PageHinkley()), "new_errors"),
    "OnDrift_confidence": (lambda: P.OnDrift(stream.ADWIN(), signal="confidence"),
                           "current_proba"),
    "OnPerformanceDrop": (lambda: P.OnPerformanceDrop(min_samples=50), "new_errors"),
    "OnEstimatedPerformanceDrop": (lambda: P.OnEstimatedPerformanceDrop(min_samples=50),
                                   "current_proba"),
    "CostAware": (lambda: P.CostAware(retrain_cost=5.0, error_cost=1.0, min_samples=50),
                  "new_errors"),
    "OnSettledBelowFloor": (lambda: P.OnSettledBelowFloor(min_samples=60, max_samples=200,
                                                          threshold=0.8), "new_errors"),
    "OnStaleness": (lambda: P.OnStaleness(block=30, window=60), "new_errors"),
    "recommended": (lambda: P.recommended(), "new_errors"),
}


@pytest.mark.parametrize("name", list(POLICIES))
def test_decisions_do_not_depend_on_the_array_kind(name):
    make, field = POLICIES[name]
    ref = decisions(make(), None, field)
    for kind in KINDS:
        assert decisions(make(), kind, field) == ref, kind


@pytest.mark.parametrize("scalar", [int, np.int64, np.int32, np.uint16])
def test_windows_with_numpy_scalars(scalar):
    state = LifecycleState(step=3000, labels_available=2000, last_change_point=1500)
    assert P.SlidingWindow(scalar(500)).select(state) == P.SlidingWindow(500).select(state)
    assert (P.SinceLastDrift(scalar(300), max_samples=scalar(800)).select(state)
            == P.SinceLastDrift(300, max_samples=800).select(state))
    got = P.RecencyWeights(scalar(4), max_samples=scalar(50)).select(state)
    want = P.RecencyWeights(4, max_samples=50).select(state)
    assert (got.start, got.stop) == (want.start, want.stop)
    np.testing.assert_array_equal(got.sample_weight, want.sample_weight)
