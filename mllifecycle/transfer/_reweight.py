"""Importance weights for covariate shift: domain classifier, KLIEP and KMM."""

from __future__ import annotations

import warnings
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._estimators import new_seed, seeded_clone
from mllifecycle._progress import check_progress, make_progress
from mllifecycle._resampling import canonical_order
from mllifecycle._results import ARRAY_EQ, attrs_to_dict, flat_metrics, format_value, html_table
from mllifecycle._scaling import NEAR, refine_near_pairs
from mllifecycle._validation import (
    check_array,
    check_int,
    check_option,
    check_rng,
    check_same_n_features,
    check_scalar,
    described,
    fail,
)
from mllifecycle.exceptions import DegenerateDataWarning
from mllifecycle.transfer._common import (
    FloatArray,
    as_numpy,
    check_estimator_instance,
    check_same_columns,
    scale_columns,
)

__all__ = ["ImportanceWeights", "importance_weights"]

_CALLER = "importance_weights"
_METHODS = ("classifier", "kliep", "kmm")
#: Largest kernel block held in memory at once (entries; 2**22 floats = 32 MB).
_BLOCK_ELEMENTS = 2**22
_MEDIAN_ROWS = 1000


@attrs.frozen(kw_only=True, repr=False)
class ImportanceWeights:
    """Density-ratio weights of the source rows, ``w(x) ~ p_target(x) / p_source(x)``.

    Attributes
    ----------
    weights : ndarray of shape (n_source,)
        One non-negative weight per source row, mean 1 (pass as
        ``sample_weight``). Read-only.
    effective_sample_size : float
        Kish's ``(sum w)^2 / sum w^2``: how many unweighted rows the weighted
        source is worth.
    method : str
        ``"classifier"``, ``"kliep"`` or ``"kmm"``.
    n_source, n_target : int
        Sample sizes.
    clip : float or None
        The cap asked for on a weight (relative to the mean of 1), when one
        was used. It bounds every weight unless fewer than ``n_source / clip``
        rows have a positive weight: the cap cannot hold at mean 1 then, and
        every positive weight is ``n_source / k`` (``k`` such rows).
    n_clipped : int
        Number of weights held at the cap ``clip_applied``: the weights cut
        down to it or, when the cap was raised, every positive weight (all
        set to ``n_source / k``).
    clip_applied : float or None
        The cap that actually bounds the weights: ``clip`` itself, or
        ``n_source / k`` when ``clip`` could not hold (then above ``clip``);
        ``None`` without a cap.
    details : dict
        Method-specific evidence: the domain classifier's AUC, the kernel
        bandwidth, the optimiser's convergence.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.transfer import importance_weights
    >>> rng = np.random.default_rng(0)
    >>> res = importance_weights(rng.normal(size=(300, 2)),
    ...                          rng.normal(0.5, 1.0, size=(200, 2)), rng=0)
    >>> round(float(res.weights.mean()), 6), res.effective_sample_size < 300
    (1.0, True)
    """

    weights: FloatArray = attrs.field(eq=ARRAY_EQ)
    effective_sample_size: float
    method: str
    n_source: int
    n_target: int
    clip: float | None
    n_clipped: int
    details: dict[str, Any] = attrs.field(factory=dict)
    clip_applied: float | None = None

    @property
    def ess_fraction(self) -> float:
        """Effective sample size as a fraction of ``n_source``."""
        return self.effective_sample_size / self.n_source

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-safe dict (weights as a list)."""
        out = attrs_to_dict(self)
        out["ess_fraction"] = self.ess_fraction
        return out

    def to_metrics(self) -> dict[str, float]:
        """Return the summary numbers as a flat ``name -> float`` dict (no weights)."""
        d = self.to_dict()
        d.pop("weights", None)
        return flat_metrics(d)

    def _rows(self) -> list[list[Any]]:
        w = self.weights
        return [
            ["method", self.method],
            ["n_source", self.n_source],
            ["n_target", self.n_target],
            ["effective_sample_size", self.effective_sample_size],
            ["ess_fraction", self.ess_fraction],
            ["weight min / median / max",
             f"{format_value(float(w.min()))} / {format_value(float(np.median(w)))}"
             f" / {format_value(float(w.max()))}"],
            ["clip / applied", f"{format_value(self.clip)} / "
             f"{format_value(self.clip_applied)}"],
            ["n_clipped", self.n_clipped],
        ]

    def __repr__(self) -> str:
        w = self.weights
        return (
            f"ImportanceWeights(method={self.method!r}, n_source={self.n_source}, "
            f"n_target={self.n_target}, "
            f"effective_sample_size={format_value(self.effective_sample_size)}, "
            f"min={format_value(float(w.min()))}, max={format_value(float(w.max()))}, "
            f"n_clipped={self.n_clipped})"
        )

    def _repr_html_(self) -> str:
        return html_table(self._rows(), ("", "value"), caption="ImportanceWeights")


def _standardise(xs: FloatArray, xt: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Scale both samples by the pooled mean and standard deviation."""
    z = np.concatenate([xs, xt])
    mu = z.mean(axis=0)
    sd = z.std(axis=0)
    sd[sd == 0.0] = 1.0
    return (xs - mu) / sd, (xt - mu) / sd


