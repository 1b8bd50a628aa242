"""Keys are checked while the local tier is still empty, as they are once it holds keys.

``predict_proba``/``predict``/``score`` ignored ``keys`` until the first
``partial_fit``: keys of another length (misaligned with ``X``), missing or
fractional keys were accepted, and the same call failed once a key was warm.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.twotier import TwoTier

X = np.random.default_rng(0).normal(size=(100, 2))
Y = (X[:, 0] > 0).astype(int)


@pytest.mark.parametrize(
    ("keys", "match"),
    [
        ([1, 2], r"must be a 1-D sequence of 100 keys \(one per row\)\. Got shape \(2,\)"),
        ([None] * 100, r"must be keys without NaN, None, pd.NA or nulls"),
        (np.full(100, 1.5), r"must be integer or text keys\. Got fractional numbers"),
    ],
)
@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_bad_keys_are_refused_with_or_without_local_state(keys, match, warm):
    model = TwoTier(LogisticRegression()).fit(X, Y)
    if warm:
        model.partial_fit(X[:10], Y[:10], np.arange(10))
    with pytest.raises(InvalidParameterError, match=r"'keys' parameter of TwoTier.predict_proba "
                                                    + match):
        model.predict_proba(X, keys)
    with pytest.raises(InvalidParameterError, match=match):
        model.score(X, Y, keys=keys)


def test_good_keys_on_a_cold_model_give_the_global_answer():
    model = TwoTier(LogisticRegression()).fit(X, Y)
    np.testing.assert_array_equal(model.predict_proba(X, np.arange(100)),
                                  model.global_model_.predict_proba(X))
