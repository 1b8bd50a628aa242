"""augmentation_gain scores log loss over the model's classes when a test fold lacks one.

Folds of whole groups can hold out rows without a class the training fold has:
scikit-learn's ``log_loss`` then read the probability columns from the labels
present and failed ("y_true and y_prob contain different number of classes").
The scorer is told the model's classes (``_gain.known_classes_scorer``, shared
with the transfer package).
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import check_scoring, log_loss
from sklearn.model_selection import GroupKFold

from mllifecycle._gain import known_classes_scorer
from mllifecycle.augment import augmentation_gain, smote


def _data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 3))
    y = np.r_[np.zeros(45, int), np.ones(36, int), np.full(9, 2)]
    X[y == 1] += 1
    X[y == 2] += 2
    # class 2 lives in groups 0 and 5 only: a fold testing neither lacks it
    groups = np.r_[np.arange(81) % 9, [0, 0, 0, 0, 5, 5, 5, 5, 5]]
    return X, y, groups


def test_augmentation_gain_log_loss_with_a_fold_lacking_a_class() -> None:
    X, y, groups = _data()
    folds = list(GroupKFold(3).split(X, y, groups))
    assert any(2 not in set(y[test]) and 2 in set(y[train]) for train, test in folds)
    r = augmentation_gain(
        LogisticRegression(), X, y,
        lambda X, y, rng: smote(X, y, k_neighbors=1, rng=rng),
        scoring="neg_log_loss", cv=GroupKFold(3), groups=groups, n_repeats=1, rng=0,
    )
    assert np.isfinite([r.gain, r.ci_low, r.ci_high]).all()


@pytest.mark.parametrize("labels", ["int", "text"])
def test_known_classes_scorer_is_minus_log_loss_over_the_models_classes(labels: str) -> None:
    X, y, _ = _data()
    if labels == "text":
        y = np.array(["a", "b", "c"])[y]
    model = LogisticRegression().fit(X, y)
    scorer = known_classes_scorer(check_scoring(model, scoring="neg_log_loss"))
    keep = y != model.classes_[2]
    got = scorer(model, X[keep], y[keep])
    want = -log_loss(y[keep], model.predict_proba(X[keep]), labels=model.classes_)
    assert got == pytest.approx(want, rel=1e-12)
    # where the plain scorer works, the same number
    plain = check_scoring(model, scoring="neg_log_loss")
    assert scorer(model, X, y) == plain(model, X, y)
