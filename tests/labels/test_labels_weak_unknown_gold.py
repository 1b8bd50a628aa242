"""LabelModel: unknown true labels in score, and the majority-vote class balance."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.labels import ABSTAIN, LabelModel, apply, labeling_function

L = np.array([[0, 0], [1, 1], [-1, -1], [1, 1]] * 5)


def _model() -> LabelModel:
    return LabelModel(method="majority_vote").fit(L)


@pytest.mark.parametrize("missing", [None, np.nan, ABSTAIN])
def test_score_leaves_out_unknown_labels(missing):
    # the rows of unknown label were compared with the prediction and counted
    # wrong: 0.75 (or 0.667) for predictions that are all right
    model = _model()
    assert model.score(L, [0, 1, 1, 1] * 5) == 1.0
    assert model.score(L, [0, 1, 1, missing] * 5) == 1.0
    assert model.score(L, [0, 1, missing, 0] * 5) == pytest.approx(2 / 3)
    assert model.score(L, np.array([0, 1, 1, missing] * 5, dtype=object)) == 1.0


def test_score_unknown_labels_in_pandas_columns():
    pd = pytest.importorskip("pandas")
    model = _model()
    for dtype in ("Int64", "Float64", "object"):
        y = pd.Series([0, 1, 1, None] * 5, dtype=dtype)
        assert model.score(L, y) == 1.0, dtype
    assert model.score(L, np.array([0.0, 1.0, 1.0, np.nan] * 5)) == 1.0


def test_score_all_unknown_is_nan():
    assert np.isnan(_model().score(L, [None] * len(L)))


def test_score_unknown_labels_with_text_classes():
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]] * 5)
    lfs = [labeling_function(lambda x: "pos" if x[0] > 0 else "neg", name="sign")]
    Lm = apply(lfs, X)
    model = LabelModel(method="majority_vote").fit(Lm)
    assert model.score(Lm, ["neg", "neg", "pos", None] * 5) == 1.0
    assert model.score(Lm, ["neg", "neg", "pos", np.nan] * 5) == 1.0
    assert model.score(Lm, ["neg", "pos", "pos", None] * 5) == pytest.approx(2 / 3)


def test_majority_vote_balance_from_rows_with_votes():
    # votes: 5 rows of class 0, 10 of class 1, 5 rows nobody voted on; the
    # unvoted rows counted at 1/2 : 1/2 gave 0.375 : 0.625
    model = _model()
    np.testing.assert_allclose(model.class_balance_, [1 / 3, 2 / 3])
    # unvoted rows get that balance as their probabilities
    np.testing.assert_allclose(model.predict_proba(L[2:3]), [[1 / 3, 2 / 3]])
    # adding rows without votes does not move it
    more = np.vstack([L, np.full((40, 2), ABSTAIN)])
    np.testing.assert_allclose(
        LabelModel(method="majority_vote").fit(more).class_balance_, [1 / 3, 2 / 3])


def test_majority_vote_balance_without_any_vote_is_uniform():
    Lm = np.full((6, 2), ABSTAIN)
    model = LabelModel(method="majority_vote", n_classes=3).fit(Lm)
    np.testing.assert_allclose(model.class_balance_, [1 / 3] * 3)


def test_majority_vote_given_balance_kept():
    model = LabelModel(method="majority_vote", class_balance=[0.8, 0.2]).fit(L)
    np.testing.assert_allclose(model.class_balance_, [0.8, 0.2])
    np.testing.assert_allclose(model.predict_proba(L[2:3]), [[0.8, 0.2]])
