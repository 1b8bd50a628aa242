"""Leftovers: exact big integers in a fitted Reference, KSWIN's level and the
value equality of ADWIN and KSWIN, and clearer kind errors."""

from __future__ import annotations

import copy
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

from mllifecycle import drift
from mllifecycle.drift.stream import ADWIN, DDM, KSWIN
from mllifecycle.exceptions import DegenerateDataWarning, InvalidParameterError

_rng = np.random.default_rng(11)
_SMALL_R = _rng.integers(0, 100, 300)
_SMALL_C = _rng.integers(40, 140, 200)


def _first(report):
    f = report.features[0]
    return f.statistic, f.p_value, f.drift_detected


# --- Reference keeps integer columns exactly -------------------------------


@pytest.mark.parametrize("sketch", [None, True], ids=["exact", "sketch"])
@pytest.mark.parametrize(
    "make",
    [
        lambda v: (2**60 + v)[:, None],
        lambda v: pd.DataFrame({"id": (2**63 + v.astype(np.uint64))}),
        lambda v: pd.DataFrame({"id": pd.array([2**60 + int(x) for x in v] + [None],
                                               dtype="Int64")}),
        lambda v: {"id": np.array([2**70 + int(x) for x in v], dtype=object)},
    ],
    ids=["int64", "uint64", "Int64-NA", "python-ints"],
)
def test_reference_of_big_integers_gives_detects_answer(make, sketch):
    # the profile was float64: the ints around 2**60 tied in blocks of 256,
    # so the reference saw D = 0.235 (p = 3e-5) where detect saw 0.55 (p = 4e-28)
    ref, cur = make(_SMALL_R), make(_SMALL_C)
    want = drift.ks(_SMALL_R, _SMALL_C)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateDataWarning)
        expected = _first(drift.detect(ref, cur, nan_policy="omit"))
        fitted = drift.Reference.fit(ref, sketch=sketch, nan_policy="omit")
        got = _first(fitted.compare(cur, nan_policy="omit"))
        again = _first(pickle.loads(pickle.dumps(fitted)).compare(cur, nan_policy="omit"))
    assert expected[0] == pytest.approx(want.statistic, rel=1e-12)
    assert got == expected == again


def test_reference_of_big_integers_against_the_same_values_is_no_drift():
    x = (2**60 + _SMALL_R)[:, None]
    report = drift.Reference.fit(x).compare(x[::-1].copy())
    assert _first(report)[0] == 0.0
    assert not report.drift_detected
    # one more id is a different sample, as detect sees it
    y = x.copy()
    y[:150] += 1
    assert _first(drift.Reference.fit(x).compare(y)) == _first(drift.detect(x, y))


def test_merged_int64_and_uint64_profiles_stay_exact():
    # NumPy concatenates int64 with uint64 as float64: the ids tied again
    x = 2**62 + _SMALL_R
    cur = (2**62 + _SMALL_C)[:, None]
    want = _first(drift.detect(x[:, None], cur))
    for sketch in (None, True):
        parts = [
            drift.Reference.fit(x[:150, None].astype(np.int64), sketch=sketch),
            drift.Reference.fit(x[150:, None].astype(np.uint64), sketch=sketch),
        ]
        assert _first(drift.Reference.merge(parts).compare(cur)) == want


def test_reference_of_small_integers_unchanged():
    ref, cur = _SMALL_R[:, None], _SMALL_C[:, None]
    fitted = drift.Reference.fit(ref)
    assert fitted.compare(cur).to_dict() == drift.detect(ref, cur).to_dict()
    assert fitted.compare(cur.astype(float)).to_dict() == drift.detect(ref, cur).to_dict()


# --- KSWIN: a level below the smallest normal float -------------------------


@pytest.mark.parametrize("alpha", [5e-324, 1e-310, np.nextafter(2.2250738585072014e-308, 0)])
def test_kswin_subnormal_alpha_is_refused_by_name(alpha):
    # with a stat_size that reaches it, a subnormal level was accepted: the
    # p-values there keep a few bits (5e-324 stands for up to 7.4e-324), so
    # "p <= level" no longer kept the level
    with pytest.raises(InvalidParameterError, match=r"'alpha' parameter of KSWIN must be at "
                                                    r"least 2\.2250738585072014e-308"):
        KSWIN(alpha=alpha, stat_size=600, window_size=1200)
    KSWIN(alpha=2.2250738585072014e-308, stat_size=600, window_size=1200)  # normal: fine


def test_kswin_horizon_making_the_level_subnormal_names_horizon():
    with pytest.raises(InvalidParameterError, match=r"'horizon' parameter of KSWIN.*"
                                                    r"alpha=1e-300, check_every=600"):
        KSWIN(alpha=1e-300, horizon=600 * 10**9, stat_size=600, window_size=1200)
    assert KSWIN(alpha=1e-300, horizon=600 * 10**5, stat_size=600,
                 window_size=1200).level == pytest.approx(1e-305)


# --- ADWIN and KSWIN compare by value, like the other detectors -------------

_X = np.r_[np.random.default_rng(1).normal(0, 0.1, 400),
           np.random.default_rng(2).normal(0.5, 0.1, 300)]


@pytest.mark.parametrize(
    "make",
    [
        ADWIN,
        KSWIN,
        lambda: KSWIN(rng=np.random.default_rng(3)),
        lambda: KSWIN(rng=np.random.Generator(np.random.MT19937(5))),
        lambda: KSWIN(rng=np.random.SeedSequence(9)),
    ],
    ids=["ADWIN", "KSWIN", "KSWIN-Generator", "KSWIN-MT19937", "KSWIN-SeedSequence"],
)
def test_adwin_kswin_equal_by_value(make):
    det = make()
    assert det == make()
    assert det == copy.deepcopy(det) == pickle.loads(pickle.dumps(det))
    det.update_many(_X[:333])
    saved = pickle.loads(pickle.dumps(det))
    assert det == saved == copy.deepcopy(det)
    assert det != make()  # another state
    det.update_many(_X[333:])
    saved.update_many(_X[333:])
    assert det == saved
    other = copy.deepcopy(det)
    other.update(1.0)
    assert det != other
    # unhashable, as the other (mutable, compared by value) detectors
    assert type(det).__hash__ is None
    assert type(DDM()).__hash__ is None


def test_adwin_kswin_parameters_and_seeds_make_them_differ():
    assert ADWIN(delta=0.01) != ADWIN()
    assert KSWIN(alpha=0.01) != KSWIN()
    assert KSWIN(rng=1) != KSWIN(rng=0)
    # the same draws from an int seed and a Generator seeded alike: equal
    assert KSWIN(rng=0) == KSWIN(rng=np.random.default_rng(0))


# --- kind errors name what the column holds ---------------------------------


def test_bool_against_int_column_is_described_as_booleans():
    ref = pd.DataFrame({"v": np.array([True, False] * 10)})
    cur = pd.DataFrame({"v": np.arange(20)})
    with pytest.raises(InvalidParameterError, match=r"Got booleans \(such as True\) in "
                                                    r"reference's column 'v'"):
        drift.detect(ref, cur)
    with pytest.raises(InvalidParameterError, match=r"Got booleans \(such as True\) in "
                                                    r"column 'v'"):
        drift.Reference.fit(cur).compare(ref)
    with pytest.raises(InvalidParameterError,
                       match=r"Got non-numeric values \(text, such as 'a'\)"):
        drift.detect(cur, pd.DataFrame({"v": ["a", "b"] * 10}))
