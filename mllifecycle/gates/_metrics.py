"""Metric definitions and their vectorised bootstrap machinery.

Every named metric is reduced to what a resample needs:

- *sum* metrics (accuracy, error rate, log loss, Brier score, MAE, MSE,
  precision, recall, F1) are functions of weighted sums of per-example
  quantities. A resample with counts ``c`` (how often each example was drawn)
  has sums ``c @ F`` for a per-example matrix ``F``, so all resamples come from
  one matrix product. When ``F`` has few distinct rows (accuracy: at most four
  (champion right?, challenger right?) combinations) the counts of the distinct
  rows are drawn directly from a multinomial, which is the same bootstrap
  distribution at a cost independent of ``n``.
- *ROC AUC* is the Mann-Whitney statistic with integer weights: each model's
  scores are sorted once and cut into label runs; per block of resamples the
  run sums are one sparse product, and cumulative sums over the runs give the
  AUCs (ties exact).
- a *callable* metric is called once per resample (the slow path).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._frames import in_row_order as _in_row_order
from mllifecycle._resample import map_chunks
from mllifecycle._validation import (
    check_array,
    check_callable,
    check_consistent_length,
    check_labels_as_given,
    check_labels_of_one_kind,
    check_proba,
    check_same_label_kind,
    described,
    fail,
    label_kind,
    label_kinds,
)
from mllifecycle._weights import check_weights

__all__ = ["METRICS", "MetricSpec", "resolve_metric", "prepare", "Problem", "proba_by_class"]

FloatArray = npt.NDArray[np.float64]

_EPS = float(np.finfo(np.float64).eps)

# canonical name -> (input kind, higher is better)
METRICS: dict[str, tuple[str, bool]] = {
    "accuracy": ("label", True),
    "error_rate": ("label", False),
    "precision": ("label", True),
    "recall": ("label", True),
    "f1": ("label", True),
    "log_loss": ("proba", False),
    "brier_score": ("proba", False),
    "mean_absolute_error": ("regression", False),
    "mean_squared_error": ("regression", False),
    "roc_auc": ("score", True),
    "expected_calibration_error": ("proba", False),
}

#: The values each built-in metric can take: a threshold outside them makes a
#: gate that always passes or always fails (``--threshold 80`` for 80 %).
#: Multi-class Brier scores sum over the classes, up to 2.
METRIC_RANGES: dict[str, tuple[float, float]] = {
    "accuracy": (0.0, 1.0),
    "error_rate": (0.0, 1.0),
    "precision": (0.0, 1.0),
    "recall": (0.0, 1.0),
    "f1": (0.0, 1.0),
    "log_loss": (0.0, float("inf")),
    "brier_score": (0.0, 2.0),
    "mean_absolute_error": (0.0, float("inf")),
    "mean_squared_error": (0.0, float("inf")),
    "roc_auc": (0.0, 1.0),
    "expected_calibration_error": (0.0, 1.0),
}

_ALIASES = {
    "accuracy_score": "accuracy",
    "zero_one_loss": "error_rate",
    "error": "error_rate",
    "precision_score": "precision",
    "recall_score": "recall",
    "f1_score": "f1",
    "brier": "brier_score",
    "brier_score_loss": "brier_score",
    "mae": "mean_absolute_error",
    "mse": "mean_squared_error",
    "roc_auc_score": "roc_auc",
    "auc": "roc_auc",
    "ece": "expected_calibration_error",
}


@attrs.frozen
class MetricSpec:
    """A resolved metric: its name, input kind and direction."""

    name: str
    kind: str  # "label" | "proba" | "score" | "regression" | "callable"
    higher_is_better: bool
    func: Callable[..., Any] | None = None


def metric_names() -> list[str]:
    """Return every accepted metric name (canonical names and aliases)."""
    return sorted([*METRICS, *_ALIASES])


def resolve_metric(metric: Any, higher_is_better: Any, caller: str) -> MetricSpec:
    """Resolve a metric name or callable into a :class:`MetricSpec`."""
    if isinstance(metric, str):
        name = _ALIASES.get(metric, metric)
        if name not in METRICS:
            fail(
                "metric",
                "a callable or one of {" + ", ".join(repr(m) for m in metric_names()) + "}",
                metric,
                caller,
            )
        kind, hib = METRICS[name]
        if higher_is_better is not None and bool(higher_is_better) != hib:
            fail(
                "higher_is_better",
                f"None or {hib} for metric {name!r}",
                higher_is_better,
                caller,
            )
        return MetricSpec(name=name, kind=kind, higher_is_better=hib)
    check_callable(metric, "metric", caller)
    if not isinstance(higher_is_better, bool | np.bool_):
        fail(
            "higher_is_better",
            "a bool when metric is a callable (say which direction is better)",
            higher_is_better,
            caller,
        )
    name = getattr(metric, "__name__", None) or type(metric).__name__
    return MetricSpec(
        name=str(name),
        kind="callable",
        higher_is_better=bool(higher_is_better),
        func=metric,
    )


@attrs.define
class Problem:
    """Everything the resampling engine needs for one paired comparison."""

    spec: MetricSpec
    n: int
    # sum metrics
    F: FloatArray | None = None
    # auc
    positive: npt.NDArray[np.bool_] | None = None
    scores: tuple[FloatArray, FloatArray] | None = None
    weights: FloatArray | None = None
    # callable
    arrays: tuple[Any, Any, Any] | None = None
    n_bins: int = 10
    # examples of the rarer class, for metrics that depend on the class balance
    # (with groups: groups holding an example of the rarer class)
    minority: int | None = None
    # cluster resampling (groups=): rows and groups of the evaluation set. A sum
    # metric's F then holds one row per group (the group's sums), so n is the
    # number of groups; ROC AUC keeps its rows and maps each to its group
    n_rows: int | None = None
    n_groups: int | None = None
    group_of: npt.NDArray[np.intp] | None = None
    # regression losses brought into float64's range by a power of two (see
    # _regression_losses): the metric is 2**unit_exp times what F gives. The
    # engine (bootstrap, jackknife, swaps) works in F's units, scale-free; the
    # reported values are in the metric's
    unit_exp: int = 0

    @property
    def n_samples(self) -> int:
        """Rows of the evaluation set (``n`` counts groups once grouped)."""
        return self.n if self.n_rows is None else self.n_rows

    def evaluate(self, S: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Metric values of champion and challenger from sums ``S`` (..., q)."""
        name = self.spec.name
        if name == "expected_calibration_error":
            k = self.n_bins
            tot = S[..., -1]
            with np.errstate(invalid="ignore", divide="ignore"):
                ea = np.abs(S[..., :k]).sum(axis=-1) / tot
                eb = np.abs(S[..., k : 2 * k]).sum(axis=-1) / tot
            return ea, eb
        if name in ("precision", "recall", "f1"):
            out = []
            for k in (0, 3):
                tp, fp, fn = S[..., k], S[..., k + 1], S[..., k + 2]
                if name == "precision":
                    num, den = tp, tp + fp
                elif name == "recall":
                    num, den = tp, tp + fn
                else:
                    num, den = 2 * tp, 2 * tp + fp + fn
                with np.errstate(invalid="ignore", divide="ignore"):
                    out.append(np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0))
            return out[0], out[1]
        with np.errstate(invalid="ignore", divide="ignore"):
            return S[..., 0] / S[..., 2], S[..., 1] / S[..., 2]

    def in_metric_units(self, x: Any) -> Any:
        """Values ``x`` of the engine (``F``'s units) in the metric's: ``x * 2**unit_exp``.

        Exact (a power of two); a value beyond float64's range becomes inf.
        """
        if self.unit_exp == 0:
            return x
        with np.errstate(over="ignore", under="ignore"):
            return np.ldexp(x, self.unit_exp)

    def observed(self, engine: bool = False) -> tuple[float, float]:
        """Metric values on the sample itself (in ``F``'s units with ``engine=True``)."""
        if self.F is not None:
            a, b = self.evaluate(self.F.sum(axis=0))
            if not engine:
                a, b = self.in_metric_units(a), self.in_metric_units(b)
            return float(a), float(b)
        if self.scores is not None:
            assert self.positive is not None
            w = np.ones(self.n) if self.weights is None else self.weights
            return (
                float(auc_weighted(self.positive, self.scores[0], w[None, :])[0]),
                float(auc_weighted(self.positive, self.scores[1], w[None, :])[0]),
            )
        assert self.arrays is not None
        assert self.spec.func is not None
        y, a, b = self.arrays
        return (
            float(_call(self.spec.func, y, a, self.weights)),
            float(_call(self.spec.func, y, b, self.weights)),
        )


