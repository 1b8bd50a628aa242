"""LabelModel: a declared class no labelling function votes for is never predicted.

With ``n_classes=3`` (or ``apply(classes=[0, 1, 2])``) and functions voting
only 0 and 1, Dawid-Skene EM turned the silent class 2 into "class 1 with the
third function abstaining": 21 of 500 rows whose every vote said 1 were
predicted 2. Matrix completion spread its uniform balance over the silent
class and changed the accuracies (0.727 -> 0.474) and 42 predictions.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.labels import LabelModel

METHODS = ["majority_vote", "dawid_skene", "matrix_completion"]


_LFS = ((0.9, 0.5), (0.8, 0.6), (0.6, 0.9))


@pytest.mark.parametrize("method", METHODS)
def test_silent_class_is_never_predicted(method, votes):
    L = votes(500, functions=_LFS)
    two = LabelModel(method=method, rng=0).fit(L)
    three = LabelModel(method=method, n_classes=3, rng=0).fit(L)
    proba = three.predict_proba(L)
    assert three.classes_.tolist() == [0, 1, 2]
    assert proba[:, 2].max() == 0.0
    assert three.class_balance_[2] == 0.0
    np.testing.assert_array_equal(three.predict(L), two.predict(L))
    np.testing.assert_allclose(proba[:, :2], two.predict_proba(L), atol=2e-3)
    np.testing.assert_allclose(three.accuracy_, two.accuracy_, atol=2e-3)


@pytest.mark.parametrize("method", ["dawid_skene", "matrix_completion"])
def test_a_vote_for_the_silent_class_later_is_read(method, votes):
    model = LabelModel(method=method, n_classes=3, rng=0).fit(votes(500, functions=_LFS))
    proba = model.predict_proba(np.array([[2, 1, -1], [2, -1, -1]]))
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_given_class_balance_is_kept(votes):
    L = votes(500, functions=_LFS)
    model = LabelModel(n_classes=3, class_balance=[0.4, 0.4, 0.2], rng=0).fit(L)
    np.testing.assert_allclose(model.class_balance_, [0.4, 0.4, 0.2])
