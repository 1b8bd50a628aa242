"""Random oversampling (smoothed bootstrap), Gaussian noise and mixup."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._validation import (
    RNGLike,
    check_int,
    check_option,
    check_rng,
    check_scalar,
    described,
    fail,
)
from mllifecycle._weights import check_weights
from mllifecycle.augment._common import (
    FloatArray,
    IntArray,
    as_python,
    assemble,
    check_class_keys,
    check_X,
    check_y,
    class_plan,
    distance_scale,
    frame_io,
    is_continuous,
    refuse_inexact_integer_target,
    safe_scale,
)

__all__ = ["random_oversample", "gaussian_noise", "mixup"]

Part = tuple[npt.NDArray[Any], npt.NDArray[Any], FloatArray | None]


def _groups(
    y: npt.NDArray[Any], sampling_strategy: Any, n_samples: Any, caller: str,
    continuous: bool,
) -> tuple[npt.NDArray[Any], list[tuple[Any, IntArray, int]]]:
    """(classes, [(label, row indices of the group, rows to add)]).

    A continuous target is one group of all rows, and needs ``n_samples``.
    """
    if continuous:
        if n_samples is None:
            fail("n_samples", "an int for a continuous target (classes cannot be "
                 "balanced)", n_samples, caller)
        if not (isinstance(sampling_strategy, str) and sampling_strategy == "auto"):
            fail("sampling_strategy", "'auto' for a continuous target",
                 sampling_strategy, caller)
        total = check_int(n_samples, "n_samples", caller=caller, low=0)
        return np.empty(0), [(None, np.arange(y.shape[0], dtype=np.intp), total)]
    classes, inverse, _, n_new = class_plan(y, sampling_strategy, n_samples, caller)
    groups = [
        (classes[c], np.flatnonzero(inverse == c).astype(np.intp), int(n_new[c]))
        for c in np.flatnonzero(n_new)
    ]
    return classes, groups


_FMAX = float(np.finfo(np.float64).max)


def _spread(X: npt.NDArray[Any]) -> FloatArray:
    """Per-column standard deviation that cannot overflow nor underflow.

    Computed on ``X`` divided by a power of 2 (:func:`distance_scale`): the
    squares of columns near ``1e-300`` underflow to 0 (no noise at all), and
    below ``1e-154`` lose precision.
    """
    s = distance_scale(X)
    out: FloatArray = (X / s).std(axis=0) * s if s != 1.0 else X.std(axis=0)
    return out


def _add_noise(Xs: FloatArray, noise: FloatArray) -> FloatArray:
    """``Xs + noise``, kept finite at the float64 limit (clipped to the largest float)."""
    with np.errstate(over="ignore"):
        Xs += noise
    if not np.isfinite(Xs).all():
        np.clip(Xs, -_FMAX, _FMAX, out=Xs)
    return Xs


def _labels(
    y: npt.NDArray[Any], label: Any, seeds: IntArray
) -> npt.NDArray[Any]:
    if label is None:
        return y[seeds]
    return np.full(seeds.shape[0], label, dtype=y.dtype)


@frame_io
def random_oversample(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    sampling_strategy: Any = "auto",
    n_samples: int | None = None,
    shrinkage: float | Mapping[Any, float] | None = None,
    sample_weight: npt.ArrayLike | None = None,
    rng: RNGLike = None,
) -> tuple[Any, ...]:
    r"""Oversample by drawing rows with replacement, optionally smoothed.

    With ``shrinkage=None`` this is the plain bootstrap: copies of random rows
    of the class. With a ``shrinkage`` ``h >= 0`` it is the smoothed bootstrap
    of Menardi and Torelli's ROSE [1]_: each copy gets Gaussian noise with
    per-feature standard deviation

    .. math:: h \left(\frac{4}{(d + 2)\, n_c}\right)^{1/(d + 4)} \sigma_{c,j},

    the rule-of-thumb kernel bandwidth of the class's ``n_c`` rows in ``d``
    dimensions, ``sigma_{c,j}`` the class's standard deviation of feature ``j``.
    (imbalanced-learn uses the total sample size instead of ``n_c``, so its
    noise is smaller.)

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Class labels; or a continuous target, with ``n_samples``.
    sampling_strategy : "auto", float or dict, default="auto"
        As in :func:`smote`.
    n_samples : int, optional
        Add exactly this many rows (split in proportion to class sizes; for a
        continuous target, drawn from all rows).
    shrinkage : float or dict {class: float}, optional
        Smoothing factor ``h`` (``0`` is the plain bootstrap).
    sample_weight : array-like of shape (n_samples,), optional
        Returned as a third output; a copy gets its parent's weight.
    rng : int, numpy.random.Generator or None, default=None
        Seed of the draws.

    Returns
    -------
    X_new, y_new[, sample_weight_new]
        Original rows then the new rows.

    References
    ----------
    .. [1] G. Menardi and N. Torelli, "Training and assessing classification
       rules with imbalanced data", Data Mining and Knowledge Discovery 28,
       92-122 (2014).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.augment import random_oversample
    >>> X = np.arange(12.0).reshape(6, 2)
    >>> y = np.array(["a", "a", "a", "a", "b", "b"])
    >>> X_new, y_new = random_oversample(X, y, shrinkage=0.5, rng=0)
    >>> sorted(y_new.tolist()).count("b")
    4
    """
    caller = "random_oversample"
    Xa, out_dtype = check_X(X, caller)
    ya = check_y(y, Xa.shape[0], caller)
    w = check_weights(sample_weight, Xa.shape[0], caller)
    gen = check_rng(rng, caller=caller)
    continuous = is_continuous(ya)
    classes, groups = _groups(ya, sampling_strategy, n_samples, caller, continuous)
    if shrinkage is None:
        shrink: dict[Any, float] | None = None
    elif isinstance(shrinkage, Mapping):
        shrink = {}
        known = set(classes.tolist())
        check_class_keys(shrinkage, "shrinkage", ya, caller)
        for key, v in shrinkage.items():
            k = key.item() if isinstance(key, np.generic) else key
            if k not in known:
                fail("shrinkage", f"a dict whose keys are classes of y "
                     f"{sorted(known)!r}", described(f"unknown class {key!r}"),
                     caller)
            shrink[k] = check_scalar(v, f"shrinkage[{key!r}]", caller=caller, low=0.0)
        missing = [as_python(lab) for lab, _, cnt in groups if cnt and lab not in shrink]
        if missing:
            fail("shrinkage", "a factor for every class that is oversampled",
                 described(f"no factor for {missing!r}"), caller)
    else:
        h = check_scalar(shrinkage, "shrinkage", caller=caller, low=0.0)
        shrink = {lab: h for lab, _, _ in groups}
    d = Xa.shape[1]
    parts: list[Part] = []
    for label, idx, cnt in groups:
        if cnt == 0:
            continue
        seeds = idx[gen.integers(0, idx.size, size=cnt)]
        Xs = Xa[seeds]
        if shrink is not None:
            bw = (4.0 / ((d + 2) * idx.size)) ** (1.0 / (d + 4))
            scale = shrink[label] * bw * _spread(Xa[idx])
            Xs = _add_noise(Xs, gen.standard_normal(Xs.shape) * scale)
        parts.append((Xs, _labels(ya, label, seeds), None if w is None else w[seeds]))
    return assemble(Xa, ya, w, parts, out_dtype)


@frame_io
def gaussian_noise(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    sampling_strategy: Any = "auto",
    n_samples: int | None = None,
    scale: float = 0.1,
    sample_weight: npt.ArrayLike | None = None,
    rng: RNGLike = None,
) -> tuple[Any, ...]:
    """Add noisy copies of random rows: ``x + N(0, (scale * sd_j)^2)`` per feature.

    ``sd_j`` is the standard deviation of feature ``j`` over all rows, so the
    noise is relative to each feature's spread and a constant feature stays
    constant. Copies keep their parent's label (and weight).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Class labels; or a continuous target, with ``n_samples``.
    sampling_strategy : "auto", float or dict, default="auto"
        As in :func:`smote`.
    n_samples : int, optional
        Add exactly this many rows.
    scale : float, default=0.1
        Noise standard deviation as a fraction of each feature's.
    sample_weight : array-like of shape (n_samples,), optional
        Returned as a third output; a copy gets its parent's weight.
    rng : int, numpy.random.Generator or None, default=None
        Seed of the draws.

    Returns
    -------
    X_new, y_new[, sample_weight_new]
        Original rows then the new rows.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.augment import gaussian_noise
    >>> X = np.random.default_rng(0).normal(size=(50, 3))
    >>> y = np.random.default_rng(1).normal(size=50)
    >>> X_new, y_new = gaussian_noise(X, y, n_samples=20, rng=0)
    >>> X_new.shape
    (70, 3)
    """
    caller = "gaussian_noise"
    Xa, out_dtype = check_X(X, caller)
    ya = check_y(y, Xa.shape[0], caller)
    w = check_weights(sample_weight, Xa.shape[0], caller)
    s = check_scalar(scale, "scale", caller=caller, low=0.0)
    gen = check_rng(rng, caller=caller)
    _, groups = _groups(ya, sampling_strategy, n_samples, caller, is_continuous(ya))
    sd = _spread(Xa) * s
    parts: list[Part] = []
    for label, idx, cnt in groups:
        if cnt == 0:
            continue
        seeds = idx[gen.integers(0, idx.size, size=cnt)]
        Xs = _add_noise(Xa[seeds].astype(np.float64),
                        gen.standard_normal((cnt, Xa.shape[1])) * sd)
        parts.append((Xs, _labels(ya, label, seeds), None if w is None else w[seeds]))
    return assemble(Xa, ya, w, parts, out_dtype)


@frame_io
def mixup(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    sampling_strategy: Any = "auto",
    n_samples: int | None = None,
    concentration: float = 0.2,
    labels: str = "hard",
    task: str = "auto",
    sample_weight: npt.ArrayLike | None = None,
    rng: RNGLike = None,
) -> tuple[Any, ...]:
    r"""Mixup: convex combinations of random pairs of rows and of their labels.

    Zhang et al. [1]_ draw :math:`\lambda \sim \mathrm{Beta}(c, c)`
    and form :math:`\lambda x_i + (1 - \lambda) x_j`. Here ``i`` is a row of
    the class being oversampled (any row for plain augmentation or
    regression), ``j`` is any row, and :math:`\lambda` is folded to
    :math:`\max(\lambda, 1 - \lambda)` so that row ``i`` dominates.

    - ``task="regression"``: the target is mixed, :math:`\lambda y_i + (1-\lambda) y_j`.
    - ``labels="hard"``: the new row takes the label of ``i`` (the dominant
      parent), so the class counts are as requested.
    - ``labels="soft"``: ``y_new`` becomes a 2-D array of class probabilities
      (columns in the order of ``numpy.unique(y)``): one-hot for the original
      rows, :math:`\lambda e_{y_i} + (1-\lambda) e_{y_j}` for the new ones.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Class labels or a continuous target.
    sampling_strategy : "auto", float or dict, default="auto"
        As in :func:`smote` (classification only).
    n_samples : int, optional
        Add exactly this many rows (required for regression).
    concentration : float, default=0.2
        Concentration ``c`` of the Beta distribution (> 0; the paper's
        ``alpha``, renamed because ``alpha`` is a significance level
        everywhere else in the library); small values keep new rows near a
        parent.
    labels : {"hard", "soft"}, default="hard"
        Labels of new rows, for classification.
    task : {"auto", "classification", "regression"}, default="auto"
        ``"auto"``: regression when ``y`` holds floats that are not all
        integers.
    sample_weight : array-like of shape (n_samples,), optional
        Returned as a third output; new rows get
        :math:`\lambda w_i + (1-\lambda) w_j`.
    rng : int, numpy.random.Generator or None, default=None
        Seed of the draws.

    Returns
    -------
    X_new, y_new[, sample_weight_new]
        Original rows then the new rows.

    References
    ----------
    .. [1] H. Zhang, M. Cisse, Y. N. Dauphin and D. Lopez-Paz, "mixup: Beyond
       Empirical Risk Minimization", ICLR 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.augment import mixup
    >>> X = np.random.default_rng(0).normal(size=(40, 2))
    >>> y = np.r_[np.zeros(30, int), np.ones(10, int)]
    >>> X_new, y_soft = mixup(X, y, labels="soft", rng=0)
    >>> y_soft.shape, bool(np.allclose(y_soft.sum(axis=1), 1.0))
    ((60, 2), True)
    """
    caller = "mixup"
    Xa, out_dtype = check_X(X, caller)
    ya = check_y(y, Xa.shape[0], caller)
    w = check_weights(sample_weight, Xa.shape[0], caller)
    a = check_scalar(concentration, "concentration", caller=caller, low=0.0,
                     low_inclusive=False)
    labels = check_option(labels, "labels", ("hard", "soft"), caller)
    task = check_option(task, "task", ("auto", "classification", "regression"), caller)
    gen = check_rng(rng, caller=caller)
    regression = is_continuous(ya) if task == "auto" else task == "regression"
    if regression and ya.dtype.kind not in "biuf":
        fail("y", "numeric for task='regression'", described(f"dtype {ya.dtype}"),
             caller)
    if regression:  # the mixed target is float64, the original rows' too
        refuse_inexact_integer_target(ya, caller)
    if not regression and is_continuous(ya):
        fail("y", "class labels for task='classification'",
             described("a continuous target"), caller)
    classes, groups = _groups(ya, sampling_strategy, n_samples, caller, regression)
    n = Xa.shape[0]
    stable = safe_scale(Xa) != 1.0
    parts: list[Part] = []
    soft_parts: list[FloatArray] = []
    if not regression:
        inv = np.searchsorted(classes, ya)
    for label, idx, cnt in groups:
        if cnt == 0:
            continue
        seeds = idx[gen.integers(0, idx.size, size=cnt)]
        mates = gen.integers(0, n, size=cnt)
        lam = gen.beta(a, a, size=cnt)
        lam = np.maximum(lam, 1.0 - lam)
        if stable:  # the convex form cannot overflow near the float64 limit
            Xs = Xa[seeds] * lam[:, None]
            Xs += Xa[mates] * (1.0 - lam)[:, None]
        else:
            Xs = Xa[mates] - Xa[seeds]
            Xs *= (1.0 - lam)[:, None]
            Xs += Xa[seeds]
        ws = None if w is None else lam * w[seeds] + (1.0 - lam) * w[mates]
        if regression:
            ys = lam * ya[seeds] + (1.0 - lam) * ya[mates]
            parts.append((Xs, ys.astype(np.result_type(ya.dtype, np.float64)), ws))
            continue
        parts.append((Xs, _labels(ya, label, seeds), ws))
        if labels == "soft":
            soft = np.zeros((cnt, classes.size))
            rows = np.arange(cnt)
            soft[rows, inv[seeds]] += lam
            soft[rows, inv[mates]] += 1.0 - lam
            soft_parts.append(soft)
    if regression and parts:
        ya = ya.astype(parts[0][1].dtype, copy=False)
    out = assemble(Xa, ya, w, parts, out_dtype)
    if labels == "soft" and not regression:
        onehot = np.zeros((n, classes.size))
        onehot[np.arange(n), inv] = 1.0
        y_soft = np.concatenate([onehot, *soft_parts])
        return (out[0], y_soft, *out[2:])
    return out
