"""use_proba of the paired and slice gates is a bool, as MetricThreshold's."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import NoRegression, SignificantImprovement, SliceNoRegression


def hits(y_true, y_pred):
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))


@pytest.mark.parametrize(
    ("cls", "kw"),
    [(NoRegression, {"margin": 0.01}), (SignificantImprovement, {}), (SliceNoRegression, {})],
)
@pytest.mark.parametrize("value", ["no", "False", 1, None, np.array([False])])
def test_use_proba_must_be_a_bool(cls, kw, value) -> None:
    # "no" and "False" are truthy: the callable was given probabilities (its
    # accuracy 0 on every model) without a word
    with pytest.raises(InvalidParameterError, match=r"'use_proba'.*a bool"):
        cls(hits, higher_is_better=True, use_proba=value, **kw)


@pytest.mark.parametrize(
    ("cls", "kw"),
    [(NoRegression, {"margin": 0.01}), (SignificantImprovement, {}), (SliceNoRegression, {})],
)
def test_numpy_bool_use_proba_is_kept_as_bool(cls, kw) -> None:
    gate = cls(hits, higher_is_better=True, use_proba=np.bool_(True), **kw)
    assert gate.use_proba is True
    assert gate == cls(hits, higher_is_better=True, use_proba=True, **kw)
