"""Private helpers shared by the batch drift tests: input checks and permutations."""

from __future__ import annotations

import datetime as _dt
import warnings
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._resampling import canonical_order
from mllifecycle._scaling import MAX_SCALE_EXP, pow2_scale
from mllifecycle._validation import (
    check_alpha,
    check_array,
    check_int,
    check_labels_of_one_kind,
    check_nan_policy,
    check_rng,
    check_same_label_kind,
    check_same_n_features,
    check_scalar,
    described,
    fail,
    label_kinds,
)
from mllifecycle.exceptions import DegenerateDataWarning

__all__ = [
    "FloatArray",
    "check_common",
    "check_level",
    "check_pair_1d",
    "check_pair_2d",
    "check_pair_categorical",
    "object_times",
    "time_counts",
    "exact_integer_columns",
    "integer_array",
    "integers_and_missing",
    "shift_with_missing",
    "integer_offset",
    "big_integer_columns",
    "rounded_sides",
    "warn_rounded_integers",
    "shift_integers",
    "check_optional_nonneg",
    "perm_labels",
    "perm_p_value",
    "permutation_p_value",
    "refuse_complex",
    "perm_blocks",
    "canonical_order",
    "pow2_scale",
    "MAX_SCALE_EXP",
]

FloatArray = npt.NDArray[np.float64]


def check_optional_nonneg(value: Any, name: str, caller: str) -> float | None:
    """Check an optional non-negative float (``min_effect``, ``threshold``)."""
    if value is None:
        return None
    return check_scalar(value, name, caller=caller, low=0.0)


_TINY = float(np.finfo(np.float64).tiny)  # the smallest normal float64 (2.2e-308)


def check_level(alpha: Any, caller: str) -> float:
    """Check a significance level ``alpha``: in (0, 1) and not subnormal.

    Below the smallest normal float the p-values keep only a few significant
    bits (5e-324 stands for anything up to 7.4e-324), so ``p <= alpha`` no
    longer keeps the level; the streaming KSWIN refuses such levels alike.
    """
    a = check_alpha(alpha, "alpha", caller)
    if not a >= _TINY:
        fail(
            "alpha",
            f"at least {_TINY!r}, the smallest normal float (p-values below it "
            "are rounded to a few bits)",
            a,
            caller,
        )
    return a


def check_common(
    caller: str,
    alpha: Any,
    min_effect: Any = None,
    threshold: Any = None,
    n_resamples: Any = None,
    rng: Any = None,
    *,
    need_permutations: bool = False,
) -> tuple[float, float | None, float | None, int | None, np.random.Generator]:
    """Validate the parameters every test shares; return them normalised."""
    a = check_level(alpha, caller)
    me = check_optional_nonneg(min_effect, "min_effect", caller)
    th = check_optional_nonneg(threshold, "threshold", caller)
    nb: int | None = None
    if n_resamples is not None or need_permutations:
        nb = check_int(n_resamples, "n_resamples", caller=caller, low=1)
    gen = check_rng(rng, "rng", caller)
    return a, me, th, nb, gen


_EXACT_INT = 2**53  # float64 holds every integer of at most this magnitude


def _int_table(x: Any) -> npt.NDArray[Any] | None:
    """Return a table (pandas, polars, pyarrow) of integer columns as one integer array.

    ``to_numpy`` of a table of int64 columns gives int64, but with a uint64
    column it gives float64, and the numeric checks read any table as
    float64: integers beyond 2**53 were rounded (distinct ids tied). None for
    anything else.
    """
    from mllifecycle._frames import is_frame, to_columns

    if not is_frame(x):
        return None
    try:
        _, cols = to_columns(x)
    except (TypeError, ValueError):
        return None
    found = [integer_array(np.asarray(c)) if np.ndim(c) == 1 else None for c in cols]
    ints = [i for i in found if i is not None]
    if not ints or len(ints) != len(found):
        return None
    if len({i.dtype for i in ints}) == 1:
        return np.column_stack(ints)
    obj = np.column_stack([i.astype(object) for i in ints])
    try:
        return obj.astype(np.int64)
    except OverflowError:
        return obj  # beyond int64: shifted in Python's integers


def _int_column(x: Any) -> npt.NDArray[Any] | None:
    """``x`` as a NumPy integer array (ndarray, Series, list of ints, table), else None."""
    if isinstance(x, np.ndarray):
        a = x
    elif hasattr(x, "columns") or hasattr(x, "schema"):
        return _int_table(x)
    elif hasattr(x, "to_numpy") and not hasattr(x, "columns"):
        try:
            a = np.asarray(x.to_numpy())
        except (TypeError, ValueError):
            return None
    elif isinstance(x, list | tuple):
        try:
            a = np.asarray(x)
        except (TypeError, ValueError, OverflowError):
            return None
    else:
        return None
    return integer_array(a)


