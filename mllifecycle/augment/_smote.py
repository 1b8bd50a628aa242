"""SMOTE, Borderline-SMOTE, ADASYN and SMOTE-NC: interpolation between neighbours."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._validation import (
    RNGLike,
    check_array,
    check_int,
    check_option,
    check_rng,
    described,
    fail,
    refuse_sparse,
)
from mllifecycle._weights import check_weights
from mllifecycle.augment._common import (
    FloatArray,
    IntArray,
    Output,
    apportion,
    as_python,
    assemble,
    check_n_jobs,
    check_X,
    check_y,
    class_plan,
    distance_scale,
    drop_self,
    effective_k,
    frame_io,
    interpolate,
    neighbors_within,
    refuse_complex,
    safe_scale,
    to_numpy,
    xy_positional,
)
from mllifecycle.augment._knn import LazyIndex, kneighbors_all, radius_bound
from mllifecycle.exceptions import DegenerateDataWarning

__all__ = ["smote", "borderline_smote", "adasyn", "smote_nc"]

Part = tuple[npt.NDArray[Any], npt.NDArray[Any], FloatArray | None]


def _smote_class(
    X: FloatArray, w: FloatArray | None, idx: IntArray, n_new: int, k: int,
    rng: np.random.Generator, n_jobs: int | None, out: Output, sl: slice,
    stable: bool = False,
) -> tuple[IntArray, IntArray]:
    """Plain SMOTE within one class, written into ``out[sl]``; returns parents."""
    Xc = X[idx]
    nn = neighbors_within(Xc, k, n_jobs)
    seeds = rng.integers(0, idx.size, size=n_new)
    cols = rng.integers(0, k, size=n_new)
    gaps = rng.random(n_new)
    partners = nn[seeds, cols]
    interpolate(Xc, seeds, Xc, partners, gaps, out=out.X[sl], stable=stable)
    _fill_weights(out, sl, None if w is None else w[idx], seeds, partners, gaps)
    return idx[seeds], idx[partners]


def _fill_weights(
    out: Output, sl: slice, w: FloatArray | None, seeds: IntArray,
    partners: IntArray, gaps: FloatArray,
) -> None:
    if out.w is not None and w is not None:
        out.w[sl] = w[seeds] + gaps * (w[partners] - w[seeds])


def _prepare(
    X: Any, y: Any, sample_weight: Any, sampling_strategy: Any, n_samples: Any,
    k_neighbors: Any, n_jobs: Any, rng: Any, caller: str,
) -> tuple[Any, ...]:
    Xa, out_dtype = check_X(X, caller)
    ya = check_y(y, Xa.shape[0], caller)
    w = check_weights(sample_weight, Xa.shape[0], caller)
    k = check_int(k_neighbors, "k_neighbors", caller=caller, low=1)
    jobs = check_n_jobs(n_jobs, caller)
    gen = check_rng(rng, caller=caller)
    classes, inverse, counts, n_new = class_plan(
        ya, sampling_strategy, n_samples, caller
    )
    return Xa, out_dtype, ya, w, k, jobs, gen, classes, inverse, counts, n_new




@frame_io
def smote(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    sampling_strategy: Any = "auto",
    n_samples: int | None = None,
    k_neighbors: int = 5,
    sample_weight: npt.ArrayLike | None = None,
    n_jobs: int | None = None,
    rng: RNGLike = None,
) -> tuple[Any, ...]:
    """Oversample classes by SMOTE: interpolate between same-class neighbours.

    Each synthetic row is ``x_i + u * (x_j - x_i)`` with ``x_i`` a random
    row of the class, ``x_j`` one of its ``k_neighbors`` nearest neighbours
    within the class (scikit-learn's ``NearestNeighbors``, Euclidean) and
    ``u ~ U(0, 1)`` [1]_. All parents, neighbours and gaps are drawn at once.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric features (NaN and inf are rejected).
    y : array-like of shape (n_samples,)
        Class labels of any type (ints, strings, ...); returned unchanged for
        the original rows and copied to their synthetic children.
    sampling_strategy : "auto", float or dict, default="auto"
        How many rows to add. ``"auto"`` brings every class up to the size of
        the largest. A float ``r`` in (0, 1] brings every class smaller than
        ``floor(r * n_majority)`` up to that count (an error if it would bring
        the smallest class down). A dict ``{class: target_count}`` sets the
        final count of the listed classes (never below the current count).
    n_samples : int, optional
        Instead of ``sampling_strategy``: add exactly this many synthetic rows,
        split across classes in proportion to their sizes (for augmenting an
        already balanced data set).
    k_neighbors : int, default=5
        Neighbours considered within the class. A class with ``k_neighbors``
        rows or fewer uses ``n_class - 1`` with a
        :class:`~mllifecycle.exceptions.DegenerateDataWarning`; a class of one
        row cannot be interpolated (error).
    sample_weight : array-like of shape (n_samples,), optional
        When given, it is returned as a third output; a synthetic row gets the
        parents' weights interpolated with the same gap,
        ``w_i + u * (w_j - w_i)``.
    n_jobs : int, optional
        Threads for the neighbour search (scikit-learn's ``n_jobs``).
    rng : int, numpy.random.Generator or None, default=None
        Seed of the draws; the same seed gives the same output.

    Returns
    -------
    X_new : numpy.ndarray of shape (n_samples + n_synthetic, n_features)
        The original rows, in order, followed by the synthetic rows. A
        floating input keeps its dtype; other inputs become float64.
    y_new : numpy.ndarray of shape (n_samples + n_synthetic,)
        Labels, with the dtype of ``y``.
    sample_weight_new : numpy.ndarray, only when ``sample_weight`` is given.

    Raises
    ------
    InvalidParameterError
        On a single class, a class of one row to be oversampled, NaN, a
        continuous target, or a ``sampling_strategy`` that would remove rows.

    See Also
    --------
    borderline_smote, adasyn, smote_nc, smote_regression, SMOTE

    References
    ----------
    .. [1] N. V. Chawla, K. W. Bowyer, L. O. Hall and W. P. Kegelmeyer,
       "SMOTE: Synthetic Minority Over-sampling Technique", Journal of
       Artificial Intelligence Research 16, 321-357 (2002).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.augment import smote
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(110, 2))
    >>> y = np.r_[np.zeros(100, int), np.ones(10, int)]
    >>> X_new, y_new = smote(X, y, rng=0)
    >>> np.bincount(y_new)
    array([100, 100])
    """
    caller = "smote"
    Xa, out_dtype, ya, w, k, jobs, gen, classes, inverse, _, n_new = _prepare(
        X, y, sample_weight, sampling_strategy, n_samples, k_neighbors, n_jobs, rng,
        caller,
    )
    out = Output(Xa, ya, w, int(n_new.sum()), out_dtype)
    stable = safe_scale(Xa) != 1.0
    for c in np.flatnonzero(n_new):
        idx = np.flatnonzero(inverse == c)
        kc = effective_k(k, idx.size, classes[c], caller)
        sl = out.slot(int(n_new[c]), classes[c])
        _smote_class(Xa, w, idx, int(n_new[c]), kc, gen, jobs, out, sl, stable)
    return out.result()


def _query_all(
    X: FloatArray, idx: IntArray, q: int, n_jobs: int | None, index: LazyIndex,
    within: IntArray | None = None,
) -> IntArray:
    """Return the ``q`` nearest neighbours over all rows (self excluded) of ``idx``.

    ``within`` (each row's nearest same-class rows, positions in ``idx``, self
    excluded), when it holds at least ``q`` columns, bounds each row's radius
    and lets :func:`~mllifecycle.augment._knn.kneighbors_all` answer the same
    exact search by a single-precision filter.
    """
    q_eff = min(q, X.shape[0] - 1)
    tau = None
    if within is not None and within.shape[1] >= q_eff:
        tau = radius_bound(X, idx, idx[within[:, :q_eff]])
    ind = kneighbors_all(X, idx, q_eff + 1, tau, n_jobs, index)
    return drop_self(ind, idx)


def _all_index(X: FloatArray, n_jobs: int | None) -> LazyIndex:
    return LazyIndex(X, n_jobs)


def _scaled(X: FloatArray) -> tuple[FloatArray, bool]:
    """Return ``X`` divided by :func:`distance_scale` (for distances), and a flag.

    The flag says whether the interpolation needs its overflow-safe form
    (:func:`safe_scale` is not 1).
    """
    s = distance_scale(X)
    return (X if s == 1.0 else X / s), safe_scale(X) != 1.0


@frame_io
def borderline_smote(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    sampling_strategy: Any = "auto",
    n_samples: int | None = None,
    k_neighbors: int = 5,
    m_neighbors: int = 10,
    kind: str = "borderline-1",
    sample_weight: npt.ArrayLike | None = None,
    n_jobs: int | None = None,
    rng: RNGLike = None,
) -> tuple[Any, ...]:
    """Oversample the borderline rows of each class (Borderline-SMOTE 1 and 2).

    Han et al. [1]_ only interpolate from the rows "in danger": among the
    ``m_neighbors`` nearest rows of the whole data set, ``m'`` belong to other
    classes with ``m / 2 <= m' < m`` (``m' = m`` is noise and is skipped).
    One neighbour query over all rows, for the rows of the class, gives both
    the danger set and (for ``"borderline-2"``) the interpolation partners.

    - ``"borderline-1"``: partners are the ``k_neighbors`` nearest rows of the
      same class; ``u ~ U(0, 1)``.
    - ``"borderline-2"``: partners are the ``k_neighbors`` nearest rows of any
      class; ``u ~ U(0, 1)`` toward a same-class partner and ``u ~ U(0, 0.5)``
      toward another class, so the new row stays nearer its own class (as in
      the paper; imbalanced-learn multiplies two uniforms instead).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric features (NaN and inf are rejected).
    y : array-like of shape (n_samples,)
        Class labels of any type (ints, strings, ...); returned unchanged for
        the original rows and copied to their synthetic children.
    sampling_strategy : "auto", float or dict, default="auto"
        How many rows to add. ``"auto"`` brings every class up to the size of
        the largest. A float ``r`` in (0, 1] brings every class smaller than
        ``floor(r * n_majority)`` up to that count (an error if it would bring
        the smallest class down). A dict ``{class: target_count}`` sets the
        final count of the listed classes (never below the current count).
    n_samples : int, optional
        Instead of ``sampling_strategy``: add exactly this many synthetic rows,
        split across classes in proportion to their sizes (for augmenting an
        already balanced data set).
    k_neighbors : int, default=5
        Interpolation partners per danger row (see ``kind``). For
        ``"borderline-1"`` a class with ``k_neighbors`` rows or fewer uses
        ``n_class - 1`` (with a warning), as in :func:`smote`.
    m_neighbors : int, default=10
        Neighbours over all rows that decide whether a row is in danger.
    kind : {"borderline-1", "borderline-2"}, default="borderline-1"
    sample_weight : array-like of shape (n_samples,), optional
        Returned as a third output; synthetic rows get ``w_i + u (w_j - w_i)``.
    n_jobs : int, optional
        Threads for the neighbour search.
    rng : int, numpy.random.Generator or None, default=None
        Seed of the draws.

    Returns
    -------
    X_new, y_new[, sample_weight_new]
        As in :func:`smote`. When a class has no row in danger, plain SMOTE
        seeds (all its rows) are used and a
        :class:`~mllifecycle.exceptions.DegenerateDataWarning` says so, so the
        class counts are always as requested.

    See Also
    --------
    smote, adasyn, BorderlineSMOTE

    References
    ----------
    .. [1] H. Han, W.-Y. Wang and B.-H. Mao, "Borderline-SMOTE: A New
       Over-Sampling Method in Imbalanced Data Sets Learning", ICIC 2005,
       LNCS 3644, 878-887 (2005).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.augment import borderline_smote
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(0, 1, (200, 2)), rng.normal(1, 1, (20, 2))]
    >>> y = np.r_[np.zeros(200, int), np.ones(20, int)]
    >>> X_new, y_new = borderline_smote(X, y, kind="borderline-2", rng=0)
    >>> np.bincount(y_new)
    array([200, 200])
    """
    caller = "borderline_smote"
    kind = check_option(kind, "kind", ("borderline-1", "borderline-2"), caller)
    m = check_int(m_neighbors, "m_neighbors", caller=caller, low=1)
    Xa, out_dtype, ya, w, k, jobs, gen, classes, inverse, _, n_new = _prepare(
        X, y, sample_weight, sampling_strategy, n_samples, k_neighbors, n_jobs, rng,
        caller,
    )
    out = Output(Xa, ya, w, int(n_new.sum()), out_dtype)
    todo = np.flatnonzero(n_new)
    Xd, stable = _scaled(Xa)
    index = _all_index(Xd, jobs)
    for c in todo:
        idx = np.flatnonzero(inverse == c)
        label = classes[c]
        q = m if kind == "borderline-1" else max(m, k)
        q_eff = min(q, Xd.shape[0] - 1)
        # one within-class search: the radius bound of the all-rows search
        # and (borderline-1) the interpolation partners
        kc = effective_k(k, idx.size, label, caller) if kind == "borderline-1" else 0
        within = neighbors_within(Xd[idx], min(max(q_eff, kc), idx.size - 1), jobs)
        nbrs = _query_all(Xd, idx, q, jobs, index, within)
        m_eff = min(m, nbrs.shape[1])
        n_other = (inverse[nbrs[:, :m_eff]] != c).sum(axis=1)
        danger = np.flatnonzero((2 * n_other >= m_eff) & (n_other < m_eff))
        if danger.size == 0:
            warnings.warn(
                f"borderline_smote: no row of class {as_python(label)!r} is in danger "
                f"(m_neighbors={m}); using every row of the class as a seed.",
                DegenerateDataWarning, stacklevel=2,
            )
            danger = np.arange(idx.size, dtype=np.intp)
        cnt = int(n_new[c])
        sl = out.slot(cnt, label)
        if kind == "borderline-1":
            Xc = Xa[idx]
            pick = gen.integers(0, danger.size, size=cnt)
            cols = gen.integers(0, kc, size=cnt)
            gaps = gen.random(cnt)
            seeds = danger[pick]
            partners = within[seeds, cols]
            interpolate(Xc, seeds, Xc, partners, gaps, out=out.X[sl], stable=stable)
            _fill_weights(out, sl, None if w is None else w[idx], seeds, partners,
                          gaps)
        else:
            kc = min(k, nbrs.shape[1])
            pick = gen.integers(0, danger.size, size=cnt)
            cols = gen.integers(0, kc, size=cnt)
            gaps = gen.random(cnt)
            seeds = idx[danger[pick]]
            partners = nbrs[danger[pick], cols]
            gaps = np.where(inverse[partners] == c, gaps, 0.5 * gaps)
            interpolate(Xa, seeds, Xa, partners, gaps, out=out.X[sl], stable=stable)
            _fill_weights(out, sl, w, seeds, partners, gaps)
    return out.result()


@frame_io
def adasyn(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    sampling_strategy: Any = "auto",
    n_samples: int | None = None,
    k_neighbors: int = 5,
    sample_weight: npt.ArrayLike | None = None,
    n_jobs: int | None = None,
    rng: RNGLike = None,
) -> tuple[Any, ...]:
    r"""Oversample by ADASYN: more synthetic rows where the class is harder.

    He et al. [1]_ give row ``i`` of the class a share
    :math:`\hat r_i = r_i / \sum_j r_j` of the ``G`` new rows, with ``r_i``
    the fraction of its ``k_neighbors`` nearest rows (over the whole data set,
    one neighbour query) that belong to other classes; each new row
    interpolates between the row and one of its ``k_neighbors`` nearest rows
    within the class, as in SMOTE. The shares ``G * r_hat`` are rounded by
    largest remainder so that exactly ``G`` rows are added (the paper rounds
    each share, which changes the total).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric features (NaN and inf are rejected).
    y : array-like of shape (n_samples,)
        Class labels of any type (ints, strings, ...); returned unchanged for
        the original rows and copied to their synthetic children.
    sampling_strategy : "auto", float or dict, default="auto"
        How many rows to add. ``"auto"`` brings every class up to the size of
        the largest. A float ``r`` in (0, 1] brings every class smaller than
        ``floor(r * n_majority)`` up to that count (an error if it would bring
        the smallest class down). A dict ``{class: target_count}`` sets the
        final count of the listed classes (never below the current count).
    n_samples : int, optional
        Instead of ``sampling_strategy``: add exactly this many synthetic rows,
        split across classes in proportion to their sizes (for augmenting an
        already balanced data set).
    k_neighbors : int, default=5
        Neighbours for both the difficulty ratio and the interpolation. A
        class with ``k_neighbors`` rows or fewer interpolates with
        ``n_class - 1`` neighbours (with a warning), as in :func:`smote`.
    sample_weight : array-like of shape (n_samples,), optional
        Returned as a third output; synthetic rows get ``w_i + u (w_j - w_i)``.
    n_jobs : int, optional
        Threads for the neighbour search.
    rng : int, numpy.random.Generator or None, default=None
        Seed of the draws.

    Returns
    -------
    X_new, y_new[, sample_weight_new]
        As in :func:`smote`. When no row of a class has a neighbour of
        another class, all rows get equal shares (plain SMOTE) and a
        :class:`~mllifecycle.exceptions.DegenerateDataWarning` says so.

    See Also
    --------
    smote, borderline_smote, ADASYN

    References
    ----------
    .. [1] H. He, Y. Bai, E. A. Garcia and S. Li, "ADASYN: Adaptive Synthetic
       Sampling Approach for Imbalanced Learning", IEEE IJCNN 2008,
       1322-1328 (2008).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.augment import adasyn
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(0, 1, (200, 2)), rng.normal(1, 1, (20, 2))]
    >>> y = np.r_[np.zeros(200, int), np.ones(20, int)]
    >>> X_new, y_new = adasyn(X, y, rng=0)
    >>> np.bincount(y_new)
    array([200, 200])
    """
    caller = "adasyn"
    Xa, out_dtype, ya, w, k, jobs, gen, classes, inverse, _, n_new = _prepare(
        X, y, sample_weight, sampling_strategy, n_samples, k_neighbors, n_jobs, rng,
        caller,
    )
    out = Output(Xa, ya, w, int(n_new.sum()), out_dtype)
    todo = np.flatnonzero(n_new)
    Xd, stable = _scaled(Xa)
    index = _all_index(Xd, jobs)
    for c in todo:
        idx = np.flatnonzero(inverse == c)
        label = classes[c]
        kc = effective_k(k, idx.size, label, caller)
        # the within-class neighbours serve the interpolation and bound the
        # radius of the all-rows search
        nn = neighbors_within(Xd[idx], kc, jobs)
        nbrs = _query_all(Xd, idx, k, jobs, index, nn)
        ratio = (inverse[nbrs] != c).mean(axis=1)
        if ratio.sum() == 0:
            warnings.warn(
                f"adasyn: no row of class {as_python(label)!r} has a neighbour of another "
                "class; every row gets an equal share (plain SMOTE).",
                DegenerateDataWarning, stacklevel=2,
            )
            ratio = np.ones(idx.size)
        cnt = int(n_new[c])
        per_row = apportion(ratio, cnt)
        seeds = np.repeat(np.arange(idx.size, dtype=np.intp), per_row)
        Xc = Xa[idx]
        cols = gen.integers(0, kc, size=cnt)
        gaps = gen.random(cnt)
        partners = nn[seeds, cols]
        sl = out.slot(cnt, label)
        interpolate(Xc, seeds, Xc, partners, gaps, out=out.X[sl], stable=stable)
        _fill_weights(out, sl, None if w is None else w[idx], seeds, partners, gaps)
    return out.result()


def _auto_categorical(X: Any) -> list[int]:
    """Return the columns ``categorical_features="auto"`` reads as categorical.

    Columns typed categorical (pandas ``category``, polars
    ``Categorical``/``Enum``, pyarrow dictionary), text columns (pandas
    ``string`` or ``object`` holding text, polars ``String``, pyarrow
    ``string``) and boolean columns (NumPy ``bool``, pandas ``boolean``):
    neither can be interpolated. Numbers, nullable ones included, stay
    numeric. An object NumPy array's columns are read by their values.
    """
    from mllifecycle._frames import categorical_columns, is_frame, to_columns

    if is_frame(X):
        found = set(categorical_columns(X))
        cols = to_columns(X)[1]
    else:
        raw = X if isinstance(X, np.ndarray) else None
        if raw is None or raw.ndim != 2 or raw.dtype.kind not in "OUSb":
            return []
        found, cols = set(), list(raw.T)
    for j, col in enumerate(cols):
        kind = col.dtype.kind
        if kind in "USb" or (kind == "O" and any(
            isinstance(v, str | bytes | bool | np.bool_) for v in col.tolist()
        )):
            found.add(j)
    return sorted(found)


def _reads_auto(fn: Callable[..., tuple[Any, ...]]) -> Callable[..., tuple[Any, ...]]:
    """Resolve ``categorical_features="auto"`` on ``X`` as it was given (its dtypes)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> tuple[Any, ...]:
        args = xy_positional(args, kwargs)
        auto = kwargs.get("categorical_features")
        if args and isinstance(auto, str) and auto == "auto":
            found = _auto_categorical(args[0])
            if found:
                kwargs["categorical_features"] = found
        return fn(*args, **kwargs)

    return wrapper


