"""Short update_many calls (replay's ~100 values) and the input fast paths.

A call of at most ``_WHOLE_CALL`` values is scanned once, without the window
loop, which takes over only after a detection before the call's last value;
HDDM_A and EDDM run that scan without ``numpy.errstate``; float64 input is
checked by two reductions (real values) or two comparisons (0/1 errors).
Every test compares with the element-by-element ``update`` loop:
detections, warnings and every state field (floats bit for bit).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mllifecycle.drift.stream import CUSUM, DDM, EDDM, HDDM_A, HDDM_W, PageHinkley, _base
from mllifecycle.exceptions import InvalidParameterError

BINARY = {
    "DDM": DDM,
    "EDDM": EDDM,
    "HDDM_A": HDDM_A,
    "HDDM_A-two": lambda: HDDM_A(two_sided_test=True),
    "HDDM_A-loose": lambda: HDDM_A(alpha=0.2, warning_alpha=0.4, two_sided_test=True),
    "HDDM_W": HDDM_W,
}
REAL = {
    "PageHinkley": PageHinkley,
    "PageHinkley-dense": lambda: PageHinkley(threshold=5.0, grace_period=3),
    "CUSUM": CUSUM,
}
ALL = {**BINARY, **REAL}


def state_bits(det):
    """Every attrs field (state included), floats as their bit patterns."""
    out = {}
    for name in det.__slots__:
        if name.startswith("__") or name == "warnings_":
            continue
        v = getattr(det, name)
        out[name] = v.hex() if isinstance(v, float) else v
    return out


def loop(det, xs):
    hits, warns = [], []
    for i, x in enumerate(np.asarray(xs).tolist()):
        if det.update(x):
            hits.append(i)
        if getattr(det, "warning_detected", False):
            warns.append(i)
    return hits, warns


def stream(name, n, seed, dense=False):
    rng = np.random.default_rng(seed)
    if name in BINARY:
        rates = [0.05, 0.6, 0.0, 0.9, 0.1] if dense else [0.1, 0.35, 0.02, 0.2]
        edges = np.linspace(0, n, len(rates) + 1).astype(int)
        return (rng.random(n) < np.repeat(rates, np.diff(edges))).astype(np.float64)
    steps = np.repeat(rng.normal(0, 3 if dense else 1, n // 150 + 1), 150)[:n]
    return rng.normal(steps, 1.0)


def assert_calls_match_loop(make, xs, sizes):
    """Feed ``xs`` in calls of the given sizes (cycled); each equals the loop."""
    det, ref = make(), make()
    pos = 0
    hits = []
    for size in itertools.cycle(sizes):
        if pos >= len(xs):
            break
        part = xs[pos : pos + size]
        want, want_warn = loop(ref, part)
        got = det.update_many(part)
        assert got.dtype == np.intp
        assert got.tolist() == want, (pos, size)
        if hasattr(det, "warnings_"):
            assert det.warnings_.tolist() == want_warn, (pos, size)
        assert state_bits(det) == state_bits(ref), (pos, size)
        hits += [pos + h for h in want]
        pos += len(part)
    return hits


@pytest.mark.parametrize("name", list(ALL))
@pytest.mark.parametrize("dense", [False, True])
def test_blocks_of_100_equal_one_long_call_and_the_loop(name, dense):
    # replay's pattern (many calls of 100 values, the short-call path) and
    # one call of everything (the window loop): the same detections, state
    xs = stream(name, 20_000, seed=3, dense=dense)
    by_blocks = assert_calls_match_loop(ALL[name], xs, [100])
    whole = ALL[name]()
    assert whole.update_many(xs).tolist() == by_blocks
    ref = ALL[name]()
    loop(ref, xs)
    assert state_bits(whole) == state_bits(ref)
    if dense:
        assert len(by_blocks) >= 2


@pytest.mark.parametrize("name", list(ALL))
def test_detection_at_the_first_last_and_middle_element_of_a_short_call(name):
    xs = stream(name, 30_000, seed=5, dense=True)
    hits, _ = loop(ALL[name](), xs)
    h = next(h for h in hits if h > 300)
    # the detection as the last, the first, the only, and a middle value of
    # a call of about 100 values (in the middle, the window loop finishes)
    for cuts in ([h - 99, h + 1], [h, h + 100], [h, h + 1], [h - 50, h + 50]):
        det, ref = ALL[name](), ALL[name]()
        bounds = [0, *cuts, len(xs)]
        got = []
        for lo, hi in itertools.pairwise(bounds):
            want, want_warn = loop(ref, xs[lo:hi])
            part = det.update_many(xs[lo:hi]).tolist()
            assert part == want, (cuts, lo, hi)
            if hasattr(det, "warnings_"):
                assert det.warnings_.tolist() == want_warn
            assert state_bits(det) == state_bits(ref)
            got += [lo + i for i in part]
        assert h in got


@pytest.mark.parametrize("name", list(ALL))
def test_many_detections_inside_one_short_call(monkeypatch, name):
    # a short call whose first scan detects early: the window loop takes over
    # from the next value and finds the others (vectorised windows only)
    monkeypatch.setattr(_base, "_SCALAR_GAP", 0)
    xs = stream(name, 4000, seed=8, dense=True)
    hits = assert_calls_match_loop(ALL[name], xs, [_base._WHOLE_CALL])
    assert len(hits) >= 2


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(sorted(ALL)),
    n=st.integers(1, 3000),
    sizes=st.lists(st.integers(1, 300), min_size=1, max_size=4),
    dense=st.booleans(),
    vectorised_only=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_short_calls_equal_loop(name, n, sizes, dense, vectorised_only, seed):
    xs = stream(name, n, seed, dense)
    with pytest.MonkeyPatch.context() as mp:
        if vectorised_only:
            mp.setattr(_base, "_SCALAR_GAP", 0)
        assert_calls_match_loop(ALL[name], xs, sizes)


@pytest.mark.parametrize("name", ["EDDM", "HDDM_A", "HDDM_A-two", "HDDM_A-loose"])
def test_scans_without_errstate_raise_no_floating_point_error(monkeypatch, name):
    # these detectors skip numpy.errstate on short calls: their scans must not
    # divide by zero, overflow or make NaN (all="raise" turns any into an error)
    monkeypatch.setattr(_base, "_SCALAR_GAP", 0)
    assert ALL[name]()._needs_errstate is False
    for seed, dense in itertools.product(range(4), [False, True]):
        xs = stream(name, 6000, seed, dense)
        xs[:200] = 1.0  # errors only, then none: distances, variances of zero
        xs[200:700] = 0.0
        with np.errstate(all="raise"):
            assert_calls_match_loop(ALL[name], xs, [1, 2, 100, 997])


@pytest.mark.parametrize("name", list(BINARY))
@pytest.mark.parametrize(
    ("bad", "message"),
    [(0.5, "binary values in"), (2.0, "binary values in"), (-1.0, "binary values in"),
     (np.nan, "NaN"), (np.inf, "finite")],
)
@pytest.mark.parametrize("n", [100, 10_000])
def test_bad_value_in_a_float64_array_is_refused(name, bad, message, n):
    xs = np.zeros(n)
    xs[::5] = 1.0
    xs[n // 2] = bad
    det = ALL[name]()
    with pytest.raises(InvalidParameterError, match=message):
        det.update_many(xs)
    assert det == ALL[name]()


@pytest.mark.parametrize("name", list(REAL))
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", [0, 57, 99])
def test_non_finite_value_in_a_float64_array_is_refused(name, bad, where):
    xs = np.linspace(-1.0, 1.0, 100)
    xs[where] = bad
    det = ALL[name]()
    with pytest.raises(InvalidParameterError, match=r"NaN|finite"):
        det.update_many(xs)
    assert det == ALL[name]()


@pytest.mark.parametrize("name", list(ALL))
def test_strided_and_signed_zero_float64_input(name):
    # a strided view and -0.0 (an error flag of 0; a real value whose sign
    # matters to the running sum) take the fast checks like any float64 array
    xs = stream(name, 4000, seed=2, dense=True)
    wide = np.repeat(xs, 2)  # xs is wide[::2]
    if name in BINARY:
        wide[wide == 0.0] = -0.0
    view = wide[::2]
    assert not view.flags.c_contiguous
    det, ref = ALL[name](), ALL[name]()
    want, want_warn = loop(ref, view)
    assert det.update_many(view).tolist() == want
    if hasattr(det, "warnings_"):
        assert det.warnings_.tolist() == want_warn
    assert state_bits(det) == state_bits(ref)


def test_short_call_results_are_fresh_arrays():
    # the detections returned by a short call are the caller's to modify
    det = HDDM_A()
    a = det.update_many(np.zeros(100))
    b = det.update_many(np.zeros(100))
    assert a.shape == b.shape == (0,)
    assert a is not b
    assert a.flags.writeable
