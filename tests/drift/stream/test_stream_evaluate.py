"""evaluate_detector, calibrate and the change-point stream generators."""

from __future__ import annotations

import json
import math

import attrs
import numpy as np
import pytest

from mllifecycle.datasets import (
    ChangeStream,
    bernoulli_stream,
    mean_shift_stream,
    variance_shift_stream,
)
from mllifecycle.drift.stream import (
    CUSUM,
    DDM,
    CalibrationResult,
    DetectorEvaluation,
    PageHinkley,
    calibrate,
    evaluate_detector,
)
from mllifecycle.exceptions import InvalidParameterError


class Fixed:
    """A fake detector that reports given indices (to test the scoring)."""

    def __init__(self, hits):
        self.hits = np.asarray(hits, dtype=np.intp)
        self.drift_detected = False

    def update(self, x):
        return False

    def update_many(self, xs):
        return self.hits[self.hits < len(xs)]

    def reset(self):
        pass


# ---- evaluate_detector ------------------------------------------------------


def test_scoring_by_hand():
    # changes at 100 and 500 in a stream of 1000, tolerance 50:
    # 10 -> false alarm; 120 -> TP (delay 20); 130 -> repeat = false alarm;
    # 500 window [500, 550): 600 is outside -> change missed, 600 false alarm.
    ev = evaluate_detector(
        lambda: Fixed([10, 120, 130, 600]), np.zeros(1000), [100, 500], tolerance=50
    )
    assert ev.true_positives == 1
    assert ev.missed == 1
    assert ev.false_alarms == 3
    assert ev.n_detections == 4
    assert ev.delays[0][0] == 20.0
    assert math.isnan(ev.delays[0][1])
    assert ev.mean_delay == 20.0
    assert ev.false_alarm_rate == pytest.approx(3 / 1000)
    assert ev.false_alarms_per_100k == pytest.approx(300.0)
    assert ev.precision == pytest.approx(1 / 4)
    assert ev.recall == pytest.approx(1 / 2)
    assert ev.f1 == pytest.approx(2 * 0.25 * 0.5 / 0.75)


@pytest.mark.parametrize(
    ("hits", "shown"),
    [
        ([600, 120], r"increasing indices in \[0, 999\]"),  # unsorted: 120 was matched after 600
        ([120, 120], r"increasing indices in \[0, 999\]"),  # one detection counted twice
        ([120, 1000], r"increasing indices in \[0, 999\]"),  # past the stream
        ([-1, 120], r"increasing indices in \[0, 999\]"),
        ([120.5], r"1-D array of integer indices"),
        ([[120]], r"1-D array of integer indices"),
    ],
)
def test_a_user_detector_returning_other_than_increasing_indices_is_refused(hits, shown):
    class Raw(Fixed):
        def update_many(self, xs):
            return np.asarray(hits)  # as the user's detector returns them

    with pytest.raises(InvalidParameterError, match=r"'make_detector\(\)' parameter of "
                       r"evaluate_detector must be a detector whose update_many returns .*"
                       + shown):
        evaluate_detector(lambda: Raw([]), np.zeros(1000), [100, 500], tolerance=50)


def test_window_is_truncated_at_next_change():
    # the detection at 105 belongs to the change at 100 only up to 103
    ev = evaluate_detector(
        lambda: Fixed([105]), np.zeros(200), [100, 103], tolerance=50
    )
    assert ev.delays[0][0] != ev.delays[0][0]  # NaN: missed
    assert ev.delays[0][1] == 2.0


def test_multiple_streams_and_change_streams():
    streams = [mean_shift_stream(4000, [2000], means=[0, 1.5], rng=s) for s in range(6)]
    ev = evaluate_detector(lambda: CUSUM(threshold=10.0), streams, tolerance=500)
    assert ev.n_streams == 6
    assert ev.n_samples == 24_000
    assert ev.n_changes == 6
    assert ev.recall == 1.0
    assert 0 < ev.mean_delay < 50
    same = evaluate_detector(
        lambda: CUSUM(threshold=10.0),
        [s.values for s in streams],
        [s.change_points for s in streams],
        tolerance=500,
    )
    assert same.detections == ev.detections