def _categorical_indices(categorical_features: Any, p: int, caller: str) -> IntArray:
    name = "categorical_features"
    expected = (f"'auto', a sequence of distinct column indices in [-{p}, {p}) or column "
                f"names of a table, or a boolean mask of length {p}, leaving at least one "
                "numeric column")
    if isinstance(categorical_features, str) and categorical_features == "auto":
        fail(name, expected, described(
            "'auto' on X without columns typed categorical (pandas category, polars "
            "Categorical/Enum, pyarrow dictionary), text columns or boolean columns"),
            caller)
    if categorical_features is None or isinstance(categorical_features, str | bytes):
        fail(name, expected, categorical_features, caller)
    arr = np.asarray(categorical_features)
    if arr.ndim != 1 or arr.size == 0:
        fail(name, expected, categorical_features, caller)
    if arr.dtype.kind == "b":
        if arr.size != p:
            fail(name, expected, described(f"a boolean mask of length {arr.size}"),
                 caller)
        idx = np.flatnonzero(arr)
    elif arr.dtype.kind in "iu":
        if (arr < -p).any() or (arr >= p).any():
            bad = arr[(arr < -p) | (arr >= p)]
            fail(name, expected, described(f"index {int(bad[0])} out of range for "
                                           f"{p} column(s)"), caller)
        idx = np.unique(np.where(arr < 0, arr + p, arr))
        if idx.size != arr.size:
            fail(name, expected, described("repeated column indices"), caller)
    else:
        fail(name, expected, categorical_features, caller)
    if idx.size == 0 or idx.size >= p:
        fail(name, expected, described(f"{idx.size} categorical of {p} column(s)"),
             caller)
    result: IntArray = idx.astype(np.intp)
    return result


