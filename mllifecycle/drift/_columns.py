"""Columns of a data set: reading tables, column kinds, the test per column."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from mllifecycle._frames import (
    categorical_columns,
    datetime_zones,
    frame_kind,
    is_frame,
    label_is_number,
    refuse_duplicate_names,
    to_columns,
)
from mllifecycle._validation import check_option, described, fail
from mllifecycle.drift._anderson import anderson_darling
from mllifecycle.drift._binned import hellinger, jensen_shannon, psi
from mllifecycle.drift._chi_square import chi_square
from mllifecycle.drift._common import object_times, time_counts
from mllifecycle.drift._cvm import cramer_von_mises
from mllifecycle.drift._kolmogorov import ks
from mllifecycle.drift._result import DriftResult
from mllifecycle.drift._wasserstein import wasserstein

__all__ = [
    "FEATURE_TESTS", "column_name", "column_names", "split_table", "check_tables",
    "TIME_KINDS", "refuse_mixed_times",
    "resolve_tests", "kinds",
    "declared_categorical", "time_zones",
]


# name -> (function, takes rng, handles numbers, handles categories)
FEATURE_TESTS: dict[str, tuple[Callable[..., DriftResult], bool, bool, bool]] = {
    "ks": (ks, False, True, False),
    "cramer_von_mises": (cramer_von_mises, True, True, False),
    "anderson_darling": (anderson_darling, True, True, False),
    "wasserstein": (wasserstein, True, True, False),
    "chi_square": (chi_square, True, True, True),
    "psi": (psi, True, True, True),
    "jensen_shannon": (jensen_shannon, True, True, True),
    "hellinger": (hellinger, True, True, True),
}


def column_names(x: Any) -> list[str] | None:
    """Column names (as strings) of a pandas/polars/pyarrow table, else None."""
    if not is_frame(x):
        return None
    from mllifecycle._frames import column_names as raw_names

    return [str(c) for c in raw_names(x) or []]


def _time_as_number(
    col: npt.NDArray[Any],
    name: str = "reference",
    caller: str = "detect",
    zones: dict[int, bool] | None = None,
    j: int = 0,
    times: dict[int, int] | None = None,
) -> npt.NDArray[Any]:
    """Datetimes and durations as float64 nanoseconds (NaT -> NaN); others unchanged.

    Datetime columns are tested as numbers (their instants), not as categories:
    as categories every timestamp would be its own category and the test
    would see nothing. An object column of datetimes records in ``zones[j]``
    whether they were timezone-aware (they are compared in UTC). ``times[j]``
    gets the column's kind of time (:data:`TIME_KINDS`), so that instants are
    never compared with plain numbers or with durations.
    """
    if col.dtype.kind in "mM":
        if times is not None:
            times[j] = TIME_KINDS[col.dtype.kind]
        # scaled, not cast: datetime64[s] after 2262 overflowed in nanoseconds
        return time_counts(col, f"{col.dtype.kind}8[ns]")
    if col.dtype.kind == "O" and col.ndim == 1:
        # Python or pandas datetimes (aware ones in UTC), or durations
        found = object_times(col, name, caller)
        if found is not None:
            if zones is not None and found[0].dtype.kind == "M":
                zones[j] = found[1]
            return _time_as_number(found[0], j=j, times=times)
    return col


# a column's kind of time, as ``split_table`` records it (absent: not a time)
TIME_KINDS = {"M": 1, "m": 2}
_TIME_NAMES = {0: "numbers or categories", 1: "datetimes", 2: "durations (timedeltas)"}


def refuse_mixed_times(
    rt: dict[int, int], ct: dict[int, int], names: list[str], caller: str,
    like: str = "'reference'",
) -> None:
    """Refuse a column of datetimes or durations on one side and not on the other.

    ``rt``/``ct`` are the ``times`` :func:`split_table` recorded for the
    reference and the current data. Both are tested as nanosecond counts, so
    instants against plain numbers (or durations) gave a statistic of the
    units, not of the data.
    """
    for j in sorted(set(rt) | set(ct)):
        r, c = rt.get(j, 0), ct.get(j, 0)
        if r != c:
            nm = names[j] if j < len(names) else j
            fail("current", f"column {nm!r} of {_TIME_NAMES[r]}, as in {like}",
                 described(f"{_TIME_NAMES[c]} in column {nm!r}"), caller)


def time_zones(x: Any, object_zones: dict[int, bool]) -> dict[int, bool]:
    """Datetime columns of ``x`` (by position), each with whether it is timezone-aware.

    The columns typed datetime of a table and, from ``object_zones`` (filled
    by :func:`split_table`), columns of datetime objects: of a mapping, an
    array or a table's object columns.
    """
    out = datetime_zones(x) if is_frame(x) else {}
    out.update(object_zones)
    return out


def _boolean_columns(x: Any) -> set[int]:
    """Positions of a table's boolean columns (pandas, polars or pyarrow)."""
    kind = frame_kind(x)
    if kind == "pandas":
        return {j for j, dt in enumerate(x.dtypes) if str(dt) in ("bool", "boolean")}
    if kind == "polars":
        schema = x.collect_schema() if type(x).__name__ == "LazyFrame" else x.schema
        return {j for j, dt in enumerate(schema.values()) if str(dt) == "Boolean"}
    if kind == "pyarrow":
        import pyarrow as pa

        return {j for j, f in enumerate(x.schema) if pa.types.is_boolean(f.type)}
    return set()