def _values(x: Any) -> Any:
    """Return the values of a sample as an array, integers kept exactly (None if unreadable)."""
    if isinstance(x, np.ndarray):
        return x
    try:
        if hasattr(x, "to_numpy") and not hasattr(x, "columns"):
            return np.asarray(x.to_numpy())
        if isinstance(x, list | tuple):
            return np.asarray(x, dtype=object)
    except (TypeError, ValueError):
        return None
    return None


def _int_missing_column(
    x: Any,
) -> tuple[npt.NDArray[Any], npt.NDArray[np.bool_]] | None:
    """:func:`integers_and_missing` of a 1-D ndarray, Series or list, else None."""
    if isinstance(x, np.ndarray):
        a = x
    elif (hasattr(x, "to_numpy") and not hasattr(x, "columns")) or isinstance(x, list | tuple):
        try:
            a = np.asarray(x.to_numpy() if hasattr(x, "to_numpy") else x, dtype=object)
        except (TypeError, ValueError):
            return None
    else:
        return None
    return integers_and_missing(a)


def integer_array(a: npt.NDArray[Any]) -> npt.NDArray[Any] | None:
    """Return ``a`` if it holds integers only (a NumPy integer dtype or Python ints), else None.

    An object array of Python ints (built from a list, or ints beyond int64)
    is returned as int64 when it fits, else as it is: float64 would round
    values beyond 2**53 just as it rounds an int64 array's.
    """
    if not a.size:
        return None
    if a.dtype.kind in "iu":
        return a
    if a.dtype.kind != "O" or not all(
        isinstance(v, int | np.integer) and not isinstance(v, bool) for v in a.ravel().tolist()
    ):
        return None
    try:
        return a.astype(np.int64)
    except OverflowError:
        return a  # beyond int64: shifted in Python's integers


def integers_and_missing(
    a: npt.NDArray[Any],
) -> tuple[npt.NDArray[Any], npt.NDArray[np.bool_]] | None:
    """Split a 1-D column of integers and missing values (None, NaN, ``pandas.NA``).

    Returns the integers (as :func:`integer_array` gives them) and the mask
    of missing entries, or None unless every entry is one or the other and
    at least one is an integer. An object column of ints with a None in it
    was cast to float64 whole, so integers beyond 2**53 were rounded.
    """
    if a.ndim != 1:
        return None
    if a.dtype.kind != "O":
        ints = integer_array(a)
        return None if ints is None else (ints, np.zeros(a.shape[0], dtype=bool))
    miss = np.array([_is_missing_value(v) for v in a.tolist()], dtype=bool)
    if miss.all():
        return None
    ints = integer_array(a[~miss])
    return None if ints is None else (ints, miss)


def shift_with_missing(
    ints: npt.NDArray[Any], miss: npt.NDArray[np.bool_], offset: list[int]
) -> FloatArray:
    """:func:`shift_integers` of the integers, NaN where the column was missing."""
    out = np.full(miss.shape[0], np.nan)
    out[~miss] = shift_integers(ints, offset)
    return out


def integer_offset(
    *arrays: npt.NDArray[Any] | None, caller: str, columns: list[str] | None = None
) -> list[int] | None:
    """Per-column offsets that make big integer samples exact in float64, or None.

    Float64 holds integers exactly only up to 2**53: larger ones (IDs,
    nanosecond counts, cents) are rounded, so distinct values can become equal
    and a rank test then sees ties, or one constant, that are not there. The
    statistics of the drift tests do not change when both samples are
    shifted by the same amount (ranks, distances, bins): subtracting each
    column's smallest value, in integer arithmetic, keeps every value exact
    while the column's range is at most 2**53 (a wider range is warned
    about). ``None`` when no integer value is beyond 2**53.
    """
    ints = [a if a.ndim == 2 else a[:, None] for a in arrays if a is not None]
    if not ints or len({a.shape[1] for a in ints}) != 1:
        return None
    lows = [min(int(a[:, j].min()) for a in ints) for j in range(ints[0].shape[1])]
    highs = [max(int(a[:, j].max()) for a in ints) for j in range(ints[0].shape[1])]
    if all(lo >= -_EXACT_INT and hi <= _EXACT_INT for lo, hi in zip(lows, highs, strict=True)):
        return None
    wide = [j for j, (lo, hi) in enumerate(zip(lows, highs, strict=True)) if hi - lo > _EXACT_INT]
    if wide:
        which = [columns[j] for j in wide] if columns is not None else wide
        warnings.warn(
            f"{caller}: integer values in column(s) {which[:5]} span more than 2**53; "
            "float64 rounds them, so distinct values may tie",
            DegenerateDataWarning,
            stacklevel=3,
        )
    return lows