def test_no_change_stream_counts_only_false_alarms():
    s = mean_shift_stream(50_000, [], means=[0.0], rng=1)
    ev = evaluate_detector(lambda: CUSUM(allowance=0.5, threshold=4.0), s, tolerance=100)
    assert ev.n_changes == 0
    assert math.isnan(ev.recall)
    assert math.isnan(ev.mean_delay)
    assert ev.false_alarms == ev.n_detections > 0
    assert ev.precision == 0.0
    # tabular CUSUM k=0.5, h=4: two-sided ARL0 ~ 168 (Montgomery, Table 9.3)
    assert 400 < ev.false_alarms_per_100k < 800


def test_result_is_frozen_jsonable_and_readable():
    ev = evaluate_detector(lambda: Fixed([5]), np.zeros(10), [3], tolerance=5)
    assert isinstance(ev, DetectorEvaluation)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ev.recall = 0.0
    d = ev.to_dict()
    json.dumps(d)
    assert d["precision"] == 1.0
    assert "recall=1" in repr(ev)
    assert "<table>" in ev._repr_html_()


BAD_EVAL = [
    ({"make_detector": 3}, "make_detector"),
    ({"tolerance": 0}, "tolerance"),
    ({"tolerance": 2.5}, "tolerance"),
    ({"change_points": [5, 3]}, "change_points"),
    ({"change_points": [50]}, "change_points"),
    ({"change_points": [[1], [2]]}, "change_points"),
    ({"streams": np.zeros((3, 3)), "change_points": None}, "change_points"),
    ({"streams": [np.zeros(5), np.zeros(5)], "change_points": [[1]]}, "change_points"),
    ({"streams": [], "change_points": []}, "streams"),
    ({"streams": np.array([0.0, np.nan])}, "streams"),
]


@pytest.mark.parametrize(("override", "param"), BAD_EVAL)
def test_evaluate_bad_input(override, param):
    kwargs = {
        "make_detector": CUSUM,
        "streams": np.zeros(10),
        "change_points": [5],
        "tolerance": 3,
    }
    kwargs.update(override)
    with pytest.raises(InvalidParameterError, match=f"'{param}' parameter"):
        evaluate_detector(
            kwargs.pop("make_detector"),
            kwargs.pop("streams"),
            kwargs.pop("change_points"),
            **kwargs,
        )


# ---- calibrate --------------------------------------------------------------


def normal(rng, n):
    return rng.standard_normal(n)


def test_calibrate_cusum_h_matches_montgomery():
    # two-sided k=0.5: ARL0 = 465 at h=5 (Montgomery), so a rate of 1/465
    # per point is met near h=5
    res = calibrate(
        lambda h: CUSUM(allowance=0.5, threshold=h),
        "threshold",
        target_false_alarm_rate=1 / 465,
        bounds=(2.0, 10.0),
        generator=normal,
        n_samples=400_000,
        rtol=1e-3,
        rng=3,
    )
    assert isinstance(res, CalibrationResult)
    assert 4.75 < res.value < 5.25
    assert res.achieved_rate <= res.target_rate
    assert res.n_alarms == round(res.achieved_rate * res.n_samples)
    assert res.achieved_per_100k == pytest.approx(res.achieved_rate * 1e5)
    json.dumps(res.to_dict())
    assert "parameter='threshold'" in repr(res)


@pytest.mark.slow
def test_calibrated_value_holds_out_of_sample():
    """A threshold calibrated on one simulation keeps its rate on fresh data."""
    target = 5e-4
    res = calibrate(
        lambda t: PageHinkley(threshold=t, delta=0.05),
        "threshold",
        target_false_alarm_rate=target,
        bounds=(1.0, 200.0),
        generator=normal,
        rng=0,
    )
    fresh = np.random.default_rng(99).standard_normal(400_000)
    alarms = PageHinkley(threshold=res.value, delta=0.05).update_many(fresh).size
    # ~200 expected alarms (and ~100 in the calibration): allow for the noise
    assert 0.6 * target * fresh.size < alarms < 1.4 * target * fresh.size


def test_calibrate_confidence_type_parameter_and_stationary_stream():
    # for DDM a larger drift_threshold means fewer alarms; here the parameter
    # is passed in reverse (1/threshold) to exercise the other direction
    errors = (np.random.default_rng(5).random(30_000) < 0.2).astype(float)
    res = calibrate(
        lambda inv: DDM(warning_threshold=0.5 / inv, drift_threshold=1.0 / inv),
        "1/drift_threshold",
        target_false_alarm_rate=1e-4,
        bounds=(0.1, 1.0),
        stationary_stream=errors,
        n_samples=100_000,
        block_length=500,
        rtol=1e-2,
        rng=1,
    )
    assert res.achieved_rate <= 1e-4
    assert 0.1 <= res.value <= 1.0


