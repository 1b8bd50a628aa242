"""The context a gate checks, and the result it returns."""

from __future__ import annotations

import html
import numbers
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._frames import refuse_duplicate_names, series_kind
from mllifecycle._results import flat_metrics, format_value, jsonable
from mllifecycle._validation import (
    check_array,
    check_consistent_length,
    check_labels_as_given,
    check_proba,
    check_rng,
    check_same_label_kind,
    column_names,
    described,
    fail,
    label_kinds,
)
from mllifecycle._weights import check_weights
from mllifecycle.gates._metrics import (
    MetricSpec,
    _labels,
    given_float_dtype,
    in_row_order,
    proba_by_class,
)

__all__ = ["GateContext", "GateResult", "model_inputs"]


def _slices(value: Any, n: int) -> Any:
    """Normalise slices: a 1-D array, or a dict of named 1-D arrays."""
    caller = "GateContext"
    if value is None:
        return None
    names = column_names(value)
    if names is not None:
        # a repeated name would keep one of its columns only
        refuse_duplicate_names(list(value.columns), "slices", caller)  # names as given
        arr = np.asarray(value.to_numpy())
        value = {nm: arr[:, j] for j, nm in enumerate(names)}
    if isinstance(value, Mapping):
        if not value:
            fail("slices", "a non-empty mapping of slice columns", value, caller)
        # keys are kept as text: {1: a, "1": b} would keep b alone
        refuse_duplicate_names(list(value), "slices", caller)
        out = {}
        for key, col in value.items():
            # None and mixed types would crash np.unique in the slice gate
            c = _labels(col, "slices", caller)
            if c.shape[0] != n:
                fail(
                    "slices",
                    f"columns with one slice label per example ({n})",
                    described(f"column {key!r} of length {c.shape[0]}"),
                    caller,
                )
            out[str(key)] = c
        return out
    c = _labels(value, "slices", caller)
    if c.shape[0] != n:
        fail(
            "slices",
            f"one slice label per example ({n})",
            described(f"{c.shape[0]} label(s)"),
            caller,
        )
    return c


def _rows(mask: Any, n: int) -> npt.NDArray[Any]:
    """Check a row selection of :meth:`GateContext.subset`: flags or positions.

    NumPy read an integer array of 0s and 1s as positions (rows 0 and 1 over
    and over), a mask of another length or holding missing values raised a
    bare ``IndexError``.
    """
    caller = "GateContext.subset"
    expected = (
        f"a boolean mask of length {n} or an array of integer row positions in "
        f"[0, {n})"
    )
    arr = check_array(mask, "mask", caller=caller, ndim=1, dtype="any", min_samples=0)
    if arr.dtype.kind == "O" and all(isinstance(v, bool | np.bool_) for v in arr):
        arr = arr.astype(bool)
    if arr.size == 0 and n > 0:
        fail("mask", "a selection of at least one row", described("an empty selection"),
             caller)
    if arr.dtype.kind == "b":
        if arr.shape[0] != n:
            fail("mask", expected, described(f"a boolean mask of length {arr.shape[0]}"),
                 caller)
        if not arr.any():
            fail("mask", "a mask selecting at least one row", described("no row selected"),
                 caller)
        return arr
    if arr.dtype.kind not in "iu":
        missing = arr.dtype.kind == "O" and any(
            v is None or type(v).__name__ == "NAType" or (isinstance(v, float) and v != v)
            for v in arr
        )
        what = "missing values (None or NA)" if missing else f"values of dtype {arr.dtype}"
        fail("mask", expected, described(f"a mask holding {what}"), caller)
    if arr.shape[0] == n and np.isin(arr, (0, 1)).all():
        fail(
            "mask",
            f"{expected} (integer 0/1 flags would be read as the positions 0 and 1; "
            "pass mask.astype(bool), or np.flatnonzero(mask) for positions)",
            described(f"{n} integers, all 0 or 1"),
            caller,
        )
    if arr.min() < 0 or arr.max() >= n:
        bad = arr.min() if arr.min() < 0 else arr.max()
        fail("mask", expected, described(f"the position {int(bad)}"), caller)
    return arr


