"""Paired statistical comparisons of a challenger with a champion."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._levels import check_resamples_for_tail
from mllifecycle._progress import check_progress
from mllifecycle._resample import check_n_jobs
from mllifecycle._validation import (
    RNGLike,
    check_alpha,
    check_bool,
    check_consistent_length,
    check_int,
    check_option,
    check_probability,
    check_rng,
    check_scalar,
    described,
    fail,
)
from mllifecycle.exceptions import DegenerateDataWarning
from mllifecycle.gates._metrics import (
    bootstrap_values,
    jackknife_values,
    prepare,
    resolve_metric,
)
from mllifecycle.gates._permutation import (
    MAX_PERMUTATION_SECONDS,
    n_effective,
    permutation_seconds,
    swap_distribution,
)
from mllifecycle.gates._types import (
    BootstrapResult,
    DeLongResult,
    McNemarResult,
    PermutationResult,
)

__all__ = [
    "paired_bootstrap",
    "paired_permutation",
    "mcnemar",
    "delong",
    "HYPOTHESES",
    "MIN_DIFFERING",
    "MIN_CLASS_COUNT",
]

FloatArray = npt.NDArray[np.float64]

HYPOTHESES = ("two-sided", "superiority", "non-inferiority")

# McNemar: exact binomial test below this many discordant pairs (statsmodels' advice)
EXACT_BELOW = 25

#: Below this many rows on which the two models differ, ``test="auto"`` takes
#: the p-value from the exact paired permutation test (the bootstrap interval
#: over-rejects there: 8-12 % at alpha = 0.05 with 30 examples).
MIN_DIFFERING = 200

#: Below this many examples of the rarer class, ``test="auto"`` takes the
#: p-value of ROC AUC, precision, recall and F1 (and of :func:`delong`) from the
#: exact paired permutation test (the bootstrap and DeLong's normal
#: approximation over-reject there: 10-14 % with 10 positives).
MIN_CLASS_COUNT = 100

TESTS = ("auto", "bootstrap", "permutation")


def _ndtri(q: float) -> float:
    from scipy.special import ndtri

    return float(ndtri(q))


def _ndtr(z: float) -> float:
    from scipy.special import ndtr

    return float(ndtr(z))


def _null(hypothesis: str, margin: float, higher_is_better: bool) -> tuple[float, str]:
    """Return (null value on the difference scale, direction of H1)."""
    if hypothesis == "two-sided":
        return 0.0, "two-sided"
    sign = 1.0 if hypothesis == "superiority" else -1.0
    if higher_is_better:
        return sign * margin + 0.0, "greater"
    return -sign * margin + 0.0, "less"


def _alternative_text(direction: str, null_value: float) -> str:
    op = {"greater": ">", "less": "<", "two-sided": "!="}[direction]
    return f"difference {op} {null_value:.6g}"


def _bca_constants(boot: FloatArray, observed: float, jack: FloatArray) -> tuple[float, float]:
    B = boot.size
    below = np.count_nonzero(boot < observed) + 0.5 * np.count_nonzero(boot == observed)
    prop = min(max(float(below) / B, 0.5 / B), 1 - 0.5 / B)
    z0 = _ndtri(prop)
    jack = jack[np.isfinite(jack)]
    if jack.size < 2:
        return z0, 0.0
    d = jack.mean() - jack
    # the acceleration is scale-free: divide by the largest |d| first, so that
    # d**3 cannot overflow (metric values near 1e100) nor d**2 underflow
    top = float(np.abs(d).max())
    if not (top > 0 and math.isfinite(top)):
        return z0, 0.0
    u = d / top
    den = 6.0 * float((u**2).sum()) ** 1.5
    a = float((u**3).sum()) / den if den > 0 else 0.0
    return z0, a


def _scaled_std(x: FloatArray) -> float:
    """Sample standard deviation (ddof 1) whose squares cannot overflow."""
    top = float(np.abs(x).max(initial=0.0))
    if not (top > 0 and math.isfinite(top)):
        return 0.0 if top == 0 else float("nan")
    return float((x / top).std(ddof=1)) * top


def _bca_level(level: float, z0: float, a: float) -> float:
    z = _ndtri(level)
    denom = 1.0 - a * (z0 + z)
    if denom <= 0:
        return level
    return _ndtr(z0 + (z0 + z) / denom)


def _p_greater(boot: FloatArray, null: float, z0: float, a: float, bca: bool) -> float:
    """One-sided p-value of H1: difference > null (interval inversion)."""
    B = boot.size
    q = (np.count_nonzero(boot <= null) + 1.0) / (B + 1.0)
    if not bca or q >= 1.0:
        return float(min(q, 1.0))
    w = _ndtri(q) - z0
    if 1.0 + a * w <= 0:
        return float(q)
    return float(min(max(_ndtr(w / (1.0 + a * w) - z0), 0.0), 1.0))


def paired_bootstrap(
    y_true: Any,
    champion: Any,
    challenger: Any,
    *,
    metric: Any,
    n_resamples: int = 10_000,
    confidence_level: float = 0.95,
    ci_method: str = "bca",
    hypothesis: str = "two-sided",
    margin: float = 0.0,
    higher_is_better: bool | None = None,
    sample_weight: Any = None,
    pos_label: Any = None,
    n_bins: int = 10,
    test: str = "auto",
    rng: RNGLike = None,
    n_jobs: int | None = None,
    progress: Any = False,
    groups: Any = None,
) -> BootstrapResult:
    """Paired bootstrap of the difference challenger - champion of a metric.

    Both models are scored on the same resamples of the evaluation set, so the
    interval reflects the correlation between them (a much narrower interval
    than two independent ones).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        True labels (classification) or values (regression).
    champion, challenger : array-like
        Each model's output in the form the metric needs: class labels for
        ``accuracy``, ``error_rate``, ``precision``, ``recall``, ``f1``;
        probabilities (1-D positive class, or 2-D one column per class of
        ``y_true`` in sorted order) for ``log_loss`` and ``brier_score``;
        scores or probabilities for ``roc_auc``; values for
        ``mean_absolute_error`` and ``mean_squared_error``; probabilities for
        ``expected_calibration_error``.
    metric : str or callable
        A metric name above (scikit-learn names such as ``"accuracy_score"``,
        ``"brier_score_loss"`` or ``"roc_auc_score"`` are accepted) or a
        callable ``metric(y_true, y_pred[, sample_weight=...]) -> float``
        (called once per resample: the slow path).
    n_resamples : int, default=10_000
        At least ``2 / (1 - confidence_level)`` (40 at 0.95), so that each end
        of the interval lies inside the resampled values.
    confidence_level : float, default=0.95
        Two-sided confidence level of the interval.
    ci_method : {"bca", "percentile"}, default="bca"
        Which interval goes into ``ci_low``/``ci_high`` and which interval
        is inverted for the p-value. Both intervals are always reported.
    hypothesis : {"two-sided", "superiority", "non-inferiority"}, default="two-sided"
        ``"two-sided"``: H0 difference = 0. ``"superiority"``: H1 the
        challenger is better by more than ``margin``. ``"non-inferiority"``:
        H1 the challenger is worse by less than ``margin``. "Better" follows
        the metric's direction: for log loss, MSE and error rate a negative
        difference is an improvement.
    margin : float, default=0.0
        Margin of the one-sided hypotheses, in the metric's units (0.005 is
        half a point of accuracy). Must be 0 for ``"two-sided"``.
    higher_is_better : bool, optional
        Required for a callable metric; must match for a named one.
    sample_weight : array-like of shape (n,), optional
        Example weights; a resample weighs example ``i`` by its count times
        its weight.
    pos_label : optional
        Positive class (default: the larger label) of ``precision``,
        ``recall`` and ``f1``, and the class whose probabilities (or scores)
        1-D inputs of ROC AUC, log loss, Brier score and ECE are; for ROC AUC
        on two columns of probabilities, the column read.
    n_bins : int, default=10
        Equal-width confidence bins of ``expected_calibration_error`` (the
        top-label ECE of Guo et al. 2017: the weighted mean over bins of
        ``|accuracy - mean confidence|``).
    test : {"auto", "bootstrap", "permutation"}, default="auto"
        Where the p-value (and ``null_rejected``) comes from. ``"bootstrap"``
        inverts the ``ci_method`` interval. ``"permutation"`` is the exact
        paired permutation test of :func:`paired_permutation` (``margin`` must
        be 0). ``"auto"`` takes the permutation test when the sample is small:
        fewer than ``MIN_DIFFERING`` (200) examples on which the two models'
        outputs differ, or, for ROC AUC, precision, recall, F1, log loss,
        Brier score and ECE, fewer than ``MIN_CLASS_COUNT`` (100) examples of
        the rarer class (of positive
        weight, with ``sample_weight``); there the bootstrap interval is too
        narrow and rejects a true null more often than ``1 -
        confidence_level``. With a margin on such a sample the bootstrap is
        kept and a :class:`DegenerateDataWarning` says so. The interval is the
        bootstrap interval in every case.
    rng : int, numpy.random.Generator or None
    n_jobs : int or None, default=None
        Workers for the resamples, through joblib (``-1``: every core; inside
        ``joblib.parallel_backend(...)``, that backend, e.g. Dask). The
        resamples come in chunks of at most 256 with their own random streams
        (``SeedSequence.spawn``), so the result for a given ``rng`` does not
        depend on ``n_jobs``.
    progress : bool or callable, default=False
        True: a progress bar over the resamples (needs the ``progress``
        extra, tqdm); a callable is called as ``progress(done, total)``.
    groups : array-like of shape (n,), optional
        The group of each row (a user, a patient, a session), when rows of one
        group are not independent. Whole groups are then drawn with
        replacement (the cluster bootstrap [4]_ [5]_), the jackknife of the BCa
        acceleration leaves one group out, and the permutation test swaps the
        two models' outputs on whole groups. The small-sample rule of
        ``test="auto"`` then counts groups: groups whose swap changes the
        comparison, and groups holding an example of the rarer class. Named
        metrics only (a callable metric is refused); at least two groups; a
        pandas Series is matched to ``y_true``'s rows by label. Weights
        (``sample_weight``) add up within each group.

    Returns
    -------
    BootstrapResult
        With ``difference``, ``ci_low``, ``ci_high``, ``p_value`` and
        ``to_dict()``; ``n_groups`` is the number of groups with ``groups``.

    Raises
    ------
    InvalidParameterError
        On unknown metrics, mismatched lengths, predicted labels absent from
        ``y_true``, invalid probabilities, a single class for ROC AUC.

    Notes
    -----
    Resample counts come from a multinomial draw; metrics that are ratios of
    weighted sums are then one matrix product ``counts @ F``, and when ``F``
    has few distinct rows (accuracy has at most four) the counts of the
    distinct rows are drawn directly. ROC AUC is the weighted Mann-Whitney
    statistic per resample: the scores are sorted once and cut into label
    runs, run sums come from one sparse product per block of resamples, and
    cumulative sums over the runs give the AUCs. The BCa interval [1]_ takes
    its acceleration from the exact leave-one-out values (closed form for sum
    metrics, the exact leave-one-out Mann-Whitney formula for AUC, a
    delete-a-group jackknife with at most 100 groups for callables).
    Errors of ``mean_absolute_error`` and ``mean_squared_error`` whose
    losses (or their sums) would leave float64's range (values near 1e307,
    errors near 1e154 or 1e-170) are brought into it by a power of two,
    which is exact: the p-value does not depend on the units, and a metric
    itself beyond 1.8e308 is refused.

    The bootstrap p-value inverts the chosen interval [2]_: for H1
    ``difference > null`` it is the level at which the one-sided lower bound
    equals ``null``, computed from ``q = (#{d* <= null} + 1) / (B + 1)`` (so
    never below ``1 / (B + 1)``); the two-sided p-value is twice the smaller
    one-sided one. On small samples (see ``test``) the p-value is the exact
    paired permutation p-value instead [3]_.

    With ``groups``, a sum metric (all but ROC AUC) is a function of the
    per-group sums of its per-example terms, so the cluster bootstrap is the
    same engine run on one row per group; for ROC AUC each row counts as often
    as its group was drawn, and the leave-one-group-out AUCs are exact. Rows
    of one group sharing the models' successes make the row bootstrap's
    interval too narrow: in the tests' seeded simulation (300 groups of 10
    rows sharing the models' skill, equal models, 400 trials) the row
    bootstrap rejected the true null 31 % of the time at level 0.05, the
    cluster bootstrap 5.5 % (standard error 1.1 %).

    References
    ----------
    .. [1] Efron, B. (1987). Better bootstrap confidence intervals. JASA
       82(397), 171-185.
    .. [2] Efron, B. & Tibshirani, R. (1993). An Introduction to the Bootstrap,
       chapters 14 and 15. Chapman & Hall.
    .. [3] Good, P. (2005). Permutation, Parametric and Bootstrap Tests of
       Hypotheses, 3rd ed., section 3.7 (matched pairs). Springer.
    .. [4] Davison, A. C. & Hinkley, D. V. (1997). Bootstrap Methods and their
       Application, section 3.8 (hierarchical data). Cambridge University Press.
    .. [5] Field, C. A. & Welsh, A. H. (2007). Bootstrapping clustered data.
       JRSS B 69(3), 369-390.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.gates import paired_bootstrap
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 2000)
    >>> champion = np.where(rng.random(2000) < 0.80, y, 1 - y)
    >>> challenger = np.where(rng.random(2000) < 0.84, y, 1 - y)
    >>> res = paired_bootstrap(y, champion, challenger, metric="accuracy", rng=0)
    >>> round(res.difference, 4)
    0.0435
    >>> bool(res.ci_low > 0)
    True

    Rows in groups (here 200 users with 10 rows each): whole users are drawn.

    >>> users = np.repeat(np.arange(200), 10)
    >>> res = paired_bootstrap(y, champion, challenger, metric="accuracy",
    ...                        groups=users, rng=0)
    >>> res.n_samples, res.n_groups, res.method.startswith("cluster bootstrap over 200")
    (2000, 200, True)
    """
    caller = "paired_bootstrap"
    spec = resolve_metric(metric, higher_is_better, caller)
    confidence_level = check_probability(
        confidence_level, "confidence_level", caller, open_interval=True
    )
    # each tail of the interval holds (1 - confidence_level) / 2 of the resamples
    n_resamples = check_resamples_for_tail(
        n_resamples,
        (1.0 - confidence_level) / 2,
        caller,
        rule="2/(1 - confidence_level)",
        what=f"a two-sided {confidence_level:g} interval",
    )
    ci_method = check_option(ci_method, "ci_method", ("bca", "percentile"), caller)
    hypothesis = check_option(hypothesis, "hypothesis", HYPOTHESES, caller)
    margin = check_scalar(margin, "margin", caller=caller, low=0.0)
    if hypothesis == "two-sided" and margin != 0.0:
        fail(
            "margin",
            "0.0 for hypothesis='two-sided' (margins belong to 'superiority' and "
            "'non-inferiority')",
            margin,
            caller,
        )
    n_bins = check_int(n_bins, "n_bins", caller=caller, low=1)
    test = check_option(test, "test", TESTS, caller)
    if test == "permutation" and margin != 0.0:
        fail("margin", "0.0 for test='permutation' (a swap test has no margin)", margin, caller)
    gen = check_rng(rng, caller=caller)
    jobs = check_n_jobs(n_jobs, caller)
    check_progress(progress, caller)
    problem = prepare(
        spec,
        y_true,
        champion,
        challenger,
        sample_weight=sample_weight,
        pos_label=pos_label,
        n_bins=n_bins,
        caller=caller,
        groups=groups,
    )
    return _bootstrap_result(
        problem,
        n_resamples,
        confidence_level,
        ci_method,
        hypothesis,
        margin,
        gen,
        test,
        n_jobs=jobs,
        progress=progress,
    )


def small_sample(problem: Any) -> str | None:
    """Describe why ``problem`` is below the documented minimums, or None."""
    k, minority = n_effective(problem)
    grouped = getattr(problem, "n_groups", None) is not None
    if minority is not None and minority < MIN_CLASS_COUNT:
        if grouped:
            return f"{minority} groups holding the rarer class (< {MIN_CLASS_COUNT})"
        return f"{minority} examples of the rarer class (< {MIN_CLASS_COUNT})"
    if k < MIN_DIFFERING:
        if grouped:
            return f"{k} groups on which the models differ (< {MIN_DIFFERING})"
        return f"{k} examples on which the models differ (< {MIN_DIFFERING})"
    return None


def resolve_test(
    test: str,
    problem: Any,
    margin: float,
    n_resamples: int,
    *,
    warn: bool = True,
    stacklevel: int = 4,
) -> str:
    """Resolve ``test="auto"`` to "bootstrap" or "permutation" for ``problem``."""
    if test != "auto":
        return test
    what = small_sample(problem)
    if what is None:
        return "bootstrap"
    too_big = permutation_seconds(problem, n_resamples) > MAX_PERMUTATION_SECONDS
    if margin == 0.0 and not too_big:
        return "permutation"
    if not warn:
        return "bootstrap"
    if too_big:
        warnings.warn(
            f"small sample for {problem.spec.name!r}: {what}, but {problem.n_samples} examples "
            "make the exact permutation test too costly at this n_resamples; the "
            "bootstrap interval, which may reject a true null too often, decides "
            "(pass test='permutation' with fewer n_resamples to force the exact test)",
            DegenerateDataWarning,
            stacklevel=stacklevel,
        )
        return "bootstrap"
    warnings.warn(
        f"small sample for {problem.spec.name!r}: {what}; the bootstrap interval "
        "may reject a true null more often than its level. With margin 0 the exact "
        "permutation test would be used",
        DegenerateDataWarning,
        stacklevel=stacklevel,
    )
    return "bootstrap"


def _check_defined(problem: Any, obs_a: float, obs_b: float, caller: str) -> None:
    """Refuse data on which the metric has no value (or none float64 holds)."""
    if math.isfinite(obs_a) and math.isfinite(obs_b):
        return
    name = problem.spec.name
    if problem.unit_exp and not (math.isnan(obs_a) or math.isnan(obs_b)):
        # the errors were brought into range, the metric itself is beyond it
        fail(
            "y_true",
            f"values whose {name!r} float64 can hold (below 1.8e308; express y_true "
            "and the predictions in larger units)",
            described(f"errors whose {name!r} is about 2**{problem.unit_exp}"),
            caller,
        )
    fail(
        "y_true",
        f"data on which {name!r} is defined for both models",
        described(f"values {obs_a!r} and {obs_b!r}"),
        caller,
    )


def _bootstrap_result(
    problem: Any,
    n_resamples: int,
    confidence_level: float,
    ci_method: str,
    hypothesis: str,
    margin: float,
    gen: np.random.Generator,
    test: str = "auto",
    *,
    warn: bool = True,
    n_jobs: int | None = None,
    progress: Any = False,
    caller: str = "paired_bootstrap",
) -> BootstrapResult:
    spec = problem.spec
    obs_a, obs_b = problem.observed()
    _check_defined(problem, obs_a, obs_b, caller)
    # the engine's units (those of problem.F: a power of two from the metric's
    # for regression errors beyond float64's range, see Problem.unit_exp); the
    # interval comes back in the metric's units
    to_metric = problem.in_metric_units
    unit_exp = problem.unit_exp
    if unit_exp:
        obs_a, obs_b = problem.observed(engine=True)
    observed = obs_b - obs_a
    va, vb, how = bootstrap_values(
        problem, n_resamples, gen, n_jobs=n_jobs, progress=progress, caller=caller
    )
    boot = vb - va
    ok = np.isfinite(boot)
    if not ok.all():
        warnings.warn(
            f"{int((~ok).sum())} of {boot.size} resamples left {spec.name!r} undefined "
            "(e.g. no positive or no negative example) and were dropped",
            DegenerateDataWarning,
            stacklevel=3,
        )
        boot = boot[ok]
        if boot.size < 2:
            fail(
                "y_true",
                f"data on which {spec.name!r} is defined in bootstrap resamples",
                described(f"{boot.size} valid resample(s)"),
                caller,
            )
    null_value, direction = _null(hypothesis, margin, spec.higher_is_better)
    null_metric = null_value
    if unit_exp:
        # engine differences lie in [-1, 1]: a null beyond them is as good as 2
        with np.errstate(over="ignore", under="ignore"):
            null_value = float(np.clip(np.ldexp(null_value, -unit_exp), -2.0, 2.0))
    # a difference equal to the null (a margin of 0.01 on accuracy over 800
    # rows is an atom, 8/800) came out of resamples as 0.010000000000000009 or
    # 0.009999999999999981: rounding, not data, then put the interval's bound
    # above the margin while the p-value counted it below. Within the same
    # relative tolerance as the permutation test, it is the null itself.
    scale = max(abs(obs_a), abs(obs_b), abs(null_value), float(np.abs(va[ok]).max(initial=0.0)),
                float(np.abs(vb[ok]).max(initial=0.0)))
    boot = np.where(np.abs(boot - null_value) <= 1e-9 * scale, null_value, boot)
    alpha = 1.0 - confidence_level
    pct = np.quantile(boot, [alpha / 2, 1 - alpha / 2])
    jack = jackknife_values(problem)
    z0, acc = _bca_constants(boot, observed, jack)
    lo_level = _bca_level(alpha / 2, z0, acc)
    hi_level = _bca_level(1 - alpha / 2, z0, acc)
    bca = np.quantile(boot, [lo_level, hi_level])
    use_bca = ci_method == "bca"
    ci = bca if use_bca else pct

    test = resolve_test(test, problem, margin, n_resamples, warn=warn)
    groups = problem.n_groups
    if groups is None:
        method = f"paired bootstrap ({how})"
    else:
        method = f"cluster bootstrap over {groups} groups ({how})"
    if test == "permutation":
        # the bar counts the bootstrap resamples only (as before): one bar per call
        dist = swap_distribution(problem, n_resamples, gen, n_jobs=n_jobs, caller=caller)
        p_gt = dist.p_greater(dist.observed)
        p_lt = dist.p_less(dist.observed)
        swapped = "paired permutation test" if groups is None else (
            f"cluster sign-flip test over {groups} groups")
        method += f"; p-value: {swapped} ({dist.how})"
    else:
        p_gt = _p_greater(boot, null_value, z0, acc, use_bca)
        p_lt = _p_greater(-boot, -null_value, -z0, -acc, use_bca)
    if direction == "greater":
        p = p_gt
    elif direction == "less":
        p = p_lt
    else:
        p = min(1.0, 2.0 * min(p_gt, p_lt))
    sign = 1.0 if spec.higher_is_better else -1.0
    if unit_exp:
        obs_a, obs_b = problem.observed()
        observed = float(to_metric(observed))
        pct, bca, ci = to_metric(pct), to_metric(bca), to_metric(ci)
    return BootstrapResult(
        metric=spec.name,
        higher_is_better=spec.higher_is_better,
        champion_value=obs_a,
        challenger_value=obs_b,
        difference=float(observed),
        improvement=float(sign * observed),
        ci_low=float(ci[0]),
        ci_high=float(ci[1]),
        ci_method=ci_method,
        percentile_ci=(float(pct[0]), float(pct[1])),
        bca_ci=(float(bca[0]), float(bca[1])),
        confidence_level=confidence_level,
        std_error=float(to_metric(_scaled_std(boot))),
        hypothesis=hypothesis,
        margin=margin,
        null_value=float(null_metric),
        alternative=_alternative_text(direction, null_metric),
        p_value=float(p),
        null_rejected=bool(p < alpha),
        n_samples=problem.n_samples,
        n_resamples=int(boot.size),
        test=test,
        small_sample=small_sample(problem) is not None,
        method=method,
        n_groups=groups,
    )


def paired_permutation(
    y_true: Any,
    champion: Any,
    challenger: Any,
    *,
    metric: Any,
    n_resamples: int = 10_000,
    hypothesis: str = "two-sided",
    alpha: float = 0.05,
    higher_is_better: bool | None = None,
    sample_weight: Any = None,
    pos_label: Any = None,
    n_bins: int = 10,
    rng: RNGLike = None,
    n_jobs: int | None = None,
    progress: Any = False,
    groups: Any = None,
) -> PermutationResult:
    """Exact paired permutation test of H0 "the two models are interchangeable".

    Under H0 swapping the champion's and the challenger's outputs on any
    example leaves the distribution of the data unchanged, so the observed
    difference of the metric is referred to its distribution over all swaps.
    Only the ``k`` examples on which the outputs differ can swap; all ``2^k``
    swaps are enumerated when ``2^k <= n_resamples`` (and for accuracy, error
    rate, log loss, Brier score, MAE and MSE whenever the sign-flip
    distribution can be convolved exactly), otherwise ``n_resamples`` random
    swaps are drawn. Either way the level is exact at any sample size: this
    is the test to use on small or imbalanced evaluation sets, where the
    bootstrap interval and DeLong's normal approximation reject a true null
    too often. For accuracy it is the exact McNemar test.

    Parameters
    ----------
    y_true, champion, challenger : array-like
        As in :func:`paired_bootstrap`.
    metric : str or callable
        As in :func:`paired_bootstrap`.
    n_resamples : int, default=10_000
        Number of random swaps when the ``2^k`` swaps are too many to
        enumerate. At least ``1 / alpha`` (``2 / alpha`` two-sided): fewer
        cannot give a p-value below ``alpha``.
    hypothesis : {"two-sided", "superiority", "non-inferiority"}, default="two-sided"
        ``"superiority"`` and ``"non-inferiority"`` are both the one-sided
        test of H1 "the challenger is better" (a swap test has no margin).
    alpha : float, default=0.05
        Level for ``null_rejected``.
    higher_is_better : bool, optional
        Required for a callable metric.
    sample_weight : array-like of shape (n,), optional
    pos_label : optional
    n_bins : int, default=10
    rng : int, numpy.random.Generator or None
    n_jobs : int or None, default=None
        Workers for the random swaps, through joblib (``-1``: every core;
        inside ``joblib.parallel_backend(...)``, that backend, e.g. Dask). The
        swaps come in chunks of at most 256 with their own random streams
        (``SeedSequence.spawn``), so the result for a given ``rng`` does not
        depend on ``n_jobs``.
    progress : bool or callable, default=False
        True: a progress bar over the swaps (needs the ``progress`` extra); a
        callable is called as ``progress(done, total)``.
    groups : array-like of shape (n,), optional
        The group of each row, when rows of one group are not independent.
        The two models' outputs are then swapped on whole groups together
        (the cluster sign-flip test, exact under H0 "the models are
        interchangeable within every group" [4]_): ``n_differing`` counts the
        groups whose swap changes the comparison. Named metrics only; at least
        two groups; a pandas Series is matched to ``y_true``'s rows by label.

    Returns
    -------
    PermutationResult
        With the ``difference``, ``p_value``, ``exact`` and ``n_differing``
        (and ``n_groups`` with ``groups``).

    Notes
    -----
    With ``T`` the observed difference and ``T*`` its value after a swap,
    the one-sided p-value is ``P(T* >= T)`` over the enumerated swaps, or
    ``(1 + #{T* >= T}) / (1 + B)`` over ``B`` random swaps [3]_; the
    two-sided p-value is twice the smaller one-sided one. For ROC AUC both
    models' scores are replaced by their ranks before swapping, so a model
    that outputs logits can be compared with one that outputs probabilities
    [2]_. H0 is exchangeability, which implies equal expected metrics; for
    accuracy, the exact binomial (McNemar) test is valid under equal accuracy
    alone.

    References
    ----------
    .. [1] Good, P. (2005). Permutation, Parametric and Bootstrap Tests of
       Hypotheses, 3rd ed., section 3.7 (matched pairs). Springer.
    .. [2] Venkatraman, E. S. & Begg, C. B. (1996). A distribution-free
       procedure for comparing receiver operating characteristic curves from
       a paired experiment. Biometrika 83(4), 835-848.
    .. [3] Phipson, B. & Smyth, G. K. (2010). Permutation p-values should
       never be zero. Statistical Applications in Genetics and Molecular
       Biology 9(1), article 39.
    .. [4] Davison, A. C. & Hinkley, D. V. (1997). Bootstrap Methods and their
       Application, sections 3.8 and 4.3. Cambridge University Press.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.gates import paired_permutation
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(40) < 0.3).astype(int)
    >>> champion = y + rng.normal(0, 1.0, 40)
    >>> challenger = y + rng.normal(0, 0.3, 40)
    >>> res = paired_permutation(y, champion, challenger, metric="roc_auc", rng=0)
    >>> res.n_differing, res.exact, bool(res.p_value < 0.05)
    (40, False, True)

    With the rows in 8 groups of 5, whole groups swap (2^8 swaps, enumerated):

    >>> res = paired_permutation(y, champion, challenger, metric="roc_auc",
    ...                          groups=np.repeat(np.arange(8), 5), rng=0)
    >>> res.n_groups, res.n_differing, res.exact
    (8, 8, True)
    """
    caller = "paired_permutation"
    spec = resolve_metric(metric, higher_is_better, caller)
    hypothesis = check_option(hypothesis, "hypothesis", HYPOTHESES, caller)
    alpha = check_alpha(alpha, caller=caller)
    # fewer swaps cannot give a Monte Carlo p-value below alpha
    two = hypothesis == "two-sided"
    n_resamples = check_resamples_for_tail(
        n_resamples,
        alpha / 2 if two else alpha,
        caller,
        rule="2/alpha" if two else "1/alpha",
        what=f"a {'two' if two else 'one'}-sided p-value below alpha={alpha:g}",
    )
    n_bins = check_int(n_bins, "n_bins", caller=caller, low=1)
    gen = check_rng(rng, caller=caller)
    jobs = check_n_jobs(n_jobs, caller)
    progress = check_progress(progress, caller)
    problem = prepare(
        spec,
        y_true,
        champion,
        challenger,
        sample_weight=sample_weight,
        pos_label=pos_label,
        n_bins=n_bins,
        caller=caller,
        groups=groups,
    )
    obs_a, obs_b = problem.observed()
    _check_defined(problem, obs_a, obs_b, caller)
    observed = obs_b - obs_a
    if problem.unit_exp:  # the difference in the engine's units, then the metric's
        eng_a, eng_b = problem.observed(engine=True)
        observed = float(problem.in_metric_units(eng_b - eng_a))
    dist = swap_distribution(
        problem, n_resamples, gen, n_jobs=jobs, progress=progress, caller=caller
    )
    _, direction = _null(hypothesis, 0.0, spec.higher_is_better)
    p_gt = dist.p_greater(dist.observed)
    p_lt = dist.p_less(dist.observed)
    if direction == "greater":
        p = p_gt
    elif direction == "less":
        p = p_lt
    else:
        p = min(1.0, 2.0 * min(p_gt, p_lt))
    sign = 1.0 if spec.higher_is_better else -1.0
    return PermutationResult(
        metric=spec.name,
        higher_is_better=spec.higher_is_better,
        champion_value=obs_a,
        challenger_value=obs_b,
        difference=float(observed),
        improvement=float(sign * observed),
        hypothesis=hypothesis,
        alternative=_alternative_text(direction, 0.0),
        p_value=float(p),
        null_rejected=bool(p < alpha),
        alpha=alpha,
        exact=dist.exact,
        n_differing=dist.n_differing,
        n_samples=problem.n_samples,
        n_resamples=dist.n_resamples,
        method=(
            f"paired permutation test ({dist.how})"
            if problem.n_groups is None
            else f"cluster sign-flip test over {problem.n_groups} groups ({dist.how})"
        ),
        n_groups=problem.n_groups,
    )


def refuse_groups(groups: Any, caller: str, method: str | None = None) -> None:
    """Refuse ``groups`` for a test that counts single rows (McNemar, DeLong)."""
    if groups is None:
        return
    test = f"method={method!r}" if method else caller
    fail(
        "groups",
        f"None for {test}: it treats rows as independent and has no cluster version "
        "(use the cluster bootstrap: paired_bootstrap(..., groups=...), or "
        "method='bootstrap' in a gate)",
        described("groups given"),
        caller,
    )


def _correct(y_true: Any, pred: Any, name: str, caller: str) -> npt.NDArray[np.bool_]:
    from mllifecycle.gates._metrics import _check_known_labels, _labels, in_row_order

    y = _labels(y_true, "y_true", caller)
    p = _labels(in_row_order(pred, y_true, name, caller), name, caller)
    check_consistent_length([y, p], ["y_true", name], caller)
    _check_known_labels(y, p, name, caller)
    return np.asarray(p == y, dtype=bool)


def mcnemar(
    y_true: Any,
    champion_pred: Any,
    challenger_pred: Any,
    *,
    exact: bool | None = None,
    continuity_correction: bool = True,
    alpha: float = 0.05,
    groups: Any = None,
) -> McNemarResult:
    """McNemar's test of equal accuracy of two classifiers on the same examples.

    Only the discordant pairs matter: ``b`` examples the champion got right
    and the challenger wrong, ``c`` the reverse. Under H0 (equal accuracy)
    ``b ~ Binomial(b + c, 1/2)``.

    Parameters
    ----------
    y_true, champion_pred, challenger_pred : array-like of shape (n,)
        True and predicted class labels.
    exact : bool, optional
        ``True``: exact binomial test; ``False``: chi-square. Default: exact
        when ``b + c < 25`` (the advice of statsmodels and of [2]_), the
        chi-square approximation otherwise.
    continuity_correction : bool, default=True
        Edwards' continuity correction of the chi-square statistic.
    alpha : float, default=0.05
        Level for ``null_rejected``.
    groups : None
        McNemar's test counts single rows and has no cluster version: rows in
        groups are refused (pass them to :func:`paired_bootstrap` or
        :func:`paired_permutation` with ``metric="accuracy"`` and ``groups=``).

    Returns
    -------
    McNemarResult
        With ``statistic`` (``min(b, c)`` for the exact test, the chi-square
        otherwise) and the two-sided ``p_value``.

    Notes
    -----
    Exact: ``p = min(1, 2 * P(X <= min(b, c)))`` with ``X ~ Binomial(b + c,
    1/2)``. Chi-square: ``(|b - c| - 1)^2 / (b + c)`` on one degree of
    freedom [1]_. For a one-sided or margin hypothesis use
    :func:`paired_bootstrap` with ``metric="accuracy"``.

    References
    ----------
    .. [1] McNemar, Q. (1947). Note on the sampling error of the difference
       between correlated proportions or percentages. Psychometrika 12(2),
       153-157.
    .. [2] Dietterich, T. G. (1998). Approximate statistical tests for
       comparing supervised classification learning algorithms. Neural
       Computation 10(7), 1895-1923.

    Examples
    --------
    >>> from mllifecycle.gates import mcnemar
    >>> y = [0, 1, 1, 0, 1, 0, 1, 1, 0, 0]
    >>> a = [0, 1, 0, 0, 0, 1, 1, 0, 0, 1]
    >>> b = [0, 1, 1, 0, 1, 0, 1, 1, 0, 0]
    >>> res = mcnemar(y, a, b)
    >>> res.n_champion_only, res.n_challenger_only, round(res.p_value, 4)
    (0, 5, 0.0625)
    """
    caller = "mcnemar"
    refuse_groups(groups, caller)
    if exact is not None:
        exact = check_bool(exact, "exact", caller)
    continuity_correction = check_bool(continuity_correction, "continuity_correction", caller)
    alpha = check_alpha(alpha, caller=caller)
    ca = _correct(y_true, champion_pred, "champion_pred", caller)
    cb = _correct(y_true, challenger_pred, "challenger_pred", caller)
    check_consistent_length([ca, cb], ["champion_pred", "challenger_pred"], caller)
    return mcnemar_counts(
        ca, cb, exact=exact, continuity_correction=continuity_correction, alpha=alpha
    )


def mcnemar_counts(
    ca: npt.NDArray[np.bool_],
    cb: npt.NDArray[np.bool_],
    *,
    exact: bool | None = None,
    continuity_correction: bool = True,
    alpha: float = 0.05,
) -> McNemarResult:
    """McNemar's test from which examples each model got right (already checked)."""
    n = int(ca.size)
    b = int(np.count_nonzero(ca & ~cb))
    c = int(np.count_nonzero(~ca & cb))
    use_exact = (b + c < EXACT_BELOW) if exact is None else exact
    from scipy import stats

    if use_exact:
        stat = float(min(b, c))
        p = 1.0 if b + c == 0 else min(1.0, 2.0 * float(stats.binom.cdf(min(b, c), b + c, 0.5)))
        method = "exact binomial"
    else:
        if b + c == 0:
            stat, p = 0.0, 1.0
        else:
            diff = abs(b - c) - (1.0 if continuity_correction else 0.0)
            stat = max(diff, 0.0) ** 2 / (b + c) if continuity_correction else diff**2 / (b + c)
            p = float(stats.chi2.sf(stat, 1))
        method = "chi-square" + (" with continuity correction" if continuity_correction else "")
    acc_a = float(ca.mean())
    acc_b = float(cb.mean())
    return McNemarResult(
        statistic=float(stat),
        p_value=float(p),
        exact=bool(use_exact),
        method=method,
        n_champion_only=b,
        n_challenger_only=c,
        n_samples=n,
        champion_accuracy=acc_a,
        challenger_accuracy=acc_b,
        difference=acc_b - acc_a,
        null_rejected=bool(p < alpha),
        alpha=alpha,
    )


def _midranks_sorted(xs: FloatArray) -> FloatArray:
    """1-based midranks of an already sorted array (ties averaged)."""
    n = xs.size
    new = np.empty(n, dtype=bool)
    new[:1] = True
    new[1:] = xs[1:] != xs[:-1]
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, n))
    mid = starts + (counts + 1) / 2.0
    return np.repeat(mid, counts)