def declared_categorical(x: Any) -> set[str]:
    """Names of the columns :func:`categorical_columns` finds (none for arrays, mappings)."""
    if isinstance(x, Mapping) or not is_frame(x):
        return set()
    names = [str(c) for c in (column_names(x) or [])]
    return {names[j] for j in categorical_columns(x) if j < len(names)}


def _bools_with_nulls(col: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Return a boolean column that its nulls made float (1.0/0.0/NaN) as bools and None.

    Without nulls the same column is a bool array, a categorical column; with
    them it must stay categorical (its nulls missing values), not turn numeric.
    """
    if col.dtype.kind != "f":
        return col
    out = np.empty(col.shape[0], dtype=object)
    miss = np.isnan(col)
    out[~miss] = [bool(v) for v in col[~miss].tolist()]
    out[miss] = None
    return out


def column_kind(col: npt.NDArray[Any]) -> str:
    if col.dtype.kind in "iuf":
        return "numeric"
    if col.dtype.kind == "O":
        if any(isinstance(v, str | bytes | bool | np.bool_) for v in col.tolist()):
            return "categorical"
        try:
            col.astype(np.float64)
        except (TypeError, ValueError):
            return "categorical"
        return "numeric"
    return "categorical"


def non_numeric(col: npt.NDArray[Any]) -> str:
    """Describe the values that make a column categorical, with one of them.

    A bool column was reported as holding "non-numeric values (such as
    strings)" against an int column of the same name.
    """
    if col.dtype.kind == "b":
        return f"booleans (such as {bool(col[0])})" if col.size else "booleans"
    for v in col.tolist():
        if isinstance(v, bool | np.bool_):
            return f"booleans (such as {bool(v)})"
        if isinstance(v, str | bytes):
            return f"non-numeric values (text, such as {v!r})"
    for v in col.tolist():
        try:
            float(v)
        except (TypeError, ValueError):
            return f"non-numeric values (such as {v!r} of type {type(v).__name__})"
    return "non-numeric values (such as strings)"


def split_table(
    x: Any,
    name: str,
    caller: str,
    zones: dict[int, bool] | None = None,
    times: dict[int, int] | None = None,
) -> tuple[list[str], list[npt.NDArray[Any]]]:
    """Names and 1-D columns of ``x``; ``zones`` gets its object datetime columns' awareness.

    ``times`` gets the kind of time (:data:`TIME_KINDS`) of its datetime and
    duration columns, by position.
    """
    if isinstance(x, Mapping):
        if len(x) == 0:
            fail(
                name,
                "a data set with at least 1 column",
                described("0 columns"),
                caller,
            )
        keys = [str(k) for k in x]
        refuse_duplicate_names(list(x), name, caller)
        vals = [
            _time_as_number(np.asarray(v), name, caller, zones, j, times)
            for j, v in enumerate(x.values())
        ]
        for k, v in zip(keys, vals, strict=True):
            if v.ndim != 1 or v.shape[0] != vals[0].shape[0]:
                fail(
                    name,
                    "a mapping of equally long 1-D columns",
                    described(f"column {k!r} of shape {v.shape}"),
                    caller,
                )
        return keys, vals
    if is_frame(x):
        raw, cols = to_columns(x)
        names = [str(c) for c in raw]
        refuse_duplicate_names(raw, name, caller)
        flags = _boolean_columns(x)
        cols = [
            _bools_with_nulls(c) if j in flags
            else _time_as_number(c, name, caller, zones, j, times)
            for j, c in enumerate(cols)
        ]
        if len(cols) == 0:
            fail(
                name,
                "a data set with at least 1 column",
                described("0 columns"),
                caller,
            )
        return names, cols
    if x is None or isinstance(x, str | bytes):
        fail(name, "a 2-D array-like or DataFrame", x, caller)
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:
        fail(
            name,
            "a 2-D array-like or DataFrame",
            described(f"ragged input ({exc})"),
            caller,
        )
    if arr.ndim != 2:
        fail(
            name,
            "a 2-D array or DataFrame (reshape a single feature with x.reshape(-1, 1))",
            described(f"a {arr.ndim}-D array of shape {arr.shape}"),
            caller,
        )
    if arr.shape[1] == 0:
        fail(
            name,
            "a data set with at least 1 column",
            described(f"shape {arr.shape}"),
            caller,
        )
    return [f"x{j}" for j in range(arr.shape[1])], [
        _time_as_number(arr[:, j], name, caller, zones, j, times) for j in range(arr.shape[1])
    ]


def _named(x: Any) -> bool:
    """Whether ``x``'s columns have names of their own (a table or a mapping)."""
    return isinstance(x, Mapping) or column_names(x) is not None


