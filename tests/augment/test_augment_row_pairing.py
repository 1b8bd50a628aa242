"""Pandas X, y and sample_weight are paired by row label (``_frames.in_row_order``).

A shuffled ``X`` with ``y`` sorted by index was augmented (and cross-validated)
by position: every row got another row's label, with exit 0.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle import augment
from mllifecycle.exceptions import InvalidParameterError

pd = pytest.importorskip("pandas")

N = 60


def _data(regression: bool = False) -> tuple[Any, Any, Any]:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(N, 3))
    X[:, 2] = rng.integers(0, 3, N)  # a categorical column for smote_nc
    if regression:
        y = X[:, 0] * 2.0 + rng.normal(0, 0.1, N)
        y[:8] += 8.0  # rare extreme targets (both tails) for smote_regression
        y[8:16] -= 8.0
    else:
        y = np.r_[np.zeros(45, int), np.ones(15, int)]
        X[45:, 0] += 1.5
    w = np.linspace(0.5, 2.0, N)
    return X, y, w


# (name, call(X, y, sample_weight), regression target)
AUGMENTERS = [
    ("smote", lambda X, y, w: augment.smote(X, y, sample_weight=w, rng=0), False),
    ("borderline_smote",
     lambda X, y, w: augment.borderline_smote(X, y, sample_weight=w, rng=0), False),
    ("adasyn", lambda X, y, w: augment.adasyn(X, y, sample_weight=w, rng=0), False),
    ("smote_nc", lambda X, y, w: augment.smote_nc(
        X, y, categorical_features=[2], sample_weight=w, rng=0), False),
    ("random_oversample",
     lambda X, y, w: augment.random_oversample(X, y, sample_weight=w, rng=0), False),
    ("gaussian_noise",
     lambda X, y, w: augment.gaussian_noise(X, y, sample_weight=w, rng=0), False),
    ("mixup", lambda X, y, w: augment.mixup(X, y, sample_weight=w, rng=0), False),
    ("smote_regression",
     lambda X, y, w: augment.smote_regression(X, y, sample_weight=w, rng=0), True),
    ("SMOTE.fit_resample",
     lambda X, y, w: augment.SMOTE(random_state=0).fit_resample(X, y, sample_weight=w), False),
    ("Mixup.fit_resample",
     lambda X, y, w: augment.Mixup(random_state=0).fit_resample(X, y, sample_weight=w), False),
]
IDS = [a[0] for a in AUGMENTERS]


def _shuffled(regression: bool) -> tuple[Any, Any, Any]:
    """X with a shuffled index of row labels; y and weights with the same labels sorted."""
    X, y, w = _data(regression)
    labels = np.random.default_rng(7).permutation(N) + 1000
    Xdf = pd.DataFrame(X, columns=["a", "b", "c"], index=labels)
    ys = pd.Series(y, index=labels, name="y")
    ws = pd.Series(w, index=labels, name="w")
    return Xdf, ys, ws


def _values(out: tuple[Any, ...]) -> list[Any]:
    return [np.asarray(v) for v in out]


@pytest.mark.parametrize(("name", "call", "regression"), AUGMENTERS, ids=IDS)
def test_sorted_y_is_paired_with_shuffled_x_by_label(name: str, call: Any,
                                                     regression: bool) -> None:
    Xdf, ys, ws = _shuffled(regression)
    aligned = call(Xdf, ys, ws)
    got = call(Xdf, ys.sort_index(), ws.sort_index())
    for a, b in zip(_values(aligned), _values(got), strict=True):
        np.testing.assert_array_equal(a, b)
    # each original row keeps its own label: rows of class 1 are X's rows 45..59
    np.testing.assert_array_equal(np.asarray(got[1])[:N], ys.to_numpy())


@pytest.mark.parametrize(("name", "call", "regression"), AUGMENTERS, ids=IDS)
def test_default_index_in_another_order_is_refused(name: str, call: Any,
                                                   regression: bool) -> None:
    X, y, w = _data(regression)
    order = np.random.default_rng(7).permutation(N)
    Xdf = pd.DataFrame(X, columns=["a", "b", "c"]).iloc[order]  # labels 0..n-1 shuffled
    with pytest.raises(InvalidParameterError, match=r"'y' parameter .*X's order"):
        call(Xdf, pd.Series(y[order]), w[order])
    with pytest.raises(InvalidParameterError,
                       match=r"'sample_weight' parameter .*X's order"):
        call(Xdf, y[order], pd.Series(w[order]))


@pytest.mark.parametrize(("name", "call", "regression"), AUGMENTERS, ids=IDS)
def test_arrays_and_aligned_tables_give_the_same_rows(name: str, call: Any,
                                                      regression: bool) -> None:
    X, y, w = _data(regression)
    Xdf = _shuffled(regression)[0]
    order = Xdf.index.to_numpy() - 1000  # row labels 1000 + i hold row i
    plain = call(X[order], y[order], w[order])
    table = call(Xdf.assign(a=X[order, 0], b=X[order, 1], c=X[order, 2]),
                 pd.Series(y[order], index=Xdf.index), pd.Series(w[order], index=Xdf.index))
    for a, b in zip(_values(plain), _values(table), strict=True):
        np.testing.assert_array_equal(a, b)


def test_augmentation_gain_pairs_sorted_y_with_shuffled_x() -> None:
    Xdf, ys, _ = _shuffled(False)
    gain = functools.partial(augment.augmentation_gain, LogisticRegression(),
                             augmenter=augment.smote, n_repeats=1, rng=0)
    aligned = gain(Xdf, ys)
    got = gain(Xdf, ys.sort_index())
    assert got.to_dict() == aligned.to_dict()
    # a y read by position scored the classifier near chance on the minority class
    assert got.baseline_score > 0.8
    plain = gain(Xdf.to_numpy(), ys.to_numpy())
    assert plain.to_dict() == aligned.to_dict()


def test_augmentation_gain_refuses_a_default_index_in_another_order() -> None:
    X, y, _ = _data(False)
    order = np.random.default_rng(7).permutation(N)
    Xdf = pd.DataFrame(X).iloc[order]
    with pytest.raises(InvalidParameterError, match=r"'y' parameter of augmentation_gain"):
        augment.augmentation_gain(LogisticRegression(), Xdf, pd.Series(y[order]),
                                  augment.smote, n_repeats=1, rng=0)
