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


class _ClassSums:
    """Per-window sums for one class ``k`` (one-vs-rest), shared by the metrics.

    Every metric's gradient with respect to the label indicators
    ``1[Y_i = k]`` has the form ``alpha + beta * g_i + gamma * r_i`` (per
    window coefficients; ``g_i = 1[yhat_i = k]``, ``r_i`` the score mid-rank),
    so binary variances reduce to a few weighted sums.
    """

    def __init__(
        self,
        P: FloatArray,
        yhat: IntArray,
        S: FloatArray,
        k: int,
        ranks: dict[int, FloatArray],
    ) -> None:
        self.k = k
        self.m = P.shape[1]
        self.g = yhat == k
        self.p = np.ascontiguousarray(P[..., k])
        self.v_rows = self.p * (1.0 - self.p)
        self.n1 = np.sum(self.p, axis=1)  # E[positives]
        self.a = np.sum(self.p, axis=1, where=self.g)  # E[TP]
        self.c = self.n1 - self.a  # E[FN]
        self.n_pred = np.sum(self.g, axis=1).astype(np.float64)
        self.v = np.sum(self.v_rows, axis=1)
        self.v_g = np.sum(self.v_rows, axis=1, where=self.g)
        self._S = S
        self._ranks = ranks

    @property
    def r(self) -> FloatArray:
        """Mid-ranks of the raw scores of class ``k`` (cached)."""
        if self.k not in self._ranks:
            self._ranks[self.k] = _midranks(self._S[..., self.k])
        return self._ranks[self.k]


Coef = tuple[FloatArray, FloatArray, FloatArray]


def _class_metric(name: str, cs: _ClassSums, with_se: bool) -> tuple[FloatArray, Coef | None]:
    """Value ``(W,)`` and gradient coefficients ``(alpha, beta, gamma)``."""
    m, a, c, n_pred, n1 = cs.m, cs.a, cs.c, cs.n_pred, cs.n1
    zero = np.zeros_like(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "roc_auc":
            r = cs.r
            u = np.sum(r * cs.p, axis=1)
            v = cs.v
            # E[U - N1(N1+1)/2] / E[N1 (m - N1)], with E[N1^2] = Var + mean^2
            value = _ratio(u - 0.5 * (v + n1**2 + n1), m * n1 - v - n1**2)
            if not with_se:
                return value, None
            num0 = u - 0.5 * n1 * (n1 + 1.0)
            den0 = n1 * (m - n1)
            d_u = 1.0 / den0
            d_n = (-(n1 + 0.5) * den0 - num0 * (m - 2.0 * n1)) / den0**2
            return value, (d_n, zero, d_u)
        if name == "precision":
            return _ratio(a, n_pred), (zero, 1.0 / n_pred, zero)
        if name == "recall":
            t = a + c
            value = _ratio(a, t)
            d_a, d_c = c / t**2, -a / t**2
        else:  # f1 = 2 TP / (2 TP + FP + FN) = 2 TP / (n_pred + TP + FN)
            d = n_pred + a + c
            value = _ratio(2.0 * a, d)
            d_a, d_c = 2.0 * (n_pred + c) / d**2, -2.0 * a / d**2
    return value, (d_c, d_a - d_c, zero)


def _binary_variance(cs: _ClassSums, coef: Coef) -> FloatArray:
    """``sum_i (alpha + beta g_i + gamma r_i)^2 p_i (1 - p_i)`` per window."""
    alpha, beta, gamma = coef
    var = alpha**2 * cs.v + (beta**2 + 2.0 * alpha * beta) * cs.v_g
    if np.any(gamma != 0.0):
        r, v_rows = cs.r, cs.v_rows
        var = var + gamma**2 * np.sum(r * r * v_rows, axis=1)
        var = var + 2.0 * alpha * gamma * np.sum(r * v_rows, axis=1)
    return np.asarray(var, dtype=np.float64)


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
    binary = n_classes == 2
    classes = [1] if binary else list(range(n_classes))
    sums: dict[int, _ClassSums] = {}
    out: dict[str, tuple[FloatArray, FloatArray]] = {}
    for name in names:
        if name == "accuracy":
            if binary:
                q = np.where(yhat == 1, P[..., 1], P[..., 0])
            else:
                q = np.take_along_axis(P, yhat[..., None], axis=2)[..., 0]
            value = q.mean(axis=1)
            var = np.sum(q * (1.0 - q), axis=1) / m**2
            out[name] = (value, np.sqrt(np.maximum(var, 0.0)))
            continue
        values = np.zeros(w)
        coefs: list[Coef] = []
        for k in classes:
            if k not in sums:
                sums[k] = _ClassSums(P, yhat, S, k, ranks)
            v_k, coef = _class_metric(name, sums[k], with_se)
            values += v_k
            if coef is not None:
                coefs.append(coef)
        values /= len(classes)
        if not with_se:
            out[name] = (values, np.full(w, np.nan))
            continue
        with np.errstate(invalid="ignore", over="ignore"):
            if binary:
                var = _binary_variance(sums[1], coefs[0])
            else:
                # Var(sum_i a_{i, Y_i}) for independent categorical Y_i ~ P[i]
                weights = np.zeros((w, m, n_classes))
                for k, (alpha, beta, gamma) in zip(classes, coefs, strict=True):
                    wk = alpha[:, None] + beta[:, None] * sums[k].g
                    if np.any(gamma != 0.0):
                        wk = wk + gamma[:, None] * sums[k].r
                    weights[..., k] = wk / len(classes)
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
                    vals.append((u - 0.5 * n_pos * (n_pos + 1.0)) / (n_pos * (m - n_pos)))
                else:
                    vals.append(np.nan)
        out[name] = float(np.mean(vals))
    return out
