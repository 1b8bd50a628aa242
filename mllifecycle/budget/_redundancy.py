"""Labelling redundancy: how many answers per item reach a target label accuracy."""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._results import attrs_to_dict, flat_metrics, html_table
from mllifecycle._validation import check_int, check_rng, check_scalar, described, fail
from mllifecycle.budget._checks import ARRAY_EQ, refuse_text

__all__ = ["RedundancyPlan", "redundancy", "majority_vote_accuracy"]

FloatArray = npt.NDArray[np.float64]
#: Largest block of random keys drawn at once when sampling workers (8 MB).
_CHUNK_ELEMENTS = 1 << 20


def majority_vote_accuracy(accuracy: float, n_answers: int) -> float:
    """Exact accuracy of a majority vote of ``n_answers`` binary answers.

    Every answer is right with probability ``accuracy``, independently; a tie
    is broken by a fair coin.

    Parameters
    ----------
    accuracy : float
        Probability that one answer is right, in [0, 1].
    n_answers : int
        Answers per item, at least 1.

    Returns
    -------
    float
        Probability that the majority (ties by a coin) is right.

    Examples
    --------
    >>> from mllifecycle.budget import majority_vote_accuracy
    >>> round(majority_vote_accuracy(0.7, 3), 3)
    0.784
    >>> majority_vote_accuracy(0.7, 2) == 0.7
    True
    """
    from scipy.stats import binom

    p = check_scalar(accuracy, "accuracy", caller="majority_vote_accuracy", low=0.0, high=1.0)
    k = check_int(n_answers, "n_answers", caller="majority_vote_accuracy")
    j = np.arange(k + 1)
    pmf = binom.pmf(j, k, p)
    win = pmf[2 * j > k].sum()
    tie = pmf[2 * j == k].sum()
    return float(win + 0.5 * tie)


