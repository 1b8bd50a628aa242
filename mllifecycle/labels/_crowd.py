"""Crowd-label aggregation: several unreliable workers per task, one label out.

Answers come in long format, one row per (task, worker, label). Every
aggregator encodes the ids once (``np.unique``), then works on integer arrays:
the E- and M-steps are ``np.bincount`` sums over answers or products with a
sparse (task x worker-label) count matrix, so a pass costs O(number of
answers) and several million answers fit in memory.

Every aggregator returns a :class:`CrowdResult` whose ``proba`` is an
``(n_tasks, n_classes)`` posterior array with rows in the order of ``tasks``
and columns in the order of ``classes``: the ``classes`` argument in its own
order when given, else the sorted class labels. A categorical label column
(pandas ``category``, polars ``Enum``, Arrow dictionary) declares the class
set, unused categories included, but not the order: its categories are
sorted too, as scikit-learn sorts ``classes_`` and as every function of
:mod:`mllifecycle.labels` that takes labels orders them, so ``proba`` of the
same column means the same classes everywhere.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._results import ARRAY_EQ, attrs_to_dict, format_value, html_table, jsonable
from mllifecycle._validation import (
    RNGLike,
    check_int,
    check_labels_of_one_kind,
    check_option,
    check_rng,
    check_same_label_kind,
    check_scalar,
    described,
    fail,
    label_kinds,
)
from mllifecycle.exceptions import DegenerateDataWarning

__all__ = [
    "CrowdResult",
    "majority_vote",
    "wawa",
    "dawid_skene",
    "one_coin",
    "glad",
    "mace",
    "zero_based_skill",
    "aggregate",
    "METHODS",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

_DUPLICATES = ("raise", "first", "last", "keep")


# --------------------------------------------------------------------------- result


# compared by value (two runs with one seed, a pickle round trip, are equal);
# unsafe_hash=False: it holds arrays, so it is unhashable (as arrays are)
@attrs.frozen(kw_only=True, repr=False, unsafe_hash=False)
class CrowdResult:
    """Aggregated crowd labels with the evidence: posteriors, worker skills, convergence.

    Attributes
    ----------
    tasks : ndarray of shape (n_tasks,)
        Task ids, sorted (or in order of first appearance when the ids cannot
        be compared); the row order of ``proba``, ``labels`` and ``confidence``.
    classes : ndarray of shape (n_classes,)
        Class labels; the column order of ``proba`` and of every confusion
        matrix (sorted labels seen in the answers, or the ``classes`` argument
        in its own order, or the sorted categories of a categorical label
        column, unused ones included).
    proba : ndarray of shape (n_tasks, n_classes)
        Posterior probability of each class for each task (rows sum to 1).
        Gold tasks have a one-hot row at their gold label.
    labels : ndarray of shape (n_tasks,)
        Most probable class of each task. Ties go to the class with the larger
        estimated ``prior`` (the more frequent class; for :func:`majority_vote`
        the class more frequent over all answers), remaining ties at random
        with ``rng``.
    workers : ndarray of shape (n_workers,)
        Worker ids, in the order of ``skills`` and ``confusion``.
    skills : ndarray of shape (n_workers,)
        The method's own skill parameter (see each function's Returns section).
    confusion : ndarray of shape (n_workers, n_classes, n_classes)
        ``confusion[w, k, l]``: estimated probability that worker ``w`` answers
        ``classes[l]`` on a task whose true class is ``classes[k]``. For
        Dawid-Skene this is the fitted parameter; for the other methods the
        confusion implied by the final posterior (one Dawid-Skene M-step).
    spammer_score : ndarray of shape (n_workers,)
        Mean total-variation distance between the rows of each worker's
        confusion matrix (Raykar and Yu, 2011): 0 when the answer does not
        depend on the true class (a uniform or always-one-class spammer), 1 for
        a perfect worker. Classes no answer or gold label names (unused
        categories, unchosen ``classes=``) are left out, rows renormalised,
        so declaring them does not move the score (unless fewer than two
        classes are used).
    worker_n_answers : ndarray of shape (n_workers,)
        Number of answers each worker gave.
    prior : ndarray of shape (n_classes,)
        Estimated class balance.
    task_difficulty : ndarray of shape (n_tasks,) or None
        GLAD only: ``exp(-beta)``, the inverse of the task's estimated ease
        (larger is harder).
    method : str
    n_iter : int
        EM (or voting) iterations run.
    converged : bool
        Whether the stopping rule was met before ``max_iter``.
    log_likelihood : float
        Final observed-data log-likelihood (NaN for the voting methods).
    n_tasks, n_workers, n_answers, n_gold : int
    gold_accuracy : float or None
        With gold labels: accuracy on the gold tasks of the posterior computed
        from the workers' answers alone with the final parameters (slightly
        optimistic, since the gold labels also informed the parameters).

    Examples
    --------
    >>> from mllifecycle.labels import dawid_skene
    >>> answers = [[t, w, "yes" if t % 2 and w < 2 else "no"]
    ...            for t in range(20) for w in range(3)]
    >>> res = dawid_skene(answers, rng=0)
    >>> res.classes.tolist(), res.proba.shape, res.labels[:4].tolist()
    (['no', 'yes'], (20, 2), ['no', 'yes', 'no', 'yes'])
    >>> res.spammer_score.round(1).tolist()
    [1.0, 1.0, 0.0]
    """

    tasks: npt.NDArray[Any] = attrs.field(eq=ARRAY_EQ)
    classes: npt.NDArray[Any] = attrs.field(eq=ARRAY_EQ)
    proba: FloatArray = attrs.field(eq=ARRAY_EQ)
    labels: npt.NDArray[Any] = attrs.field(eq=ARRAY_EQ)
    workers: npt.NDArray[Any] = attrs.field(eq=ARRAY_EQ)
    skills: FloatArray = attrs.field(eq=ARRAY_EQ)
    confusion: FloatArray = attrs.field(eq=ARRAY_EQ)
    spammer_score: FloatArray = attrs.field(eq=ARRAY_EQ)
    worker_n_answers: npt.NDArray[np.int64] = attrs.field(eq=ARRAY_EQ)
    prior: FloatArray = attrs.field(eq=ARRAY_EQ)
    task_difficulty: FloatArray | None = attrs.field(eq=ARRAY_EQ)
    method: str
    n_iter: int
    converged: bool
    # NaN for the voting methods: NaN equal to NaN
    log_likelihood: float = attrs.field(eq=ARRAY_EQ)
    n_tasks: int
    n_workers: int
    n_answers: int
    n_gold: int
    gold_accuracy: float | None = attrs.field(eq=ARRAY_EQ)

    @property
    def confidence(self) -> FloatArray:
        """Posterior probability of the chosen label, per task."""
        return np.asarray(self.proba.max(axis=1), dtype=np.float64)

    def spammers(self, threshold: float = 0.2) -> npt.NDArray[Any]:
        """Return the ids of workers whose ``spammer_score`` is below ``threshold``.

        Examples
        --------
        >>> import numpy as np
        >>> from mllifecycle.labels import dawid_skene
        >>> answers = np.array([[t, w, (t % 2) if w < 4 else 0]
        ...                     for t in range(40) for w in range(5)])
        >>> dawid_skene(answers).spammers().tolist()
        [4]
        """
        check_scalar(threshold, "threshold", caller="CrowdResult.spammers", low=0.0, high=1.0)
        return self.workers[self.spammer_score < threshold]

    def to_dict(self) -> dict[str, Any]:
        """Return every field as JSON-safe Python (arrays become lists)."""
        out = attrs_to_dict(self)
        out["confidence"] = jsonable(self.confidence)
        return out

    def to_metrics(self) -> dict[str, float]:
        """Return flat summary numbers (for ``mlflow.log_metrics``)."""
        out = {
            "n_tasks": float(self.n_tasks),
            "n_workers": float(self.n_workers),
            "n_answers": float(self.n_answers),
            "n_iter": float(self.n_iter),
            "converged": float(self.converged),
            "log_likelihood": float(self.log_likelihood),
            "mean_confidence": float(self.confidence.mean()),
            "mean_spammer_score": float(self.spammer_score.mean()),
        }
        if self.gold_accuracy is not None:
            out["gold_accuracy"] = float(self.gold_accuracy)
        return out

    def __repr__(self) -> str:
        gold = "" if self.gold_accuracy is None else (
            f", gold_accuracy={format_value(self.gold_accuracy)}"
        )
        return (
            f"CrowdResult(method={self.method!r}, n_tasks={self.n_tasks}, "
            f"n_workers={self.n_workers}, n_answers={self.n_answers}, "
            f"classes={self.classes.tolist()!r}, n_iter={self.n_iter}, "
            f"converged={self.converged}, "
            f"mean_confidence={format_value(float(self.confidence.mean()))}{gold})"
        )

    def _repr_html_(self) -> str:
        summary: list[tuple[str, Any]] = [("method", self.method)]
        summary += list(self.to_metrics().items())
        order = np.argsort(self.spammer_score)[:10]
        workers = [
            (str(self.workers[i]), int(self.worker_n_answers[i]), float(self.skills[i]),
             float(self.spammer_score[i]))
            for i in order
        ]
        return html_table(summary, ["field", "value"], caption="CrowdResult") + html_table(
            workers,
            ["worker", "answers", "skill", "spammer_score"],
            caption="least informative workers",
        )


# --------------------------------------------------------------------------- input


@attrs.frozen
class _Answers:
    """Answers encoded as integer arrays (one entry per kept answer)."""

    t: IntArray
    w: IntArray
    y: IntArray
    tasks: npt.NDArray[Any]
    workers: npt.NDArray[Any]
    classes: npt.NDArray[Any]
    gold_idx: IntArray  # task indices with a gold label
    gold_y: IntArray  # their class indices

    @property
    def n_tasks(self) -> int:
        return len(self.tasks)

    @property
    def n_workers(self) -> int:
        return len(self.workers)

    @property
    def n_classes(self) -> int:
        return len(self.classes)


def _missing(arr: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """Mask of None / NaN entries of a 1-D array of any dtype."""
    if arr.dtype.kind == "f":
        return np.asarray(np.isnan(arr), dtype=np.bool_)
    if arr.dtype.kind == "O":
        none = np.frompyfunc(lambda v: v is None, 1, 1)(arr).astype(bool)
        return np.asarray(none | (arr != arr), dtype=np.bool_)
    return np.zeros(arr.shape, dtype=bool)


def _label_array(values: Any) -> npt.NDArray[Any]:
    """``np.asarray`` of a 1-D sequence of labels, as objects when NumPy would change them.

    ``np.asarray([0, "a"])`` reads the class ``0`` as the string ``"0"``, and
    ``np.asarray([True, 2])`` the flag ``True`` as the number ``1``: a list
    or tuple of labels of two kinds is kept as objects, so the kinds can be
    checked (:func:`_refuse_flags_with_numbers`).
    """
    arr = np.asarray(values)
    if arr.ndim == 1 and arr.dtype != object and (
        (arr.dtype.kind in "US" and arr.tolist() != list(values))
        or (isinstance(values, list | tuple) and len(label_kinds(values)) > 1)
    ):
        obj = np.empty(len(arr), dtype=object)
        obj[:] = list(values)
        return obj
    return arr


#: the two label kinds Python and NumPy compare as one value (``True == 1``)
_FLAGS_AND_NUMBERS = ("booleans", "numbers")


def _flag_or_number(kinds: dict[str, Any]) -> dict[str, Any]:
    """Keep the booleans and numbers of :func:`label_kinds` output (text and the rest out)."""
    return {k: v for k, v in kinds.items() if k in _FLAGS_AND_NUMBERS}


def _refuse_flags_with_numbers(values: Any, name: str, caller: str, *,
                               expected: str | None = None) -> dict[str, Any]:
    """Return :func:`label_kinds` of ``values``; refuse booleans beside numbers.

    ``True == 1`` (and hashes alike), so a flag and a count would be one class
    (or one id) in every dict lookup and ``np.unique``. Text beside numbers
    is kept apart by equality (and ``1`` beside ``"1"`` is refused by
    :func:`_refuse_two_spellings`), so mixed ``[0, "a"]`` classes still work.
    """
    kinds = label_kinds(values)
    both = _flag_or_number(kinds)
    if len(both) > 1:
        check_labels_of_one_kind(
            list(both.values()), name, caller,
            expected=expected or "labels that are not booleans and numbers at once (True == 1 "
            "would make a flag and a count one class)")
    return kinds


def _same_flag_kind(kinds: dict[str, Any], name: str, like_kinds: dict[str, Any],
                    like_name: str, caller: str, *, noun: str = "labels") -> None:
    """Refuse booleans where ``like_name`` has numbers, or numbers where it has booleans."""
    check_same_label_kind(_flag_or_number(kinds), name, _flag_or_number(like_kinds), like_name,
                          caller, noun=noun,
                          hint="True == 1 would merge them: convert one of them")


def _encode(values: npt.NDArray[Any]) -> tuple[npt.NDArray[Any], IntArray]:
    """Return (unique ids, integer code per value): sorted, else first appearance."""
    try:
        uniq, inv = np.unique(values, return_inverse=True)
        return uniq, inv.reshape(-1).astype(np.intp)
    except TypeError:  # mixed, incomparable types
        index: dict[Any, int] = {}
        codes = np.fromiter(
            (index.setdefault(v, len(index)) for v in values.tolist()),
            dtype=np.intp,
            count=len(values),
        )
        keys = np.empty(len(index), dtype=object)
        keys[:] = list(index)
        return keys, codes


def _refuse_two_spellings(ids: npt.NDArray[Any], column: Any, caller: str) -> None:
    """Refuse distinct ids or labels that read the same (``1`` and ``"1"``).

    Values of mixed types are kept apart by equality, so a label typed ``"1"``
    among ``1``s would be another class (and a task id another task).
    """
    if ids.dtype != object:  # one NumPy dtype: distinct values read differently
        return
    seen: dict[str, Any] = {}
    for v in ids.tolist():
        text = str(v)
        if text in seen:
            fail("answers", f"one spelling per value in column {column!r} (ids and labels "
                 "of one type: 1 and '1' are not told apart)",
                 described(f"{seen[text]!r} and {v!r}, which read the same"), caller)
        seen[text] = v


def _column(table: Any, key: Any, position: int, name: str, caller: str) -> npt.NDArray[Any]:
    from mllifecycle._frames import column_to_numpy

    if isinstance(table, np.ndarray):
        return table[:, position]
    try:
        col = table[key]
    except (KeyError, IndexError, TypeError, ValueError):
        cols = list(table.keys())
        fail(name, f"a table with a column {key!r}", described(f"columns {cols!r}"), caller)
    # a list column as given: np.asarray([True, 1]) holds two 1s
    arr = _label_array(col) if isinstance(col, list | tuple) else column_to_numpy(col)
    if arr.ndim != 1:
        fail(name, f"a 1-D column {key!r}", described(f"shape {arr.shape}"), caller)
    return arr


def _raw_column(answers: Any, key: Any) -> Any:
    """Return the column ``key`` of a pandas table or a mapping as given (else None)."""
    from mllifecycle._frames import frame_kind

    try:
        if frame_kind(answers) == "pandas" or isinstance(answers, Mapping):
            return answers[key]
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return None


def _declared_classes(answers: Any, key: Any) -> list[Any] | None:
    """Return the categories of a categorical label column, in declared order (sorted later).

    A ``Categorical``'s categories are its declared label set (``pd.get_dummies``
    and ``value_counts`` keep the unused ones): they are the classes, as if
    passed as ``classes=``. So are a polars ``Enum``'s categories and an
    Arrow dictionary column's dictionary. ``None`` for any other column.
    """
    from mllifecycle._frames import series_kind

    col = _raw_column(answers, key)
    if series_kind(col) == "pandas" and str(col.dtype) == "category":
        return list(col.cat.categories.tolist())
    if type(col).__name__ == "Categorical" and hasattr(col, "categories"):
        return list(col.categories.tolist())
    if col is None:
        from mllifecycle._frames import frame_kind

        if frame_kind(answers) not in ("polars", "pyarrow"):
            return None
        try:
            col = answers[key]
        except (KeyError, IndexError, TypeError, ValueError):
            return None
    return _enum_categories(col)


def _sorted_if_comparable(values: list[Any]) -> list[Any]:
    """Return ``values`` sorted (as ``np.unique`` sorts labels), or as given if they cannot be."""
    try:
        return sorted(values)
    except TypeError:  # categories of incomparable types: declared order
        return list(values)


def _enum_categories(col: Any) -> list[Any] | None:
    """Return the declared categories of a polars ``Enum`` or Arrow dictionary column.

    They are what a pandas categorical column's are (a pandas one becomes an
    Arrow dictionary column holding all its categories): read as sorted
    labels instead, an unused category had no column in ``proba`` and the
    columns were in another order than for the same column in pandas.
    """
    from mllifecycle._frames import series_kind

    kind = series_kind(col)
    if kind == "polars":
        import polars as pl

        return list(col.dtype.categories.to_list()) if isinstance(col.dtype, pl.Enum) else None
    if kind != "pyarrow" or not hasattr(col, "type"):
        return None
    import pyarrow as pa

    if not pa.types.is_dictionary(col.type):
        return None
    chunks = list(col.chunks) if hasattr(col, "chunks") else [col]
    dicts = [c.dictionary for c in chunks]
    if not dicts or any(not d.equals(dicts[0]) for d in dicts[1:]):
        return None  # chunks of their own dictionaries: no one declared set
    return list(dicts[0].to_pylist())


def _date_column(table: Any, key: Any, position: int | None = None) -> Any:
    """Return a table's column as pandas gives it when it holds dates (else the raw column).

    A pandas column (or a mapping's) is returned as it is. A polars or Arrow
    column of dates or durations is returned as a pandas Series (time zone
    kept): through NumPy its dates were naive UTC times, so the ids of a
    time-zone-aware column no longer matched gold keyed by the column's own
    datetimes (n_gold 0), nor gold given as a pandas table.
    """
    from mllifecycle._frames import frame_kind

    raw = _raw_column(table, key) if position is None else None
    kind = frame_kind(table)
    if raw is not None or kind not in ("polars", "pyarrow"):
        return raw
    try:
        if kind == "polars":
            frame = table.collect() if type(table).__name__ == "LazyFrame" else table
            col = frame.to_series(position) if position is not None else frame.get_column(key)
            temporal = col.dtype.is_temporal()
        else:
            import pyarrow as pa

            col = table.column(position if position is not None else key)
            temporal = pa.types.is_temporal(col.type)
    except (KeyError, IndexError, TypeError, ValueError, LookupError):
        return None
    return col.to_pandas() if temporal else None


def _as_timestamps(raw: Any, arr: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Dates and durations as pandas Timestamps / Timedeltas (objects), missing as None.

    Through NumPy a time-zone-aware column became naive UTC times and a
    nanosecond one integers (``tolist``), so ids no longer matched the ids
    the caller holds: gold keyed by the column's own Timestamps was silently
    ignored. Other columns are returned as they are.
    """
    kind = getattr(getattr(raw, "dtype", None), "kind", None)
    if kind not in ("m", "M") and arr.dtype.kind not in "mM":
        return arr
    try:
        import pandas as pd
    except ImportError:  # a NumPy datetime64 array without pandas: kept as is
        return arr
    from mllifecycle._frames import series_kind

    values = (raw.tolist() if series_kind(raw) == "pandas" or isinstance(raw, pd.Index)
              else pd.Series(arr).tolist())
    out = np.empty(len(values), dtype=object)
    out[:] = [None if v is pd.NaT else v for v in values]
    return out


def _read_answers(
    answers: Any,
    *,
    columns: Sequence[Any],
    classes: Any,
    gold: Any,
    duplicates: str,
    caller: str,
) -> _Answers:
    """Validate and encode long-format answers (the boundary check of every aggregator)."""
    check_option(duplicates, "duplicates", _DUPLICATES, caller)
    if isinstance(columns, str) or len(columns) != 3:
        fail("columns", "three column names (task, worker, label)", columns, caller)
    if answers is None or isinstance(answers, str | bytes):
        fail("answers", "a DataFrame, a mapping of columns or an (n_answers, 3) array",
             answers, caller)
    from mllifecycle._frames import is_frame, to_columns

    table: Any = answers
    declared = _declared_classes(answers, columns[2]) if classes is None else None
    if declared is not None:
        # sorted, as scikit-learn's classes_ (and find_label_issues) order the
        # same column: in declared order, proba's columns were read as other
        # classes by every function that sorts them
        declared = _sorted_if_comparable(declared)
    if is_frame(answers):
        names, frame_cols = to_columns(answers)
        for key in columns:
            if sum(1 for c in names if c == key) > 1:  # a dict would keep the last one
                fail("answers", f"a table with one column named {key!r}",
                     described(f"columns {names!r}"), caller)
        table = dict(zip(names, frame_cols, strict=True))
    elif not isinstance(answers, Mapping):
        try:
            table = np.asarray(answers, dtype=object if not isinstance(
                answers, np.ndarray) else None)
        except (ValueError, TypeError) as exc:
            fail("answers", "an (n_answers, 3) array-like",
                 described(f"input NumPy cannot convert ({exc})"), caller)
        if table.ndim != 2 or table.shape[1] != 3:
            if table.size == 0:
                fail("answers", "at least one answer", described("no answers"), caller)
            fail("answers", "an (n_answers, 3) array of task, worker, label",
                 described(f"shape {table.shape}"), caller)
    cols = [
        _column(table, key, i, "answers", caller)
        for i, key in enumerate(columns)
    ]
    # dates as the caller wrote them (time zone kept, not integers)
    cols = [_as_timestamps(_date_column(answers, key), col)
            for key, col in zip(columns, cols, strict=True)]
    n = len(cols[0])
    if any(len(c) != n for c in cols):
        fail("answers", "columns of equal length",
             described(f"lengths {[len(c) for c in cols]}"), caller)
    if n == 0:
        fail("answers", "at least one answer", described("no answers"), caller)
    for key, col in zip(columns, cols, strict=True):
        miss = _missing(col)
        if miss.any():
            hint = " (drop unanswered rows first)" if key == columns[2] else ""
            fail("answers", f"free of missing (None/NaN) values in column {key!r}{hint}",
                 described(f"{int(miss.sum())} missing value(s), first at row "
                           f"{int(np.flatnonzero(miss)[0])}"), caller)
    # True == 1: a flag and a count would be one task, worker or class
    kinds = [_refuse_flags_with_numbers(
        col, "answers", caller,
        expected=f"ids and labels of one kind in column {key!r} (booleans and numbers are "
        "not told apart: True == 1)") for key, col in zip(columns, cols, strict=True)]
    tasks, t = _encode(cols[0])
    workers, w = _encode(cols[1])
    if classes is None and declared is None:
        cls, y = _encode(cols[2])
    else:
        # a categorical label column's categories count as classes= (unused
        # ones included, in their declared order); they were dropped, so a
        # category nobody answered had no column in proba
        given = classes if classes is not None else declared
        cname = "classes" if classes is not None else "answers"
        cls = _label_array(given)
        if cls.ndim != 1 or len(cls) == 0:
            fail(cname, "a non-empty 1-D sequence of class labels", given, caller)
        cls_u, _ = _encode(cls)
        if len(cls_u) != len(cls):
            fail(cname, "distinct class labels", given, caller)
        cls_kinds = _refuse_flags_with_numbers(cls, cname, caller)
        _same_flag_kind(kinds[2], "answers", cls_kinds, "classes", caller,
                        noun=f"labels in column {columns[2]!r}")
        y = _lookup(cols[2], cls, "answers", caller, f"column {columns[2]!r}")
    for key, ids in zip(columns, (tasks, workers, cls), strict=True):
        _refuse_two_spellings(ids, key, caller)
    if len(cls) < 2:
        fail("answers", "labels of at least 2 distinct classes (or pass classes=)",
             described(f"only {cls.tolist()!r}"), caller)
    # duplicates
    key = t * len(workers) + w
    order = np.argsort(key, kind="stable")
    ks = key[order]
    dup = np.flatnonzero(ks[1:] == ks[:-1])
    keep: IntArray | None = None
    if dup.size:
        if duplicates == "raise":
            i = order[dup[0] + 1]
            fail("answers", "one answer per (task, worker) pair (or pass "
                 "duplicates='first', 'last' or 'keep')",
                 described(f"{dup.size} duplicate answer(s), e.g. task "
                           f"{tasks[t[i]:t[i] + 1].tolist()[0]!r} by worker "
                           f"{workers[w[i]:w[i] + 1].tolist()[0]!r}"), caller)
        if duplicates == "first":
            first = np.r_[True, ks[1:] != ks[:-1]]
            keep = np.sort(order[first])
        elif duplicates == "last":
            last = np.r_[ks[1:] != ks[:-1], True]
            keep = np.sort(order[last])
    if keep is not None:
        t, w, y = t[keep], w[keep], y[keep]
    gold_idx, gold_y = _read_gold(gold, tasks, cls, caller,
                                  "answers" if classes is None else "classes", columns)
    return _Answers(t=t, w=w, y=y, tasks=tasks, workers=workers, classes=cls,
                    gold_idx=gold_idx, gold_y=gold_y)


def _lookup(values: npt.NDArray[Any], keys: npt.NDArray[Any], name: str, caller: str,
            where: str) -> IntArray:
    """Index of each value in ``keys``; error naming the first unknown value."""
    table = {k: i for i, k in enumerate(keys.tolist())}
    vals = values.tolist()
    codes = np.fromiter((table.get(v, -1) for v in vals), dtype=np.intp, count=len(vals))
    bad = np.flatnonzero(codes < 0)
    if bad.size:
        fail(name, f"labels among the classes {keys.tolist()!r} in {where}",
             described(f"{bad.size} unknown label(s), e.g. {vals[bad[0]]!r}"), caller)
    return codes


def _read_gold(gold: Any, tasks: npt.NDArray[Any], classes: npt.NDArray[Any],
               caller: str, classes_from: str = "classes",
               columns: Sequence[Any] | None = None) -> tuple[IntArray, IntArray]:
    empty = np.zeros(0, dtype=np.intp)
    if gold is None:
        return empty, empty
    from mllifecycle._frames import frame_kind, is_frame, to_columns

    if is_frame(gold):
        gnames, gcols = to_columns(gold)
        if len(gcols) != 2:
            fail("gold", "a table of two columns (task, label)",
                 described(f"{len(gcols)} columns"), caller)
        order = [0, 1]
        if columns is not None and list(gnames) == [columns[2], columns[0]]:
            # columns named as the answers' label and task columns, label first:
            # read by position, the labels were taken for task ids (silently,
            # when both are small integers) and the task ids for labels
            order = [1, 0]
        # date ids as the answers' are read (zone kept, not integers): else
        # gold for those tasks matched none and was silently ignored
        pandas_table = frame_kind(gold) == "pandas"
        ids, labs = (_as_timestamps(gold.iloc[:, j] if pandas_table
                                    else _date_column(gold, None, j), gcols[j])
                     for j in order)
    elif hasattr(gold, "items"):
        items = list(gold.items())
        ids = np.empty(len(items), dtype=object)
        ids[:] = [k for k, _ in items]
        labs = np.empty(len(items), dtype=object)
        labs[:] = [v for _, v in items]
    else:
        g = np.asarray(gold, dtype=object)
        if g.ndim != 2 or g.shape[1] != 2:
            fail("gold", "a mapping task -> label or an (n, 2) array of (task, label)",
                 described(f"shape {g.shape}"), caller)
        ids, labs = g[:, 0], g[:, 1]
    if len(ids) == 0:
        return empty, empty
    if _missing(np.asarray(labs, dtype=object)).any():
        fail("gold", "no missing labels", described("None/NaN label(s)"), caller)
    # gold True for the class 1 (or task 1) would be found by the dict lookups below
    gold_kinds = _refuse_flags_with_numbers(labs, "gold", caller)
    _same_flag_kind(gold_kinds, "gold", label_kinds(classes), classes_from, caller)
    id_kinds = _refuse_flags_with_numbers(
        ids, "gold", caller, expected="task ids that are not booleans and numbers at once "
        "(True == 1)")
    _same_flag_kind(id_kinds, "gold", label_kinds(tasks), "answers", caller, noun="task ids")
    y = _lookup(np.asarray(labs, dtype=object), classes, "gold", caller, "gold")
    task_code = {k: i for i, k in enumerate(tasks.tolist())}
    idx = np.fromiter((task_code.get(k, -1) for k in np.asarray(ids, dtype=object).tolist()),
                      dtype=np.intp, count=len(ids))
    known = idx >= 0  # gold for tasks nobody answered is ignored
    if not known.all():  # ... unless the id is a task's id written another way
        text = {str(k): k for k in tasks.tolist()}
        for k in np.asarray(ids, dtype=object)[~known].tolist():
            if str(k) in text:
                fail("gold", "task ids of the answers' type (gold for a task nobody "
                     "answered is ignored)",
                     described(f"task id {k!r} where the answers have {text[str(k)]!r}"),
                     caller)
    idx, y = idx[known], y[known]
    if len(np.unique(idx)) != len(idx):
        fail("gold", "one label per task", described("a task listed twice"), caller)
    return idx, y


def _check_common(max_iter: Any, tol: Any, caller: str) -> tuple[int, float]:
    return (check_int(max_iter, "max_iter", caller=caller, low=1),
            check_scalar(tol, "tol", caller=caller, low=0.0))


# --------------------------------------------------------------------------- kernels


def _counts(data: _Answers, weights: FloatArray | None = None) -> FloatArray:
    """(n_tasks, n_classes) (weighted) vote counts."""
    n, k = data.n_tasks, data.n_classes
    wts = None if weights is None else weights[data.w]
    out = np.bincount(data.t * k + data.y, weights=wts, minlength=n * k)
    return np.asarray(out, dtype=np.float64).reshape(n, k)


def _shares(counts: FloatArray) -> FloatArray:
    tot = _rowsum(counts)[:, None]
    k = counts.shape[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(tot > 0, counts / np.where(tot > 0, tot, 1.0), 1.0 / k)
    return np.asarray(out, dtype=np.float64)


def _clamp(data: _Answers, post: FloatArray) -> FloatArray:
    if data.gold_idx.size:
        post[data.gold_idx] = 0.0
        post[data.gold_idx, data.gold_y] = 1.0
    return post


def _rowmax(a: FloatArray) -> FloatArray:
    """Row maxima; a loop over the few columns beats ``max(axis=1)`` on (n, k) arrays."""
    if a.shape[1] > 32:
        return np.asarray(a.max(axis=1), dtype=np.float64)
    m = a[:, 0].copy()
    for c in range(1, a.shape[1]):
        np.maximum(m, a[:, c], out=m)
    return m


def _rowsum(a: FloatArray) -> FloatArray:
    """Row sums (a matrix-vector product: faster than ``sum(axis=1)`` for few columns)."""
    return np.asarray(a @ np.ones(a.shape[1]), dtype=np.float64)


def _normalise_log(logp: FloatArray) -> tuple[FloatArray, float]:
    """Row-normalise log-probabilities; return (probabilities, sum of log normalisers)."""
    m = _rowmax(logp)
    e = np.exp(logp - m[:, None])
    z = _rowsum(e)
    e /= z[:, None]
    return e, float(np.log(z).sum() + m.sum())


def _argmax_random(post: FloatArray, rng: np.random.Generator,
                   prior: FloatArray | None = None) -> IntArray:
    """Row argmax; ties (within 1e-12) go to the class of larger ``prior``, then at random."""
    top = post >= _rowmax(post)[:, None] - 1e-12
    if prior is not None:
        pri = np.where(top, prior[None, :], -1.0)
        top &= pri >= pri.max(axis=1, keepdims=True) - 1e-12
    noise = rng.random(post.shape) * top
    return np.asarray(noise.argmax(axis=1), dtype=np.intp)


def _incidence(data: _Answers) -> Any:
    """Sparse (n_tasks, n_workers * n_classes) answer counts (CSR)."""
    from scipy import sparse

    k = data.n_classes
    ones = np.ones(len(data.t))
    return sparse.csr_matrix(
        (ones, (data.t, data.w * k + data.y)),
        shape=(data.n_tasks, data.n_workers * k),
    )


def _confusion_from(data: _Answers, post: FloatArray, smoothing: float,
                    incidence: Any = None) -> FloatArray:
    """One Dawid-Skene M-step: (n_workers, n_classes, n_classes) confusion matrices."""
    s = _incidence(data) if incidence is None else incidence
    k, nw = data.n_classes, data.n_workers
    c = np.asarray(s.T @ post).reshape(nw, k, k).transpose(0, 2, 1) + smoothing
    tot = c.sum(axis=2, keepdims=True)
    return np.asarray(c / np.where(tot > 0, tot, 1.0), dtype=np.float64)


#: above this many classes the spammer score sums sorted confusion columns
#: instead of differencing every pair of rows (n_workers * k**3 / 2 floats)
_PAIRWISE_MAX_CLASSES = 64
#: floats of pairwise differences held at once (32 MiB)
_PAIRWISE_BLOCK = 1 << 22


def _spammer_score(conf: FloatArray, used: npt.NDArray[np.bool_] | None = None) -> FloatArray:
    """Mean total-variation distance between the confusion rows of the ``used`` classes.

    A declared class no answer and no gold label names (an unused category,
    a ``classes=`` entry nobody chose) has a row fitted from smoothing alone,
    not from any task: counted in, it moved every worker's score (a perfect
    Dawid-Skene worker's 0.99 became 0.76 beside one unused class), so its
    row and column are left out (rows renormalised) while at least two
    classes are used.
    """
    if used is not None and 2 <= int(used.sum()) < len(used):
        conf = conf[:, used][:, :, used]  # answers of unused classes: smoothing only
        tot = conf.sum(axis=2, keepdims=True)
        conf = conf / np.where(tot > 0, tot, 1.0)
    n_workers, k = conf.shape[0], conf.shape[1]
    if k > _PAIRWISE_MAX_CLASSES:
        # all k (k - 1) / 2 row pairs at once held n_workers * k**3 / 2 floats:
        # 104 GiB (MemoryError) for 4 workers and 2000 classes. Per answer
        # column, the sum of |x_a - x_b| over pairs is sum_r x_(r) (2r - k + 1)
        # over the sorted values x_(r): O(k**2 log k) time, O(k**2) memory
        ranked = np.sort(conf, axis=1)
        coef = 2.0 * np.arange(k) - (k - 1)
        total = np.einsum("wrl,r->w", ranked, coef)
        # clipped: rounding left a uniform spammer at -2.5e-17
        return np.asarray(np.clip(total / (k * (k - 1)), 0.0, 1.0), dtype=np.float64)
    i, j = np.triu_indices(k, 1)
    # in blocks of workers: the pair differences of every worker at once are
    # k / 2 times the size of the confusion matrices
    out = np.empty(n_workers, dtype=np.float64)
    step = max(1, _PAIRWISE_BLOCK // max(len(i) * k, 1))
    for start in range(0, n_workers, step):
        block = conf[start:start + step]
        tv = 0.5 * np.abs(block[:, i, :] - block[:, j, :]).sum(axis=2)
        out[start:start + step] = tv.mean(axis=1)
    return out


def _used_classes(data: _Answers) -> npt.NDArray[np.bool_]:
    """Classes some answer or gold label names."""
    used = np.zeros(data.n_classes, dtype=bool)
    used[data.y] = True
    used[data.gold_y] = True
    return used


def _prior_from(post: FloatArray, smoothing: float) -> FloatArray:
    p = post.sum(axis=0) + smoothing
    return np.asarray(p / p.sum(), dtype=np.float64)


def _one_coin_loglik_parts(data: _Answers, p_right: FloatArray, log_wrong: FloatArray,
                           prior: FloatArray) -> FloatArray:
    """Return log prior + sum of per-answer log-likelihoods under a one-coin model.

    ``p_right[a]`` is log P(answer a | true class = answer), ``log_wrong[a]``
    log P(answer a | a given other true class).
    """
    n, k = data.n_tasks, data.n_classes
    base = np.bincount(data.t, weights=log_wrong, minlength=n)
    bonus = np.bincount(data.t * k + data.y, weights=p_right - log_wrong,
                        minlength=n * k).reshape(n, k)
    # a class of prior 0 (unchosen, with smoothing=0) is impossible: log 0 = -inf,
    # as in the Dawid-Skene E-step, not a RuntimeWarning (an error under -W error)
    with np.errstate(divide="ignore"):
        log_prior = np.log(prior)
    return np.asarray(log_prior[None, :] + base[:, None] + bonus, dtype=np.float64)


# --------------------------------------------------------------------------- finish


def _finish(data: _Answers, post: FloatArray, *, method: str, skills: FloatArray,
            prior: FloatArray, n_iter: int, converged: bool, log_likelihood: float,
            rng: np.random.Generator, free_post: FloatArray | None = None,
            confusion: FloatArray | None = None, smoothing: float = 0.01,
            task_difficulty: FloatArray | None = None, labels_idx: IntArray | None = None,
            tie_prior: FloatArray | None = None) -> CrowdResult:
    post = _clamp(data, post.copy())
    conf = _confusion_from(data, post, smoothing) if confusion is None else confusion
    pri = prior if tie_prior is None else tie_prior
    if labels_idx is None:
        labels_idx = _argmax_random(post, rng, pri)
    gold_acc: float | None = None
    if data.gold_idx.size:
        src = post if free_post is None else free_post
        pred = _argmax_random(src[data.gold_idx], rng, pri)
        gold_acc = float(np.mean(pred == data.gold_y))
    return CrowdResult(
        tasks=data.tasks,
        classes=data.classes,
        proba=post,
        labels=data.classes[labels_idx],
        workers=data.workers,
        skills=np.asarray(skills, dtype=np.float64),
        confusion=conf,
        spammer_score=_spammer_score(conf, _used_classes(data)),
        worker_n_answers=np.bincount(data.w, minlength=data.n_workers).astype(np.int64),
        prior=prior,
        task_difficulty=task_difficulty,
        method=method,
        n_iter=int(n_iter),
        converged=bool(converged),
        log_likelihood=float(log_likelihood),
        n_tasks=data.n_tasks,
        n_workers=data.n_workers,
        n_answers=len(data.t),
        n_gold=int(data.gold_idx.size),
        gold_accuracy=gold_acc,
    )


def _single_worker(data: _Answers, method: str, rng: np.random.Generator
                   ) -> CrowdResult | None:
    """With one worker no skill is identifiable: warn and return its answers as they are."""
    if data.n_workers != 1:
        return None
    warnings.warn(
        f"{method}: a single worker; its answers are returned as the labels (no model "
        "is fitted: a skill cannot be estimated without other workers to compare with)",
        DegenerateDataWarning,
        stacklevel=3,
    )
    post = _shares(_counts(data))
    return _finish(data, post, method=method, skills=np.full(1, math.nan),
                   prior=_prior_from(post, 0.0), n_iter=0, converged=True,
                   log_likelihood=math.nan, rng=rng, free_post=post.copy())


def _agreement(data: _Answers, labels_idx: IntArray) -> FloatArray:
    """Fraction of each worker's answers equal to ``labels_idx`` of the task."""
    hit = (data.y == labels_idx[data.t]).astype(np.float64)
    return _agreement_rate(data, hit)


def _agreement_rate(data: _Answers, hit: FloatArray) -> FloatArray:
    """Per worker, the mean of ``hit`` (one credit in [0, 1] per answer)."""
    n = np.bincount(data.w, minlength=data.n_workers)
    return np.asarray(np.bincount(data.w, weights=hit, minlength=data.n_workers)
                      / np.maximum(n, 1), dtype=np.float64)


def _tied_shares(post: FloatArray, prior: FloatArray) -> FloatArray:
    """One-hot rows of the most probable class; a tie split evenly among its classes.

    Ties (within 1e-12) go to the class of larger ``prior`` first, as in
    :func:`_argmax_random`; the classes still tied share the row. Crediting
    a worker with the share of a tied task is its expected agreement under a
    random tie-break, and depends on no class's name or position.
    """
    top = post >= _rowmax(post)[:, None] - 1e-12
    pri = np.where(top, prior[None, :], -1.0)
    top &= pri >= pri.max(axis=1, keepdims=True) - 1e-12
    return np.asarray(top / top.sum(axis=1, keepdims=True), dtype=np.float64)




# --------------------------------------------------------------------------- methods


def majority_vote(
    answers: Any,
    *,
    columns: Sequence[Any] = ("task", "worker", "label"),
    classes: Any = None,
    gold: Any = None,
    duplicates: str = "raise",
    rng: RNGLike = None,
) -> CrowdResult:
    """Aggregate crowd answers by majority vote.

    The posterior of a task is the share of its answers for each class; the
    label is the most frequent answer, ties going to the class more frequent
    over all answers, then at random with ``rng``. Right when workers are
    about equally reliable and there are no spammers; the baseline every other
    method must beat.

    Parameters
    ----------
    answers : DataFrame, mapping of columns, or array of shape (n_answers, 3)
        One row per answer: task id, worker id, label. Ids and labels may be
        any hashable values (strings, ints); None/NaN is refused.
    columns : sequence of 3 str, default=("task", "worker", "label")
        Column names of ``answers`` (ignored for a plain array, which is read
        by position).
    classes : sequence, optional
        All class labels, in the column order wanted for ``proba``. Default:
        the sorted distinct labels of ``answers``; for a categorical label
        column (pandas categorical, polars ``Enum``, Arrow dictionary), its
        categories, unused ones included, sorted as well (as scikit-learn's
        ``classes_`` are; declared order only if they cannot be compared).
        A label outside ``classes`` is an error.
    gold : mapping task -> label, or (n, 2) table of (task, label), optional
        Known true labels for some tasks. Their posteriors are clamped to the
        gold label during the fit (which sharpens the worker estimates) and
        ``gold_accuracy`` is reported. Gold for tasks without answers is ignored.
        A table is read by position, task then label (a table whose columns
        are named as the answers' label and task columns is read by name).
    duplicates : {"raise", "first", "last", "keep"}, default="raise"
        What to do with several answers by one worker on one task: refuse,
        keep the first or the last one (in row order), or keep all (each
        counted as independent evidence).
    rng : int, numpy.random.Generator or None, default=None
        Seed for breaking ties.

    Returns
    -------
    CrowdResult
        ``skills`` is each worker's agreement rate with the majority label.

    Examples
    --------
    >>> from mllifecycle.labels import majority_vote
    >>> answers = [["t1", "ann", "cat"], ["t1", "bob", "cat"], ["t1", "eve", "dog"],
    ...            ["t2", "ann", "dog"], ["t2", "bob", "dog"]]
    >>> res = majority_vote(answers, rng=0)
    >>> res.labels.tolist(), res.proba.round(2).tolist()
    (['cat', 'dog'], [[0.67, 0.33], [0.0, 1.0]])
    """
    caller = "majority_vote"
    data = _read_answers(answers, columns=columns, classes=classes, gold=gold,
                         duplicates=duplicates, caller=caller)
    gen = check_rng(rng, caller=caller)
    post = _shares(_counts(data))
    free = post.copy()
    # ties: the class more frequent over all answers (not the mean of the task shares)
    freq = np.bincount(data.y, minlength=data.n_classes).astype(np.float64)
    labels_idx = _argmax_random(_clamp(data, post.copy()), gen, freq)
    skills = _agreement(data, labels_idx)  # against the labels returned, ties included
    return _finish(data, post, method="majority_vote", skills=skills,
                   prior=_prior_from(post, 0.0), n_iter=1, converged=True,
                   log_likelihood=math.nan, rng=gen, free_post=free,
                   labels_idx=labels_idx, tie_prior=freq)


def wawa(
    answers: Any,
    *,
    columns: Sequence[Any] = ("task", "worker", "label"),
    classes: Any = None,
    gold: Any = None,
    duplicates: str = "raise",
    rng: RNGLike = None,
) -> CrowdResult:
    """Aggregate by worker agreement with aggregate (Wawa): a reweighted majority vote.

    Each worker's weight is its agreement rate with the majority vote; the
    posterior is the weighted vote share. One step, no model: cheap, robust,
    right when a few workers are much worse than the rest.

    Parameters
    ----------
    answers : DataFrame, mapping of columns, or array of shape (n_answers, 3)
        One row per answer: task id, worker id, label. Ids and labels may be
        any hashable values (strings, ints); None/NaN is refused.
    columns : sequence of 3 str, default=("task", "worker", "label")
        Column names of ``answers`` (ignored for a plain array, which is read
        by position).
    classes : sequence, optional
        All class labels, in the column order wanted for ``proba``. Default:
        the sorted distinct labels of ``answers``; for a categorical label
        column (pandas categorical, polars ``Enum``, Arrow dictionary), its
        categories, unused ones included, sorted as well (as scikit-learn's
        ``classes_`` are; declared order only if they cannot be compared).
        A label outside ``classes`` is an error.
    gold : mapping task -> label, or (n, 2) table of (task, label), optional
        Known true labels for some tasks. Their posteriors are clamped to the
        gold label during the fit (which sharpens the worker estimates) and
        ``gold_accuracy`` is reported. Gold for tasks without answers is ignored.
        A table is read by position, task then label (a table whose columns
        are named as the answers' label and task columns is read by name).
    duplicates : {"raise", "first", "last", "keep"}, default="raise"
        What to do with several answers by one worker on one task: refuse,
        keep the first or the last one (in row order), or keep all (each
        counted as independent evidence).
    rng : int, numpy.random.Generator or None, default=None
        Seed for breaking ties.

    Returns
    -------
    CrowdResult
        ``skills`` is each worker's agreement rate with the majority vote
        (the labels :func:`majority_vote` returns, ties included).

    References
    ----------
    Appen (CrowdFlower), "Wawa"; as implemented in crowd-kit (Ustalov et al., 2021,
    "Learning from Crowds with Crowd-Kit").

    Examples
    --------
    >>> from mllifecycle.labels import wawa
    >>> answers = [[t, w, t % 2 if w < 3 else 1] for t in range(6) for w in range(4)]
    >>> wawa(answers, rng=0).labels.tolist()
    [0, 1, 0, 1, 0, 1]
    """
    caller = "wawa"
    data = _read_answers(answers, columns=columns, classes=classes, gold=gold,
                         duplicates=duplicates, caller=caller)
    gen = check_rng(rng, caller=caller)
    mv = _clamp(data, _shares(_counts(data)))
    # the labels of majority_vote: ties to the class more frequent over all
    # answers (not the mean of the task shares)
    freq = np.bincount(data.y, minlength=data.n_classes).astype(np.float64)
    skills = _agreement(data, _argmax_random(mv, gen, freq))
    post = _shares(_counts(data, skills))
    return _finish(data, post, method="wawa", skills=skills, prior=_prior_from(post, 0.0),
                   n_iter=1, converged=True, log_likelihood=math.nan, rng=gen,
                   free_post=post.copy())


def zero_based_skill(
    answers: Any,
    *,
    columns: Sequence[Any] = ("task", "worker", "label"),
    classes: Any = None,
    gold: Any = None,
    duplicates: str = "raise",
    max_iter: int = 100,
    tol: float = 1e-5,
    learning_rate: float = 1.0,
    rng: RNGLike = None,
) -> CrowdResult:
    """Aggregate by Zero-Based Skill: weighted voting with skills fitted by gradient steps.

    Skills start at ``1/n_classes``; each iteration takes the skill-weighted
    majority label of every task (a tie goes to the class more frequent over
    all answers; classes still tied share the task, each credited ``1/n_tied``)
    and moves each skill towards the worker's
    accuracy against those labels, ``s <- s + lr * (accuracy - s)``, the
    learning rate halving every 20 iterations. Stops when no skill moves by
    more than ``tol``. A cheap middle ground between Wawa and a full model.

    Parameters
    ----------
    answers : DataFrame, mapping of columns, or array of shape (n_answers, 3)
        One row per answer: task id, worker id, label. Ids and labels may be
        any hashable values (strings, ints); None/NaN is refused.
    columns : sequence of 3 str, default=("task", "worker", "label")
        Column names of ``answers`` (ignored for a plain array, which is read
        by position).
    classes : sequence, optional
        All class labels, in the column order wanted for ``proba``. Default:
        the sorted distinct labels of ``answers``; for a categorical label
        column (pandas categorical, polars ``Enum``, Arrow dictionary), its
        categories, unused ones included, sorted as well (as scikit-learn's
        ``classes_`` are; declared order only if they cannot be compared).
        A label outside ``classes`` is an error.
    gold : mapping task -> label, or (n, 2) table of (task, label), optional
        Known true labels for some tasks. Their posteriors are clamped to the
        gold label during the fit (which sharpens the worker estimates) and
        ``gold_accuracy`` is reported. Gold for tasks without answers is ignored.
        A table is read by position, task then label (a table whose columns
        are named as the answers' label and task columns is read by name).
    duplicates : {"raise", "first", "last", "keep"}, default="raise"
        What to do with several answers by one worker on one task: refuse,
        keep the first or the last one (in row order), or keep all (each
        counted as independent evidence).
    max_iter : int, default=100
    tol : float, default=1e-5
        Stop when the largest skill change is at most ``tol``.
    learning_rate : float, default=1.0
        Initial step size, in (0, 1].
    rng : int, numpy.random.Generator or None, default=None
        Seed for breaking ties in the final labels.

    Returns
    -------
    CrowdResult
        ``skills`` are the fitted vote weights.

    References
    ----------
    Zero-Based Skill as defined by crowd-kit (Ustalov et al., 2021, "Learning
    from Crowds with Crowd-Kit", arXiv:2109.08584).

    Examples
    --------
    >>> from mllifecycle.labels import zero_based_skill
    >>> answers = [[t, w, t % 2 if w < 3 else 1] for t in range(6) for w in range(4)]
    >>> res = zero_based_skill(answers, rng=0)
    >>> res.labels.tolist(), bool(res.skills[3] < res.skills[0])
    ([0, 1, 0, 1, 0, 1], True)
    """
    caller = "zero_based_skill"
    data = _read_answers(answers, columns=columns, classes=classes, gold=gold,
                         duplicates=duplicates, caller=caller)
    max_iter, tol = _check_common(max_iter, tol, caller)
    lr = check_scalar(learning_rate, "learning_rate", caller=caller, low=0.0, high=1.0,
                      low_inclusive=False)
    gen = check_rng(rng, caller=caller)
    skills = np.full(data.n_workers, 1.0 / data.n_classes + 1e-5)
    # a tied task (equal weighted votes, as on every disagreement at the start,
    # when all skills are equal) went to the first class: a worker leaning to
    # it was credited with every tie, and renaming the classes swapped which
    # of two equally reliable workers came out perfect; ties go to the class
    # more frequent over all answers, and a remaining tie is shared
    freq = np.bincount(data.y, minlength=data.n_classes).astype(np.float64)
    converged = False
    it = 0
    for it in range(1, max_iter + 1):
        if it % 20 == 0:
            lr *= 0.5
        post = _clamp(data, _shares(_counts(data, skills)))
        hit = _tied_shares(post, freq)[data.t, data.y]
        new = skills + lr * (_agreement_rate(data, hit) - skills)
        step = float(np.max(np.abs(new - skills)))
        skills = new
        if step <= tol:
            converged = True
            break
    post = _shares(_counts(data, skills))
    return _finish(data, post, method="zero_based_skill", skills=skills,
                   prior=_prior_from(post, 0.0), n_iter=it, converged=converged,
                   log_likelihood=math.nan, rng=gen, free_post=post.copy())


def dawid_skene(
    answers: Any,
    *,
    columns: Sequence[Any] = ("task", "worker", "label"),
    classes: Any = None,
    gold: Any = None,
    duplicates: str = "raise",
    max_iter: int = 100,
    tol: float = 1e-6,
    smoothing: float = 0.01,
    rng: RNGLike = None,
) -> CrowdResult:
    """Aggregate by Dawid-Skene EM: a full confusion matrix per worker.

    Each worker ``w`` answers class ``l`` on a task of true class ``k`` with
    probability ``confusion[w, k, l]``; answers are independent given the
    true class. EM starts from the majority-vote posterior and alternates an
    M-step (class balance and confusion matrices from expected counts, plus
    ``smoothing`` pseudo-counts per cell) and an E-step (posterior of each
    task). Both steps are products with a sparse (task x worker-label) count
    matrix. Stops when the log-likelihood changes by at most
    ``tol * |log-likelihood|``.

    Right when workers have class-dependent errors (confusing two particular
    classes, always answering one class) and answer enough tasks each
    (tens per class) to estimate a ``K x K`` matrix.

    Parameters
    ----------
    answers : DataFrame, mapping of columns, or array of shape (n_answers, 3)
        One row per answer: task id, worker id, label. Ids and labels may be
        any hashable values (strings, ints); None/NaN is refused.
    columns : sequence of 3 str, default=("task", "worker", "label")
        Column names of ``answers`` (ignored for a plain array, which is read
        by position).
    classes : sequence, optional
        All class labels, in the column order wanted for ``proba``. Default:
        the sorted distinct labels of ``answers``; for a categorical label
        column (pandas categorical, polars ``Enum``, Arrow dictionary), its
        categories, unused ones included, sorted as well (as scikit-learn's
        ``classes_`` are; declared order only if they cannot be compared).
        A label outside ``classes`` is an error.
    gold : mapping task -> label, or (n, 2) table of (task, label), optional
        Known true labels for some tasks. Their posteriors are clamped to the
        gold label during the fit (which sharpens the worker estimates) and
        ``gold_accuracy`` is reported. Gold for tasks without answers is ignored.
        A table is read by position, task then label (a table whose columns
        are named as the answers' label and task columns is read by name).
    duplicates : {"raise", "first", "last", "keep"}, default="raise"
        What to do with several answers by one worker on one task: refuse,
        keep the first or the last one (in row order), or keep all (each
        counted as independent evidence).
    max_iter : int, default=100
    tol : float, default=1e-6
        Relative log-likelihood change that stops EM (0 runs ``max_iter``).
    smoothing : float, default=0.01
        Pseudo-count added to every confusion cell and class count (a
        symmetric Dirichlet prior; keeps log-probabilities finite).
    rng : int, numpy.random.Generator or None, default=None
        Seed for breaking ties in the final labels.

    Returns
    -------
    CrowdResult
        ``skills`` is each worker's estimated accuracy,
        ``sum_k prior[k] * confusion[w, k, k]``.

    References
    ----------
    A. P. Dawid and A. M. Skene (1979), "Maximum likelihood estimation of
    observer error-rates using the EM algorithm", Journal of the Royal
    Statistical Society C 28(1), 20-28.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.labels import dawid_skene
    >>> rng = np.random.default_rng(0)
    >>> truth = rng.integers(0, 2, 300)
    >>> rows = []
    >>> for t, k in enumerate(truth):
    ...     for w, acc in enumerate([0.9, 0.8, 0.7, 0.6, 0.55]):
    ...         rows.append((t, w, k if rng.random() < acc else 1 - k))
    >>> res = dawid_skene(np.array(rows), rng=0)
    >>> res.converged, bool((res.labels == truth).mean() > 0.9)
    (True, True)
    >>> res.skills.round(1).tolist()
    [0.9, 0.8, 0.7, 0.6, 0.5]
    """
    caller = "dawid_skene"
    data = _read_answers(answers, columns=columns, classes=classes, gold=gold,
                         duplicates=duplicates, caller=caller)
    max_iter, tol = _check_common(max_iter, tol, caller)
    smoothing = check_scalar(smoothing, "smoothing", caller=caller, low=0.0)
    gen = check_rng(rng, caller=caller)
    single = _single_worker(data, caller, gen)
    if single is not None:
        return single
    post, prior, conf, free, ll, it, conv = _ds_em(
        data, _incidence(data), max_iter=max_iter, tol=tol, smoothing=smoothing)
    skills = np.einsum("k,wkk->w", prior, conf)
    return _finish(data, post, method="dawid_skene", skills=skills, prior=prior, n_iter=it,
                   converged=conv, log_likelihood=ll, rng=gen, free_post=free,
                   confusion=conf)


def _ds_em(data: _Answers, s: Any, *, max_iter: int, tol: float, smoothing: float,
           init: FloatArray | None = None, fixed_prior: FloatArray | None = None,
           absent: npt.NDArray[np.bool_] | None = None
           ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, float, int, bool]:
    """Dawid-Skene EM on an incidence matrix ``s`` of shape (n_tasks, n_workers * n_resp).

    The response alphabet may be larger than the class set (the label model
    adds an "abstain" response). ``absent`` marks classes held at prior 0
    (classes no source ever names). Returns (posterior, prior, confusion, free
    posterior, log-likelihood, iterations, converged).
    """
    k = data.n_classes
    nresp = s.shape[1] // data.n_workers
    post = _clamp(data, _shares(_counts(data)) if init is None else init.copy())
    ll_old = -math.inf
    converged = False
    st = s.T.tocsr()
    it = 0
    conf = np.empty((data.n_workers, k, nresp))
    prior = np.full(k, 1.0 / k)
    free = post
    ll = -math.inf
    for it in range(1, max_iter + 1):  # noqa: B007 - it is reported
        prior = _prior_from(post, smoothing) if fixed_prior is None else fixed_prior
        if absent is not None and fixed_prior is None:
            prior = np.where(absent, 0.0, prior)
            prior = prior / prior.sum()
        c = np.asarray(st @ post).reshape(data.n_workers, nresp, k).transpose(0, 2, 1)
        c = c + smoothing
        tot = c.sum(axis=2, keepdims=True)
        conf = c / np.where(tot > 0, tot, 1.0)
        with np.errstate(divide="ignore"):
            logc = np.log(conf).transpose(0, 2, 1).reshape(-1, k)
            logp = np.log(prior)[None, :] + np.asarray(s @ logc)
        free, ll = _normalise_log(logp)
        post = _clamp(data, free.copy())
        if abs(ll - ll_old) <= tol * abs(ll):
            converged = True
            break
        ll_old = ll
    return post, prior, conf, free, ll, it, converged


def one_coin(
    answers: Any,
    *,
    columns: Sequence[Any] = ("task", "worker", "label"),
    classes: Any = None,
    gold: Any = None,
    duplicates: str = "raise",
    max_iter: int = 100,
    tol: float = 1e-6,
    smoothing: float = 0.01,
    rng: RNGLike = None,
) -> CrowdResult:
    """Aggregate by one-coin Dawid-Skene EM: one accuracy per worker.

    Worker ``w`` answers the true class with probability ``p[w]`` and each
    other class with probability ``(1 - p[w]) / (n_classes - 1)``. One
    parameter per worker instead of ``K x K``: right when workers answer few
    tasks each, or errors are not class-specific. EM as in
    :func:`dawid_skene`, from the majority-vote posterior.

    Parameters
    ----------
    answers : DataFrame, mapping of columns, or array of shape (n_answers, 3)
        One row per answer: task id, worker id, label. Ids and labels may be
        any hashable values (strings, ints); None/NaN is refused.
    columns : sequence of 3 str, default=("task", "worker", "label")
        Column names of ``answers`` (ignored for a plain array, which is read
        by position).
    classes : sequence, optional
        All class labels, in the column order wanted for ``proba``. Default:
        the sorted distinct labels of ``answers``; for a categorical label
        column (pandas categorical, polars ``Enum``, Arrow dictionary), its
        categories, unused ones included, sorted as well (as scikit-learn's
        ``classes_`` are; declared order only if they cannot be compared).
        A label outside ``classes`` is an error.
    gold : mapping task -> label, or (n, 2) table of (task, label), optional
        Known true labels for some tasks. Their posteriors are clamped to the
        gold label during the fit (which sharpens the worker estimates) and
        ``gold_accuracy`` is reported. Gold for tasks without answers is ignored.
        A table is read by position, task then label (a table whose columns
        are named as the answers' label and task columns is read by name).
    duplicates : {"raise", "first", "last", "keep"}, default="raise"
        What to do with several answers by one worker on one task: refuse,
        keep the first or the last one (in row order), or keep all (each
        counted as independent evidence).
    max_iter : int, default=100
    tol : float, default=1e-6
        Relative log-likelihood change that stops EM.
    smoothing : float, default=0.01
        Pseudo-count added to each worker's right and wrong answer counts.
    rng : int, numpy.random.Generator or None, default=None
        Seed for breaking ties in the final labels.

    Returns
    -------
    CrowdResult
        ``skills`` is each worker's accuracy ``p[w]``.

    References
    ----------
    A. P. Dawid and A. M. Skene (1979), JRSS C 28(1) 20-28 (the model with a
    single error rate per observer); H. Li and B. Yu (2014), "Error rate bounds
    and iterative weighted majority voting for crowdsourcing", arXiv:1411.4086;
    Y. Zhang, X. Chen, D. Zhou and M. I. Jordan (2014), "Spectral methods meet
    EM", NeurIPS.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.labels import one_coin
    >>> rng = np.random.default_rng(1)
    >>> truth = rng.integers(0, 3, 400)
    >>> acc = [0.9, 0.7, 0.5, 0.34]
    >>> rows = [(t, w, k if rng.random() < a else (k + rng.integers(1, 3)) % 3)
    ...         for t, k in enumerate(truth) for w, a in enumerate(acc)]
    >>> one_coin(rows, rng=0).skills.round(1).tolist()
    [0.9, 0.7, 0.5, 0.3]
    """
    caller = "one_coin"
    data = _read_answers(answers, columns=columns, classes=classes, gold=gold,
                         duplicates=duplicates, caller=caller)
    max_iter, tol = _check_common(max_iter, tol, caller)
    smoothing = check_scalar(smoothing, "smoothing", caller=caller, low=0.0)
    gen = check_rng(rng, caller=caller)
    single = _single_worker(data, caller, gen)
    if single is not None:
        return single
    k = data.n_classes
    nw = np.bincount(data.w, minlength=data.n_workers).astype(np.float64)
    post = _clamp(data, _shares(_counts(data)))
    free = post
    p = np.full(data.n_workers, 0.7)
    prior = np.full(k, 1.0 / k)
    ll_old, ll, conv, it = -math.inf, -math.inf, False, 0
    for it in range(1, max_iter + 1):  # noqa: B007
        prior = _prior_from(post, smoothing)
        right = np.bincount(data.w, weights=post[data.t, data.y], minlength=data.n_workers)
        p = (right + smoothing) / (nw + 2 * smoothing)
        p = np.clip(p, 1e-12, 1 - 1e-12)
        logp = _one_coin_loglik_parts(
            data, np.log(p)[data.w], np.log((1 - p) / (k - 1))[data.w], prior)
        free, ll = _normalise_log(logp)
        post = _clamp(data, free.copy())
        if abs(ll - ll_old) <= tol * abs(ll):
            conv = True
            break
        ll_old = ll
    return _finish(data, post, method="one_coin", skills=p, prior=prior, n_iter=it,
                   converged=conv, log_likelihood=ll, rng=gen, free_post=free,
                   smoothing=smoothing)


def _softplus(x: FloatArray) -> FloatArray:
    return np.asarray(np.logaddexp(0.0, x), dtype=np.float64)


def _sigmoid(x: FloatArray) -> FloatArray:
    from scipy.special import expit

    return np.asarray(expit(x), dtype=np.float64)


def _ascend(
    value: Callable[[FloatArray], FloatArray],
    x: FloatArray,
    step: FloatArray,
    v0: FloatArray,
    n_halvings: int = 30,
) -> FloatArray:
    """Per-coordinate backtracking: accept ``x + lr * step`` where it does not lower ``value``.

    ``value`` returns one objective term per coordinate (the objective is a
    sum of per-coordinate terms when the other block of parameters is fixed);
    ``v0`` is ``value(x)``.
    """
    lr = np.ones_like(x)
    new = x + step
    bad = np.zeros(x.shape, dtype=bool)
    for _ in range(n_halvings):
        v1 = value(new)
        bad = ~(v1 >= v0 - 1e-12 * np.abs(v0))
        if not bad.any():
            return new
        lr[bad] *= 0.5
        new = x + lr * step
    return np.where(bad, x, new)


def _glad_terms(data: _Answers, a: FloatArray, b: FloatArray, q: FloatArray,
                k: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per answer: expected complete-data log-likelihood, sigmoid(x) and x."""
    x = a[data.w] * np.exp(b[data.t])
    log_s = -_softplus(-x)  # log sigmoid(x); log(1 - sigmoid(x)) = log_s - x
    terms = log_s - (1 - q) * (x + math.log(k - 1))
    return terms, np.exp(log_s), x


def glad(
    answers: Any,
    *,
    columns: Sequence[Any] = ("task", "worker", "label"),
    classes: Any = None,
    gold: Any = None,
    duplicates: str = "raise",
    max_iter: int = 100,
    tol: float = 1e-6,
    m_step_iter: int = 2,
    alpha_prior_mean: float = 1.0,
    beta_prior_mean: float = 1.0,
    class_prior: Any = None,
    smoothing: float = 0.01,
    rng: RNGLike = None,
) -> CrowdResult:
    """Aggregate by GLAD: worker ability and task difficulty (Whitehill et al., 2009).

    A worker of ability ``alpha[w]`` answers a task of log-ease ``beta[t]``
    correctly with probability ``sigmoid(alpha[w] * exp(beta[t]))`` and each
    wrong class with the rest spread evenly. EM: the E-step is a sum over
    answers (``np.bincount``); the M-step maximises the expected
    log-likelihood plus standard-normal priors centred at
    ``alpha_prior_mean`` and ``beta_prior_mean`` by ``m_step_iter`` rounds of
    block-coordinate ascent, alternating all abilities (with difficulties
    fixed, one concave problem per worker) and all log-eases (one problem per
    task), each a vectorised Newton step with per-coordinate backtracking so
    the objective never decreases. The class balance is fixed (uniform by
    default, as in the paper): GLAD's one-coin likelihood lets an
    always-one-class spammer look able when the balance is free to follow it.

    Right when some tasks are much harder than others (answers on them are
    near chance even from good workers) and when adversarial workers exist
    (``alpha < 0``).

    Parameters
    ----------
    answers : DataFrame, mapping of columns, or array of shape (n_answers, 3)
        One row per answer: task id, worker id, label. Ids and labels may be
        any hashable values (strings, ints); None/NaN is refused.
    columns : sequence of 3 str, default=("task", "worker", "label")
        Column names of ``answers`` (ignored for a plain array, which is read
        by position).
    classes : sequence, optional
        All class labels, in the column order wanted for ``proba``. Default:
        the sorted distinct labels of ``answers``; for a categorical label
        column (pandas categorical, polars ``Enum``, Arrow dictionary), its
        categories, unused ones included, sorted as well (as scikit-learn's
        ``classes_`` are; declared order only if they cannot be compared).
        A label outside ``classes`` is an error.
    gold : mapping task -> label, or (n, 2) table of (task, label), optional
        Known true labels for some tasks. Their posteriors are clamped to the
        gold label during the fit (which sharpens the worker estimates) and
        ``gold_accuracy`` is reported. Gold for tasks without answers is ignored.
        A table is read by position, task then label (a table whose columns
        are named as the answers' label and task columns is read by name).
    duplicates : {"raise", "first", "last", "keep"}, default="raise"
        What to do with several answers by one worker on one task: refuse,
        keep the first or the last one (in row order), or keep all (each
        counted as independent evidence).
    max_iter : int, default=100
    tol : float, default=1e-6
        Relative change of the penalised log-likelihood that stops EM.
    m_step_iter : int, default=2
        Ascent rounds per M-step.
    alpha_prior_mean, beta_prior_mean : float, default=1.0
        Means of the unit-variance normal priors on abilities and log-eases.
    class_prior : array-like of shape (n_classes,), dict, pandas Series or "estimate", optional
        Fixed class balance (default uniform) in the order of ``classes``, or
        keyed by class (a dict, or a Series indexed by class), or
        ``"estimate"`` to re-estimate it at every M-step.
    smoothing : float, default=0.01
        Pseudo-count for an estimated class balance (and the reported confusion).
    rng : int, numpy.random.Generator or None, default=None
        Seed for breaking ties in the final labels.

    Returns
    -------
    CrowdResult
        ``skills`` are the abilities ``alpha``; ``task_difficulty`` is
        ``exp(-beta)``.

    References
    ----------
    J. Whitehill, P. Ruvolo, T. Wu, J. Bergsma and J. Movellan (2009), "Whose
    vote should count more: optimal integration of labels from labelers of
    unknown expertise", NeurIPS 22.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.labels import glad
    >>> rng = np.random.default_rng(0)
    >>> truth = rng.integers(0, 2, 300)
    >>> acc = [0.9, 0.85, 0.8, 0.5]
    >>> rows = [(t, w, k if rng.random() < a else 1 - k)
    ...         for t, k in enumerate(truth) for w, a in enumerate(acc)]
    >>> res = glad(rows, rng=0)
    >>> bool((res.labels == truth).mean() > 0.9), int(np.argmin(res.skills))
    (True, 3)
    """
    caller = "glad"
    data = _read_answers(answers, columns=columns, classes=classes, gold=gold,
                         duplicates=duplicates, caller=caller)
    max_iter, tol = _check_common(max_iter, tol, caller)
    m_step_iter = check_int(m_step_iter, "m_step_iter", caller=caller)
    mu_a = check_scalar(alpha_prior_mean, "alpha_prior_mean", caller=caller)
    mu_b = check_scalar(beta_prior_mean, "beta_prior_mean", caller=caller)
    smoothing = check_scalar(smoothing, "smoothing", caller=caller, low=0.0)
    fixed = _check_class_prior(class_prior, data.n_classes, caller, data.classes)
    gen = check_rng(rng, caller=caller)
    single = _single_worker(data, caller, gen)
    if single is not None:
        return single
    a, b, post, free, prior, ll, it, conv = _glad_em(
        data, max_iter=max_iter, tol=tol, m_step_iter=m_step_iter, mu_a=mu_a, mu_b=mu_b,
        smoothing=smoothing, fixed_prior=fixed)
    return _finish(data, post, method="glad", skills=a, prior=prior, n_iter=it,
                   converged=conv, log_likelihood=ll, rng=gen, free_post=free,
                   smoothing=smoothing, task_difficulty=np.exp(-b))


def _shares_by_class(value: Any, classes: npt.NDArray[Any] | None, name: str,
                     caller: str) -> Any:
    """Return per-class shares keyed by class (a dict, a Series indexed by class) in class order.

    Read by position, ``{"spam": 0.3, "ham": 0.7}`` gave the sorted classes
    ham 0.3 and spam 0.7 (a dict raised a bare TypeError). A pandas Series
    with a default ``0..k-1`` RangeIndex, and anything else, is returned as
    it is (read in order). Keys other than the classes, or of another kind
    (``True`` for the class 1), are refused naming ``name``. Without
    ``classes`` the shares are returned in the keys' order (for a check of
    their count and sum).
    """
    from collections.abc import Mapping

    from mllifecycle._frames import series_kind

    if isinstance(value, Mapping):
        keys, shares = list(value.keys()), list(value.values())
    elif series_kind(value) == "pandas":
        index = value.index
        if type(index).__name__ == "RangeIndex" and index.start == 0 and index.step == 1:
            return value
        keys, shares = list(index.tolist()), list(value.tolist())
    else:
        return value
    if classes is None:
        return shares
    cls = classes.tolist()
    # True == 1: flags as keys for the classes 0 and 1 (or "1" for 1)
    check_same_label_kind(label_kinds(keys), name, label_kinds(cls), "classes", caller,
                          noun="keys", hint=f"key {name} by the classes as written")
    pos = {c: i for i, c in enumerate(cls)}
    at = [pos.get(key, -1) for key in keys]
    if len(keys) != len(cls) or sorted(at) != list(range(len(cls))):
        fail(name, f"one share per class, keyed by the classes {cls!r} (or listed in "
             "that order)", described(f"keys {keys!r}"), caller)
    ordered: list[Any] = [None] * len(cls)
    for i, share in zip(at, shares, strict=True):
        ordered[i] = share
    return ordered


def _check_class_prior(value: Any, k: int, caller: str,
                       classes: npt.NDArray[Any] | None = None) -> FloatArray | None:
    """Uniform for None, None (estimate) for "estimate", else a checked probability vector.

    Keyed by class (a dict, a Series indexed by class), the shares are put in
    the order of ``classes`` (see ``_shares_by_class``).
    """
    if value is None:
        return np.full(k, 1.0 / k)
    if isinstance(value, str):
        check_option(value, "class_prior", ["estimate"], caller)
        return None
    shares = _shares_by_class(value, classes, "class_prior", caller)
    try:
        arr = np.asarray(shares, dtype=np.float64)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.shape != (k,) or not np.all(np.isfinite(arr)) or np.any(arr <= 0) \
            or abs(arr.sum() - 1) > 1e-8:
        fail("class_prior", f"'estimate' or {k} positive probabilities summing to 1", value,
             caller)
    return arr


def _glad_em(data: _Answers, *, max_iter: int, tol: float, m_step_iter: int, mu_a: float,
             mu_b: float, smoothing: float, fixed_prior: FloatArray | None
             ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, float,
                        int, bool]:
    k = data.n_classes
    nt, nw = data.n_tasks, data.n_workers
    a = np.full(nw, mu_a)
    b = np.full(nt, mu_b)
    post = _clamp(data, _shares(_counts(data)))
    free = post
    prior = _prior_from(post, smoothing) if fixed_prior is None else fixed_prior
    obj_old, ll, conv, it = -math.inf, -math.inf, False, 0
    for it in range(1, max_iter + 1):  # noqa: B007
        if fixed_prior is None:
            prior = _prior_from(post, smoothing)
        q = post[data.t, data.y]
        for _ in range(m_step_iter):
            a = _glad_step_alpha(data, a, b, q, k, mu_a)
            b = _glad_step_beta(data, a, b, q, k, mu_b)
        x = a[data.w] * np.exp(b[data.t])
        logp = _one_coin_loglik_parts(data, -_softplus(-x), -_softplus(x) - math.log(k - 1),
                                      prior)
        free, ll = _normalise_log(logp)
        post = _clamp(data, free.copy())
        obj = ll - 0.5 * float(np.sum((a - mu_a) ** 2) + np.sum((b - mu_b) ** 2))
        if abs(obj - obj_old) <= tol * abs(obj):
            conv = True
            break
        obj_old = obj
    return a, b, post, free, prior, ll, it, conv


def _glad_step_alpha(data: _Answers, a: FloatArray, b: FloatArray, q: FloatArray, k: int,
                     mu: float) -> FloatArray:
    """One Newton ascent step on all abilities (concave, separable given ``b``)."""
    nw = len(a)

    def value(av: FloatArray) -> FloatArray:
        terms = _glad_terms(data, av, b, q, k)[0]
        return np.bincount(data.w, weights=terms, minlength=nw) - 0.5 * (av - mu) ** 2

    terms, s, _ = _glad_terms(data, a, b, q, k)
    v0 = np.bincount(data.w, weights=terms, minlength=nw) - 0.5 * (a - mu) ** 2
    e = np.exp(b[data.t])
    g = np.bincount(data.w, weights=(q - s) * e, minlength=nw) - (a - mu)
    h = -np.bincount(data.w, weights=s * (1 - s) * e * e, minlength=nw) - 1.0
    return _ascend(value, a, -g / h, v0)


def _glad_step_beta(data: _Answers, a: FloatArray, b: FloatArray, q: FloatArray, k: int,
                    mu: float) -> FloatArray:
    """One safeguarded Newton ascent step on all log-eases (separable given ``a``)."""
    nt = len(b)

    def value(bv: FloatArray) -> FloatArray:
        terms = _glad_terms(data, a, bv, q, k)[0]
        return np.bincount(data.t, weights=terms, minlength=nt) - 0.5 * (bv - mu) ** 2

    terms, s, x = _glad_terms(data, a, b, q, k)
    v0 = np.bincount(data.t, weights=terms, minlength=nt) - 0.5 * (b - mu) ** 2
    r = (q - s) * x
    g = np.bincount(data.t, weights=r, minlength=nt) - (b - mu)
    h = np.bincount(data.t, weights=r - s * (1 - s) * x * x, minlength=nt) - 1.0
    # Newton where the problem is locally concave, a gradient step elsewhere
    step = np.where(h < 0, -g / np.where(h < 0, h, -1.0), g)
    return _ascend(value, b, np.clip(step, -2.0, 2.0), v0)


def mace(
    answers: Any,
    *,
    columns: Sequence[Any] = ("task", "worker", "label"),
    classes: Any = None,
    gold: Any = None,
    duplicates: str = "raise",
    max_iter: int = 100,
    tol: float = 1e-6,
    n_restarts: int = 5,
    smoothing: float = 0.5,
    rng: RNGLike = None,
) -> CrowdResult:
    """Aggregate by MACE: each worker is competent or spamming, with a spam strategy.

    Worker ``w`` answers the true class with probability ``theta[w]``
    (competence); otherwise it spams, drawing the answer from its own
    strategy ``xi[w]`` (a distribution over classes: uniform guessing, always
    one class, ...). EM from the majority-vote posterior plus
    ``n_restarts`` random starts (``rng``), keeping the fit of highest
    log-likelihood. Right when the crowd contains spammers of any strategy
    and one wants their competence rather than a full confusion matrix.

    Parameters
    ----------
    answers : DataFrame, mapping of columns, or array of shape (n_answers, 3)
        One row per answer: task id, worker id, label. Ids and labels may be
        any hashable values (strings, ints); None/NaN is refused.
    columns : sequence of 3 str, default=("task", "worker", "label")
        Column names of ``answers`` (ignored for a plain array, which is read
        by position).
    classes : sequence, optional
        All class labels, in the column order wanted for ``proba``. Default:
        the sorted distinct labels of ``answers``; for a categorical label
        column (pandas categorical, polars ``Enum``, Arrow dictionary), its
        categories, unused ones included, sorted as well (as scikit-learn's
        ``classes_`` are; declared order only if they cannot be compared).
        A label outside ``classes`` is an error.
    gold : mapping task -> label, or (n, 2) table of (task, label), optional
        Known true labels for some tasks. Their posteriors are clamped to the
        gold label during the fit (which sharpens the worker estimates) and
        ``gold_accuracy`` is reported. Gold for tasks without answers is ignored.
        A table is read by position, task then label (a table whose columns
        are named as the answers' label and task columns is read by name).
    duplicates : {"raise", "first", "last", "keep"}, default="raise"
        What to do with several answers by one worker on one task: refuse,
        keep the first or the last one (in row order), or keep all (each
        counted as independent evidence).
    max_iter : int, default=100
        EM iterations per start.
    tol : float, default=1e-6
        Relative log-likelihood change that stops EM.
    n_restarts : int, default=5
        Random starts besides the majority-vote start (0 makes the fit
        deterministic).
    smoothing : float, default=0.5
        Pseudo-count on competence (a Beta(s+1, s+1) prior) and strategy cells.
    rng : int, numpy.random.Generator or None, default=None
        Seed for the random starts and for breaking ties.

    Returns
    -------
    CrowdResult
        ``skills`` is each worker's competence ``theta``.

    References
    ----------
    D. Hovy, T. Berg-Kirkpatrick, A. Vaswani and E. Hovy (2013), "Learning
    whom to trust with MACE", NAACL-HLT, 1120-1130.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.labels import mace
    >>> rng = np.random.default_rng(0)
    >>> truth = rng.integers(0, 3, 300)
    >>> rows = [(t, w, k if w < 3 and rng.random() < 0.85 else
    ...          (2 if w == 3 else rng.integers(0, 3)))
    ...         for t, k in enumerate(truth) for w in range(5)]
    >>> res = mace(rows, rng=0)
    >>> bool((res.labels == truth).mean() > 0.9), (res.skills[3:] < 0.2).tolist()
    (True, [True, True])
    """
    caller = "mace"
    data = _read_answers(answers, columns=columns, classes=classes, gold=gold,
                         duplicates=duplicates, caller=caller)
    max_iter, tol = _check_common(max_iter, tol, caller)
    n_restarts = check_int(n_restarts, "n_restarts", caller=caller, low=0)
    smoothing = check_scalar(smoothing, "smoothing", caller=caller, low=0.0)
    gen = check_rng(rng, caller=caller)
    single = _single_worker(data, caller, gen)
    if single is not None:
        return single
    best: tuple[Any, ...] | None = None
    for r in range(n_restarts + 1):
        init = None
        if r > 0:
            theta0 = gen.uniform(0.3, 0.95, data.n_workers)
            xi0 = gen.dirichlet(np.ones(data.n_classes), data.n_workers)
            init = (theta0, xi0)
        fit = _mace_em(data, max_iter=max_iter, tol=tol, smoothing=smoothing, init=init)
        if best is None or fit[4] > best[4]:
            best = fit
    assert best is not None
    theta, _xi, post, free, ll, prior, it, conv = best
    return _finish(data, post, method="mace", skills=theta, prior=prior, n_iter=it,
                   converged=conv, log_likelihood=ll, rng=gen, free_post=free,
                   smoothing=0.01)


def _mace_estep(data: _Answers, theta: FloatArray, xi: FloatArray, prior: FloatArray
                ) -> tuple[FloatArray, float]:
    th = theta[data.w]
    xy = xi[data.w, data.y]
    match = np.log(th + (1 - th) * xy)
    other = np.log((1 - th) * xy)
    return _normalise_log(_one_coin_loglik_parts(data, match, other, prior))


def _mace_em(data: _Answers, *, max_iter: int, tol: float, smoothing: float,
             init: tuple[FloatArray, FloatArray] | None) -> tuple[Any, ...]:
    k, nw = data.n_classes, data.n_workers
    n_w = np.bincount(data.w, minlength=nw).astype(np.float64)
    prior = np.full(k, 1.0 / k)
    if init is None:
        post = _clamp(data, _shares(_counts(data)))
        theta, xi = _mace_mstep(data, post, np.full(nw, 0.5), np.full((nw, k), 1.0 / k),
                                n_w, smoothing)
        prior = _prior_from(post, 0.01)
    else:
        theta, xi = init
    free, ll = _mace_estep(data, theta, xi, prior)
    post = _clamp(data, free.copy())
    ll_old, conv, it = ll, False, 0
    for it in range(1, max_iter + 1):  # noqa: B007
        prior = _prior_from(post, 0.01)
        theta, xi = _mace_mstep(data, post, theta, xi, n_w, smoothing)
        free, ll = _mace_estep(data, theta, xi, prior)
        post = _clamp(data, free.copy())
        if abs(ll - ll_old) <= tol * abs(ll):
            conv = True
            break
        ll_old = ll
    return theta, xi, post, free, ll, prior, it, conv


def _mace_mstep(data: _Answers, post: FloatArray, theta: FloatArray, xi: FloatArray,
                n_w: FloatArray, smoothing: float) -> tuple[FloatArray, FloatArray]:
    k, nw = data.n_classes, data.n_workers
    th = theta[data.w]
    xy = xi[data.w, data.y]
    # P(not spamming | answer, true class = answer) * P(true class = answer)
    honest = post[data.t, data.y] * th / (th + (1 - th) * xy)
    spam = 1.0 - honest
    theta = (np.bincount(data.w, weights=honest, minlength=nw) + smoothing) / (
        n_w + 2 * smoothing)
    xs = np.bincount(data.w * k + data.y, weights=spam, minlength=nw * k)
    cells = np.asarray(xs, dtype=np.float64).reshape(nw, k) + smoothing
    xi = cells / cells.sum(axis=1, keepdims=True)
    return np.clip(theta, 1e-9, 1 - 1e-9), np.clip(xi, 1e-12, None)


METHODS: dict[str, Callable[..., CrowdResult]] = {
    "majority_vote": majority_vote,
    "wawa": wawa,
    "zero_based_skill": zero_based_skill,
    "dawid_skene": dawid_skene,
    "one_coin": one_coin,
    "glad": glad,
    "mace": mace,
}

#: The method names :func:`aggregate` takes (dashes may stand for underscores).
AGGREGATION_METHODS: tuple[str, ...] = tuple(METHODS)


def aggregate(answers: Any, method: str = "dawid_skene", **kwargs: Any) -> CrowdResult:
    """Aggregate crowd answers with the method named ``method``.

    Parameters
    ----------
    answers : DataFrame, mapping of columns, or array of shape (n_answers, 3)
        One row per (task, worker, label) answer.
    method : str, default="dawid_skene"
        One of ``"majority_vote"``, ``"wawa"``, ``"zero_based_skill"``,
        ``"dawid_skene"``, ``"one_coin"``, ``"glad"``, ``"mace"`` (hyphens
        are accepted for underscores: ``"dawid-skene"``); the tuple
        ``mllifecycle.labels.AGGREGATION_METHODS`` lists them.
    **kwargs
        Passed to the method (``columns``, ``classes``, ``gold``, ``rng``, ...).

    Returns
    -------
    CrowdResult

    Examples
    --------
    >>> from mllifecycle.labels import aggregate
    >>> answers = {"task": [1, 1, 1, 2, 2, 2], "worker": ["a", "b", "c"] * 2,
    ...            "label": ["x", "x", "y", "y", "y", "x"]}
    >>> aggregate(answers, method="majority-vote").labels.tolist()
    ['x', 'y']
    """
    import inspect

    name = method.replace("-", "_") if isinstance(method, str) else method
    check_option(name, "method", list(METHODS), "aggregate")
    func = METHODS[name]
    accepted = [p for p in inspect.signature(func).parameters if p != "answers"]
    unknown = sorted(set(kwargs) - set(accepted))
    if unknown:
        fail(unknown[0], f"a parameter of {name} (one of {accepted})",
             described(f"a keyword {name} does not take"), "aggregate")
    return func(answers, **kwargs)