def big_integer_columns(a: Any) -> list[int]:
    """Columns (positions; 0 for a 1-D sample) holding integers beyond 2**53 in magnitude.

    Integer arrays and Python or NumPy ints in object arrays count; floats,
    bools and other values do not.
    """
    if not isinstance(a, np.ndarray) or a.ndim not in (1, 2) or not a.size:
        return []
    cols = a if a.ndim == 2 else a[:, None]
    out = []
    for j in range(cols.shape[1]):
        c = cols[:, j]
        if c.dtype.kind in "iu":
            big = int(c.min()) < -_EXACT_INT or int(c.max()) > _EXACT_INT
        elif c.dtype.kind == "O":
            big = any(
                isinstance(v, int | np.integer) and not isinstance(v, bool)
                and abs(int(v)) > _EXACT_INT
                for v in c.tolist()
            )
        else:
            big = False
        if big:
            out.append(j)
    return out


def warn_rounded_integers(
    column: str | None, big: list[str], floats: list[str], caller: str
) -> None:
    """Warn that integers beyond 2**53 meet floats and are compared as float64.

    ``big`` names the samples holding such integers, ``floats`` those holding
    floats (a float column, or one mixing floats with the integers). Only
    integers on both sides are shifted and compared exactly (see
    :func:`integer_offset`); against floats, both are read as float64 (as
    SciPy does), which rounds the integers, so distinct values may tie.
    """
    col = "" if column is None else f" (column {column!r})"
    warnings.warn(
        f"{caller}: integers beyond 2**53 in {' and '.join(repr(b) for b in big)}{col} "
        f"meet floats in {' and '.join(repr(f) for f in floats)}; both are compared as "
        "float64, which rounds such integers (distinct values may tie). Pass "
        "integers in both samples (pandas 'Int64' where values are missing) to "
        "compare them exactly",
        DegenerateDataWarning,
        stacklevel=4,
    )


def rounded_sides(
    cols: tuple[Any, Any], exact: tuple[Any, Any]
) -> tuple[list[str], list[str]]:
    """Which samples hold big integers and which floats, for one column pair.

    ``exact`` is each side's integers (None when the side holds other values).
    Empty lists when the pair is compared without rounding.
    """
    sides = ("reference", "current")
    big = [nm for nm, c in zip(sides, cols, strict=True) if big_integer_columns(c)]
    floats = [
        nm for nm, c, e in zip(sides, cols, exact, strict=True)
        if e is None and isinstance(c, np.ndarray) and c.dtype.kind in "fO"
    ]
    if not big or not floats:
        return [], []
    return big, floats


def shift_integers(a: npt.NDArray[Any], offset: list[int]) -> FloatArray:
    """Return ``a - offset`` (per column), computed in integers, as float64."""
    two_d = a.ndim == 2
    cols = a if two_d else a[:, None]
    out = np.empty(cols.shape, dtype=np.float64)
    for j, off in enumerate(offset):
        c = cols[:, j]
        lo, hi = int(c.min()) - off, int(c.max()) - off
        if c.dtype.kind in "iu" and lo >= -(2**63) and hi < 2**63:
            # a - off modulo 2**64 in unsigned arithmetic, exact as int64
            d = c.astype(np.uint64) - np.uint64(off % 2**64)
            out[:, j] = d.view(np.int64)
        else:  # a sample far from the offset's (a fitted reference's) range
            out[:, j] = [float(int(v) - off) for v in c.tolist()]
    return out if two_d else out[:, 0]