def _flag_series(mask: Any) -> bool:
    """Whether a pandas Series holds flags (``bool`` or ``boolean``), not row positions."""
    kind = getattr(getattr(mask, "dtype", None), "kind", None)
    return kind == "b" or str(getattr(mask, "dtype", "")) == "boolean"


def _same_values(a: Any, b: Any) -> bool:
    """Equality of two context fields: arrays (of one dtype), None or columns of slices."""
    if a is b:
        return True
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and list(a) == list(b)
            and all(_same_values(a[k], b[k]) for k in a)
        )
    if a is None or b is None:
        return False
    a, b = np.asarray(a), np.asarray(b)
    # booleans and numbers are labels of different kinds to the gates
    return a.dtype == b.dtype and a.shape == b.shape and bool(np.array_equal(a, b))


_ARRAY_EQ = attrs.cmp_using(eq=_same_values)


def _context_classes(value: Any, y: npt.NDArray[Any], caller: str) -> npt.NDArray[Any]:
    """Check ``classes``: labels of ``y_true``'s kind holding every label of ``y_true``."""
    cls = _labels(value, "classes", caller)
    check_same_label_kind(label_kinds(cls), "classes", label_kinds(y), "y_true", caller)
    cls = np.unique(cls)
    missing = np.setdiff1d(np.unique(y), cls)
    if missing.size:
        fail(
            "classes",
            "the labels of the problem, including every label of y_true",
            described(f"{cls.tolist()[:10]}, without {missing.tolist()[0]!r}"),
            caller,
        )
    return cls


