"""Expected and realised classification metrics, batched over windows (private).

Notation: a window holds ``m`` rows; ``P[i, k]`` is the calibrated probability
that row ``i`` has label ``k``; ``yhat[i]`` is the model's predicted label
(from its raw probabilities); ``S[i, k]`` is the raw score for class ``k``
(used for ROC AUC ranks). The unknown labels are modelled as independent
categorical draws ``Y_i ~ P[i]``. Every metric is a function of sums
``sum_i a_i 1[Y_i = k]``, so its expectation and variance follow from ``P``:

* accuracy and precision are linear in the labels (their denominators are
  fixed by the predictions): the expectation and the variance are exact;
* recall, F1 and ROC AUC are ratios: the value is the ratio of the expected
  numerator and denominator (as NannyML's CBPE) and the variance is the
  first-order delta method, ``Var = sum_i Var(a_{i, Y_i})`` where ``a_{i, l}``
  is the gradient of the metric with respect to the label indicators.

All functions take arrays with a leading window axis ``(W, m, ...)``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["METRICS", "expected_metrics", "realized_metrics", "expected_confusion"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

#: Metric names, in the order they are reported.
METRICS = ("accuracy", "precision", "recall", "f1", "roc_auc")


def _ratio(num: FloatArray, den: FloatArray) -> FloatArray:
    """``num / den`` with NaN where the denominator is (numerically) zero."""
    out = np.full(np.broadcast(num, den).shape, np.nan)
    ok = den > 1e-12
    np.divide(num, den, out=out, where=ok)
    return out


def _midranks(scores: FloatArray) -> FloatArray:
    """Ranks 1..m along axis 1, ties receiving their average rank."""
    from scipy.stats import rankdata

    return np.asarray(rankdata(scores, axis=1), dtype=np.float64)


def expected_confusion(
    P: FloatArray, yhat: IntArray, k: int
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Return expected TP, FP, FN, TN of class ``k`` (one-vs-rest), per window."""
    g = (yhat == k).astype(np.float64)
    p = P[..., k]
    tp = np.sum(g * p, axis=-1)
    fp = np.sum(g * (1.0 - p), axis=-1)
    fn = np.sum((1.0 - g) * p, axis=-1)
    tn = np.sum((1.0 - g) * (1.0 - p), axis=-1)
    return tp, fp, fn, tn


def _class_metric(
    name: str,
    P: FloatArray,
    yhat: IntArray,
    S: FloatArray,
    k: int,
    ranks: dict[int, FloatArray],
    with_se: bool,
) -> tuple[FloatArray, FloatArray | None]:
    """Value ``(W,)`` and label-indicator gradient ``(W, m)`` of one class metric."""
    m = P.shape[1]
    g = (yhat == k).astype(np.float64)
    p = P[..., k]
    if name == "roc_auc":
        if k not in ranks:
            ranks[k] = _midranks(S[..., k])
        r = ranks[k]
        n1 = np.sum(p, axis=1)
        v = np.sum(p * (1.0 - p), axis=1)
        u = np.sum(r * p, axis=1)
        # E[U - N1(N1+1)/2] / E[N1 (m - N1)], with E[N1^2] = Var + mean^2
        value = _ratio(u - 0.5 * (v + n1**2 + n1), m * n1 - v - n1**2)
        if not with_se:
            return value, None
        num0 = u - 0.5 * n1 * (n1 + 1.0)
        den0 = n1 * (m - n1)
        with np.errstate(divide="ignore", invalid="ignore"):
            d_u = 1.0 / den0
            d_n = (-(n1 + 0.5) * den0 - num0 * (m - 2.0 * n1)) / den0**2
        grad = r * d_u[:, None] + d_n[:, None]
        return value, grad
    a = np.sum(g * p, axis=1)  # E[TP]
    c = np.sum((1.0 - g) * p, axis=1)  # E[FN]
    n_pred = np.sum(g, axis=1)  # predicted positives (fixed)
    if not with_se:
        if name == "precision":
            return _ratio(a, n_pred), None
        if name == "recall":
            return _ratio(a, a + c), None
        return _ratio(2.0 * a, n_pred + a + c), None
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "precision":
            value = _ratio(a, n_pred)
            grad = g / n_pred[:, None]
        elif name == "recall":
            t = a + c
            value = _ratio(a, t)
            d_a, d_c = c / t**2, -a / t**2
            grad = g * d_a[:, None] + (1.0 - g) * d_c[:, None]
        else:  # f1 = 2 TP / (2 TP + FP + FN) = 2 TP / (n_pred + TP + FN)
            d = n_pred + a + c
            value = _ratio(2.0 * a, d)
            d_a, d_c = 2.0 * (n_pred + c) / d**2, -2.0 * a / d**2
            grad = g * d_a[:, None] + (1.0 - g) * d_c[:, None]
    return value, grad