def _call(func: Callable[..., Any], y: Any, pred: Any, w: FloatArray | None) -> float:
    out = func(y, pred) if w is None else func(y, pred, sample_weight=w)
    try:
        return float(out)
    except (TypeError, ValueError):
        name = getattr(func, "__name__", type(func).__name__)
        fail("metric", "a callable returning a number", described(f"{name} returned {out!r}"))


def _takes_sample_weight(func: Callable[..., Any]) -> bool:
    """Whether ``func`` accepts a ``sample_weight`` keyword (True if unknown)."""
    import inspect

    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return True
    return any(
        p.name == "sample_weight" or p.kind is inspect.Parameter.VAR_KEYWORD for p in params
    )


# ---------------------------------------------------------------- preparation


def _labels(x: Any, name: str, caller: str) -> npt.NDArray[Any]:
    """1-D class labels; object arrays free of None/NaN, of one kind and sortable.

    ``True == 1`` and ``np.unique`` sorts ``[True, 1, 0, False]`` into two
    classes: labels of two kinds (booleans and numbers, text and numbers) are
    refused rather than merged.
    """
    arr = check_array(x, name, caller=caller, ndim=1, dtype="any")
    if arr.dtype.kind != "O":  # object arrays: missing values first, below
        check_labels_as_given(x, arr, name, caller)
    if arr.dtype.kind == "O":
        missing = np.array(
            [
                v is None or (isinstance(v, float) and v != v) or type(v).__name__ == "NAType"
                for v in arr
            ]
        )
        if missing.any():
            fail(
                name,
                "labels free of missing values (None or NaN)",
                described(f"{int(missing.sum())} missing value(s)"),
                caller,
            )
        check_labels_of_one_kind(arr, name, caller)
        try:
            np.unique(arr)
        except TypeError:  # one kind NumPy cannot sort (a date and a datetime)
            fail(
                name,
                "labels of one comparable type (e.g. all str or all int)",
                described("labels NumPy cannot sort"),
                caller,
            )
    return arr


#: float64 holds every integer of at most this magnitude, not 2**53 + 1
_EXACT_INT = 2**53


def _beyond_float(x: npt.NDArray[Any]) -> bool:
    """Whether ``x`` is an integer array holding a value float64 cannot represent."""
    return bool(
        x.dtype.kind in "iu" and x.size and (x.max() > _EXACT_INT or x.min() < -_EXACT_INT)
    )


def _check_exact_pair(
    y: npt.NDArray[Any], pred: npt.NDArray[Any], name: str, caller: str
) -> None:
    """Refuse float labels compared with integers beyond 2**53.

    ``float(2**53 + 1) == 2**53``: a float prediction would be "right" on every
    integer label it rounds onto (and a float ``y_true`` would merge classes).
    """
    for ints, flt, nm in ((y, pred, name), (pred, y, "y_true")):
        if flt.dtype.kind == "f" and _beyond_float(ints):
            big = ints.max() if ints.max() > _EXACT_INT else ints.min()
            fail(
                nm,
                "labels of an integer (or text) type when the other labels are integers "
                "beyond 2**53 (float64 cannot tell such integers apart)",
                described(f"float labels against integer labels such as {int(big)}"),
                caller,
            )


_FUNCTIONS = ("paired_bootstrap", "paired_permutation", "mcnemar", "delong")


def _check_known_labels(
    y: npt.NDArray[Any],
    pred: npt.NDArray[Any],
    name: str,
    caller: str,
    classes: npt.NDArray[Any] | None = None,
) -> None:
    """Refuse predictions of another kind than ``y_true`` or absent from its classes."""
    # "1" against 1 is never right, True against 1 always: both would mislead
    check_same_label_kind(label_kinds(pred), name, label_kinds(y), "y_true", caller,
                          hint="convert one of them, e.g. with astype(int) or astype(str)")
    _check_exact_pair(y, pred, name, caller)
    classes = np.unique(y) if classes is None else classes
    unknown = ~np.isin(pred, classes)
    if unknown.any():
        extra = np.unique(pred[unknown])
        # a gate's data may lack a class (a small or one-class holdout): say how
        # to name the problem's labels
        hint = "" if caller in _FUNCTIONS else (
            "; GateContext(classes=...) names the labels of the problem when the data "
            "lack some"
        )
        fail(
            name,
            "predictions drawn from the labels present in y_true "
            f"({', '.join(repr(c) for c in classes.tolist()[:10])}{hint})",
            described(
                f"{int(unknown.sum())} prediction(s) with label(s) absent from y_true, "
                f"e.g. {extra.tolist()[0]!r}"
            ),
            caller,
        )