def delong_components(
    positive: npt.NDArray[np.bool_], scores: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """AUCs and DeLong structural components for ``scores`` (k, n).

    Returns ``(aucs (k,), v10 (k, m) for positives, v01 (k, l) for negatives)``
    by the midrank algorithm of Sun & Xu (2014), with one sort per model: the
    positives' and negatives' own orders are the sorted order filtered.
    """
    m = int(positive.sum())
    l_ = positive.size - m
    k = scores.shape[0]
    v10 = np.empty((k, m))
    v01 = np.empty((k, l_))
    aucs = np.empty(k)
    slot = np.where(positive, np.cumsum(positive) - 1, np.cumsum(~positive) - 1)
    for r in range(k):
        order = np.argsort(scores[r], kind="quicksort")
        xs = scores[r][order]
        is_pos = positive[order]
        pp = np.flatnonzero(is_pos)
        nn = np.flatnonzero(~is_pos)
        if np.any(xs[1:] == xs[:-1]):
            tz = _midranks_sorted(xs)
            tz_pos = tz[pp]
            # negatives below each positive (ties count one half), and the reverse
            below_pos = tz_pos - _midranks_sorted(xs[pp])
            below_neg = tz[nn] - _midranks_sorted(xs[nn])
        else:  # no ties: midranks are positions, so the counts are position gaps
            tz_pos = pp.astype(np.float64) + 1.0
            below_pos = pp - np.arange(m, dtype=np.float64)
            below_neg = nn - np.arange(l_, dtype=np.float64)
        # sum(T_Z - T_X) over positives is the Mann-Whitney count (a multiple of
        # 1/2, exact): one division, no cancellation of sum(T_Z) / ml - (m+1) / 2l
        aucs[r] = below_pos.sum() / (m * l_)
        # components in sorted order; put them back in the original order
        so = slot[order]
        v10[r, so[pp]] = below_pos / l_
        v01[r, so[nn]] = 1.0 - below_neg / m
    return aucs, v10, v01


def delong(
    y_true: Any,
    champion_score: Any,
    challenger_score: Any,
    *,
    confidence_level: float = 0.95,
    hypothesis: str = "two-sided",
    margin: float = 0.0,
    test: str = "auto",
    n_resamples: int = 10_000,
    rng: RNGLike = None,
    n_jobs: int | None = None,
    progress: Any = False,
    groups: Any = None,
) -> DeLongResult:
    """DeLong's test for the difference of two correlated ROC AUCs.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels (the larger label is the positive class).
    champion_score, challenger_score : array-like of shape (n,) or (n, 2)
        Scores or probabilities of the positive class (for two columns of
        probabilities, the second column).
    confidence_level : float, default=0.95
    hypothesis : {"two-sided", "superiority", "non-inferiority"}, default="two-sided"
        As in :func:`paired_bootstrap` (AUC: higher is better).
    margin : float, default=0.0
        Margin of the one-sided hypotheses in AUC units.
    test : {"auto", "delong", "permutation"}, default="auto"
        Where the p-value comes from. ``"delong"``: the normal approximation.
        ``"permutation"``: the exact paired permutation test of
        :func:`paired_permutation` on ranks (margin 0 only). ``"auto"``:
        DeLong, except with fewer than ``MIN_CLASS_COUNT`` (100) examples of
        the rarer class, where DeLong's test rejects a true null too often
        (10 % at alpha = 0.05 with 10 positives): there it warns
        (:class:`DegenerateDataWarning`) and falls back to the permutation
        test with margin 0, or keeps DeLong with a margin.
    n_resamples : int, default=10_000
        Random swaps of the permutation test when its ``2^k`` swaps are too
        many to enumerate. Unless ``test="delong"``, at least
        ``1 / (1 - confidence_level)`` (twice that two-sided).
    rng : int, numpy.random.Generator or None
        Seed of the permutation test's random swaps.
    n_jobs : int or None, default=None
        Workers for the random swaps, through joblib (``-1``: every core;
        inside ``joblib.parallel_backend(...)``, that backend, e.g. Dask). The
        swaps come in chunks of at most 256 with their own random streams
        (``SeedSequence.spawn``), so the result for a given ``rng`` does not
        depend on ``n_jobs``.
    progress : bool or callable, default=False
        True: a progress bar over the permutation test's swaps, when it runs
        (needs the ``progress`` extra, tqdm); a callable is called as
        ``progress(done, total)``.
    groups : None
        DeLong's variance treats rows as independent and has no cluster
        version here: rows in groups are refused (pass them to
        :func:`paired_bootstrap` or :func:`paired_permutation` with
        ``metric="roc_auc"`` and ``groups=``).

    Returns
    -------
    DeLongResult
        With both AUCs, ``difference``, ``ci_low``, ``ci_high`` and ``p_value``.

    Notes
    -----
    With ``m`` positives ``X`` and ``l`` negatives ``Y``, the structural
    components are ``V10(X_i) = mean_j psi(X_i, Y_j)`` and ``V01(Y_j) =
    mean_i psi(X_i, Y_j)`` with ``psi = 1, 1/2, 0`` for ``>, =, <``; the
    covariance of the two AUCs is ``S10 / m + S01 / l`` with ``S10``, ``S01``
    the sample covariances of the components across models [1]_. Sun & Xu [2]_
    obtain the components from midranks, ``V10(X_i) = (T_Z(X_i) - T_X(X_i)) /
    l``, in ``O(n log n)``. The z statistic is referred to the standard normal.
    The interval is DeLong's in every case (it is too narrow with few
    positives; the permutation p-value is not).

    References
    ----------
    .. [1] DeLong, E. R., DeLong, D. M. & Clarke-Pearson, D. L. (1988).
       Comparing the areas under two or more correlated receiver operating
       characteristic curves: a nonparametric approach. Biometrics 44(3),
       837-845.
    .. [2] Sun, X. & Xu, W. (2014). Fast implementation of DeLong's algorithm
       for comparing the areas under correlated receiver operating
       characteristic curves. IEEE Signal Processing Letters 21(11), 1389-1393.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.gates import delong
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 1000)
    >>> champion = y + rng.normal(0, 1.2, 1000)
    >>> challenger = y + rng.normal(0, 0.8, 1000)
    >>> res = delong(y, champion, challenger)
    >>> bool(res.challenger_auc > res.champion_auc), bool(res.p_value < 0.05)
    (True, True)
    """
    caller = "delong"
    refuse_groups(groups, caller)
    confidence_level = check_probability(
        confidence_level, "confidence_level", caller, open_interval=True
    )
    hypothesis = check_option(hypothesis, "hypothesis", HYPOTHESES, caller)
    margin = check_scalar(margin, "margin", caller=caller, low=0.0)
    if hypothesis == "two-sided" and margin != 0.0:
        fail("margin", "0.0 for hypothesis='two-sided'", margin, caller)
    test = check_option(test, "test", ("auto", "delong", "permutation"), caller)
    if test == "permutation" and margin != 0.0:
        fail("margin", "0.0 for test='permutation' (a swap test has no margin)", margin, caller)
    if test == "delong":
        n_resamples = check_int(n_resamples, "n_resamples", caller=caller, low=1)
    else:
        # the permutation p-value (test="permutation", or "auto" on few examples
        # of a class) is compared with 1 - confidence_level
        two = hypothesis == "two-sided"
        level = 1.0 - confidence_level
        n_resamples = check_resamples_for_tail(
            n_resamples,
            level / 2 if two else level,
            caller,
            rule="2/(1 - confidence_level)" if two else "1/(1 - confidence_level)",
            what=f"a {'two' if two else 'one'}-sided permutation p-value below "
            f"{level:g} (test={test!r})",
        )
    gen = check_rng(rng, caller=caller)
    jobs = check_n_jobs(n_jobs, caller)
    check_progress(progress, caller)
    spec = resolve_metric("roc_auc", None, caller)
    problem = prepare(
        spec,
        y_true,
        champion_score,
        challenger_score,
        caller=caller,
        names=("champion_score", "challenger_score"),
    )
    assert problem.positive is not None
    assert problem.scores is not None
    positive = problem.positive
    scores = np.vstack(problem.scores)
    aucs, v10, v01 = delong_components(positive, scores)
    m, l_ = v10.shape[1], v01.shape[1]
    s10 = np.cov(v10) if m > 1 else np.zeros((2, 2))
    s01 = np.cov(v01) if l_ > 1 else np.zeros((2, 2))
    S = s10 / m + s01 / l_
    var = float(S[0, 0] + S[1, 1] - 2 * S[0, 1])
    se = math.sqrt(max(var, 0.0))
    diff = float(aucs[1] - aucs[0])
    null_value, direction = _null(hypothesis, margin, True)
    alpha = 1.0 - confidence_level
    zc = _ndtri(1 - alpha / 2)
    if se > 0:
        z = (diff - null_value) / se
        # upper tails as ndtr(-z): 1 - ndtr(z) is 0.0 from z = 8.3 on (p = 1e-16 and below)
        p = _ndtr(-z) if direction == "greater" else 2.0 * _ndtr(-abs(z))
    else:
        warnings.warn(
            "the DeLong variance of the AUC difference is zero (identical or "
            "perfectly separating scores); the p-value is 1 unless the AUCs differ",
            DegenerateDataWarning,
            stacklevel=2,
        )
        z = 0.0 if diff == null_value else math.copysign(math.inf, diff - null_value)
        if direction == "greater":
            p = 0.0 if diff > null_value else 1.0
        else:
            p = 1.0 if diff == null_value else 0.0
    if test == "auto":
        minority = min(m, l_)
        test = "delong"
        if minority < MIN_CLASS_COUNT:
            too_big = permutation_seconds(problem, n_resamples) > MAX_PERMUTATION_SECONDS
            if margin != 0.0:
                action = "with a margin it is kept (a swap test has no margin)"
            elif too_big:
                action = (
                    "the exact permutation test is too costly at this size and "
                    "n_resamples, so it is kept (pass test='permutation' with fewer "
                    "n_resamples to force it)"
                )
            else:
                action = "the p-value comes from the exact paired permutation test instead"
            warnings.warn(
                f"{minority} examples of the rarer class (< {MIN_CLASS_COUNT}): DeLong's "
                f"normal approximation may reject a true null too often; {action}",
                DegenerateDataWarning,
                stacklevel=2,
            )
            if margin == 0.0 and not too_big:
                test = "permutation"
    if test == "permutation":
        dist = swap_distribution(
            problem, n_resamples, gen, n_jobs=jobs, progress=progress, caller=caller
        )
        p_gt = dist.p_greater(dist.observed)
        p = (
            p_gt
            if direction == "greater"
            else min(1.0, 2.0 * min(p_gt, dist.p_less(dist.observed)))
        )
    p = min(max(p, 0.0), 1.0)
    return DeLongResult(
        champion_auc=float(aucs[0]),
        challenger_auc=float(aucs[1]),
        difference=diff,
        ci_low=diff - zc * se,
        ci_high=diff + zc * se,
        confidence_level=confidence_level,
        std_error=se,
        statistic=float(z),
        hypothesis=hypothesis,
        margin=margin,
        null_value=float(null_value),
        alternative=_alternative_text(direction, null_value),
        p_value=float(p),
        null_rejected=bool(p < alpha),
        n_positive=int(m),
        n_negative=int(l_),
        test=test,
    )
