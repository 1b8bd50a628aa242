"""Regression targets of integers beyond 2**53: refused, not silently rounded."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.augment import SMOTER, Mixup, mixup, smote_regression
from mllifecycle.exceptions import InvalidParameterError

_X = np.random.default_rng(0).normal(size=(200, 2))
# distinct integers, each odd beyond 2**53: float64 rounds every one of them
_Y = (np.exp(_X[:, 0]) * 1e6).astype(np.int64) * 2**40 + 1


def _kinds():
    return [_Y, pd.Series(_Y), _Y.tolist(), pd.Series(_Y, dtype="Int64")]


@pytest.mark.parametrize("kind", range(4), ids=["array", "series", "list", "Int64"])
@pytest.mark.parametrize(("call", "name"), [
    (lambda y: mixup(_X, y, task="regression", n_samples=5, rng=0), "mixup"),
    (lambda y: smote_regression(_X, y, rng=0), "smote_regression"),
    (lambda y: Mixup(task="regression", n_samples=5, random_state=0).fit_resample(_X, y),
     "mixup"),
    (lambda y: SMOTER(random_state=0).fit_resample(_X, y), "smote_regression"),
], ids=["mixup", "smote_regression", "Mixup", "SMOTER"])
def test_inexact_integer_target_is_refused(call, name, kind):
    # the target came back as float64 with the original rows' values changed
    # too (2**60 + 1 became 2**60), where the same X column is refused
    y = _kinds()[kind]
    first = int(_Y[0])
    with pytest.raises(InvalidParameterError,
                       match=rf"'y' parameter of {name} must be a target that float64 "
                             rf"holds exactly.*Got the integer {first}, which float64 "
                             rf"makes {int(float(first))}"):
        call(y)


def test_exact_integer_targets_beyond_2_53_still_work():
    y = np.arange(200, dtype=np.int64) * 2 + 2**53  # even: float64 holds them
    _, y_new = mixup(_X, y, task="regression", n_samples=5, rng=0)
    assert y_new.dtype == np.float64
    assert y_new[:200].tolist() == [float(v) for v in y.tolist()]
    assert [int(v) for v in y_new[:200].tolist()] == y.tolist()


def test_integer_classes_beyond_2_53_stay_exact_in_mixup():
    # classification: labels are copied, not computed, and stay int64
    y = np.r_[np.full(150, 2**60 + 1), np.full(50, 2**60 + 3)].astype(np.int64)
    _, y_new = mixup(_X, y, rng=0)
    assert y_new.dtype == np.int64
    assert set(y_new.tolist()) == {2**60 + 1, 2**60 + 3}
