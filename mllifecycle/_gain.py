"""Did it help? One repeated cross-validation gain estimate for every package.

:func:`mllifecycle.augment.augmentation_gain` and
:func:`mllifecycle.transfer.transfer_gain` ask the same question (does a
candidate way of training beat the baseline on held-out rows?) and answer it
the same way: on every split of a repeated k-fold cross-validation, both are
trained on the same training rows and scored on the same test rows; the
per-split differences get the corrected resampled t interval of Nadeau and
Bengio (``mllifecycle._resampling.corrected_resampled_t``), and one verdict
wording reads it. Both results derive from :class:`GainResult`, so they have
the same fields.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._estimators import new_seed
from mllifecycle._progress import make_progress
from mllifecycle._resampling import corrected_resampled_t
from mllifecycle._results import attrs_to_dict, flat_metrics, format_value, html_table
from mllifecycle._validation import check_int, described, fail

__all__ = ["GainResult", "VERDICTS", "verdict_of", "cv_splits", "repeated_cv_gain",
           "scoring_name"]

#: The three verdicts, the same for every gain estimate.
VERDICTS = ("helped", "hurt", "no detectable effect")

Split = tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]


def verdict_of(ci_low: float, ci_high: float) -> str:
    """Read an interval of the gain: above 0 helped, below 0 hurt, else no effect.

    Examples
    --------
    >>> from mllifecycle._gain import verdict_of
    >>> verdict_of(0.01, 0.03), verdict_of(-0.02, 0.01), verdict_of(-0.3, -0.1)
    ('helped', 'no detectable effect', 'hurt')
    """
    if ci_low > 0.0:
        return VERDICTS[0]
    if ci_high < 0.0:
        return VERDICTS[1]
    return VERDICTS[2]


@attrs.frozen(kw_only=True, repr=False)
class GainResult:
    """Scores with and without a candidate way of training, on the same splits.

    Attributes
    ----------
    gain : float
        Mean over splits of ``candidate - baseline`` test score (positive
        means the candidate helped, for a score where higher is better).
    ci_low, ci_high : float
        Corrected resampled t confidence interval of ``gain`` (Nadeau and
        Bengio), which accounts for the overlap of training sets.
    p_value : float
        Two-sided p-value of a zero mean gain.
    std_error : float
        Corrected standard error of ``gain``.
    confidence_level : float
        Coverage of the interval.
    verdict : str
        ``"helped"`` (interval above 0), ``"hurt"`` (below 0) or
        ``"no detectable effect"`` (the interval contains 0).
    helped, hurt : bool
        The verdict as two decisions.
    method : str
        What the candidate is (the augmenter, the transfer strategy).
    scoring : str
        The score compared (higher is better).
    baseline_score, candidate_score : float
        Mean test scores without and with the candidate.
    baseline_scores, candidate_scores : tuple of float
        Per-split test scores.
    n_splits : int
        Number of train/test splits.
    n_train, n_test : int
        Mean training and test fold sizes.
    details : dict
        Extras of the particular estimate (e.g. per-split source weights).
    """

    gain: float
    ci_low: float
    ci_high: float
    p_value: float = attrs.field(validator=[attrs.validators.ge(0.0), attrs.validators.le(1.0)])
    std_error: float
    confidence_level: float
    verdict: str = attrs.field(validator=attrs.validators.in_(VERDICTS))
    helped: bool
    hurt: bool
    method: str
    scoring: str
    baseline_score: float
    candidate_score: float
    baseline_scores: tuple[float, ...]
    candidate_scores: tuple[float, ...]
    n_splits: int
    n_train: int
    n_test: int
    details: dict[str, Any] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-safe dict."""
        return attrs_to_dict(self)

    def to_metrics(self) -> dict[str, float]:
        """Return the numbers as a flat ``name -> float`` dict (for metric trackers).

        Per-split scores and details are left out; ``helped`` and ``hurt``
        are 0.0 or 1.0.
        """
        d = self.to_dict()
        for key in ("baseline_scores", "candidate_scores", "details"):
            d.pop(key, None)
        return flat_metrics(d)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(verdict={self.verdict!r}, method={self.method!r}, "
            f"gain={format_value(self.gain)}, ci=[{format_value(self.ci_low)}, "
            f"{format_value(self.ci_high)}], p_value={format_value(self.p_value)}, "
            f"scoring={self.scoring!r}, n_splits={self.n_splits})"
        )

    def _repr_html_(self) -> str:
        rows: list[list[Any]] = [
            ["verdict", self.verdict], ["method", self.method], ["scoring", self.scoring],
            ["gain", self.gain],
            [f"{format_value(100 * self.confidence_level)}% interval",
             f"[{format_value(self.ci_low)}, {format_value(self.ci_high)}]"],
            ["p_value", self.p_value], ["std_error", self.std_error],
            ["candidate_score", self.candidate_score],
            ["baseline_score", self.baseline_score], ["n_splits", self.n_splits],
            ["n_train", self.n_train], ["n_test", self.n_test],
        ]
        return html_table(rows, ("", "value"), caption=type(self).__name__)


def scoring_name(scoring: Any) -> str:
    """Name a ``scoring`` argument for a result (``"score"`` for the default)."""
    if isinstance(scoring, str):
        return scoring
    if scoring is None:
        return "score"
    return str(getattr(scoring, "__name__", type(scoring).__name__))