def _proba_true_class(
    y: npt.NDArray[Any],
    p: FloatArray,
    name: str,
    caller: str,
    classes: npt.NDArray[Any] | None = None,
    pos_label: Any = None,
) -> tuple[FloatArray, FloatArray | None, npt.NDArray[Any]]:
    """Return (p of the true class, one-hot matrix or None, classes).

    1-D probabilities are those of ``pos_label`` (default: the larger class).
    """
    classes = np.unique(y) if classes is None else classes
    if p.ndim == 1:
        if classes.size != 2:
            fail(
                name,
                "2-D class probabilities (1-D probabilities need exactly two classes in y_true"
                + ("" if caller in _FUNCTIONS else ", or in GateContext(classes=...)")
                + ")",
                described(f"1-D probabilities with {classes.size} class(es) in y_true"),
                caller,
            )
        pos = y == (classes[1] if pos_label is None else pos_label)
        return np.where(pos, p, 1.0 - p), None, classes
    if p.shape[1] != classes.size:
        fail(
            name,
            f"one column per class of y_true ({classes.size}, in sorted order)",
            described(f"{p.shape[1]} column(s)"),
            caller,
        )
    col = np.searchsorted(classes, y)
    onehot = np.zeros_like(p)
    onehot[np.arange(y.size), col] = 1.0
    return p[np.arange(y.size), col], onehot, classes


def in_row_order(x: Any, y_true: Any, name: str, caller: str) -> Any:
    """``x`` in ``y_true``'s row order (:func:`mllifecycle._frames.in_row_order`)."""
    return _in_row_order(x, y_true, name, "y_true", caller)


def proba_by_class(
    v: Any, labels: npt.NDArray[Any], name: str, caller: str, pos_label: Any = None
) -> Any:
    """Put a table of probabilities in the sorted order of the classes ``labels``, by name.

    Columns named by the classes (``model.classes_``, as text or values) are
    read by name, whatever their order, by the rule of
    :func:`~mllifecycle._frames.columns_by_class` (text by text, numbers by
    value, exactly beyond 2**53; a bool names no number); a table naming some
    classes and having other columns or lacking a class, or repeating a name,
    is refused; a table naming no class (``p0``, ``p1``) is read by position.
    One column (a Series, or a one-column table) holds the positive class's
    probabilities (``pos_label``, default the larger of two labels): one named
    after the other class (``proba["no"]``) is refused, as the command line
    refuses such a header. The name ``0`` is let through (pandas' name of an
    unnamed column).
    """
    from mllifecycle._frames import (
        column_names,
        columns_by_class,
        frame_to_numpy,
        is_frame,
        series_kind,
    )

    values = labels.tolist()
    classes = [str(c) for c in values]
    if not is_frame(v):
        if series_kind(v) is not None:
            _refuse_other_class(getattr(v, "name", None), values, classes, pos_label, name,
                                caller)
        return v
    given = column_names(v) or []
    if len(given) < 2:
        if given:
            _refuse_other_class(given[0], values, classes, pos_label, name, caller)
        return v  # one column: its own checks apply
    arr = frame_to_numpy(v)
    order = columns_by_class(given, values, name, caller)
    return arr if order is None else arr[:, order]


def _refuse_other_class(
    column: Any, values: list[Any], classes: list[str], pos_label: Any, name: str, caller: str
) -> None:
    """Refuse one probability column named after a binary problem's negative class.

    The column's name is read as :func:`~mllifecycle._frames.columns_by_class`
    reads a table's (``classes`` is the labels' text, for the message).
    """
    from mllifecycle._frames import columns_by_class

    if column is None or len(values) != 2:
        return
    text = str(column)
    if text == "0":
        return  # also pandas' name of an unnamed column
    if pos_label is None:
        negative = 0
    else:  # a pos_label of another kind (or no label) is refused by the caller's checks
        if np.ndim(pos_label) != 0:
            return
        same = [label_kind(v) == label_kind(pos_label) and v == pos_label for v in values]
        if same.count(True) != 1:
            return
        negative = same.index(False)
    positive = classes[1 - negative]
    if columns_by_class([column], [values[negative]], name, caller) is not None:
        fail(name, f"one column of probabilities of the positive class {positive!r} (the "
             "larger label, or pos_label), or one column per class",
             described(f"a column named after the other class {text!r}"), caller)


def given_float_dtype(p: Any) -> np.dtype[Any] | None:
    """Return the float type below float64 that ``p`` was given in, else None.

    :func:`~mllifecycle._validation.check_proba` lets a row of such a type
    miss 1 by that type's rounding; callers converting ``p`` to float64
    first pass this type on (a float16 softmax output was refused).
    """
    dt = getattr(p, "dtype", None)
    if dt is None and hasattr(p, "dtypes"):  # a table: its columns' common type
        try:
            dt = np.result_type(*[getattr(d, "numpy_dtype", d) for d in list(p.dtypes)])
        except (TypeError, ValueError):
            return None
    try:
        kind = np.dtype(getattr(dt, "numpy_dtype", dt)) if dt is not None else None
    except TypeError:  # a dtype NumPy does not know
        return None
    return kind if kind is not None and kind.kind == "f" and kind.itemsize < 8 else None


def _binary_scores(
    y: npt.NDArray[Any], s: Any, name: str, caller: str, column: int = 1
) -> FloatArray:
    """1-D scores, or column ``column`` (the positive class) of 2-column probabilities.

    Integer scores beyond 2**53 (which float64 would merge: ``2**53 + 1``
    becomes ``2**53``) are replaced by their exact dense ranks: ROC AUC, its
    bootstrap, DeLong's test and the permutation test depend on the order only.
    """
    arr = check_array(s, name, caller=caller, ndim=(1, 2))
    if arr.ndim == 1:
        from mllifecycle._frames import column_to_numpy

        ints = column_to_numpy(s)
        if ints.ndim == 1 and _beyond_float(ints):
            _, ranks = np.unique(ints, return_inverse=True)
            return np.asarray(ranks.reshape(-1), dtype=np.float64)
    if arr.ndim == 2:
        if arr.shape[1] != 2:
            fail(
                name,
                "1-D scores or 2-column probabilities (ROC AUC is binary; pass a "
                "callable metric for multiclass AUC)",
                described(f"{arr.shape[1]} columns"),
                caller,
            )
        arr = check_proba(arr, name, caller, dtype=given_float_dtype(s))[:, column]
    return arr


