"""Conformance check for active-learning query strategies (labels package)."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle.protocols import QueryStrategy

__all__ = ["check_query_strategy"]


def check_query_strategy(
    strategy: Any,
    estimator: Any,
    X_pool: npt.ArrayLike,
    *,
    X_labelled: npt.ArrayLike | None = None,
    batch_size: int = 5,
) -> None:
    """Check a query strategy honours the :class:`QueryStrategy` protocol.

    Checks that it is callable with the common signature; returns
    ``batch_size`` distinct integer pool indices in range with one finite
    score each; leaves ``X_pool`` and ``X_labelled`` unchanged; gives the
    same batch for the same ``rng`` seed; works with ``batch_size=1`` and
    with ``batch_size`` equal to the pool size; does not change the
    estimator's predictions; and still works after the strategy is pickled
    (when it can be).

    Parameters
    ----------
    strategy : QueryStrategy
        The strategy to check.
    estimator : fitted classifier
        Passed to the strategy (a committee for query-by-committee ones).
    X_pool : array-like of shape (n_pool, n_features)
        Unlabelled rows; at least ``batch_size``.
    X_labelled : array-like, optional
        Labelled rows, passed through.
    batch_size : int, default=5

    Raises
    ------
    AssertionError
        Naming the property that does not hold.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.labels import margin
    >>> from mllifecycle.testing import check_query_strategy
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 2))
    >>> model = LogisticRegression().fit(X, (X[:, 0] > 0).astype(int))
    >>> check_query_strategy(margin, model, X)
    """
    assert isinstance(strategy, QueryStrategy), f"{strategy!r} is not callable"
    from mllifecycle._validation import check_int

    # 0 (or True) failed a correct strategy with NumPy's error on an empty batch
    batch_size = check_int(batch_size, "batch_size", caller="check_query_strategy", low=1)
    Xp = np.asarray(X_pool, dtype=np.float64)
    n = Xp.shape[0]
    assert n >= batch_size, "X_pool must have at least batch_size rows for the check"
    pool_before = Xp.copy()
    # the labelled rows too: a strategy standardising X_labelled in place (for
    # its distances) corrupted the caller's training data, and passed
    lab_before = None if X_labelled is None else np.array(X_labelled, copy=True)
    before = _predictions(estimator, Xp)

    def call(b: int, seed: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
        q = strategy(estimator, Xp, batch_size=b, X_labelled=X_labelled, rng=seed)
        assert hasattr(q, "indices"), "the result must have 'indices'"
        assert hasattr(q, "scores"), "the result must have 'scores'"
        idx = np.asarray(q.indices)
        sc = np.asarray(q.scores, dtype=np.float64)
        assert idx.ndim == 1, "indices must be a 1-D array"
        assert idx.dtype.kind in "iu", "indices must be integers"
        assert idx.shape[0] == b, f"asked for batch_size={b}, got {idx.shape[0]} indices"
        assert np.unique(idx).shape[0] == b, "indices must be distinct"
        assert idx.min() >= 0, "indices must be rows of X_pool (negative index)"
        assert idx.max() < n, "indices must be rows of X_pool (index past the end)"
        assert sc.shape == idx.shape, "one score per index"
        assert np.isfinite(sc).all(), "scores must be finite (no NaN or infinity)"
        assert np.array_equal(Xp, pool_before, equal_nan=True), (
            "the strategy modified X_pool in place"
        )
        if lab_before is not None:
            now = np.asarray(X_labelled)
            same = now.shape == lab_before.shape and np.array_equal(
                now, lab_before, equal_nan=lab_before.dtype.kind in "fc"
            )
            assert same, "the strategy modified X_labelled in place"
        return idx, sc

    a, sa = call(batch_size, 7)
    b, sb = call(batch_size, 7)
    assert np.array_equal(a, b), "the same rng seed gave different batches"
    assert np.array_equal(sa, sb), "the same rng seed gave different scores"
    call(1, 0)
    call(n, 0)
    after = _predictions(estimator, Xp)
    if before is not None:
        same = len(before) == len(after) and all(
            np.array_equal(b, a) for b, a in zip(before, after, strict=True)
        )
        assert same, (
            "the strategy changed the estimator's predictions (it must not refit it)"
        )
    try:
        clone = pickle.loads(pickle.dumps(strategy))
    except Exception:  # lambdas and closures need not pickle
        return
    q = clone(estimator, Xp, batch_size=batch_size, X_labelled=X_labelled, rng=7)
    assert np.array_equal(np.asarray(q.indices), a), (
        "the strategy restored from a pickle chose a different batch"
    )


def _predictions(estimator: Any, X: npt.NDArray[np.float64]) -> Any:
    """Return every model's probabilities (all members of a committee), or None."""
    models = list(estimator) if isinstance(estimator, list | tuple) else [estimator]
    # every member: a strategy refitting the second model of a committee passed
    out = [np.asarray(m.predict_proba(X)) for m in models if hasattr(m, "predict_proba")]
    return out or None
