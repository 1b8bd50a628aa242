"""Protocol conformance, update_many == update, pickling and bad input."""

from __future__ import annotations

import itertools
import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mllifecycle.datasets import bernoulli_stream, mean_shift_stream
from mllifecycle.drift.stream import ADWIN, CUSUM, DDM, EDDM, HDDM_A, HDDM_W, KSWIN, PageHinkley
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.protocols import StreamDetector
from mllifecycle.testing import check_stream_detector

BINARY_FACTORIES = {
    "DDM": DDM,
    "EDDM": EDDM,
    "HDDM_A": HDDM_A,
    "HDDM_A-two": lambda: HDDM_A(two_sided_test=True),
    "HDDM_W": HDDM_W,
    "HDDM_W-two": lambda: HDDM_W(two_sided_test=True, smoothing_factor=0.2),
}
REAL_FACTORIES = {
    "PageHinkley": PageHinkley,
    "PageHinkley-up": lambda: PageHinkley(mode="up", threshold=20.0, forgetting_factor=0.99),
    "CUSUM": CUSUM,
    "CUSUM-down": lambda: CUSUM(mode="down", allowance=0.25, threshold=8.0),
}
ALL = {**BINARY_FACTORIES, **REAL_FACTORIES}

BIN_STREAM = bernoulli_stream(6000, [0.1, 0.4, 0.05], [2000, 4000], rng=3).values
REAL_STREAM = mean_shift_stream(6000, [2000, 4000], means=[0.0, 2.0, -1.0], rng=3).values


def stream_for(name):
    return BIN_STREAM if name in BINARY_FACTORIES else REAL_STREAM


def loop(det, xs):
    return [i for i, x in enumerate(np.asarray(xs).tolist()) if det.update(x)]


@pytest.mark.parametrize("name", list(ALL))
def test_conformance_check_passes(name):
    check_stream_detector(ALL[name], stream_for(name))
    check_stream_detector(ALL[name], stream_for(name), split=777)
    assert isinstance(ALL[name](), StreamDetector)


@pytest.mark.parametrize("name", list(ALL))
def test_update_many_same_state_as_update(name):
    xs = stream_for(name)
    a, b = ALL[name](), ALL[name]()
    hits = a.update_many(xs).tolist()
    assert hits == loop(b, xs)
    assert len(hits) >= 1
    assert a == b  # attrs equality over every state field
    assert pickle.dumps(a.drift_detected) == pickle.dumps(b.drift_detected)
    if hasattr(b, "warning_detected"):
        assert a.warning_detected == b.warning_detected
    # the two continue identically
    tail = xs[: len(xs) // 3]
    assert a.update_many(tail).tolist() == loop(b, tail)


@pytest.mark.parametrize("name", list(BINARY_FACTORIES))
def test_warnings_attribute_matches_warning_flag(name):
    xs = BIN_STREAM
    a, b = ALL[name](), ALL[name]()
    a.update_many(xs)
    flags = []
    for i, x in enumerate(xs.tolist()):
        b.update(x)
        if b.warning_detected:
            flags.append(i)
    assert a.warnings_.tolist() == flags
    assert a.warnings_.dtype == np.intp


@pytest.mark.parametrize("name", list(ALL))
def test_pickle_mid_stream_continues_exactly(name):
    xs = stream_for(name)
    ref = loop(ALL[name](), xs)
    for k in (1, 1999, 2001, 4500):
        det = ALL[name]()
        head = det.update_many(xs[:k]).tolist()
        restored = pickle.loads(pickle.dumps(det))
        assert restored == det
        tail = (restored.update_many(xs[k:]) + k).tolist()
        assert head + tail == ref


@pytest.mark.parametrize("name", list(ALL))
def test_reset_and_empty(name):
    xs = stream_for(name)
    det = ALL[name]()
    first = det.update_many(xs).tolist()
    out = det.update_many(np.array([]))
    assert out.dtype == np.intp
    assert out.shape == (0,)
    assert det.update_many([]).shape == (0,)
    det.reset()
    assert det == ALL[name]()
    assert det.drift_detected is False
    assert det.update_many(xs).tolist() == first


@pytest.mark.parametrize("name", list(ALL))
def test_memory_is_bounded(name):
    """No detector keeps the stream: the pickle size does not grow with it."""
    xs = stream_for(name)
    short, long_ = ALL[name](), ALL[name]()
    short.update_many(xs[:100])
    long_.update_many(np.tile(xs, 3))
    # warnings_ holds the output of the latest call only; an empty call clears it
    short.update_many([])
    long_.update_many([])
    assert len(pickle.dumps(long_)) < len(pickle.dumps(short)) + 64


def test_repr_shows_parameters_not_state():
    text = repr(PageHinkley(threshold=20.0))
    assert "threshold=20.0" in text
    assert "_sum" not in text
    assert "drift_threshold=3.0" in repr(DDM())


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(sorted(BINARY_FACTORIES)),
    bits=st.lists(st.booleans(), min_size=0, max_size=600),
    rate_shift=st.integers(0, 600),
    cuts=st.lists(st.integers(0, 600), max_size=5),
)
def test_property_binary_update_many_equals_loop(name, bits, rate_shift, cuts):
    xs = np.asarray(bits, dtype=float)
    xs[rate_shift:] = np.maximum(xs[rate_shift:], (np.arange(len(xs))[rate_shift:] % 2))
    ref_det = ALL[name]()
    ref = loop(ref_det, xs)
    det = ALL[name]()
    got: list[int] = []
    bounds = [0, *sorted(c for c in cuts if c <= len(xs)), len(xs)]
    for lo, hi in itertools.pairwise(bounds):
        got += (det.update_many(xs[lo:hi]) + lo).tolist()
    assert got == ref
    assert det == ref_det


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(sorted(REAL_FACTORIES)),
    values=st.lists(st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False), max_size=500),
    cuts=st.lists(st.integers(0, 500), max_size=5),
)
def test_property_real_update_many_equals_loop(name, values, cuts):
    xs = np.asarray(values, dtype=float)
    ref_det = ALL[name]()
    ref = loop(ref_det, xs)
    det = ALL[name]()
    got: list[int] = []
    bounds = [0, *sorted(c for c in cuts if c <= len(xs)), len(xs)]
    for lo, hi in itertools.pairwise(bounds):
        got += (det.update_many(xs[lo:hi]) + lo).tolist()
    assert got == ref
    assert det == ref_det


