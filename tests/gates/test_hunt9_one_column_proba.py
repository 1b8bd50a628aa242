"""GateContext refuses one column of probabilities by what it is.

An ``(n, 1)`` array (a Keras sigmoid's output) or a one-column table was
refused as "rows of class probabilities that sum to 1 ... a sum of 0.1",
which names a problem the user does not have; CBPE and ``delong`` name the
shape.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import GateContext, MetricThreshold

Y = np.array([0, 1] * 20)
P = np.linspace(0.1, 0.9, 40)


@pytest.mark.parametrize(
    "proba",
    [
        pytest.param(P[:, None], id="array"),
        pytest.param(P.astype(np.float32)[:, None], id="float32"),
        pytest.param([[x] for x in P], id="rows"),
        pytest.param(pd.DataFrame({1: P}), id="table-named-by-class"),
        pytest.param(pd.DataFrame({"p": P}), id="table"),
    ],
)
@pytest.mark.parametrize("name", ["challenger_proba", "champion_proba"])
def test_one_column_is_refused_by_its_shape(proba, name: str) -> None:
    with pytest.raises(
        InvalidParameterError,
        match=rf"'{name}' parameter of GateContext must be 1-D positive-class probabilities "
        r"or a 2-D array with one column per class .* Got shape \(40, 1\) instead",
    ):
        GateContext(y_true=Y, challenger=(P > 0.5) * 1, **{name: proba})


def test_the_column_as_1d_is_read() -> None:
    ctx = GateContext(y_true=Y, challenger=(P > 0.5) * 1, challenger_proba=P[:, None].ravel())
    value = MetricThreshold("roc_auc", minimum=0.5).check(ctx).evidence["value"]
    assert value == pytest.approx(roc_auc_score(Y, P))
