"""SMOTER: SMOTE for rare ranges of a continuous target (Torgo et al. 2013)."""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._validation import (
    RNGLike,
    check_array,
    check_callable,
    check_int,
    check_probability,
    check_rng,
    described,
    fail,
)
from mllifecycle._weights import check_weights
from mllifecycle.augment._common import (
    FloatArray,
    apportion,
    assemble,
    check_n_jobs,
    check_X,
    effective_k,
    frame_io,
    interpolate,
    neighbors_within,
    refuse_complex,
    refuse_inexact_integer_target,
    safe_scale,
    to_numpy,
)
from mllifecycle.exceptions import DegenerateDataWarning

__all__ = ["smote_regression", "default_relevance"]


def default_relevance(y: npt.ArrayLike) -> FloatArray:
    """Relevance of target values: 0 at the median, 1 at the box-plot whiskers.

    Piecewise linear on each side of the median, reaching 1 at the adjacent
    values (the most extreme observations within 1.5 IQR of the quartiles)
    and clipped to [0, 1], a simple form of the box-plot-based relevance of
    Torgo et al. [1]_ (who interpolate the same control points with a cubic
    spline).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Target values.

    Returns
    -------
    numpy.ndarray of shape (n_samples,)
        Relevance in [0, 1].

    References
    ----------
    .. [1] L. Torgo, R. P. Ribeiro, B. Pfahringer and P. Branco, "SMOTE for
       Regression", EPIA 2013, LNCS 8154, 378-389 (2013).

    Examples
    --------
    >>> from mllifecycle.augment import default_relevance
    >>> default_relevance([0.0, 1.0, 2.0, 3.0, 4.0, 100.0]).round(2).tolist()
    [1.0, 0.6, 0.2, 0.33, 1.0, 1.0]
    """
    v = check_array(y, "y", caller="default_relevance", ndim=1)
    q1, med, q3 = np.percentile(v, [25, 50, 75])
    iqr = q3 - q1
    hi = v[v <= q3 + 1.5 * iqr].max()
    lo = v[v >= q1 - 1.5 * iqr].min()
    out = np.zeros(v.shape[0])
    up, down = v > med, v < med
    out[up] = (v[up] - med) / (hi - med) if hi > med else 1.0
    out[down] = (med - v[down]) / (med - lo) if lo < med else 1.0
    return np.clip(out, 0.0, 1.0)