def test_inputs_bool_int_float_agree():
    xs = BIN_STREAM[:3000]
    as_bool = DDM().update_many(xs.astype(bool)).tolist()
    as_int = DDM().update_many(xs.astype(int).tolist()).tolist()
    assert as_bool == as_int == DDM().update_many(xs).tolist()
    det = EDDM()
    for x in xs[:200].astype(bool).tolist():
        det.update(x)
    det2 = EDDM()
    for x in xs[:200].astype(np.int64):
        det2.update(x)  # NumPy integers accepted
    assert det == det2


# ---- bad input ------------------------------------------------------------

BAD_PARAMS = [
    (DDM, {"grace_period": -1}, "grace_period"),
    (DDM, {"grace_period": 2.5}, "grace_period"),
    (DDM, {"drift_threshold": 0.0}, "drift_threshold"),
    (DDM, {"warning_threshold": -1.0}, "warning_threshold"),
    (DDM, {"warning_threshold": 3.0, "drift_threshold": 2.0}, "drift_threshold"),
    (EDDM, {"warning_ratio": 0.8, "drift_ratio": 0.9}, "drift_ratio"),
    (EDDM, {"warning_ratio": 1.5}, "warning_ratio"),
    (EDDM, {"drift_ratio": 0.0}, "drift_ratio"),
    (EDDM, {"grace_period": "30"}, "grace_period"),
    (HDDM_A, {"alpha": 0.0}, "alpha"),
    (HDDM_A, {"alpha": 1.0}, "alpha"),
    (
        HDDM_A,
        {"alpha": 0.01, "warning_alpha": 0.001},
        "warning_alpha",
    ),
    (HDDM_A, {"two_sided_test": "yes"}, "two_sided_test"),
    (HDDM_W, {"smoothing_factor": 0.0}, "smoothing_factor"),
    (HDDM_W, {"smoothing_factor": 1.5}, "smoothing_factor"),
    (HDDM_W, {"warning_alpha": math.nan}, "warning_alpha"),
    (PageHinkley, {"delta": -0.1}, "delta"),
    (PageHinkley, {"threshold": 0.0}, "threshold"),
    (PageHinkley, {"threshold": -5.0}, "threshold"),
    (PageHinkley, {"forgetting_factor": 0.0}, "forgetting_factor"),
    (PageHinkley, {"forgetting_factor": 1.01}, "forgetting_factor"),
    (PageHinkley, {"mode": "sideways"}, "mode"),
    (PageHinkley, {"grace_period": -3}, "grace_period"),
    (CUSUM, {"sigma": 0.0}, "sigma"),
    (CUSUM, {"threshold": -1.0}, "threshold"),
    (CUSUM, {"allowance": -0.5}, "allowance"),
    (CUSUM, {"target": math.inf}, "target"),
    (CUSUM, {"mode": "UP"}, "mode"),
]


@pytest.mark.parametrize(("cls", "params", "param"), BAD_PARAMS)
def test_bad_parameters_raise(cls, params, param):
    with pytest.raises(InvalidParameterError, match=f"'{param}' parameter of {cls.__name__}"):
        cls(**params)


BAD_VALUES = [
    (name, value, "error flag in")
    for name in BINARY_FACTORIES
    for value in (0.5, 2, -1, math.nan, math.inf, "1", None, [1])
] + [
    (name, value, "finite real number")
    for name in REAL_FACTORIES
    for value in (math.nan, math.inf, -math.inf, "1.5", None, True, [1.0])
]


