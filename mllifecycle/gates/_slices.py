"""Slice gates: no slice of the data regresses."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._levels import check_resamples_for_tail
from mllifecycle._multitest import CORRECTIONS, adjust_p_values
from mllifecycle._validation import check_int, check_option, described, fail
from mllifecycle.gates._common import (
    _check_context,
    _compare,
    _f,
    _g,
    _paired_fields,
    _signed,
    _skip,
    _vs,
)
from mllifecycle.gates._context import GateContext, GateResult
from mllifecycle.gates._metrics import MetricSpec, _labels

__all__ = ["SliceNoRegression"]


@attrs.frozen
class SliceNoRegression:
    """No slice of the data shows a significant regression of the challenger.

    For every slice with at least ``min_slice_size`` examples, a paired
    bootstrap tests H0 "the challenger is not worse than the champion by more
    than ``margin``" against H1 "it is"; the p-values are adjusted across
    slices (Holm by default) so that, when no slice truly regresses, the gate
    fails with probability at most about ``alpha`` however many slices there
    are. The gate fails when any adjusted p-value is below ``alpha``. Slices
    smaller than ``min_slice_size`` are reported and not judged. Skipped with
    no champion. With ``GateContext(groups=...)`` each slice's bootstrap
    draws whole groups (of the slice's rows); a slice holding fewer than two
    groups cannot be resampled and is reported, not judged.

    This is the lenient reading (fail on evidence of a regression). For the
    strict reading (every slice must *show* non-inferiority) apply
    :class:`NoRegression` to ``context.subset(mask)`` per slice: an
    intersection-union test that needs no multiplicity correction.

    Parameters
    ----------
    metric : str or callable
    by : str, callable or None, default=None
        The slices: None uses ``context.slices`` (a 1-D array of labels); a
        str names a column of ``context.slices``; a callable maps the context
        to a 1-D array of slice labels (a pandas Series whose index holds the
        row labels of the context's pandas ``y_true`` in another order is
        matched to those rows by label).
    margin : float, default=0.0
        Tolerated loss per slice, in the metric's units.
    alpha : float, default=0.05
        Family-wise level across slices, in (0, 0.5) (each slice reads its
        one-sided ``1 - 2 alpha`` interval).
    correction : {"holm", "hochberg", "bonferroni", "fdr_bh", "fdr_by"} or None, default="holm"
        Multiple-testing adjustment across slices (see
        :func:`mllifecycle.drift.adjust_p_values`); None for none. The
        false-discovery-rate methods control the share of slices wrongly
        flagged rather than the chance of failing the gate.
    min_slice_size : int, default=30
        Fewest examples a judged slice holds; with ``sample_weight``, examples of
        positive weight (rows of weight 0 carry no evidence).
    n_resamples : int, default=2000
        Resamples per slice.
        At least ``1 / alpha`` (20 at ``alpha=0.05``): fewer cannot put a
        one-sided bound at level ``alpha`` inside the resampled values. At
        check time, with ``S`` slices judged, at least ``S / alpha`` with a
        correction (``S * (1 + 1/2 + ... + 1/S) / alpha`` for ``"fdr_by"``;
        the default 2000 covers 100 slices): a resampled p-value is at least
        ``1 / (n_resamples + 1)``, so with fewer a slice regressing alone
        could not be flagged after the correction; this is refused.
    n_jobs : int or None, default=None
        Workers for the bootstrap resamples, through joblib (``-1``: every
        core; inside ``joblib.parallel_backend(...)``, that backend); the
        decision does not depend on ``n_jobs``.
    progress : bool or callable, default=False
        True for a progress bar over the resamples (needs tqdm), or a
        callable ``progress(done, total)``.
    ci_method : {"bca", "percentile"}, default="bca"
    higher_is_better : bool, optional
    use_proba : bool, default=False

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test
       procedure. Scandinavian Journal of Statistics 6(2), 65-70.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.gates import GateContext, SliceNoRegression
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 4000)
    >>> region = rng.choice(["north", "south"], 4000)
    >>> old = np.where(rng.random(4000) < 0.85, y, 1 - y)
    >>> new = old.copy()
    >>> south = np.flatnonzero(region == "south")[:300]
    >>> new[south] = 1 - y[south]  # the challenger breaks the south
    >>> ctx = GateContext(y_true=y, champion=old, challenger=new, slices=region, rng=0)
    >>> res = SliceNoRegression("accuracy", margin=0.01).check(ctx)
    >>> res.passed, res.evidence["regressed"]
    (False, ['south'])
    """

    metric: Any
    by: Any = attrs.field(default=None, kw_only=True)
    margin: float = attrs.field(default=0.0, kw_only=True)
    alpha: float = attrs.field(default=0.05, kw_only=True)
    correction: str | None = attrs.field(default="holm", kw_only=True)
    min_slice_size: int = attrs.field(default=30, kw_only=True)
    n_resamples: int = attrs.field(default=2000, kw_only=True)
    n_jobs: int | None = attrs.field(default=None, kw_only=True)
    progress: Any = attrs.field(default=False, kw_only=True, eq=False)
    ci_method: str = attrs.field(default="bca", kw_only=True)
    higher_is_better: bool | None = attrs.field(default=None, kw_only=True)
    use_proba: bool = attrs.field(default=False, kw_only=True)
    _spec: MetricSpec = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        caller = "SliceNoRegression"
        spec = _paired_fields(caller, self)
        check_option(self.correction, "correction", CORRECTIONS, caller)
        object.__setattr__(
            self,
            "min_slice_size",
            check_int(self.min_slice_size, "min_slice_size", caller=caller, low=2),
        )
        if self.by is not None and not isinstance(self.by, str) and not callable(self.by):
            fail("by", "None, a column name or a callable", self.by, caller)
        object.__setattr__(self, "_spec", spec)

    @property
    def name(self) -> str:
        """Display name of the gate."""
        spec: MetricSpec = self._spec
        if self.by is None:
            by = ""
        elif isinstance(self.by, str):
            by = f", by={self.by}"
        else:
            by = f", by={getattr(self.by, '__name__', 'callable')}"
        return f"SliceNoRegression({spec.name}{by}, margin={_g(self.margin)})"

    def _labels(self, context: GateContext) -> npt.NDArray[Any]:
        caller = "SliceNoRegression"
        if callable(self.by):
            raw: Any = self.by(context)
            index = getattr(context, "_row_index", None)
            if index is not None:
                # a pandas answer holding y_true's row labels in another order
                # is matched by label (it was read by position), the context's rule
                from mllifecycle._frames import in_row_order

                raw = in_row_order(raw, index, "by", "y_true", caller)
        elif isinstance(self.by, str):
            if not isinstance(context.slices, dict) or self.by not in context.slices:
                have = list(context.slices) if isinstance(context.slices, dict) else None
                fail(
                    "by",
                    f"a column of context.slices (columns: {have})",
                    self.by,
                    caller,
                )
            raw = context.slices[self.by]
        else:
            if context.slices is None:
                fail(
                    "context",
                    "a GateContext with slices (or pass by=)",
                    described("slices=None"),
                    caller,
                )
            if isinstance(context.slices, dict):
                fail(
                    "by",
                    f"a column name among {list(context.slices)} when slices has columns",
                    None,
                    caller,
                )
            raw = context.slices
        labels = _labels(raw, "slices", caller)
        if labels.shape[0] != context.n_samples:
            fail(
                "slices",
                f"one slice label per example ({context.n_samples})",
                described(f"{labels.shape[0]} label(s)"),
                caller,
            )
        return labels

    def _check_resamples_for(self, n_slices: int, caller: str) -> None:
        """Refuse ``n_resamples`` too few for a slice regressing alone to be flagged.

        A resampled p-value is at least ``1 / (n_resamples + 1)``; with the
        other ``n_slices - 1`` slices showing nothing (p-values of 1), the
        correction raises it to ``factor / (n_resamples + 1)``: ``factor`` is
        ``n_slices`` for Holm, Hochberg, Bonferroni and Benjamini-Hochberg,
        ``n_slices`` times the harmonic number for Benjamini-Yekutieli, and 1
        without correction. With fewer than ``factor / alpha`` resamples such
        a slice could not be flagged, and the gate passed whatever it showed.
        """
        if n_slices <= 1:
            return  # the 1/alpha of construction covers one slice
        tiny = 1e-12  # far below alpha / factor: the cap at 1 stays out of reach
        alone = np.ones(n_slices)
        alone[0] = tiny
        factor = float(adjust_p_values(alone, self.correction)[0]) / tiny
        if factor <= 1.0 + 1e-9:
            return
        shown = f"{factor:.0f}" if abs(factor - round(factor)) < 1e-6 else f"{factor:.4g}"
        check_resamples_for_tail(
            self.n_resamples,
            self.alpha / factor,
            caller,
            rule=f"{shown}/alpha",
            what=(
                f"a slice regressing alone among {n_slices} slices to be flagged at "
                f"alpha={self.alpha:g} after the {self.correction!r} correction (a "
                "resampled p-value is at least 1/(n_resamples + 1), and the correction "
                f"multiplies it by {shown})"
            ),
        )

    def _why_not_judged(self, small: list[str]) -> str:
        """Say why the slices ``small`` were set aside (each entry says which applies)."""
        size = f"fewer than {self.min_slice_size} examples"
        if all(s.endswith(("(one class only)", "(one group only)")) for s in small):
            return "one class or one group only: cannot be resampled"
        if any(s.endswith(("(one class only)", "(one group only)")) for s in small):
            return f"{size}, or one class or one group only"
        return size

    def check(self, context: GateContext) -> GateResult:
        """Test every large-enough slice for a regression, with multiplicity control."""
        caller = "SliceNoRegression"
        context = _check_context(context, caller)
        if not context.has_champion:
            return _skip(self.name)
        spec: MetricSpec = self._spec
        labels = self._labels(context)
        keys, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
        inverse = inverse.reshape(-1)
        # rows of weight 0 carry no evidence: a slice weighted 0 throughout made
        # the subset refuse its weights, and one of a few weighted rows was judged
        w = context.sample_weight
        weighted = counts if w is None else np.bincount(
            inverse, weights=np.asarray(w) > 0, minlength=keys.size
        ).astype(np.int64)
        gen = context.generator()
        rows: list[dict[str, Any]] = []
        small: list[str] = []
        judged: list[tuple[int, str, GateContext]] = []
        for k, key in enumerate(keys.tolist()):
            name = str(key)
            if weighted[k] < self.min_slice_size:
                what = "" if w is None else " of positive weight"
                small.append(f"{name} (n={int(weighted[k])}{what})")
                continue
            sub = context.subset(inverse == k)
            y_sub = sub.y_true if w is None else sub.y_true[np.asarray(sub.sample_weight) > 0]
            if spec.kind == "score" and np.unique(y_sub).size < 2:
                small.append(f"{name} (one class only)")
                continue
            if sub.groups is not None and np.unique(sub.groups).size < 2:
                small.append(f"{name} (one group only)")
                continue
            judged.append((k, name, sub))
        self._check_resamples_for(len(judged), caller)
        for k, name, sub in judged:
            # H1: champion better than challenger by more than the margin
            res = _compare(
                spec,
                sub,
                hypothesis="superiority",
                margin=self.margin,
                confidence_level=1 - 2 * self.alpha,
                ci_method=self.ci_method,
                n_resamples=self.n_resamples,
                caller=caller,
                n_jobs=self.n_jobs,
                progress=self.progress,
                use_proba=self.use_proba,
                rng=gen,
                swap=True,
                classes=None if spec.kind == "regression" else context.labels,
            )
            rows.append(
                {
                    "slice": name,
                    "n": int(counts[k]),
                    "champion": res.challenger_value,
                    "challenger": res.champion_value,
                    "difference": -res.difference,
                    "p_regression": res.p_value,
                }
            )
        # a slice is set aside for its size, or (one class for ROC AUC, one group)
        # because it cannot be resampled: "fewer than N examples" named a slice of
        # 100 rows holding one class
        why = self._why_not_judged(small)
        if not rows:
            return GateResult(
                passed=True,
                name=self.name,
                skipped=True,
                reasons=[f"no slice can be judged ({why}); not judged: " + ", ".join(small)],
                evidence={"slices": [], "too_small": small},
            )
        p = np.array([r["p_regression"] for r in rows])
        adj = adjust_p_values(p, self.correction)
        regressed = []
        for r, a in zip(rows, adj, strict=True):
            r["adjusted_p"] = float(a)
            r["regressed"] = bool(a < self.alpha)
            if r["regressed"]:
                regressed.append(r["slice"])
        reasons = []
        for r in rows:
            if r["regressed"]:
                shown, level = _vs(r["adjusted_p"], self.alpha)
                reasons.append(
                    f"slice {r['slice']!r} (n={r['n']}): {spec.name} "
                    f"{_f(r['challenger'])} vs "
                    f"champion {_f(r['champion'])} ({_signed(r['difference'])}), "
                    f"adjusted p = {shown} < {level}: regression"
                )
        if not regressed:
            reasons.append(
                f"no significant regression beyond margin {_g(self.margin)} in "
                f"{len(rows)} slice(s) ({self.correction or 'no'} correction, "
                f"alpha {self.alpha:g})"
            )
        if small:
            reasons.append(f"not judged ({why}): " + ", ".join(small))
        return GateResult(
            passed=not regressed,
            name=self.name,
            reasons=reasons,
            evidence={
                "slices": rows,
                "regressed": regressed,
                "too_small": small,
                "correction": self.correction,
                "alpha": self.alpha,
            },
        )