def prepare(
    spec: MetricSpec,
    y_true: Any,
    champion: Any,
    challenger: Any,
    *,
    sample_weight: Any = None,
    pos_label: Any = None,
    n_bins: int = 10,
    classes: Any = None,
    caller: str,
    names: tuple[str, str] = ("champion", "challenger"),
    groups: Any = None,
) -> Problem:
    """Validate the inputs for ``spec`` and build the resampling problem.

    ``classes`` are the class labels of the full data set when ``y_true`` is
    a slice of it (default: the labels present in ``y_true``); ``names`` are
    the caller's names of the champion and challenger arguments (for errors).
    Pandas inputs are matched to ``y_true``'s rows by index (:func:`in_row_order`).
    With ``groups`` (one group label per row) the problem is the cluster
    problem of :func:`group_problem`.
    """
    if groups is not None and spec.kind == "callable":
        fail(
            "groups",
            "None for a callable metric (the cluster bootstrap and the cluster swap "
            "test support the named metrics: " + ", ".join(sorted(METRICS)) + ")",
            described(f"groups for the callable {spec.name!r}"),
            caller,
        )
    champion = in_row_order(champion, y_true, names[0], caller)
    challenger = in_row_order(challenger, y_true, names[1], caller)
    sample_weight = in_row_order(sample_weight, y_true, "sample_weight", caller)
    problem = _prepare(
        spec,
        y_true,
        champion,
        challenger,
        sample_weight=sample_weight,
        pos_label=pos_label,
        n_bins=n_bins,
        classes=classes,
        caller=caller,
        names=names,
    )
    # rows of weight 0 carry no evidence: the rarer class counts its rows of
    # positive weight (150 positives of which 100 weighed 0 made a sample of 50
    # look large enough for the bootstrap, which over-rejects there)
    kept = None if problem.weights is None else problem.weights > 0
    if problem.positive is not None:
        pos = problem.positive if kept is None else problem.positive[kept]
        m = int(np.count_nonzero(pos))
        problem.minority = min(m, pos.size - m)
    elif spec.kind in ("proba", "score") or spec.name in ("precision", "recall", "f1"):
        y_kept = np.asarray(y_true) if kept is None else np.asarray(y_true)[kept]
        _, counts = np.unique(y_kept, return_counts=True)
        problem.minority = int(counts.min()) if counts.size > 1 else 0
    if groups is not None:
        from mllifecycle._gain import group_codes

        codes, n_groups = group_codes(
            groups, y_true, problem.n, caller, "y_true",
            "a cluster bootstrap draws whole groups, and one group resamples into itself")
        problem = group_problem(problem, codes, n_groups, np.asarray(y_true), kept)
    return problem


def group_problem(
    problem: Problem,
    codes: npt.NDArray[np.intp],
    n_groups: int,
    y: npt.NDArray[Any],
    kept: npt.NDArray[np.bool_] | None = None,
) -> Problem:
    """Return the cluster version of ``problem``: groups drawn and swapped whole.

    A sum metric is a function of the sums ``c @ F``; drawing groups with
    counts ``g`` gives the sums ``g @ F_G`` with ``F_G`` the per-group sums of
    ``F``, so the cluster bootstrap, the cluster sign-flip test and the
    leave-one-group-out jackknife are the row engine run on ``F_G``. ROC AUC
    keeps its rows and maps them to their groups (``group_of``).
    ``minority`` becomes the number of groups holding an example of the rarer
    class (the independent units that class is seen in); with ``kept`` (the
    rows of positive weight), an example of positive weight.
    """
    if problem.minority is not None:
        if problem.positive is not None:
            classes = problem.positive.astype(np.intp)
        else:
            _, classes = np.unique(y, return_inverse=True)
            classes = classes.reshape(-1)
        k = int(classes.max(initial=0)) + 1
        held = np.zeros((k, n_groups), dtype=bool)
        if kept is None:
            held[classes, codes] = True
        else:
            held[classes[kept], codes[kept]] = True
        per_class = held.sum(axis=1)
        problem.minority = int(per_class.min()) if k > 1 else 0
    if problem.F is not None:
        F = problem.F
        FG = np.zeros((n_groups, F.shape[1]))
        np.add.at(FG, codes, F)  # in row order: one group's rows summed as written
        return attrs.evolve(problem, n=n_groups, F=FG, weights=None, n_rows=problem.n,
                            n_groups=n_groups)
    problem.n_rows = problem.n
    problem.n_groups = n_groups
    if n_groups < problem.n:  # one row per group: the row problem itself
        problem.group_of = codes
    return problem


