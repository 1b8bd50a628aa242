"""Hunt 8: keys given to ``TwoTier.fit`` are checked before the global model is refitted.

They warm the local tier through ``partial_fit`` after the global fit, so bad
keys were refused by "TwoTier.partial_fit" (a call the user never made), and
only after the new global model had replaced the old one and the local tier
had been cleared: a failed ``fit`` changed the model.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.twotier import TwoTier

rng = np.random.default_rng(0)
X = rng.normal(size=(200, 2))
KEYS = rng.integers(0, 5, 200)
Y = (X[:, 0] + 0.5 * (KEYS % 2) > 0.3).astype(int)


def _warm(**params):
    m = TwoTier(LogisticRegression(), tau=2.0, **params).fit(X[:100], Y[:100])
    return m.partial_fit(X[100:], Y[100:], KEYS[100:])


@pytest.mark.parametrize(
    ("params", "keys", "expected", "got"),
    [
        ({"max_keys": 3}, KEYS, r"at most max_keys=3 distinct keys", r"5 distinct keys"),
        ({}, KEYS[:10], r"a 1-D sequence of 200 keys", r"shape \(10,\)"),
        ({}, np.r_[KEYS[:-1].astype(float), np.nan], r"keys without NaN",
         r"1 missing value"),
        ({}, np.r_[KEYS[:-1].astype(float), 0.5], r"integer or text keys",
         r"fractional numbers"),
    ],
    ids=["too-many", "length", "missing", "fractional"],
)
def test_bad_fit_keys_are_refused_by_fit_before_the_model_changes(params, keys, expected, got):
    m = TwoTier(LogisticRegression(), tau=2.0, **params).fit(X[:100], Y[:100])
    m.partial_fit(X[100:], Y[100:], np.minimum(KEYS[100:], m.max_keys - 1))
    before_global = m.global_model_
    before = {k: m.local_state(k) for k in range(5)}
    with pytest.raises(InvalidParameterError,
                       match=rf"'keys' parameter of TwoTier\.fit must be {expected}.*Got {got}"):
        m.fit(X, Y, keys=keys)
    assert m.global_model_ is before_global  # not refitted
    after = {k: m.local_state(k) for k in range(5)}
    for k in range(5):
        if before[k] is None:
            assert after[k] is None
        else:
            assert np.array_equal(after[k]["counts"], before[k]["counts"])


def test_keys_of_another_kind_than_the_kept_tier_are_refused_by_fit():
    m = _warm(reset_on_refit=False)
    before_global = m.global_model_
    with pytest.raises(InvalidParameterError,
                       match=r"'keys' parameter of TwoTier\.fit must be keys of the kind"):
        m.fit(X, Y, keys=KEYS.astype(str))
    assert m.global_model_ is before_global
    assert m.n_keys_ == 5


def test_good_fit_keys_warm_the_local_tier_as_partial_fit_does():
    a = TwoTier(LogisticRegression(), tau=2.0).fit(X, Y, keys=KEYS)
    b = TwoTier(LogisticRegression(), tau=2.0).fit(X, Y)
    b.partial_fit(X, Y, KEYS)
    np.testing.assert_array_equal(a.predict_proba(X, KEYS), b.predict_proba(X, KEYS))
