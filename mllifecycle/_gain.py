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

import copy
import numbers
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._estimators import new_seed
from mllifecycle._frames import column_to_numpy, frame_kind, in_row_order, is_frame, series_kind
from mllifecycle._progress import make_progress
from mllifecycle._resampling import corrected_resampled_t
from mllifecycle._results import attrs_to_dict, flat_metrics, format_value, html_table
from mllifecycle._validation import (
    _missing_label,
    check_array,
    check_int,
    check_labels_as_given,
    described,
    fail,
)
from mllifecycle.exceptions import DegenerateDataWarning

__all__ = ["GainResult", "VERDICTS", "verdict_of", "check_groups", "cv_plan", "cv_splits",
           "known_classes_scorer", "refuse_split_groups", "repeated_cv_gain", "scoring_name",
           "split_by"]

#: The three verdicts, the same for every gain estimate.
VERDICTS = ("helped", "hurt", "no detectable effect")

Split = tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]


def _column_label_metrics() -> tuple[Any, ...]:
    """scikit-learn metrics whose ``labels`` name the columns of the scores they are given."""
    import sklearn.metrics as skm

    names = ("log_loss", "d2_log_loss_score", "brier_score_loss", "d2_brier_score",
             "top_k_accuracy_score")
    return tuple(getattr(skm, n) for n in names if hasattr(skm, n))


class _KnownClassesScorer:
    """A probabilistic scorer told the classes of the model it scores.

    ``log_loss`` and its kin read the class of each column of
    ``predict_proba`` from the labels in ``y_true`` unless told: a model that
    knows a class the held-out rows lack (a class found only in the source
    domain, or a small fold missing one) could not be scored ("y_true and
    y_prob contain different number of classes"), so transfer_gain failed
    and finetune's tuning refused every source weight but 0. The model's
    ``classes_`` are passed as ``labels``, which leaves every score that
    could be computed as it was.
    """

    def __init__(self, scorer: Any) -> None:
        self.scorer = scorer

    def __call__(self, estimator: Any, X: Any, y: Any, **kwargs: Any) -> Any:
        classes = getattr(estimator, "classes_", None)
        if classes is None:
            return self.scorer(estimator, X, y, **kwargs)
        told = copy.copy(self.scorer)
        told._kwargs = {**self.scorer._kwargs, "labels": np.asarray(classes)}
        return told(estimator, X, y, **kwargs)


def known_classes_scorer(scorer: Any) -> Any:
    """Return ``scorer``, told each model's classes when its metric needs them.

    A scikit-learn scorer of ``log_loss``, ``brier_score_loss`` and the other
    metrics whose ``labels`` name the columns of the probabilities, not
    already given ``labels``, is wrapped (:class:`_KnownClassesScorer`); any
    other scorer is returned as it is.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.metrics import check_scoring
    >>> from mllifecycle._gain import known_classes_scorer
    >>> type(known_classes_scorer(check_scoring(LogisticRegression(), "neg_log_loss"))).__name__
    '_KnownClassesScorer'
    >>> type(known_classes_scorer(check_scoring(LogisticRegression(), "accuracy"))).__name__
    '_Scorer'
    """
    func = getattr(scorer, "_score_func", None)
    extra = getattr(scorer, "_kwargs", None)
    if isinstance(extra, dict) and "labels" not in extra and any(
            func is f for f in _column_label_metrics()):
        return _KnownClassesScorer(scorer)
    return scorer


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


def _missing_group(v: Any) -> bool:
    """None, NaN, pandas' NA or a NaT: a row with no group, not a group."""
    if _missing_label(v) or type(v).__name__ == "NaTType":
        return True
    return isinstance(v, np.datetime64 | np.timedelta64) and bool(np.isnat(v))


