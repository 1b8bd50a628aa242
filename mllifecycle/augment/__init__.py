"""More training data from little: SMOTE family, noise, mixup, oversampling.

Every augmenter is a plain function ``(X, y, *, sampling_strategy="auto",
n_samples=None, rng=None, ...) -> (X_new, y_new)`` (plus ``sample_weight``
in and out when given) and a scikit-learn style sampler class with
``fit_resample`` that works in :class:`imblearn.pipeline.Pipeline`. The
original rows come first, unchanged; synthetic rows follow. A pandas, polars
or pyarrow table comes back as the same kind of table (column names kept), a
Series ``y`` as a Series. A pandas ``y`` (or ``sample_weight``) whose index
holds ``X``'s row labels in another order is read in ``X``'s row order.
:func:`augmentation_gain` checks, without leaking, whether augmenting the
training folds actually improves held-out scores.

Examples
--------
>>> import numpy as np
>>> from mllifecycle.augment import smote
>>> X = np.random.default_rng(0).normal(size=(30, 2))
>>> y = np.r_[np.zeros(25, int), np.ones(5, int)]
>>> smote(X, y, k_neighbors=3, rng=0)[0].shape
(50, 2)
"""

from __future__ import annotations

from mllifecycle.augment._gain import AugmentationGainResult, augmentation_gain
from mllifecycle.augment._regression import default_relevance, smote_regression
from mllifecycle.augment._samplers import (
    ADASYN,
    SMOTE,
    SMOTENC,
    SMOTER,
    BorderlineSMOTE,
    GaussianNoise,
    Mixup,
    RandomOverSampler,
)
from mllifecycle.augment._simple import gaussian_noise, mixup, random_oversample
from mllifecycle.augment._smote import adasyn, borderline_smote, smote, smote_nc

__all__ = [
    # functions
    "smote",
    "borderline_smote",
    "adasyn",
    "smote_nc",
    "random_oversample",
    "gaussian_noise",
    "mixup",
    "smote_regression",
    "default_relevance",
    # samplers
    "SMOTE",
    "BorderlineSMOTE",
    "ADASYN",
    "SMOTENC",
    "RandomOverSampler",
    "GaussianNoise",
    "Mixup",
    "SMOTER",
    # did it help?
    "augmentation_gain",
    "AugmentationGainResult",
]