def _prepare(
    spec: MetricSpec,
    y_true: Any,
    champion: Any,
    challenger: Any,
    *,
    sample_weight: Any = None,
    pos_label: Any = None,
    n_bins: int = 10,
    classes: Any = None,
    caller: str,
    names: tuple[str, str] = ("champion", "challenger"),
) -> Problem:
    """Validate the inputs for ``spec`` and build the resampling problem.

    ``classes`` are the class labels of the full data set when ``y_true`` is
    a slice of it (default: the labels present in ``y_true``); ``names`` are
    the caller's names of the champion and challenger arguments (for errors).
    """
    na, nb = names
    kind = spec.kind
    if kind == "callable":
        y = np.asarray(y_true)
        a = np.asarray(champion)
        b = np.asarray(challenger)
        for arr, nm in ((y, "y_true"), (a, na), (b, nb)):
            if arr.ndim == 0 or arr.shape[0] < 1:
                fail(nm, "an array-like with at least 1 sample", arr, caller)
        n = check_consistent_length([y, a, b], ["y_true", na, nb], caller)
        w = check_weights(sample_weight, n, caller, positive_sum=True)
        if w is not None and spec.func is not None and not _takes_sample_weight(spec.func):
            fail(
                "sample_weight",
                "None for a callable metric without a sample_weight parameter (it is "
                "called as metric(y_true, y_pred, sample_weight=w))",
                described(f"weights for {spec.name!r}"),
                caller,
            )
        return Problem(spec=spec, n=n, arrays=(y, a, b), weights=w)

    if kind == "regression":
        y = check_array(y_true, "y_true", caller=caller, ndim=1)
        a = check_array(champion, na, caller=caller, ndim=1)
        b = check_array(challenger, nb, caller=caller, ndim=1)
    elif kind == "label":
        y = _labels(y_true, "y_true", caller)
        a = _labels(champion, na, caller)
        b = _labels(challenger, nb, caller)
    else:
        y = _labels(y_true, "y_true", caller)
        # tables named by class (model.classes_) are read by name, not by position
        labels = np.unique(y) if classes is None else np.union1d(np.asarray(classes), y)
        champion = proba_by_class(champion, labels, na, caller, pos_label)
        challenger = proba_by_class(challenger, labels, nb, caller, pos_label)
        if kind == "proba":
            a = check_proba(champion, na, caller)
            b = check_proba(challenger, nb, caller)
        else:
            a = np.asarray(champion)
            b = np.asarray(challenger)
    n = check_consistent_length([y, a, b], ["y_true", na, nb], caller)
    w = _weights_in_range(check_weights(sample_weight, n, caller, positive_sum=True), n)
    ones = np.ones(n) if w is None else w
    cls = np.unique(y) if classes is None else np.union1d(np.asarray(classes), np.unique(y))
    if pos_label is not None and kind != "regression" and (
        # pos_label=True would pick the class 1 (True == 1), and 1 the class True
        label_kind(pos_label) not in label_kinds(cls) or not np.isin(pos_label, cls)
    ):
        fail("pos_label", "one of the labels in y_true", pos_label, caller)

    if kind == "regression":
        la, lb, unit_exp = _regression_losses(
            y, a, b, ones, squared=spec.name == "mean_squared_error"
        )
        F = np.column_stack([la, lb, ones])
        return Problem(spec=spec, n=n, F=F, weights=w, unit_exp=unit_exp)

    if kind == "label":
        _check_known_labels(y, a, na, caller, cls)
        _check_known_labels(y, b, nb, caller, cls)
        if spec.name in ("accuracy", "error_rate"):
            ca = (a == y).astype(np.float64)
            cb = (b == y).astype(np.float64)
            if spec.name == "error_rate":
                ca, cb = 1.0 - ca, 1.0 - cb
            F = np.column_stack([ones * ca, ones * cb, ones])
            return Problem(spec=spec, n=n, F=F, weights=w)
        classes = cls
        if classes.size > 2:
            fail(
                "y_true",
                f"binary labels for {spec.name!r} (pass a callable metric with an "
                "'average' for multiclass)",
                described(f"{classes.size} classes"),
                caller,
            )
        pos = classes[-1] if pos_label is None else pos_label
        yt = y == pos
        cols = []
        for pred in (a, b):
            pp = pred == pos
            cols += [ones * (pp & yt), ones * (pp & ~yt), ones * (~pp & yt)]
        return Problem(spec=spec, n=n, F=np.column_stack(cols), weights=w)

    if kind == "proba" and spec.name == "expected_calibration_error":
        if n_bins > max(n, _ECE_FEW_BINS):
            # the bins were allocated whole: n_bins=10**9 ended in MemoryError
            fail(
                "n_bins",
                f"at most the number of examples ({n}) or {_ECE_FEW_BINS}: with more "
                "bins than examples most bins are empty or hold one example, and the "
                "ECE measures no calibration",
                n_bins,
                caller,
            )
        parts = []
        for pred, nm in ((a, na), (b, nb)):
            _proba_true_class(y, pred, nm, caller, cls)  # validates the shape
            parts.append(_ece_bins(y, pred, n_bins, cls, pos_label))
        # only the bins either model occupies, with one numbering for both (a
        # swap moves an example's term into the same bin of the other model):
        # empty bins add nothing to the ECE
        ids = np.unique(np.concatenate([parts[0][0], parts[1][0]]))
        cols = [_bin_columns(np.searchsorted(ids, bins), gap, ids.size) * ones[:, None]
                for bins, gap in parts]
        F = np.column_stack([*cols, ones])
        return Problem(spec=spec, n=n, F=F, weights=w, n_bins=int(ids.size))

    if kind == "proba":
        ta, onehot, classes = _proba_true_class(y, a, na, caller, cls, pos_label)
        tb, _, _ = _proba_true_class(y, b, nb, caller, cls, pos_label)
        if spec.name == "log_loss":
            la = -np.log(np.clip(ta, _EPS, 1 - _EPS))
            lb = -np.log(np.clip(tb, _EPS, 1 - _EPS))
        elif onehot is None or classes.size == 2:
            # binary Brier score: squared error of the positive-class probability
            la, lb = (1.0 - ta) ** 2, (1.0 - tb) ** 2
        else:
            la = ((a - onehot) ** 2).sum(axis=1)
            lb = ((b - onehot) ** 2).sum(axis=1)
        F = np.column_stack([ones * la, ones * lb, ones])
        return Problem(spec=spec, n=n, F=F, weights=w)

    # roc_auc
    classes = cls
    if classes.size != 2:
        fail(
            "y_true",
            "labels of exactly two classes for ROC AUC",
            described(f"{classes.size} class(es)"),
            caller,
        )
    pos = classes[1] if pos_label is None else pos_label
    col = int(np.searchsorted(classes, pos))
    sa = _binary_scores(y, a, na, caller, col)
    sb = _binary_scores(y, b, nb, caller, col)
    if w is not None:
        # the AUC multiplies pairs of weights: bring the largest to [0.5, 1) by
        # a power of two (exact, and the AUC is scale-free) so that products
        # of weights near 1e200 or 1e-200 neither overflow nor underflow
        w = w * float(np.ldexp(1.0, -int(np.frexp(w.max())[1])))
    return Problem(spec=spec, n=n, positive=y == pos, scores=(sa, sb), weights=w)


_ECE_FEW_BINS = 10  # the default: allowed on samples smaller than it

# weights whose resampled sums (up to n times the largest weight) stay below
# 2**_WEIGHT_TOP_EXP, and whose largest is at least 2**-_WEIGHT_TOP_EXP, are used as given
_WEIGHT_TOP_EXP = 900


def _weights_in_range(w: FloatArray | None, n: int) -> FloatArray | None:
    """``w`` times a power of two when its sums would overflow or its values are tiny.

    Every named metric is scale-free in the weights. Weights near 1e306 on
    600 rows summed to inf (every metric came out NaN: the paired functions
    raised "values nan and nan", :class:`MetricThreshold` failed the
    challenger), and weights near 1e-320 (subnormal) lost their digits in the
    products (a Brier score off in the fourth digit). A power of two is exact,
    so weights already in range are left as they are (same numbers).
    """
    if w is None:
        return None
    top = float(w.max())
    if top >= 2.0**-_WEIGHT_TOP_EXP and top * n < 2.0**_WEIGHT_TOP_EXP:
        return w
    return np.ldexp(w, -int(np.frexp(top)[1]))


#: regression losses are used as computed while the largest (times its weight)
#: stays within 2**-_LOSS_EXP and 2**_LOSS_EXP / n
_LOSS_EXP = 1000