def cv_splits(
    cv: Any,
    n_repeats: Any,
    y: npt.NDArray[Any],
    *,
    classification: bool,
    seed: int,
    caller: str,
    require_stratified: bool = False,
) -> list[Split]:
    """Return the train/test splits of a repeated k-fold (or of a given splitter).

    An int ``cv`` gives ``n_repeats`` shuffled repetitions of ``cv`` folds,
    stratified for class labels when every class has at least ``cv`` rows
    (``require_stratified`` makes a smaller class an error instead of a
    fallback to plain folds). A splitter with ``split(X, y)`` is used as given.
    """
    from sklearn.model_selection import RepeatedKFold, RepeatedStratifiedKFold

    n = int(y.shape[0])
    if isinstance(cv, int | np.integer) and not isinstance(cv, bool):
        k = check_int(cv, "cv", caller=caller, low=2)
        reps = check_int(n_repeats, "n_repeats", caller=caller, low=1)
        if k > n:
            fail("cv", f"at most the number of rows ({n})", cv, caller)
        stratify = False
        if classification:
            smallest = int(np.unique(y, return_counts=True)[1].min())
            stratify = smallest >= k
            if require_stratified and not stratify:
                fail("cv", f"at most the size of the smallest class ({smallest}) "
                     "for stratified folds", cv, caller)
        splitter: Any = (
            RepeatedStratifiedKFold(n_splits=k, n_repeats=reps, random_state=seed)
            if stratify
            else RepeatedKFold(n_splits=k, n_repeats=reps, random_state=seed)
        )
    elif not isinstance(cv, str) and callable(getattr(cv, "split", None)):
        splitter = cv
    else:
        fail("cv", "an int >= 2 or a scikit-learn splitter with split(X, y)", cv, caller)
    out = [(np.asarray(tr, dtype=np.intp), np.asarray(te, dtype=np.intp))
           for tr, te in splitter.split(np.zeros((n, 1)), y)]
    if len(out) < 2:
        fail("cv", "a splitter giving at least 2 train/test splits",
             described(f"{len(out)} split(s)"), caller)
    return out


SplitScores = tuple[float, float, Any]


def repeated_cv_gain(
    result_type: type[GainResult],
    splits: Sequence[Split],
    fit_and_score: Callable[[npt.NDArray[np.intp], npt.NDArray[np.intp], int], SplitScores],
    *,
    gen: np.random.Generator,
    confidence_level: float,
    method: str,
    scoring: str,
    n_jobs: int | None = None,
    progress: Any = False,
    caller: str,
    details: Callable[[list[Any]], dict[str, Any]] | None = None,
    **extra: Any,
) -> Any:
    """Run ``fit_and_score(train, test, seed) -> (baseline, candidate, extra)`` per split.

    Each split gets its own seed drawn from ``gen`` (drawn up front, so the
    answer does not depend on ``n_jobs``); splits run in parallel with joblib
    when ``n_jobs`` is not None or 1, with ``progress`` updated as each one
    finishes. Returns a ``result_type`` built from the corrected resampled t
    interval of the differences, the shared verdict, and ``extra`` fields.
    """
    seeds = [new_seed(gen) for _ in splits]
    results: list[SplitScores] = []
    with make_progress(progress, total=len(splits), desc=caller, caller=caller) as bar:
        if n_jobs is None or n_jobs == 1:
            for (tr, te), s in zip(splits, seeds, strict=True):
                results.append(fit_and_score(tr, te, s))
                bar.update()
        else:
            # scikit-learn's wrappers of joblib's: each split runs under the
            # caller's scikit-learn configuration (metadata routing...), as the
            # serial run does; with joblib's own, a worker ran with the defaults,
            # so a routed Pipeline fitted other weights (or failed) with n_jobs
            from sklearn.utils.parallel import Parallel, delayed

            gen_out = Parallel(n_jobs=n_jobs, return_as="generator")(
                delayed(fit_and_score)(tr, te, s)
                for (tr, te), s in zip(splits, seeds, strict=True)
            )
            for r in gen_out:
                results.append(r)
                bar.update()
    base = np.array([float(r[0]) for r in results])
    cand = np.array([float(r[1]) for r in results])
    for name, arr in (("baseline", base), ("candidate", cand)):
        if not np.isfinite(arr).all():
            fail("scoring", "a scorer returning finite numbers",
                 described(f"a non-finite {name} score in {int((~np.isfinite(arr)).sum())} "
                           "split(s)"), caller)
    n_train = round(float(np.mean([len(tr) for tr, _ in splits])))
    n_test = round(float(np.mean([len(te) for _, te in splits])))
    ci = corrected_resampled_t(cand - base, n_train=max(n_train, 1), n_test=max(n_test, 1),
                               confidence_level=confidence_level)
    verdict = verdict_of(ci.ci_low, ci.ci_high)
    det: dict[str, Any] = {"differences": (cand - base).tolist()}
    if details is not None:
        det.update(details([r[2] for r in results]))
    return result_type(
        gain=ci.mean, ci_low=ci.ci_low, ci_high=ci.ci_high, p_value=ci.p_value,
        std_error=ci.std_error, confidence_level=confidence_level, verdict=verdict,
        helped=verdict == VERDICTS[0], hurt=verdict == VERDICTS[1], method=method,
        scoring=scoring, baseline_score=float(base.mean()), candidate_score=float(cand.mean()),
        baseline_scores=tuple(base.tolist()), candidate_scores=tuple(cand.tolist()),
        n_splits=len(splits), n_train=n_train, n_test=n_test, details=det, **extra,
    )
