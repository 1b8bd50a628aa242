"""ReplayResult.plot checks ``smooth`` (it was cast with int(), silently)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic
from mllifecycle.replay import replay


@pytest.fixture(scope="module")
def result():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    return replay(X, (X[:, 0] > 0).astype(int), LogisticRegression(),
                  {"p": Periodic(every=50)}, initial_train_size=100, batch_size=10)


@pytest.mark.parametrize("smooth", [2.7, "3", 0, -5, True])
def test_bad_smooth_is_refused(result, smooth):
    # 2.7 drew a 2-batch average, "3" a 3-batch one, 0/-5/True no smoothing
    with pytest.raises(InvalidParameterError, match=r"'smooth' parameter of ReplayResult\.plot"):
        result.plot(smooth=smooth)