def _regression_losses(
    y: FloatArray, a: FloatArray, b: FloatArray, ones: FloatArray, *, squared: bool
) -> tuple[FloatArray, FloatArray, int]:
    """Weighted per-example losses of both models, and the power of two they are in.

    Returns ``(la, lb, unit_exp)``: the metric is ``2**unit_exp`` times the
    weighted mean of ``la`` (``lb``). Values near 1e308 overflowed ``a - y``,
    errors near 1e154 overflowed their squares (or 300 of them their sum) and
    errors near 1e-170 underflowed them: the MAE or MSE came out inf (a
    ``MetricThreshold`` failed a challenger well within its maximum, the
    paired tests raised) or 0 (a paired test found no difference, p = 1).
    Then the errors are brought to [0.5, 1) by a power of two (exact), and
    ``unit_exp`` records it; losses already in range are used as computed
    (``unit_exp`` 0: the same numbers).
    """
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        da, db = a - y, b - y
        if squared:
            la, lb = ones * da**2, ones * db**2
        else:
            la, lb = ones * np.abs(da), ones * np.abs(db)
    n = y.shape[0]
    top = max(float(la.max(initial=0.0)), float(lb.max(initial=0.0)))
    errors = bool(np.any(da != 0.0) or np.any(db != 0.0))
    if math.isfinite(top) and top * n < 2.0**_LOSS_EXP and (
        top >= 2.0**-_LOSS_EXP or not errors
    ):
        return la, lb, 0
    shift = 0
    if max(float(np.abs(v).max(initial=0.0)) for v in (y, a, b)) >= 2.0**1022:
        # halved first, a - y cannot overflow (exact but for subnormal values)
        da, db = a * 0.5 - y * 0.5, b * 0.5 - y * 0.5
        shift = 1
    top_error = max(float(np.abs(da).max(initial=0.0)), float(np.abs(db).max(initial=0.0)))
    if top_error == 0.0:
        return la, lb, 0
    e = int(np.frexp(top_error)[1])
    with np.errstate(under="ignore"):
        da, db = np.ldexp(da, -e), np.ldexp(db, -e)
        if squared:
            la, lb = ones * da**2, ones * db**2
        else:
            la, lb = ones * np.abs(da), ones * np.abs(db)
    shift += e
    return la, lb, 2 * shift if squared else shift


def _ece_bins(
    y: npt.NDArray[Any],
    p: FloatArray,
    n_bins: int,
    classes: npt.NDArray[Any] | None = None,
    pos_label: Any = None,
) -> tuple[npt.NDArray[np.intp], FloatArray]:
    """(top-label confidence bin, correct - confidence) of every example.

    1-D probabilities are those of ``pos_label`` (default: the larger class).
    """
    classes = np.unique(y) if classes is None else classes
    if p.ndim == 1:
        conf = np.maximum(p, 1.0 - p)
        if pos_label is None or pos_label == classes[-1]:
            pos, neg = classes[-1], classes[0]
        else:
            pos, neg = classes[0], classes[-1]
        pred = np.where(p > 0.5, pos, neg)
    else:
        col = np.argmax(p, axis=1)
        conf = p[np.arange(p.shape[0]), col]
        pred = classes[col]
    correct = (pred == y).astype(np.float64)
    return _width_bins(conf, n_bins), correct - conf


def _width_bins(conf: FloatArray, n_bins: int) -> npt.NDArray[np.intp]:
    """Equal-width bin ``k`` of each confidence: ``k / n_bins <= conf < (k + 1) / n_bins``.

    ``floor(conf * n_bins)`` alone rounds: ``0.29 * 100`` is ``28.999999999999996``,
    so a confidence of exactly 0.29 went to the bin [0.28, 0.29) (and 0.57,
    0.58 likewise), against the edges ``k / n_bins``. The top bin holds 1.
    """
    bins = np.clip(np.floor(conf * n_bins).astype(np.intp), 0, n_bins - 1)
    bins = bins + (conf >= (bins + 1) / n_bins)
    bins = bins - (conf < bins / n_bins)
    return np.clip(bins, 0, n_bins - 1)


def _bin_columns(bins: npt.NDArray[np.intp], values: FloatArray, k: int) -> FloatArray:
    out = np.zeros((values.shape[0], k))
    out[np.arange(values.shape[0]), bins] = values
    return out


def _ece_columns(
    y: npt.NDArray[Any],
    p: FloatArray,
    n_bins: int,
    classes: npt.NDArray[Any] | None = None,
    pos_label: Any = None,
) -> FloatArray:
    """Per-example (correct - confidence) spread into its occupied confidence bins."""
    bins, gap = _ece_bins(y, p, n_bins, classes, pos_label)
    ids, where = np.unique(bins, return_inverse=True)
    return _bin_columns(where.reshape(-1), gap, ids.size)


def expected_calibration_error(y: npt.NDArray[Any], p: FloatArray, n_bins: int = 10) -> float:
    """Top-label expected calibration error with equal-width bins."""
    return float(np.abs(_ece_columns(y, p, n_bins).sum(axis=0)).sum() / y.shape[0])


# ---------------------------------------------------------------- ROC AUC


@attrs.frozen
class AucLayout:
    """Score-sorted layout of one model's scores, grouped into label runs.

    Runs are maximal stretches of the sorted order with one label that never
    cross the boundary of a tie group holding both labels; inside such a mixed
    group the negatives come first, so a positive run's tied negatives are the
    run just before it.
    """

    order: npt.NDArray[np.intp]
    starts: npt.NDArray[np.intp]
    pos_runs: npt.NDArray[np.intp]
    tied: FloatArray  # 1.0 for positive runs inside a mixed tie group


def auc_layout(positive: npt.NDArray[np.bool_], score: FloatArray) -> AucLayout:
    """Sort once and find the label runs (see :class:`AucLayout`)."""
    order = np.lexsort((positive, score))
    s = score[order]
    p = positive[order]
    n = s.size
    new_group = np.empty(n, dtype=bool)
    new_group[0] = True
    new_group[1:] = s[1:] != s[:-1]
    gid = np.cumsum(new_group) - 1
    g_pos = np.bincount(gid, weights=p.astype(np.float64))
    g_size = np.bincount(gid)
    mixed = (g_pos > 0) & (g_pos < g_size)
    start = np.empty(n, dtype=bool)
    start[0] = True
    start[1:] = (p[1:] != p[:-1]) | (new_group[1:] & (mixed[gid[1:]] | mixed[gid[:-1]]))
    starts = np.flatnonzero(start)
    run_pos = p[starts]
    pos_runs = np.flatnonzero(run_pos)
    tied = mixed[gid[starts[pos_runs]]].astype(np.float64)
    return AucLayout(order=order, starts=starts, pos_runs=pos_runs, tied=tied)


def auc_from_sorted(layout: AucLayout, W: npt.NDArray[Any]) -> FloatArray:
    """AUC per row of weights ``W`` (m, n) given in the layout's sorted order."""
    S = np.add.reduceat(W, layout.starts, axis=1).astype(np.float64, copy=False)
    return auc_from_runs(layout, S)


