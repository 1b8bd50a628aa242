"""An int in ``categorical_features`` that is also the name of another table column is refused.

On a table whose columns are named ``[2, 0, 1]``, ``categorical_features=[2]``
was read as the position 2 (the column named 1): the categorical column
named 2 was interpolated as a number, without a word.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.augment import SMOTENC, smote_nc
from mllifecycle.exceptions import InvalidParameterError

RNG = np.random.default_rng(0)
DF = pd.DataFrame({2: RNG.integers(0, 3, 60), 0: RNG.normal(size=60), 1: RNG.normal(size=60)})
Y = np.r_[np.zeros(45, int), np.ones(15, int)]


@pytest.mark.parametrize("given", [[2], [0], [np.int64(1)]])
def test_a_position_naming_another_column_is_refused(given):
    with pytest.raises(InvalidParameterError,
                       match=r"'categorical_features' parameter of smote_nc must be column "
                             r"positions that are not the name of another column .*pass the "
                             r"name as text.*or a boolean mask"):
        smote_nc(DF, Y, categorical_features=given, rng=0)


@pytest.mark.parametrize("given", [["2"], np.array([True, False, False])])
def test_the_name_as_text_or_a_mask_reads_the_categorical_column(given):
    Xs, ys = smote_nc(DF, Y, categorical_features=given, rng=0)
    new = np.asarray(Xs)[len(Y):, 0]
    assert set(new.tolist()) <= {0.0, 1.0, 2.0}  # categories, not interpolated values
    assert (ys == 1).sum() == 45


def test_the_sampler_refuses_alike():
    with pytest.raises(InvalidParameterError, match=r"'categorical_features'"):
        SMOTENC(categorical_features=[2], random_state=0).fit_resample(DF, Y)


def test_positions_of_a_table_named_by_text_are_read_as_positions():
    df = pd.DataFrame({"a": RNG.integers(0, 3, 60), "b": RNG.normal(size=60)})
    Xs, _ = smote_nc(df, Y, categorical_features=[0], rng=0)
    assert set(np.asarray(Xs)[len(Y):, 0].tolist()) <= {0.0, 1.0, 2.0}