def test_calibrate_reproducible():
    kw = {
        "target_false_alarm_rate": 1e-3,
        "bounds": (1.0, 15.0),
        "generator": normal,
        "n_samples": 50_000,
        "rtol": 1e-2,
    }
    a = calibrate(lambda h: CUSUM(threshold=h), "threshold", rng=4, **kw)
    b = calibrate(lambda h: CUSUM(threshold=h), "threshold", rng=4, **kw)
    assert a.value == b.value


BAD_CAL = [
    ({"target_false_alarm_rate": 0.0}, "target_false_alarm_rate"),
    ({"target_false_alarm_rate": 1.5}, "target_false_alarm_rate"),
    ({"bounds": (5.0, 1.0)}, "bounds"),
    ({"bounds": (1.0,)}, "bounds"),
    ({"bounds": (0.01, 0.02)}, "bounds"),  # even the conservative end alarms
    ({"generator": None}, "stationary_stream"),
    ({"stationary_stream": np.zeros(100)}, "stationary_stream"),
    ({"n_samples": 10}, "n_samples"),
    ({"rtol": 0.0}, "rtol"),
    ({"generator": lambda rng, n: rng.standard_normal(n + 1)}, "generator"),
    ({"parameter": 3}, "parameter"),
]


@pytest.mark.parametrize(("override", "param"), BAD_CAL)
def test_calibrate_bad_input(override, param):
    kwargs = {
        "parameter": "threshold",
        "target_false_alarm_rate": 1e-3,
        "bounds": (1.0, 10.0),
        "generator": normal,
        "n_samples": 1000,
        "rng": 0,
    }
    kwargs.update(override)
    with pytest.raises(
        InvalidParameterError, match=f"'{param}' parameter of calibrate"
    ):
        calibrate(lambda h: CUSUM(threshold=h), kwargs.pop("parameter"), **kwargs)


# ---- datasets ---------------------------------------------------------------


def test_generators_seeded_and_shaped():
    a = mean_shift_stream(1000, [300, 600], means=[0, 5, -5], rng=7)
    b = mean_shift_stream(1000, [300, 600], means=[0, 5, -5], rng=7)
    assert isinstance(a, ChangeStream)
    np.testing.assert_array_equal(a.values, b.values)
    assert a.change_points.tolist() == [300, 600]
    assert a.change_points.dtype == np.intp
    assert len(a) == 1000
    assert abs(a.values[300:600].mean() - 5) < 0.3
    assert abs(a.values[600:].mean() + 5) < 0.3
    v = variance_shift_stream(20_000, [10_000], sigmas=[1.0, 4.0], mean=2.0, rng=1)
    assert abs(v.values[:10_000].std() - 1.0) < 0.05
    assert abs(v.values[10_000:].std() - 4.0) < 0.2
    assert abs(v.values.mean() - 2.0) < 0.1
    e = bernoulli_stream(20_000, [0.1, 0.5], [10_000], rng=2)
    assert set(np.unique(e.values).tolist()) == {0.0, 1.0}
    assert abs(e.values[:10_000].mean() - 0.1) < 0.02
    assert abs(e.values[10_000:].mean() - 0.5) < 0.02
    assert json.dumps(e.to_dict()["levels"]) == "[0.1, 0.5]"
    assert "bernoulli" in repr(e)
    assert "<table>" in e._repr_html_()


def test_gradual_change_ramps_linearly():
    s = bernoulli_stream(400_000, [0.0, 1.0], [100_000], gradual_width=200_000, rng=0)
    ramp = s.values[100_000:300_000].reshape(4, -1).mean(axis=1)
    np.testing.assert_allclose(ramp, [0.125, 0.375, 0.625, 0.875], atol=0.01)
    assert s.values[:100_000].sum() == 0
    assert s.values[300_000:].min() == 1
    m = mean_shift_stream(1000, [500], means=[0, 10], sigma=1e-9, gradual_width=100)
    assert m.values[499] == pytest.approx(0, abs=1e-6)
    assert m.values[549] == pytest.approx(10 * 50 / 101, abs=1e-6)
    assert m.values[600] == pytest.approx(10, abs=1e-6)


