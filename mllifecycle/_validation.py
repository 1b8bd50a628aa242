"""Shared input checks, used by every public function (scipy's ``_iv`` style).

Every check raises :class:`~mllifecycle.exceptions.InvalidParameterError` with
one message format, naming the parameter, the function, what was expected and
what was received::

    The 'alpha' parameter of ks must be a float in the range (0, 1). Got 1.5 instead.

Only NumPy is imported here, so ``import mllifecycle`` stays light.
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, NoReturn

import numpy as np
import numpy.typing as npt

from mllifecycle.exceptions import InvalidParameterError

__all__ = [
    "RNGLike",
    "NanPolicy",
    "fail",
    "described",
    "check_rng",
    "check_alpha",
    "check_probability",
    "check_scalar",
    "check_int",
    "check_option",
    "check_bool",
    "check_array",
    "check_1d",
    "check_2d",
    "check_same_n_features",
    "check_consistent_length",
    "check_binary",
    "check_proba",
    "check_nan_policy",
    "check_has_methods",
    "check_callable",
    "column_names",
    "ONE_KIND",
    "label_kind",
    "label_kinds",
    "check_labels_of_one_kind",
    "check_labels_as_given",
    "check_same_label_kind",
]

RNGLike = int | np.random.Generator | np.random.SeedSequence | None
NanPolicy = Literal["raise", "omit"]


# datetimes and durations: Python's, pandas' (subclasses) and NumPy's scalars
_TIMES = (_dt.date, _dt.timedelta, np.datetime64, np.timedelta64)


def _where(caller: str | None) -> str:
    return f" of {caller}" if caller else ""


def _short(value: Any) -> str:
    """Return a repr of ``value`` short enough for an error message."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def fail(name: str, expected: str, got: Any, caller: str | None = None) -> NoReturn:
    """Raise the standard :class:`InvalidParameterError`.

    ``got`` is echoed with ``repr`` unless it is already a string description
    passed through :func:`described`.
    """
    shown = got.text if isinstance(got, _Described) else _short(got)
    raise InvalidParameterError(
        f"The {name!r} parameter{_where(caller)} must be {expected}. Got {shown} instead."
    )



def refusal_as(
    exc: BaseException, inner: str, outer: str, names: Mapping[str, str] | None = None
) -> InvalidParameterError | None:
    """Return ``inner``'s refusal (made by :func:`fail`) as one by ``outer``, else None.

    For a public function that validates through another public call: "The
    'X' parameter of replay must be ..." named a call the user never made.
    ``names`` maps ``inner``'s parameter names to ``outer``'s (only those are
    rewritten: None is returned for the others); without it every name is kept.

    Examples
    --------
    >>> from mllifecycle._validation import refusal_as
    >>> from mllifecycle.exceptions import InvalidParameterError
    >>> e = InvalidParameterError("The 'cv' parameter of finetune must be >= 2. Got 1 instead.")
    >>> print(refusal_as(e, "finetune", "transfer_gain", {"cv": "finetune_params['cv']"}))
    The "finetune_params['cv']" parameter of transfer_gain must be >= 2. Got 1 instead.
    """
    import ast
    import re

    if not isinstance(exc, InvalidParameterError):
        return None
    text = str(exc)
    m = re.match(r"The ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\") parameter of "
                 + re.escape(inner) + " must be ", text)
    if m is None:
        return None
    name = ast.literal_eval(m.group(1))
    if names is not None:
        if name not in names:
            return None
        name = names[name]
    return InvalidParameterError(f"The {name!r} parameter of {outer} must be " + text[m.end():])


class _Described:
    """A pre-formatted description of a received value (not echoed with repr)."""

    def __init__(self, text: str) -> None:
        self.text = text


def described(text: str) -> _Described:
    """Wrap a description so :func:`fail` prints it verbatim."""
    return _Described(text)


def refuse_sparse(x: Any, name: str, caller: str) -> None:
    """Fail clearly on a SciPy sparse matrix or array (not supported).

    ``np.asarray`` of a sparse matrix is a 0-D object array: it was refused
    as "a 2-D array ... Got shape ()" or "dtype object", a shape or type the
    caller never passed. Checked by the type's module (no SciPy import).
    """
    if type(x).__module__.startswith("scipy.sparse"):
        fail(name, "a dense array (sparse input is not supported; call .toarray() "
             "if it fits in memory)", described(f"a sparse {type(x).__name__}"), caller)


