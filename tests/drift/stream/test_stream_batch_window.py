"""update_many's first window (one scan for a short call) and HDDM_A's decrease side.

A call of at most ``_WHOLE_CALL`` values is scanned in one window first;
longer calls, and the rest of a call after a detection, use growing windows.
HDDM_A keeps the decrease side's cut point as state even when it does not
test decreases; it is tracked from the running maximum only. Every test
compares with the element-by-element ``update`` loop: detections, warnings
and the full state (attrs equality over every state field).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mllifecycle.drift.stream import CUSUM, DDM, EDDM, HDDM_A, HDDM_W, PageHinkley, _base

BINARY = {
    "DDM": DDM,
    "EDDM": EDDM,
    "HDDM_A": HDDM_A,
    "HDDM_A-two": lambda: HDDM_A(two_sided_test=True),
    "HDDM_W": HDDM_W,
    "HDDM_W-two": lambda: HDDM_W(two_sided_test=True, smoothing_factor=0.2),
}
REAL = {
    "PageHinkley": PageHinkley,
    "CUSUM": CUSUM,
}
ALL = {**BINARY, **REAL}

WHOLE = _base._WHOLE_CALL
# call lengths on both sides of every window boundary
SIZES = [1, 2, 255, 256, 257, 1000, WHOLE - 1, WHOLE, WHOLE + 1, 3 * WHOLE]


def piecewise_errors(n: int, rates: list[float], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    edges = np.linspace(0, n, len(rates) + 1).astype(int)
    p = np.repeat(rates, np.diff(edges))
    return (rng.random(n) < p).astype(np.float64)


def stream_for(name: str, n: int, seed: int) -> np.ndarray:
    if name in BINARY:
        return piecewise_errors(n, [0.1, 0.35, 0.02, 0.2], seed)
    rng = np.random.default_rng(seed)
    return rng.normal(size=n) + np.repeat([0.0, 1.5, -1.0, 0.0], -(-n // 4))[:n]


def loop_with_warnings(det, xs):
    hits, warns = [], []
    for i, x in enumerate(np.asarray(xs).tolist()):
        if det.update(x):
            hits.append(i)
        if getattr(det, "warning_detected", False):
            warns.append(i)
    return hits, warns


def feed_in_calls(make, xs, sizes):
    """Feed ``xs`` by update_many calls of the given sizes (cycled); compare."""
    det, ref = make(), make()
    pos = 0
    n_calls = 0
    for size in itertools.cycle(sizes):
        if pos >= xs.shape[0]:
            break
        part = xs[pos : pos + size]
        got = det.update_many(part).tolist()
        want, want_warn = loop_with_warnings(ref, part)
        assert got == want, (pos, size)
        if hasattr(det, "warnings_"):
            assert det.warnings_.tolist() == want_warn, (pos, size)
        assert det == ref, (pos, size)  # every state field, bit for bit
        assert det.drift_detected == ref.drift_detected
        pos += part.shape[0]
        n_calls += 1
    return n_calls


@pytest.mark.parametrize("name", list(ALL))
def test_calls_around_window_boundaries_match_update_loop(name):
    xs = stream_for(name, 40_000, seed=11)
    assert feed_in_calls(ALL[name], xs, SIZES) > len(SIZES)


@pytest.mark.parametrize("name", ["HDDM_A", "DDM", "PageHinkley"])
def test_batches_of_1000_as_in_replay_match_update_loop(name):
    xs = stream_for(name, 30_000, seed=5)
    assert feed_in_calls(ALL[name], xs, [1000]) == 30


class _CountScans:
    def __init__(self, monkeypatch, cls):
        self.sizes: list[int] = []
        original = cls._scan

        def spy(det, block):
            self.sizes.append(block.shape[0])
            return original(det, block)

        monkeypatch.setattr(cls, "_scan", spy)


def test_short_call_without_detection_is_one_scan(monkeypatch):
    spy = _CountScans(monkeypatch, HDDM_A)
    xs = piecewise_errors(1000, [0.1], seed=0)
    det = HDDM_A()
    assert det.update_many(xs).tolist() == []
    assert spy.sizes == [1000]
    spy.sizes.clear()
    det.update_many(piecewise_errors(WHOLE, [0.1], seed=1))
    assert spy.sizes == [WHOLE]


def test_long_call_keeps_doubling_windows(monkeypatch):
    spy = _CountScans(monkeypatch, HDDM_A)
    det = HDDM_A()
    xs = piecewise_errors(WHOLE + 1, [0.1], seed=2)
    ref = HDDM_A()
    want, _ = loop_with_warnings(ref, xs)
    assert det.update_many(xs).tolist() == want == []
    assert spy.sizes[:3] == [_base._MIN_WINDOW, 2 * _base._MIN_WINDOW, 4 * _base._MIN_WINDOW]
    assert sum(spy.sizes) == WHOLE + 1
    assert det == ref


def test_detection_inside_a_short_call_restarts_and_finishes_the_call(monkeypatch):
    spy = _CountScans(monkeypatch, HDDM_A)
    xs = piecewise_errors(3000, [0.02, 0.6], seed=4)
    det, ref = HDDM_A(), HDDM_A()
    want, _ = loop_with_warnings(ref, xs)
    got = det.update_many(xs).tolist()
    assert got == want
    assert len(got) >= 1
    assert spy.sizes[0] == 3000  # the whole call first
    assert det == ref


@pytest.mark.parametrize("two_sided", [False, True])
def test_hddm_a_decrease_side_state_tracked_when_rate_falls(two_sided):
    # a falling error rate moves the decrease-side cut point on and on
    xs = piecewise_errors(12_000, [0.5, 0.3, 0.1, 0.0, 0.05], seed=8)
    det, ref = HDDM_A(two_sided_test=two_sided), HDDM_A(two_sided_test=two_sided)
    for part in np.array_split(xs, 17):
        assert det.update_many(part).tolist() == loop_with_warnings(ref, part)[0]
        assert (det._n_max, det._k_max) == (ref._n_max, ref._k_max)
        assert det._g_max == ref._g_max
    assert det == ref
    assert ref._n_max > 0


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    n=st.integers(0, 3 * WHOLE),
    rates=st.lists(st.sampled_from([0.0, 0.02, 0.1, 0.3, 0.7, 1.0]), min_size=1, max_size=5),
    cuts=st.lists(st.integers(0, 3 * WHOLE), max_size=4),
    two_sided=st.booleans(),
)
def test_property_hddm_a_update_many_equals_loop(seed, n, rates, cuts, two_sided):
    xs = piecewise_errors(n, rates, seed)
    det, ref = HDDM_A(two_sided_test=two_sided), HDDM_A(two_sided_test=two_sided)
    bounds = [0, *sorted(c for c in cuts if c <= n), n]
    got: list[int] = []
    for lo, hi in itertools.pairwise(bounds):
        got += (det.update_many(xs[lo:hi]) + lo).tolist()
    want, _ = loop_with_warnings(ref, xs)
    assert got == want
    assert det == ref
    assert det.warning_detected == ref.warning_detected


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    n=st.integers(1, 3 * WHOLE),
    rates=st.lists(st.sampled_from([0.0, 0.02, 0.1, 0.3, 0.7, 1.0]), min_size=1, max_size=5),
    alpha_=st.floats(1e-6, 0.5),
    ratio=st.sampled_from([1.0, 1.0 + 1e-12, 1.5, 5.0, 100.0]),
    two_sided=st.booleans(),
    split=st.integers(1, 7),
)
def test_property_hddm_a_screened_tests_at_any_confidences(
    seed, n, rates, alpha_, ratio, two_sided, split
):
    # update_many screens the Hoeffding tests with sqrt(log_warn / log_drift)
    # and tests exactly only the screened positions: at any pair of
    # confidences (equal ones included, where the screen is tightest) its
    # drifts, warnings and state must be those of the element-wise loop
    warning_alpha_ = min(alpha_ * ratio, 0.999)
    make = lambda: HDDM_A(  # noqa: E731
        alpha=alpha_,
        warning_alpha=warning_alpha_,
        two_sided_test=two_sided,
    )
    xs = piecewise_errors(n, rates, seed)
    det, ref = make(), make()
    got, got_warn = [], []
    part_start = 0
    for part in np.array_split(xs, split):
        got += (det.update_many(part) + part_start).tolist()
        got_warn += (det.warnings_ + part_start).tolist()
        part_start += part.shape[0]
    want, want_warn = loop_with_warnings(ref, xs)
    assert got == want
    assert got_warn == want_warn
    assert det == ref


@pytest.mark.parametrize("cap", [4096, 8192])
def test_hddm_a_counts_past_the_tabulated_range(monkeypatch, cap):
    # n, 1/n and eps come from tables while the count stays below the cap and
    # are computed afresh past it; both must be update's floats, and a call
    # that crosses the cap must be exact on both sides
    from mllifecycle.drift.stream import _hddm

    monkeypatch.setattr(_hddm, "_TABLE_CAP", cap)
    monkeypatch.setattr(_hddm, "_TABLES", {})
    xs = piecewise_errors(3 * cap, [0.1, 0.1, 0.12], seed=5)
    for two_sided in (False, True):
        det, ref = HDDM_A(two_sided_test=two_sided), HDDM_A(two_sided_test=two_sided)
        got, got_warn, start = [], [], 0
        for part in np.array_split(xs, 7):
            got += (det.update_many(part) + start).tolist()
            got_warn += (det.warnings_ + start).tolist()
            start += part.shape[0]
        want, want_warn = loop_with_warnings(ref, xs)
        assert got == want
        assert got_warn == want_warn
        assert det == ref
        assert ref._n > cap or got  # the count did pass the cap (or a change reset it)


def test_hddm_a_tables_per_confidence_are_not_mixed_up():
    # one table of eps per alpha: detectors of different alphas fed in turn
    # (more alphas than the cache keeps) each match their own update loop
    xs = piecewise_errors(2_000, [0.05, 0.3], seed=2)
    alphas = [10.0 ** -k for k in range(1, 20)]  # 19 > the 16 tables kept
    dets = [HDDM_A(alpha=a, warning_alpha=min(0.5, 5 * a)) for a in alphas]
    refs = [HDDM_A(alpha=a, warning_alpha=min(0.5, 5 * a)) for a in alphas]
    got = [[] for _ in alphas]
    for lo in range(0, 2_000, 100):
        for i, d in enumerate(dets):
            got[i] += (d.update_many(xs[lo : lo + 100]) + lo).tolist()
    for i, r in enumerate(refs):
        assert got[i] == loop_with_warnings(r, xs)[0]
        assert dets[i] == r
