"""Targets mixing label kinds (True and 1, 1 and "1") are refused, not merged."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle import augment
from mllifecycle.exceptions import InvalidParameterError

X = np.arange(40.0).reshape(20, 2)
BOOLS_AND_INTS = [True, 1, 0, False] + [0] * 12 + [1] * 4
TEXT_AND_INTS = ["1", 1] + [0] * 14 + [1] * 4


@pytest.mark.parametrize(
    ("fn", "kw"),
    [
        (augment.random_oversample, {"rng": 0}),
        (augment.gaussian_noise, {"rng": 0}),
        (augment.smote, {"rng": 0, "k_neighbors": 2}),
        (augment.adasyn, {"rng": 0, "k_neighbors": 2}),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
@pytest.mark.parametrize(
    ("y", "shown"),
    [
        (BOOLS_AND_INTS, "booleans and numbers (True and 1)"),
        (np.array(BOOLS_AND_INTS, dtype=object), "booleans and numbers (True and 1)"),
        (np.array(TEXT_AND_INTS, dtype=object), "text and numbers ('1' and 1)"),
    ],
    ids=["list", "object-bools", "object-text"],
)
def test_mixed_label_kinds_are_refused_naming_y(fn, kw, y, shown):
    with pytest.raises(InvalidParameterError, match=r"'y'") as err:
        fn(X, y, **kw)
    assert shown in str(err.value)


@pytest.mark.parametrize(
    "y",
    [
        [1] * 4 + [0] * 16,
        [True] * 4 + [False] * 16,
        ["a"] * 4 + ["b"] * 16,
        [1.0] * 4 + [0] * 16,  # ints and floats: one kind
        np.array([np.int64(1)] * 4 + [0] * 16, dtype=object),
    ],
)
def test_labels_of_one_kind_still_oversample(y):
    xa, ya = augment.random_oversample(X, y, rng=0)
    labels, counts = np.unique(np.asarray(ya).astype(str), return_counts=True)
    assert len(labels) == 2
    assert counts[0] == counts[1]
    assert xa.shape[0] == ya.shape[0] == 32
