"""CBPE: text class labels are refused as labels, naming what CBPE needs.

The generic numeric check answered "use a categorical test", which CBPE has
no use for; the labels must be the columns of ``y_proba``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.estimate import CBPE
from mllifecycle.exceptions import InvalidParameterError

RNG = np.random.default_rng(0)
P = RNG.uniform(size=200)
Y = (RNG.uniform(size=200) < P).astype(int)
TEXT = np.array(["neg", "pos"])[Y]


@pytest.mark.parametrize(
    "labels",
    [
        TEXT,
        list(TEXT),
        TEXT.astype(object),
        pd.Series(TEXT).astype("category"),
        pd.Series(TEXT).astype("string"),
        TEXT.astype(bytes),
    ],
    ids=["unicode", "list", "object", "category", "string", "bytes"],
)
def test_text_labels_refused_with_the_encoding_hint(labels: object) -> None:
    msg = (
        r"The 'y_true' parameter of CBPE\.fit must be class labels in \{0, 1\}, the column "
        r"indices of y_proba \(encode text labels .*np\.searchsorted\(model\.classes_, y\).*"
        r"Got (text|bytes) labels, e\.g\. "
    )
    with pytest.raises(InvalidParameterError, match=msg):
        CBPE(calibration="none").fit(y_true=labels, y_proba=P)


def test_text_labels_refused_by_realized() -> None:
    est = CBPE(calibration="none").fit(y_true=Y, y_proba=P)
    with pytest.raises(InvalidParameterError, match=r"CBPE\.realized must be class labels"):
        est.realized(TEXT, P)


def test_numeric_categories_are_still_read_as_their_values() -> None:
    est = CBPE(metrics=["accuracy", "roc_auc"], calibration="none")
    ref = est.fit(y_true=Y, y_proba=P).reference_metrics_
    cat = pd.Series(pd.Categorical(Y, categories=[1, 0]))
    assert est.fit(y_true=cat, y_proba=P).reference_metrics_ == ref
    assert est.fit(y_true=Y.astype(object), y_proba=P).reference_metrics_ == ref
