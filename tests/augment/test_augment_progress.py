"""augmentation_gain reports each split through progress=; bad values are refused."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle.augment import SMOTE, augmentation_gain
from mllifecycle.exceptions import InvalidParameterError


def _data():
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(0, 1, (150, 2)), rng.normal(1, 1, (30, 2))]
    return X, np.r_[np.zeros(150, int), np.ones(30, int)]


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_each_split_is_reported_once(n_jobs):
    X, y = _data()
    seen: list[tuple[int, int]] = []
    a = augmentation_gain(GaussianNB(), X, y, SMOTE(), cv=3, n_repeats=2, rng=0,
                          n_jobs=n_jobs, progress=lambda d, t: seen.append((d, t)))
    assert [d for d, _ in seen] == list(range(1, 7))
    assert {t for _, t in seen} == {6}
    b = augmentation_gain(GaussianNB(), X, y, SMOTE(), cv=3, n_repeats=2, rng=0)
    assert a.gain == b.gain


@pytest.mark.parametrize("bad", ["yes", 1, None])
def test_bad_progress_is_refused_naming_it(bad):
    X, y = _data()
    with pytest.raises(InvalidParameterError,
                       match=r"'progress' parameter of augmentation_gain must be"):
        augmentation_gain(GaussianNB(), X, y, SMOTE(), cv=3, progress=bad)