@frame_io
def smote_regression(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    sampling_strategy: Any = "auto",
    n_samples: int | None = None,
    k_neighbors: int = 5,
    relevance: Callable[[FloatArray], npt.ArrayLike] | None = None,
    threshold: float = 0.8,
    sample_weight: npt.ArrayLike | None = None,
    n_jobs: int | None = None,
    rng: RNGLike = None,
) -> tuple[Any, ...]:
    """SMOTER: oversample rare ranges of a continuous target by interpolation.

    Torgo et al. [1]_ call a row rare when the relevance of its target is at
    least ``threshold``, and split the rare rows into a low bin (below the
    median) and a high bin (above). Within each bin a new row interpolates
    between a random rare row ``i`` and one of its ``k_neighbors`` nearest
    rows of the same bin (features only): ``x = x_i + u (x_j - x_i)``; its
    target is the average of ``y_i`` and ``y_j`` weighted by the inverse
    distances of ``x`` to the two parents, which for numeric features is
    ``y_i + u (y_j - y_i)``. Only oversampling is done (the paper also
    undersamples the common rows; use sample weights or subsampling for
    that).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Continuous target.
    sampling_strategy : "auto", float or dict, default="auto"
        ``"auto"`` grows each rare bin to the number of common rows; a float
        ``r`` in (0, 1] grows each rare bin to ``floor(r * n_common)`` (never
        shrinking one); a dict ``{"low": count, "high": count}`` sets the final
        size of the listed bins.
    n_samples : int, optional
        Instead: add exactly this many rows, split across the rare bins in
        proportion to their sizes.
    k_neighbors : int, default=5
        Neighbours within a bin (reduced with a warning for a small bin).
    relevance : callable, optional
        Maps the target array to relevance in [0, 1]; default
        :func:`default_relevance`.
    threshold : float, default=0.8
        Rows with relevance ``>= threshold`` are rare.
    sample_weight : array-like of shape (n_samples,), optional
        Returned as a third output; new rows get ``w_i + u (w_j - w_i)``.
    n_jobs : int, optional
        Threads for the neighbour search.
    rng : int, numpy.random.Generator or None, default=None
        Seed of the draws.

    Returns
    -------
    X_new, y_new[, sample_weight_new]
        Original rows then the new rows; ``y_new`` is float64. An empty rare
        bin is skipped (with a warning when a dict asked rows for it); a bin
        with a single rare row is left as it is, with a
        :class:`~mllifecycle.exceptions.DegenerateDataWarning`. The same
        warning says when no row is added because no row is rare, or because
        every row is (``"auto"`` and a ratio then have no common rows to grow
        the rare bins to: a target of two values split about evenly).

    References
    ----------
    .. [1] L. Torgo, R. P. Ribeiro, B. Pfahringer and P. Branco, "SMOTE for
       Regression", EPIA 2013, LNCS 8154, 378-389 (2013).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.augment import smote_regression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 2))
    >>> y = np.exp(X[:, 0])
    >>> X_new, y_new = smote_regression(X, y, sampling_strategy={"high": 100}, rng=0)
    >>> X_new.shape, bool(y_new[300:].min() > np.median(y))
    ((..., 2), True)
    """
    caller = "smote_regression"
    Xa, out_dtype = check_X(X, caller)
    if y is None:
        fail("y", "an array-like of targets",
             described("None (smote_regression requires y to be passed, but the target "
                       "y is None)"), caller)
    yraw = to_numpy(y)
    refuse_complex(yraw, "y", caller)
    refuse_inexact_integer_target(yraw, caller)  # y_new is float64, original rows too
    ya = check_array(yraw, "y", caller=caller, ndim=1)
    if ya.shape[0] != Xa.shape[0]:
        fail("y", "the same number of samples as 'X'",
             described(f"lengths X={Xa.shape[0]}, y={ya.shape[0]}"), caller)
    w = check_weights(sample_weight, Xa.shape[0], caller)
    k = check_int(k_neighbors, "k_neighbors", caller=caller, low=1)
    thr = check_probability(threshold, "threshold", caller=caller)
    jobs = check_n_jobs(n_jobs, caller)
    gen = check_rng(rng, caller=caller)
    if relevance is None:
        phi = default_relevance(ya)
    else:
        check_callable(relevance, "relevance", caller)
        expected = "a callable returning one value in [0, 1] per target"
        got = relevance(ya)
        try:
            phi = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            # text or ragged answers failed with NumPy's bare conversion error
            fail("relevance", expected,
                 described(f"values that are not numbers ({type(got).__name__})"), caller)
        if phi.shape != ya.shape or not np.all((phi >= 0) & (phi <= 1)):
            # NaN was reported as "values in [0.0, 0.0]" (nanmin/nanmax skip it),
            # and an empty answer failed in nanmin with a bare ValueError
            finite = phi[np.isfinite(phi)]
            desc = [f"an array of shape {phi.shape}"]
            if finite.size:
                desc[0] += (f" with values in [{finite.min().item()!r}, "
                             f"{finite.max().item()!r}]")
            n_nan = int(np.isnan(phi).sum())
            n_inf = int(np.isinf(phi).sum())
            if n_nan:
                desc.append(f"{n_nan} NaN value(s)")
            if n_inf:
                desc.append(f"{n_inf} infinite value(s)")
            fail("relevance", expected, described(", ".join(desc)), caller)
    med = float(np.median(ya))
    rare = phi >= thr
    bins = {"low": np.flatnonzero(rare & (ya < med)),
            "high": np.flatnonzero(rare & (ya >= med))}
    n_common = int((~rare).sum())
    sizes = np.array([bins["low"].size, bins["high"].size])
    if n_samples is not None:
        if not (isinstance(sampling_strategy, str) and sampling_strategy == "auto"):
            fail("sampling_strategy", "'auto' when n_samples is given",
                 sampling_strategy, caller)
        total = check_int(n_samples, "n_samples", caller=caller, low=0)
        usable = np.where(sizes >= 2, sizes, 0)
        add = apportion(usable, total)
        if total and usable.sum() == 0:
            fail("y", "at least 2 rare rows (relevance >= threshold) in a bin",
                 described(f"{sizes.tolist()} rare rows in the low and high bins"),
                 caller)
    elif isinstance(sampling_strategy, str):
        if sampling_strategy != "auto":
            fail("sampling_strategy", "'auto', a float in (0, 1] or a dict "
                 "{'low': count, 'high': count}", sampling_strategy, caller)
        add = np.maximum(n_common - sizes, 0)
    elif isinstance(sampling_strategy, numbers.Real) and not isinstance(
        sampling_strategy, bool
    ):
        r = float(sampling_strategy)
        if not 0.0 < r <= 1.0:
            fail("sampling_strategy", "a float ratio in the range (0.0, 1.0]",
                 sampling_strategy, caller)
        add = np.maximum(int(np.floor(r * n_common)) - sizes, 0)
    elif isinstance(sampling_strategy, Mapping):
        add = np.zeros(2, dtype=np.intp)
        for key, value in sampling_strategy.items():
            if key not in bins:
                fail("sampling_strategy", "a dict with keys 'low' and/or 'high'",
                     described(f"key {key!r}"), caller)
            pos = 0 if key == "low" else 1
            t = check_int(value, f"sampling_strategy[{key!r}]", caller=caller, low=0)
            if t < sizes[pos]:
                fail("sampling_strategy", "target counts at least the current "
                     "bin sizes (this augmenter never removes rows)",
                     described(f"{t} for the {key} bin of {int(sizes[pos])} rows"),
                     caller)
            add[pos] = t - sizes[pos]
    else:
        fail("sampling_strategy", "'auto', a float in (0, 1] or a dict "
             "{'low': count, 'high': count}", sampling_strategy, caller)
    if not sizes.any():
        warnings.warn(
            f"smote_regression: no row is rare (relevance >= threshold={thr!r}), "
            "so no row is added; lower threshold or pass a relevance function "
            "if some targets are rare.",
            DegenerateDataWarning, stacklevel=2,
        )
    elif n_common == 0 and n_samples is None and not isinstance(sampling_strategy, Mapping):
        # "auto" and a ratio grow the rare bins to (a share of) the common rows
        warnings.warn(
            f"smote_regression: every row is rare (relevance >= threshold={thr!r}; "
            "e.g. a target of two values split about evenly, whose median falls "
            "between them), so there are no common rows to grow the rare bins to "
            "and no row is added; pass n_samples or a dict sampling_strategy, or "
            "a higher threshold.",
            DegenerateDataWarning, stacklevel=2,
        )
    parts: list[tuple[npt.NDArray[Any], npt.NDArray[Any], FloatArray | None]] = []
    for pos, name in enumerate(("low", "high")):
        idx, cnt = bins[name], int(add[pos])
        if cnt == 0:
            continue
        if idx.size == 0:  # no rare row on this side: nothing to interpolate
            if not isinstance(sampling_strategy, Mapping) or not sizes.any():
                continue  # "auto" or a ratio skips an empty bin (warned above if both are)
            warnings.warn(
                f"smote_regression: the {name} rare bin is empty (no rare target "
                f"{'below' if name == 'low' else 'at or above'} the median), so the "
                f"{cnt} row(s) asked for it are not added.",
                DegenerateDataWarning, stacklevel=2,
            )
            continue
        if idx.size == 1:
            warnings.warn(
                f"smote_regression: the {name} rare bin has {idx.size} row(s); "
                "at least 2 are needed to interpolate, so it is left as it is.",
                DegenerateDataWarning, stacklevel=2,
            )
            continue
        kc = effective_k(k, idx.size, name, caller)
        Xb = Xa[idx]
        nn = neighbors_within(Xb, kc, jobs)
        seeds = gen.integers(0, idx.size, size=cnt)
        partners = nn[seeds, gen.integers(0, kc, size=cnt)]
        gaps = gen.random(cnt)
        Xs = interpolate(Xb, seeds, Xb, partners, gaps, stable=safe_scale(Xb) != 1.0)
        yb = ya[idx]
        if safe_scale(yb) != 1.0:
            ys = yb[seeds] * (1.0 - gaps) + yb[partners] * gaps
        else:
            ys = yb[seeds] + gaps * (yb[partners] - yb[seeds])
        ws = None
        if w is not None:
            wb = w[idx]
            ws = wb[seeds] + gaps * (wb[partners] - wb[seeds])
        parts.append((Xs, ys, ws))
    return assemble(Xa, ya, w, parts, out_dtype)