def auc_from_runs(layout: AucLayout, S: FloatArray) -> FloatArray:
    """AUC per row of run sums ``S`` (m, number of runs) of the weights."""
    neg = S.copy()
    neg[:, layout.pos_runs] = 0.0
    cum = np.cumsum(neg, axis=1)
    k = layout.pos_runs
    P = S[:, k]
    below = cum[:, k]  # positive runs add no negatives, so inclusive == exclusive
    if layout.tied.any():
        prev = np.where(k > 0, k - 1, 0)
        below = below - 0.5 * layout.tied * S[:, prev]
    num = np.einsum("ij,ij->i", P, below)
    den = P.sum(axis=1) * cum[:, -1]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _run_matrix(run_of: npt.NDArray[np.intp], n_runs: int, dtype: Any) -> Any:
    """Sparse (n_runs, n) indicator: row k sums the weights of run k."""
    from scipy import sparse

    n = run_of.size
    ones = np.ones(n, dtype=dtype)
    return sparse.csr_array((ones, (run_of, np.arange(n))), shape=(n_runs, n))


def _run_ids(layout: AucLayout, n: int) -> npt.NDArray[np.intp]:
    mark = np.zeros(n, dtype=np.intp)
    mark[layout.starts[1:]] = 1
    return np.cumsum(mark)


def auc_weighted(positive: npt.NDArray[np.bool_], score: FloatArray, W: FloatArray) -> FloatArray:
    """AUC per row of example weights ``W`` (m, n) in the original order."""
    layout = auc_layout(positive, score)
    return auc_from_sorted(layout, W[:, layout.order])


def _auc_row_pairs(
    positive: npt.NDArray[np.bool_], score: FloatArray, w: FloatArray
) -> tuple[npt.NDArray[np.intp], FloatArray, npt.NDArray[np.bool_], FloatArray,
           float, float, float]:
    """Each row's weighted pairs with all rows (weighted Mann-Whitney), O(n log n).

    Returns, in the order of ``(score, positive)`` (``order``): each row's
    weight times the opposite-class weight below it (a positive; above it for
    a negative), ties counting half; the rows' classes and weights; and the
    AUC's numerator and the positive and negative weight totals. Shared by
    the leave-one-out and leave-one-group-out jackknives.
    """
    order = np.lexsort((positive, score))
    s = score[order]
    p = positive[order]
    ws = w[order]
    n = s.size
    new_group = np.empty(n, dtype=bool)
    new_group[0] = True
    new_group[1:] = s[1:] != s[:-1]
    gid = np.cumsum(new_group) - 1
    gpos = np.bincount(gid, weights=ws * p)
    gneg = np.bincount(gid, weights=ws * ~p)
    neg_below = np.cumsum(gneg) - gneg
    pos_above = gpos.sum() - np.cumsum(gpos)
    pos_contrib = ws * (neg_below[gid] + 0.5 * gneg[gid])
    num = float((pos_contrib * p).sum())
    neg_contrib = ws * (pos_above[gid] + 0.5 * gpos[gid])
    contrib = np.where(p, pos_contrib, neg_contrib)
    return order, contrib, p, ws, num, float(gpos.sum()), float(gneg.sum())


def auc_jackknife(positive: npt.NDArray[np.bool_], score: FloatArray, w: FloatArray) -> FloatArray:
    """Exact leave-one-out AUCs (weighted Mann-Whitney), O(n log n)."""
    order, contrib, p, ws, num, Wp, Wn = _auc_row_pairs(positive, score, w)
    wp = np.where(p, Wp - ws, Wp)
    wn = np.where(p, Wn, Wn - ws)
    den = wp * wn
    with np.errstate(invalid="ignore", divide="ignore"):
        loo = np.where(den > 0, (num - contrib) / np.where(den > 0, den, 1.0), np.nan)
    out = np.empty(score.size)
    out[order] = loo
    return out


def auc_group_jackknife(
    positive: npt.NDArray[np.bool_],
    score: FloatArray,
    w: FloatArray,
    codes: npt.NDArray[np.intp],
    n_groups: int,
) -> FloatArray:
    """Exact leave-one-group-out AUCs (weighted Mann-Whitney), O(n log n).

    Leaving group ``g`` out removes every pair with a member in ``g``: the
    sum over ``g``'s rows of each row's pairs with all rows counts the pairs
    inside ``g`` twice, so they are added back once.
    """
    order, contrib, _, _, num, Wp, Wn = _auc_row_pairs(positive, score, w)
    n = score.size
    out_pairs = np.bincount(codes[order], weights=contrib, minlength=n_groups)
    # pairs inside each group: tie blocks of (group, score)
    o2 = np.lexsort((score, codes))
    s2, c2, p2, w2 = score[o2], codes[o2], positive[o2], w[o2]
    new_block = np.empty(n, dtype=bool)
    new_block[0] = True
    new_block[1:] = (s2[1:] != s2[:-1]) | (c2[1:] != c2[:-1])
    bid = np.cumsum(new_block) - 1
    bneg = np.bincount(bid, weights=w2 * ~p2)
    bpos = np.bincount(bid, weights=w2 * p2)
    bcode = c2[new_block]
    before = np.cumsum(bneg) - bneg
    starts = np.empty(bcode.size, dtype=bool)
    starts[0] = True
    starts[1:] = bcode[1:] != bcode[:-1]
    below = before - before[starts][np.cumsum(starts) - 1]
    inside = np.bincount(bcode, weights=bpos * (below + 0.5 * bneg), minlength=n_groups)
    wp = Wp - np.bincount(codes, weights=w * positive, minlength=n_groups)
    wn = Wn - np.bincount(codes, weights=w * ~positive, minlength=n_groups)
    den = wp * wn
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(
            den > 0, (num - out_pairs + inside) / np.where(den > 0, den, 1.0), np.nan
        )


# ---------------------------------------------------------------- resampling


