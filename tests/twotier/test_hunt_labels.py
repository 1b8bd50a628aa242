"""Hunt: partial_fit labels that cannot be compared with the classes."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.twotier import TwoTier

RNG = np.random.default_rng(3)
X = RNG.normal(size=(100, 2))
Y = (X[:, 0] > 0).astype(int)


@pytest.mark.parametrize(
    ("y", "got"),
    [
        # raised a raw "'<' not supported between instances of 'NoneType' and 'NoneType'"
        (np.array([None, 1], dtype=object), "None"),
        (np.array(["a", 1], dtype=object), "'a'"),
    ],
)
def test_labels_that_cannot_be_compared_with_the_classes_are_refused(y, got):
    m = TwoTier(LogisticRegression()).fit(X, Y)
    with pytest.raises(
        InvalidParameterError,
        match=rf"The 'y' parameter of TwoTier.partial_fit must be labels among the classes "
        rf"\[0, 1\]. Got {got} instead",
    ):
        m.partial_fit(X[:2], y, [1, 2])
    assert m.n_keys_ == 0