def check_rng(rng: Any, name: str = "rng", caller: str | None = None) -> np.random.Generator:
    """Normalise ``rng`` (None, int seed, SeedSequence or Generator) to a Generator.

    Examples
    --------
    >>> from mllifecycle._validation import check_rng
    >>> bool(check_rng(0).integers(10) == check_rng(0).integers(10))
    True
    """
    if rng is None or isinstance(rng, np.random.Generator | np.random.SeedSequence):
        return np.random.default_rng(rng)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if int(rng) < 0:
            fail(name, "a non-negative int seed, a numpy Generator or None", rng, caller)
        return np.random.default_rng(int(rng))
    if isinstance(rng, np.random.RandomState):
        fail(
            name,
            "a non-negative int seed, a numpy Generator or None "
            "(legacy RandomState is not accepted; use numpy.random.default_rng)",
            described("a numpy.random.RandomState"),
            caller,
        )
    fail(name, "a non-negative int seed, a numpy Generator or None", rng, caller)


def check_scalar(
    value: Any,
    name: str,
    *,
    caller: str | None = None,
    kind: Literal["float", "int"] = "float",
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> float:
    """Check a real scalar lies in an interval; return it as a Python float.

    Examples
    --------
    >>> from mllifecycle._validation import check_scalar
    >>> check_scalar(0.5, "margin", low=0.0)
    0.5
    """
    noun = "an int" if kind == "int" else "a float"
    if low is None and high is None:
        expected = f"{noun}" if kind == "int" else "a finite float"
    else:
        lo = "-inf" if low is None else repr(low)
        hi = "inf" if high is None else repr(high)
        lb = "[" if (low_inclusive and low is not None) else "("
        rb = "]" if (high_inclusive and high is not None) else ")"
        expected = f"{noun} in the range {lb}{lo}, {hi}{rb}"
    ok_type = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if kind == "int":
        ok_type = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if not ok_type:
        fail(name, expected, value, caller)
    try:
        v = float(value)
    except OverflowError:  # an int beyond the float range
        fail(name, expected, value, caller)
    if not np.isfinite(v):
        fail(name, expected, value, caller)
    if low is not None and (v < low or (v == low and not low_inclusive)):
        fail(name, expected, value, caller)
    if high is not None and (v > high or (v == high and not high_inclusive)):
        fail(name, expected, value, caller)
    return v


def check_int(
    value: Any,
    name: str,
    *,
    caller: str | None = None,
    low: int | None = 1,
    high: int | None = None,
) -> int:
    """Check an integer lies in ``[low, high]`` (default: positive); return it.

    Examples
    --------
    >>> from mllifecycle._validation import check_int
    >>> check_int(100, "n_permutations")
    100
    """
    noun = "an int"
    if low is None and high is None:
        expected = noun
    else:
        lo = "-inf" if low is None else repr(low)
        hi = "inf" if high is None else repr(high)
        lb = "[" if low is not None else "("
        rb = "]" if high is not None else ")"
        expected = f"{noun} in the range {lb}{lo}, {hi}{rb}"
    if not isinstance(value, numbers.Integral) or isinstance(value, (bool, np.bool_)):
        fail(name, expected, value, caller)
    # Compare as Python ints: a float round trip loses integers above 2**53
    # (2**53 + 1 would pass a bound of 2**53) and overflows above ~1.8e308.
    v = operator.index(value)
    if (low is not None and v < low) or (high is not None and v > high):
        fail(name, expected, value, caller)
    return v


def check_alpha(value: Any, name: str = "alpha", caller: str | None = None) -> float:
    """Check a significance level lies in the open interval (0, 1).

    Examples
    --------
    >>> from mllifecycle._validation import check_alpha
    >>> check_alpha(0.05)
    0.05
    """
    return check_scalar(
        value, name, caller=caller, low=0.0, high=1.0,
        low_inclusive=False, high_inclusive=False,
    )


def check_probability(
    value: Any, name: str, caller: str | None = None, *, open_interval: bool = False
) -> float:
    """Check a probability lies in [0, 1] (or (0, 1) with ``open_interval``).

    Examples
    --------
    >>> from mllifecycle._validation import check_probability
    >>> check_probability(1.0, "confidence")
    1.0
    """
    return check_scalar(
        value, name, caller=caller, low=0.0, high=1.0,
        low_inclusive=not open_interval, high_inclusive=not open_interval,
    )


def check_option(
    value: Any, name: str, options: Iterable[Any], caller: str | None = None
) -> Any:
    """Check ``value`` is one of ``options``; return it.

    Examples
    --------
    >>> from mllifecycle._validation import check_option
    >>> check_option("holm", "correction", ["holm", "bonferroni"])
    'holm'
    """
    opts = list(options)
    for option in opts:
        if _same_option(value, option):
            # the option itself: a NumPy string comes back as the str it names
            return option
    shown = ", ".join(repr(o) for o in opts)
    fail(name, f"one of {{{shown}}}", value, caller)


def _same_option(value: Any, option: Any) -> bool:
    """Whether ``value`` names ``option``: equal, and of the same kind.

    ``1`` is not ``True`` and ``0.0`` not ``False`` (``1 in (True, False)`` is
    True in Python), None matches only None, and an array never matches (a
    one-element array would compare equal to its element).
    """
    if option is None or value is None:
        return value is option
    flags = (bool, np.bool_)
    if isinstance(option, flags) or isinstance(value, flags):
        both = isinstance(option, flags) and isinstance(value, flags)
        return both and bool(value) == bool(option)
    if isinstance(value, np.ndarray) or isinstance(option, str) != isinstance(value, str):
        return False
    try:
        return bool(value == option)
    except (TypeError, ValueError):  # odd comparisons
        return False


def check_bool(value: Any, name: str, caller: str | None = None) -> bool:
    """Check ``value`` is a bool (NumPy bools included); return it.

    Examples
    --------
    >>> from mllifecycle._validation import check_bool
    >>> check_bool(True, "progress")
    True
    """
    if not isinstance(value, bool | np.bool_):
        fail(name, "a bool", value, caller)
    return bool(value)


def check_callable(value: Any, name: str, caller: str | None = None) -> Any:
    """Check ``value`` is callable; return it."""
    if not callable(value):
        fail(name, "a callable", value, caller)
    return value


#: what :func:`check_labels_of_one_kind` asks for unless told otherwise
ONE_KIND = "labels of one kind (all text, all numbers or all booleans)"

#: the kind of the labels of an array of each NumPy dtype kind (see :func:`label_kind`)
_DTYPE_KINDS = {"U": "text", "S": "bytes", "b": "booleans", "i": "numbers", "u": "numbers",
                "f": "numbers", "c": "numbers", "M": "datetimes", "m": "durations"}


def label_kind(value: Any) -> str:
    """Return the kind of one class or category label.

    ``"text"``, ``"bytes"``, ``"booleans"``, ``"numbers"``, ``"datetimes"``,
    ``"durations"``, or the name of the value's type for anything else.
    NumPy scalars are of the kind of the Python values they hold; a bool is
    not a number here (``True == 1``, yet a flag and a count are not one
    class), while ints and floats are all numbers (``1 == 1.0``). Missing
    values are the caller's to remove first (NaN is a number, None a
    ``"NoneType"``).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle._validation import label_kind
    >>> label_kind(np.int64(1)), label_kind(1.5), label_kind(True), label_kind("1")
    ('numbers', 'numbers', 'booleans', 'text')
    """
    if isinstance(value, str):
        return "text"
    if isinstance(value, bytes):
        return "bytes"
    if isinstance(value, bool | np.bool_):
        return "booleans"
    # before numbers: np.timedelta64 is a NumPy integer type
    if isinstance(value, np.timedelta64 | _dt.timedelta):
        return "durations"
    if isinstance(value, np.datetime64 | _dt.datetime | _dt.date):
        return "datetimes"
    if isinstance(value, numbers.Number):
        return "numbers"
    return type(value).__name__


def label_kinds(values: Any) -> dict[str, Any]:
    """Return the kinds of ``values`` (see :func:`label_kind`), each with its first value.

    The kinds come in the order they first appear. An array of a non-object
    dtype is of one kind, read from its dtype without looking at its values.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle._validation import label_kinds
    >>> label_kinds(np.array([0, 1, 1]))
    {'numbers': 0}
    >>> label_kinds([1, "1", 2.5, True])
    {'numbers': 1, 'text': '1', 'booleans': True}
    """
    if isinstance(values, np.ndarray):
        if values.dtype.kind != "O":
            if not values.size:
                return {}
            kind = _DTYPE_KINDS.get(values.dtype.kind, str(values.dtype))
            return {kind: values.ravel()[0].item()}
        values = values.ravel().tolist()
    out: dict[str, Any] = {}
    by_type: dict[type, str] = {}  # one isinstance chain per type, not per value
    for v in values:
        t = type(v)
        if t not in by_type:
            by_type[t] = label_kind(v)
        out.setdefault(by_type[t], v)
    return out


def _label(value: Any) -> str:
    """Show one label in a message, a NumPy scalar as the Python value it holds."""
    return _short(value.item() if isinstance(value, np.generic) else value)


def _two_kinds(kinds: dict[str, Any]) -> _Described:
    """Describe the first two kinds of ``kinds`` with an example of each."""
    (k1, v1), (k2, v2) = list(kinds.items())[:2]
    return described(f"{k1} and {k2} ({_label(v1)} and {_label(v2)})")


def check_labels_of_one_kind(
    values: Any, name: str, caller: str | None = None, *, expected: str = ONE_KIND
) -> dict[str, Any]:
    """Refuse labels of two kinds (``1`` and ``"1"``, ``True`` and ``1``); return the kinds.

    NumPy and Python compare such labels as one class (``True == 1``) or
    turn them into one (``np.asarray([0, "0"])`` holds two ``"0"``), so a
    sample written partly one way and partly another would silently merge
    classes. The message names ``name`` and shows one label of each of the
    first two kinds.

    Parameters
    ----------
    values : numpy.ndarray or iterable
        The labels, missing values already removed.
    name : str
        Name of the argument, used in the message.
    caller : str, optional
        Name of the public function, used in the message.
    expected : str, optional
        What the argument must be, as the message says it.

    Returns
    -------
    dict
        :func:`label_kinds` of ``values``: at most one kind.

    Examples
    --------
    >>> from mllifecycle._validation import check_labels_of_one_kind
    >>> check_labels_of_one_kind(["a", "b"], "y")
    {'text': 'a'}
    >>> check_labels_of_one_kind([True, 1], "y", "fit")
    Traceback (most recent call last):
    ...
    mllifecycle.exceptions.InvalidParameterError: The 'y' parameter of fit must be ...
    Got booleans and numbers (True and 1) instead.
    """
    kinds = label_kinds(values)
    if len(kinds) > 1:
        fail(name, expected, _two_kinds(kinds), caller)
    return kinds


def _missing_label(v: Any) -> bool:
    """None, a float NaN or pandas' NA: a missing label, not a kind."""
    return v is None or (isinstance(v, float) and v != v) or type(v).__name__ == "NAType"


def check_labels_as_given(
    raw: Any, arr: Any, name: str, caller: str | None = None, *, skip_missing: bool = False
) -> None:
    """Refuse labels of two kinds as the caller gave them (see :func:`check_labels_of_one_kind`).

    ``np.asarray([True, 1, 0])`` holds the ints ``[1, 1, 0]``: a list or tuple
    ``raw`` is checked before NumPy merged it, an object array ``arr`` (``raw``
    converted) as it is; other arrays are of one kind by their dtype. With
    ``skip_missing`` missing values are left to the caller's own message.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle._validation import check_labels_as_given
    >>> check_labels_as_given([0, 1, 1.0], np.asarray([0, 1, 1.0]), "y")
    >>> check_labels_as_given([True, 1], np.asarray([True, 1]), "y", "fit")
    Traceback (most recent call last):
    ...
    mllifecycle.exceptions.InvalidParameterError: The 'y' parameter of fit must be ...
    Got booleans and numbers (True and 1) instead.
    """
    if isinstance(raw, list | tuple):
        values = list(raw)
    elif getattr(arr, "dtype", None) is not None and arr.dtype.kind == "O":
        values = arr.tolist()
    else:
        return
    if skip_missing:
        values = [v for v in values if not _missing_label(v)]
    check_labels_of_one_kind(values, name, caller)


def check_same_label_kind(
    kinds: dict[str, Any],
    name: str,
    like_kinds: dict[str, Any],
    like_name: str,
    caller: str | None = None,
    *,
    noun: str = "labels",
    hint: str = "convert one of them",
) -> None:
    """Refuse labels of another kind than those of ``like_name`` (both from :func:`label_kinds`).

    Either side empty passes. The message names ``name``, the other
    argument's kind with an example, and the kind received with an example.
    """
    if kinds and like_kinds and set(kinds) != set(like_kinds):
        (kind, v), (kind0, v0) = next(iter(kinds.items())), next(iter(like_kinds.items()))
        fail(
            name,
            f"{noun} of the same kind as {like_name!r}'s ({kind0}, such as {_label(v0)}; "
            f"{hint})",
            described(f"{kind} such as {_label(v)}"),
            caller,
        )


def check_nan_policy(value: Any, caller: str | None = None) -> NanPolicy:
    """Check a ``nan_policy`` argument ('raise' or 'omit').

    Examples
    --------
    >>> from mllifecycle._validation import check_nan_policy
    >>> check_nan_policy("omit")
    'omit'
    """
    return check_option(value, "nan_policy", ("raise", "omit"), caller)  # type: ignore[no-any-return]


def column_names(x: Any) -> list[str] | None:
    """Return the column names of a pandas DataFrame, or None for anything else.

    pandas is never imported: any object with a ``columns`` attribute and a
    ``to_numpy`` method is treated as a data frame.
    """
    if hasattr(x, "columns") and hasattr(x, "to_numpy"):
        return [str(c) for c in x.columns]
    return None


def _to_numpy(x: Any, numbers: bool = False) -> Any:
    if hasattr(x, "to_numpy") and not isinstance(x, np.ndarray):
        if numbers and _nullable_numbers(x):
            # pandas' Float64/Int64 columns holding NA came out as an object
            # array of pd.NA, refused as "strings and objects are not numbers":
            # read by the shared dataframe layer (NA as NaN), so the missing
            # values are named as such
            from mllifecycle._frames import column_to_numpy, frame_to_numpy

            return frame_to_numpy(x) if hasattr(x, "columns") else column_to_numpy(x)
        return x.to_numpy()
    return x


def _nullable_numbers(x: Any) -> bool:
    """Whether ``x`` is a pandas Series or table of numbers, some in nullable dtypes."""
    if not type(x).__module__.startswith("pandas"):
        return False
    dtypes = list(x.dtypes) if hasattr(x, "columns") else [getattr(x, "dtype", None)]
    nullable = False
    for dt in dtypes:
        if isinstance(dt, np.dtype):
            if dt.kind not in "iuf":
                return False
        elif getattr(dt, "kind", None) in ("i", "u", "f") and hasattr(dt, "numpy_dtype"):
            nullable = True  # Int64, UInt8, Float64...: masked numbers
        else:
            return False
    return nullable


def check_array(
    x: Any,
    name: str,
    *,
    caller: str | None = None,
    ndim: int | tuple[int, ...] = (1, 2),
    dtype: Literal["numeric", "any"] = "numeric",
    min_samples: int = 1,
    nan_policy: NanPolicy = "raise",
    allow_inf: bool = False,
) -> npt.NDArray[Any]:
    """Convert ``x`` to a NumPy array and check its shape and values.

    Parameters
    ----------
    x : array-like
        Lists, NumPy arrays, pandas Series or DataFrames.
    name : str
        Name of the parameter, used in error messages.
    caller : str, optional
        Name of the public function, used in error messages.
    ndim : int or tuple of int, default=(1, 2)
        Allowed number of dimensions.
    dtype : {"numeric", "any"}, default="numeric"
        ``"numeric"`` converts to float64 and rejects strings and objects;
        ``"any"`` keeps the dtype (for labels and categories).
    min_samples : int, default=1
        Minimum number of rows (after NaN rows are omitted).
    nan_policy : {"raise", "omit"}, default="raise"
        ``"raise"`` rejects NaN; ``"omit"`` drops rows containing NaN.
    allow_inf : bool, default=False
        Whether infinite values are allowed.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> from mllifecycle._validation import check_array
    >>> check_array([1, 2, 3], "reference", ndim=1)
    array([1., 2., 3.])
    """
    allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    dims = " or ".join(f"{d}-D" for d in allowed)
    if x is None or isinstance(x, str | bytes):
        fail(name, f"a {dims} array-like", x, caller)
    raw = _to_numpy(x, numbers=dtype == "numeric")
    try:
        arr = np.asarray(raw)
    except (ValueError, TypeError) as exc:  # ragged input
        fail(name, f"a {dims} array-like", described(f"input NumPy cannot convert ({exc})"), caller)
    if arr.ndim not in allowed:
        hint = ""
        if arr.ndim == 1 and 2 in allowed:
            hint = " (reshape a single feature with x.reshape(-1, 1))"
        elif arr.ndim == 2 and 1 in allowed:
            hint = " (pass one column, e.g. x[:, 0])"
        fail(
            name,
            f"a {dims} array{hint}",
            described(f"a {arr.ndim}-D array of shape {arr.shape}"),
            caller,
        )
    if arr.dtype.kind == "c":
        fail(
            name,
            "real numbers (complex values would lose their imaginary part)",
            described(f"an array of dtype {arr.dtype}"),
            caller,
        )
    if dtype == "numeric":
        if arr.dtype.kind in "bui" or arr.dtype.kind == "f":
            arr = arr.astype(np.float64, copy=False)
        else:
            items = arr.ravel().tolist() if arr.dtype.kind == "O" else []
            if arr.dtype.kind in "mM" or any(isinstance(v, _TIMES) for v in items):
                # NumPy casts them to their integer counts (days, nanoseconds since
                # 1970, ...), and NaT to -9.2e18: read as numbers without a word
                fail(
                    name,
                    "numbers (datetimes and durations are not read as numbers here; "
                    "convert them explicitly, e.g. to seconds)",
                    described(f"an array of dtype {arr.dtype}"
                              + (" holding datetimes or durations" if items else "")),
                    caller,
                )
            if arr.dtype.kind in "US" or any(isinstance(v, str | bytes) for v in items):
                # text that happens to parse ("1.5", "02139") is not a number:
                # refused as scikit-learn's check_array(dtype="numeric") does,
                # rather than guessed (a zip code or an ID read as a quantity)
                fail(
                    name,
                    "numeric (strings and objects are not numbers; convert text "
                    "columns explicitly, encode categories or use a categorical test)",
                    described(f"an array of dtype {arr.dtype} holding text"),
                    caller,
                )
            try:
                arr = arr.astype(np.float64)
            except OverflowError:  # an int beyond the float range (10**400)
                fail(
                    name,
                    "finite numbers",
                    described("an int beyond the float range (about 1.8e308)"),
                    caller,
                )
            except (ValueError, TypeError):
                fail(
                    name,
                    "numeric (strings and objects are not numbers; encode "
                    "categories or use a categorical test)",
                    described(f"an array of dtype {arr.dtype}"),
                    caller,
                )
        nan_mask = np.isnan(arr)
        if nan_mask.any():
            if nan_policy == "raise":
                fail(
                    name,
                    "free of NaN (drop or impute missing values first, or pass "
                    "nan_policy='omit' where the function takes it)",
                    described(f"{int(nan_mask.sum())} NaN value(s)"),
                    caller,
                )
            rows = nan_mask if arr.ndim == 1 else nan_mask.any(axis=1)
            arr = arr[~rows]
        if not allow_inf and np.isinf(arr).any():
            fail(name, "finite", described(f"{int(np.isinf(arr).sum())} infinite value(s)"), caller)
    elif arr.dtype.kind == "f" and np.isnan(arr).any():
        if nan_policy == "raise":
            fail(name, "free of NaN", described(f"{int(np.isnan(arr).sum())} NaN value(s)"), caller)
        arr = arr[~(np.isnan(arr) if arr.ndim == 1 else np.isnan(arr).any(axis=1))]
    n = arr.shape[0] if arr.ndim else 0
    if n < min_samples:
        fail(
            name,
            f"an array with at least {min_samples} sample(s)",
            described(f"{n} sample(s)"),
            caller,
        )
    if arr.ndim == 2 and arr.shape[1] == 0:
        fail(name, "an array with at least 1 feature", described(f"shape {arr.shape}"), caller)
    return arr


def check_1d(x: Any, name: str, **kwargs: Any) -> npt.NDArray[Any]:
    """Shorthand for :func:`check_array` with ``ndim=1``."""
    return check_array(x, name, ndim=1, **kwargs)


def check_2d(x: Any, name: str, **kwargs: Any) -> npt.NDArray[Any]:
    """Shorthand for :func:`check_array` with ``ndim=2``."""
    return check_array(x, name, ndim=2, **kwargs)


def check_same_n_features(
    a: npt.NDArray[Any],
    b: npt.NDArray[Any],
    names: tuple[str, str] = ("reference", "current"),
    caller: str | None = None,
) -> None:
    """Check two arrays have the same dimensionality and number of columns."""
    if a.ndim != b.ndim:
        fail(
            names[1],
            f"a {a.ndim}-D array like {names[0]!r}",
            described(f"a {b.ndim}-D array of shape {b.shape}"),
            caller,
        )
    if a.ndim == 2 and a.shape[1] != b.shape[1]:
        fail(
            names[1],
            f"an array with {a.shape[1]} feature(s), like {names[0]!r}",
            described(f"{b.shape[1]} feature(s)"),
            caller,
        )


def check_consistent_length(
    arrays: Sequence[Any], names: Sequence[str], caller: str | None = None
) -> int:
    """Check the arrays all have the same number of rows; return it."""
    lengths = [len(a) for a in arrays]
    if len(set(lengths)) > 1:
        shown = ", ".join(f"{n}={k}" for n, k in zip(names, lengths, strict=True))
        fail(
            names[-1],
            f"the same number of samples as {names[0]!r}",
            described(f"lengths {shown}"),
            caller,
        )
    return lengths[0] if lengths else 0


def check_binary(x: Any, name: str, caller: str | None = None) -> npt.NDArray[np.float64]:
    """Check a 1-D array holds only 0 and 1 (bools accepted); return float64.

    A value that is 0 or 1 only after rounding to float64 (a long double
    ``1e-400`` or ``1 + 2**-60``, a Fraction or Decimal such as ``1e-400``)
    is refused, naming its index: it is not a flag.
    """
    if (
        type(x) is np.ndarray
        and x.ndim == 1
        and x.dtype.kind in "biuf"
        and (x.dtype.kind != "f" or x.dtype.itemsize <= 8)
    ):
        # fast path for the common case (a streaming detector fed a batch of
        # error flags): x * (x - 1) is 0 exactly for 0 and 1, and non-zero
        # (or NaN) for anything else, NaN and infinities included
        fast = x.astype(np.float64, copy=False)
        if x.dtype.kind == "b" or not np.count_nonzero(fast * (fast - 1.0)):
            return fast
    arr = check_array(x, name, caller=caller, ndim=1, min_samples=0)
    bad = (arr != 0.0) & (arr != 1.0)
    if bad.any():
        fail(
            name,
            "binary values in {0, 1} (1 = the model was wrong)",
            described(f"{int(bad.sum())} other value(s), e.g. {arr[bad][0].item()!r}"),
            caller,
        )
    _refuse_rounded_flags(x, arr, name, caller)
    return arr


def _refuse_rounded_flags(
    x: Any, out: npt.NDArray[np.float64], name: str, caller: str | None
) -> None:
    """Raise when a flag became 0 or 1 only by rounding to float64 (see :func:`check_binary`)."""
    orig = np.asarray(x)
    kind = orig.dtype.kind
    if kind == "f" and orig.dtype.itemsize > 8:
        bad = np.flatnonzero((orig != 0) & (orig != 1))
        where = int(bad[0]) if bad.shape[0] else -1
    elif kind == "O":
        where = next(
            (i for i, v in enumerate(orig.ravel().tolist()) if not (v == 0 or v == 1)), -1
        )
    else:
        return
    if where >= 0:
        shown = repr(orig.ravel()[where])
        if len(shown) > 60:
            shown = shown[:57] + "..."
        fail(
            name,
            "binary values in {0, 1} exactly (1 = the model was wrong; True/False accepted)",
            described(f"{shown} at index {where}, which only rounds to "
                      f"{float(out[where])!r} as a float64"),
            caller,
        )


def check_proba(
    p: Any, name: str, caller: str | None = None, *, atol: float = 1e-6, dtype: Any = None
) -> npt.NDArray[np.float64]:
    """Check probabilities: values in [0, 1]; rows of a 2-D array sum to 1.

    A row's sum may miss 1 by ``atol``, or by ``eps * (4 + sqrt(n_columns))``
    when the probabilities were given in a float type of lower precision
    (``dtype``, by default ``p``'s own): a float16 or float32 softmax output
    misses 1 by its rounding (float16 rows were refused at ``atol=1e-6``).
    Storing float64 probabilities in that type moves a row's sum by at most
    ``eps / 2``; a softmax computed in it misses 1 by about 2 ``eps`` at up
    to 1000 classes (measured); the tolerance grows slowly with the classes
    (``2 * eps * n_columns`` let any row of 1000 float16 columns pass).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle._validation import check_proba
    >>> check_proba(np.array([[0.3, 0.7]], dtype=np.float16), "y_proba").shape
    (1, 2)
    """
    given = dtype if dtype is not None else getattr(p, "dtype", None)
    if given is None and hasattr(p, "dtypes"):  # a table: the columns' common type
        try:
            given = np.result_type(*[getattr(d, "numpy_dtype", d) for d in list(p.dtypes)])
        except (TypeError, ValueError):
            given = None
    arr = check_array(p, name, caller=caller, ndim=(1, 2))
    if (arr < 0).any() or (arr > 1).any():
        fail(
            name,
            "probabilities in [0, 1]",
            described(f"values in [{arr.min().item()!r}, {arr.max().item()!r}]"),
            caller,
        )
    if arr.ndim == 2:
        tol = atol
        try:
            kind = np.dtype(getattr(given, "numpy_dtype", given)) if given is not None else None
        except TypeError:  # a dtype NumPy does not know (polars, pyarrow): no scaling
            kind = None
        if kind is not None and kind.kind == "f":
            # the rounding of the dtype the rows were written in, per column summed
            tol = max(atol, float(np.finfo(kind).eps) * (4.0 + math.sqrt(arr.shape[1])))
        sums = arr.sum(axis=1)
        bad = np.abs(sums - 1.0) > tol
        if bad.any():
            fail(
                name,
                "rows of class probabilities that sum to 1",
                described(f"{int(bad.sum())} row(s) that do not, e.g. a sum of "
                          f"{float(sums[bad][0])!r}"),
                caller,
            )
    return arr


def check_has_methods(
    obj: Any, name: str, methods: Sequence[str], caller: str | None = None
) -> None:
    """Check ``obj`` has every method in ``methods`` (TypeError naming the missing)."""
    missing = [m for m in methods if not callable(getattr(obj, m, None))]
    if missing:
        need = ", ".join(f"{m}()" for m in methods)
        lack = ", ".join(f"{m}()" for m in missing)
        fail(
            name,
            f"an object with {need}",
            described(f"{type(obj).__name__}, which lacks {lack}"),
            caller,
        )


def _callable_name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__qualname__", None) or type(fn).__name__


def check_mapping_keys(
    mapping: Any, allowed: Any, name: str, what: str, caller: str | None = None
) -> None:
    """Refuse keys of ``mapping`` that are not among ``allowed`` (``what`` names them)."""
    unknown = set(mapping) - set(allowed)
    if unknown:
        fail(
            name,
            f"a mapping whose keys are {what} names",
            described(f"unknown name(s) {sorted(unknown)}"),
            caller,
        )
