"""Keys of another kind than the keys learned (``"1"`` after ``1``) are refused.

Such a key matched no local model: ``predict`` silently answered with the
global model, and ``partial_fit`` started a second local model for what the
user meant as the same entity (keys read as text from one file and as
numbers from another).
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.twotier import TwoTier

RNG = np.random.default_rng(3)
X = RNG.normal(size=(300, 3))
# key 1 flips the label: its local tier differs from the global model
KEYS_INT = np.array([1, 2, 3] * 100)
Y = np.where(KEYS_INT == 1, (X[:, 0] <= 0), (X[:, 0] > 0)).astype(int)


def _fitted(keys):
    return TwoTier(LogisticRegression()).fit(X, Y, keys=keys)


@pytest.mark.parametrize(
    ("learned", "asked", "shown"),
    [
        (KEYS_INT, KEYS_INT.astype(str), "str keys, such as '1'"),
        (KEYS_INT.astype(str), KEYS_INT, "int keys, such as 1"),
        (KEYS_INT.astype(str), [1, 2, 3] * 100, "int keys, such as 1"),
    ],
    ids=["text-after-int", "int-after-text", "int-list-after-text"],
)
@pytest.mark.parametrize("method", ["predict", "predict_proba", "partial_fit", "score"])
def test_keys_of_another_kind_are_refused(learned, asked, shown, method):
    model = _fitted(learned)
    call = {
        "predict": lambda: model.predict(X, keys=asked),
        "predict_proba": lambda: model.predict_proba(X, keys=asked),
        "partial_fit": lambda: model.partial_fit(X, Y, keys=asked),
        "score": lambda: model.score(X, Y, keys=asked),
    }[method]
    with pytest.raises(InvalidParameterError, match=r"'keys' parameter of TwoTier") as err:
        call()
    assert "keys of the kind of the keys learned so far" in str(err.value)
    assert f"Got {shown} instead" in str(err.value)


def test_reset_key_refuses_another_kind_and_flags():
    model = _fitted(KEYS_INT)
    for key in ("1", True, np.True_):
        with pytest.raises(InvalidParameterError, match=r"'key' parameter of TwoTier.reset_key"):
            model.reset_key(key)
    assert model.n_keys_ == 3
    model.reset_key(np.int64(1))  # its own kind: forgotten
    assert model.n_keys_ == 2


def test_keys_of_the_learned_kind_still_use_their_local_model():
    model = _fitted(KEYS_INT)
    local = model.predict_proba(X, keys=KEYS_INT)
    assert np.array_equal(local, model.predict_proba(X, keys=KEYS_INT.astype(float)))
    assert np.array_equal(local, model.predict_proba(X, keys=list(KEYS_INT.tolist())))
    unseen = model.predict_proba(X, keys=np.full(300, 99))  # a new key: the global model
    assert np.array_equal(unseen, model.predict_proba(X))
    assert not np.array_equal(local, unseen)
    text = _fitted(KEYS_INT.astype(str))
    assert np.array_equal(text.predict_proba(X, keys=KEYS_INT.astype(str)), local)