def _table_rounding(samples: tuple[Any, Any]) -> tuple[list[str], list[str]]:
    """Which of two samples are tables with integer columns beyond 2**53, and which hold floats.

    Read as float64 (as a table of integer and float columns is), such
    integers round. Empty lists when no table holds one.
    """
    from mllifecycle._frames import is_frame, to_columns

    sides = ("reference", "current")
    big: list[str] = []
    floats: list[str] = []
    for nm, x in zip(sides, samples, strict=True):
        if is_frame(x):
            try:
                _, cols = to_columns(x)
            except (TypeError, ValueError):
                continue
            arrays = [np.asarray(c) for c in cols]
            ints = [a for a in arrays if a.ndim == 1 and a.dtype.kind in "iu" and a.size]
            if any(big_integer_columns(a) for a in ints):
                big.append(nm)
            if len(ints) < len(arrays):
                floats.append(nm)
        elif isinstance(x, np.ndarray) and x.dtype.kind in "fO":
            floats.append(nm)
    if not big or not floats:
        return [], []
    return big, floats


def exact_integer_pair(reference: Any, current: Any, caller: str) -> tuple[Any, Any]:
    """Both samples shifted by common per-column offsets when their integers exceed 2**53."""
    ra, ca = _int_column(reference), _int_column(current)
    if ra is None or ca is None:  # ints with None: each side's integers, shifted alike
        rm, cm = _int_missing_column(reference), _int_missing_column(current)
        if rm is None or cm is None:  # floats on a side: integers beyond 2**53 round
            samples = (_values(reference), _values(current))
            exact = (ra if rm is None else rm, ca if cm is None else cm)
            big, floats = rounded_sides(samples, exact)
            if not big:
                # tables mixing integer and float columns: their integer columns
                # beyond 2**53 were read as float64 without a word
                big, floats = _table_rounding((reference, current))
            if big:
                warn_rounded_integers(None, big, floats, caller)
            return reference, current
        off = integer_offset(rm[0], cm[0], caller=caller)
        if off is None:
            return reference, current
        return shift_with_missing(*rm, off), shift_with_missing(*cm, off)
    if ra.ndim != ca.ndim or ra.ndim > 2:
        return reference, current
    off = integer_offset(ra, ca, caller=caller)
    if off is None:
        return reference, current
    return shift_integers(ra, off), shift_integers(ca, off)


def exact_integer_columns(
    names: list[str],
    kinds: list[str],
    rc: list[npt.NDArray[Any]],
    cc: list[npt.NDArray[Any]],
    caller: str,
) -> bool:
    """Shift (in place in the lists) numeric integer column pairs beyond 2**53; True if any."""
    shifted = False
    for j, kind in enumerate(kinds):
        if kind != "numeric":
            continue
        r, c = integers_and_missing(rc[j]), integers_and_missing(cc[j])
        if r is None or c is None:  # floats on a side: integers beyond 2**53 round
            big, floats = rounded_sides((rc[j], cc[j]), (r, c))
            if big:
                warn_rounded_integers(names[j], big, floats, caller)
            continue
        off = integer_offset(r[0], c[0], caller=caller, columns=[names[j]])
        if off is not None:  # missing values (None) stay missing, as NaN
            rc[j], cc[j] = shift_with_missing(*r, off), shift_with_missing(*c, off)
            shifted = True
    return shifted


def check_pair_1d(
    reference: Any, current: Any, caller: str, nan_policy: Any = "raise"
) -> tuple[FloatArray, FloatArray]:
    """Validate two 1-D numeric samples with at least 2 values each."""
    pol = check_nan_policy(nan_policy, caller)
    refuse_complex(reference, "reference", caller)
    refuse_complex(current, "current", caller)
    refuse_text(reference, "reference", caller)
    refuse_text(current, "current", caller)
    reference, current = times_as_numbers(reference, current, caller)
    reference, current = exact_integer_pair(reference, current, caller)
    ref = check_array(reference, "reference", caller=caller, ndim=1, min_samples=2, nan_policy=pol)
    cur = check_array(current, "current", caller=caller, ndim=1, min_samples=2, nan_policy=pol)
    return ref, cur


def _check_same_columns(reference: Any, current: Any, caller: str) -> None:
    """Refuse a dict of columns, repeated column names, and tables whose columns differ."""
    from mllifecycle._frames import column_names, refuse_duplicate_names

    for x, nm in ((reference, "reference"), (current, "current")):
        if isinstance(x, Mapping):
            fail(nm, "a 2-D array or a table (pandas, polars, pyarrow)",
                 described("a mapping of columns (wrap it, e.g. pandas.DataFrame(...))"), caller)
    rn, cn = column_names(reference), column_names(current)
    for names, nm in ((rn, "reference"), (cn, "current")):
        if names is not None:
            refuse_duplicate_names(names, nm, caller)
    if rn is not None and cn is not None and [str(c) for c in rn] != [str(c) for c in cn]:
        fail("current", f"the columns of 'reference' {[str(c) for c in rn][:5]}, in that order",
             described(f"columns {[str(c) for c in cn][:5]}"), caller)


