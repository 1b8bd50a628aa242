"""HDDM_A's scan of short blocks (a replay's ~100 errors a call) and its shortcuts.

The scan keeps the carried cut point in slot 0 of its arrays, takes scalars
instead of gathers when no element of the block is a cut point, answers
such a block from its largest mean alone when even that cannot reach the
least warning bound (``_quiet_block``), and screens the other positions
with squares before the exact tests. ``error_mask`` checks 0/1 flags by
comparing the count of ones with the count of nonzero values. Every test
compares with the direct computation: the element-wise ``update`` loop, the
unscreened Hoeffding tests of ``update`` on every position, or the explicit
membership test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from mllifecycle.drift.stream import HDDM_A, _base, _hddm


def piecewise_errors(n: int, rates: list[float], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    edges = np.linspace(0, n, len(rates) + 1).astype(int)
    p = np.repeat(rates, np.diff(edges))
    return (rng.random(n) < p).astype(np.float64)


def loop(det, xs):
    hits, warns = [], []
    for i, x in enumerate(np.asarray(xs).tolist()):
        if det.update(x):
            hits.append(i)
        if det.warning_detected:
            warns.append(i)
    return hits, warns


def feed_in_blocks(det, ref, xs, sizes):
    got, got_warn, want_warn_calls = [], [], []
    start = 0
    i = 0
    while start < xs.shape[0]:
        size = sizes[i % len(sizes)]
        part = xs[start : start + size]
        got += (det.update_many(part) + start).tolist()
        got_warn += (det.warnings_ + start).tolist()
        want_warn_calls.append(det.warning_detected)
        start += part.shape[0]
        i += 1
    want, want_warn = loop(ref, xs)
    return got, want, got_warn, want_warn


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    n=st.integers(1, 6000),
    rates=st.lists(
        st.sampled_from([0.0, 0.01, 0.05, 0.1, 0.2, 0.5, 0.9, 1.0]), min_size=1, max_size=6
    ),
    sizes=st.lists(st.integers(1, 300), min_size=1, max_size=4),
    two_sided=st.booleans(),
    loose=st.booleans(),
)
def test_property_short_blocks_equal_the_update_loop(seed, n, rates, sizes, two_sided, loose):
    # replay-sized calls, with and without cut points in a block, drifts and
    # warnings: the detections, warnings and full state of the update loop
    kw = {"alpha": 0.05, "warning_alpha": 0.2} if loose else {}
    det = HDDM_A(two_sided_test=two_sided, **kw)
    ref = HDDM_A(two_sided_test=two_sided, **kw)
    xs = piecewise_errors(n, rates, seed)
    got, want, got_warn, want_warn = feed_in_blocks(det, ref, xs, sizes)
    assert got == want
    assert got_warn == want_warn
    assert det == ref
    assert det.warning_detected == ref.warning_detected


def test_replay_like_stream_takes_every_path_and_equals_the_loop(monkeypatch):
    # a long stable stream with a rise, in blocks of 100 (replay's default):
    # blocks without a cut point (quiet and not), blocks with one, warnings
    # and a detection; the shortcuts must all be taken and agree with update
    calls = {"quiet": 0, "not_quiet": 0, "cuts": 0}
    quiet, side = _hddm._quiet_block, _hddm._side

    def spy_quiet(*args):
        out = quiet(*args)
        calls["quiet" if out else "not_quiet"] += 1
        return out

    def spy_side(*args):
        out = side(*args)
        calls["cuts"] += out[2] is not None
        return out

    monkeypatch.setattr(_hddm, "_quiet_block", spy_quiet)
    monkeypatch.setattr(_hddm, "_side", spy_side)
    for two_sided in (False, True):
        xs = piecewise_errors(60_000, [0.05] * 6 + [0.08, 0.12, 0.05, 0.3], seed=11)
        det, ref = HDDM_A(two_sided_test=two_sided), HDDM_A(two_sided_test=two_sided)
        got, want, got_warn, want_warn = feed_in_blocks(det, ref, xs, [100])
        assert got == want
        assert got_warn == want_warn
        assert det == ref
        assert want  # a detection was tested
        assert want_warn  # and warnings
    assert all(calls.values()), calls


def dense_side(mean, n, inv_n, n_cut, mean_cut, increase, log_drift, log_warn):
    """update's tests on every position, as update computes them (no screen)."""
    drift = np.zeros(mean.shape[0], dtype=bool)
    warn = np.zeros(mean.shape[0], dtype=bool)
    for t in range(mean.shape[0]):
        nt, nc = n[t], n_cut[t]
        if nc == nt:
            continue
        diff = mean[t] - mean_cut[t] if increase else mean_cut[t] - mean[t]
        m = (nt - nc) / nc * inv_n[t]
        if diff >= math.sqrt(m / 2 * log_drift):
            drift[t] = True
        elif diff >= math.sqrt(m / 2 * log_warn):
            warn[t] = True
    return drift, warn


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    m=st.integers(1, 150),
    n0=st.integers(1, 5000),
    rate=st.sampled_from([0.0, 0.05, 0.2, 0.5, 0.8, 1.0]),
    carried_frac=st.floats(0.0, 1.0),
    carried_rate=st.sampled_from([0.0, 0.02, 0.1, 0.3, 0.6, 1.0]),
    increase=st.booleans(),
    alpha=st.sampled_from([1e-6, 1e-3, 0.05, 0.3]),
    ratio=st.sampled_from([1.0, 2.0, 5.0]),
    beyond=st.booleans(),
)
def test_property_side_equals_unscreened_tests(
    seed, m, n0, rate, carried_frac, carried_rate, increase, alpha, ratio, beyond
):
    # _side (and _quiet_block within it) against update's tests at every
    # position, for carried cut points anywhere before the block and blocks
    # with and without cut points of their own
    rng = np.random.default_rng(seed)
    log_cut = math.log(1.0 / alpha)
    log_drift = math.log(2.0 / alpha)
    log_warn = math.log(2.0 / min(alpha * ratio, 0.999))
    n_carried = max(1, round(carried_frac * n0))
    k_carried = round(carried_rate * n_carried)
    k0 = k_carried + int(rng.binomial(n0 - n_carried, carried_rate))
    block = (rng.random(m) < rate).astype(np.float64)
    k = np.cumsum(block) + k0
    n = np.arange(n0 + 1, n0 + 1 + m, dtype=np.float64)
    inv_n = 1.0 / n
    eps = np.sqrt(inv_n * (0.5 * log_cut))
    means = np.empty(m + 1)
    np.divide(k, n, out=means[1:])
    mean = means[1:].copy()
    carried_mean = k_carried / n_carried
    carried_eps = math.sqrt(1.0 / (2 * n_carried) * log_cut)
    values = np.empty(m + 1)
    values[0] = carried_mean + carried_eps if increase else carried_mean - carried_eps
    values[1:] = mean + eps if increase else mean - eps
    if beyond:  # a carried value no element reaches: no cut point in the block
        values[0] = values[1:].min() - 1e-3 if increase else values[1:].max() + 1e-3
    drift, warn, cuts = _hddm._side(
        values, increase, means, n, inv_n, n0, n_carried, k_carried, log_drift, log_warn
    )
    # the cut point of each element, directly
    n_cut = np.empty(m)
    mean_cut = np.empty(m)
    best, best_n, best_mean = values[0], float(n_carried), carried_mean
    for t in range(m):
        v = values[t + 1]
        if (v <= best) if increase else (v >= best):
            best, best_n, best_mean = v, n[t], mean[t]
        n_cut[t], mean_cut[t] = best_n, best_mean
    want_drift, want_warn = dense_side(
        mean, n, inv_n, n_cut, mean_cut, increase, log_drift, log_warn
    )
    event("no cut point in the block" if cuts is None else "cut points in the block")
    event("drift or warning" if want_drift.any() or want_warn.any() else "neither")
    got_drift = np.zeros(m, dtype=bool) if drift is None else drift
    got_warn = np.zeros(m, dtype=bool) if warn is None else warn
    assert got_drift.tolist() == want_drift.tolist()
    assert got_warn.tolist() == want_warn.tolist()
    if cuts is None:
        assert (n_cut == n_carried).all()
    else:
        assert (np.where(cuts[1:] == 0, float(n_carried), cuts[1:] + float(n0)) == n_cut).all()


