"""learning_curve scores log loss over each model's classes when a test fold lacks one.

Folds of whole groups can hold out rows without a class the training subset
has: scikit-learn's ``log_loss`` failed on every fold of that split, the
scores were NaN, and ``learning_curve`` blamed the sizes ("a fit failed, e.g.
on a training subset with a single class"). The scorer is told the model's
classes (``_gain.known_classes_scorer``); an unknown scoring name is refused
naming ``scoring``.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from mllifecycle.budget import learning_curve
from mllifecycle.exceptions import InvalidParameterError


def _data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(180, 3))
    y = np.r_[np.zeros(80, int), np.ones(80, int), np.full(20, 2)]
    X[y == 1] += 1.5
    X[y == 2] += 3
    # class 2 in groups 0 and 5 only: a fold testing neither lacks it
    groups = np.r_[np.arange(160) % 9, [0] * 10, [5] * 10]
    return X, y, groups


def test_log_loss_curve_with_a_fold_lacking_a_class() -> None:
    X, y, groups = _data()
    folds = list(GroupKFold(3).split(X, y, groups))
    assert any(2 not in set(y[te]) and 2 in set(y[tr]) for tr, te in folds)
    curve = learning_curve(LogisticRegression(), X, y, [50, 70, 90, 110], cv=GroupKFold(3),
                           groups=groups, scoring="neg_log_loss", rng=0)
    assert curve.sizes.tolist() == [50.0, 70.0, 90.0, 110.0]
    assert np.isfinite(curve.scores).all()
    assert (curve.scores < 0).all()  # negated log losses


def test_unknown_scoring_name_is_refused_naming_scoring() -> None:
    X, y, _ = _data()
    with pytest.raises(InvalidParameterError, match="'scoring' parameter of learning_curve"):
        learning_curve(LogisticRegression(), X, y, [60, 90, 110], scoring="no_such_score", rng=0)