def check_pair_2d(
    reference: Any, current: Any, caller: str, nan_policy: Any = "raise"
) -> tuple[FloatArray, FloatArray]:
    """Validate two numeric samples (1-D becomes one column) with equal widths.

    Two tables are compared column by column, so their columns must have the
    same names in the same order (a reordered table was compared by position).
    """
    pol = check_nan_policy(nan_policy, caller)
    _check_same_columns(reference, current, caller)
    refuse_complex(reference, "reference", caller)
    refuse_complex(current, "current", caller)
    refuse_text(reference, "reference", caller)
    refuse_text(current, "current", caller)
    reference, current = times_as_numbers(reference, current, caller)
    reference, current = exact_integer_pair(reference, current, caller)
    ref = check_array(reference, "reference", caller=caller, min_samples=2, nan_policy=pol)
    cur = check_array(current, "current", caller=caller, min_samples=2, nan_policy=pol)
    check_same_n_features(ref, cur, caller=caller)
    if ref.ndim == 1:
        ref, cur = ref[:, None], cur[:, None]
    return ref, cur


def _as_datetime64(v: Any) -> Any:
    """One datetime (Python, pandas or NumPy) as a naive ``np.datetime64`` (aware: in UTC)."""
    if isinstance(v, np.datetime64):
        return v
    if hasattr(v, "to_datetime64"):  # pandas Timestamp: the UTC instant if aware
        return v.to_datetime64()
    if isinstance(v, _dt.datetime) and v.tzinfo is not None:
        v = v.astimezone(_dt.UTC).replace(tzinfo=None)
    return np.datetime64(v)


def _as_timedelta64(v: Any) -> Any:
    """One duration (Python, pandas or NumPy) as a ``np.timedelta64``."""
    if isinstance(v, np.timedelta64):
        return v
    if hasattr(v, "to_timedelta64"):  # pandas Timedelta, to the nanosecond
        return v.to_timedelta64()
    return np.timedelta64(v)


def object_times(
    a: npt.NDArray[Any], name: str, caller: str
) -> tuple[npt.NDArray[Any], bool] | None:
    """Return a 1-D object array of datetimes or durations as ``datetime64``/``timedelta64``.

    Missing values (None, NaN, NaT) become NaT. Timezone-aware datetimes are
    put in UTC; returns the array and whether its datetimes were aware (a
    sample mixing aware and naive datetimes is refused: the naive ones would
    be read as UTC, which they often are not). None unless every value that
    is not missing is a datetime (``datetime``, ``date``, ``pandas.Timestamp``,
    ``np.datetime64``), or every one a duration. Such samples were compared
    as one category per value, or refused as "objects" by the numeric tests.
    """
    if a.ndim != 1 or a.dtype.kind != "O" or not a.size:
        return None
    items = a.tolist()
    first = next((v for v in items if not _is_missing_value(v)), None)
    if not isinstance(first, _dt.date | _dt.timedelta | np.datetime64 | np.timedelta64):
        return None  # numbers, text, ... (or nothing but missing values): not times
    vals = [v for v in items if not _is_missing_value(v)]
    if all(isinstance(v, _dt.timedelta | np.timedelta64) for v in vals):
        conv, aware = _as_timedelta64, False
    elif all(isinstance(v, _dt.date | np.datetime64) for v in vals):
        zones = {getattr(v, "tzinfo", None) is not None for v in vals}
        if len(zones) > 1:
            fail(
                name,
                "datetimes all timezone-aware or all naive (localize the naive ones, "
                "e.g. with datetime.replace(tzinfo=...))",
                described("a mix of timezone-aware and naive datetimes"),
                caller,
            )
        conv, aware = _as_datetime64, zones == {True}
    else:
        return None
    nat = np.timedelta64("NaT") if conv is _as_timedelta64 else np.datetime64("NaT")
    out = np.array([nat if _is_missing_value(v) else conv(v) for v in items])
    return out, aware


def _time_array(x: Any, name: str, caller: str) -> tuple[npt.NDArray[Any], bool] | None:
    """``x`` as a NumPy array and whether it was timezone-aware, if it holds times."""
    if hasattr(x, "to_numpy") and not isinstance(x, np.ndarray):
        try:
            x = x.to_numpy()
        except (TypeError, ValueError):
            return None
    elif isinstance(x, list | tuple):
        try:
            x = np.asarray(x, dtype=object)
        except (TypeError, ValueError):
            return None
    if isinstance(x, np.ndarray) and x.dtype.kind in "mM":
        return x, False
    if isinstance(x, np.ndarray) and x.dtype.kind == "O":
        return object_times(x, name, caller)
    return None


