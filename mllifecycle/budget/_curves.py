"""Learning curves: a metric against training-set size, fitted with intervals.

Three standard parametric families are fitted by weighted least squares:

- ``"inverse_power"``: ``score(n) = a + b * n ** (-c)`` (Mukherjee et al. 2003;
  Figueroa et al. 2012),
- ``"exponential"``: ``score(n) = a + b * exp(-c * n / n_max)``,
- ``"log_linear"``: ``score(n) = a + b * log(n)`` (no asymptote).

For a fixed rate ``c`` the first two are linear in ``(a, b)``, so the fit is a
one-dimensional search over ``log c`` with ``(a, b)`` solved in closed form
(variable projection, Golub & Pereyra 1973): no starting values to guess and no
failed convergence. The family is chosen by forward-chaining validation (fit
on the smaller sizes, predict the next one), which is what an extrapolation
needs. Intervals come from a bootstrap: whole folds are resampled (a fold's
scores at every size together, as they share its test set) when the per-fold
scores are given, residuals otherwise.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._estimators import seeded_clone
from mllifecycle._frames import in_row_order
from mllifecycle._gain import check_cv, check_groups, cv_plan, is_splitter, known_classes_scorer
from mllifecycle._results import attrs_to_dict, flat_metrics, format_value, html_table
from mllifecycle._validation import (
    check_int,
    check_rng,
    check_scalar,
    described,
    fail,
)
from mllifecycle.budget._checks import ARRAY_EQ, collected, refuse_sparse, refuse_text
from mllifecycle.exceptions import DegenerateDataWarning

__all__ = [
    "FAMILIES",
    "LearningCurve",
    "SamplesNeeded",
    "fit_curve",
    "learning_curve",
    "samples_needed",
]

FAMILIES = ("inverse_power", "exponential", "log_linear")
_N_PARAMS = {"inverse_power": 3, "exponential": 3, "log_linear": 2}
FloatArray = npt.NDArray[np.float64]


def _basis(family: str, n: FloatArray, c: float, n_max: float) -> FloatArray:
    if family == "inverse_power":
        return np.asarray(np.exp(-c * np.log(n)))
    if family == "exponential":
        return np.asarray(np.exp(-c * n / n_max))
    return np.asarray(np.log(n))


@attrs.frozen
class _Shape:
    """Constraints every fit obeys: the direction of the curve and the metric's bounds.

    ``direction`` is +1 for a metric that rises with data (accuracy), -1 for one
    that falls (an error), 0 for no constraint. ``low``/``high`` bound the metric;
    the asymptote of a rising curve stays at most ``high``, of a falling one at
    least ``low``.
    """

    direction: int = 0
    low: float | None = None
    high: float | None = None


_FREE = _Shape()


def _solve_ab_many(
    f: FloatArray, y: FloatArray, w: FloatArray, shape: _Shape = _FREE, log_basis: bool = False
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Weighted least squares of each row of y on [1, f] (f broadcast to y).

    Shapes: ``f`` (..., k), ``y`` and ``w`` broadcastable to it; returns
    ``(a, b, rss)`` over the leading axes. Under ``shape`` the slope keeps the
    curve's direction (a flat curve otherwise) and the asymptote ``a`` of the
    two decaying bases stays within the metric's bounds (refitted with ``a`` on
    the bound otherwise).
    """
    f, y, w = np.broadcast_arrays(f, y, w)
    unit = _basis_unit(f)
    if unit is not None:
        # a + b f == a + (b unit) (f / unit): the basis of sizes near 1e300 (or
        # 1e-300) is brought near 1 by a power of two (exact), or its squares
        # underflowed below the cut and every slope came out 0 (a flat fit)
        f = f / unit[..., None]
    sw = w.sum(axis=-1)
    mf = (w * f).sum(axis=-1) / sw
    my = (w * y).sum(axis=-1) / sw
    df = f - mf[..., None]
    sff = (w * df**2).sum(axis=-1)
    sfy = (w * df * (y - my[..., None])).sum(axis=-1)
    b = np.where(sff > 1e-300, sfy / np.maximum(sff, 1e-300), 0.0)
    a = my - b * mf
    if shape.direction:
        # decaying bases rise when b < 0; the log basis rises when b > 0
        want = shape.direction if log_basis else -shape.direction
        if not log_basis:
            bound = shape.high if shape.direction > 0 else shape.low
            if bound is not None:
                over = (a - bound) * shape.direction > 0
                if np.any(over):
                    sf2 = (w * f * f).sum(axis=-1)
                    b_on = (w * f * (y - bound)).sum(axis=-1) / np.maximum(sf2, 1e-300)
                    a = np.where(over, bound, a)
                    b = np.where(over, b_on, b)
        wrong = b * want < 0
        if np.any(wrong):
            flat = my
            if shape.high is not None:
                flat = np.minimum(flat, shape.high)
            if shape.low is not None:
                flat = np.maximum(flat, shape.low)
            a = np.where(wrong, flat, a)
            b = np.where(wrong, 0.0, b)
    rss = (w * (y - a[..., None] - b[..., None] * f) ** 2).sum(axis=-1)
    if unit is not None:
        with np.errstate(over="ignore"):
            b = b / unit
        # a slope beyond the float range (a basis of subnormals) is no fit
        rss = np.where(np.isfinite(b), rss, np.inf)
    return np.asarray(a), np.asarray(b), np.asarray(rss)


def _basis_unit(f: FloatArray) -> FloatArray | None:
    """Per row of ``f`` (last axis), a power of two near its largest magnitude.

    1 for rows whose largest magnitude lies within 2**-64 .. 2**64 (or is 0
    or not finite), so ordinary sizes are fitted bit for bit as before; None
    when every row gets 1.
    """
    with np.errstate(invalid="ignore"):
        top = np.max(np.abs(f), axis=-1)
    odd = np.isfinite(top) & (top > 0.0) & ((top > 2.0**64) | (top < 2.0**-64))
    if not np.any(odd):
        return None
    return np.where(odd, np.ldexp(1.0, np.frexp(np.where(odd, top, 1.0))[1] - 1), 1.0)


def _fit_many(
    family: str, n: FloatArray, y: FloatArray, w: FloatArray, n_max: float,
    shape: _Shape = _FREE,
) -> tuple[FloatArray, FloatArray]:
    """Fit one family to each row of ``y`` (shape (B, k)); return params (B, 3), rss (B,)."""
    # the rates of the grid whose basis leaves the float range (sizes near
    # 1e300 or 1e-300) are no fits: their overflows are not the caller's concern
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _fit_many_raw(family, n, y, w, n_max, shape)


def _fit_many_raw(
    family: str, n: FloatArray, y: FloatArray, w: FloatArray, n_max: float,
    shape: _Shape,
) -> tuple[FloatArray, FloatArray]:
    y = np.atleast_2d(y)
    w = np.broadcast_to(w, y.shape)
    nb = y.shape[0]
    if family == "log_linear":
        a, b, rss = _solve_ab_many(np.log(n)[None, :], y, w, shape, log_basis=True)
        return np.column_stack([a, b, np.zeros(nb)]), rss
    lo, hi = (-6.0, 3.0) if family == "inverse_power" else (-6.0, 4.0)
    grid = np.linspace(lo, hi, 91)
    basis = np.stack([_basis(family, n, math.exp(g), n_max) for g in grid])  # (G, k)
    _, _, rss = _solve_ab_many(basis[None, :, :], y[:, None, :], w[:, None, :], shape)
    # a rate whose basis leaves the float range (sizes near 1e-300) fits nothing:
    # its NaN residual was the "smallest" and gave NaN parameters
    i = np.argmin(np.where(np.isnan(rss), np.inf, rss), axis=1)
    left = grid[np.maximum(i - 1, 0)]
    right = grid[np.minimum(i + 1, grid.size - 1)]
    phi = (math.sqrt(5.0) - 1.0) / 2.0

    def obj(g: FloatArray) -> FloatArray:
        f = np.stack([_basis(family, n, math.exp(v), n_max) for v in g])  # (B, k)
        r = _solve_ab_many(f, y, w, shape)[2]
        return np.where(np.isnan(r), np.inf, r)

    x1, x2 = right - phi * (right - left), left + phi * (right - left)
    f1, f2 = obj(x1), obj(x2)
    for _ in range(30):
        go_left = f1 < f2
        right = np.where(go_left, x2, right)
        left = np.where(go_left, left, x1)
        nx1 = np.where(go_left, right - phi * (right - left), x2)
        nx2 = np.where(go_left, x1, left + phi * (right - left))
        x1, x2 = nx1, nx2
        f1, f2 = obj(x1), obj(x2)
    g = np.where(f1 < f2, x1, x2)
    c = np.exp(g)
    f = np.stack([_basis(family, n, float(v), n_max) for v in c])
    a, b, rss = _solve_ab_many(f, y, w, shape)
    return np.column_stack([a, b, c]), rss


