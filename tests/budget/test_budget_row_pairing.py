"""Row-aligned pandas inputs of the budget helpers are paired by row label.

``learning_curve`` and ``time_fits`` (X, y), ``fit_curve`` (sizes, scores) and
``fit_compute`` (n_samples, n_features, seconds, peak_memory) read their
inputs by position: a shuffled ``X`` with ``y`` sorted by index measured a
curve of chance-level scores (0.98 -> 0.53 at 150 rows), with exit 0.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from mllifecycle import budget
from mllifecycle.exceptions import InvalidParameterError

pd = pytest.importorskip("pandas")

N = 200


def _xy(default: bool = False) -> tuple[Any, Any]:
    """X with shuffled row labels and y with the same labels, in X's order."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(N, 3))
    y = (X[:, 0] > 0).astype(int)
    labels = rng.permutation(N) + (0 if default else 100)
    return (pd.DataFrame(X, columns=["a", "b", "c"], index=labels),
            pd.Series(y, index=labels, name="y"))


def _curve(X: Any, y: Any) -> dict[str, Any]:
    return budget.learning_curve(LogisticRegression(), X, y, [20, 40, 80, 150], n_repeats=1,
                                 n_resamples=50, rng=0).to_dict()


class _Recorder(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Records, for every fit, whether each row's label is its own (y == x0 > 0)."""

    fits: ClassVar[list[bool]] = []

    def fit(self, X: Any, y: Any) -> _Recorder:
        x0 = np.asarray(X)[:, 0]
        type(self).fits.append(bool(np.array_equal(np.asarray(y), (x0 > 0).astype(int))))
        return self


def test_learning_curve_pairs_sorted_y_with_shuffled_x() -> None:
    X, y = _xy()
    aligned = _curve(X, y)
    got = _curve(X, y.sort_index())
    assert got == aligned
    assert _curve(X.to_numpy(), y.to_numpy()) == aligned


def test_learning_curve_refuses_a_default_index_in_another_order() -> None:
    X, y = _xy(default=True)
    with pytest.raises(InvalidParameterError, match=r"'y' parameter of learning_curve .*X's"):
        _curve(X, y.sort_index().reset_index(drop=True))


def test_time_fits_fits_each_row_with_its_own_label() -> None:
    X, y = _xy()
    _Recorder.fits = []
    budget.time_fits(_Recorder(), X, y.sort_index(), [50, 100, 150], repeats=1, rng=0)
    assert _Recorder.fits == [True, True, True]
    Xd, yd = _xy(default=True)
    with pytest.raises(InvalidParameterError, match=r"'y' parameter of time_fits .*X's"):
        budget.time_fits(_Recorder(), Xd, yd.sort_index().reset_index(drop=True),
                         [50, 100, 150], repeats=1, rng=0)
    _Recorder.fits = []
    budget.time_fits(_Recorder(), X.to_numpy(), y.to_numpy(), [50, 100, 150], repeats=1,
                     rng=0)
    assert _Recorder.fits == [True, True, True]


SIZES = np.array([10.0, 20.0, 40.0, 80.0, 160.0])
SCORES = np.array([[0.60, 0.62], [0.70, 0.69], [0.75, 0.76], [0.78, 0.79], [0.80, 0.80]])


def _fit_curve(sizes: Any, scores: Any) -> dict[str, Any]:
    return budget.fit_curve(sizes, scores, n_resamples=50, rng=0).to_dict()


def test_fit_curve_pairs_scores_with_sizes_by_label() -> None:
    labels = np.array([3, 0, 4, 1, 2]) + 10
    sizes = pd.Series(SIZES, index=labels)
    scores = pd.DataFrame(SCORES, index=labels)
    aligned = _fit_curve(sizes, scores)
    assert _fit_curve(sizes, scores.sort_index()) == aligned
    assert _fit_curve(sizes, scores[0].sort_index()) == _fit_curve(sizes, scores[0])
    assert _fit_curve(SIZES, SCORES) == aligned
    with pytest.raises(InvalidParameterError, match=r"'scores' parameter of fit_curve"):
        _fit_curve(pd.Series(SIZES, index=labels - 10),
                   pd.DataFrame(SCORES[np.argsort(labels)]))


def test_fit_compute_pairs_columns_with_n_samples_by_label() -> None:
    rows = np.array([100.0, 200.0, 400.0, 800.0])
    feats = np.array([5.0, 10.0, 5.0, 10.0])
    secs = rows**2 * feats / 1e4
    mem = rows * feats * 8.0
    labels = np.array([2, 0, 3, 1]) + 7

    def col(v: Any, index: Any = labels) -> Any:
        return pd.Series(v, index=index)

    aligned = budget.fit_compute(col(rows), col(feats), col(secs), peak_memory=col(mem))
    got = budget.fit_compute(col(rows), col(feats).sort_index(), col(secs).sort_index(),
                             peak_memory=col(mem).sort_index())
    assert got.to_dict() == aligned.to_dict()
    assert got.rows_exponent == pytest.approx(2.0)
    plain = budget.fit_compute(rows, feats, secs, peak_memory=mem)
    assert plain.to_dict() == aligned.to_dict()
    order = np.argsort(labels)
    for name in ("n_features", "seconds", "peak_memory"):
        args = {"n_features": feats, "seconds": secs, "peak_memory": mem}
        args[name] = pd.Series(args[name][order])  # a default index, in sorted order
        with pytest.raises(InvalidParameterError, match=rf"'{name}' parameter of fit_compute"):
            budget.fit_compute(col(rows, labels - 7), args["n_features"], args["seconds"],
                               peak_memory=args["peak_memory"])
