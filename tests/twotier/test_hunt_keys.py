"""Hunt: float keys too large for an exact integer."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.twotier import TwoTier

RNG = np.random.default_rng(2)
X = RNG.normal(size=(200, 2))
Y = (X[:, 0] > 0).astype(int)


@pytest.mark.parametrize(
    "keys", [[1e20, 1e20, 2e20, 2e20], [2.0**53 + 2, 1, 2, 3], [-1e19, 1, 2, 3]]
)
def test_float_keys_beyond_exact_integers_are_refused(keys):
    # 1e20 and 2e20 both became -2**63 in the int64 cast: one key, silently
    m = TwoTier(LogisticRegression()).fit(X, Y)
    with pytest.raises(
        InvalidParameterError,
        match=r"'keys' parameter of TwoTier.partial_fit must be integer or text keys "
        r"\(float keys exact as integers, at most 2\*\*53 in size\)",
    ):
        m.partial_fit(X[:4], Y[:4], np.array(keys))
    assert m.n_keys_ == 0


def test_whole_float_keys_within_range_are_the_integer_keys():
    m = TwoTier(LogisticRegression()).fit(X, Y)
    m.partial_fit(X[:4], Y[:4], np.array([2.0**53, 2.0**53, 7.0, 7.0]))
    assert sorted(m._slots) == [7, 2**53]
    assert m.local_state(2**53)["n_samples"] == 2.0


@pytest.mark.parametrize(
    ("keys", "got"),
    [
        ([1 + 2j, 3j, 1 + 2j, 3j], "keys of type complex, which cannot be ordered"),
        ([object(), object(), object(), object()], "keys of type object, which cannot be ordered"),
    ],
)
@pytest.mark.parametrize("method", ["partial_fit", "predict_proba"])
def test_keys_that_cannot_be_sorted_are_a_clear_error(keys, got, method):
    # numpy's unique sorts the keys: a raw "'<' not supported between instances"
    m = TwoTier(LogisticRegression()).fit(X, Y)
    m.partial_fit(X[:4], Y[:4], [1, 1, 2, 2])
    call = (lambda: m.partial_fit(X[:4], Y[:4], keys)) if method == "partial_fit" else (
        lambda: m.predict_proba(X[:4], keys))
    with pytest.raises(
        InvalidParameterError,
        match=rf"'keys' parameter of TwoTier.{method} must be keys of one type that can be "
        rf"ordered \(ints or strings\). Got {got} instead",
    ):
        call()
    assert m.n_keys_ == 2
