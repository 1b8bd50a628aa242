"""replay refuses pandas' NA in an object y by name (it crashed midway)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.replay import replay

rng = np.random.default_rng(0)
N = 400
X = rng.normal(size=(N, 2))
Y = np.where(X[:, 0] > 0, "a", "b").astype(object)


@pytest.mark.parametrize("at", [10, 300])
def test_pd_na_in_object_labels_is_refused_by_name(at):
    y = Y.copy()
    y[at] = pd.NA
    with pytest.raises(InvalidParameterError,
                       match=rf"'y' parameter of replay must be free of missing labels "
                             rf"\(None, NaN or pd\.NA\)\. Got 1 missing label\(s\), the first "
                             rf"at row {at}"):
        replay(X, y, GaussianNB(), {"never": lambda state: False}, initial_train_size=200)