def _median_sigma(xs: FloatArray, xt: FloatArray, gen: np.random.Generator) -> float:
    """Median pairwise distance of (a random subsample of) the pooled sample."""
    z = np.concatenate([xs, xt])
    if z.shape[0] > _MEDIAN_ROWS:
        z = z[gen.choice(z.shape[0], _MEDIAN_ROWS, replace=False)]
    # exact pairwise distances: the expansion |a|^2 + |b|^2 - 2ab leaves rounding
    # noise (~1e-8 after the square root) where rows (nearly) coincide, which
    # would become the bandwidth when most pairs are duplicates
    from scipy.spatial.distance import pdist

    med = float(np.median(pdist(z)))
    return med if med > 0.0 else 1.0


def _kernel_block(a: FloatArray, a_sq: FloatArray, b: FloatArray, b_sq: FloatArray,
                  gamma: float) -> FloatArray:
    """``exp(-gamma |a_i - b_j|^2)`` computed in place in one block."""
    g = a @ b.T
    g *= -2.0
    g += a_sq[:, None]
    g += b_sq[None, :]
    np.maximum(g, 0.0, out=g)
    if a.shape[0] and b.shape[0]:
        refine_near_pairs(g, a, b, NEAR * (float(a_sq.max()) + float(b_sq.max())))
    g *= -gamma
    np.exp(g, out=g)
    return g


def _scaled_block(a: FloatArray, a_half: FloatArray, b: FloatArray,
                  b_half: FloatArray) -> FloatArray:
    """As :func:`_kernel_block` on rows pre-scaled by ``sqrt(2 gamma)``.

    With ``a_half = gamma |a|^2`` (and so for ``b``) the exponent is
    ``a.b - a_half - b_half = -|a - b|^2 / 2`` in the scaled space; entries
    where it cancels (near-duplicate rows) are recomputed from the differences.
    """
    g = a @ b.T
    g -= a_half[:, None]
    g -= b_half[None, :]
    np.minimum(g, 0.0, out=g)
    if a.shape[0] and b.shape[0]:
        g *= -2.0  # |a - b|^2
        refine_near_pairs(g, a, b, 2.0 * NEAR * (float(a_half.max()) + float(b_half.max())))
        g *= -0.5
    np.exp(g, out=g)
    return g


def _kernel_matvec(a: FloatArray, b: FloatArray, v: FloatArray, gamma: float,
                   block_rows: int) -> FloatArray:
    """``K(a, b) @ v`` without holding more than ``block_rows x len(b)`` entries."""
    a_sq = (a * a).sum(axis=1)
    b_sq = (b * b).sum(axis=1)
    out = np.empty((a.shape[0], *v.shape[1:]))
    for start in range(0, a.shape[0], block_rows):
        stop = min(a.shape[0], start + block_rows)
        out[start:stop] = _kernel_block(a[start:stop], a_sq[start:stop], b, b_sq,
                                        gamma) @ v
    return out


def _gram_matvec(x: FloatArray, v: FloatArray, gamma: float, block: int) -> FloatArray:
    """``K(x, x) @ v`` from the data, one ``block x block`` tile at a time.

    Each off-diagonal tile is computed once and used for both of its
    symmetric halves, so a product costs about ``n^2 d / 2`` flops and
    ``n^2 / 2`` exponentials, and memory stays at one tile.
    """
    n = x.shape[0]
    xs = x * np.sqrt(2.0 * gamma)
    half = 0.5 * (xs * xs).sum(axis=1)  # = gamma |x|^2
    out = np.zeros(n)
    starts = list(range(0, n, block))
    for i, a in enumerate(starts):
        a_end = min(n, a + block)
        for b in starts[i:]:
            b_end = min(n, b + block)
            tile = _scaled_block(xs[a:a_end], half[a:a_end], xs[b:b_end], half[b:b_end])
            out[a:a_end] += tile @ v[b:b_end]
            if b != a:
                out[b:b_end] += v[a:a_end] @ tile
    return out