@attrs.frozen(repr=False)
class RedundancyPlan:
    """Answers per item needed to reach a target label accuracy.

    Attributes
    ----------
    target : float
        Label accuracy to reach.
    n_classes : int
    answers : ndarray of int
        The redundancies evaluated, ``1 .. max_answers``.
    majority_accuracy, weighted_accuracy : ndarray of float
        Label accuracy at each redundancy under a plain majority vote and under
        a vote weighted by each worker's log-odds of being right, the rule a
        Dawid-Skene model reaches once it has estimated the workers (the
        Bayes-optimal vote for known one-coin workers).
    std_error : float
        Monte-Carlo standard error of an accuracy (0 where computed exactly).
    majority_needed, weighted_needed : int or None
        Smallest redundancy reaching ``target`` (None: not within ``max_answers``).
    cost_per_item, cost_per_clean_label : dict of str to float or None
        With a price per answer: the cost of labelling one item at the needed
        redundancy, and that cost divided by the label accuracy reached.

    Examples
    --------
    >>> from mllifecycle.budget import redundancy
    >>> plan = redundancy(0.7, 0.9, rng=0)
    >>> plan.majority_needed
    9
    """

    target: float
    n_classes: int
    answers: npt.NDArray[np.int64] = attrs.field(eq=ARRAY_EQ, hash=False)
    majority_accuracy: FloatArray = attrs.field(eq=ARRAY_EQ, hash=False)
    weighted_accuracy: FloatArray = attrs.field(eq=ARRAY_EQ, hash=False)
    std_error: float
    majority_needed: int | None
    weighted_needed: int | None
    price_per_answer: float | None
    cost_per_item: dict[str, float | None]
    cost_per_clean_label: dict[str, float | None]

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary."""
        return attrs_to_dict(self)

    def to_metrics(self) -> dict[str, float]:
        """Flat ``name -> float``."""
        d = {
            "majority_needed": self.majority_needed,
            "weighted_needed": self.weighted_needed,
            "cost_per_item": self.cost_per_item,
            "cost_per_clean_label": self.cost_per_clean_label,
        }
        return flat_metrics(d, prefix="redundancy")

    def __repr__(self) -> str:
        return (
            f"RedundancyPlan(target={self.target:g}, majority_needed={self.majority_needed}, "
            f"weighted_needed={self.weighted_needed})"
        )

    def _repr_html_(self) -> str:
        rows = [
            [int(k), float(m), float(w)]
            for k, m, w in zip(
                self.answers, self.majority_accuracy, self.weighted_accuracy, strict=True
            )
        ]
        return html_table(rows, ["answers", "majority", "weighted"], caption=repr(self))


def _simulate(
    acc: FloatArray, k: int, n_classes: int, n_sim: int, gen: np.random.Generator
) -> tuple[float, float]:
    """Accuracy of majority and weighted votes of k answers (true class 0)."""
    m = acc.size
    if m > 1:
        # k distinct workers per item: the first k of a random permutation, in
        # chunks of rows (the same random stream as one (n_sim, m) draw, without
        # holding it: a pool of thousands of workers needed gigabytes)
        rows_per = max(1, _CHUNK_ELEMENTS // m)
        workers = np.empty((n_sim, k), dtype=np.intp)
        for s in range(0, n_sim, rows_per):
            e = min(n_sim, s + rows_per)
            workers[s:e] = np.argsort(gen.random((e - s, m)), axis=1)[:, :k]
    else:
        workers = np.zeros((n_sim, k), dtype=np.int64)
    p = acc[workers]
    right = gen.random((n_sim, k)) < p
    wrong = gen.integers(1, n_classes, size=(n_sim, k)) if n_classes > 2 else 1
    label = np.where(right, 0, wrong)
    clipped = np.clip(p, 1e-6, 1 - 1e-6)
    weight = np.log(clipped * (n_classes - 1) / (1 - clipped))
    rows = np.repeat(np.arange(n_sim), k)
    flat = rows * n_classes + label.ravel()
    counts = np.bincount(flat, minlength=n_sim * n_classes).reshape(n_sim, n_classes)
    wsum = np.bincount(flat, weights=weight.ravel(), minlength=n_sim * n_classes).reshape(
        n_sim, n_classes
    )
    jitter = gen.random((n_sim, n_classes)) * 1e-9  # ties broken uniformly
    maj = float(np.mean(np.argmax(counts + jitter, axis=1) == 0))
    wtd = float(np.mean(np.argmax(wsum + jitter * 1e-3, axis=1) == 0))
    return maj, wtd


def redundancy(
    worker_accuracy: float | npt.ArrayLike,
    target_accuracy: float,
    *,
    n_classes: int = 2,
    max_answers: int = 25,
    price_per_answer: float | None = None,
    n_simulations: int = 200_000,
    rng: int | np.random.Generator | None = None,
) -> RedundancyPlan:
    """Answers per item needed for a target label accuracy, by vote rule.

    Each answer comes from a different worker drawn at random from the pool,
    so with a pool of ``m`` workers at most ``m`` answers per item are
    considered; one accuracy stands for an unlimited pool of such workers. A
    worker with accuracy
    ``p`` gives the true class with probability ``p`` and otherwise one of the
    other classes uniformly (the one-coin model); classes are equally likely.
    Accuracies are exact for a pool of identical workers on two classes
    (:func:`majority_vote_accuracy`) and Monte-Carlo otherwise, with the
    standard error reported.

    Parameters
    ----------
    worker_accuracy : float or 1-D array-like of float in (0, 1]
        One accuracy for every worker, or each worker's (measured, or estimated
        by a crowd aggregation such as Dawid-Skene).
    target_accuracy : float in (0, 1)
        Label accuracy to reach.
    n_classes : int, default=2
    max_answers : int, default=25
        Largest redundancy considered.
    price_per_answer : float, optional
        Money per answer (>= 0): gives the cost per item and per clean label.
    n_simulations : int, default=200_000
        Simulated items per redundancy (Monte-Carlo cases).
    rng : int, numpy.random.Generator or None
        Seeds the simulation. The pool is read as a set: the same accuracies
        in another order give the same answer.

    Returns
    -------
    RedundancyPlan

    References
    ----------
    .. [1] Dawid, A. P. and Skene, A. M. (1979). Maximum likelihood estimation of
       observer error-rates using the EM algorithm. Applied Statistics, 28(1).
    .. [2] Karger, D. R., Oh, S. and Shah, D. (2014). Budget-optimal task
       allocation for reliable crowdsourcing systems. Operations Research, 62(1).

    Examples
    --------
    >>> from mllifecycle.budget import redundancy
    >>> pool = [0.95, 0.9, 0.85, 0.7, 0.6, 0.55, 0.55]
    >>> plan = redundancy(pool, 0.97, price_per_answer=0.05, rng=0)
    >>> plan.majority_needed is None, plan.weighted_needed
    (True, 7)
    """
    caller = "redundancy"
    # text was parsed as numbers ("0.7" planned as 0.7), where
    # majority_vote_accuracy refuses it
    refuse_text(worker_accuracy, "worker_accuracy", "accuracies in (0, 1]", caller)
    try:
        acc = np.atleast_1d(np.asarray(worker_accuracy, dtype=np.float64))
    except (TypeError, ValueError):
        fail("worker_accuracy", "accuracies in (0, 1]", worker_accuracy, caller)
    if acc.ndim != 1 or acc.size == 0:
        fail("worker_accuracy", "one accuracy or a 1-D array of them", worker_accuracy, caller)
    if not np.all(np.isfinite(acc)) or np.any(acc <= 0) or np.any(acc > 1):
        fail("worker_accuracy", "accuracies in (0, 1]", described(f"{acc.tolist()[:5]}"), caller)
    target = check_scalar(
        target_accuracy, "target_accuracy", caller=caller, low=0.0, high=1.0,
        low_inclusive=False, high_inclusive=False,
    )
    k_classes = check_int(n_classes, "n_classes", caller=caller, low=2)
    kmax = check_int(max_answers, "max_answers", caller=caller, low=1, high=1000)
    if acc.size > 1:
        # an item gets at most one answer from each worker of the pool
        kmax = min(kmax, acc.size)
        # the pool is a set of workers: the simulation draws them by position,
        # so the same pool listed in another order gave other accuracies (and
        # could move the answers needed) under one seed
        acc = np.sort(acc)
    price = (
        None if price_per_answer is None
        else check_scalar(price_per_answer, "price_per_answer", caller=caller, low=0.0)
    )
    n_sim = check_int(n_simulations, "n_simulations", caller=caller, low=1000)
    gen = check_rng(rng, caller=caller)
    ks = np.arange(1, kmax + 1)
    exact = k_classes == 2 and np.all(acc == acc[0])
    maj = np.empty(kmax)
    wtd = np.empty(kmax)
    for i, k in enumerate(ks):
        if exact:
            maj[i] = majority_vote_accuracy(float(acc[0]), int(k))
            # the log-odds weights of workers below 1/2 are negative: the weighted
            # vote reverses their answers, a majority of workers right w.p. 1 - p
            wtd[i] = majority_vote_accuracy(max(float(acc[0]), 1.0 - float(acc[0])), int(k))
        else:
            maj[i], wtd[i] = _simulate(acc, int(k), k_classes, n_sim, gen)
    se = 0.0 if exact else float(math.sqrt(0.25 / n_sim))

    def needed(curve: FloatArray) -> int | None:
        # within rounding of the target is at it: 3 answers at 0.7 are right
        # 0.784 of the time, summed as 0.7839999999999997
        hit = np.flatnonzero(curve >= target - 1e-12)
        return int(ks[hit[0]]) if hit.size else None

    m_need, w_need = needed(maj), needed(wtd)
    per_item: dict[str, float | None] = {}
    per_clean: dict[str, float | None] = {}
    for name, need, curve in (("majority", m_need, maj), ("weighted", w_need, wtd)):
        if price is None or need is None:
            per_item[name] = per_clean[name] = None
        else:
            per_item[name] = need * price
            per_clean[name] = need * price / float(curve[need - 1])
    return RedundancyPlan(
        target=target,
        n_classes=k_classes,
        answers=ks,
        majority_accuracy=maj,
        weighted_accuracy=wtd,
        std_error=se,
        majority_needed=m_need,
        weighted_needed=w_need,
        price_per_answer=price,
        cost_per_item=per_item,
        cost_per_clean_label=per_clean,
    )
