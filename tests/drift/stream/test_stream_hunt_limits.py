"""Streaming detectors at the limits: reset and warnings_, flags that only round
to 0/1, and calibrate's bisection with bounds near the float limits."""

from __future__ import annotations

import decimal
import fractions
import math

import numpy as np
import pytest

from mllifecycle.drift.stream import ADWIN, DDM, EDDM, HDDM_A, HDDM_W, KSWIN, calibrate
from mllifecycle.exceptions import InvalidParameterError

WARNING_DETECTORS = [DDM, EDDM, HDDM_A, HDDM_W]


def _errors() -> np.ndarray:
    rng = np.random.default_rng(0)
    p = np.r_[np.full(2000, 0.1), np.full(2000, 0.4)]
    return (rng.random(p.shape[0]) < p).astype(float)


@pytest.mark.parametrize("cls", WARNING_DETECTORS, ids=lambda c: c.__name__)
def test_reset_empties_warnings(cls):
    """reset() goes back to the state right after construction, warnings_ included."""
    det = cls()
    det.update_many(_errors())
    assert det.warnings_.shape[0] > 0  # the stream does reach the warning zone
    det.reset()
    assert det.warnings_.tolist() == []
    assert det.warnings_.dtype == np.intp
    assert det == cls()
    assert not det.warning_detected
    assert not det.drift_detected


_LONG = np.finfo(np.longdouble)
_ROUNDED = [
    pytest.param([fractions.Fraction(1, 10**400), 1, 0], id="Fraction-1e-400"),
    pytest.param([decimal.Decimal("1e-400"), 1, 0], id="Decimal-1e-400"),
    pytest.param([1, fractions.Fraction(10**400 + 1, 10**400)], id="Fraction-1+1e-400"),
    pytest.param(
        np.array([0, 1, np.longdouble("1e-400")], dtype=np.longdouble),
        id="longdouble-1e-400",
        marks=pytest.mark.skipif(
            _LONG.tiny >= np.finfo(np.float64).tiny, reason="long double is a double here"
        ),
    ),
    pytest.param(
        np.array([0, 1, np.longdouble(1) + np.longdouble(2) ** -60], dtype=np.longdouble),
        id="longdouble-1+2**-60",
        marks=pytest.mark.skipif(_LONG.nmant < 60, reason="long double is a double here"),
    ),
]