def _fit_family(
    family: str, n: FloatArray, y: FloatArray, w: FloatArray, n_max: float,
    shape: _Shape = _FREE,
) -> tuple[float, float, float, float]:
    """Return (a, b, c, weighted RSS) of one family fitted to one curve."""
    params, rss = _fit_many(family, n, y[None, :], w[None, :], n_max, shape)
    return float(params[0, 0]), float(params[0, 1]), float(params[0, 2]), float(rss[0])


def _predict(
    family: str, params: tuple[float, float, float], n: FloatArray, n_max: float
) -> FloatArray:
    a, b, c = params
    return a + b * _basis(family, np.asarray(n, dtype=np.float64), c, n_max)


def _forward_error(
    family: str, n: FloatArray, y: FloatArray, w: FloatArray, n_max: float, shape: _Shape
) -> float:
    """Mean weighted squared error of predicting each size from the smaller ones."""
    p = _N_PARAMS[family]
    errs = []
    for j in range(p + 1, len(n)):
        a, b, c, _ = _fit_family(family, n[:j], y[:j], w[:j], n_max, shape)
        pred = _predict(family, (a, b, c), n[j : j + 1], n_max)[0]
        errs.append(w[j] * (y[j] - pred) ** 2)
    return float(np.mean(errs)) if errs else math.inf


def _family_weights(cv: dict[str, float], chosen: str, k: int) -> dict[str, float]:
    """Pseudo-Bayesian model weights from forward-validation errors.

    Under Gaussian prediction errors, the predictive likelihood of a family with
    mean squared error ``e`` over ``m`` validated points is proportional to
    ``e ** (-m / 2)``; families that could not be validated get no weight.
    """
    finite = {f: v for f, v in cv.items() if math.isfinite(v) and v > 0}
    if chosen not in finite:
        return {chosen: 1.0}
    m = max(k - max(_N_PARAMS[f] for f in finite) - 1, 1)
    best = min(finite.values())
    raw = {f: (best / v) ** (m / 2.0) for f, v in finite.items()}
    total = sum(raw.values())
    return {f: v / total for f, v in raw.items() if v / total > 1e-3}


def _fold_resample(folds: FloatArray, m: int, gen: np.random.Generator) -> FloatArray:
    """``m`` resamples of whole folds (columns), shape (m, k, r).

    A fold's scores at all sizes share its test set (and nested training
    sets), so whole folds are resampled together, keeping that correlation;
    the spread about each size's mean is scaled by ``sqrt(r / (r - 1))``, as a
    bootstrap of ``r`` values underestimates their variance by ``(r - 1) / r``.
    """
    k, r = folds.shape
    idx = np.broadcast_to(gen.integers(0, r, size=(m, 1, r)), (m, k, r))
    fs = np.take_along_axis(np.broadcast_to(folds, (m, k, r)), idx, axis=2)
    centre = folds.mean(axis=1)[None, :, None]
    return np.asarray(centre + (fs - centre) * math.sqrt(r / (r - 1)))


def _predictive_weights(
    fams: Sequence[str], n: FloatArray, folds: FloatArray, var: FloatArray, n_max: float,
    shape: _Shape, gen: np.random.Generator, n_draws: int = 100,
) -> dict[str, float] | None:
    """Family weights from the predictive density of held-out extrapolations.

    Each family is fitted to every prefix of the sizes that all the families
    can be fitted to (one more size than the most parameters) and predicts
    every larger size; the prediction's density is Gaussian with the measured
    variance of that size's mean plus the variance of the prediction over a
    fold bootstrap of the prefix (its parameter uncertainty). The weights are
    pseudo-BMA+ (Yao et al. 2018): the softmax of the summed log densities,
    averaged over Bayesian-bootstrap reweightings of the validated points,
    which keeps a few lucky points from giving one family all the weight.
    ``None`` when no point can be validated or the measured noise is zero.
    """
    k, r = folds.shape
    pos = var[np.isfinite(var) & (var > 0)]
    first = max(_N_PARAMS[f] for f in fams) + 1
    if pos.size == 0 or first >= k:
        return None
    v_meas = np.maximum(var, 0.1 * float(np.median(pos)))
    lpd = []
    for fam in fams:
        points = []
        for j in range(first, k):
            w_j = _weights(var[:j])
            a, b, c, _ = _fit_family(fam, n[:j], folds[:j].mean(axis=1), w_j, n_max, shape)
            pred = _predict(fam, (a, b, c), n[j:], n_max)
            fs = _fold_resample(folds[:j], n_draws, gen)
            ws = np.stack([_weights(v) for v in fs.var(axis=2, ddof=1) / r])
            params, _ = _fit_many(fam, n[:j], fs.mean(axis=2), ws, n_max, shape)
            boot = params[:, :1] + params[:, 1:2] * np.stack(
                [_basis(fam, n[j:], float(cc), n_max) for cc in params[:, 2]]
            )
            s2 = v_meas[j:] + boot.var(axis=0)
            y_j = folds[j:].mean(axis=1)
            points.append(-0.5 * (y_j - pred) ** 2 / s2 - 0.5 * np.log(2 * np.pi * s2))
        lpd.append(np.concatenate(points))
    L = np.stack(lpd)  # (families, points)
    alpha = gen.dirichlet(np.ones(L.shape[1]), size=1000)  # (draws, points)
    z = L.shape[1] * alpha @ L.T  # (draws, families)
    z -= z.max(axis=1, keepdims=True)
    wts = np.exp(z)
    wts /= wts.sum(axis=1, keepdims=True)
    mean_w = wts.mean(axis=0)
    return {f: float(v) for f, v in zip(fams, mean_w, strict=True) if v > 1e-3}


def _shortest(draws: FloatArray, level: float) -> tuple[FloatArray, FloatArray]:
    """Per column of ``draws`` (B, m): the shortest interval holding ``level`` of them."""
    d = np.sort(draws, axis=0)
    nb = d.shape[0]
    h = min(max(math.ceil(level * nb - 1e-9), 1), nb)
    widths = d[h - 1 :] - d[: nb - h + 1]  # (nb - h + 1, m)
    i = np.argmin(widths, axis=0)
    cols = np.arange(d.shape[1])
    return np.asarray(d[i, cols]), np.asarray(d[i + h - 1, cols])


