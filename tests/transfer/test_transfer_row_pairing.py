"""Pandas (X, y) pairs are paired by row label (``_frames.in_row_order``).

A shuffled ``X`` with ``y`` sorted by index was trained and scored by
position on mismatched rows, with exit 0 (finetune's coefficient 4.5 -> -0.1,
progressive's validation score 1.0 -> 0.58).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import GaussianNB

from mllifecycle import transfer
from mllifecycle.exceptions import InvalidParameterError

pd = pytest.importorskip("pandas")

# the stacked estimators ask a source model fitted on arrays about tables
pytestmark = pytest.mark.filterwarnings("ignore:X has feature names:UserWarning")


def _pair(n: int, seed: int) -> tuple[Any, Any]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, (X[:, 0] + rng.normal(0, 0.3, n) > 0).astype(int)


XS, YS = _pair(200, 0)
XT, YT = _pair(40, 1)
SOURCE_MODEL = LogisticRegression().fit(XS, YS)


def _table(X: Any, y: Any, seed: int, default: bool = False) -> tuple[Any, Any]:
    """X with its row labels shuffled and y with the same labels (in X's order)."""
    order = np.random.default_rng(seed).permutation(X.shape[0])
    labels = order if default else order + 500
    return (pd.DataFrame(X[order], columns=["a", "b", "c"], index=labels),
            pd.Series(y[order], index=labels, name="y"))


def _coef(model: Any) -> Any:
    inner = getattr(model, "estimator_", model)
    return np.asarray(inner.coef_)


# name, call(source pair, target pair) -> comparable values, argument named on refusal
CALLS = [
    ("finetune weighted", lambda s, t: _coef(transfer.finetune(
        LogisticRegression(), s, t, source_weight=1.0, rng=0).model), "source[1]"),
    ("finetune partial_fit", lambda s, t: _coef(transfer.finetune(
        SGDClassifier(), s, t, strategy="partial_fit", rng=0).model), "source[1]"),
    ("finetune stacked", lambda s, t: _coef(transfer.finetune(
        LogisticRegression(), s, t, strategy="stacked", rng=0).model), "source[1]"),
    ("progressive", lambda s, t: [r.score for r in transfer.progressive(
        LogisticRegression(), [s, t], validation=t, rng=0).stages], "stages[0][1]"),
    ("progressive validation", lambda s, t: [r.score for r in transfer.progressive(
        GaussianNB(), [(XS, YS)], validation=s, rng=0).stages], "validation[1]"),
    ("transfer_gain", lambda s, t: transfer.transfer_gain(
        LogisticRegression(), s, t, n_repeats=1, cv=4,
        finetune_params={"source_weight": 1.0}, rng=0).to_dict(), "source[1]"),
    ("StackedTransferClassifier.fit", lambda s, t: _coef(
        transfer.StackedTransferClassifier(SOURCE_MODEL).fit(*s)), "y"),
    ("StackedTransferRegressor.fit", lambda s, t: _coef(
        transfer.StackedTransferRegressor(SOURCE_MODEL).fit(s[0], s[1] * 2.5)), "y"),
]
IDS = [c[0] for c in CALLS]


def _same(a: Any, b: Any) -> None:
    if isinstance(a, dict):
        assert a == b
    else:
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


@pytest.mark.parametrize(("name", "call", "arg"), CALLS, ids=IDS)
def test_sorted_y_is_paired_with_shuffled_x_by_label(name: str, call: Any, arg: str) -> None:
    (xs, ys), (xt, yt) = _table(XS, YS, 2), _table(XT, YT, 3)
    aligned = call((xs, ys), (xt, yt))
    got = call((xs, ys.sort_index()), (xt, yt.sort_index()))
    _same(aligned, got)


@pytest.mark.parametrize(("name", "call", "arg"), CALLS, ids=IDS)
def test_default_index_in_another_order_is_refused(name: str, call: Any, arg: str) -> None:
    # X's rows numbered 0..n-1 in a shuffled order, y (read from a file) numbered
    # 0..n-1 in order: by label or by position could both be wrong
    (xs, ys), (xt, yt) = _table(XS, YS, 2, default=True), _table(XT, YT, 3, default=True)
    ys, yt = ys.sort_index().reset_index(drop=True), yt.sort_index().reset_index(drop=True)
    with pytest.raises(InvalidParameterError,
                       match=rf"'{re.escape(arg)}' parameter .*order.*default 0\.\.n-1 RangeIndex"):
        call((xs, ys), (xt, yt))


@pytest.mark.parametrize(("name", "call", "arg"), CALLS, ids=IDS)
def test_arrays_and_aligned_tables_give_the_same_answer(name: str, call: Any,
                                                        arg: str) -> None:
    (xs, ys), (xt, yt) = _table(XS, YS, 2), _table(XT, YT, 3)
    plain = call((xs.to_numpy(), ys.to_numpy()), (xt.to_numpy(), yt.to_numpy()))
    _same(plain, call((xs, ys), (xt, yt)))


def test_finetune_error_shows_the_fix_as_code() -> None:
    (xs, ys) = _table(XS, YS, 2, default=True)
    with pytest.raises(InvalidParameterError, match=r"source\[1\]\.loc\[source\[0\]\.index\]"):
        transfer.finetune(LogisticRegression(), (xs, ys.sort_index().reset_index(drop=True)),
                          (XT, YT), rng=0)
