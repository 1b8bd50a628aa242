"""Integer features float64 cannot hold: the original rows came back changed.

The augmenters compute in float64, so ``2**60 + 1``, ``+ 2`` and ``+ 3`` all
became ``2**60``, also in the original rows and in a table's integer column
that kept its int64 dtype and looked exact. Such features are refused now.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle.augment import (
    augmentation_gain,
    gaussian_noise,
    random_oversample,
    smote,
    smote_nc,
)
from mllifecycle.exceptions import InvalidParameterError

pd = pytest.importorskip("pandas")

Y = np.r_[np.zeros(8, int), np.ones(4, int)]
BIG = np.arange(12, dtype=np.int64) + 2**60 + 1


@pytest.mark.parametrize("augment", [random_oversample, smote, gaussian_noise])
def test_table_int_column_beyond_float_precision_is_refused(augment):
    X = pd.DataFrame({"a": BIG, "b": np.arange(12.0)})
    with pytest.raises(InvalidParameterError,
                       match=r"'X'.*column 'a' holding 1152921504606846977, which float64 "
                       r"makes 1152921504606846976"):
        augment(X, Y, rng=0)


def test_array_and_nullable_columns_are_refused_too():
    with pytest.raises(InvalidParameterError, match="column 0 holding"):
        random_oversample(BIG.reshape(-1, 1), Y, rng=0)
    X = pd.DataFrame({"a": BIG, "b": np.arange(12.0)}).astype({"a": "Int64"})
    with pytest.raises(InvalidParameterError, match="column 'a'"):
        random_oversample(X, Y, rng=0)
    with pytest.raises(InvalidParameterError, match="column 0 holding 18446744073709551615"):
        random_oversample(np.full((12, 1), 2**64 - 1, dtype=np.uint64), Y, rng=0)
    with pytest.raises(InvalidParameterError, match="column 'a'"):
        augmentation_gain(GaussianNB(), pd.DataFrame({"a": BIG, "b": np.arange(12.0)}), Y,
                          random_oversample, cv=2, n_repeats=1, rng=0)


def test_exact_integers_still_pass():
    # large but exact (powers of two, the int64 minimum) and small integers
    X = np.c_[np.full(12, 2**60), np.full(12, -(2**63)), np.arange(12)]
    Xo, _ = random_oversample(X, Y, rng=0)
    np.testing.assert_array_equal(Xo[:12], X.astype(np.float64))
    t = pd.DataFrame({"a": np.arange(12), "b": np.arange(12.0)})
    Xt, _ = random_oversample(t, Y, rng=0)
    assert Xt["a"].tolist()[:12] == list(range(12))


def test_mixed_table_keeps_exact_integers():
    # a table with a text column travels as objects: its int64 column stays exact
    s = np.array(list("xyxyxyxyxyxy"), dtype=object)
    t = pd.DataFrame({"a": BIG, "s": s})
    Xo, _ = smote_nc(t, Y, categorical_features=["s"], k_neighbors=3, rng=0)
    assert Xo["a"].tolist()[:12] == BIG.tolist()
