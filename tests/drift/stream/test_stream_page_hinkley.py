"""PageHinkley.update_many on the base class's window loop: exact on dense alarms.

Page-Hinkley restarts its running mean and sums after every detection, so
its ``update_many`` scans one window per detection (the base loop, with a
repeated first window after a detection and no state kept at a detection
the next value discards) and searches the first rise by chunk bounds
(``_first_rise_chunks``). Every test compares with the
element-by-element ``update`` loop: detections and every state field, bit
for bit.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mllifecycle.drift.stream import PageHinkley, _base, _page_hinkley

STATE = ("_n", "_sum", "_u", "_c", "_u_min", "_l_max", "_drift_detected")


def loop(det, xs):
    return [i for i, x in enumerate(np.asarray(xs).tolist()) if det.update(x)]


def bits(det):
    """The state fields, floats as their bit patterns (so -0.0 != 0.0)."""
    out = []
    for name in STATE:
        v = getattr(det, name)
        out.append(v.hex() if isinstance(v, float) else v)
    return out


def assert_update_many_equals_loop(make, xs, cuts):
    """update_many over ``xs`` cut at ``cuts`` equals the update loop; return its detections."""
    ref_det = make()
    ref = loop(ref_det, xs)
    det = make()
    got: list[int] = []
    bounds = [0, *sorted(c for c in cuts if c <= len(xs)), len(xs)]
    for lo, hi in itertools.pairwise(bounds):
        got += (det.update_many(xs[lo:hi]) + lo).tolist()
    assert got == ref
    assert det == ref_det
    assert bits(det) == bits(ref_det)
    return ref


def dense_stream(rng, n, scale, kind):
    if kind == "walk":  # mean shifts every few hundred values
        steps = np.repeat(rng.normal(0, 2, n // 200 + 1), 200)[:n]
        xs = rng.normal(steps, 1.0)
    elif kind == "ties":  # few distinct values, signed zeros among them
        xs = rng.choice([-0.0, 0.0, 1.0, -1.0, 2.5, -3.0], n)
    else:  # heavy tails
        xs = rng.standard_cauchy(n)
    return xs * scale


PARAMS = st.fixed_dictionaries(
    {
        "threshold": st.sampled_from([1e-9, 0.5, 3.0, 10.0, 25.0, 50.0]),
        "grace_period": st.sampled_from([0, 1, 5, 30, 200]),
        "delta": st.sampled_from([0.0, 0.005, 0.5, 5.0]),
        "forgetting_factor": st.sampled_from([1.0, 1 - 1e-4, 0.99, 0.5]),
        "mode": st.sampled_from(["both", "up", "down"]),
    }
)


@settings(max_examples=120, deadline=None)
@given(
    params=PARAMS,
    n=st.integers(0, 5000),
    scale=st.sampled_from([1e-3, 1.0, 7.0, 1e3]),
    kind=st.sampled_from(["walk", "ties", "cauchy"]),
    cuts=st.lists(st.integers(0, 5000), max_size=4),
    seed=st.integers(0, 2**32 - 1),
    vectorised_only=st.booleans(),
)
def test_property_dense_alarms_update_many_equals_loop(
    params, n, scale, kind, cuts, seed, vectorised_only
):
    xs = dense_stream(np.random.default_rng(seed), n, scale, kind)
    with pytest.MonkeyPatch.context() as mp:
        if vectorised_only:  # no update() path for dense detections: all windows
            mp.setattr(_base, "_SCALAR_GAP", 0)
        assert_update_many_equals_loop(lambda: PageHinkley(**params), xs, cuts)


def test_dense_alarm_benchmark_stream_matches_loop():
    # the benchmark's case: an alarm every ~1,500 values, in one call and in
    # calls of 1,000 (replay's batches) and 4,097 (past the one-scan limit)
    from mllifecycle.datasets import mean_shift_stream

    xs = mean_shift_stream(
        60_000, [15_000, 30_000, 45_000], means=[0.0, 1.0, -0.5, 0.5], rng=0
    ).values
    hits = assert_update_many_equals_loop(PageHinkley, xs, [])
    assert len(hits) > 30
    assert_update_many_equals_loop(PageHinkley, xs, list(range(0, 60_000, 1000)))
    assert_update_many_equals_loop(PageHinkley, xs, list(range(0, 60_000, 4097)))


@pytest.mark.parametrize("forgetting_factor", [1.0, 1 - 1e-4, 0.999])
def test_long_runs_past_the_cached_tables_match_loop(forgetting_factor):
    # 70,000 values without an alarm (counts, weights and -2 delta c_t leave
    # their cached tables), then a shift that is detected
    rng = np.random.default_rng(3)
    xs = np.r_[rng.normal(0, 1, 70_000), rng.normal(30, 1, 2_000)]
    make = lambda: PageHinkley(threshold=2_000.0, forgetting_factor=forgetting_factor)  # noqa: E731
    hits = assert_update_many_equals_loop(make, xs, [33_000, 66_000])
    assert hits
    assert hits[0] >= 70_000


def test_restart_on_signed_zero_matches_loop(monkeypatch):
    # after a detection the running sum restarts at 0.0; 0.0 + (-0.0) is 0.0
    monkeypatch.setattr(_base, "_SCALAR_GAP", 0)
    xs = np.tile([5.0, -0.0, -0.0, 0.0, -5.0, -0.0], 400)
    hits = assert_update_many_equals_loop(
        lambda: PageHinkley(threshold=3.0, grace_period=1, delta=0.0), xs, [7, 600]
    )
    assert len(hits) > 10


@pytest.mark.parametrize("mode", ["both", "up", "down"])
@pytest.mark.parametrize(
    ("scale", "delta", "threshold"),
    [(1e300, 0.005, 1e301), (1e154, 1e300, 1e155), (1.0, 1e308, 50.0), (1e-300, 0.0, 1e-299)],
)
def test_extreme_magnitudes_with_dense_alarms_match_loop(
    monkeypatch, mode, scale, delta, threshold
):
    # overflowing sums fall back on update(); 2 * delta * c_t may overflow to
    # infinity (-L_t is then -inf): both as in the update loop
    monkeypatch.setattr(_base, "_SCALAR_GAP", 0)
    rng = np.random.default_rng(1)
    xs = dense_stream(rng, 6000, scale, "walk")
    assert_update_many_equals_loop(
        lambda: PageHinkley(mode=mode, delta=delta, threshold=threshold, grace_period=3),
        xs,
        [2500],
    )


def test_scan_leaves_the_state_after_the_detection():
    # the base class's _scan contract (state as after the detected element)
    rng = np.random.default_rng(7)
    xs = np.r_[rng.normal(0, 1, 500), rng.normal(4, 1, 500)]
    det, ref = PageHinkley(threshold=20.0), PageHinkley(threshold=20.0)
    d, flags = det._scan(xs)
    want = loop(ref, xs[: d + 1])
    assert flags is None
    assert 0 <= d < 999
    assert want == [d]
    assert det == ref
    assert bits(det) == bits(ref)


def naive_first_rise(rows, threshold, start, which):
    """First t >= start with rows[r, t+1] - min(rows[r, :t+2]) > threshold."""
    use = [0, 1] if which == 0 else [which - 1]
    for t in range(start, rows.shape[1] - 1):
        for r in use:
            if rows[r, t + 1] - rows[r, : t + 2].min() > threshold:
                return t
    return -1


@settings(max_examples=150, deadline=None)
@given(
    m=st.integers(1, 1200),
    trend=st.sampled_from([0.0, -0.3, 0.3, -2.0]),
    decimals=st.sampled_from([None, 0]),
    threshold=st.sampled_from([1e-12, 0.5, 5.0, 20.0, 60.0]),
    start=st.integers(0, 400),
    which=st.sampled_from([0, 1, 2]),
    minus_inf=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_first_rise_chunks_equals_naive(
    m, trend, decimals, threshold, start, which, minus_inf, seed
):
    rng = np.random.default_rng(seed)
    body = np.cumsum(rng.normal(trend, 1.0, size=(2, m)), axis=1)
    body[1] = -body[1] - 0.01 * np.arange(m)  # -L_t mirrors U_t, as in the detector
    if decimals is not None:
        body = np.round(body, decimals)  # ties
    if minus_inf:  # -L_t overflowing to -inf (huge delta)
        body[1, rng.integers(0, m) :] = -np.inf
    inits = rng.normal(0, 5, 2)
    rows = np.empty((2, m + 1))
    rows[:, 1:] = body
    rows[:, 0] = np.minimum(inits, body[:, 0])
    with np.errstate(invalid="ignore"):  # -inf - -inf, as in update_many
        got = _page_hinkley._first_rise_chunks(rows, threshold, start, which)
        expected = naive_first_rise(rows, threshold, start, which)
    d, pre = got
    assert d == expected
    lows = pre[:, -1].tolist()  # the minimum of each row, for the state
    assert lows == [float(rows[0].min()), float(rows[1].min())]
    assert not any(math.isnan(v) for v in lows)


def test_window_loop_repeats_the_first_window_after_a_detection(monkeypatch):
    # Page-Hinkley runs the base class's window loop with two settings: the
    # first window after a detection is one mean gap long (restart factor 1)
    # and, if it misses, so is the next one; then they double
    sizes: list[tuple[int, bool]] = []
    original = PageHinkley._window

    def spy(det, block, keep):
        sizes.append((block.shape[0], keep))
        return original(det, block, keep)

    monkeypatch.setattr(PageHinkley, "_window", spy)
    rng = np.random.default_rng(0)
    xs = np.r_[rng.normal(0, 0.01, 3000), rng.normal(1, 0.01, 20_000)]
    det, ref = PageHinkley(), PageHinkley()
    hits = det.update_many(xs).tolist()
    assert hits == loop(ref, xs)
    assert len(hits) == 1
    gap = hits[0] + 1
    first = max(_base._RESTART_WINDOW, gap)
    i = next(j for j, (s, _) in enumerate(sizes) if sum(t for t, _ in sizes[:j]) > hits[0])
    after = [s for s, _ in sizes[i:]]
    assert after[:3] == [first, first, 2 * first]
    assert after[3:] == [len(xs) - hits[0] - 1 - 4 * first]  # the rest of the call
    assert [k for _, k in sizes] == [False] * (len(sizes) - 1) + [True]  # only the last keeps
    assert bits(det) == bits(ref)