def check_groups(
    groups: Any, rows: Any, n: int, caller: str, rows_name: str = "X"
) -> npt.NDArray[Any]:
    """Check ``groups`` (one group label per row of ``rows``); return them as an array.

    A pandas Series against a pandas ``rows`` is read in ``rows``' row order
    (matched by label, as ``y`` is); a missing label (NaN, None, NA, NaT), a
    length other than ``n``, labels of two kinds (``1`` and ``"1"``) or a
    2-D array are refused naming ``groups``.
    """
    if is_frame(groups):
        fail("groups", "one group label per row (a 1-D array, list or Series)",
             described(f"a {frame_kind(groups)} table"), caller)
    groups = in_row_order(groups, rows, "groups", rows_name, caller)
    raw = column_to_numpy(groups) if series_kind(groups) is not None else groups
    arr = check_array(raw, "groups", caller=caller, ndim=1, dtype="any", min_samples=0)
    if arr.shape[0] != n:
        fail("groups", f"one group label per row of {rows_name} ({n})",
             described(f"{arr.shape[0]} group label(s)"), caller)
    if arr.dtype.kind in "mM":
        missing = np.isnat(arr)
    elif arr.dtype.kind == "O":
        missing = np.fromiter((_missing_group(v) for v in arr.tolist()), bool, arr.shape[0])
    else:
        missing = np.zeros(arr.shape[0], dtype=bool)
    if missing.any():
        fail("groups", "a group label for every row (no NaN, None or NaT)",
             described(f"{int(missing.sum())} missing group label(s), the first at row "
                       f"{int(np.flatnonzero(missing)[0])}"), caller)
    check_labels_as_given(raw, arr, "groups", caller)
    try:
        np.unique(arr)
    except TypeError:
        fail("groups", "group labels that can be sorted (numbers, text, dates)",
             described(f"labels of dtype {arr.dtype} NumPy cannot sort"), caller)
    return arr


def is_splitter(cv: Any) -> bool:
    """Whether ``cv`` is a splitter instance (with ``split(X, y)``), not an int, text or class."""
    return not isinstance(cv, str | type) and callable(getattr(cv, "split", None))


def check_cv(cv: Any, caller: str) -> Any:
    """Check a ``cv`` argument: an int >= 2 (returned as an int) or a splitter instance.

    A splitter *class* (``cv=KFold``) is refused naming ``cv``: its unbound
    ``split`` failed deep in scikit-learn. A splitter's splits are checked
    where they are made (:func:`split_by`, :func:`cv_plan`).
    """
    if is_splitter(cv):
        return cv
    if isinstance(cv, type) and callable(getattr(cv, "split", None)):
        fail("cv", "an int >= 2 or a splitter instance (e.g. KFold(5))",
             described(f"the class {cv.__name__}"), caller)
    if isinstance(cv, numbers.Integral) and not isinstance(cv, bool | np.bool_):
        return check_int(cv, "cv", caller=caller, low=2)
    fail("cv", "an int >= 2 or a scikit-learn splitter with split(X, y)", cv, caller)


def group_codes(
    groups: Any, rows: Any, n: int, caller: str, rows_name: str, why: str
) -> tuple[npt.NDArray[np.intp], int]:
    """Check ``groups`` (one label per row of ``rows``); return (group code per row, count).

    Groups are numbered ``0..G-1`` in the order of their first row, so with
    one row per group the codes are ``0..n-1`` and a resampling of whole
    groups is the resampling of rows itself. Fewer than two groups are
    refused naming ``groups``; ``why`` says why in the caller's terms.
    """
    arr = check_groups(groups, rows, n, caller, rows_name=rows_name)
    uniq, first, inverse = np.unique(arr, return_index=True, return_inverse=True)
    if first.size < 2:
        fail("groups", f"at least 2 distinct groups ({why})",
             described(f"the single group {uniq.tolist()[0]!r}"), caller)
    rank = np.empty(first.size, dtype=np.intp)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    return np.asarray(rank[inverse.reshape(-1)], dtype=np.intp), int(first.size)


def _consumes_groups(cv: Any) -> bool:
    """Whether a scikit-learn splitter asks for ``groups`` in ``split`` (GroupKFold...)."""
    try:
        return "groups" in cv.get_metadata_routing().consumes("split", ["groups"])
    except (AttributeError, TypeError, ValueError, KeyError):
        return False