@attrs.frozen(repr=False)
class LearningCurve:
    """A fitted learning curve: the metric as a function of training-set size.

    Built by :func:`fit_curve` or :func:`learning_curve`; call
    :meth:`predict` and :meth:`interval` at any size, and pass it to
    :func:`samples_needed`.

    Attributes
    ----------
    family : str
        The fitted family, one of :data:`FAMILIES`.
    params : tuple of float
        ``(a, b, c)``: ``a + b * n**-c`` (inverse power),
        ``a + b * exp(-c n / n_max)`` (exponential) or ``a + b log n``
        (log-linear, ``c = 0``).
    sizes, scores : ndarray
        The training sizes and the mean score at each.
    score_std_error : ndarray
        Standard error of each mean score (NaN when one score per size).
    asymptote : float or None
        ``a`` for the two families with one, None for log-linear.
    higher_is_better : bool
        Whether the curve rises with more data (accuracy) or falls (an error).
    confidence_level : float
        Coverage of :meth:`interval`.
    cv_errors : dict of str to float
        Forward-chaining validation error of each family tried (``inf`` where
        too few sizes to validate it), a mean squared error in squared score
        units (so beyond the float range for scores near 1e200 or 1e-200:
        ``inf`` or 0).
    boot_params : ndarray, shape (n_resamples, 3)
        Bootstrap refits, shared among the families in proportion to their
        weights: with per-fold scores, pseudo-BMA+ weights from the predictive
        density of held-out extrapolations (each prefix of the sizes
        predicting every larger size; Yao et al. 2018), otherwise from the
        forward-validation errors (all to the chosen family when ``family``
        was given or too few sizes allow validation).
    boot_family : tuple of str
        The family of each bootstrap refit.
    eval_std : float
        Standard deviation of one measured score at the largest size (the
        noise a new measurement adds, used by prediction intervals).
    n_max : float
        The largest size (the exponential family's scale).
    bounds : (low, high)
        The metric's range (either end None).
    boot_last : ndarray, shape (n_resamples,), or None
        Each refit's resampled mean score at the largest size (the floor of
        its draws beyond that size; see :meth:`interval`).
    resample_df : int
        Degrees of freedom of the resampled units: folds - 1 (residuals:
        sizes - parameters); 0 for none.
    family_params : dict of str to tuple of float
        Each mixed family's fit to all the data (the centre its refits are
        widened about).
    n_samples : float or None
        Labelled rows the curve was measured on (:func:`learning_curve`: the
        rows of ``y``, of which the cross-validation trained on at most
        ``(cv - 1) / cv``), the labels already held; None when not known
        (:func:`fit_curve`), when :func:`samples_needed` counts the largest
        size as held.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.budget import fit_curve
    >>> sizes = np.array([50, 100, 200, 400, 800])
    >>> curve = fit_curve(sizes, 0.9 - 0.8 * sizes ** -0.5, family="inverse_power", rng=0)
    >>> round(curve.asymptote, 3), round(float(curve.predict(3200)[0]), 3)
    (0.9, 0.886)
    """

    family: str
    params: tuple[float, float, float]
    sizes: FloatArray = attrs.field(eq=ARRAY_EQ, hash=False)
    scores: FloatArray = attrs.field(eq=ARRAY_EQ, hash=False)
    score_std_error: FloatArray = attrs.field(eq=ARRAY_EQ, hash=False)
    higher_is_better: bool
    confidence_level: float
    cv_errors: dict[str, float]
    boot_params: FloatArray = attrs.field(eq=ARRAY_EQ, hash=False)
    boot_family: tuple[str, ...] = attrs.field(hash=False)
    eval_std: float
    n_max: float
    bounds: tuple[float | None, float | None] = (None, None)
    boot_last: FloatArray | None = attrs.field(default=None, eq=ARRAY_EQ, hash=False)
    resample_df: int = 0
    family_params: dict[str, tuple[float, float, float]] = attrs.field(factory=dict, hash=False)
    n_samples: float | None = None

    def _clip(self, values: FloatArray) -> FloatArray:
        low, high = self.bounds
        if low is None and high is None:
            return values
        return np.asarray(np.clip(values, low, high))

    @property
    def asymptote(self) -> float | None:
        """The limit of the metric with unlimited data (None for log-linear)."""
        return None if self.family == "log_linear" else float(self.params[0])

    def _tail(self) -> float:
        """Tail probability of the bootstrap quantiles for ``confidence_level``.

        A bootstrap of few independent units (``resample_df + 1`` folds, or
        residuals with ``resample_df`` degrees of freedom) is too narrow in the
        tails: the quantiles are taken at Student's t level instead of the
        normal one (Hesterberg's expanded percentile interval, 2015), so the
        tail is ``1 - Phi(t_{1 - q, df})`` for the nominal tail ``q``.
        """
        q = (1 - self.confidence_level) / 2
        if self.resample_df < 1:
            return q
        from scipy import stats

        return float(stats.norm.sf(stats.t.isf(q, self.resample_df)))

    def _t_factor(self) -> float:
        """Student's t over the normal quantile at ``confidence_level`` (1 without folds)."""
        if self.resample_df < 1:
            return 1.0
        from scipy import stats

        q = (1 - self.confidence_level) / 2
        return float(stats.t.isf(q, self.resample_df) / stats.norm.isf(q))

    def asymptote_interval(self) -> tuple[float, float] | None:
        """Bootstrap interval of the asymptote (None for log-linear)."""
        if self.family == "log_linear":
            return None
        # a log-linear refit has no limit: it counts as an unbounded asymptote
        fams = np.array(self.boot_family, dtype=object)
        a = np.where(
            fams == "log_linear",
            math.inf if self.higher_is_better else -math.inf,
            self.boot_params[:, 0],
        )
        q = self._tail()
        lo, hi = np.quantile(a, [q, 1 - q], method="nearest")
        return float(lo), float(hi)

    def predict(self, n_samples: Any) -> FloatArray:
        """Return the fitted metric at training size(s) ``n_samples``."""
        n = _check_sizes_arg(n_samples, "LearningCurve.predict")
        return self._clip(_predict(self.family, self.params, n, self.n_max))

    def interval(self, n_samples: Any, kind: str = "prediction") -> tuple[FloatArray, FloatArray]:
        """Bootstrap interval at size(s) ``n_samples``.

        The shortest interval holding the ``confidence_level`` share of the
        bootstrap draws, clipped to ``bounds``; see Notes for the draws.

        Parameters
        ----------
        n_samples : int or array-like of int
            Training sizes.
        kind : {"prediction", "curve"}, default="prediction"
            ``"curve"``: where the mean metric lies. ``"prediction"``: where
            one new measurement (a cross-validated score like the ones fitted)
            lies: the curve's uncertainty plus the measurement noise.

        Returns
        -------
        (low, high) : tuple of ndarray

        Notes
        -----
        Each draw is a bootstrap refit's curve at ``n_samples``, its
        deviation from its family's fit to all the data widened by
        ``t / z``, Student's t quantile with ``r - 1`` degrees of freedom
        (``r`` folds resampled; ``k - p`` for residuals) over the normal one
        at ``confidence_level``: a bootstrap of five folds has normal, not
        Student, tails (the small-sample correction of Hesterberg 2015). The
        spread between families (their mixture) is not widened. Beyond the
        largest measured size a learning curve does not fall in expectation,
        so there a draw is at least (for a rising curve; at most for a falling
        one) the refit's own resampled mean score at the largest size. A
        prediction adds the noise of one new measurement: the standard error
        of the mean score at the largest size (also times ``t / z``), scaled,
        when ``bounds`` bound the metric on both sides, by the binomial
        variance of a proportion, ``(m - low) (high - m)``, at the draw's value
        ``m`` relative to the largest size's mean (a score near a bound varies
        less).

        References: Hesterberg, T. C. (2015). What teachers should know about
        the bootstrap. The American Statistician, 69(4), 371-386.

        Examples
        --------
        >>> import numpy as np
        >>> from mllifecycle.budget import fit_curve
        >>> rng = np.random.default_rng(0)
        >>> sizes = np.array([100, 200, 400, 800, 1600])
        >>> folds = 0.95 - 2.0 * sizes[:, None] ** -0.6 + rng.normal(0, 0.004, (5, 5))
        >>> curve = fit_curve(sizes, folds, bounds=(0, 1), rng=0)
        >>> low, high = curve.interval([1600, 6400])
        >>> bool(np.all(low < high)) and bool(np.all(high <= 1.0))
        True
        """
        n = _check_sizes_arg(n_samples, "LearningCurve.interval")
        if kind not in ("prediction", "curve"):
            fail("kind", "'prediction' or 'curve'", kind, "LearningCurve.interval")
        draws = self._draws(n, kind)
        return _shortest(draws, self.confidence_level)

    def _draws(self, n: FloatArray, kind: str) -> FloatArray:
        """Bootstrap draws of the curve (or of a new measurement) at sizes n."""
        kappa = self._t_factor()
        draws = np.stack(
            [
                _predict(fam, (float(p[0]), float(p[1]), float(p[2])), n, self.n_max)
                for fam, p in zip(self.boot_family, self.boot_params, strict=True)
            ]
        )
        if kappa != 1.0:
            fams = np.array(self.boot_family, dtype=object)
            for fam, fp in self.family_params.items():
                sel = fams == fam
                centre = _predict(fam, fp, n, self.n_max)[None, :]
                draws[sel] = centre + (draws[sel] - centre) * kappa
        if self.boot_last is not None:
            last = self.boot_last[:, None]
            if kappa != 1.0:
                last = self.scores[-1] + (last - self.scores[-1]) * kappa
            floored = np.maximum(draws, last) if self.higher_is_better else np.minimum(draws, last)
            draws = np.where((n >= self.sizes.max())[None, :], floored, draws)
        draws = self._clip(draws)
        if kind == "prediction" and self.eval_std > 0:
            sd = self.eval_std * kappa * self._noise_scale(draws)
            rng = np.random.default_rng(12345)
            # one normal per bootstrap draw, shared by every size asked: a
            # (draws, sizes) block gave a size another interval depending on
            # the other sizes in the call (6400 alone, with 1600, or twice)
            z = rng.standard_normal((draws.shape[0], 1))
            draws = self._clip(draws + z * sd)
        return np.asarray(draws)

    def _noise_scale(self, m: FloatArray) -> FloatArray | float:
        """Binomial scaling of the measurement noise for a metric bounded on both sides."""
        low, high = self.bounds
        if low is None or high is None:
            return 1.0
        ref = float(self.scores[-1])
        if ref <= low or ref >= high:
            return 1.0
        # ratios before the product: (m - low) * (high - m) of scores of 1e200
        # overflowed (of 1e-200, underflowed to 0)
        ratio = ((m - low) / (ref - low)) * ((high - m) / (high - ref))
        return np.asarray(np.sqrt(np.maximum(ratio, 0.0)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary of the fit (bootstrap refits left out)."""
        out = attrs_to_dict(
            self, exclude=("boot_params", "boot_family", "boot_last", "family_params", "n_max")
        )
        out["asymptote"] = self.asymptote
        return out

    def to_metrics(self) -> dict[str, float]:
        """Flat ``name -> float``: parameters, asymptote and validation errors."""
        a, b, c = self.params
        d: dict[str, Any] = {"a": a, "b": b, "c": c, "asymptote": self.asymptote}
        d["cv_error"] = dict(self.cv_errors)
        return flat_metrics(d, prefix="curve")

    def __repr__(self) -> str:
        a, b, c = self.params
        asym = "none" if self.asymptote is None else format_value(self.asymptote)
        return (
            f"LearningCurve(family={self.family!r}, a={format_value(a)}, b={format_value(b)}, "
            f"c={format_value(c)}, asymptote={asym}, sizes={len(self.sizes)})"
        )

    def _repr_html_(self) -> str:
        # sizes in any positive unit: 0.5 (thousand rows) was shown as 0
        rows = [
            [int(n) if float(n).is_integer() else float(n), float(s)]
            for n, s in zip(self.sizes, self.scores, strict=True)
        ]
        return html_table(rows, ["size", "score"], caption=repr(self))


def _check_sizes_arg(n_samples: Any, caller: str) -> FloatArray:
    refuse_text(n_samples, "n_samples", "positive training sizes", caller)
    try:
        n = np.atleast_1d(np.asarray(n_samples, dtype=np.float64))
    except (TypeError, ValueError):
        fail("n_samples", "positive training sizes", n_samples, caller)
    if n.ndim != 1 or not np.all(np.isfinite(n)) or np.any(n <= 0):
        fail("n_samples", "positive, finite training sizes", n_samples, caller)
    return n


def _score_scale(s: FloatArray) -> float:
    """Return a power of two that brings the scores near 1 (1 at ordinary scales).

    The weighted least squares square the scores (residual sums, fold
    variances): scores of 1e200 overflowed and scores of 1e-200 underflowed to
    0, and the fit was silently wrong. Fits are made on ``scores / scale`` and
    mapped back; a power of two divides exactly, so results scale with the
    scores, and at ordinary magnitudes (``2**-64`` to ``2**64``) the scores are
    left as they are (bit for bit).
    """
    top = float(np.max(np.abs(s))) if s.size else 0.0
    if top == 0.0 or 2.0**-64 <= top <= 2.0**64:
        return 1.0
    # 2**(e - 1) <= top < 2**e: 2**e overflowed for scores near the float maximum
    return math.ldexp(1.0, math.frexp(top)[1] - 1)


def _check_curve_input(
    sizes: Any, scores: Any, caller: str
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray | None, float]:
    """Return sizes, mean scores, variances of the means, fold scores and their scale.

    The scores (means, variances, folds) are returned divided by the scale
    (see :func:`_score_scale`); variances in those units.
    """
    scores = collected(scores)  # a table of per-fold scores may be lazy
    # pandas sizes and scores holding the same row labels in two orders are paired
    # by label (a score was fitted at another row's size)
    scores = in_row_order(scores, sizes, "scores", "sizes", caller)
    refuse_text(sizes, "sizes", "a 1-D sequence of positive training sizes", caller)
    try:
        n = np.asarray(sizes, dtype=np.float64)
    except (TypeError, ValueError):
        fail("sizes", "a 1-D sequence of positive training sizes", sizes, caller)
    if n.ndim != 1:
        fail("sizes", "a 1-D sequence of training sizes", described(f"shape {n.shape}"), caller)
    if n.size < 3:
        fail("sizes", "at least 3 distinct training sizes", described(f"{n.size}"), caller)
    if not np.all(np.isfinite(n)) or np.any(n <= 0):
        fail("sizes", "positive, finite training sizes", sizes, caller)
    if np.unique(n).size != n.size:
        fail("sizes", "distinct training sizes (give repeated scores as columns)", sizes, caller)
    refuse_text(scores, "scores", "numeric scores", caller)
    try:
        s = np.asarray(scores, dtype=np.float64)
    except (TypeError, ValueError):
        fail("scores", "numeric scores", scores, caller)
    if s.ndim not in (1, 2) or s.shape[0] != n.size or (s.ndim == 2 and s.shape[1] == 0):
        fail(
            "scores",
            f"{n.size} scores, or an array of shape ({n.size}, n_folds) with at least one fold",
            described(f"shape {s.shape}"),
            caller,
        )
    if not np.all(np.isfinite(s)):
        fail("scores", "finite scores", described("NaN or infinite values"), caller)
    order = np.argsort(n)
    n, s = n[order], s[order]
    if s.ndim == 2 and s.shape[1] >= 2:
        # the folds (columns) in a canonical order, by their scores from the
        # smallest size up: the bootstrap draws folds by position, so the same
        # folds in another order gave other intervals (p_reachable 0.91 or 0.95)
        s = s[:, np.lexsort(s[::-1])]
    scale = _score_scale(s)
    if scale != 1.0:
        s = s / scale
    if s.ndim == 2 and s.shape[1] >= 2:
        mean = s.mean(axis=1)
        var = s.var(axis=1, ddof=1) / s.shape[1]
        return n, mean, var, s, scale
    mean = s.reshape(n.size)
    return n, mean, np.full(n.size, np.nan), None, scale


def _check_bounds(
    bounds: Any, y: FloatArray, caller: str
) -> tuple[float | None, float | None]:
    if bounds is None:
        return None, None
    try:
        low, high = bounds
    except (TypeError, ValueError):
        fail("bounds", "a pair (low, high) of numbers or None", bounds, caller)
    out: list[float | None] = []
    for v in (low, high):
        if v is None:
            out.append(None)
            continue
        if isinstance(v, bool | np.bool_) or not isinstance(v, int | float | np.number) or (
            not np.isfinite(v)
        ):
            # "must be a finite float. Got inf" did not say an open end is None
            fail("bounds", "a pair (low, high) of finite numbers, None for an open end "
                 "(not inf)", bounds, caller)
        out.append(check_scalar(v, "bounds", caller=caller))
    lo, hi = out
    if lo is not None and hi is not None and lo >= hi:
        fail("bounds", "low < high", bounds, caller)
    if (lo is not None and np.any(y < lo)) or (hi is not None and np.any(y > hi)):
        fail("bounds", "a range that holds every score", described(f"{bounds}"), caller)
    return lo, hi


def _weights(var: FloatArray) -> FloatArray:
    if np.all(np.isnan(var)):
        return np.ones_like(var)
    pos = var[np.isfinite(var) & (var > 0)]
    floor = float(np.median(pos)) * 0.1 if pos.size else 1.0
    v = np.where(np.isfinite(var), np.maximum(var, floor), floor)
    return np.asarray(1.0 / v / np.mean(1.0 / v))


def fit_curve(
    sizes: Sequence[float] | npt.ArrayLike,
    scores: npt.ArrayLike,
    *,
    family: str = "auto",
    bounds: tuple[float | None, float | None] | None = None,
    n_resamples: int = 500,
    confidence_level: float = 0.9,
    rng: int | np.random.Generator | None = None,
    higher_is_better: bool | None = None,
) -> LearningCurve:
    """Fit a learning curve to scores measured at several training sizes.

    Parameters
    ----------
    sizes : 1-D array-like of float, length >= 3
        Distinct training-set sizes.
    scores : array-like, shape (n_sizes,) or (n_sizes, n_folds)
        The held-out metric at each size; with one column per fold (as
        :func:`sklearn.model_selection.learning_curve` returns), the fit is
        weighted by the inverse variance of each size's mean, and the bootstrap
        resamples whole folds (a fold's scores at every size together). The
        sizes and the folds may come in any order: the same points and folds
        give the same curve and intervals.
    family : {"auto", "inverse_power", "exponential", "log_linear"}, default="auto"
        ``"auto"`` picks the family with the smallest forward-chaining
        validation error (each size predicted from the smaller ones), or, with
        per-fold scores, the largest predictive weight (see
        :attr:`LearningCurve.boot_params`); with too
        few sizes to validate every family (fewer than 5), the inverse power
        law (3 sizes: log-linear, the only family that leaves a residual; with
        a :class:`~mllifecycle.exceptions.DegenerateDataWarning` when
        ``bounds`` bound the side the curve moves toward, which that law
        crosses).
        When ``bounds`` bound the metric on the side the curve moves toward
        (the top for a rising curve), the curve must level off, so the
        log-linear law, which crosses any bound, is neither chosen nor mixed
        into the intervals (unless asked for by name).
    bounds : (low, high), optional
        The metric's range, e.g. ``(0, 1)`` for accuracy (either end may be
        None). Every fit then keeps its asymptote inside it, and predictions
        and intervals are clipped to it.
    n_resamples : int, default=500
        Bootstrap refits for the intervals.
    confidence_level : float, default=0.9
        Coverage of the intervals.
    rng : int, numpy.random.Generator or None
        Randomness of the bootstrap.
    higher_is_better : bool, optional
        Whether the metric rises with more data (accuracy) or falls (an
        error). Default: read from the data (see Notes), which noise can turn
        around when the curve is nearly flat.

    Returns
    -------
    LearningCurve

    Raises
    ------
    mllifecycle.exceptions.InvalidParameterError
        For fewer than 3 sizes, repeated or non-positive sizes, scores of the
        wrong shape or with NaN, an unknown family.

    Notes
    -----
    Every fit, bootstrap refits included, keeps the direction of the data (a
    curve that rises with more data never bends down, and the reverse): the
    direction is ``higher_is_better`` when given, else the sign of the
    weighted correlation of the scores with ``log n`` (a flat curve counts as
    rising).

    References
    ----------
    .. [1] Mukherjee, S. et al. (2003). Estimating dataset size requirements for
       classifying DNA microarray data. J. Comput. Biol., 10(2), 119-142.
    .. [2] Figueroa, R. L. et al. (2012). Predicting sample size required for
       classification performance. BMC Med. Inform. Decis. Mak., 12(8).
    .. [3] Golub, G. H. and Pereyra, V. (1973). The differentiation of
       pseudo-inverses and nonlinear least squares problems whose variables
       separate. SIAM J. Numer. Anal., 10(2), 413-432.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.budget import fit_curve
    >>> rng = np.random.default_rng(0)
    >>> sizes = np.array([100, 200, 400, 800, 1600])
    >>> folds = 0.95 - 2.0 * sizes[:, None] ** -0.6 + rng.normal(0, 0.004, (5, 5))
    >>> curve = fit_curve(sizes, folds, rng=0)
    >>> curve.family
    'inverse_power'
    >>> low, high = curve.interval(6400)
    >>> bool(low[0] < 0.95 - 2.0 * 6400 ** -0.6 < high[0])
    True
    """
    caller = "fit_curve"
    n, y, var, folds, unit = _check_curve_input(sizes, scores, caller)
    if family != "auto" and family not in FAMILIES:
        fail("family", f"'auto' or one of {FAMILIES}", family, caller)
    n_resamples = check_int(n_resamples, "n_resamples", caller=caller, low=50)
    confidence_level = check_scalar(
        confidence_level, "confidence_level", caller=caller, low=0.0, high=1.0,
        low_inclusive=False, high_inclusive=False,
    )
    gen = check_rng(rng, caller=caller)
    low, high = _check_bounds(bounds, y * unit, caller)
    # the fit runs on scores / unit (see _score_scale), its bounds too
    shape_low = None if low is None else low / unit
    shape_high = None if high is None else high / unit
    n_max = float(n.max())
    pred_weights: dict[str, float] = {}
    w = _weights(var)
    k = n.size
    ln = np.log(n)
    # centred on a measured score, so a flat curve has no slope at all (the
    # rounding of its mean gave it a random direction)
    yc = y - y[0]
    cov = float((w * (ln - np.average(ln, weights=w)) * (yc - np.average(yc, weights=w))).sum())
    if higher_is_better is None:
        direction = 1 if cov >= 0 else -1
    elif isinstance(higher_is_better, bool | np.bool_):
        direction = 1 if higher_is_better else -1
    else:
        fail("higher_is_better", "True, False or None", higher_is_better, caller)
    shape = _Shape(direction=direction, low=shape_low, high=shape_high)
    if family == "auto":
        allowed = list(FAMILIES)
        if (shape.direction > 0 and shape.high is not None) or (
            shape.direction < 0 and shape.low is not None
        ):
            # a metric bounded on the side the curve moves toward must level
            # off: the log-linear law, which crosses any bound, cannot be its law
            allowed.remove("log_linear")
        cands = [f for f in allowed if _N_PARAMS[f] < k] or ["log_linear"]
        if "log_linear" not in allowed and cands == ["log_linear"]:
            # three sizes of a bounded metric: no law with an asymptote leaves a
            # residual, and the log-linear one crosses the bound, so every
            # target below it came out "reachable" (p_reachable 1.0 for 0.99 on
            # a curve levelling off at 0.9)
            warnings.warn(
                f"fit_curve: {k} sizes fit only the log-linear law, which has no "
                "asymptote and crosses the metric's bound: extrapolations (and "
                "samples_needed's 'reachable') ignore the level the curve may settle "
                "at; measure at least 4 sizes to fit a law with an asymptote",
                DegenerateDataWarning, stacklevel=2,
            )
        cv = {f: _forward_error(f, n, y, w, n_max, shape) for f in cands}
        if any(math.isinf(v) for v in cv.values()) or len(cands) < len(allowed):
            # too few sizes to validate every family: the inverse power law, the
            # usual default (Figueroa et al. 2012), when it can be fitted at all;
            # never the log-linear law by default, which reaches any target
            chosen = "inverse_power" if "inverse_power" in cands else cands[0]
        else:
            chosen = min(cv, key=lambda f: cv[f])
            if folds is not None:
                pw = _predictive_weights(cands, n, folds, var, n_max, shape, gen)
                if pw is not None:
                    pred_weights = pw
                    chosen = max(pw, key=lambda f: pw[f])
    else:
        if _N_PARAMS[family] >= k:
            fail(
                "sizes",
                f"at least {_N_PARAMS[family] + 1} sizes for family {family!r}",
                described(f"{k}"),
                caller,
            )
        chosen = family
        cv = {family: _forward_error(family, n, y, w, n_max, shape)}
    a, b, c, rss = _fit_family(chosen, n, y, w, n_max, shape)
    # bootstrap replicates shared among the families in proportion to their
    # forward-validation predictive likelihood (Gaussian errors), so that the
    # intervals carry the uncertainty about the family, not only its parameters
    fam_weights = pred_weights or _family_weights(cv, chosen, k)
    counts = gen.multinomial(n_resamples, [fam_weights[f] for f in fam_weights])
    parts = []
    lasts = []
    eval_std = 0.0
    family_params: dict[str, tuple[float, float, float]] = {}
    for fam, m in zip(fam_weights, counts, strict=True):
        if m == 0:
            continue
        fa, fb, fc, _ = (
            _fit_family(fam, n, y, w, n_max, shape) if fam != chosen else (a, b, c, rss)
        )
        family_params[fam] = (fa, fb, fc)
        fitted_f = _predict(fam, (fa, fb, fc), n, n_max)
        if folds is not None:
            r = folds.shape[1]
            # the folds are the independent units (see _fold_resample)
            fs = _fold_resample(folds, m, gen)
            ys, vs = fs.mean(axis=2), fs.var(axis=2, ddof=1) / r
            ws = np.stack([_weights(v) for v in vs])
            parts.append(_fit_many(fam, n, ys, ws, n_max, shape)[0])
            lasts.append(ys[:, -1])
            # a new measurement is a mean over r folds: its noise is that mean's SE
            eval_std = float(math.sqrt(var[-1])) if np.isfinite(var[-1]) else 0.0
        else:
            p = _N_PARAMS[fam]
            resid = y - fitted_f
            scale = math.sqrt(k / max(k - p, 1))
            ys = fitted_f + scale * gen.choice(resid, size=(m, k), replace=True)
            parts.append(_fit_many(fam, n, ys, np.broadcast_to(w, ys.shape), n_max, shape)[0])
            lasts.append(ys[:, -1])
            if fam == chosen:
                eval_std = float(scale * math.sqrt(np.mean(resid**2)))
    boot = np.concatenate(parts)
    boot_family = np.repeat(
        np.array(list(fam_weights), dtype=object), [int(v) for v in counts]
    )
    higher = shape.direction > 0
    boot_last = np.concatenate(lasts)
    if unit != 1.0:
        # back to the scores' units: levels and slopes scale with them, rates
        # do not, and the validation errors (mean squared errors) scale with
        # the square (beyond the float range they saturate at inf or 0)
        a, b = a * unit, b * unit
        y, var_se = y * unit, np.sqrt(var) * unit
        boot = boot.copy()
        boot[:, :2] *= unit
        boot_last = boot_last * unit
        eval_std *= unit
        family_params = {
            f: (fa * unit, fb * unit, fc) for f, (fa, fb, fc) in family_params.items()
        }
        cv = {f: v * unit * unit for f, v in cv.items()}
    else:
        var_se = np.sqrt(var)
    return LearningCurve(
        family=chosen,
        params=(a, b, c),
        sizes=n,
        scores=y,
        score_std_error=var_se,
        higher_is_better=higher,
        confidence_level=confidence_level,
        cv_errors={f: float(v) for f, v in cv.items()},
        boot_params=boot,
        boot_family=tuple(boot_family.tolist()),
        eval_std=eval_std,
        n_max=n_max,
        bounds=(low, high),
        boot_last=boot_last,
        family_params=family_params,
        resample_df=folds.shape[1] - 1 if folds is not None else k - _N_PARAMS[chosen],
    )


def learning_curve(
    estimator: Any,
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    sizes: Sequence[int] | npt.ArrayLike,
    *,
    cv: Any = 5,
    n_repeats: int = 4,
    groups: Any = None,
    scoring: str | None = None,
    family: str = "auto",
    bounds: tuple[float | None, float | None] | str | None = "auto",
    n_resamples: int = 500,
    confidence_level: float = 0.9,
    n_jobs: int | None = None,
    rng: int | np.random.Generator | None = None,
) -> LearningCurve:
    """Measure a learning curve with scikit-learn and fit it (:func:`fit_curve`).

    Runs :func:`sklearn.model_selection.learning_curve` (``n_repeats``
    times repeated, shuffled ``cv``-fold splits, absolute training sizes) and
    fits the per-split test scores, as a rising curve for the default score, a named scorer
    and a scorer object of a scikit-learn metric built with the metric's own
    direction (``get_scorer("accuracy")``, ``make_scorer(accuracy_score)``,
    ``make_scorer(mean_squared_error, greater_is_better=False)``):
    scikit-learn's scores are greater-is-better, errors negated (``neg_*``).
    Another callable ``scoring``'s direction is read from the scores.

    Parameters
    ----------
    estimator : scikit-learn estimator
        Cloned for every fit; a ``random_state`` left at None is seeded from
        ``rng``, so the same ``rng`` gives the same curve.
    X, y : array-like
        The data the curve is measured on. A pandas ``y`` whose index holds
        ``X``'s row labels in another order is read in ``X``'s row order
        (with a default 0..n-1 index on one side, refused).
    sizes : array-like of int
        Training sizes in rows (at least 3 distinct, each at most ``(cv - 1) / cv``
        of the rows, or the rows of the smallest training fold with ``groups``
        or a splitter; a repeated size is measured once).
    cv : int or splitter, default=5
        Folds, or a scikit-learn splitter with ``split(X, y)`` (then
        ``n_repeats`` is ignored; called as ``split(X, y, groups)`` with
        ``groups``, e.g. ``GroupKFold``, ``LeaveOneGroupOut``). A splitter
        whose split repeats an earlier one is counted once (with a warning).
    n_repeats : int, default=4
        Repetitions of the ``cv``-fold split, each with another shuffle
        (:class:`~sklearn.model_selection.RepeatedStratifiedKFold` for a
        classifier, :class:`~sklearn.model_selection.RepeatedKFold`
        otherwise; 1 is a single shuffled split). The small training sizes of
        a curve are cheap to fit and their scores noisy: repeating the split
        averages out the split's noise, which narrows the interval on the
        extrapolation (on scikit-learn's data sets, from 0.075 to 0.046 wide at
        90 %, with the coverage still nominal; ``benchmarks/budget.py``). This
        is the practice of scikit-learn's own learning-curve example, which
        uses 50 shuffled splits.
    groups : array-like of shape (n_samples,), optional
        Group of each row (patient, device, session, near-duplicates): rows
        of a group are not independent, and folds that split a group score
        the model on rows it has nearly seen, an optimistic curve at every
        size (so too few ``samples_needed``). With an int ``cv`` the folds
        hold out whole groups (``StratifiedGroupKFold`` for a classifier,
        else ``GroupKFold``, shuffled per repetition); a splitter gets them
        in ``split``. A group splitter without ``groups``, and a split with
        one group on both sides (``KFold`` given ``groups``), are refused
        naming the argument; a pandas Series is matched to a pandas ``X`` by
        row label. Sizes still count rows, but each training subset is drawn
        by whole groups: the training fold's groups in a random order (rows
        within a group shuffled), of which the first ``size`` rows are
        trained on (whole groups and at most one partial one). New labels
        arrive group by group (another patient), and a size drawn as random
        rows would spread over more groups than that many rows of new groups
        hold, overstating what a small size teaches. The subsets of one
        split are nested (a larger size holds the smaller ones).
    scoring : str or callable, optional
        scikit-learn scorer name or scorer (default: the estimator's ``score``).
    family, n_resamples, confidence_level : see :func:`fit_curve`
    bounds : (low, high), None or "auto", default="auto"
        The metric's range (see :func:`fit_curve`); ``"auto"`` is ``(0, 1)``
        for a classifier's default score (accuracy) and for scorers bounded by
        0 and 1 (accuracy, balanced accuracy, ROC AUC, average precision, F1,
        precision, recall, Jaccard), ``(-1, 1)`` for ``"matthews_corrcoef"``,
        ``(None, 1)`` for the scores at most 1 (a scikit-learn regressor's
        default score, R^2, and ``"r2"``, ``"explained_variance"``,
        ``"d2_*"``), ``(None, 0)`` for the negated errors (``neg_*``), None
        otherwise (a target beyond the bounds is not reachable; see
        :func:`samples_needed`).
    n_jobs : int, optional
        Parallel fits (joblib).
    rng : int, numpy.random.Generator or None
        Randomness of the splits and the bootstrap.

    Returns
    -------
    LearningCurve

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from mllifecycle.budget import learning_curve
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> curve = learning_curve(GaussianNB(), X, y, [40, 80, 160, 320], rng=0)
    >>> 0.9 < float(curve.predict(450)[0]) < 1.0
    True
    """
    from sklearn.model_selection import (
        KFold,
        RepeatedKFold,
        RepeatedStratifiedKFold,
        StratifiedKFold,
    )
    from sklearn.model_selection import learning_curve as sk_learning_curve

    caller = "learning_curve"
    gen = check_rng(rng, caller=caller)
    # a splitter, or groups, go through the gain functions' shared splits (cv_plan);
    # an int cv without groups keeps the splits (and the answers) it always gave
    cv = check_cv(cv, caller)
    planned = groups is not None or is_splitter(cv)
    n_repeats = check_int(n_repeats, "n_repeats", caller=caller, low=1)
    refuse_text(sizes, "sizes", "integer training sizes", caller)
    try:
        raw = np.asarray(sizes, dtype=np.float64)
    except (TypeError, ValueError):
        fail("sizes", "integer training sizes", sizes, caller)
    if not np.all(np.isfinite(raw)) or np.any(raw != np.round(raw)):
        # 10.7 was truncated to 10 (and fractions such as 0.5 to 0)
        fail("sizes", "integer training sizes (absolute row counts)", sizes, caller)
    sz = raw.astype(np.int64)
    refuse_sparse(X, "X", caller)
    X = collected(X)
    # pandas X and y holding the same row labels in two orders are paired by label
    # (sklearn reads them by position: a y sorted by index scored chance level)
    y = in_row_order(y, X, "y", "X", caller)
    Xa = np.asarray(X) if not hasattr(X, "iloc") else X
    ya = np.asarray(y)
    if np.ndim(Xa) != 2:
        # "All the 80 fits failed" from scikit-learn, naming no argument
        fail("X", "a 2-D array with one row per label in y",
             described(f"shape {np.shape(Xa)}"), caller)
    n_x = int(np.shape(Xa)[0])
    if ya.ndim == 0 or ya.shape[0] != n_x:
        # a shorter y was blamed on sizes (its cap counted y's rows), a longer one on
        # scikit-learn's "inconsistent numbers of samples", None an IndexError
        fail("y", f"one label per row of X ({n_x})", described(f"shape {ya.shape}"), caller)
    n_rows = ya.shape[0]
    ga = None if groups is None else check_groups(groups, X, n_rows, caller)
    # distinct: repeated sizes are measured once (fit_curve's "at least 3 distinct
    # training sizes. Got 2" named another function and a count the caller never gave)
    if sz.ndim != 1 or np.unique(sz).size < 3:
        fail("sizes", "at least 3 distinct training sizes", sizes, caller)
    if not planned:
        cap = n_rows * (cv - 1) // cv
        if np.any(sz < 2) or np.any(sz > cap):
            fail("sizes", f"sizes between 2 and {cap} (rows in a training fold)", sizes,
                 caller)
    seed = int(gen.integers(0, 2**31 - 1))
    is_clf = getattr(estimator, "_estimator_type", None) == "classifier" or (
        hasattr(estimator, "__sklearn_tags__")
        and getattr(estimator.__sklearn_tags__(), "estimator_type", None) == "classifier"
    )
    splitter: Any
    shuffle = True
    if planned:
        splits, _ = cv_plan(cv, n_repeats, ya, classification=is_clf, seed=seed,
                            caller=caller, groups=ga)
        # scikit-learn checks the sizes against the first training fold only and
        # trains a later, smaller one on fewer rows than the size it reports
        cap = min(int(tr.shape[0]) for tr, _ in splits)
        if np.any(sz < 2) or np.any(sz > cap):
            fail("sizes", f"sizes between 2 and {cap} (rows in the smallest training "
                 "fold)", sizes, caller)
        if ga is not None:
            splits = _by_groups(splits, ga, seed)
            shuffle = False  # the first `size` rows of each ordered training fold
        splitter = splits
    elif n_repeats == 1:
        splitter = (StratifiedKFold if is_clf else KFold)(cv, shuffle=True, random_state=seed)
    else:
        splitter = (RepeatedStratifiedKFold if is_clf else RepeatedKFold)(
            n_splits=cv, n_repeats=n_repeats, random_state=seed
        )
    # log loss and its kin over each model's classes: a fold of whole groups
    # lacking a class the model knows scored NaN, and the sizes were blamed
    from sklearn.metrics import check_scoring

    scorer = None
    if scoring is not None:
        try:
            scorer = known_classes_scorer(check_scoring(estimator, scoring=scoring))
        except (ValueError, TypeError) as exc:
            fail("scoring", "None, a scikit-learn scorer name or a callable",
                 described(f"{scoring!r} ({exc})"), caller)
    # an unset random_state (a forest's, a shuffling solver's) is seeded from rng:
    # the same rng gave another curve at every call
    train_sizes, _, test_scores = sk_learning_curve(
        seeded_clone(estimator, seed),
        Xa,
        ya,
        train_sizes=np.unique(sz),
        cv=splitter,
        scoring=scorer,
        shuffle=shuffle,
        random_state=seed,
        n_jobs=n_jobs,
    )
    failed = ~np.all(np.isfinite(test_scores), axis=1)
    if np.all(failed):
        # no size scored: when the estimator cannot be fitted on the rows at all
        # (NaN in X for a model that refuses it, a bad parameter) that is the
        # fault, not the sizes (the message blamed them, "e.g. a single class")
        try:
            whole = seeded_clone(estimator, seed).fit(Xa, ya)
        except Exception as exc:  # any fit failure, reported as it is
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            fail("X", "rows the estimator can be fitted on (no cross-validated fit succeeded)",
                 described(f"a fit of {type(estimator).__name__} on all rows failing with "
                           f"{type(exc).__name__}: {text}"), caller)
        # the fits work but the scorer does not (scoring="f1" on labels other
        # than 0/1): the sizes were blamed, "e.g. a single class"
        try:
            (scorer if scorer is not None else check_scoring(estimator))(whole, Xa, ya)
        except Exception as exc:  # any scoring failure, reported as it is
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            fail("scoring", "a scorer that can score the estimator on these rows (for "
                 "'f1', 'precision', 'recall' on labels other than 0/1: "
                 "make_scorer(f1_score, pos_label=...))",
                 described(f"{scoring!r}, which failed with {type(exc).__name__}: {text}"),
                 caller)
    if np.any(failed):
        # sklearn scores a failed fit NaN (error_score): name the sizes, not fit_curve's scores
        fail("sizes", "sizes at which every cross-validated fit succeeds and gives a finite "
             "score", described(f"no score at sizes {train_sizes[failed].tolist()} (a fit "
                                "failed, e.g. on a training subset with a single class)"),
             caller)
    if isinstance(bounds, str):
        if bounds != "auto":
            fail("bounds", "'auto', None or a pair (low, high)", bounds, caller)
        bounds = _default_bounds(scoring, is_clf, estimator)
    curve = fit_curve(
        train_sizes,
        test_scores,
        family=family,
        bounds=bounds,
        n_resamples=n_resamples,
        confidence_level=confidence_level,
        rng=gen,
        # a named scorer's score is greater-is-better: noise in a flat curve must
        # not make it an error curve (a target above every score was "reached");
        # so is a scorer object of a registered metric (get_scorer("accuracy"),
        # make_scorer(accuracy_score)), whose flat curves were read as falling;
        # any other callable's direction is read from the scores
        higher_is_better=True if scoring is None or isinstance(scoring, str)
        or _registered_scorer(scoring) else None,
    )
    # the rows given are the labels held: the largest training size is only
    # (cv - 1) / cv of them, and counting it as held overstated the labels
    # still to buy by about one fold
    return attrs.evolve(curve, n_samples=float(n_rows))


def _registered_scorer(scoring: Any) -> bool:
    """Whether ``scoring`` is a scorer of a scikit-learn metric with that metric's direction.

    Such a scorer (``get_scorer("accuracy")``, ``make_scorer(accuracy_score)``,
    ``make_scorer(log_loss, greater_is_better=False)``) is greater-is-better,
    as its name would be. A scorer whose sign disagrees with scikit-learn's
    own (``make_scorer(mean_squared_error)``, an error left positive) is not.
    """
    func = getattr(scoring, "_score_func", None)
    sign = getattr(scoring, "_sign", None)
    if func is None or sign not in (1, -1):
        return False
    from sklearn.metrics import get_scorer, get_scorer_names

    for name in get_scorer_names():
        known = get_scorer(name)
        if getattr(known, "_score_func", None) is func and getattr(known, "_sign", None) == sign:
            return True
    return False


def _by_groups(
    splits: list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]],
    groups: npt.NDArray[Any],
    seed: int,
) -> list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]]:
    """Order each training fold group by group (groups and rows within them shuffled).

    A training subset of ``size`` rows is then the first ``size`` rows: whole
    groups and at most one partial group, nested across sizes.
    """
    codes = np.unique(groups, return_inverse=True)[1].reshape(-1)
    n_groups = int(codes.max()) + 1
    order_rng = np.random.default_rng(seed)
    out = []
    for tr, te in splits:
        rank = order_rng.permutation(n_groups)
        tie = np.asarray(order_rng.random(int(tr.shape[0])))
        out.append((tr[np.lexsort((tie, rank[codes[tr]]))], te))
    return out


_UNIT_SCORERS = (
    "accuracy", "balanced_accuracy", "roc_auc", "average_precision", "f1", "precision",
    "recall", "jaccard", "top_k_accuracy",
)
# scores with a best value of 1 and no floor: a target above 1 is never reached
# (R^2 = 1.05 was "reachable" by a log-linear law)
_AT_MOST_ONE_SCORERS = ("r2", "explained_variance", "d2_")


def _r2_score(estimator: Any) -> bool:
    """Whether the estimator's own ``score`` is scikit-learn's regressor R^2."""
    from sklearn.base import RegressorMixin, is_regressor

    final = estimator
    while hasattr(final, "steps") and getattr(final, "steps", None):
        # a Pipeline scores with its last step's score
        final = final.steps[-1][1]
    if not is_regressor(estimator) or not is_regressor(final):
        return False
    return getattr(type(final), "score", None) is RegressorMixin.score


def _default_bounds(
    scoring: Any, is_clf: bool, estimator: Any = None
) -> tuple[float | None, float | None] | None:
    if scoring is None:
        if is_clf:
            return (0.0, 1.0)
        return (None, 1.0) if _r2_score(estimator) else None
    if isinstance(scoring, str):
        if scoring.startswith(_UNIT_SCORERS):
            return (0.0, 1.0)
        if scoring == "matthews_corrcoef":
            return (-1.0, 1.0)
        if scoring.startswith(_AT_MOST_ONE_SCORERS):
            return (None, 1.0)
        if scoring.startswith("neg_"):
            return (None, 0.0)
    return None


@attrs.frozen(repr=False)
class SamplesNeeded:
    """How many labelled samples reach a target metric, with an interval.

    Attributes
    ----------
    target : float
        The metric to reach.
    reachable : bool
        Whether the fitted curve reaches it at all (False when the asymptote is
        on the wrong side of the target: more data alone will not do).
    n_samples : float
        Training size at which the fitted curve reaches the target (``inf``
        when not reachable).
    ci_low, ci_high : float
        Bootstrap interval of ``n_samples`` (``ci_high`` is ``inf`` when some
        resamples never reach the target).
    p_reachable : float
        Fraction of bootstrap refits that reach the target.
    asymptote : float or None
        The curve's limit, and its interval ``asymptote_ci``.
    asymptote_ci : tuple of float or None
    n_available : int or float
        Labels already held, in the unit of the sizes: the rows the curve was
        measured on (:attr:`LearningCurve.n_samples`, set by
        :func:`learning_curve`), else the largest training size measured.
    additional_samples, additional_ci_low, additional_ci_high : float
        Labels still to buy: ``n_samples - n_available`` (at least 0).
    cost, cost_ci_low, cost_ci_high : float or None
        ``additional_samples * price_per_label`` when a price was given
        (``inf`` for infinite labels, even at a price of 0).
    hours, hours_ci_low, hours_ci_high : float or None
        Labeller hours ``additional_samples / labels_per_hour`` when a rate was given.
    confidence_level : float

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.budget import fit_curve, samples_needed
    >>> sizes = np.array([100, 200, 400, 800])
    >>> curve = fit_curve(sizes, 0.9 - sizes ** -0.5, family="inverse_power", rng=0)
    >>> need = samples_needed(curve, 0.88, price_per_label=0.5)
    >>> need.reachable, round(need.n_samples)
    (True, 2500)
    >>> samples_needed(curve, 0.95).reachable
    False
    """

    target: float
    reachable: bool
    n_samples: float
    ci_low: float
    ci_high: float
    p_reachable: float
    asymptote: float | None
    asymptote_ci: tuple[float, float] | None
    n_available: int | float
    additional_samples: float
    additional_ci_low: float
    additional_ci_high: float
    cost: float | None
    cost_ci_low: float | None
    cost_ci_high: float | None
    hours: float | None
    hours_ci_low: float | None
    hours_ci_high: float | None
    confidence_level: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary (infinite sizes become None)."""
        return attrs_to_dict(self)

    def to_metrics(self) -> dict[str, float]:
        """Flat ``name -> float`` (infinite and missing values left out)."""
        return flat_metrics(self.to_dict(), prefix="samples_needed")

    def __repr__(self) -> str:
        if not self.reachable:
            asym = "none" if self.asymptote is None else format_value(self.asymptote)
            return (
                f"SamplesNeeded(target={self.target:g}: not reachable; asymptote {asym}, "
                f"p_reachable={self.p_reachable:.2f})"
            )
        def size(v: float) -> str:
            # sizes in a larger unit (thousands of rows): 0.625 was shown as 1
            return f"{v:.0f}" if not math.isfinite(v) or abs(v) >= 10 else f"{v:.3g}"

        return (
            f"SamplesNeeded(target={self.target:g}: n={size(self.n_samples)} "
            f"[{size(self.ci_low)}, {size(self.ci_high)}], "
            f"additional={size(self.additional_samples)}, p_reachable={self.p_reachable:.2f})"
        )

    def _repr_html_(self) -> str:
        rows = [
            ["samples", self.n_samples, self.ci_low, self.ci_high],
            ["additional", self.additional_samples, self.additional_ci_low,
             self.additional_ci_high],
        ]
        if self.cost is not None:
            rows.append(["cost", self.cost, self.cost_ci_low, self.cost_ci_high])
        if self.hours is not None:
            rows.append(["hours", self.hours, self.hours_ci_low, self.hours_ci_high])
        return html_table(rows, ["figure", "estimate", "low", "high"], caption=repr(self))


def _solve_n(
    family: str,
    params: FloatArray,
    target: float,
    n_max: float,
    higher: bool,
    cap: float,
    floor: float = 1.0,
) -> FloatArray:
    """Smallest n >= ``floor`` with each curve (rows of params) at or past the target.

    ``inf`` where a curve does not get there by ``cap``. The curves are
    monotone in n, so a bisection on log n (vectorised over the curves) finds it.
    A curve within rounding (1e-12, relative to the target and the curve's
    level ``a``) of the target is at it: the mean of six scores of 0.8 is
    0.7999999999999999. ``floor`` is one row for
    sizes counted in rows; sizes in a larger unit (thousands of rows, smallest
    size below 1) need a smaller one, or every answer below 1 would read 1.
    """
    params = np.atleast_2d(params)
    a, b, c = params[:, 0], params[:, 1], params[:, 2]
    # relative to the metric's own scale: an absolute 1e-12 took every target
    # of an MSE measured in 1e-12 units (square micrometres) as reached at n=1
    tol = 1e-12 * np.maximum(abs(target), np.abs(a))

    def past(n: FloatArray) -> npt.NDArray[np.bool_]:
        if family == "inverse_power":
            v = a + b * np.exp(-c * np.log(n))
        elif family == "exponential":
            v = a + b * np.exp(-c * n / n_max)
        else:
            v = a + b * np.log(n)
        return np.asarray(v >= target - tol if higher else v <= target + tol)

    m = params.shape[0]
    lo, hi = np.full(m, math.log(floor)), np.full(m, math.log(cap))
    ok = past(np.full(m, cap))
    at_one = past(np.full(m, floor))
    for _ in range(60):
        mid = (lo + hi) / 2
        p = past(np.exp(mid))
        hi = np.where(p, mid, hi)
        lo = np.where(p, lo, mid)
    out = np.where(ok, np.exp(hi), math.inf)
    return np.asarray(np.where(at_one, floor, out))


def samples_needed(
    curve: LearningCurve,
    target: float,
    *,
    price_per_label: float | None = None,
    labels_per_hour: float | None = None,
    max_samples: float | None = None,
) -> SamplesNeeded:
    """Training size needed to reach ``target``, with an interval and its cost.

    Parameters
    ----------
    curve : LearningCurve
        From :func:`fit_curve` or :func:`learning_curve`.
    target : float
        Metric value to reach (at least it for a rising curve, at most it for a
        falling one). A target beyond the asymptote (or the curve's
        ``bounds``) is not an error: the result says "not reachable", with the
        asymptote and its interval.
    price_per_label : float, optional
        Money per label (>= 0); gives ``cost``.
    labels_per_hour : float, optional
        Labeller throughput (> 0); gives ``hours``.
    max_samples : float, optional
        Sizes beyond this count as not reachable (in the unit of the sizes;
        at least the largest size measured). Default: 1e9 or 1000 times the
        largest size measured, whichever is larger.

    Returns
    -------
    SamplesNeeded

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.budget import fit_curve, samples_needed
    >>> sizes = np.array([100, 200, 400, 800])
    >>> curve = fit_curve(sizes, 0.9 - sizes ** -0.5, family="inverse_power", rng=0)
    >>> need = samples_needed(curve, 0.88, labels_per_hour=100)
    >>> round(need.hours, 1)
    17.0
    """
    caller = "samples_needed"
    if not isinstance(curve, LearningCurve):
        fail("curve", "a LearningCurve from fit_curve or learning_curve", curve, caller)
    target = check_scalar(target, "target", caller=caller)
    top = float(curve.sizes.max())
    if max_samples is None:
        # a curve measured on 1.6e10 rows (tokens) reaches its targets beyond
        # 1e9: a fixed default cap called every target, even one already
        # reached at the sizes measured, "not reachable"
        cap = max(1e9, 1000.0 * top)
    else:
        cap = check_scalar(
            max_samples, "max_samples", caller=caller, low=0.0, low_inclusive=False
        )
    price = (
        None if price_per_label is None
        else check_scalar(price_per_label, "price_per_label", caller=caller, low=0.0)
    )
    rate = (
        None if labels_per_hour is None
        else check_scalar(
            labels_per_hour, "labels_per_hour", caller=caller, low=0.0, low_inclusive=False
        )
    )
    higher = curve.higher_is_better
    low, high = curve.bounds
    # one row, in the unit of the sizes: sizes below 1 are in a larger unit
    # (thousands of rows), where 0.6 is an answer, not "1"
    n_min = float(curve.sizes.min())
    floor = 1.0 if n_min >= 1.0 else n_min * 1e-3
    if cap <= floor:
        # sizes in millions of rows: max_samples=1.5 is 1.5 million, not refused
        fail("max_samples", f"a size above {floor:g} (one row, in the unit of the sizes)",
             max_samples, caller)
    if cap < top:
        # below the sizes measured, a target already reached read "not reachable"
        fail("max_samples", f"at least the largest size measured ({top:g})",
             max_samples, caller)
    # a metric never passes its bounds (predictions are clipped to them): a
    # log-linear law, which has no limit, would "reach" an accuracy of 1.2
    beyond = (high is not None and target > high) if higher else (
        low is not None and target < low
    )
    n_point = math.inf if beyond else float(
        _solve_n(
            curve.family, np.array(curve.params), target, curve.n_max, higher, cap, floor
        )[0]
    )
    fams = np.array(curve.boot_family, dtype=object)
    boot_n = np.full(len(fams), math.inf)
    for fam in set(curve.boot_family) if not beyond else ():
        sel = fams == fam
        boot_n[sel] = _solve_n(
            fam, curve.boot_params[sel], target, curve.n_max, higher, cap, floor
        )
    q = curve._tail()
    lo = float(np.quantile(boot_n, q, method="lower"))
    hi = float(np.quantile(boot_n, 1 - q, method="higher"))
    # the rows the curve was measured on when known (learning_curve): its
    # largest training size is only (cv - 1) / cv of the labels held
    held = top if curve.n_samples is None else max(float(curve.n_samples), top)
    # sizes may be in any unit (thousands of rows): 4.5 held is not 4
    have: int | float = int(held) if held.is_integer() else held

    def extra(v: float) -> float:
        return max(v - have, 0.0)

    add, add_lo, add_hi = extra(n_point), extra(lo), extra(hi)

    def cost(v: float) -> float | None:
        # labels never bought cost inf, like the sizes: inf * a price of 0 was NaN
        if price is None:
            return None
        return math.inf if math.isinf(v) else v * price

    reachable = math.isfinite(n_point)
    return SamplesNeeded(
        target=target,
        reachable=reachable,
        n_samples=n_point,
        ci_low=lo,
        ci_high=hi,
        p_reachable=float(np.mean(np.isfinite(boot_n))),
        asymptote=curve.asymptote,
        asymptote_ci=curve.asymptote_interval(),
        n_available=have,
        additional_samples=add,
        additional_ci_low=add_lo,
        additional_ci_high=add_hi,
        cost=cost(add),
        cost_ci_low=cost(add_lo),
        cost_ci_high=cost(add_hi),
        hours=None if rate is None else add / rate,
        hours_ci_low=None if rate is None else add_lo / rate,
        hours_ci_high=None if rate is None else add_hi / rate,
        confidence_level=curve.confidence_level,
    )