def refuse_mixed_time_zones(
    rz: dict[int, bool], cz: dict[int, bool], names: list[str], caller: str
) -> None:
    """Refuse a datetime column timezone-aware on one side and naive on the other.

    Naive instants would be read as UTC, which they often are not (local
    clock times); pandas refuses to compare the two for the same reason.
    ``rz``/``cz`` are :func:`time_zones` of the reference and the current data.
    """
    for j in sorted(set(rz) & set(cz)):
        if rz[j] != cz[j]:
            aware = "reference" if rz[j] else "current"
            naive = "current" if rz[j] else "reference"
            nm = names[j] if j < len(names) else j
            fail(naive, f"column {nm!r} timezone-aware, like {aware}'s (localize it, e.g. "
                 "Series.dt.tz_localize('UTC'), or make both naive)",
                 described(f"a naive datetime column {nm!r}"), caller)


def check_tables(
    reference: Any, current: Any, caller: str
) -> tuple[list[str], list[npt.NDArray[Any]], list[npt.NDArray[Any]]]:
    """Column names and columns of both samples, checked against each other.

    The names are those the user gave: of ``reference`` when it is a table or
    a mapping, else of ``current`` when that one is (an array gets ``x0``,
    ``x1``, ...). Two named samples must have the same names in the same
    order; columns are never paired by position under other names.
    """
    r_obj: dict[int, bool] = {}
    c_obj: dict[int, bool] = {}
    r_times: dict[int, int] = {}
    c_times: dict[int, int] = {}
    rn, rc = split_table(reference, "reference", caller, r_obj, r_times)
    cn, cc = split_table(current, "current", caller, c_obj, c_times)
    if len(rc) != len(cc):
        fail(
            "current",
            f"a data set with {len(rc)} column(s), like 'reference'",
            described(f"{len(cc)} column(s)"),
            caller,
        )
    if _named(reference) and _named(current) and rn != cn:
        fail(
            "current",
            f"the columns of 'reference' {rn[:5]}",
            described(f"columns {cn[:5]}"),
            caller,
        )
    # names the user gave on either side: an array against a table reports the
    # table's column names (the array's x0, x1, ... were shown for them)
    names = cn if _named(current) and not _named(reference) else rn
    refuse_mixed_times(r_times, c_times, names, caller)
    refuse_mixed_time_zones(
        time_zones(reference, r_obj), time_zones(current, c_obj), names, caller
    )
    for nm, col in (("reference", rc[0]), ("current", cc[0])):
        if col.shape[0] < 2:
            fail(
                nm,
                "an array with at least 2 sample(s)",
                described(f"{col.shape[0]} sample(s)"),
                caller,
            )
    return names, rc, cc


