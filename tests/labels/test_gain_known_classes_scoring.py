"""pseudo_label_gain scores log loss over the model's classes when a test fold lacks one.

Folds of whole groups can hold out labelled rows without a class the training
fold has: scikit-learn's ``log_loss`` then failed ("y_true and y_prob contain
different number of classes"). The scorer is told the model's classes, by the
rule the gain estimates share (``_gain.known_classes_scorer``).
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from mllifecycle.labels import SelfTraining, pseudo_label_gain


def test_pseudo_label_gain_log_loss_with_a_fold_lacking_a_class() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(150, 3))
    y = np.r_[np.zeros(60, int), np.ones(60, int), np.full(30, 2)]
    X[y == 1] += 1.5
    X[y == 2] += 3
    yl = y.astype(float)
    labelled = np.zeros(150, dtype=bool)
    labelled[:45] = labelled[60:105] = labelled[120:129] = True
    yl[~labelled] = np.nan
    # labelled rows of class 2 in groups 0 and 5 only: a fold testing neither lacks it
    groups = np.r_[np.arange(120) % 9, [0] * 5, [5] * 25]
    folds = list(GroupKFold(3).split(X[labelled], y[labelled], groups[labelled]))
    yy = y[labelled]
    assert any(2 not in set(yy[te]) and 2 in set(yy[tr]) for tr, te in folds)
    r = pseudo_label_gain(
        SelfTraining(LogisticRegression(), guard_cv=None), X, yl,
        scoring="neg_log_loss", cv=GroupKFold(3), groups=groups, n_repeats=1, rng=0,
    )
    assert np.isfinite([r.gain, r.ci_low, r.ci_high]).all()
    assert r.n_splits == 3
