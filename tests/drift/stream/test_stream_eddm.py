"""EDDM.update_many computed per error: exact against the update loop.

The vectorised scan works on the errors only (distances, their running
sums, p' + 2s', its running maximum) and builds the per-element warning
flags from the few errors at which the flag changes. Every test compares
with the element-by-element ``update`` loop: detections, ``warnings_``,
``warning_detected`` and every state field, floats bit for bit.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mllifecycle.drift.stream import EDDM, _base, _eddm
from mllifecycle.exceptions import InvalidParameterError

STATE = (
    "_n", "_last_error", "_n_errors", "_d1", "_d2", "_p2s_max",
    "_drift_detected", "_warning_detected",
)


def bits(det):
    return [
        v.hex() if isinstance(v, float) else v for v in (getattr(det, s) for s in STATE)
    ]


def loop(det, xs):
    hits, warns = [], []
    for i, x in enumerate(np.asarray(xs).tolist()):
        if det.update(x):
            hits.append(i)
        if det.warning_detected:
            warns.append(i)
    return hits, warns


def assert_matches_loop(make, xs, cuts):
    """update_many over ``xs`` cut at ``cuts`` equals the update loop, call by call."""
    det, ref = make(), make()
    bounds = [0, *sorted(c for c in cuts if 0 < c < len(xs)), len(xs)]
    all_hits = []
    for lo, hi in itertools.pairwise(bounds):
        want, want_warn = loop(ref, xs[lo:hi])
        got = det.update_many(xs[lo:hi]).tolist()
        assert got == want, (lo, hi)
        assert det.warnings_.tolist() == want_warn, (lo, hi)
        assert bits(det) == bits(ref), (lo, hi)
        all_hits += [lo + h for h in want]
    return all_hits


def errors(rng, n, rates, burst):
    edges = np.linspace(0, n, len(rates) + 1).astype(int)
    xs = (rng.random(n) < np.repeat(rates, np.diff(edges))).astype(np.float64)
    if burst and n:  # a run of errors, then a long run without any
        a = int(rng.integers(0, n))
        xs[a : a + 40] = 1.0
        xs[a + 40 : a + 400] = 0.0
    return xs


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(0, 6000),
    rates=st.lists(st.sampled_from([0.0, 0.01, 0.05, 0.2, 0.5, 0.9, 1.0]), min_size=1, max_size=5),
    burst=st.booleans(),
    grace_period=st.sampled_from([0, 1, 2, 5, 30, 100]),
    ratios=st.sampled_from([(0.95, 0.9), (0.9, 0.8), (1.0, 1.0), (0.99, 0.5), (0.6, 0.6)]),
    cuts=st.lists(st.integers(0, 6000), max_size=5),
    vectorised_only=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_update_many_equals_loop(
    n, rates, burst, grace_period, ratios, cuts, vectorised_only, seed
):
    xs = errors(np.random.default_rng(seed), n, rates, burst)
    warning_ratio, drift_ratio = ratios

    def make():
        return EDDM(
            grace_period=grace_period, warning_ratio=warning_ratio, drift_ratio=drift_ratio
        )

    with pytest.MonkeyPatch.context() as mp:
        if vectorised_only:  # dense detections too go through _scan
            mp.setattr(_base, "_SCALAR_GAP", 0)
        assert_matches_loop(make, xs, cuts)


def stream_with_hits(seed=0):
    rng = np.random.default_rng(seed)
    return errors(rng, 20_000, [0.05, 0.4, 0.02, 0.3], False)


def test_detection_at_the_first_and_last_element_of_a_call():
    xs = stream_with_hits()
    hits, _ = loop(EDDM(), xs)
    assert len(hits) >= 2
    h = hits[1]
    # the detected error is the last value of a call, then the first
    assert h in assert_matches_loop(EDDM, xs, [h + 1])
    assert h in assert_matches_loop(EDDM, xs, [h])
    assert h in assert_matches_loop(EDDM, xs, [h, h + 1])  # a call of one value


def test_warning_carried_through_a_call_without_errors():
    # reach the warning zone, then feed only zeros: every element of that call
    # (and of a later call of zeros) is flagged, as in the loop
    xs = stream_with_hits(1)
    ref = EDDM()
    at = next(i for i, x in enumerate(xs.tolist()) if not ref.update(x) and ref.warning_detected)
    prefix = xs[: at + 1]
    det = EDDM()
    det.update_many(prefix)
    assert det.warning_detected
    zeros = np.zeros(700)
    assert det.update_many(zeros).tolist() == []
    assert det.warnings_.tolist() == list(range(700))
    assert det.update_many(zeros[:5]).tolist() == []
    assert det.warnings_.tolist() == list(range(5))
    full = np.r_[prefix, zeros, zeros[:5]]
    assert_matches_loop(EDDM, full, [at + 1, at + 701])


def test_warning_flags_change_only_at_deciding_errors():
    # the warning flag flips many times in one call: runs built from the
    # changes must equal the loop's flags element for element
    rng = np.random.default_rng(4)
    parts = [rng.random(600) < 0.03] + [rng.random(400) < p for p in [0.08, 0.3] * 15]
    xs = np.concatenate(parts).astype(np.float64)
    make = lambda: EDDM(warning_ratio=0.8, drift_ratio=0.2)  # noqa: E731
    _, warns = loop(make(), xs)
    flips = np.count_nonzero(np.diff(np.isin(np.arange(len(xs)), warns)))
    assert flips > 20
    assert_matches_loop(make, xs, [])
    assert_matches_loop(make, xs, list(range(0, len(xs), 997)))


@pytest.mark.parametrize("kind", ["float64", "bool", "int", "list", "float32"])
def test_input_forms_give_the_same_result(kind):
    xs = stream_with_hits(2)[:8000]
    form = {
        "float64": xs,
        "bool": xs.astype(bool),
        "int": xs.astype(int),
        "list": xs.tolist(),
        "float32": xs.astype(np.float32),
    }[kind]
    ref = EDDM()
    want, want_warn = loop(ref, xs)
    det = EDDM()
    assert det.update_many(form).tolist() == want
    assert det.warnings_.tolist() == want_warn
    assert bits(det) == bits(ref)


@pytest.mark.parametrize(
    ("bad", "message"),
    [(0.5, "binary values in"), (2.0, "binary values in"), (np.nan, "NaN"), (np.inf, "finite")],
)
@pytest.mark.parametrize("where", [0, 150, 299])
def test_float64_array_with_a_bad_value_is_refused(bad, message, where):
    # the fast check for float64 arrays must fall through to the full one
    xs = np.zeros(300)
    xs[::7] = 1.0
    xs[where] = bad
    det = EDDM()
    with pytest.raises(InvalidParameterError, match=message):
        det.update_many(xs)
    assert det == EDDM()


def naive_carried_flags(at, decide, value, w0, length):
    flags, cur, j = [], w0, 0
    at = at.tolist()
    for t in range(length):
        while j < len(at) and at[j] == t:
            if decide[j]:
                cur = bool(value[j])
            j += 1
        flags.append(cur)
    return flags


@settings(max_examples=200, deadline=None)
@given(
    k=st.integers(0, 60),
    length=st.integers(1, 200),
    w0=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_carried_flags_equal_naive(k, length, w0, seed):
    rng = np.random.default_rng(seed)
    at = np.sort(rng.choice(length, size=min(k, length), replace=False)).astype(np.intp)
    decide = rng.random(at.shape[0]) < 0.6
    value = rng.random(at.shape[0]) < 0.5
    flags, last = _eddm._carried_flags(at, decide, value, w0, length)
    want = naive_carried_flags(at, decide, value, w0, length)
    got = [False] * length if flags is _base.NO_WARNINGS else flags.tolist()
    assert got == want
    assert last == want[-1]
