"""LabelModel.accuracy_ of a labelling function that never votes is NaN, not 0 or 1/k."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.labels import LabelModel

_LFS = ((0.9, 0.5), None, (0.8, 0.6), (0.7, 0.8))  # the second never votes


@pytest.mark.parametrize("method", ["majority_vote", "dawid_skene", "matrix_completion"])
def test_silent_function_has_no_accuracy(method, votes):
    L = votes(600, functions=_LFS)
    model = LabelModel(method=method, rng=0).fit(L)
    assert model.coverage_[1] == 0.0
    # matrix completion reported 0.0 (an always-wrong function), the others
    # 0.5 (the smoothing's 1/k)
    assert np.isnan(model.accuracy_[1])
    assert np.isfinite(model.accuracy_[[0, 2, 3]]).all()
    # the other functions' estimates are those of a fit without the silent one
    alone = LabelModel(method=method, rng=0).fit(L[:, [0, 2, 3]])
    np.testing.assert_allclose(model.accuracy_[[0, 2, 3]], alone.accuracy_, atol=0.02)


@pytest.mark.parametrize("method", ["majority_vote", "dawid_skene", "matrix_completion"])
def test_all_abstain_matrix_has_no_accuracies(method):
    model = LabelModel(method=method, rng=0).fit(np.full((10, 3), -1))
    assert np.isnan(model.accuracy_).all()
    assert (model.predict(np.full((2, 3), -1)) == -1).all()