def times_as_numbers(reference: Any, current: Any, caller: str) -> tuple[Any, Any]:
    """Datetimes or durations as float counts of their finer unit, NaT as NaN.

    NumPy casts ``datetime64`` to float as a count of the array's own unit
    (days for ``datetime64[D]``, seconds for ``datetime64[s]``) and NaT to
    -9.2e18: both samples are put in one unit first, NaT made missing (for
    ``nan_policy``). Other input is returned unchanged; a datetime sample
    against a non-datetime one is refused.
    """
    rt, ct = _time_array(reference, "reference", caller), _time_array(current, "current", caller)
    if rt is None and ct is None:
        return reference, current
    ra, ca = (None if rt is None else rt[0]), (None if ct is None else ct[0])
    if rt is not None and ct is not None and rt[1] != ct[1]:
        aware, naive = ("reference", "current") if rt[1] else ("current", "reference")
        fail(naive, f"timezone-aware datetimes, like {aware}'s (localize them)",
             described("naive datetimes"), caller)
    what = {"M": "datetimes", "m": "durations (timedelta64)"}
    if ra is None or ca is None or ra.dtype.kind != ca.dtype.kind:
        timed = ra if ra is not None else ca
        assert timed is not None
        bad, other = ("current", current) if ra is not None else ("reference", reference)
        dt = getattr(other, "dtype", None)
        got = f"values of dtype {dt}" if dt is not None else f"a {type(other).__name__}"
        fail(bad, f"{what[timed.dtype.kind]} like the other sample", described(got), caller)
    unit = np.promote_types(ra.dtype, ca.dtype)  # the finer of the two units
    return time_counts(ra, unit), time_counts(ca, unit)


# the length of each fixed-length NumPy time unit, in nanoseconds
_UNIT_NS = {
    "W": Fraction(604_800 * 10**9), "D": Fraction(86_400 * 10**9), "h": Fraction(3_600 * 10**9),
    "m": Fraction(60 * 10**9), "s": Fraction(10**9), "ms": Fraction(10**6),
    "us": Fraction(10**3), "ns": Fraction(1), "ps": Fraction(1, 10**3),
    "fs": Fraction(1, 10**6), "as": Fraction(1, 10**9),
}


def time_counts(a: npt.NDArray[Any], unit: Any) -> FloatArray:
    """Datetimes or durations ``a`` as float counts of ``unit`` (a time dtype), NaT as NaN.

    The counts are scaled in floating point, not cast: a cast to a finer unit
    overflows int64 without a word (``datetime64[s]`` values after 2262 came
    out in 1715 in nanoseconds). Each value is still the correctly rounded
    count, so one instant gives the same float from any unit.
    """
    a = a.astype(a.dtype.newbyteorder("="), copy=False)  # big-endian: the int64 view below
    src, step = np.datetime_data(a.dtype)
    dst, dstep = np.datetime_data(np.dtype(unit))
    if src in ("Y", "M") and a.dtype.kind == "M":  # months and years vary in length
        a = a.astype("datetime64[D]")
        src, step = "D", 1
    if src in _UNIT_NS and dst in _UNIT_NS:
        factor = float(_UNIT_NS[src] * step / (_UNIT_NS[dst] * dstep))
        out: FloatArray = a.view(np.int64).astype(np.float64) * factor
    else:  # generic (all NaT) or timedelta64 of months or years: cast
        out = a.astype(np.dtype(unit).newbyteorder("=")).view(np.int64).astype(np.float64)
    out[np.isnat(a)] = np.nan
    return out


def refuse_text(x: Any, name: str, caller: str) -> None:
    """Refuse strings (NumPy would parse "1.5" as a number; categories are text)."""
    if isinstance(x, str | bytes):
        return  # check_array explains
    arr = x.to_numpy() if hasattr(x, "to_numpy") and not isinstance(x, np.ndarray) else x
    if not isinstance(arr, np.ndarray):
        try:
            arr = np.asarray(arr)
        except (TypeError, ValueError):
            return  # ragged: check_array explains
    kind = arr.dtype.kind
    if kind in "US" or (
        kind == "O" and any(isinstance(v, str | bytes) for v in arr.ravel().tolist())
    ):
        fail(
            name,
            "numeric (strings are not numbers, even ones that parse as numbers; "
            "convert them with float first, or use a categorical test)",
            described(f"an array of dtype {arr.dtype} holding strings"),
            caller,
        )


