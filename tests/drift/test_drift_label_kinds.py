"""Category labels of two kinds, NumPy scalars included, are refused by name.

The drift tests share the "labels of one kind" check of ``_validation`` with
the gates and the labels package. NumPy scalars are of the kind of the
values they hold (``np.bool_`` a boolean, ``np.int64`` a number), and a
``np.timedelta64`` is a duration, not a number (it is a NumPy integer type:
an object column of them was "numbers", refused against a timedelta64 column
of the same durations, and merged with the ints ``1``).
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle import drift
from mllifecycle.exceptions import InvalidParameterError


def _objects(values):
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


INTS = np.array([1, 2] * 20)
DAYS = np.array([1, 2] * 20, dtype="timedelta64[D]")
ONE_KIND = r"must be category labels of one kind \(text, numbers or booleans; convert them, " \
    r"e\.g\. with astype\(str\)\)\. "


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: drift.chi_square(_objects([np.bool_(True), np.int64(1)] * 20), INTS),
         rf"'reference' parameter of chi_square {ONE_KIND}"
         r"Got booleans and numbers \(True and 1\)"),
        (lambda: drift.chi_square(INTS, _objects([1, np.int64(2), True] * 20)),
         rf"'current' parameter of chi_square {ONE_KIND}Got numbers and booleans \(1 and True\)"),
        (lambda: drift.psi(INTS, _objects([np.str_("1"), 2] * 20), categorical=True),
         rf"'current' parameter of psi {ONE_KIND}Got text and numbers \('1' and 2\)"),
        (lambda: drift.chi_square(_objects([np.timedelta64(1, "D"), 1] * 20), DAYS),
         rf"'reference' parameter of chi_square {ONE_KIND}Got durations and numbers"),
        (lambda: drift.chi_square(INTS, np.array([True, False] * 20)),
         r"'current' parameter of chi_square must be category labels of the same kind as "
         r"'reference''s \(numbers, such as 1; convert one of them, e\.g\. with astype\(str\)\)\. "
         r"Got booleans such as True"),
        (lambda: drift.Reference.fit({"c": _objects([True, 1, 0, False] * 10)}),
         rf"'reference' parameter of Reference.fit {ONE_KIND}Got booleans and numbers"),
    ],
)
def test_categories_of_two_kinds_are_refused_by_name(call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call()


@pytest.mark.parametrize(
    "current",
    [
        INTS.astype(float),  # 1.0 and 1 are one category
        _objects([np.int64(1), 2] * 20),
        _objects([1.0, np.int32(2)] * 20),
        INTS.astype(np.uint8),
    ],
)
def test_numbers_of_any_type_are_one_kind(current):
    assert drift.chi_square(INTS, current).statistic == 0.0


@pytest.mark.parametrize(
    ("reference", "current"),
    [
        (np.array(["a", "b"] * 20), _objects([np.str_("a"), "b"] * 20)),
        (np.array([True, False] * 20), _objects([np.bool_(True), False] * 20)),
        (DAYS, _objects(list(DAYS))),  # was "numbers" against "durations"
    ],
)
def test_labels_of_one_kind_in_numpy_scalars_are_compared(reference, current):
    assert drift.chi_square(reference, current).statistic == 0.0