def _takes_groups(cv: Any) -> bool:
    """Whether ``cv.split`` can be called as ``split(X, y, groups)``."""
    import inspect

    try:
        params = list(inspect.signature(cv.split).parameters.values())
    except (TypeError, ValueError):
        return True
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params):
        return True
    positional = [p for p in params if p.kind in (inspect.Parameter.POSITIONAL_ONLY,
                                                  inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 3


def _rows_of(part: Any, n: int, which: str, i: int, cv: Any, caller: str) -> npt.NDArray[np.intp]:
    """Return a split's training or test rows as indices (a boolean mask read as one)."""
    a = np.asarray(part)
    if a.dtype == bool:
        if a.shape != (n,):
            fail("cv", f"a splitter giving row indices, or boolean masks of length {n}",
                 described(f"{type(cv).__name__} with a {which} mask of shape {a.shape} "
                           f"in split {i + 1}"), caller)
        return np.flatnonzero(a).astype(np.intp)
    if a.ndim != 1 or (a.size and a.dtype.kind not in "iu"):
        fail("cv", "a splitter giving 1-D arrays of row indices",
             described(f"{type(cv).__name__} with {which} rows of shape {a.shape} and dtype "
                       f"{a.dtype} in split {i + 1}"), caller)
    if a.size == 0:
        fail("cv", "a splitter giving non-empty training and test rows",
             described(f"{type(cv).__name__} with no {which} row in split {i + 1}"), caller)
    if int(a.min()) < 0 or int(a.max()) >= n:
        bad = int(a.min()) if int(a.min()) < 0 else int(a.max())
        fail("cv", f"a splitter giving row indices in [0, {n})",
             described(f"{type(cv).__name__} with the {which} row {bad} in split {i + 1}"),
             caller)
    return a.astype(np.intp)


def _pairs(given: Any, n: int, cv: Any, caller: str) -> list[Split]:
    """Check a splitter's ``(train, test)`` pairs: indices in range, disjoint sides."""
    out: list[Split] = []
    for i, (tr, te) in enumerate(given):
        train = _rows_of(tr, n, "training", i, cv, caller)
        test = _rows_of(te, n, "test", i, cv, caller)
        both = np.intersect1d(train, test)
        if both.shape[0]:
            # a training set holding test rows scores the model on rows it learned
            fail("cv", "a splitter whose training and test rows are disjoint",
                 described(f"{type(cv).__name__} with {both.shape[0]} row(s) (the first "
                           f"{int(both[0])}) on both sides of split {i + 1}"), caller)
        out.append((train, test))
    return out


def _key(split: Split) -> tuple[bytes, bytes]:
    return np.sort(split[0]).tobytes(), np.sort(split[1]).tobytes()


def split_by(
    cv: Any, X: Any, y: npt.NDArray[Any], groups: npt.NDArray[Any] | None, caller: str
) -> list[Split]:
    """Return a splitter's ``(train, test)`` pairs, checked; ``groups`` given when it reads them.

    A scikit-learn splitter that requests groups (``GroupKFold``...) without
    ``groups`` is refused naming ``groups``; another splitter gets them when
    its ``split`` takes a third argument. The pairs are checked by
    :func:`_pairs` (masks read as masks; indices out of range, an empty side
    or a row on both sides refused naming ``cv``).
    """
    if groups is None and _consumes_groups(cv):
        fail("groups", f"one group label per row: cv={type(cv).__name__} splits by "
             "group (pass groups=..., as to scikit-learn's cross-validation functions)",
             described("groups=None"), caller)
    # scikit-learn's splitters say whether they read groups (KFold warns that
    # it ignores them); another splitter gets them when its split takes them
    pass_groups = groups is not None and (
        _consumes_groups(cv) if hasattr(cv, "get_metadata_routing") else _takes_groups(cv))
    try:
        given = list(cv.split(X, y, groups) if pass_groups else cv.split(X, y))
    except ValueError as exc:
        if groups is None and "groups" in str(exc):
            fail("groups", f"one group label per row: cv={type(cv).__name__} needs them "
                 "to split", described(f"groups=None ({exc})"), caller)
        # e.g. GroupKFold(5) on 3 groups, KFold(10) on 6 rows: scikit-learn's
        # bare ValueError named no argument
        fail("cv", "a splitter that can split these rows",
             described(f"{type(cv).__name__}, which refused them: {exc}"), caller)
    return _pairs(given, int(y.shape[0]), cv, caller)


def refuse_split_groups(
    splits: Sequence[Split], groups: npt.NDArray[Any], cv: Any, caller: str
) -> None:
    """Refuse a split that puts one group on both sides (``KFold`` given ``groups``).

    A held-out row whose group has rows in the training side is scored by a
    model that learned its twins: the score is optimistic.
    """
    uniq, codes = np.unique(groups, return_inverse=True)
    for i, (tr, te) in enumerate(splits):
        both = np.intersect1d(codes[tr], codes[te])
        if both.shape[0]:
            fail("cv", "a splitter that keeps every group on one side of each split "
                 "(groups were given: pass an int, GroupKFold, StratifiedGroupKFold, "
                 "LeaveOneGroupOut or GroupShuffleSplit)",
                 described(f"{type(cv).__name__} with group {uniq[both[0]].item()!r} "
                           f"in both the training and the test rows of split {i + 1}"),
                 caller)


def cv_plan(
    cv: Any,
    n_repeats: Any,
    y: npt.NDArray[Any],
    *,
    classification: bool,
    seed: int,
    caller: str,
    require_stratified: bool = False,
    groups: npt.NDArray[Any] | None = None,
) -> tuple[list[Split], dict[str, Any]]:
    """Return the distinct train/test splits and notes for the result's ``details``.

    An int ``cv`` gives ``n_repeats`` shuffled repetitions of ``cv`` folds,
    stratified for class labels when every class has at least ``cv`` rows
    (``require_stratified`` makes a smaller class an error instead of a
    fallback to plain folds); with ``groups`` (checked by
    :func:`check_groups`), folds of whole groups (scikit-learn's
    ``StratifiedGroupKFold`` or ``GroupKFold``, shuffled per repetition). A
    splitter with ``split(X, y)`` is used as given, called as
    ``split(X, y, groups)`` when ``groups`` are given and it reads them (a
    scikit-learn splitter that requests them, another whose ``split`` takes
    a third argument); a group splitter without ``groups`` is refused, and so
    is any split that puts one group on both sides (``KFold`` with
    ``groups``). A splitter's boolean masks are read as masks (as
    scikit-learn reads them); indices out of range, an empty side or a row
    on both sides are refused naming ``cv``.

    A repetition whose folds are those of an earlier one (``cv`` equal to the
    number of rows or groups: the same folds every time), or a splitter's
    split equal to an earlier split, is dropped with a
    :class:`~mllifecycle.exceptions.DegenerateDataWarning`: counted again,
    the same differences would narrow the interval as if they were new
    evidence. The notes are ``n_groups`` (with ``groups``) and
    ``n_duplicate_splits`` (when some were dropped).
    """
    from sklearn.model_selection import (
        GroupKFold,
        RepeatedKFold,
        RepeatedStratifiedKFold,
        StratifiedGroupKFold,
    )

    n = int(y.shape[0])
    notes: dict[str, Any] = {}
    uniq: npt.NDArray[Any] | None = None
    if groups is not None:
        uniq = np.unique(groups)
        notes["n_groups"] = int(uniq.shape[0])
        if uniq.shape[0] < 2:
            fail("groups", "at least 2 distinct groups (a held-out group is scored by a "
                 "model trained on the others)",
                 described(f"the single group {uniq.tolist()[0]!r}"), caller)
    Xd = np.zeros((n, 1))
    cv = check_cv(cv, caller)
    if isinstance(cv, int):
        k = cv  # an int >= 2 (check_cv)
        reps = check_int(n_repeats, "n_repeats", caller=caller, low=1)
        if k > n:
            fail("cv", f"at most the number of rows ({n})", cv, caller)
        if uniq is not None and k > uniq.shape[0]:
            fail("cv", f"at most the number of groups in groups ({uniq.shape[0]}): each "
                 "fold holds out whole groups", cv, caller)
        stratify = False
        if classification:
            smallest = int(np.unique(y, return_counts=True)[1].min())
            stratify = smallest >= k
            if require_stratified and not stratify:
                fail("cv", f"at most the size of the smallest class ({smallest}) "
                     "for stratified folds", cv, caller)
        if groups is None:
            splitter: Any = (
                RepeatedStratifiedKFold(n_splits=k, n_repeats=reps, random_state=seed)
                if stratify
                else RepeatedKFold(n_splits=k, n_repeats=reps, random_state=seed)
            )
            flat = list(splitter.split(Xd, y))
            repetitions = [flat[i:i + k] for i in range(0, len(flat), k)]
        else:
            state = np.random.RandomState(seed)
            folds: Any = StratifiedGroupKFold if stratify else GroupKFold
            repetitions = [list(folds(n_splits=k, shuffle=True, random_state=state)
                                .split(Xd, y, groups)) for _ in range(reps)]
        out: list[Split] = []
        seen: set[frozenset[tuple[bytes, bytes]]] = set()
        for rep in repetitions:
            pairs = _pairs(rep, n, cv, caller)
            key = frozenset(_key(p) for p in pairs)
            if key not in seen:
                seen.add(key)
                out.extend(pairs)
        total = sum(len(rep) for rep in repetitions)
        unit = f"{n} rows" if uniq is None else f"{uniq.shape[0]} groups"
        why = f"a repetition dealt the same {k} folds of {unit} as an earlier one"
    else:  # a splitter (check_cv refused anything else)
        given = split_by(cv, Xd, y, groups, caller)
        out = []
        seen_splits: set[tuple[bytes, bytes]] = set()
        for pair in given:
            if _key(pair) not in seen_splits:
                seen_splits.add(_key(pair))
                out.append(pair)
        total = len(given)
        why = f"{type(cv).__name__} gave the same train/test split more than once"
    if groups is not None:
        refuse_split_groups(out, groups, cv, caller)
    if len(out) < 2:
        fail("cv", "a splitter giving at least 2 distinct train/test splits",
             described(f"{len(out)} distinct split(s)"), caller)
    if len(out) < total:
        notes["n_duplicate_splits"] = total - len(out)
        warnings.warn(
            f"{caller}: {total - len(out)} of {total} splits repeat earlier ones ({why}); "
            f"each is counted once, so the interval rests on {len(out)} distinct splits",
            DegenerateDataWarning, stacklevel=3)
    return out, notes


def cv_splits(
    cv: Any,
    n_repeats: Any,
    y: npt.NDArray[Any],
    *,
    classification: bool,
    seed: int,
    caller: str,
    require_stratified: bool = False,
    groups: npt.NDArray[Any] | None = None,
) -> list[Split]:
    """Return the train/test splits of :func:`cv_plan` (without its notes)."""
    return cv_plan(cv, n_repeats, y, classification=classification, seed=seed, caller=caller,
                   require_stratified=require_stratified, groups=groups)[0]


SplitScores = tuple[float, float, Any]


def _run_splits(
    fit_and_score: Callable[..., Any], splits: Sequence[Split], seeds: list[int],
    results: list[Any], n_jobs: int | None, progress: Any, caller: str,
) -> None:
    """Run ``fit_and_score`` on every split (in parallel with ``n_jobs``) into ``results``."""
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
    notes: dict[str, Any] | None = None,
    **extra: Any,
) -> Any:
    """Run ``fit_and_score(train, test, seed) -> (baseline, candidate, extra)`` per split.

    Each split gets its own seed drawn from ``gen`` (drawn up front, so the
    answer does not depend on ``n_jobs``); splits run in parallel with joblib
    when ``n_jobs`` is not None or 1, with ``progress`` updated as each one
    finishes. Returns a ``result_type`` built from the corrected resampled t
    interval of the differences, the shared verdict, and ``extra`` fields;
    ``notes`` (those of :func:`cv_plan`) go into its ``details``.
    """
    seeds = [new_seed(gen) for _ in splits]
    results: list[SplitScores] = []
    try:
        _run_splits(fit_and_score, splits, seeds, results, n_jobs, progress, caller)
    except ValueError as exc:
        if "pos_label" not in str(exc):
            raise
        # scoring="f1" on labels other than 0/1 failed in the first split with
        # scikit-learn's bare "pos_label=1 is not a valid label"
        fail("scoring", "a scorer whose positive class is one of the labels (scikit-learn's "
             "'f1', 'precision', 'recall' score the class 1: pass e.g. "
             "make_scorer(f1_score, pos_label=...) naming one of the labels, or labels 0/1)",
             described(f"{scoring!r}, which failed: {exc}"), caller)
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
    det.update(notes or {})
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
