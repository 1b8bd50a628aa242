"""LabelModel refuses its labelling functions in another order than at fit."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import ABSTAIN, LabelModel, apply

X = np.arange(-30, 30)


def pos(x):
    return 1 if x > 0 else ABSTAIN


def very_neg(x):
    return 0 if x < -5 else ABSTAIN


def thirds(x):
    return 1 if x % 3 == 0 else 0


@pytest.mark.parametrize("method", ["dawid_skene", "majority_vote", "matrix_completion"])
def test_reordered_functions_refused(method):
    # apply([thirds, very_neg, pos], X) was read by position: each function got
    # another's fitted accuracy: 6 of 60 predictions changed under dawid_skene,
    # 23 under matrix_completion, silently
    model = LabelModel(method=method, rng=0).fit(apply([pos, very_neg, thirds], X))
    with pytest.raises(InvalidParameterError, match=r"'L'.*order of fit \['pos', "):
        model.predict(apply([thirds, very_neg, pos], X))
    with pytest.raises(InvalidParameterError, match="order of fit"):
        model.score(apply([thirds, very_neg, pos], X), np.ones(len(X)))
    same = apply([pos, very_neg, thirds], X)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(model)).predict(same),
                                  model.predict(same))


def test_reordered_table_columns_refused():
    pd = pytest.importorskip("pandas")
    L = apply([pos, very_neg, thirds], X)
    frame = pd.DataFrame(L.values, columns=list(L.names))
    model = LabelModel(rng=0).fit(frame)
    with pytest.raises(InvalidParameterError, match="order of fit"):
        model.predict_proba(frame[["thirds", "pos", "very_neg"]])
    # the same votes unnamed, or under other names, are read by position
    expected = model.predict(frame)
    np.testing.assert_array_equal(model.predict(L.values), expected)
    np.testing.assert_array_equal(model.predict(frame.set_axis(["x", "y", "z"], axis=1)),
                                  expected)
    np.testing.assert_array_equal(model.predict(L), expected)