@pytest.mark.parametrize(("name", "value", "message"), BAD_VALUES)
def test_bad_value_to_update_raises(name, value, message):
    det = ALL[name]()
    with pytest.raises(InvalidParameterError, match=message):
        det.update(value)
    assert det == ALL[name]()  # the state is untouched


BAD_ARRAYS = [
    (name, xs, message)
    for name in BINARY_FACTORIES
    for xs, message in (
        ([0, 1, 0.5], "binary values in"),
        ([0, 1, 2], "binary values in"),
        ([0, math.nan], "NaN"),
        (np.zeros((3, 2)), "1-D array"),
        (np.float64(1.0), "1-D array"),
        (["a", "b"], "numeric"),
    )
] + [
    (name, xs, message)
    for name in REAL_FACTORIES
    for xs, message in (
        ([0.0, math.nan], "NaN"),
        ([0.0, math.inf], "finite"),
        (np.zeros((3, 2)), "1-D array"),
        (np.zeros((1, 1, 1)), "1-D array"),
        (["x"], "numeric"),
    )
]


@pytest.mark.parametrize(("name", "xs", "message"), BAD_ARRAYS)
def test_bad_array_to_update_many_raises(name, xs, message):
    det = ALL[name]()
    with pytest.raises(InvalidParameterError, match=message):
        det.update_many(xs)
    assert det == ALL[name]()


# ---- the vectorised building blocks ------------------------------------------


def naive_first_rise(rows, inits, threshold, start):
    rows = np.atleast_2d(rows)
    for t in range(rows.shape[1]):
        for r in range(rows.shape[0]):
            low = min(inits[r], rows[r, : t + 1].min())
            if t >= start and rows[r, t] - low > threshold:
                return t
    return -1


@pytest.mark.parametrize("name", ["first_rise", "first_rise_blocked"])
@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(0, 5000),
    k=st.integers(1, 2),
    scale=st.floats(0.01, 3.0),
    trend=st.sampled_from([0.0, -0.05, 0.05, -0.5]),
    decimals=st.sampled_from([None, 0, 1]),
    threshold=st.floats(0.0, 40.0),
    start=st.integers(0, 300),
    seed=st.integers(0, 2**32 - 1),
)
def test_first_rise_equals_naive(name, n, k, scale, trend, decimals, threshold, start, seed):
    from mllifecycle.drift.stream import _base

    first_rise = getattr(_base, name)
    rng = np.random.default_rng(seed)
    # random walks, falling ones (CUSUM's sums), rising ones, and ties
    rows = np.cumsum(rng.normal(trend, scale, size=(k, n)), axis=1)
    if decimals is not None:
        rows = np.round(rows, decimals)
    inits = rng.normal(0, 5, size=k)
    if rng.random() < 0.2:
        inits[:] = np.inf  # the state right after a restart
    expected = naive_first_rise(rows, inits, threshold, start) if n <= 1500 else None
    got = first_rise(rows if k == 2 else rows[0], inits if k == 2 else inits[0], threshold, start)
    if expected is None:  # long: compare with a full running minimum
        run = np.minimum(np.minimum.accumulate(rows, axis=1), inits[:, None])
        hits = np.flatnonzero(((rows - run) > threshold).any(axis=0))
        hits = hits[hits >= start]
        expected = int(hits[0]) if hits.size else -1
    assert got == expected


@given(mask=st.lists(st.booleans(), max_size=300))
def test_last_true_index(mask):
    from mllifecycle.drift.stream._base import last_true_index

    m = np.asarray(mask, dtype=bool)
    expected = []
    last = -1
    for i, v in enumerate(mask):
        if v:
            last = i
        expected.append(last)
    assert last_true_index(m).tolist() == expected


@pytest.mark.parametrize("name", list(REAL_FACTORIES))
def test_update_many_refuses_what_update_refuses(name):
    """update() refuses booleans and strings; update_many once parsed ["1.5"]
    as 1.5 and [True, False] as 1.0, 0.0."""
    for xs in (["1.5", "2"], np.array(["1.5"]), [2.0, "1.5"], [True, False], np.array([True])):
        det = ALL[name]()
        with pytest.raises(InvalidParameterError, match=r"'xs' parameter"):
            det.update_many(xs)
        assert det == ALL[name]()
        bad = np.asarray(xs, dtype=object)[-1]  # a string or a bool
        with pytest.raises(InvalidParameterError, match=r"'x' parameter"):
            ALL[name]().update(bad)


@pytest.mark.parametrize("factory", [ADWIN, lambda: KSWIN(rng=0), DDM])
def test_update_many_refuses_numeric_strings(factory):
    det = factory()
    with pytest.raises(InvalidParameterError, match=r"'xs' parameter.*strings"):
        det.update_many(["1", "0"])