def count_blocks(
    rng: np.random.Generator, n: int, n_resamples: int, max_elements: int = 1 << 20
) -> Iterator[npt.NDArray[np.int64]]:
    """Yield blocks of bootstrap counts, shape (m, n), rows summing to ``n``.

    Blocks hold about ``max_elements`` counts so that the arrays of one block
    stay in cache; the index draws are int32 when ``n`` allows it.
    """
    b = max(1, min(n_resamples, max_elements // max(n, 1)))
    dtype = np.int32 if n < 2**31 - 1 else np.int64
    done = 0
    while done < n_resamples:
        m = min(b, n_resamples - done)
        idx = rng.integers(0, n, size=(m, n), dtype=dtype)
        if n <= 8192:
            flat = (idx.astype(np.int64) + (np.arange(m) * n)[:, None]).ravel()
            C = np.bincount(flat, minlength=m * n).reshape(m, n)
        else:
            C = np.empty((m, n), dtype=np.int64)
            for r in range(m):
                C[r] = np.bincount(idx[r], minlength=n)
        done += m
        yield C


def _few_unique_rows(F: FloatArray, limit: int) -> tuple[FloatArray, npt.NDArray[np.intp]] | None:
    """Distinct rows of ``F`` and their counts, or None if more than ``limit``."""
    key = np.zeros(F.shape[0], dtype=np.int64)
    radix = 1
    for j in range(F.shape[1]):
        _, inv = np.unique(F[:, j], return_inverse=True)
        k = int(inv.max()) + 1
        if k > limit or radix * k > limit * 1_000_000:
            return None
        key = key * k + inv
        radix *= k
    _, first, cnt = np.unique(key, return_index=True, return_counts=True)
    if first.size > limit:
        return None
    return F[first], cnt


def bootstrap_values(
    problem: Problem,
    n_resamples: int,
    rng: np.random.Generator,
    *,
    n_jobs: int | None = None,
    progress: Any = False,
    caller: str | None = None,
) -> tuple[FloatArray, FloatArray, str]:
    """Metric values of both models on ``n_resamples`` paired resamples.

    The resamples are drawn in chunks with independent streams and run
    through ``n_jobs`` joblib workers (:func:`mllifecycle._resample.map_chunks`),
    so the values depend on ``rng`` only, not on ``n_jobs``; ``progress`` (a
    ``progress=`` argument) advances once per chunk.
    """
    # distinct per-example rows: found once, shared by every chunk
    rows = _few_unique_rows(problem.F, problem.n // 4) if problem.F is not None else None

    def chunk(size: int, gen: np.random.Generator) -> tuple[FloatArray, FloatArray, str]:
        return _bootstrap_chunk(problem, size, gen, rows)

    parts = map_chunks(
        chunk,
        n_resamples,
        rng,
        n_jobs=n_jobs,
        progress=progress,
        caller=caller,
        desc="paired bootstrap",
    )
    va = np.concatenate([p[0] for p in parts])
    vb = np.concatenate([p[1] for p in parts])
    return va, vb, parts[0][2]


def _bootstrap_chunk(
    problem: Problem,
    n_resamples: int,
    rng: np.random.Generator,
    rows: tuple[FloatArray, npt.NDArray[np.intp]] | None,
) -> tuple[FloatArray, FloatArray, str]:
    """Metric values of both models on one chunk of ``n_resamples`` paired resamples."""

    def tick(k: int) -> None:
        pass

    n = problem.n
    if problem.F is not None:
        F = problem.F
        if rows is not None:
            U, cnt = rows
            M = rng.multinomial(n, cnt / n, size=n_resamples).astype(np.float64)
            a, b = problem.evaluate(M @ U)
            how = f"multinomial over {U.shape[0]} distinct per-example rows"
            tick(n_resamples)
            return a, b, how
        parts_a, parts_b = [], []
        for C in count_blocks(rng, n, n_resamples):
            a, b = problem.evaluate(C.astype(np.float64) @ F)
            parts_a.append(a)
            tick(a.shape[0])
            parts_b.append(b)
        return np.concatenate(parts_a), np.concatenate(parts_b), "count matrix product"
    if problem.scores is not None:
        assert problem.positive is not None
        la = auc_layout(problem.positive, problem.scores[0])
        lb = auc_layout(problem.positive, problem.scores[1])
        inv_a = np.empty(n, dtype=np.intp)
        inv_a[la.order] = np.arange(n)
        perm = inv_a[lb.order]
        # counts are exchangeable: read column j of a block as the count of the
        # example at position j of the champion's sorted order; each model's
        # run sums are then one sparse product with a run-indicator matrix
        run_b = np.empty(n, dtype=np.intp)
        run_b[perm] = _run_ids(lb, n)
        w_sorted = None if problem.weights is None else problem.weights[la.order]
        # integer counts and their run sums are exact in float32 below 2**24
        dt = np.float32 if w_sorted is None and n < 2**24 else np.float64
        Ga = _run_matrix(_run_ids(la, n), la.starts.size, dt)
        Gb = _run_matrix(run_b, lb.starts.size, dt)
        parts_a, parts_b = [], []
        # cluster bootstrap: groups are drawn, and each row counts as often as its
        # group was drawn (the count of the group of the row at each sorted position)
        group_at = None if problem.group_of is None else problem.group_of[la.order]
        draws = n if problem.n_groups is None or group_at is None else problem.n_groups
        for C in count_blocks(rng, draws, n_resamples,
                              max_elements=max(1, (1 << 20) * draws // n)):
            if group_at is not None:
                C = C[:, group_at]
            CT: npt.NDArray[Any] = np.ascontiguousarray(C.T, dtype=dt)
            if w_sorted is not None:
                CT = CT * w_sorted[:, None]
            Sa = np.asarray(Ga @ CT, dtype=np.float64).T
            Sb = np.asarray(Gb @ CT, dtype=np.float64).T
            parts_a.append(auc_from_runs(la, Sa))
            tick(Sa.shape[0])
            parts_b.append(auc_from_runs(lb, Sb))
        return (
            np.concatenate(parts_a),
            np.concatenate(parts_b),
            "sorted run sums",
        )
    assert problem.arrays is not None
    assert problem.spec.func is not None
    y, a0, b0 = problem.arrays
    w = problem.weights
    va = np.empty(n_resamples)
    vb = np.empty(n_resamples)
    for r in range(n_resamples):
        idx = rng.integers(0, n, size=n)
        wi = None if w is None else w[idx]
        va[r] = _call(problem.spec.func, y[idx], a0[idx], wi)
        tick(1)
        vb[r] = _call(problem.spec.func, y[idx], b0[idx], wi)
    return va, vb, "loop over resamples (callable metric)"


def jackknife_values(problem: Problem, max_groups: int = 100) -> FloatArray:
    """Leave-one-out (or grouped) values of the difference, for BCa."""
    if problem.F is not None:
        F = problem.F
        a, b = problem.evaluate(F.sum(axis=0) - F)
        return b - a
    w = np.ones(problem.n) if problem.weights is None else problem.weights
    if problem.scores is not None:
        assert problem.positive is not None
        if problem.group_of is not None and problem.n_groups is not None:
            ja = auc_group_jackknife(
                problem.positive, problem.scores[0], w, problem.group_of, problem.n_groups
            )
            jb = auc_group_jackknife(
                problem.positive, problem.scores[1], w, problem.group_of, problem.n_groups
            )
            return jb - ja
        ja = auc_jackknife(problem.positive, problem.scores[0], w)
        jb = auc_jackknife(problem.positive, problem.scores[1], w)
        return jb - ja
    assert problem.arrays is not None
    assert problem.spec.func is not None
    y, a0, b0 = problem.arrays
    n = problem.n
    g = min(n, max_groups)
    groups = np.arange(n) % g
    out = np.empty(g)
    for k in range(g):
        keep = groups != k
        wk = None if problem.weights is None else problem.weights[keep]
        out[k] = _call(problem.spec.func, y[keep], b0[keep], wk) - _call(
            problem.spec.func, y[keep], a0[keep], wk
        )
    return out