# unsafe_hash=False: a context holds arrays, so it is unhashable (as arrays are)
@attrs.frozen(kw_only=True, unsafe_hash=False)
class GateContext:
    """What a gate sees: the labels and both models' outputs on one data set.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        True labels or values.
    challenger : array-like of shape (n,)
        The challenger's predictions (class labels or regression values).
    champion : array-like of shape (n,), optional
        The champion's predictions; None for a first model.
    challenger_proba, champion_proba : array-like, optional
        Probabilities: 1-D (positive class, the larger label) or 2-D (one
        column per class of ``y_true``, sorted). Needed by probability metrics
        (log loss, Brier, ROC AUC, calibration). A table whose columns are
        named by the classes (``model.classes_``) is read by name, in any
        order: text by text, numbers by value (``1``, ``1.0``, ``"1"``), a
        bool naming no number; a table naming some classes beside other
        columns, or one class twice, is refused; one naming no class (``p0``,
        ``p1``) is read by position.
    slices : array-like of shape (n,), mapping or DataFrame, optional
        Slice labels per example, or named columns of them.
    sample_weight : array-like of shape (n,), optional
    rng : int, numpy.random.Generator or None
        Seed of the bootstraps the gates run; an int makes every check
        reproducible.
    classes : array-like, optional
        The labels of the problem (e.g. the models' ``classes_``), when the
        data may lack some of them: a holdout with one class only. Predictions
        of such a class are then wrong answers rather than unknown labels, and
        probability columns (2-D: one per class, sorted; 1-D: the larger of two
        classes) are read against ``classes``. Default: the labels present in
        ``y_true``. Metrics undefined on the data (ROC AUC with one class
        present) make the gates that need them return a skipped result.
    groups : array-like of shape (n,), optional
        The group of each row (a user, a patient, a session) when rows of one
        group are not independent. The comparative gates then resample and
        swap whole groups (the cluster bootstrap of
        :func:`~mllifecycle.gates.paired_bootstrap`), so correlated rows do not
        make a difference look significant; ``method="mcnemar"`` and
        ``method="delong"`` have no cluster version and refuse groups. Missing
        labels (None, NaN) are refused; a slice holding fewer than two groups
        is not judged by :class:`~mllifecycle.gates.SliceNoRegression`.

    Pandas inputs (Series, tables) whose index holds ``y_true``'s row labels in
    another order are matched to ``y_true``'s rows by label; when one of the
    two is a default ``0..n-1`` RangeIndex, which may number the rows rather
    than name them, this is refused; other indexes are read by position.

    Examples
    --------
    >>> from mllifecycle.gates import GateContext
    >>> ctx = GateContext(y_true=[0, 1, 1, 0], challenger=[0, 1, 1, 1])
    >>> ctx.has_champion, ctx.n_samples
    (False, 4)

    Rows of two users, two rows each:

    >>> ctx = GateContext(y_true=[0, 1, 1, 0], challenger=[0, 1, 1, 1],
    ...                   groups=["ann", "ann", "bob", "bob"])
    >>> ctx.n_groups
    2
    """

    y_true: Any = attrs.field(eq=_ARRAY_EQ)
    challenger: Any = attrs.field(eq=_ARRAY_EQ)
    champion: Any = attrs.field(default=None, eq=_ARRAY_EQ)
    challenger_proba: Any = attrs.field(default=None, eq=_ARRAY_EQ)
    champion_proba: Any = attrs.field(default=None, eq=_ARRAY_EQ)
    slices: Any = attrs.field(default=None, eq=_ARRAY_EQ)
    sample_weight: Any = attrs.field(default=None, eq=_ARRAY_EQ)
    rng: Any = None
    classes: Any = attrs.field(default=None, eq=_ARRAY_EQ)
    groups: Any = attrs.field(default=None, eq=_ARRAY_EQ)
    # the float type below float64 each probability table was given in (float16,
    # float32): the gates check the table again, with that type's tolerance.
    # An init field, private, so that attrs.evolve passes it on: name -> (type,
    # the float64 array stored), a type that holds only for that very array (a
    # new table given to evolve is read afresh)
    _proba_dtypes: Any = attrs.field(default=None, eq=False, repr=False,
                                     alias="_proba_dtypes")
    # y_true's pandas row index, when it had one: what a slicing callable's
    # pandas answer is matched against (SliceNoRegression(by=callable))
    _row_index: Any = attrs.field(init=False, default=None, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        caller = "GateContext"
        fix = object.__setattr__
        given = self.y_true
        if series_kind(given) == "pandas":
            fix(self, "_row_index", given.index)
        # pandas inputs whose index holds y_true's row labels in another order
        # are matched by label (they were paired by position)
        for nm in ("challenger", "champion", "challenger_proba", "champion_proba",
                   "sample_weight", "groups"):
            fix(self, nm, in_row_order(getattr(self, nm), given, nm, caller))
        if isinstance(self.slices, Mapping):
            fix(self, "slices", {k: in_row_order(v, given, "slices", caller)
                                 for k, v in self.slices.items()})
        else:
            fix(self, "slices", in_row_order(self.slices, given, "slices", caller))
        y = check_array(self.y_true, "y_true", caller=caller, ndim=1, dtype="any")
        # each argument of one kind; whether the predictions are of y_true's kind
        # is left to the gates (a FunctionGate may compare flags with scores), and
        # missing values to the gates' own message
        check_labels_as_given(self.y_true, y, "y_true", caller, skip_missing=True)
        fix(self, "y_true", y)
        if self.classes is not None:
            fix(self, "classes", _context_classes(self.classes, y, caller))
        arrays = [y]
        names = ["y_true"]
        for nm in ("challenger", "champion"):
            v = getattr(self, nm)
            if v is None:
                if nm == "challenger":
                    fail(nm, "the challenger's predictions", None, caller)
                continue
            arr = check_array(v, nm, caller=caller, ndim=1, dtype="any")
            check_labels_as_given(v, arr, nm, caller, skip_missing=True)
            fix(self, nm, arr)
            arrays.append(arr)
            names.append(nm)
        remembered = self._proba_dtypes if isinstance(self._proba_dtypes, dict) else {}
        dtypes: dict[str, Any] = {}  # a new dict: evolve shares the old context's
        for nm in ("challenger_proba", "champion_proba"):
            v = getattr(self, nm)
            if v is None:
                continue
            labels = np.unique(y) if self.classes is None else self.classes
            v = proba_by_class(v, labels, nm, caller)
            shape = np.shape(v)
            if len(shape) == 2 and shape[1] == 1:
                # (n, 1), a Keras sigmoid's output or a one-column table, was
                # refused as "rows that sum to 1 ... a sum of 0.1"
                fail(
                    nm,
                    "1-D positive-class probabilities or a 2-D array with one column "
                    "per class (at least 2; pass the one column as a 1-D array)",
                    described(f"shape {tuple(int(d) for d in shape)}"),
                    caller,
                )
            given = given_float_dtype(v)
            kept = remembered.get(nm)
            if given is None and isinstance(kept, tuple) and kept[1] is v:
                # attrs.evolve(ctx, ...) passes the float64 array this context
                # stored: its float16 rows were refused at float64's tolerance
                given = kept[0]
            arr = check_proba(v, nm, caller, dtype=given)
            fix(self, nm, arr)
            if given is not None:
                dtypes[nm] = (given, arr)
            arrays.append(arr)
            names.append(nm)
        fix(self, "_proba_dtypes", dtypes)
        n = check_consistent_length(arrays, names, caller)
        fix(self, "slices", _slices(self.slices, n))
        fix(self, "sample_weight", check_weights(self.sample_weight, n, caller, positive_sum=True))
        if self.groups is not None:
            from mllifecycle._gain import check_groups

            fix(self, "groups", check_groups(self.groups, y, n, caller, rows_name="y_true"))
        check_rng(self.rng, caller=caller)

    @property
    def n_samples(self) -> int:
        """Number of examples."""
        return int(self.y_true.shape[0])

    @property
    def n_groups(self) -> int | None:
        """Number of distinct groups, or None without ``groups``."""
        return None if self.groups is None else int(np.unique(self.groups).size)

    @property
    def has_champion(self) -> bool:
        """Whether a champion is present (False for a first model)."""
        return self.champion is not None or self.champion_proba is not None

    def generator(self) -> np.random.Generator:
        """Return a fresh Generator from ``rng`` (same draws each call for an int)."""
        return check_rng(self.rng, caller="GateContext")

    def subset(self, mask: Any) -> GateContext:
        """Return the context restricted to the rows of ``mask``.

        ``mask`` is a boolean array with one flag per example, or an array of
        integer row positions. Slices are kept for the selected rows. An
        integer array of 0s and 1s with one entry per example is refused: it
        would be read as the positions 0 and 1, not as flags. Groups are kept
        for the selected rows. A pandas boolean Series whose index holds the
        row labels of the context's pandas ``y_true`` in another order (a mask
        computed on a sorted or shuffled table) is matched to those rows by
        label, as the context's own inputs are (it selected other rows by
        position).
        """
        index = self._row_index
        if index is not None and series_kind(mask) == "pandas" and _flag_series(mask):
            mask = in_row_order(mask, index, "mask", "GateContext.subset")
        rows = _rows(mask, self.n_samples)

        def sub(v: Any) -> Any:
            return None if v is None else v[rows]

        slices = self.slices
        slices = {k: v[rows] for k, v in slices.items()} if isinstance(slices, dict) else sub(
            slices
        )
        out = GateContext(
            y_true=self.y_true[rows],
            challenger=self.challenger[rows],
            champion=sub(self.champion),
            challenger_proba=self._proba_as_given("challenger_proba", rows),
            champion_proba=self._proba_as_given("champion_proba", rows),
            slices=slices,
            sample_weight=sub(self.sample_weight),
            groups=sub(self.groups),
            rng=self.rng,
            # the full data's labels: a slice may lack a class its predictions hold
            classes=self.labels,
        )
        if self._row_index is not None:
            object.__setattr__(out, "_row_index", self._row_index[rows])
        return out

    def _proba_as_given(self, name: str, rows: Any = None) -> Any:
        """Probabilities ``name`` (its ``rows``) in the float type they were given in.

        The context holds them as float64; float16 or float32 values are cast
        back exactly, so a gate checking them again allows that type's
        rounding of the row sums (float16 rows were refused by every gate).
        """
        p = getattr(self, name)
        if p is None:
            return None
        if rows is not None:
            p = p[rows]
        kept = self._proba_dtypes.get(name)
        return p if kept is None else p.astype(kept[0])

    @property
    def labels(self) -> npt.NDArray[Any]:
        """The labels of the problem: ``classes`` if given, else those in ``y_true``."""
        return np.unique(self.y_true) if self.classes is None else self.classes


def _labels_from_proba(
    y: npt.NDArray[Any],
    p: npt.NDArray[Any],
    name: str = "champion_proba",
    classes: Any = None,
) -> npt.NDArray[Any]:
    """Predicted labels from probabilities; ``classes`` those of the full data set.

    ``classes`` defaults to the labels present in ``y``: a slice of the data
    passes the full data set's classes, or its probability columns (and the
    class 1-D probabilities are of) would be read against the wrong labels.
    """
    classes = np.unique(y) if classes is None else np.union1d(np.asarray(classes), y)
    if p.ndim == 1:
        if classes.size != 2:
            # with one class present, p > 0.5 and p <= 0.5 would both predict
            # it: a champion wrong everywhere would score accuracy 1.0
            fail(
                name,
                "2-D class probabilities (1-D probabilities need exactly two classes in y_true)",
                described(f"1-D probabilities with {classes.size} class(es) in y_true"),
                "GateContext",
            )
        return np.asarray(np.where(p > 0.5, classes[-1], classes[0]))
    if p.shape[1] != classes.size:
        fail(
            name,
            f"one column per class of y_true ({classes.size})",
            described(f"{p.shape[1]} column(s)"),
            "GateContext",
        )
    return np.asarray(classes[np.argmax(p, axis=1)])


def model_inputs(
    spec: MetricSpec,
    context: GateContext,
    caller: str,
    *,
    use_proba: bool = False,
    classes: Any = None,
) -> tuple[Any, Any]:
    """Return (champion input, challenger input) in the form ``spec`` needs.

    ``classes`` are the class labels of the full data set when ``context`` is
    a slice of it (the champion's labels may come from its probabilities).
    """
    if spec.kind in ("proba", "score") or (spec.kind == "callable" and use_proba):
        found = {}
        for nm in ("challenger", "champion"):
            p = getattr(context, f"{nm}_proba")
            if spec.kind != "callable" and isinstance(context, GateContext):
                # in the type given (checked with its rounding), read as float64
                p = context._proba_as_given(f"{nm}_proba")
            if p is None and (nm == "challenger" or context.has_champion):
                fail(
                    "context",
                    f"a GateContext with {nm}_proba for metric {spec.name!r}",
                    described(f"{nm}_proba=None"),
                    caller,
                )
            found[nm] = p
        return found["champion"], found["challenger"]
    if classes is None:
        classes = context.classes
    champion = context.champion
    if champion is None and context.champion_proba is not None and spec.kind == "label":
        champion = _labels_from_proba(
            context.y_true, context.champion_proba, classes=classes
        )
    return champion, context.challenger


def _flag(value: Any, name: str) -> bool:
    """Return ``value`` as a bool: bools, NumPy bools and the numbers 0 and 1.

    Anything else is refused: ``bool("False")`` and ``bool(float("nan"))`` are
    True, so a gate returning such a value would pass silently.
    """
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, numbers.Real) and value in (0, 1):
        return bool(value)
    fail(name, "a bool", value, "GateResult")