@settings(max_examples=300, deadline=None)
@given(
    n_cut=st.integers(1, 10**6),
    gap=st.integers(1, 10**4),
    m=st.integers(1, 200),
    mean_cut=st.floats(0.0, 1.0),
    spread=st.floats(-1.0, 0.5),
    increase=st.booleans(),
    log_warn=st.floats(0.01, 50.0),
    seed=st.integers(0, 2**31),
)
def test_property_quiet_block_never_hides_a_warning(
    n_cut, gap, m, mean_cut, spread, increase, log_warn, seed
):
    # True only when no element passes update's warning test (nor, as
    # log_drift >= log_warn, its drift test), here on means placed around
    # the bound
    rng = np.random.default_rng(seed)
    n = np.arange(n_cut + gap, n_cut + gap + m, dtype=np.float64)
    inv_n = 1.0 / n
    bound = np.sqrt((n - n_cut) / n_cut * inv_n / 2 * log_warn)
    offset = bound * (1.0 + spread * rng.random(m))
    mean = mean_cut + offset if increase else mean_cut - offset
    quiet = _hddm._quiet_block(
        mean, increase, mean_cut, float(n_cut), n.item(0), inv_n.item(0), log_warn
    )
    diff = mean - mean_cut if increase else mean_cut - mean
    warns = [
        diff[t] >= math.sqrt((n[t] - n_cut) / n_cut * inv_n[t] / 2 * log_warn) for t in range(m)
    ]
    event("quiet" if quiet else "not quiet")
    if quiet:
        assert not any(warns)


