"""check_binary: a flag is 0 or 1 exactly, not after rounding to float64."""

from __future__ import annotations

import decimal
import fractions

import numpy as np
import pytest

from mllifecycle._validation import check_binary
from mllifecycle.exceptions import InvalidParameterError


@pytest.mark.parametrize(
    "values",
    [
        np.array([0, 1, np.longdouble("1e-400")], dtype=np.longdouble),
        np.array([1, 1 + np.longdouble(2) ** -60], dtype=np.longdouble),
        [0, fractions.Fraction(1, 10**400)],
        [1, decimal.Decimal("1e-400")],
    ],
    ids=["longdouble tiny", "longdouble near 1", "Fraction", "Decimal"],
)
def test_values_that_only_round_to_a_flag_are_refused(values):
    if np.asarray(values).dtype == np.float64:  # pragma: no cover - no long double here
        pytest.skip("long double is float64 on this platform")
    with pytest.raises(InvalidParameterError, match=r"'errors'.*only rounds to"):
        check_binary(values, "errors", "f")


@pytest.mark.parametrize(
    "values",
    [
        np.array([0, 1, 1], dtype=np.longdouble),
        [fractions.Fraction(0), fractions.Fraction(1)],
        [decimal.Decimal(1), decimal.Decimal(0)],
        np.array([True, 0, 1], dtype=object),
        np.array([0, 1], dtype=np.int8),
    ],
)
def test_exact_flags_of_any_type_are_kept(values):
    assert check_binary(values, "errors", "f").tolist() == [float(v) for v in values]