def test_default_levels():
    assert mean_shift_stream(100, [50], rng=0).levels == (0.0, 1.0)
    assert variance_shift_stream(100, [30, 60], rng=0).levels == (1.0, 2.0, 1.0)


BAD_GEN = [
    (mean_shift_stream, (0, []), {}, "n_samples"),
    (mean_shift_stream, (100, [0]), {}, "change_points"),
    (mean_shift_stream, (100, [100]), {}, "change_points"),
    (mean_shift_stream, (100, [60, 40]), {}, "change_points"),
    (mean_shift_stream, (100, [40.5]), {}, "change_points"),
    (mean_shift_stream, (100, [50]), {"means": [1.0]}, "means"),
    (mean_shift_stream, (100, [50]), {"sigma": 0.0}, "sigma"),
    (mean_shift_stream, (100, [50]), {"gradual_width": 60}, "gradual_width"),
    (mean_shift_stream, (100, [50]), {"rng": -1}, "rng"),
    (variance_shift_stream, (100, [50]), {"sigmas": [1.0, -1.0]}, "sigmas"),
    (variance_shift_stream, (100, [50]), {"mean": math.nan}, "mean"),
    (bernoulli_stream, (100, [0.1, 1.5], [50]), {}, "rates"),
    (bernoulli_stream, (100, [0.1], [50]), {}, "rates"),
    (bernoulli_stream, (100, [0.1, 0.2], [50]), {"gradual_width": -1}, "gradual_width"),
]


@pytest.mark.parametrize(("fn", "args", "kwargs", "param"), BAD_GEN)
def test_generator_bad_input(fn, args, kwargs, param):
    with pytest.raises(
        InvalidParameterError, match=f"'{param}' parameter of {fn.__name__}"
    ):
        fn(*args, **kwargs)


def test_calibrate_progress_callback_counts_every_run_and_ends_at_total():
    seen = []
    res = calibrate(
        lambda t: CUSUM(threshold=t),
        "threshold",
        target_false_alarm_rate=1e-3,
        bounds=(1.0, 20.0),
        generator=normal,
        n_samples=20_000,
        rtol=1e-2,
        rng=0,
        progress=lambda done, total: seen.append((done, total)),
    )
    totals = {t for _, t in seen}
    assert len(totals) == 1
    (total,) = totals
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-1] == (total, total)
    assert res.n_evaluations <= total
    # one call per detector run, plus at most the final completing call
    assert res.n_evaluations <= len(seen) <= res.n_evaluations + 1
    # the same answer as without progress
    again = calibrate(
        lambda t: CUSUM(threshold=t), "threshold", target_false_alarm_rate=1e-3,
        bounds=(1.0, 20.0), generator=normal, n_samples=20_000, rtol=1e-2, rng=0,
    )
    assert again.value == res.value


@pytest.mark.parametrize("progress", ["yes", 1, None])
def test_calibrate_bad_progress(progress):
    with pytest.raises(InvalidParameterError, match="'progress' parameter of calibrate"):
        calibrate(
            lambda t: CUSUM(threshold=t), "threshold", target_false_alarm_rate=1e-3,
            bounds=(1.0, 20.0), generator=normal, n_samples=1000, rng=0,
            progress=progress,
        )


def test_results_to_metrics_are_flat_floats():
    streams = [mean_shift_stream(3000, [1500], means=[0, 2], rng=s) for s in range(2)]
    ev = evaluate_detector(lambda: CUSUM(threshold=10.0), streams, tolerance=500)
    m = ev.to_metrics()
    assert m["recall"] == ev.recall
    assert m["n_samples"] == 6000.0
    assert m["false_alarms_per_100k"] == ev.false_alarms_per_100k
    assert all(isinstance(v, float) for v in m.values())
    assert "delays" not in m
    assert "detections" not in m
    res = calibrate(
        lambda t: CUSUM(threshold=t), "threshold", target_false_alarm_rate=1e-2,
        bounds=(1.0, 20.0), generator=normal, n_samples=1000, rtol=1e-1, rng=0,
    )
    rm = res.to_metrics()
    assert rm["value"] == res.value
    assert rm["n_alarms"] == float(res.n_alarms)
    assert all(isinstance(v, float) for v in rm.values())
