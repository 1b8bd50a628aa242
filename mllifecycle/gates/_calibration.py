"""Calibration gates: the challenger's probabilities are no worse calibrated."""

from __future__ import annotations

from typing import Any

import attrs

from mllifecycle._levels import check_gate_resamples
from mllifecycle._validation import (
    check_int,
    check_option,
    described,
    fail,
)
from mllifecycle.gates._common import (
    _check_context,
    _compare,
    _f,
    _g,
    _signed,
    _skip,
    _too_few_rows,
    _vs,
    check_margin,
    check_one_sided_alpha,
    resampling_fields,
)
from mllifecycle.gates._context import GateContext, GateResult
from mllifecycle.gates._metrics import resolve_metric

__all__ = ["CalibrationNoWorse"]


@attrs.frozen(kw_only=True)
class CalibrationNoWorse:
    """The challenger's calibration is no worse than the champion's.

    Non-inferiority on two lower-is-better measures, each decided on the
    paired bootstrap interval: the top-label expected calibration error
    (equal-width bins [1]_, [2]_) and the Brier score [3]_. The challenger
    passes when the one-sided ``1 - alpha`` upper bound of each increase is
    below its margin. Needs ``champion_proba`` and ``challenger_proba``;
    skipped with no champion. On fewer examples than any paired test at
    ``alpha`` can decide on (5 at ``alpha=0.05``) it does not pass
    ("insufficient evidence" in the reasons).

    Parameters
    ----------
    ece_margin : float, default=0.01
        Tolerated increase of the ECE.
    brier_margin : float, default=0.005
        Tolerated increase of the Brier score.
    alpha : float, default=0.05
        One-sided significance level of each of the two checks, in (0, 0.5).
    n_bins : int, default=10
    n_resamples : int, default=2000
        At least ``1 / alpha`` (20 at ``alpha=0.05``): fewer cannot put a
        one-sided bound at level ``alpha`` inside the resampled values.
    ci_method : {"bca", "percentile"}, default="bca"
    n_jobs : int or None, default=None
        Workers for the bootstrap resamples, through joblib (``-1``: every
        core; inside ``joblib.parallel_backend(...)``, that backend); the
        decision does not depend on ``n_jobs``.
    progress : bool or callable, default=False
        True for a progress bar over the resamples (needs tqdm), or a
        callable ``progress(done, total)``.

    References
    ----------
    .. [1] Naeini, M. P., Cooper, G. & Hauskrecht, M. (2015). Obtaining well
       calibrated probabilities using Bayesian binning. AAAI.
    .. [2] Guo, C., Pleiss, G., Sun, Y. & Weinberger, K. Q. (2017). On
       calibration of modern neural networks. ICML.
    .. [3] Brier, G. W. (1950). Verification of forecasts expressed in terms
       of probability. Monthly Weather Review 78(1), 1-3.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.gates import CalibrationNoWorse, GateContext
    >>> rng = np.random.default_rng(0)
    >>> p = rng.random(4000)
    >>> y = (rng.random(4000) < p).astype(int)
    >>> overconfident = np.clip(0.5 + 1.8 * (p - 0.5), 0, 1)
    >>> ctx = GateContext(y_true=y, champion=(p > 0.5) * 1, challenger=(p > 0.5) * 1,
    ...                   champion_proba=p, challenger_proba=overconfident, rng=0)
    >>> CalibrationNoWorse().check(ctx).passed
    False
    """

    ece_margin: float = 0.01
    brier_margin: float = 0.005
    alpha: float = 0.05
    n_bins: int = 10
    n_resamples: int = 2000
    ci_method: str = "bca"
    n_jobs: int | None = None
    progress: Any = attrs.field(default=False, eq=False)

    def __attrs_post_init__(self) -> None:
        caller = "CalibrationNoWorse"
        for nm, metric in (("ece_margin", "expected_calibration_error"),
                           ("brier_margin", "brier_score")):
            object.__setattr__(self, nm, check_margin(getattr(self, nm), metric, caller, nm))
        object.__setattr__(self, "alpha", check_one_sided_alpha(self.alpha, caller))
        object.__setattr__(self, "n_bins", check_int(self.n_bins, "n_bins", caller=caller))
        object.__setattr__(
            self,
            "n_resamples",
            check_gate_resamples(self.n_resamples, self.alpha, caller),
        )
        check_option(self.ci_method, "ci_method", ("bca", "percentile"), caller)
        resampling_fields(caller, self)

    @property
    def name(self) -> str:
        """Display name of the gate."""
        return (
            f"CalibrationNoWorse(ece_margin={_g(self.ece_margin)}, "
            f"brier_margin={_g(self.brier_margin)})"
        )

    def check(self, context: GateContext) -> GateResult:
        """Test non-inferiority of the challenger's ECE and Brier score."""
        caller = "CalibrationNoWorse"
        context = _check_context(context, caller)
        if not context.has_champion:
            return _skip(self.name)
        if context.champion_proba is None:
            fail(
                "context",
                "a GateContext with champion_proba and challenger_proba",
                described("champion_proba=None"),
                caller,
            )
        gen = context.generator()
        ok = True
        reasons = []
        evidence: dict[str, Any] = {"alpha": self.alpha}
        for metric, margin in (
            ("expected_calibration_error", self.ece_margin),
            ("brier_score", self.brier_margin),
        ):
            res = _compare(
                resolve_metric(metric, None, caller),
                context,
                hypothesis="non-inferiority",
                margin=margin,
                confidence_level=1 - 2 * self.alpha,
                ci_method=self.ci_method,
                n_resamples=self.n_resamples,
                n_jobs=self.n_jobs,
                progress=self.progress,
                caller=caller,
                n_bins=self.n_bins,
                rng=gen,
            )
            upper = res.ci_high
            good = upper < margin
            ok &= good
            shown, bound = _vs(upper, margin, signed=True)
            reasons.append(
                f"{metric}: challenger {_f(res.challenger_value)} vs champion "
                f"{_f(res.champion_value)} ({_signed(res.difference)}); upper bound of "
                f"the increase {shown} "
                + (f"< margin {bound}" if good else f">= margin {bound}: worse calibrated")
            )
            evidence[metric] = {**res.to_dict(), "upper_bound": upper}
        few = _too_few_rows(context, self.alpha) if ok else None
        if few is not None:
            # the bounds of 1-3 rows are their range (often of width zero)
            ok = False
            reasons.append(few)
            evidence["insufficient_evidence"] = True
        return GateResult(passed=ok, name=self.name, reasons=reasons, evidence=evidence)