def expected_metrics(
    names: tuple[str, ...],
    P: FloatArray,
    yhat: IntArray,
    S: FloatArray,
    *,
    with_se: bool = True,
    ranks: dict[int, FloatArray] | None = None,
) -> dict[str, tuple[FloatArray, FloatArray]]:
    """Return the expected value and standard error ``(W,)`` of each metric.

    Binary problems (``K == 2``) score the positive class (column 1);
    multiclass problems macro-average the one-vs-rest metrics (accuracy is
    computed directly). ``with_se=False`` skips the standard errors (NaN).
    ``ranks`` caches the score ranks of each class between calls.
    """
    ranks = {} if ranks is None else ranks
    w, m, n_classes = P.shape
    classes = [1] if n_classes == 2 else list(range(n_classes))
    out: dict[str, tuple[FloatArray, FloatArray]] = {}
    for name in names:
        if name == "accuracy":
            q = np.take_along_axis(P, yhat[..., None], axis=2)[..., 0]
            value = q.mean(axis=1)
            var = np.sum(q * (1.0 - q), axis=1) / m**2
            out[name] = (value, np.sqrt(np.maximum(var, 0.0)))
            continue
        values = np.zeros(w)
        weights = np.zeros((w, m, n_classes) if with_se else (0, 0, 0))
        for k in classes:
            v_k, grad_k = _class_metric(name, P, yhat, S, k, ranks, with_se)
            values += v_k
            if grad_k is not None:
                weights[..., k] += grad_k
        values /= len(classes)
        if not with_se:
            out[name] = (values, np.full(w, np.nan))
            continue
        weights /= len(classes)
        # Var(sum_i a_{i, Y_i}) for independent categorical Y_i ~ P[i]
        with np.errstate(invalid="ignore"):
            first = np.sum(weights * P, axis=2)
            second = np.sum(weights**2 * P, axis=2)
            var = np.sum(second - first**2, axis=1)
        se = np.sqrt(np.maximum(var, 0.0))
        se[~np.isfinite(values)] = np.nan
        out[name] = (values, se)
    return out


def realized_metrics(
    names: tuple[str, ...], y: IntArray, yhat: IntArray, S: FloatArray, n_classes: int
) -> dict[str, float]:
    """Realised metrics of one window with the same definitions (NaN if undefined)."""
    out: dict[str, float] = {}
    m = len(y)
    classes = [1] if n_classes == 2 else list(range(n_classes))
    for name in names:
        if name == "accuracy":
            out[name] = float(np.mean(yhat == y))
            continue
        vals = []
        for k in classes:
            pos = (y == k).astype(np.float64)
            g = (yhat == k).astype(np.float64)
            tp = float(np.sum(g * pos))
            n_pos = float(np.sum(pos))
            n_pred = float(np.sum(g))
            if name == "precision":
                vals.append(tp / n_pred if n_pred > 0 else np.nan)
            elif name == "recall":
                vals.append(tp / n_pos if n_pos > 0 else np.nan)
            elif name == "f1":
                d = n_pred + n_pos
                vals.append(2.0 * tp / d if d > 0 else np.nan)
            else:
                if 0 < n_pos < m:
                    r = _midranks(S[None, :, k])[0]
                    u = float(np.sum(r * pos))
                    vals.append(
                        (u - 0.5 * n_pos * (n_pos + 1.0)) / (n_pos * (m - n_pos))
                    )
                else:
                    vals.append(np.nan)
        out[name] = float(np.mean(vals))
    return out
