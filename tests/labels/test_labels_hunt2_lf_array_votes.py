"""apply: a row-wise function returning a 0-d NumPy array votes its value."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import ABSTAIN, LabelModel, apply

X = np.array([[1.0], [-1.0], [2.0], [3.0]])


def test_zero_d_array_votes_are_read_as_their_value():
    # np.where on a row's scalar returns a 0-d array: it raised a bare
    # TypeError "unhashable type: 'numpy.ndarray'"
    L = apply([lambda r: np.where(r[0] > 0, 1, ABSTAIN), lambda r: 0 if r[0] < 2.5 else -1], X)
    assert L.values.tolist() == [[1, 0], [-1, 0], [1, 0], [1, -1]]
    assert L.classes.tolist() == [0, 1]
    assert LabelModel(method="majority_vote", rng=0).fit(L).predict(L).shape == (4,)


def test_zero_d_text_votes():
    L = apply([lambda r: np.where(r[0] > 0, "pos", "neg")], X)
    assert L.classes.tolist() == ["neg", "pos"]
    assert L.values[:, 0].tolist() == [1, 0, 1, 1]


def test_an_array_of_votes_from_a_row_wise_function_is_refused_naming_it():
    with pytest.raises(InvalidParameterError, match=r"lfs\[0\].*one vote per example.*shape"):
        apply([lambda r: r], np.ones((3, 2)))
