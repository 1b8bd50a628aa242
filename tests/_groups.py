"""Grouped data for the tests of ``groups=``: rows of a group are near-duplicates.

Shared by the tests of the cross-validating functions (the gain functions,
``learning_curve``, ``SelfTraining``), so each builds its data the same way.
"""

from __future__ import annotations

import numpy as np


def random_label_groups(n_groups: int, per: int, d: int, seed: int = 0):
    """``(X, y, g)``: ``n_groups`` groups of ``per`` near-duplicate rows in ``d`` dimensions.

    The label is the group's, drawn at random (half the groups of each
    class): nothing but a group's own rows predicts it, so a model scored on
    rows whose group it trained on looks good and one scored on unseen groups
    is at chance. The draws are centres, labels, then the rows' jitter
    (standard deviation 0.01), from ``default_rng(seed)``.
    """
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(n_groups, d))
    labels = np.tile([0, 1], n_groups // 2)
    rng.shuffle(labels)
    g = np.repeat(np.arange(n_groups), per)
    X = centers[g] + rng.normal(0, 0.01, (g.shape[0], d))
    return X, labels[g], g
