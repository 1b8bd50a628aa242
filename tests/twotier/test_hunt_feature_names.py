"""Hunt: TwoTier fitted on a DataFrame, then given a frame with other columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.twotier import TwoTier

RNG = np.random.default_rng(1)
X = RNG.normal(size=(300, 2))
Y = (X[:, 0] > 0).astype(int)
KEYS = RNG.integers(0, 3, 300)
DF = pd.DataFrame(X, columns=["a", "b"])


def _model():
    return TwoTier(LogisticRegression()).fit(DF, Y)


def test_names_are_recorded():
    m = _model()
    assert m.feature_names_in_.tolist() == ["a", "b"]
    # refit on an array forgets them
    assert not hasattr(m.fit(X, Y), "feature_names_in_")


def test_same_columns_or_an_array_are_accepted():
    m = _model()
    want = m.global_model_.predict_proba(X[:5])
    np.testing.assert_allclose(m.predict_proba(DF[:5]), want)
    np.testing.assert_allclose(m.predict_proba(X[:5]), want)


@pytest.mark.parametrize(
    ("call", "frame"),
    [
        # the columns were read by position: swapped columns gave other
        # probabilities without a word
        ("predict_proba", DF[["b", "a"]]),
        ("predict", DF[["b", "a"]]),
        ("partial_fit", DF[["b", "a"]]),
        ("predict_proba", DF.rename(columns={"b": "c"})),
    ],
)
def test_other_column_names_are_refused(call, frame):
    m = _model()
    args = (frame[:10], Y[:10], KEYS[:10]) if call == "partial_fit" else (frame[:10],)
    with pytest.raises(
        InvalidParameterError,
        match=r"'X' parameter of TwoTier\.(predict_proba|partial_fit) must be a table with "
        r"the columns \['a', 'b'\] seen in fit, in that order",
    ):
        getattr(m, call)(*args)