def _encode_column(col: npt.NDArray[Any], j: int, caller: str) -> tuple[Any, IntArray]:
    if col.dtype.kind == "O":
        missing = np.array(
            [v is None or (isinstance(v, float) and v != v) for v in col]
        )
    elif col.dtype.kind in "fc":
        missing = ~np.isfinite(col)
    else:
        missing = np.zeros(col.shape[0], dtype=bool)
    if missing.any():
        fail("X", "free of missing (NaN, None, pd.NA) and infinite values in categorical "
             "columns", described(f"{int(missing.sum())} missing value(s) or inf in column {j}"),
             caller)
    try:
        cats, codes = np.unique(col, return_inverse=True)
    except TypeError:
        fail("X", "categorical columns of one comparable type",
             described(f"mixed types in column {j}"), caller)
    return cats, codes.astype(np.intp)


def _numbers_as_numbers(
    raw: npt.NDArray[Any], num_idx: IntArray, Xnum: FloatArray
) -> npt.NDArray[Any]:
    """Return the original rows of an object ``X``, booleans of number columns as floats.

    Such a column is interpolated (its synthetic rows hold fractions): with
    its original ``True``/``False`` kept, the column came back as objects
    mixing booleans and floats, where :func:`smote` gives a float column.
    """
    flagged = [
        j for j, col in enumerate(num_idx)
        if any(isinstance(v, bool | np.bool_) for v in raw[:, col].tolist())
    ]
    if not flagged:
        return raw
    base = raw.copy()
    for j in flagged:
        base[:, num_idx[j]] = Xnum[:, j].tolist()
    return base


