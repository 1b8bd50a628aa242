"""Probability calibration maps fitted on a labelled reference (private).

Each map takes the model's raw probability for one class and returns a
calibrated probability ``P(y = k | raw score)``: isotonic regression [1]_,
sigmoid (Platt) scaling of the logit [2]_, or the identity. Multiclass
probabilities are calibrated one column at a time (one-vs-rest) and the rows
renormalised, as :class:`sklearn.calibration.CalibratedClassifierCV` does.

References
----------
.. [1] Zadrozny, B. and Elkan, C. (2002). Transforming classifier scores into
   accurate multiclass probability estimates. KDD 2002, 694-699.
.. [2] Platt, J. (1999). Probabilistic outputs for support vector machines and
   comparisons to regularized likelihood methods. Advances in Large Margin
   Classifiers, 61-74.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["METHODS", "fit_calibrator", "fit_calibrators", "apply_calibrators", "brier"]

FloatArray = npt.NDArray[np.float64]

#: Methods "auto" chooses among, in tie-breaking order (simplest first).
METHODS = ("none", "sigmoid", "isotonic")

_EPS = 1e-7


def _jeffreys(n: int) -> float:
    """Posterior mean of an error rate after 0 errors in ``n`` rows, prior Beta(1/2, 1/2)."""
    return 0.5 / (n + 1.0)


def _logit(p: FloatArray) -> FloatArray:
    q = np.clip(p, _EPS, 1.0 - _EPS)
    return np.asarray(np.log(q) - np.log1p(-q), dtype=np.float64)


def _expit(z: FloatArray) -> FloatArray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)), dtype=np.float64)


class _Identity:
    """The identity map (calibration='none'), optionally kept ``floor`` from 0 and 1.

    Chosen by ``calibration="auto"`` it gets the floor of a fitted map: a
    model whose probabilities are exactly 0 and 1 and never wrong on the
    reference has a held-out Brier score of 0, wins, and claimed certainty.
    """

    def __init__(self, floor: float = 0.0) -> None:
        self.floor = floor

    def predict(self, p: FloatArray) -> FloatArray:
        floor = getattr(self, "floor", 0.0)  # a map pickled before the floor
        q = np.asarray(p, dtype=np.float64)
        return np.clip(q, floor, 1.0 - floor) if floor > 0.0 else q


class _Sigmoid:
    """Platt scaling on the logit: ``expit(a * logit(p) + b)``.

    Fitted by Newton-Raphson on the log-likelihood with a tiny ridge that pulls
    ``(a, b)`` towards the identity ``(1, 0)``, so perfectly separable
    references still give finite parameters.
    """

    def __init__(self) -> None:
        self.a = 1.0
        self.b = 0.0
        self.floor = 0.0

    def fit(self, p: FloatArray, y: FloatArray) -> _Sigmoid:
        z = _logit(p)
        lam = 1e-3
        theta = np.array([1.0, 0.0])
        prior = np.array([1.0, 0.0])
        x = np.column_stack([z, np.ones_like(z)])

        def objective(t: FloatArray) -> float:
            eta = x @ t
            # negative log-likelihood, written stably
            nll = np.sum(np.logaddexp(0.0, eta) - y * eta)
            return float(nll + 0.5 * lam * np.sum((t - prior) ** 2))

        current = objective(theta)
        for _ in range(100):
            mu = _expit(x @ theta)
            grad = x.T @ (mu - y) + lam * (theta - prior)
            w = mu * (1.0 - mu)
            hess = (x * w[:, None]).T @ x + lam * np.eye(2)
            step = np.linalg.solve(hess, grad)
            scale = 1.0
            while scale > 1e-8:
                candidate = theta - scale * step
                value = objective(candidate)
                if value <= current:
                    break
                scale *= 0.5
            else:
                break
            theta, previous, current = candidate, current, value
            if previous - current <= 1e-12 * max(1.0, abs(current)):
                break
        self.a, self.b = float(theta[0]), float(theta[1])
        # a steep map on a separable reference gives 1 - 1e-12: no reference
        # of n rows supports a probability nearer 0 or 1 than the Jeffreys
        # posterior mean after 0 errors in all n rows
        self.floor = _jeffreys(len(y))
        return self

    def predict(self, p: FloatArray) -> FloatArray:
        q = _expit(self.a * _logit(p) + self.b)
        floor = getattr(self, "floor", 0.0)  # a map pickled before the floor
        return np.clip(q, floor, 1.0 - floor)


class _Isotonic:
    """Isotonic regression of the label on the raw probability (clipped ends).

    Blocks fitted at exactly 0 or 1 are moved to the Jeffreys posterior mean
    of their rows (see :meth:`fit`).
    """

    def __init__(self) -> None:
        from sklearn.isotonic import IsotonicRegression

        self.model = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")

    def fit(self, p: FloatArray, y: FloatArray) -> _Isotonic:
        self.model.fit(p, y)
        # A block of the fit at exactly 0 or 1 (n reference rows, no error
        # among them) claims certainty no finite reference supports: every
        # estimate on rows of that block had std_error 0.0. Such a block gets
        # the Jeffreys posterior mean 0.5 / (n + 1) (1 - that at the top), the
        # probability that a new row of the block is an error; other blocks
        # keep their fitted means. Kept monotone by the neighbouring block.
        x, v = self.model.X_thresholds_, self.model.y_thresholds_.astype(np.float64)
        fitted = np.interp(p, x, v)
        inner = v[(v > 0.0) & (v < 1.0)]
        if np.any(v >= 1.0):
            top = 1.0 - _jeffreys(int(np.sum(fitted >= 1.0)))
            v[v >= 1.0] = max(top, float(inner.max())) if inner.size else top
        if np.any(v <= 0.0):
            bottom = _jeffreys(int(np.sum(fitted <= 0.0)))
            v[v <= 0.0] = min(bottom, float(inner.min())) if inner.size else bottom
        self.x_, self.y_ = x, v
        return self

    def predict(self, p: FloatArray) -> FloatArray:
        # np.interp on the fitted steps: the same map as model.predict with
        # out_of_bounds="clip", several times faster than scipy's interp1d
        if not hasattr(self, "y_"):  # a map pickled before the Jeffreys ends
            x, v = self.model.X_thresholds_, self.model.y_thresholds_
            return np.asarray(np.interp(p, x, v), dtype=np.float64)
        return np.asarray(np.interp(p, self.x_, self.y_), dtype=np.float64)


def fit_calibrator(method: str, p: FloatArray, y: FloatArray, *, chosen: bool = False) -> Any:
    """Fit one calibration map of ``method`` on raw scores ``p``, labels ``y``.

    ``chosen``: the method is a candidate of ``calibration="auto"``, so even
    the identity is a map fitted on ``len(y)`` rows and gets their floor.
    """
    if method == "isotonic":
        return _Isotonic().fit(p, y)
    if method == "sigmoid":
        return _Sigmoid().fit(p, y)
    return _Identity(_jeffreys(len(y)) if chosen else 0.0)


def fit_calibrators(
    method: str, raw: FloatArray, y: npt.NDArray[np.intp], *, chosen: bool = False
) -> list[Any]:
    """Fit one map per calibrated column (only the positive class if binary)."""
    k = raw.shape[1]
    columns = [1] if k == 2 else list(range(k))
    return [
        fit_calibrator(method, raw[:, c], (y == c).astype(np.float64), chosen=chosen)
        for c in columns
    ]


def apply_calibrators(calibrators: list[Any], raw: FloatArray) -> FloatArray:
    """Calibrate an ``(n, K)`` array of raw probabilities; rows sum to 1."""
    k = raw.shape[1]
    if k == 2:
        p1 = np.clip(calibrators[0].predict(raw[:, 1]), 0.0, 1.0)
        return np.column_stack([1.0 - p1, p1])
    out = np.column_stack([c.predict(raw[:, j]) for j, c in enumerate(calibrators)])
    out = np.clip(out, 0.0, 1.0)
    sums = out.sum(axis=1, keepdims=True)
    zero = sums[:, 0] <= 0.0
    out = np.divide(out, sums, out=np.full_like(out, 1.0 / k), where=sums > 0.0)
    out[zero] = 1.0 / k
    return np.asarray(out, dtype=np.float64)


def brier(calibrated: FloatArray, y: npt.NDArray[np.intp]) -> float:
    """Sum over rows of the squared error between probabilities and one-hot labels."""
    onehot = np.zeros_like(calibrated)
    onehot[np.arange(len(y)), y] = 1.0
    if calibrated.shape[1] == 2:  # binary Brier: positive column only
        return float(np.sum((calibrated[:, 1] - onehot[:, 1]) ** 2))
    return float(np.sum((calibrated - onehot) ** 2))
