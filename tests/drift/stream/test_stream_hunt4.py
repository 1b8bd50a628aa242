"""Streaming detectors: huge size parameters, constant streams at large
magnitudes, and F1 of an evaluation without detections."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mllifecycle.drift.stream import (
    ADWIN,
    CUSUM,
    DDM,
    EDDM,
    KSWIN,
    PageHinkley,
    evaluate_detector,
)
from mllifecycle.exceptions import InvalidParameterError


def _loop(det, xs):
    return [i for i, v in enumerate(np.asarray(xs).tolist()) if det.update(v)]


# --- KSWIN: a window that cannot be held -------------------------------------


@pytest.mark.parametrize("size", [2**53, 2**63, 2**64, 10**400])
def test_kswin_window_beyond_memory_is_refused_by_name(size):
    # 2**53: NumPy's MemoryError "Unable to allocate 64.0 PiB"; 2**63: its
    # ValueError "Maximum allowed dimension exceeded", at construction
    with pytest.raises(InvalidParameterError,
                       match=r"'window_size' parameter of KSWIN must be small enough "
                             r"for a window of that many float64 values"):
        KSWIN(window_size=size)


def test_kswin_horizon_beyond_the_float_range_names_the_level():
    # horizon=10**400: a bare OverflowError ("int too large to convert to
    # float"), then an error naming stat_size for a level of 0, which no
    # stat_size reaches; the level is below the smallest normal float: horizon
    with pytest.raises(InvalidParameterError, match="'horizon' parameter of KSWIN"):
        KSWIN(horizon=10**400)


# --- size parameters beyond int64/float: update_many as the update loop ------


_X = np.r_[np.random.default_rng(1).normal(0, 0.1, 700),
           np.random.default_rng(2).normal(0.5, 0.1, 700)]
_E = (np.random.default_rng(0).random(3000)
      < np.r_[np.full(1500, 0.1), np.full(1500, 0.6)]).astype(float)


@pytest.mark.parametrize(("make", "xs"), [
    # max_buckets: update_many's arange(1, max_buckets + 1) (MemoryError) or
    # int64 arithmetic (OverflowError) where update works
    (lambda: ADWIN(max_buckets=2**53), _X),
    (lambda: ADWIN(max_buckets=2**64), _X),
    # min_window_length beyond the float range: OverflowError in both paths
    (lambda: ADWIN(min_window_length=10**400), _X),
    (lambda: ADWIN(min_window_length=2**70), _X),
    # grace_period beyond the float range: DDM.update_many's float comparison
    (lambda: DDM(grace_period=10**400), _E),
    (lambda: EDDM(grace_period=10**400), _E),
], ids=["adwin-buckets-2^53", "adwin-buckets-2^64", "adwin-mwl-1e400", "adwin-mwl-2^70",
        "ddm-grace-1e400", "eddm-grace-1e400"])
def test_huge_size_parameters_update_many_equals_update(make, xs):
    many = make()
    one = make()
    assert many.update_many(xs).tolist() == _loop(one, xs)
    assert many.update_many(xs[:10]).tolist() == _loop(one, xs[:10])


def test_adwin_large_max_buckets_detects_as_the_update_loop():
    # max_buckets larger than any row: no compression, same cut as update
    xs = _X
    for mb in (5, 10**4, 2**53):
        many, one = ADWIN(max_buckets=mb), ADWIN(max_buckets=mb)
        assert many.update_many(xs).tolist() == _loop(one, xs) != []
        assert many.width == one.width


# --- Page-Hinkley: a constant stream at a large magnitude --------------------


@pytest.mark.parametrize("value", [1e100, 1.0000000000000003e100, -7e250, 3e300, 1e308])
def test_page_hinkley_constant_stream_at_large_magnitude_has_no_alarm(value):
    # a constant stream deviates by 0 from its mean, so U_t only falls (by
    # delta) and L_t only rises: no alarm at any threshold. The running sum
    # of 1e100s rounded by ~1e84, which exceeded threshold=1 every 30 values
    # (333 false alarms in 10,000 values); River's incremental mean is exact
    xs = np.full(10_000, value)
    assert PageHinkley(threshold=1.0).update_many(xs).tolist() == []
    assert _loop(PageHinkley(threshold=1.0), xs) == []


def test_page_hinkley_step_at_large_magnitude_still_detected_as_update():
    xs = np.r_[np.full(3000, 1e100), np.full(3000, 1.0001e100)]
    many, one = PageHinkley(threshold=1.0), PageHinkley(threshold=1.0)
    assert many.update_many(xs).tolist() == _loop(one, xs) == [3000]


def test_page_hinkley_update_many_state_equals_update_after_shift():
    xs = np.random.default_rng(3).normal(1e6, 0.1, 5000)
    many, one = PageHinkley(), PageHinkley()
    assert many.update_many(xs).tolist() == _loop(one, xs)
    for name in ("_n", "_sum", "_x0", "_u", "_c", "_u_min", "_l_max"):
        assert getattr(many, name) == getattr(one, name), name


def test_page_hinkley_matches_river_on_a_constant_large_stream():
    rdrift = pytest.importorskip("river.drift")
    river = rdrift.PageHinkley(min_instances=30, delta=0.005, threshold=1.0,
                               alpha=1 - 0.0001)
    hits = []
    for i, v in enumerate(np.full(3000, 1e100).tolist()):
        river.update(v)
        if river.drift_detected:
            hits.append(i)
    assert hits == PageHinkley(threshold=1.0).update_many(np.full(3000, 1e100)).tolist()


# --- evaluate_detector: F1 without detections --------------------------------


def _sklearn_f1(ev):
    from sklearn.metrics import f1_score

    tp, fp, fn = ev.true_positives, ev.n_detections - ev.true_positives, ev.missed
    y_true = [1] * tp + [0] * fp + [1] * fn
    y_pred = [1] * tp + [1] * fp + [0] * fn
    if not y_true:
        return math.nan
    return f1_score(y_true, y_pred, zero_division=math.nan)


def test_evaluate_detector_f1_is_zero_when_every_change_is_missed():
    # no detection at all: precision 0/0 is undefined (NaN), recall 0, and F1
    # = 2TP / (2TP + FP + FN) = 0 as in scikit-learn; it was NaN, so
    # to_metrics() dropped it and the blind detector was never ranked last
    rng = np.random.default_rng(0)
    streams = [np.r_[rng.normal(0, 1, 500), rng.normal(3, 1, 500)] for _ in range(3)]
    ev = evaluate_detector(lambda: CUSUM(threshold=1e12), streams, [[500]] * 3,
                           tolerance=200)
    assert ev.n_detections == 0
    assert ev.missed == 3
    assert math.isnan(ev.precision)
    assert ev.recall == 0.0
    assert ev.f1 == 0.0 == _sklearn_f1(ev)
    assert ev.to_metrics()["f1"] == 0.0
    assert ev.to_dict()["f1"] == 0.0


def test_evaluate_detector_f1_is_zero_with_only_false_alarms():
    xs = np.random.default_rng(1).normal(0, 1, 3000)
    ev = evaluate_detector(lambda: CUSUM(threshold=2.0), [xs], [[]], tolerance=100)
    assert ev.n_detections > 0
    assert ev.n_changes == 0
    assert ev.precision == 0.0
    assert math.isnan(ev.recall)
    assert ev.f1 == 0.0 == _sklearn_f1(ev)


def test_evaluate_detector_f1_nan_only_with_nothing_to_score():
    xs = np.random.default_rng(1).normal(0, 1, 500)
    ev = evaluate_detector(lambda: CUSUM(threshold=1e12), [xs], [[]], tolerance=100)
    assert math.isnan(ev.f1)
    assert "f1" not in ev.to_metrics()


@pytest.mark.parametrize("threshold", [2.0, 5.0, 8.0])
def test_evaluate_detector_f1_matches_sklearn(threshold):
    rng = np.random.default_rng(4)
    streams = [np.r_[rng.normal(0, 1, 800), rng.normal(1, 1, 800)] for _ in range(4)]
    ev = evaluate_detector(lambda: CUSUM(threshold=threshold), streams, [[800]] * 4,
                           tolerance=300)
    assert ev.f1 == pytest.approx(_sklearn_f1(ev), rel=1e-12)
    p, r = ev.precision, ev.recall
    assert ev.f1 == pytest.approx(2 * p * r / (p + r), rel=1e-12)


@pytest.mark.parametrize(("cps", "shown"), [
    ([1500, 1000], "Got [1500, 1000] instead"),
    ([1000, 1000], "Got [1000, 1000] instead"),
    ([2.5], "Got [2.5] instead"),
    (list(range(0, 4000, 100)), "Got [0, 100, 200, 300, 400, 500, 600, 700, 800, 900] ..."),
])
def test_evaluate_detector_bad_change_points_shown_as_given(cps, shown):
    # integer change points were echoed as floats ([1500.0, 1000.0]) in a
    # message asking for integer indices
    with pytest.raises(InvalidParameterError, match="strictly increasing integer indices") as err:
        evaluate_detector(CUSUM, [np.zeros(2000)], [cps], tolerance=10)
    assert shown in str(err.value)


# --- KSWIN.update_many: memory of a batch bounded for large windows ---------


def test_kswin_update_many_memory_is_bounded_for_a_large_window():
    # a batch drew and argsorted (up to 1024 checks) x (window_size -
    # stat_size) keys: 24 GB for a window of 10**6 (MemoryError where update
    # works); here 82 MB for a window of 5,000, now about 17 MB
    import tracemalloc

    xs = np.zeros(5000 + 2100)  # ties only: no detection, batches grow
    tracemalloc.start()
    try:
        hits = KSWIN(window_size=5000, stat_size=30, check_every=1).update_many(xs)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert hits.tolist() == []
    assert peak < 40e6


@pytest.mark.parametrize("max_keys", [1, 500, 5000, 1 << 20])
def test_kswin_update_many_same_with_any_batch_cap(monkeypatch, max_keys):
    from mllifecycle.drift.stream import _kswin

    rng = np.random.default_rng(7)
    xs = np.r_[rng.normal(0, 1, 3000), rng.normal(0.8, 1, 3000)]
    one = KSWIN(window_size=300, stat_size=40, check_every=3, rng=5)
    expected = _loop(one, xs)
    monkeypatch.setattr(_kswin, "_MAX_KEYS", max_keys)
    many = KSWIN(window_size=300, stat_size=40, check_every=3, rng=5)
    assert many.update_many(xs).tolist() == expected != []
    assert np.array_equal(many._buf, one._buf)
    assert many._count == one._count
    assert np.array_equal([many.statistic, many.p_value], [one.statistic, one.p_value],
                          equal_nan=True)
    assert many._gen.bit_generator.state == one._gen.bit_generator.state
