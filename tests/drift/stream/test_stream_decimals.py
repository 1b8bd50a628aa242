"""Decimal values: ``update`` reads them as ``update_many`` does.

``update_many`` read an object array of Decimals as numbers, while ``update``
refused a Decimal (it is no ``numbers.Real``): the two paths disagreed on one
stream. Decimal NaNs (signalling ones raise in ``==`` and ``float``) are
refused by name, like float NaN.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from mllifecycle.drift.stream import ADWIN, CUSUM, DDM, EDDM, HDDM_A, KSWIN, PageHinkley
from mllifecycle.exceptions import InvalidParameterError

REAL = [PageHinkley, ADWIN, CUSUM, KSWIN]
BINARY = [DDM, EDDM, HDDM_A]


def _loop(det, xs):
    return [i for i, x in enumerate(xs) if det.update(x)]


@pytest.mark.parametrize("make", REAL)
def test_update_reads_decimals_as_update_many_does(make):
    rng = np.random.default_rng(0)
    x = np.r_[rng.normal(0, 1, 600), rng.normal(4, 1, 600)].round(3)
    decimals = [Decimal(str(v)) for v in x.tolist()]
    want = make().update_many(np.array(decimals, dtype=object)).tolist()
    assert want == make().update_many(x).tolist()
    assert _loop(make(), decimals) == want


@pytest.mark.parametrize("make", BINARY)
def test_update_reads_decimal_error_flags(make):
    rng = np.random.default_rng(1)
    e = np.r_[rng.random(1500) < 0.1, rng.random(1500) < 0.5].astype(int)
    want = make().update_many(e.astype(float)).tolist()
    assert _loop(make(), [Decimal(int(v)) for v in e.tolist()]) == want


@pytest.mark.parametrize("make", REAL + BINARY)
@pytest.mark.parametrize("bad", ["NaN", "sNaN", "Infinity"])
def test_decimal_nans_and_infinities_are_refused_by_name(make, bad):
    with pytest.raises(InvalidParameterError, match=r"'x' parameter of \w+\.update must be"):
        make().update(Decimal(bad))
