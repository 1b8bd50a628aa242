"""Boolean keys are keys of their own kind, not the int keys 0 and 1.

A list of flags was read as ints: after ``partial_fit(..., keys=[True, False,
...])`` the keys ``1`` and ``0`` of a later batch (or of ``predict_proba``)
silently used the local models learned for ``True`` and ``False``, while an
array of flags was refused as "dtype bool".
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.twotier import TwoTier

rng = np.random.default_rng(0)
X = rng.normal(size=(400, 2))
Y = (X[:, 0] > 0).astype(int)
FLAGS = [bool(v) for v in np.arange(400) % 2]


def _fitted(keys):
    return TwoTier(LogisticRegression()).fit(X, Y).partial_fit(X, Y, keys)


@pytest.mark.parametrize("learned", [FLAGS, np.array(FLAGS), [np.bool_(v) for v in FLAGS]],
                         ids=["list", "array", "np.bool_ list"])
@pytest.mark.parametrize("method", ["partial_fit", "predict_proba", "predict", "score"])
def test_int_keys_after_flags_are_refused(learned, method):
    model = _fitted(learned)
    ints = [int(v) for v in FLAGS]
    call = {
        "partial_fit": lambda: model.partial_fit(X, Y, ints),
        "predict_proba": lambda: model.predict_proba(X, ints),
        "predict": lambda: model.predict(X, np.asarray(ints)),
        "score": lambda: model.score(X, Y, keys=ints),
    }[method]
    with pytest.raises(InvalidParameterError,
                       match=r"'keys' parameter of TwoTier\.\w+ must be keys of the kind of the "
                             r"keys learned so far \(bool keys, such as (True|False)\)\. "
                             r"Got int keys, such as 0 instead"):
        call()
    assert model.n_keys_ == 2


def test_flags_as_a_list_and_as_an_array_are_one_model():
    a, b = _fitted(FLAGS), _fitted(np.array(FLAGS))
    assert sorted(a._slots) == sorted(b._slots) == [False, True]
    assert all(type(k) is bool for k in a._slots)
    np.testing.assert_array_equal(a.predict_proba(X, FLAGS), b.predict_proba(X, np.array(FLAGS)))
    # the flags' local models are used: not the global model's answer
    assert not np.allclose(a.predict_proba(X, FLAGS), a.predict_proba(X))
    assert a.local_state(True)["n_samples"] == 200.0
    with pytest.raises(InvalidParameterError, match=r"'key' parameter of TwoTier.local_state"):
        a.local_state(1)
    restored = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(restored.predict_proba(X, FLAGS), a.predict_proba(X, FLAGS))


def test_flags_after_int_keys_are_refused():
    model = _fitted([int(v) for v in FLAGS])
    with pytest.raises(InvalidParameterError, match=r"Got bool keys, such as False instead"):
        model.predict_proba(X, np.array(FLAGS))
    with pytest.raises(InvalidParameterError, match=r"'key' parameter of TwoTier.reset_key"):
        model.reset_key(True)
