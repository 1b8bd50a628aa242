"""finetune / progressive with labels in a pandas ``category`` column of numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.transfer import finetune, progressive


def _data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(200, 3))
    ys = (xs[:, 0] > 0).astype(int)
    xt = rng.normal(size=(40, 3))
    yt = (xt[:, 0] + xt[:, 1] > 0).astype(int)
    return xs, ys, xt, yt


@pytest.mark.parametrize("dtype", [int, float])
def test_finetune_category_labels_match_plain_labels(dtype: type) -> None:
    # the category column became an object array of numbers, which scikit-learn
    # refused as an 'unknown' target type (a message naming no argument)
    xs, ys, xt, yt = _data()
    cat_s = pd.Series(ys.astype(dtype)).astype("category")
    cat_t = pd.Series(yt.astype(dtype)).astype("category")
    got = finetune(LogisticRegression(), (xs, cat_s), (xt, cat_t), rng=0)
    ref = finetune(LogisticRegression(), (xs, ys.astype(dtype)), (xt, yt.astype(dtype)),
                   rng=0)
    assert got.source_weight == ref.source_weight
    np.testing.assert_array_equal(got.model.classes_, ref.model.classes_)
    np.testing.assert_array_equal(got.model.predict_proba(xt), ref.model.predict_proba(xt))


def test_progressive_category_labels_match_plain_labels() -> None:
    xs, ys, xt, yt = _data()
    cat = [pd.Series(y).astype("category") for y in (ys, yt[:20], yt[20:])]
    got = progressive(LogisticRegression(), [(xs, cat[0]), (xt[:20], cat[1])],
                      validation=(xt[20:], cat[2]), source_weight=1.0, rng=0)
    ref = progressive(LogisticRegression(), [(xs, ys), (xt[:20], yt[:20])],
                      validation=(xt[20:], yt[20:]), source_weight=1.0, rng=0)
    assert [s.score for s in got.stages] == [s.score for s in ref.stages]
