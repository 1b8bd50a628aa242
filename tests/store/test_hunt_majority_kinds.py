"""``majority_vote`` refuses flags beside numbers instead of counting ``True`` as ``1``.

``True == 1`` and they hash alike, so ``Counter`` merged them: the answers
``[1, True, 0]`` (one worker said 1, one said True, one said 0) came back as
``(1, 2/3)``, a two-thirds majority nobody gave. The label queue itself
refuses such answers at ``submit``; the public function now does too.
Other kinds never compare equal and are kept apart as before.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import majority_vote

MSG = ("The 'labels' parameter of majority_vote must be labels of one kind (all text, all "
       "numbers or all booleans). Got {} instead.")


@pytest.mark.parametrize(
    ("labels", "got"),
    [
        ([1, True, 0], "numbers and booleans (1 and True)"),
        ([True, 1], "booleans and numbers (True and 1)"),
        ([0, False, 1], "numbers and booleans (0 and False)"),
        ([np.True_, np.int64(1)], "booleans and numbers (True and 1)"),
        ([2.5, False, False], "numbers and booleans (2.5 and False)"),
        (np.array([True, 1], dtype=object), "booleans and numbers (True and 1)"),
    ],
)
def test_flags_beside_numbers_are_refused(labels, got):
    with pytest.raises(InvalidParameterError, match=re.escape(MSG.format(got))):
        majority_vote(labels)


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ([1, 1.0, 0], (1, 2 / 3)),  # equal numbers are one label
        ([True, False, True], (True, 2 / 3)),
        (["a", 1, 1], (1, 2 / 3)),  # "1" != 1: never merged, kept apart as before
        (["dog", "cat", "cat", "dog"], ("dog", 0.5)),  # a tie: the label answered first
        (np.array([1, 0, 1]), (1, 2 / 3)),
    ],
)
def test_one_kind_as_before(labels, expected):
    assert majority_vote(labels) == expected