def _passed(value: Any) -> bool:
    return _flag(value, "passed")


def _skipped(value: Any) -> bool:
    return _flag(value, "skipped")


def _reasons(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


# unsafe_hash=False: its evidence is a dict, so it is unhashable (as dicts are)
@attrs.frozen(kw_only=True, unsafe_hash=False)
class GateResult:
    """The decision of one gate, with its reasons and evidence.

    Attributes
    ----------
    passed : bool
        Whether the challenger passed (a skipped gate passes).
    name : str
        The gate, e.g. ``"NoRegression(accuracy, margin=0.005)"``.
    reasons : tuple of str
        Human-readable sentences explaining the decision.
    skipped : bool
        True when the gate did not apply (e.g. a comparative gate with no
        champion); a skipped gate passes, so ``skipped=True`` needs
        ``passed=True``.
    evidence : dict
        The numbers behind the decision (JSON-safe).

    Notes
    -----
    ``bool(result)`` is ``result.passed``.

    Examples
    --------
    >>> from mllifecycle.gates import GateResult
    >>> r = GateResult(passed=True, name="mine", reasons=["fine"])
    >>> r.reasons
    ('fine',)
    >>> bool(GateResult(passed=False, name="mine"))
    False
    """

    passed: bool = attrs.field(converter=_passed)
    name: str
    reasons: tuple[str, ...] = attrs.field(converter=_reasons, factory=tuple)
    skipped: bool = attrs.field(default=False, converter=_skipped)
    evidence: dict[str, Any] = attrs.field(factory=dict, converter=jsonable)

    @skipped.validator
    def _skipped_passes(self, attribute: attrs.Attribute[Any], value: bool) -> None:
        # the decision reads passed and the report showed [SKIP] beside FAILED
        if value and not self.passed:
            fail("skipped", "False for a gate that did not pass (a skipped gate passes: "
                 "GateResult(skipped=True) needs passed=True)", value, "GateResult")

    def __bool__(self) -> bool:
        # an object is truthy: a failed gate read as True in ``if gate.check(ctx):``
        return bool(self.passed)

    @property
    def status(self) -> str:
        """``"PASS"``, ``"FAIL"`` or ``"SKIP"``."""
        if self.skipped:
            return "SKIP"
        return "PASS" if self.passed else "FAIL"

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-safe dict."""
        return {
            "name": self.name,
            "passed": self.passed,
            "skipped": self.skipped,
            "reasons": list(self.reasons),
            "evidence": jsonable(self.evidence),
        }

    def to_metrics(self) -> dict[str, float]:
        """Return ``passed``, ``skipped`` and the numeric evidence as ``name -> float``.

        Nested evidence is joined with dots (``expected_calibration_error.p_value``);
        text and lists are left out, so ``mlflow.log_metrics(r.to_metrics())``
        works as-is.

        Examples
        --------
        >>> from mllifecycle.gates import GateResult
        >>> GateResult(passed=True, name="g", evidence={"p_value": 0.01}).to_metrics()
        {'passed': 1.0, 'skipped': 0.0, 'p_value': 0.01}
        """
        return flat_metrics(
            {"passed": self.passed, "skipped": self.skipped, **jsonable(self.evidence)}
        )

    def __repr__(self) -> str:
        text = "; ".join(self.reasons)
        return f"[{self.status}] {self.name}: {text}"

    def _repr_html_(self) -> str:
        reasons = "".join(f"<li>{html.escape(r)}</li>" for r in self.reasons)
        ev = "".join(
            f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(format_value(v))}</td></tr>"
            for k, v in self.evidence.items()
            if not isinstance(v, dict | list)
        )
        return (
            f"<div><b>{html.escape(self.status)}</b> {html.escape(self.name)}"
            f"<ul>{reasons}</ul><table><tbody>{ev}</tbody></table></div>"
        )