def refuse_complex(x: Any, name: str, caller: str) -> None:
    """Refuse complex numbers (NumPy would silently drop their imaginary part)."""
    kind = getattr(getattr(x, "dtype", None), "kind", None)
    if kind is None and isinstance(x, list | tuple):
        flat = np.ravel(np.asarray(x, dtype=object))
        kind = "c" if any(isinstance(v, complex | np.complexfloating) for v in flat) else None
    if kind == "c":
        fail(
            name,
            "real numbers (complex values would lose their imaginary part; pass "
            "x.real, x.imag or np.abs(x) explicitly)",
            described("complex values"),
            caller,
        )


_MISSING_TYPES = ("NAType", "NaTType")  # pandas.NA, pandas.NaT


def _is_missing_value(v: Any) -> bool:
    """None, NaN, NaT, ``pandas.NA`` or ``pandas.NaT`` (an object array's entry)."""
    if v is None or type(v).__name__ in _MISSING_TYPES:
        return True
    if isinstance(v, float | np.floating):
        return bool(v != v)
    if isinstance(v, np.datetime64 | np.timedelta64):
        return bool(np.isnat(v))
    return False


def _is_missing(a: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    if a.dtype.kind == "f":
        out: npt.NDArray[np.bool_] = np.isnan(a)
        return out
    if a.dtype.kind in "mM":
        nat: npt.NDArray[np.bool_] = np.isnat(a)
        return nat
    if a.dtype.kind == "O":
        return np.array([_is_missing_value(v) for v in a], bool)
    return np.zeros(a.shape, bool)


#: the kinds of a sample's category labels, each with its first label
category_types = label_kinds

_ONE_KIND_CATEGORIES = ("category labels of one kind (text, numbers or booleans; convert them, "
                        "e.g. with astype(str))")


def refuse_mixed_categories(
    named: list[tuple[str, npt.NDArray[Any]]], caller: str
) -> None:
    """Refuse category labels of different kinds (``1`` and ``"1"``, ``True`` and ``1``).

    The categories were compared as text when NumPy could not sort them
    (``1`` and ``"1"`` one category), or as equal numbers (``True`` and
    ``1``): one sample written with numbers and the other with text gave an
    answer about a difference that is only in the writing, or none where the
    categories differ.
    """
    seen = [
        (nm, check_labels_of_one_kind(a, nm, caller, expected=_ONE_KIND_CATEGORIES))
        for nm, a in named
    ]
    (n0, k0), rest = seen[0], seen[1:]
    for nm, kinds in rest:
        check_same_label_kind(kinds, nm, k0, n0, caller, noun="category labels",
                              hint="convert one of them, e.g. with astype(str)")


def check_pair_categorical(
    reference: Any, current: Any, caller: str, nan_policy: Any = "raise", min_samples: int = 2
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """Validate two 1-D samples of category labels of one kind (any dtype).

    ``min_samples``: values each must keep after missing ones are omitted (a
    partition's profile may hold fewer; the merged profile is checked).
    """
    pol = check_nan_policy(nan_policy, caller)
    out = []
    for name, x in (("reference", reference), ("current", current)):
        arr = check_array(
            x, name, caller=caller, ndim=1, dtype="any", min_samples=0, nan_policy=pol
        )
        miss = _is_missing(arr)
        if miss.any():
            if pol == "raise":
                fail(
                    name,
                    "free of missing values (or pass nan_policy='omit')",
                    described(f"{int(miss.sum())} missing value(s)"),
                    caller,
                )
            arr = arr[~miss]
        if arr.shape[0] < min_samples:
            fail(
                name,
                f"an array with at least {min_samples} sample(s)",
                described(f"{arr.shape[0]} sample(s)"),
                caller,
            )
        out.append(arr)
    refuse_mixed_categories([("reference", out[0]), ("current", out[1])], caller)
    return out[0], out[1]


def perm_labels(rng: np.random.Generator, n_total: int, n_ref: int, n_perm: int) -> Any:
    """Return a (n_perm, n_total) bool matrix; True marks the permuted reference."""
    base = np.zeros((n_perm, n_total), dtype=bool)
    base[:, :n_ref] = True
    return rng.permuted(base, axis=1)


def perm_blocks(
    rng: np.random.Generator, n_total: int, n_ref: int, n_perm: int, per_row: int = 1
) -> Any:
    """Yield blocks of permuted label matrices, bounding memory to ~16 MB a block.

    ``per_row`` is the number of float64 temporaries of length ``n_total`` the
    caller makes per permutation; the block size depends on the sizes only, so a
    given ``rng`` always yields the same permutations.
    """
    block = max(1, min(n_perm, (2_000_000 // max(1, n_total * per_row))))
    done = 0
    while done < n_perm:
        b = min(block, n_perm - done)
        yield perm_labels(rng, n_total, n_ref, b)
        done += b


def perm_p_value(observed: float, permuted: FloatArray, rtol: float = 0.0) -> float:
    """Permutation p-value ``(b + 1) / (B + 1)`` with a relative tie tolerance.

    Permuted statistics within ``1e-12 * max(1, |observed|)`` of the observed
    one, or within ``rtol`` times the largest magnitude involved, count as
    ties (as large as the observed).
    """
    tol = 1e-12 * max(1.0, abs(observed))
    if rtol > 0.0 and permuted.shape[0]:
        tol = max(tol, rtol * max(abs(observed), float(np.abs(permuted).max())))
    b = int(np.count_nonzero(permuted >= observed - tol))
    return float((b + 1.0) / (permuted.shape[0] + 1.0))


def permutation_p_value(
    observed: float,
    permuted: FloatArray,
    *,
    alpha: float,
    caller: str,
    details: dict[str, Any],
    rtol: float = 0.0,
    kind: str = "values",
) -> float:
    """Permutation p-value, its Monte-Carlo standard error, and a power check.

    Writes ``p_value_method``, ``n_resamples`` and ``p_value_std_error`` (the
    binomial Monte-Carlo error ``sqrt(p (1 - p) / B)``) into ``details``, and
    warns (:class:`~mllifecycle.exceptions.DegenerateDataWarning`) when even
    the most extreme statistic seen could not reach ``p < alpha``: the test
    can then never reject. ``kind`` words the advice: ``"bins"`` (too few
    values for the number of bins), ``"categories"`` (for the number of
    categories) or ``"values"`` (too few rows, or nearly all values tied).
    """
    p = perm_p_value(observed, permuted, rtol)
    b = permuted.shape[0]
    details.setdefault("p_value_method", "permutation")
    details["n_resamples"] = int(b)
    details["p_value_std_error"] = float(np.sqrt(p * (1.0 - p) / b))
    top = max(float(permuted.max()), observed)
    at_top = perm_p_value(top, permuted, rtol) * (b + 1.0) - 1.0  # permutations at the max
    floor = at_top / b
    if 1.0 / (b + 1.0) >= alpha:
        warnings.warn(
            f"{caller}: with n_resamples={b} the p-value is at least {1.0 / (b + 1.0):.3g}, "
            f"so the test cannot reject at alpha={alpha:g}; use n_resamples >= "
            f"{int(np.ceil(1.0 / alpha))}",
            DegenerateDataWarning,
            stacklevel=3,
        )
    elif at_top >= 2 and floor >= alpha:
        warnings.warn(
            f"{caller}: this test cannot reject at alpha={alpha:g} on these data: "
            f"{floor:.0%} of the relabellings reach the largest value of the statistic "
            f"{_CANNOT_REJECT[kind]}",
            DegenerateDataWarning,
            stacklevel=3,
        )
    return p


_CANNOT_REJECT = {
    "bins": "(samples too small for the number of bins, or nearly all values tied); "
    "use fewer n_bins, more rows or a rank test such as ks",
    "categories": "(samples too small for the number of categories, or nearly all rows "
    "in one category); use more rows or merge rare categories",
    "values": "(samples too small, or nearly all values tied); use more rows",
}


def warn_constant(ref: FloatArray, cur: FloatArray, caller: str) -> None:
    """Warn when both samples are one and the same constant."""
    if ref.min() == ref.max() == cur.min() == cur.max():
        warnings.warn(
            f"{caller}: both samples are the same constant; the test cannot see drift",
            DegenerateDataWarning,
            stacklevel=3,
        )


def safe_scale(*arrays: FloatArray) -> float:
    """Return a power of two ``s`` such that ``s * x`` has magnitudes about 1 (exact).

    Squares of values beyond ~1e154 overflow; tests scale their data by ``s``
    first and scale distances back by ``1 / s``. Powers of two lose no bits.
    """
    big = max(float(np.max(np.abs(a))) if a.size else 0.0 for a in arrays)
    if big == 0.0 or 1e-100 < big < 1e100:
        return 1.0
    return pow2_scale(big)


