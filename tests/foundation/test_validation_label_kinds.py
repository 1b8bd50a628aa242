"""The shared "labels of one kind" check (``mllifecycle._validation``).

Text, numbers and booleans are three kinds: ``1`` and ``"1"`` are not one
class, nor are ``True`` and ``1`` (equal in Python and NumPy), while ints and
floats of any NumPy or Python type are all numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mllifecycle._validation import (
    check_labels_of_one_kind,
    check_same_label_kind,
    label_kind,
    label_kinds,
)
from mllifecycle.exceptions import InvalidParameterError


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("a", "text"),
        (np.str_("a"), "text"),
        (b"a", "bytes"),
        (np.bytes_(b"a"), "bytes"),
        (True, "booleans"),
        (np.bool_(False), "booleans"),
        (1, "numbers"),
        (1.5, "numbers"),
        (np.int64(1), "numbers"),
        (np.uint8(1), "numbers"),
        (np.float32(0.5), "numbers"),
        (Decimal("1.5"), "numbers"),
        (Fraction(1, 2), "numbers"),
        (float("nan"), "numbers"),
        (np.datetime64("2024-01-01"), "datetimes"),
        (dt.date(2024, 1, 1), "datetimes"),
        (dt.datetime(2024, 1, 1), "datetimes"),
        (np.timedelta64(1, "D"), "durations"),  # a NumPy integer type, yet not a number
        (dt.timedelta(days=1), "durations"),
        (None, "NoneType"),
        ((1, 2), "tuple"),
    ],
)
def test_label_kind(value, kind):
    assert label_kind(value) == kind


@pytest.mark.parametrize(
    ("values", "kinds"),
    [
        (np.array([0, 1]), {"numbers": 0}),
        (np.array([0.5, 1.0]), {"numbers": 0.5}),
        (np.array([True, False]), {"booleans": True}),
        (np.array(["b", "a"]), {"text": "b"}),
        (np.array([b"b"]), {"bytes": b"b"}),
        (np.array(["2024-01-01"], dtype="datetime64[D]"), {"datetimes": dt.date(2024, 1, 1)}),
        (np.array([1], dtype="timedelta64[D]"), {"durations": dt.timedelta(days=1)}),
        (np.array([], dtype=int), {}),
        ([], {}),
        (np.array([1, "1", True, 2.0], dtype=object),
         {"numbers": 1, "text": "1", "booleans": True}),
        ((v for v in ["a", 1]), {"text": "a", "numbers": 1}),
    ],
)
def test_label_kinds_keeps_the_first_label_of_each_kind_in_order(values, kinds):
    got = label_kinds(values)
    assert got == kinds
    assert list(got) == list(kinds)


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ([1, "1"], r"numbers and text \(1 and '1'\)"),
        (["1", 1], r"text and numbers \('1' and 1\)"),
        ([True, 1], r"booleans and numbers \(True and 1\)"),
        ([1, np.int64(1), True], r"numbers and booleans \(1 and True\)"),
        # NumPy scalars are shown as the Python values they hold
        ([np.bool_(True), np.int64(0)], r"booleans and numbers \(True and 0\)"),
        ([np.str_("a"), np.float32(0.5)], r"text and numbers \('a' and 0\.5\)"),
        ([b"a", "a"], r"bytes and text \(b'a' and 'a'\)"),
        ([0, "a", True], r"numbers and text \(0 and 'a'\)"),
        (np.array([0.0, "x"], dtype=object), r"numbers and text \(0.0 and 'x'\)"),
    ],
)
def test_two_kinds_are_refused_naming_the_argument_and_two_examples(values, shown):
    with pytest.raises(
        InvalidParameterError,
        match=r"^The 'y' parameter of fit must be labels of one kind \(all text, all numbers "
        rf"or all booleans\)\. Got {shown} instead\.$",
    ):
        check_labels_of_one_kind(values, "y", "fit")


def test_expected_wording_is_the_callers():
    with pytest.raises(InvalidParameterError, match=r"'answers' parameter must be votes .* Got"):
        check_labels_of_one_kind([1, "1"], "answers", expected="votes of one kind")


@pytest.mark.parametrize(
    "values",
    [
        [0, 1, 1],
        ["a", "b"],
        [True, False],
        [np.int64(1), 2, np.int32(0)],
        [0.0, 1.0, 1],
        [np.float32(0.5), 0.25, Decimal("1")],
        np.array([0, 1]),
        np.array(["a", "b"], dtype=object),
    ],
)
def test_one_kind_passes(values):
    assert len(check_labels_of_one_kind(values, "y")) == 1


def test_same_kind_across_arguments():
    ints, text = label_kinds(np.array([0, 1])), label_kinds(np.array(["0", "1"]))
    check_same_label_kind(ints, "y_pred", label_kinds([1.0, 0.0]), "y_true", "score")
    check_same_label_kind({}, "y_pred", ints, "y_true")  # an empty side passes
    with pytest.raises(
        InvalidParameterError,
        match=r"^The 'y_pred' parameter of score must be labels of the same kind as "
        r"'y_true''s \(numbers, such as 0; convert one of them\)\. Got text such as '0' "
        r"instead\.$",
    ):
        check_same_label_kind(text, "y_pred", ints, "y_true", "score")
    with pytest.raises(InvalidParameterError, match=r"'b' .* as 'a''s \(booleans, such as True"):
        check_same_label_kind(ints, "b", label_kinds([True]), "a")


# one strategy per kind: Python and NumPy scalars alike
_KINDS = {
    "text": st.text("ab01 ", max_size=3) | st.text("ab01 ", max_size=3).map(np.str_),
    "numbers": (
        st.integers(-(2**63), 2**63 - 1)
        | st.integers(-(2**63), 2**63 - 1).map(np.int64)
        | st.integers(0, 255).map(np.uint8)
        | st.floats(allow_nan=False)
        | st.floats(allow_nan=False, width=32).map(np.float32)
    ),
    "booleans": st.booleans() | st.booleans().map(np.bool_),
}
_ONE_KIND = st.sampled_from(sorted(_KINDS)).flatmap(
    lambda k: st.lists(_KINDS[k], min_size=1, max_size=10)
)
# the machine may be busy with the rest of the suite: slow draws are not failures
_SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(values=_ONE_KIND, as_array=st.booleans())
def test_property_labels_of_one_kind_pass(values, as_array):
    if as_array:
        arr = np.empty(len(values), dtype=object)
        arr[:] = values
        values = arr
    kinds = check_labels_of_one_kind(values, "y", "fit")
    assert len(kinds) == 1
    assert next(iter(kinds.values())) is values[0]


@_SETTINGS
@given(
    data=st.data(),
    pair=st.sampled_from([(a, b) for a in _KINDS for b in _KINDS if a != b]),
)
def test_property_labels_of_two_kinds_are_refused(data, pair):
    first, second = pair
    a = data.draw(st.lists(_KINDS[first], min_size=1, max_size=10))
    b = data.draw(st.lists(_KINDS[second], min_size=1, max_size=10))
    values = data.draw(st.permutations(a + b))
    with pytest.raises(InvalidParameterError) as info:
        check_labels_of_one_kind(values, "y", "fit")
    message = str(info.value)
    assert message.startswith("The 'y' parameter of fit must be labels of one kind")
    shown = re.search(r"Got (\w+) and (\w+) \(", message)
    assert shown is not None
    # the kinds in the order they come, the first one that of the first label
    assert shown.group(1) == label_kind(values[0])
    assert {shown.group(1), shown.group(2)} == {first, second}