def _mode_rows(codes: IntArray, n_cats: int) -> IntArray:
    """Return the most frequent code of each row (ties: the smallest code)."""
    n = codes.shape[0]
    flat = (np.arange(n, dtype=np.intp)[:, None] * n_cats + codes).ravel()
    counts = np.bincount(flat, minlength=n * n_cats).reshape(n, n_cats)
    out: IntArray = counts.argmax(axis=1).astype(np.intp)
    return out


def _smote_nc_impl(
    X: Any, y: Any, categorical_features: Any, *, sampling_strategy: Any,
    n_samples: Any, k_neighbors: Any, sample_weight: Any, n_jobs: Any, rng: Any,
) -> tuple[tuple[Any, ...], list[tuple[IntArray, IntArray]]]:
    """SMOTE-NC; also returns the (seed rows, neighbour rows) of each class part."""
    caller = "smote_nc"
    if X is None or isinstance(X, str | bytes):
        fail("X", "a 2-D array-like", X, caller)
    refuse_sparse(X, "X", caller)
    raw = np.asarray(to_numpy(X))
    refuse_complex(raw, "X", caller)
    if raw.ndim != 2:
        fail("X", "a 2-D array", described(f"a {raw.ndim}-D array of shape "
                                           f"{raw.shape}"), caller)
    n, p = raw.shape
    if p < 1:
        fail("X", "an array with at least 1 feature",
             described(f"0 feature(s) (shape={raw.shape}) while a minimum of 1 is required"),
             caller)
    if n < 1:
        fail("X", "a non-empty 2-D array", described(f"shape {raw.shape}"), caller)
    cat_idx = _categorical_indices(categorical_features, p, caller)
    num_idx = np.setdiff1d(np.arange(p), cat_idx).astype(np.intp)
    Xnum = check_array(raw[:, num_idx], "X", caller=caller, ndim=2)
    ya = check_y(y, n, caller)
    w = check_weights(sample_weight, n, caller)
    k = check_int(k_neighbors, "k_neighbors", caller=caller, low=1)
    jobs = check_n_jobs(n_jobs, caller)
    gen = check_rng(rng, caller=caller)
    encoded = [_encode_column(raw[:, j], int(j), caller) for j in cat_idx]
    codes = np.column_stack([e[1] for e in encoded])
    n_cats = np.array([e[0].size for e in encoded], dtype=np.intp)
    offsets = np.r_[0, np.cumsum(n_cats)[:-1]].astype(np.intp)
    classes, inverse, _, n_new = class_plan(ya, sampling_strategy, n_samples, caller)
    if raw.dtype.kind == "f":
        out_dtype = raw.dtype
    elif raw.dtype.kind in "biu":
        out_dtype = np.dtype(np.float64)
    else:
        out_dtype = np.dtype(object)
    parts: list[Part] = []
    parents: list[tuple[IntArray, IntArray]] = []
    for c in np.flatnonzero(n_new):
        idx = np.flatnonzero(inverse == c)
        label = classes[c]
        kc = effective_k(k, idx.size, label, caller)
        Xc = Xnum[idx]
        sc = distance_scale(Xc)  # exact; tiny columns would square to 0
        med = float(np.median((Xc / sc).std(axis=0)))
        onehot = np.zeros((idx.size, int(n_cats.sum())))
        rows = np.arange(idx.size)
        for j in range(codes.shape[1]):
            onehot[rows, offsets[j] + codes[idx, j]] = med / np.sqrt(2.0)
        nn = neighbors_within(np.hstack([Xc / sc, onehot]), kc, jobs)
        cnt = int(n_new[c])
        seeds = gen.integers(0, idx.size, size=cnt)
        cols = gen.integers(0, kc, size=cnt)
        gaps = gen.random(cnt)
        partners = nn[seeds, cols]
        num_new = interpolate(Xc, seeds, Xc, partners, gaps, stable=safe_scale(Xc) != 1.0)
        Xs = np.empty((cnt, p), dtype=out_dtype)
        Xs[:, num_idx] = num_new
        for j, col in enumerate(cat_idx):
            mode = _mode_rows(codes[idx, j][nn[seeds]], int(n_cats[j]))
            Xs[:, col] = encoded[j][0][mode]
        ws = None
        if w is not None:
            wc = w[idx]
            ws = wc[seeds] + gaps * (wc[partners] - wc[seeds])
        parts.append((Xs, np.full(cnt, label, dtype=ya.dtype), ws))
        parents.append((idx[seeds], idx[nn[seeds]]))
    base = raw if out_dtype.kind == "O" else raw.astype(out_dtype, copy=False)
    if out_dtype.kind == "O" and any(n_new):
        base = _numbers_as_numbers(raw, num_idx, Xnum)
    return assemble(base, ya, w, parts, out_dtype), parents


