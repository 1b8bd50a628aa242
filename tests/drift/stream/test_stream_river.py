"""Exact agreement with River 0.26.1: same parameters, same detection indices.

River is an optional oracle (``pip install river==0.26.1``); these tests skip
when it is absent. Streams: 12 seeded streams per kind (binary and real-valued;
abrupt, gradual and no change), 10,000 points each; parameter variants run
on a subset of 4 of them to keep the suite fast.
"""

from __future__ import annotations

import pytest

from mllifecycle.datasets import bernoulli_stream, mean_shift_stream
from mllifecycle.drift.stream import DDM, EDDM, HDDM_A, HDDM_W, PageHinkley

river = pytest.importorskip("river")
from river import drift as rdrift  # noqa: E402

pytestmark = pytest.mark.oracle

N = 10_000


def binary_streams():
    out = []
    for seed in range(4):  # abrupt
        out.append(bernoulli_stream(N, [0.1, 0.3, 0.15], [3500, 7000], rng=seed).values)
    for seed in range(4, 7):  # gradual
        out.append(
            bernoulli_stream(
                N, [0.2, 0.45, 0.1], [3000, 7000], gradual_width=1500, rng=seed
            ).values
        )
    for seed in range(7, 10):  # no change
        out.append(bernoulli_stream(N, [0.25], [], rng=seed).values)
    return out


def real_streams():
    out = []
    for seed in range(4):
        out.append(
            mean_shift_stream(N, [3500, 7000], means=[0.0, 1.0, -0.5], rng=seed).values
        )
    for seed in range(4, 7):
        out.append(
            mean_shift_stream(
                N, [3000, 7000], means=[0.0, 2.0, 0.0], gradual_width=2000, rng=seed
            ).values
        )
    for seed in range(7, 10):
        out.append(mean_shift_stream(N, [], means=[0.5], sigma=0.2, rng=seed).values)
    return out


BINARY = binary_streams()
REAL = real_streams()
SUBSET = [0, 4, 7, 9]  # abrupt, gradual, no change, no change


def run_river(det, xs, *, binary, warnings):
    drifts, warns = [], []
    for i, x in enumerate(xs.tolist()):
        det.update(int(x) if binary else x)
        if det.drift_detected:
            drifts.append(i)
        if warnings and det.warning_detected:
            warns.append(i)
    return drifts, warns


def run_ours_loop(det, xs, *, warnings):
    drifts, warns = [], []
    for i, x in enumerate(xs.tolist()):
        if det.update(x):
            drifts.append(i)
        if warnings and det.warning_detected:
            warns.append(i)
    return drifts, warns


BINARY_CASES = [
    ("DDM", lambda: rdrift.binary.DDM(), lambda: DDM()),
    (
        "DDM-tight",
        lambda: rdrift.binary.DDM(
            warm_start=50, warning_threshold=1.5, drift_threshold=2.5
        ),
        lambda: DDM(grace_period=50, warning_threshold=1.5, drift_threshold=2.5),
    ),
    ("EDDM", lambda: rdrift.binary.EDDM(), lambda: EDDM()),
    (
        "EDDM-other",
        lambda: rdrift.binary.EDDM(warm_start=10, alpha=0.9, beta=0.8),
        lambda: EDDM(grace_period=10, warning_ratio=0.9, drift_ratio=0.8),
    ),
    ("HDDM_A", lambda: rdrift.binary.HDDMA(), lambda: HDDM_A()),
    (
        "HDDM_A-two-sided",
        lambda: rdrift.binary.HDDMA(
            drift_confidence=0.01, warning_confidence=0.05, two_sided_test=True
        ),
        lambda: HDDM_A(alpha=0.01, warning_alpha=0.05, two_sided_test=True),
    ),
    ("HDDM_W", lambda: rdrift.binary.HDDMW(), lambda: HDDM_W()),
    (
        "HDDM_W-two-sided",
        lambda: rdrift.binary.HDDMW(lambda_val=0.1, two_sided_test=True),
        lambda: HDDM_W(smoothing_factor=0.1, two_sided_test=True),
    ),
]


@pytest.mark.parametrize(
    ("name", "make_river", "make_ours"), BINARY_CASES, ids=[c[0] for c in BINARY_CASES]
)
def test_binary_detectors_match_river_exactly(name, make_river, make_ours):
    total = 0
    variant = "-" in name
    for i, xs in enumerate(BINARY):
        if variant and i not in SUBSET:
            continue
        expected, expected_warn = run_river(
            make_river(), xs, binary=True, warnings=True
        )
        det = make_ours()
        got_many = det.update_many(xs).tolist()
        if i in SUBSET:
            got_loop, got_warn = run_ours_loop(make_ours(), xs, warnings=True)
            assert got_loop == expected, name
            assert got_warn == expected_warn, name
        assert got_many == expected, name
        assert det.warnings_.tolist() == expected_warn, name
        total += len(expected)
    assert total > 0  # the streams with changes do trigger detections


PH_CASES = [
    ({}, "defaults"),
    ({"mode": "up"}, "up"),
    ({"mode": "down"}, "down"),
    ({"threshold": 10.0, "delta": 0.05, "alpha": 0.999, "min_instances": 10}, "tuned"),
]
# River's names -> ours (issue 13 vocabulary)
PH_NAMES = {"alpha": "forgetting_factor", "min_instances": "grace_period"}


def ours_ph(params):
    return PageHinkley(**{PH_NAMES.get(k, k): v for k, v in params.items()})


@pytest.mark.parametrize(("params", "label"), PH_CASES, ids=[c[1] for c in PH_CASES])
def test_page_hinkley_matches_river_exactly(params, label):
    total = 0
    for i, xs in enumerate(REAL):
        if params and i not in SUBSET:
            continue
        expected, _ = run_river(
            rdrift.PageHinkley(**params), xs, binary=False, warnings=False
        )
        got_many = ours_ph(params).update_many(xs).tolist()
        if i in SUBSET:
            got_loop, _ = run_ours_loop(ours_ph(params), xs, warnings=False)
            assert got_loop == expected
        assert got_many == expected
        total += len(expected)
    assert total > 0


def test_river_restart_semantics_after_drift():
    """After a detection the next value starts a fresh detector (River's reset)."""
    xs = BINARY[0]
    det = DDM()
    hits = det.update_many(xs)
    assert hits.shape[0] >= 1
    first = int(hits[0])
    fresh = DDM()
    rest = fresh.update_many(xs[first + 1 :])
    assert (rest + first + 1).tolist() == hits[1:].tolist()