@pytest.mark.parametrize("cls", WARNING_DETECTORS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("xs", _ROUNDED)
def test_update_many_refuses_flags_that_only_round_to_0_or_1(cls, xs):
    """update() refuses these values; update_many read them as 0 or 1 (float64 rounding)."""
    bad = [v for v in list(xs) if not (v == 0 or v == 1)]
    assert bad  # one value is neither 0 nor 1 ...
    with pytest.raises(InvalidParameterError, match="'x'"):
        cls().update(bad[0])  # ... which update refuses
    with pytest.raises(InvalidParameterError, match=r"'xs'.*only rounds to"):
        cls().update_many(xs)


@pytest.mark.parametrize("cls", WARNING_DETECTORS, ids=lambda c: c.__name__)
def test_update_many_keeps_exact_flags_of_other_types(cls):
    """Exact 0/1 given as long doubles, Fractions, Decimals or mixed objects still work."""
    e = _errors()[:600]
    expected = cls().update_many(e).tolist()
    kinds = [
        e.astype(np.longdouble),
        [fractions.Fraction(int(v)) for v in e],
        [decimal.Decimal(int(v)) for v in e],
        np.array([bool(v) if i % 2 else int(v) for i, v in enumerate(e)], dtype=object),
    ]
    for xs in kinds:
        assert cls().update_many(xs).tolist() == expected


class _LogAlarms:
    """A user's detector whose alarms grow with its parameter: about log10(value) - shift."""

    def __init__(self, value: float, shift: float) -> None:
        self.value = value
        self.shift = shift
        self.drift_detected = False

    def update(self, x: float) -> bool:  # pragma: no cover - update_many is used
        return False

    def reset(self) -> None:  # pragma: no cover
        pass

    def update_many(self, xs: np.ndarray) -> np.ndarray:
        if self.value <= 0.0:  # outside any positive bounds: very quiet
            return np.zeros(0, dtype=np.intp)
        k = int(min(len(xs), max(0.0, math.log10(self.value) - self.shift)))
        return np.arange(k, dtype=np.intp)


def _calibrate(bounds, shift):
    return calibrate(
        lambda v: _LogAlarms(v, shift), "delta", target_false_alarm_rate=1e-2,
        bounds=bounds, generator=lambda rng, n: rng.standard_normal(n),
        n_samples=1000, rng=0,
    )


@pytest.mark.parametrize(
    ("bounds", "shift"),
    [
        ((1e-300, 1e-200), -260.0),  # the geometric mean's product underflowed to 0
        ((1e200, 1e300), 240.0),  # ... or overflowed to inf
        ((1e-20, 1e-15), -27.0),  # bounds below 1e-12 were not bisected at all
        ((1e-300, 1e300), -10.0),  # the progress total overflowed (OverflowError)
    ],
)
def test_calibrate_bisects_bounds_near_the_float_limits(bounds, shift):
    """At most 10 alarms in 1,000 points: the answer is just below 10**(shift + 11)."""
    res = _calibrate(bounds, shift)
    truth = 10.0 ** (shift + 11.0)
    assert bounds[0] <= res.value <= bounds[1]
    assert res.n_alarms <= 10
    assert abs(res.value - truth) <= 2e-3 * truth
    assert res.n_evaluations > 2


def test_calibrate_ordinary_bounds_unchanged():
    """Bisection steps for ordinary bounds are the same as before the limits fix."""
    from mllifecycle.drift.stream._evaluate import _midpoint

    assert _midpoint(1.0, 20.0, True) == math.sqrt(20.0)
    assert _midpoint(-3.0, 5.0, False) == 1.0
    assert _midpoint(1e-300, 1e-200, True) == pytest.approx(1e-250)
    assert _midpoint(1.7e308, 1.6e308, False) == pytest.approx(1.65e308)


def test_evaluate_detector_dataframe_refused_clearly():
    """A DataFrame was read as its column names ("Got 'a' instead"); the error now says why."""
    import pandas as pd

    from mllifecycle.drift.stream import CUSUM, evaluate_detector

    s = np.r_[np.zeros(300), np.full(300, 3.0)]
    df = pd.DataFrame({"a": s, "b": s})
    with pytest.raises(InvalidParameterError, match=r"'streams'.*DataFrame of shape \(600, 2\)"):
        evaluate_detector(CUSUM, df, [[300], [300]], tolerance=50)
    by_column = evaluate_detector(CUSUM, [df[c] for c in df], [[300], [300]], tolerance=50)
    assert by_column.n_streams == 2
    assert by_column.true_positives == 2


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: ADWIN(clock=2**64), id="ADWIN-clock-2**64"),
        pytest.param(lambda: KSWIN(check_every=2**63), id="KSWIN-check_every-2**63"),
        pytest.param(
            lambda: KSWIN(alpha=0.05, window_size=20, stat_size=10, check_every=2**64),
            id="KSWIN-check_every-2**64",
        ),
    ],
)
def test_update_many_with_int_parameters_beyond_int64(make):
    """update() took them; update_many raised IndexError / a NumPy casting error."""
    rng = np.random.default_rng(0)
    x = np.r_[rng.normal(0.3, 0.1, 300), rng.normal(0.6, 0.1, 300)]
    loop = make()
    expected = [i for i, v in enumerate(x.tolist()) if loop.update(v)]
    det = make()
    assert det.update_many(x[:250]).tolist() + (det.update_many(x[250:]) + 250).tolist() \
        == expected