@_reads_auto
@frame_io
def smote_nc(
    X: Any,
    y: npt.ArrayLike,
    *,
    categorical_features: str | Sequence[int] | Sequence[str] | npt.ArrayLike,
    sampling_strategy: Any = "auto",
    n_samples: int | None = None,
    k_neighbors: int = 5,
    sample_weight: npt.ArrayLike | None = None,
    n_jobs: int | None = None,
    rng: RNGLike = None,
) -> tuple[Any, ...]:
    """SMOTE-NC: SMOTE for mixed numeric and categorical columns.

    Chawla et al. [1]_ (section 6.1): neighbours are found with the Euclidean
    distance on the numeric columns plus, for every categorical column on
    which two rows differ, the median ``Med`` of the class's numeric standard
    deviations (implemented as a one-hot encoding scaled by ``Med / sqrt(2)``,
    so a differing category adds ``Med**2`` to the squared distance). Numeric
    columns are interpolated as in SMOTE; each categorical column takes the
    value most frequent among the seed's ``k_neighbors`` neighbours (ties: the
    smallest category), so it is always a value present among them.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric and categorical columns; categories may be strings (an object
        array or a DataFrame) or numbers.
    y : array-like of shape (n_samples,)
        Class labels.
    categorical_features : "auto", sequence of int or str, or boolean mask
        The categorical columns (at least one; at least one column must stay
        numeric): indices, column names of a table, a boolean mask, or
        ``"auto"``: the columns typed categorical (pandas ``category``, polars
        ``Categorical``/``Enum``, pyarrow dictionary, as imbalanced-learn's
        ``SMOTENC`` reads them), and also text columns (pandas ``string``,
        ``object`` columns holding text, polars ``String``, pyarrow
        ``string``) and boolean columns (``bool``, pandas ``boolean``), which
        cannot be interpolated; number columns (nullable ones included) are
        numeric. On an object NumPy array, its columns holding text or bools.
        A list or mask on a table must include every column typed
        categorical (one left out would be interpolated: an error).
    sampling_strategy : "auto", float or dict, default="auto"
        As in :func:`smote`.
    n_samples : int, optional
        As in :func:`smote`.
    k_neighbors : int, default=5
        Neighbours within the class.
    sample_weight : array-like of shape (n_samples,), optional
        Returned as a third output; synthetic rows get ``w_i + u (w_j - w_i)``.
    n_jobs : int, optional
        Threads for the neighbour search.
    rng : int, numpy.random.Generator or None, default=None
        Seed of the draws.

    Returns
    -------
    X_new : numpy.ndarray
        Original rows then synthetic rows; an object array when ``X`` holds
        strings or objects (categories keep their values), a float array
        otherwise.
    y_new : numpy.ndarray
    sample_weight_new : numpy.ndarray, only when ``sample_weight`` is given.

    See Also
    --------
    smote, SMOTENC

    References
    ----------
    .. [1] N. V. Chawla, K. W. Bowyer, L. O. Hall and W. P. Kegelmeyer,
       "SMOTE: Synthetic Minority Over-sampling Technique", Journal of
       Artificial Intelligence Research 16, 321-357 (2002).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.augment import smote_nc
    >>> rng = np.random.default_rng(0)
    >>> X = np.empty((60, 2), dtype=object)
    >>> X[:, 0] = rng.normal(size=60)
    >>> X[:, 1] = rng.choice(["red", "blue"], size=60)
    >>> y = np.r_[np.zeros(50, int), np.ones(10, int)]
    >>> X_new, y_new = smote_nc(X, y, categorical_features=[1], rng=0)
    >>> X_new.shape, sorted(set(X_new[:, 1]))
    ((100, 2), ['blue', 'red'])
    """
    out, _ = _smote_nc_impl(
        X, y, categorical_features, sampling_strategy=sampling_strategy,
        n_samples=n_samples, k_neighbors=k_neighbors, sample_weight=sample_weight,
        n_jobs=n_jobs, rng=rng,
    )
    return out
