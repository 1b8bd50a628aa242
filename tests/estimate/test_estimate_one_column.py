"""CBPE names a one-column table of probabilities for what it is."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.estimate import CBPE
from mllifecycle.exceptions import InvalidParameterError

P = np.random.default_rng(0).uniform(size=200)
Y = (np.random.default_rng(1).uniform(size=200) < P).astype(int)
MATCH = r"'y_proba' parameter of CBPE.* must be a 1-D array .* or a 2-D array with at least 2 col"


@pytest.mark.parametrize("kind", ["array", "table"])
def test_one_column_is_refused_by_its_shape_not_by_its_row_sums(kind):
    # the message was "rows of class probabilities that sum to 1 ... a sum of 0.63"
    one = P[:, None] if kind == "array" else pd.DataFrame({"score": P})
    with pytest.raises(InvalidParameterError, match=MATCH) as info:
        CBPE(calibration="none").fit(y_true=Y, y_proba=one)
    assert "sum" not in str(info.value)
    est = CBPE(calibration="none").fit(y_true=Y, y_proba=P)
    with pytest.raises(InvalidParameterError, match=MATCH):
        est.estimate(P[:50, None])
    assert est.estimate(P[:50])["accuracy"].value == pytest.approx(
        np.mean(np.where(P[:50] >= 0.5, P[:50], 1 - P[:50]))
    )