def _block_rows(n_cols: int, cap: int) -> int:
    return max(1, min(cap, _BLOCK_ELEMENTS // max(1, n_cols)))


def _classifier_ratio(xs: FloatArray, xt: FloatArray, estimator: Any, cv: int,
                      gen: np.random.Generator, groups: npt.NDArray[Any] | None = None
                      ) -> tuple[FloatArray, dict[str, Any]]:
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, cross_val_predict

    if estimator is None:
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        estimator = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    seed = new_seed(gen)
    est = seeded_clone(estimator, seed)
    z = np.concatenate([xs, xt])
    d = np.r_[np.zeros(xs.shape[0], dtype=np.int64), np.ones(xt.shape[0], dtype=np.int64)]
    if groups is None:
        folds: Any = StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed)
        p = cross_val_predict(est, z, d, cv=folds, method="predict_proba")[:, 1]
    else:
        # a row's twins (its group, in either domain) held out with it: seen in
        # training they make its domain probability confident, its weight extreme
        folds = StratifiedGroupKFold(n_splits=cv, shuffle=True, random_state=seed)
        p = cross_val_predict(est, z, d, cv=folds, groups=groups,
                              method="predict_proba")[:, 1]
    # capped below 1 (a finite odds), not floored above 0: a floor of 1e-6
    # gave every source row the classifier puts outside the target the same
    # weight, so disjoint domains came out uniformly weighted (effective
    # sample size n_source, no warning) instead of not covering the target
    eps = 1e-6
    ps = np.clip(p[: xs.shape[0]], 0.0, 1.0 - eps)
    ratio = ps / (1.0 - ps) * (xs.shape[0] / xt.shape[0])
    auc = float(roc_auc_score(d, p))
    return ratio, {"domain_auc": auc, "cv": cv, "estimator": type(est).__name__}


def _source_mean_kernel(xs: FloatArray, centers: FloatArray, gamma: float
                        ) -> FloatArray:
    """Mean over source rows of ``K(x_i, c_l)``, one entry per centre."""
    w = np.full(xs.shape[0], 1.0 / xs.shape[0])
    return _kernel_matvec(centers, xs, w, gamma, _block_rows(xs.shape[0], centers.shape[0]))


def _kliep_objective(a_fit: FloatArray, b_mean: FloatArray, alpha: FloatArray
                     ) -> tuple[float, FloatArray, FloatArray]:
    """KLIEP's objective (to minimise), its gradient and ``A alpha``."""
    r = a_fit @ alpha
    if np.any(r <= 0.0):
        return float("inf"), np.zeros_like(alpha), r
    f = -float(np.log(r).mean()) + float(b_mean @ alpha)
    g = -(a_fit.T @ (1.0 / r)) / a_fit.shape[0] + b_mean
    return f, g, r


def _kliep_fit(a_fit: FloatArray, b_mean: FloatArray, max_iter: int
               ) -> tuple[FloatArray, bool]:
    """Maximise ``mean log(A alpha) - b' alpha`` over ``alpha >= 0``.

    At the optimum ``b' alpha = 1``, so this is KLIEP's constrained problem
    (the constraint is met by the scale freedom of the log). The problem is
    convex but badly conditioned (neighbouring kernel centres are nearly
    collinear): L-BFGS-B alone stopped after 100 iterations far from the
    optimum, and a 1e-12 relative change of the data moved weights by up to
    0.46. Here ``max_iter`` L-BFGS-B iterations find the active centres, then
    up to ``max_iter`` Newton steps converge: each minimises the quadratic
    model with the exact Hessian ``A' diag(1 / (A alpha)^2) A / n`` over
    ``alpha >= 0`` exactly, as a non-negative least-squares problem (Lawson
    and Hanson, "Solving Least Squares Problems", 1974), followed by an
    Armijo search on the (feasible) segment to it. Returns the coefficients
    and whether the optimality conditions (projected gradient below ``1e-9``
    of the largest ``b``) were met.
    """
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    # Small problem: threaded BLAS only adds contention.
    # solved for beta = b * alpha (each centre's share of the source mean): the
    # coefficients of centres the source barely reaches run to 1e7 and more,
    # which neither L-BFGS-B nor the stopping tests handle in alpha's units
    scale = np.maximum(b_mean, max(float(b_mean.max()), 1e-300) * 1e-300)
    with threadpool_limits(limits=1, user_api="blas"):
        beta, ok = _kliep_newton(a_fit / scale, b_mean / scale, max_iter)
    return beta / scale, ok


def _kliep_newton(a_fit: FloatArray, b_mean: FloatArray, max_iter: int
                  ) -> tuple[FloatArray, bool]:
    from scipy.linalg import solve_triangular
    from scipy.optimize import minimize, nnls

    n, p = a_fit.shape
    x0 = np.full(p, 1.0 / max(float(b_mean.sum()), 1e-300))
    # L-BFGS-B finds the active centres cheaply; Newton steps then converge
    first = minimize(lambda x: _kliep_objective(a_fit, b_mean, x)[:2], x0, jac=True,
                     method="L-BFGS-B", bounds=[(0.0, None)] * p,
                     options={"maxiter": max_iter})
    alpha = np.asarray(first.x, dtype=np.float64)
    f, g, r = _kliep_objective(a_fit, b_mean, alpha)
    if not np.isfinite(f):
        alpha = x0
        f, g, r = _kliep_objective(a_fit, b_mean, alpha)
    scale = max(float(np.max(np.abs(b_mean))), 1e-300)
    converged = False
    for _ in range(max_iter):
        fixed = (alpha <= 0.0) & (g > 0.0)
        if float(np.where(fixed, 0.0, np.abs(g)).max()) <= 1e-9 * scale:
            converged = True
            break
        # Newton step: the quadratic model min 1/2 x'Hx + (g - H alpha)'x over
        # x >= 0, solved exactly as a non-negative least-squares problem
        # (H + ridge = L L', so the model is 1/2 |L'x + L^-1 c|^2 + const)
        af = a_fit / r[:, None]
        h = af.T @ af / n
        h[np.diag_indices(p)] += 1e-12 * max(float(np.trace(h)) / p, 1e-300)
        try:
            low = np.linalg.cholesky(h)
        except np.linalg.LinAlgError:
            break
        c = g - h @ alpha
        x, _ = nnls(low.T, -solve_triangular(low, c, lower=True), maxiter=50 * p)
        d = x - alpha
        keep = x > 0.0
        t = 1.0
        if np.array_equal(keep, alpha > 0.0):
            # the active set is settled: the Newton step on the positive
            # coefficients, solved directly (NNLS stops at its own tolerance)
            d = np.zeros(p)
            d[keep] = np.linalg.solve(h[np.ix_(keep, keep)], -g[keep])
            shrink = d < 0.0
            if shrink.any():  # stay feasible
                t = min(1.0, float(np.min(-alpha[shrink] / d[shrink])))
        slope = float(g @ d)
        if not slope < 0.0:
            converged = float(np.where(fixed, 0.0, np.abs(g)).max()) <= 1e-7 * scale
            break
        t_full = t
        f_new = f
        while t > 1e-20:  # the segment to x stays feasible
            f_new = _kliep_objective(a_fit, b_mean, alpha + t * d)[0]
            if f_new <= f + 1e-4 * t * slope:
                break
            t *= 0.5
        kkt = float(np.where(fixed, 0.0, np.abs(g)).max())
        if not f_new < f:
            # no decrease measurable in f (the last digits): take the full
            # step if it shrinks the gradient, else stop with a looser test
            cand = np.maximum(alpha + t_full * d, 0.0)
            f_c, g_c, r_c = _kliep_objective(a_fit, b_mean, cand)
            kkt_c = float(np.where((cand <= 0.0) & (g_c > 0.0), 0.0, np.abs(g_c)).max())
            if np.isfinite(f_c) and kkt_c < 0.5 * kkt:
                alpha, f, g, r = cand, f_c, g_c, r_c
                continue
            converged = kkt <= 1e-7 * scale
            break
        alpha = np.maximum(alpha + t * d, 0.0)
        if t == 1.0:
            alpha[~keep] = 0.0
        f, g, r = _kliep_objective(a_fit, b_mean, alpha)
    return alpha, converged


def _kliep_ratio(xs: FloatArray, xt: FloatArray, bandwidth: float | None,
                 n_centers: int, cv: int, max_iter: int, gen: np.random.Generator,
                 target_groups: npt.NDArray[Any] | None = None,
                 ) -> tuple[FloatArray, dict[str, Any]]:
    xs, xt = _standardise(xs, xt)
    n_t = xt.shape[0]
    b = min(n_centers, n_t)
    centers = xt[np.sort(gen.choice(n_t, b, replace=False))]
    base = _median_sigma(xs, xt, gen)
    sigmas = [bandwidth] if bandwidth is not None else [base * f for f in
                                                        (0.25, 0.5, 1.0, 2.0, 4.0)]
    rows = _block_rows(b, xs.shape[0])
    lcv: list[float] = []
    if target_groups is None:
        fold_of = gen.permutation(n_t) % cv
    else:
        # the bandwidth's likelihood cross-validation holds out whole target groups
        codes = np.unique(target_groups, return_inverse=True)[1].reshape(-1)
        fold_of = (gen.permutation(int(codes.max()) + 1) % cv)[codes]
    cv_ok = True
    for sigma in sigmas:
        gamma = 1.0 / (2.0 * sigma * sigma)
        if len(sigmas) == 1:
            lcv.append(float("nan"))
            break
        a_t = _kernel_matvec(xt, centers, np.eye(b), gamma, rows)
        b_mean = _source_mean_kernel(xs, centers, gamma)
        score = 0.0
        for k in range(cv):
            alpha, fold_ok = _kliep_fit(a_t[fold_of != k], b_mean, max_iter)
            cv_ok = cv_ok and fold_ok
            score += float(np.log(np.maximum(a_t[fold_of == k] @ alpha, 1e-300)).mean())
        lcv.append(score / cv)
    best = int(np.nanargmax(lcv)) if len(sigmas) > 1 else 0
    sigma = sigmas[best]
    gamma = 1.0 / (2.0 * sigma * sigma)
    a_t = _kernel_matvec(xt, centers, np.eye(b), gamma, rows)
    b_mean = _source_mean_kernel(xs, centers, gamma)
    alpha, ok = _kliep_fit(a_t, b_mean, max_iter)
    if not (ok and cv_ok):
        from sklearn.exceptions import ConvergenceWarning

        what = "the final fit" if not ok else "a fit of the bandwidth cross-validation"
        warnings.warn(
            f"importance_weights: KLIEP's solver did not converge in {what} "
            f"(max_iter={max_iter}); the weights may change with tiny changes of the "
            "data. Increase max_iter or pass a bandwidth.",
            ConvergenceWarning, stacklevel=3,
        )
    ratio = _kernel_matvec(xs, centers, alpha, gamma, rows)
    return ratio, {
        "bandwidth": float(sigma),
        "bandwidth_grid": [float(s) for s in sigmas],
        "likelihood_cv": lcv,
        "n_centers": b,
        "converged": ok,
        "cv_converged": cv_ok,
        "standardised": True,
    }


def _kmm_ratio(xs: FloatArray, xt: FloatArray, bandwidth: float | None, bound: float,
               epsilon: float | None, max_iter: int, gen: np.random.Generator,
               bar: Any = None) -> tuple[FloatArray, dict[str, Any]]:
    from scipy.optimize import minimize

    xs, xt = _standardise(xs, xt)
    n_s, n_t = xs.shape[0], xt.shape[0]
    sigma = bandwidth if bandwidth is not None else _median_sigma(xs, xt, gen)
    gamma = 1.0 / (2.0 * sigma * sigma)
    eps = (np.sqrt(n_s) - 1.0) / np.sqrt(n_s) if epsilon is None else epsilon
    # Never more than an n_source x n_target block (and at most _BLOCK_ELEMENTS).
    tile = max(1, min(n_s, int(np.sqrt(min(_BLOCK_ELEMENTS, n_s * n_t)))))
    kappa = (n_s / n_t) * _kernel_matvec(xs, xt, np.ones(n_t), gamma,
                                         _block_rows(n_t, n_s))
    scale = float(n_s) ** 2
    rho = 10.0 * n_s  # penalty weight on the relative sum-constraint violation
    n_evals = [0]

    def fun(beta: FloatArray) -> tuple[float, FloatArray]:
        n_evals[0] += 1
        kb = _gram_matvec(xs, beta, gamma, tile)
        f = (0.5 * float(beta @ kb) - float(kappa @ beta)) / scale
        g = (kb - kappa) / scale
        viol = abs(float(beta.sum()) - n_s) / n_s - eps
        if viol > 0.0:
            sign = np.sign(float(beta.sum()) - n_s)
            f += 0.5 * rho * viol * viol
            g = g + rho * viol * sign / n_s
        return f, g

    from threadpoolctl import threadpool_limits

    # Below ~2000 rows the products are cheap and threaded BLAS inside
    # L-BFGS-B costs more in contention than it saves.
    with threadpool_limits(limits=1 if n_s <= 2000 else None, user_api="blas"):
        res = minimize(fun, np.ones(n_s), jac=True, method="L-BFGS-B",
                       bounds=[(0.0, bound)] * n_s,
                       options={"maxiter": max_iter, "ftol": 1e-12, "gtol": 1e-9},
                       callback=None if bar is None else (lambda *_: bar.update()))
    beta = np.clip(np.asarray(res.x), 0.0, bound)
    return beta, {
        "bandwidth": float(sigma),
        "bound": float(bound),
        "epsilon": float(eps),
        "converged": bool(res.success),
        "n_iterations": int(res.nit),
        "n_kernel_products": n_evals[0],
        "tile": tile,
        "standardised": True,
    }


def _clip_mean_one(w: FloatArray, clip: float) -> tuple[FloatArray, int, float]:
    """Scale ``w`` to mean 1 with every weight at most a cap.

    The cap is ``clip`` whenever it can hold at mean 1, i.e. when at least
    ``n / clip`` weights are positive; otherwise it is raised to
    ``n / n_pos`` and every positive weight is set to it. Returns the weights,
    how many of them are held at the cap (cut down to it, or every positive
    weight when the cap was raised) and the cap applied.
    """
    n = w.shape[0]
    w = w * (n / w.sum())
    if w.max() <= clip:
        return w, 0, clip
    n_pos = int((w > 0).sum())
    if n_pos * clip < n:
        # Infeasible: fewer than n / clip rows carry weight. The cap is raised
        # to n / n_pos, which makes every positive weight equal to it.
        cap = n / n_pos
        out = np.where(w > 0, cap, 0.0)
        return out, n_pos, cap
    srt = np.sort(w)[::-1]
    suffix = np.cumsum(srt[::-1])[::-1]  # suffix[k] = sum of srt[k:]
    ks = np.arange(n)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        s = (n - ks * clip) / suffix
        ok = (s * srt <= clip * (1 + 1e-12)) & (s > 0) & np.isfinite(s)
    k = int(np.argmax(ok))
    scale = float(s[k])
    out = np.minimum(w * scale, clip)
    return out, int((w * scale > clip).sum()), clip



def _check_domain_groups(
    groups: Any, X_source: Any, X_target: Any, n_source: int, n_target: int
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """Return ``groups`` checked as a pair (source rows' groups, target rows' groups)."""
    from mllifecycle._gain import check_groups

    if not isinstance(groups, tuple | list) or len(groups) != 2 or any(
            isinstance(g, str) for g in groups):
        fail("groups", "a pair (groups of the source rows, groups of the target rows)",
             described(f"a {type(groups).__name__}" + (
                 f" of length {len(groups)}" if isinstance(groups, tuple | list) else "")),
             _CALLER)
    gs = check_groups(groups[0], X_source, n_source, _CALLER, "X_source")
    gt = check_groups(groups[1], X_target, n_target, _CALLER, "X_target")
    return gs, gt


def importance_weights(
    X_source: Any,
    X_target: Any,
    *,
    method: str = "classifier",
    clip: float | None = 20.0,
    estimator: Any = None,
    cv: int = 5,
    groups: Any = None,
    bandwidth: float | None = None,
    n_centers: int = 100,
    bound: float = 1000.0,
    epsilon: float | None = None,
    max_iter: int = 100,
    min_ess_fraction: float = 0.1,
    progress: Any = False,
    rng: Any = None,
) -> ImportanceWeights:
    """Density-ratio weights that make the source look like the target.

    Under covariate shift (``p(y | x)`` shared, ``p(x)`` different), training
    on the source with weights ``w(x) = p_target(x) / p_source(x)`` targets the
    target-domain risk [1]_.

    Parameters
    ----------
    X_source : array-like of shape (n_source, n_features)
        The (labelled) source rows to weight.
    X_target : array-like of shape (n_target, n_features)
        Unlabelled rows from the target domain.
    method : {"classifier", "kliep", "kmm"}, default="classifier"
        ``"classifier"``: a probabilistic domain classifier gives
        ``w = P(target | x) / P(source | x) * n_source / n_target``, with
        out-of-fold probabilities [4]_. ``"kliep"``: Kullback-Leibler
        importance estimation with Gaussian kernels on target centres and
        bandwidth chosen by likelihood cross-validation [2]_. ``"kmm"``:
        kernel mean matching [3]_.
    clip : float or None, default=20.0
        Largest weight allowed, relative to the mean weight of 1; weights are
        cut there and the rest rescaled so the mean stays 1. Must exceed 1.
        When fewer than ``n_source / clip`` rows have a positive weight the
        cap cannot hold with mean 1; it is then raised to ``n_source / k``
        (``k`` positive rows, which all get that weight).
    estimator : classifier, default=None
        Domain classifier for ``"classifier"`` (cloned); default a standardised
        ``LogisticRegression``. Needs ``predict_proba``.
    cv : int, default=5
        Folds for the out-of-fold probabilities (``"classifier"``) or the
        likelihood cross-validation of the bandwidth (``"kliep"``).
    groups : pair of array-like, optional
        ``(source_groups, target_groups)``: the group of each source row and
        of each target row (a patient, a session, near-duplicate rows). The
        folds then hold out whole groups: ``"classifier"``'s domain
        classifier (scikit-learn's ``StratifiedGroupKFold`` over both
        domains; a label in both is one group) and ``"kliep"``'s likelihood
        cross-validation (target groups; its kernel centres, drawn from all
        target rows, are shared by the folds). A row's twins seen in training made
        its out-of-fold domain probability confident: on two samples from one
        distribution of near-duplicate groups the domain AUC was 0.96 (a
        spurious shift), 0.52 with groups. ``"kmm"`` has no folds: the groups
        are checked and unused. A pandas Series is matched to its pandas
        ``X`` by row label.
    bandwidth : float, optional
        Gaussian kernel length scale on standardised features (``"kliep"``,
        ``"kmm"``). Default: chosen by likelihood CV among multiples of the
        median distance (KLIEP); the median distance (KMM).
    n_centers : int, default=100
        Kernel centres (target rows) for ``"kliep"``.
    bound : float, default=1000.0
        Upper bound ``B`` on each KMM weight.
    epsilon : float, optional
        KMM's tolerance on the mean weight, ``|sum beta - n| <= n epsilon``;
        default ``(sqrt(n) - 1) / sqrt(n)`` as in [3]_.
    max_iter : int, default=100
        Iterations of the L-BFGS-B solver (``"kliep"``, ``"kmm"``). KMM's
        quadratic programme is badly conditioned and rarely converges to
        tolerance; stopping early keeps its weights smoother
        (``details["converged"]`` says whether it converged). KLIEP follows
        its L-BFGS-B iterations with up to ``max_iter`` Newton steps, and
        warns (``ConvergenceWarning``) when it does not converge.
    min_ess_fraction : float, default=0.1
        Warn when the effective sample size falls below this fraction of
        ``n_source``.
    progress : bool or callable, default=False
        ``True`` for a bar (the ``progress`` extra) or a callable
        ``progress(done, total)``: for ``"kmm"`` one step per solver
        iteration (``total=max_iter``; the count jumps to the end when the
        solver stops early), one step in all for the other methods.
    rng : int, Generator or None
        Seeds the folds, the KLIEP centres and the bandwidth subsample. They
        are drawn over each sample's rows in a canonical (lexicographic)
        order, so the same rows in another order get the same weights.

    Returns
    -------
    ImportanceWeights
        ``weights`` (one per source row, mean 1) and ``effective_sample_size``.

    Warns
    -----
    DegenerateDataWarning
        When the effective sample size collapses (the source barely covers the
        target), or, for ``"classifier"``, when the domain classifier separates
        the two samples perfectly out of fold (AUC 1: the source does not cover
        the target at all, whatever the weights' spread).
    sklearn.exceptions.ConvergenceWarning
        When KLIEP's solver does not reach its optimum within ``max_iter``.

    Notes
    -----
    KLIEP maximises ``mean_target log w`` subject to ``mean_source w = 1`` and
    non-negative coefficients; it is solved here in the equivalent
    form ``max mean log(A alpha) - b' alpha`` over ``alpha >= 0`` (the
    constraint holds at the optimum) with SciPy's L-BFGS-B followed by
    Newton steps (each an exact non-negative quadratic subproblem) to
    convergence. KMM minimises
    ``1/2 beta' K beta - kappa' beta`` over ``0 <= beta <= B``, with the sum
    constraint as a quadratic penalty, also by L-BFGS-B. The n_source x n_source
    Gram matrix is never formed: each product ``K beta`` is recomputed from
    the data in row blocks of at most ``min(n_target, 2**22 / n_source)`` rows,
    so memory stays at one n_source x n_target block while time grows as
    ``n_source^2 d`` per iteration. Kernel methods run on features
    standardised with the pooled mean and standard deviation.

    References
    ----------
    .. [1] H. Shimodaira, "Improving predictive inference under covariate shift
       by weighting the log-likelihood function", J. Stat. Plan. Inference 90,
       227-244 (2000).
    .. [2] M. Sugiyama, T. Suzuki, S. Nakajima, H. Kashima, P. von Buenau and
       M. Kawanabe, "Direct importance estimation for covariate shift
       adaptation", Ann. Inst. Stat. Math. 60, 699-746 (2008).
    .. [3] J. Huang, A. Gretton, K. Borgwardt, B. Schölkopf and A. Smola,
       "Correcting sample selection bias by unlabeled data", NIPS 19 (2007).
    .. [4] S. Bickel, M. Brückner and T. Scheffer, "Discriminative learning
       under covariate shift", JMLR 10, 2137-2155 (2009).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.transfer import importance_weights
    >>> rng = np.random.default_rng(0)
    >>> Xs = rng.normal(0.0, 1.0, size=(500, 1))
    >>> Xt = rng.normal(1.0, 0.5, size=(200, 1))
    >>> w = importance_weights(Xs, Xt, method="kliep", rng=0).weights
    >>> bool(w[Xs[:, 0] > 1].mean() > w[Xs[:, 0] < -1].mean())
    True
    """
    m = check_option(method, "method", _METHODS, _CALLER)
    check_same_columns(X_source, X_target, ("X_source", "X_target"), _CALLER)
    xs = check_array(as_numpy(X_source, "X_source", _CALLER), "X_source", caller=_CALLER,
                     ndim=2, min_samples=2)
    xt = check_array(as_numpy(X_target, "X_target", _CALLER), "X_target", caller=_CALLER,
                     ndim=2, min_samples=2)
    check_progress(progress, _CALLER)
    check_same_n_features(xs, xt, ("X_source", "X_target"), _CALLER)
    xs, xt = scale_columns(xs, xt)
    # one memory layout: sums over a Fortran-ordered X (a transposed or
    # column-sliced array) ran in another order, and the last bits moved
    # KMM's flat optimum (weights by up to 2 on a mean of 1)
    xs, xt = np.ascontiguousarray(xs), np.ascontiguousarray(xt)
    c = None if clip is None else check_scalar(clip, "clip", caller=_CALLER, low=1.0,
                                                low_inclusive=False)
    k = check_int(cv, "cv", caller=_CALLER, low=2)
    iters = check_int(max_iter, "max_iter", caller=_CALLER)
    frac = check_scalar(min_ess_fraction, "min_ess_fraction", caller=_CALLER, low=0.0,
                        high=1.0)
    gen = check_rng(rng, caller=_CALLER)
    bw = None if bandwidth is None else check_scalar(
        bandwidth, "bandwidth", caller=_CALLER, low=0.0, low_inclusive=False)
    gs = gt = None
    if groups is not None:
        gs, gt = _check_domain_groups(groups, X_source, X_target, xs.shape[0], xt.shape[0])
    if m == "classifier":
        if k > min(xs.shape[0], xt.shape[0]):
            fail("cv", f"at most the smaller sample size ({min(xs.shape[0], xt.shape[0])})",
                 k, _CALLER)
        if gs is not None and gt is not None:
            fewest = min(np.unique(gs).shape[0], np.unique(gt).shape[0])
            if k > fewest:
                fail("cv", f"at most the number of groups of the smaller domain ({fewest}): "
                     "each fold holds out whole groups of both", k, _CALLER)
        if estimator is not None:
            check_estimator_instance(estimator, ["fit", "predict_proba"], _CALLER)
    elif m == "kliep":
        nc = check_int(n_centers, "n_centers", caller=_CALLER)
        if k > xt.shape[0]:
            fail("cv", f"at most n_target ({xt.shape[0]})", k, _CALLER)
        if gt is not None and k > np.unique(gt).shape[0]:
            fail("cv", f"at most the number of target groups ({np.unique(gt).shape[0]}): "
                 "each fold holds out whole groups", k, _CALLER)
    else:
        b = check_scalar(bound, "bound", caller=_CALLER, low=1.0)
        e = None if epsilon is None else check_scalar(epsilon, "epsilon", caller=_CALLER,
                                                      low=0.0, high=1.0)
    # the rows in a canonical (lexicographic) order, the answer mapped back:
    # the folds, the KLIEP centres and the bandwidth subsample are drawn by
    # position, so the same rows in another order got other weights (a row's
    # weight moved by up to 40% under the default domain classifier)
    order_s, order_t = canonical_order(xs, gs), canonical_order(xt, gt)
    xs, xt = xs[order_s], xt[order_t]
    if gs is not None and gt is not None:
        gs, gt = gs[order_s], gt[order_t]
    total = iters if m == "kmm" else 1
    with make_progress(progress, total=total, desc=_CALLER, caller=_CALLER) as bar:
        if m == "classifier":
            both = None if gs is None or gt is None else np.concatenate(
                [gs.astype(object), gt.astype(object)])
            raw, details = _classifier_ratio(xs, xt, estimator, k, gen, both)
        elif m == "kliep":
            raw, details = _kliep_ratio(xs, xt, bw, nc, k, iters, gen, gt)
        else:
            raw, details = _kmm_ratio(xs, xt, bw, b, e, iters, gen, bar)
        if bar.done < total:  # the solver stopped early: complete the bar once
            bar.update(total - bar.done)
    raw = np.maximum(np.asarray(raw, dtype=np.float64), 0.0)
    details["raw_sum"] = float(raw.sum())
    if not np.isfinite(raw).all() or raw.sum() <= 0.0:
        warnings.warn(
            f"importance_weights: the {m} weights are all zero or not finite; "
            "falling back to uniform weights (the source does not cover the target)",
            DegenerateDataWarning, stacklevel=2,
        )
        raw = np.ones(xs.shape[0])
        separated = False
    else:
        # every target row scored above every source row, out of fold: the
        # domains do not overlap, yet a smooth classifier's ratios can still
        # look balanced (disjoint domains had an effective sample size of 75%)
        separated = m == "classifier" and details["domain_auc"] >= 1.0
    if c is None:
        w, n_clipped, cap = raw * (raw.shape[0] / raw.sum()), 0, None
    else:
        w, n_clipped, cap = _clip_mean_one(raw, c)
    ess = float(w.sum() ** 2 / (w * w).sum())
    if ess < frac * xs.shape[0]:
        warnings.warn(
            f"importance_weights: the effective sample size collapsed to "
            f"{ess:.1f} of {xs.shape[0]} source rows ({100 * ess / xs.shape[0]:.1f}%): "
            "a few source rows carry most of the weight, so weighted estimates will "
            "be high-variance. The source barely covers the target; lower clip, "
            "or check domain_distance.",
            DegenerateDataWarning, stacklevel=2,
        )
    elif separated:
        warnings.warn(
            "importance_weights: the domain classifier separates the source from the "
            "target perfectly (out-of-fold AUC 1): the source does not cover the target, "
            "and the weights extrapolate beyond it; check domain_distance.",
            DegenerateDataWarning, stacklevel=2,
        )
    # back to the caller's row order (the sums above ran in the canonical one)
    w_sorted, w = w, np.empty_like(w)
    w[order_s] = w_sorted
    w.setflags(write=False)
    return ImportanceWeights(weights=w, effective_sample_size=ess, method=m,
                             n_source=xs.shape[0], n_target=xt.shape[0], clip=c,
                             n_clipped=n_clipped, details=details, clip_applied=cap)