def column_name(key: Any, names: list[str], arg: str, caller: str, what: str = "") -> str:
    """Return the column a key of ``arg`` (``categorical_features``, ``tests``) names.

    One rule for every parameter: a string is a column label, an int (not a
    bool) a position, as in scikit-learn. Labels are compared as text, as
    everywhere in the package, so a table of int labels ``0..n-1`` (as from
    ``pd.DataFrame(array)``) reads the same either way; an int that is the
    label of a column at another position (columns ``[10, 0]`` and key ``0``)
    is ambiguous and refused: pass the label as text (``"0"``) or the position.
    """
    pre = f"{what} " if what else ""
    if isinstance(key, int | np.integer) and not isinstance(key, bool | np.bool_):
        j = int(key)
        # labels equal to the int: its text, or a float label such as 0.0
        # (pandas' df[0] selects a column labelled 0.0)
        other = [p for p, nm in enumerate(names) if p != j and label_is_number(nm, j)]
        if other:
            p = other[0]
            fail(
                arg,
                f"{pre}column positions that are not the label of another column (an int "
                f"is a position; pass the label as text, {names[p]!r}, or position {p})",
                described(
                    f"{j}, both the position of "
                    + (f"column {names[j]!r}" if 0 <= j < len(names) else "no column")
                    + f" and the label of the column at position {p}"
                ),
                caller,
            )
        if not 0 <= j < len(names):
            fail(arg, f"{pre}column positions in [0, {len(names)}) or column names "
                 f"among {names[:5]}", key, caller)
        return names[j]
    if str(key) in names:  # a label (also a tuple of a MultiIndex, shown as text)
        return str(key)
    fail(arg, f"{pre}column names among {names[:5]} or positions in [0, {len(names)})",
         key, caller)


def resolve_tests(tests: Any, names: list[str], kinds: list[str], caller: str) -> list[str]:
    valid = list(FEATURE_TESTS)
    if isinstance(tests, Mapping):
        chosen: dict[str, Any] = {}
        given: dict[str, Any] = {}
        for key, val in tests.items():
            nm = column_name(key, names, "tests", caller, "a mapping whose keys are")
            if nm in chosen:
                fail(
                    "tests",
                    "a mapping naming each column once",
                    described(f"keys {given[nm]!r} and {key!r} both naming column {nm!r}"),
                    caller,
                )
            chosen[nm], given[nm] = val, key
    else:
        check_option(tests, "tests", ["auto", *valid], caller)
        chosen = {}
    out = []
    for nm, kind in zip(names, kinds, strict=True):
        t = chosen.get(nm, tests if not isinstance(tests, Mapping) else "auto")
        check_option(t, "tests", ["auto", *valid], caller)
        if t == "auto":
            t = "ks" if kind == "numeric" else "chi_square"
        cat_ok = FEATURE_TESTS[t][3]
        if kind == "categorical" and not cat_ok:
            if isinstance(tests, Mapping):
                fail(
                    "tests",
                    f"a test for categorical data for column {nm!r} "
                    "(chi_square, psi, jensen_shannon or hellinger)",
                    t,
                    caller,
                )
            t = "chi_square"
        out.append(t)
    return out


def kinds(
    names: list[str],
    rc: list[npt.NDArray[Any]],
    cc: list[npt.NDArray[Any]],
    categorical_features: Any,
    caller: str,
    declared: set[str] | None = None,
) -> list[str]:
    """Each column's kind; ``declared`` columns (categorical by type) are categorical."""
    cat_set: set[str] = set(declared or ())
    arg = "categorical_features"
    if categorical_features is not None:
        if isinstance(categorical_features, str) or not isinstance(categorical_features, Sequence):
            fail(arg, "a list of column names or indices", categorical_features, caller)
        for c in categorical_features:
            cat_set.add(column_name(c, names, arg, caller))
    kinds = []
    for nm, r, c in zip(names, rc, cc, strict=True):
        if nm in cat_set:
            kinds.append("categorical")
            continue
        kr, kc = column_kind(r), column_kind(c)
        if kr != kc:
            bad = "current" if kr == "numeric" else "reference"
            fail(
                bad,
                f"column {nm!r} numeric in both samples (or list it in 'categorical_features')",
                described(f"{non_numeric(c if kr == 'numeric' else r)} in {bad}'s column {nm!r}"),
                caller,
            )
        kinds.append(kr)
    return kinds