def test_quiet_block_answers_both_ways():
    n = np.arange(1001.0, 1101.0)
    inv_n = 1.0 / n
    flat = np.full(100, 0.1)
    assert _hddm._quiet_block(flat, True, 0.1, 500.0, 1001.0, inv_n.item(0), 5.0)
    assert _hddm._quiet_block(flat, False, 0.1, 500.0, 1001.0, inv_n.item(0), 5.0)
    risen = flat.copy()
    risen[-1] = 0.5
    assert not _hddm._quiet_block(risen, True, 0.1, 500.0, 1001.0, inv_n.item(0), 5.0)
    assert _hddm._quiet_block(risen, False, 0.1, 500.0, 1001.0, inv_n.item(0), 5.0)


def _is_flags(xs) -> bool:
    return bool(np.isin(xs, [0.0, 1.0]).all())


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(
        st.one_of(
            st.sampled_from([0.0, 1.0, -0.0]),
            st.floats(allow_nan=True, allow_infinity=True),
            st.sampled_from([np.nan, np.inf, -np.inf, 5e-324, 1.0 + 2**-52, 1.0 - 2**-53, -1.0]),
        ),
        max_size=40,
    ),
)
def test_property_error_mask_equals_membership(values):
    xs = np.asarray(values, dtype=np.float64)
    mask = _base.error_mask(xs)
    if _is_flags(xs):
        assert mask is not None
        assert mask.tolist() == (xs == 1.0).tolist()
    else:
        assert mask is None


@pytest.mark.parametrize(
    "xs",
    [
        np.array([0, 1, 1], dtype=np.int64),
        np.array([True, False]),
        np.array([[0.0, 1.0]]),
        [0.0, 1.0],
        np.array([0.0, 1.0], dtype=np.float32),
    ],
)
def test_error_mask_refuses_other_inputs(xs):
    assert _base.error_mask(xs) is None
