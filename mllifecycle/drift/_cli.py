"""``mllifecycle drift``: compare two tables (CSV, TSV, JSON, Parquet) column by column.

Exit status: 0 no drift, 1 drift, 2 bad input (one line on stderr, from
:func:`mllifecycle.cli.main`). Top-level imports are light; NumPy and the
tests load when the command runs.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from mllifecycle._cli_seed import seed

__all__ = ["add_arguments", "run"]

_TESTS = (
    "auto",
    "ks",
    "cramer_von_mises",
    "anderson_darling",
    "wasserstein",
    "chi_square",
    "psi",
    "jensen_shannon",
    "hellinger",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``drift`` subcommand's arguments to ``parser``."""
    parser.add_argument(
        "reference",
        nargs="?",
        metavar="REFERENCE.csv",
        help="reference data: CSV/TSV (delimiter detected) with a header row, JSON or Parquet",
    )
    parser.add_argument(
        "current",
        nargs="?",
        metavar="CURRENT.csv",
        help="current data: CSV with the same columns",
    )
    parser.add_argument(
        "--alpha",
        type=float,
        default=0.05,
        help="family-wise significance level (default 0.05)",
    )
    parser.add_argument(
        "--correction",
        default="holm",
        help="holm (default), bonferroni, fdr_bh or none",
    )
    parser.add_argument(
        "--test",
        default="auto",
        metavar="NAME",
        help="test for every column: "
        + ", ".join(_TESTS)
        + " (default auto: ks for numbers, chi_square for categories; ks, "
        "cramer_von_mises, anderson_darling and wasserstein compare numbers and refuse "
        "a text column)",
    )
    parser.add_argument(
        "--min-effect",
        type=float,
        default=None,
        help="also require this effect size for a detection",
    )
    parser.add_argument(
        "--nan-policy",
        default="raise",
        choices=("raise", "omit"),
        help="empty cells: raise (default) or omit them per column",
    )
    parser.add_argument(
        "--na-values",
        action="append",
        default=None,
        metavar="CELLS",
        help="comma-separated cell values read as missing in both files, besides the "
        "empty cell and pandas' markers (NA, N/A, NaN, null, None, ...), e.g. "
        "--na-values='?,-'",
    )
    parser.add_argument(
        "--seed", type=seed, default=0, help="seed for permutation tests (default 0)"
    )
    parser.add_argument(
        "--sep", default=None, help="field delimiter of both files (default: detected)"
    )
    parser.add_argument(
        "--no-header",
        action="store_true",
        help="the files have no header row; columns are named 0, 1, ...",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--example", action="store_true", help="run on built-in data with a known shift"
    )


def _example() -> tuple[dict[str, Any], dict[str, Any]]:
    """Seeded built-in data: income and channel shift, age and tenure do not."""
    import numpy as np

    rng = np.random.default_rng(20240601)
    channels = np.array(["web", "store", "phone"], dtype=object)

    def sample(n: int, income_scale: float, channel_p: list[float]) -> dict[str, Any]:
        return {
            "age": rng.normal(40.0, 10.0, n).round(),
            "income": rng.lognormal(10.0, 0.5, n) * income_scale,
            "tenure": rng.poisson(3.0, n).astype(float),
            "channel": channels[rng.choice(3, size=n, p=channel_p)],
        }

    ref = sample(2000, 1.0, [0.5, 0.3, 0.2])
    cur = sample(1000, 1.25, [0.65, 0.2, 0.15])
    return ref, cur


_BOOLEAN_TEXT = {"true": True, "false": False}


def _booleans(col: Any) -> Any:
    """Return a text column of true/false cells (any case) as bools; others unchanged.

    A Parquet boolean column is read as bools, the same values in a CSV as
    ``True``/``False`` (pandas) or ``true``/``false`` (JSON, R); as text
    against bools, or ``True`` against ``true``, every value was a category
    of its own and the same data "drifted" completely.
    """
    import numpy as np

    if col.dtype != object:
        return col
    values = col.tolist()
    if not all(
        v is None or (isinstance(v, str) and v.lower() in _BOOLEAN_TEXT) for v in values
    ) or all(v is None for v in values):
        return col
    out = np.array([None if v is None else _BOOLEAN_TEXT[v.lower()] for v in values], dtype=object)
    return out if any(v is None for v in values) else out.astype(bool)


def _matched_booleans(ref: Any, cur: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read true/false columns as booleans where both files' column is one.

    Read per file, a column of ``true``/``false``/``maybe`` in one file and
    only ``true``/``false`` in the other became text against booleans; the
    library refused it with advice for Python callers, or, as categories,
    ``"true"`` and ``True`` would be two values. Where a file's column is
    text, both stay text with true/false written one way (lower case): as
    categories ``TRUE`` and ``true`` were two values, a drift of spelling.
    """
    import numpy as np

    def as_text(col: Any) -> Any:
        return np.array(
            [
                str(v).lower() if isinstance(v, bool | np.bool_)
                or (isinstance(v, str) and v.lower() in _BOOLEAN_TEXT) else v
                for v in col.tolist()
            ],
            dtype=object,
        )

    out_ref: dict[str, Any] = {}
    out_cur: dict[str, Any] = {}
    for name in ref:
        r, c = _booleans(ref[name]), _booleans(cur[name])
        kinds = {_kind(r)[0], _kind(c)[0]}
        if "text" in kinds and kinds <= {"true/false", "text"}:
            r, c = as_text(r), as_text(c)
        out_ref[name], out_cur[name] = r, c
    return out_ref, out_cur


def _kind(col: Any) -> tuple[str, Any]:
    """Return a column's kind as the command line reads it, and an example value.

    ``"empty"`` (no value at all), ``"numbers"``, ``"dates"``, ``"true/false"``
    or ``"text"``.
    """
    import numpy as np

    if col.dtype.kind == "M":
        ok = ~np.isnat(col)
        first = str(np.datetime_as_string(col[ok][0], unit="auto")) if ok.any() else None
        return ("dates", first) if ok.any() else ("empty", None)
    if col.dtype.kind == "f":
        ok = ~np.isnan(col)
        return ("numbers", format(col[ok][0], "g")) if ok.any() else ("empty", None)
    if col.dtype.kind in "iu":
        return ("numbers", str(col[0])) if col.size else ("empty", None)
    if col.dtype.kind == "b":
        return ("true/false", str(bool(col[0])).lower()) if col.size else ("empty", None)
    values = [v for v in col.tolist() if v is not None]
    if not values:
        return "empty", None
    if all(isinstance(v, bool) for v in values):
        return "true/false", str(values[0]).lower()
    if all(isinstance(v, int) for v in values):  # integers beyond 2**53 with empty cells
        return "numbers", str(values[0])
    # a cell that is not a number: "0.126" was shown for a column made text by "#DIV/0!"
    from mllifecycle._io import text_cell

    text = text_cell(values)
    return "text", values[0] if text is None else text


def _check_kinds(ref: Any, cur: Any, ref_path: str, cur_path: str, test: str) -> None:
    """Refuse a column with no values, read two ways, or text under a numeric ``--test``.

    A column empty in one file and text in the other was refused by the
    library as "non-numeric values in reference" (the reference held the
    only values); numbers against dates were both tested as numbers (dates
    as nanoseconds), with exit 0 or 1; and ``--test ks`` on a text column
    ran chi_square in its place without a word.
    """
    from mllifecycle.drift._columns import FEATURE_TESTS

    numeric_only = test in FEATURE_TESTS and not FEATURE_TESTS[test][3]
    for name in ref:
        (rk, rx), (ck, cx) = _kind(ref[name]), _kind(cur[name])
        for path, kind in ((ref_path, rk), (cur_path, ck)):
            if kind == "empty":
                raise ValueError(
                    f"{path}: column {name!r} has no values (every cell is empty or a "
                    "missing value), so there is nothing to compare; drop the column from "
                    "both files"
                )
        if rk != ck:
            raise ValueError(
                f"column {name!r} holds {rk} in {ref_path} (such as {rx!r}) and {ck} in "
                f"{cur_path} (such as {cx!r}); write it the same way in both files"
            )
        if numeric_only and rk in ("text", "true/false"):
            raise ValueError(
                f"--test {test} compares numbers (or dates), and column {name!r} holds "
                f"{rk} (such as {rx!r}); use --test auto (chi_square for such columns) or "
                "one of chi_square, psi, jensen_shannon, hellinger"
            )


# a number with a unit or an accountant's sign around it: 12.5%, $5.00, -$5.00,
# 5 EUR-style symbols (EUR, GBP, JPY, INR signs), (5.0), ($5.00), 5- (a trailing minus)
_CURRENCY = "$\u20ac\u00a3\u00a5\u20b9\u20bd\u20a9\u20a3"
_BODY = r"(\d+(?:[.,]\d+)*|\d*[.,]\d+)(?:[eE][+-]?\d+)?"
_UNIT_NUMBER = re.compile(
    rf"[+\-\u2212]?[{_CURRENCY}]\s?[+\-\u2212]?{_BODY}"  # $5.00, -$5, $-5
    rf"|[+\-\u2212]?{_BODY}\s?(?:%|\u2030|[{_CURRENCY}])"  # 12.5%, 5 EUR sign
    rf"|\(\s?[{_CURRENCY}]?\s?{_BODY}\s?%?\)"  # (5.0), ($5.00): negatives
    rf"|{_BODY}[-\u2212]"  # 5-: a trailing minus
)
_PLAIN = re.compile(rf"[+-]?{_BODY}")


# a duration as pandas writes it (0 days 00:01:42.5), a clock time or duration
# with seconds (00:01:42, 1:05:30.5) and an ISO-8601 duration (PT1M40S, P1DT2H);
# not "2 days" nor "09:00" alone, which may name a category (a delivery option,
# a shift)
_DURATION = re.compile(
    r"[+-]?\d+ days?,? [+-]?\d{1,2}:\d{2}:\d{2}(\.\d+)?"
    r"|[+-]?\d+:\d{2}:\d{2}(\.\d+)?"
    r"|[+-]?P(?=\d|T\d)(\d+(\.\d+)?[YMWD])*(T(?=\d)(\d+(\.\d+)?[HMS])+)?"
)

# a date in a numeric format other than ISO 8601, which the reader leaves as text:
# 01/02/2024, 1.2.2024, 31-12-2024, 01/02/24, 2024/01/02, 2024-1-2, with an
# optional time of day (13:45, 1:45:07 PM); day and month are 1 to 31 and the
# year has four digits (two after a slash), so version numbers (1.2.3) are not
# dates
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_DATE = re.compile(
    rf"(?:{_DAY}([/.\-]){_DAY}\1\d{{4}}|{_DAY}/{_DAY}/\d{{2}}|\d{{4}}([/.\-]){_DAY}\2{_DAY})"
    r"(?:(?:[ T]|, )\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp]\.?[Mm]\.?)?)?"
)


def _time_of_day(col: Any) -> str | None:
    """Return a cell of an object column of ``datetime.time`` values (missing aside), else None."""
    import datetime as dt

    if col.dtype != object:
        return None
    found = None
    for v in col.tolist():
        if v is None:
            continue
        if not isinstance(v, dt.time):
            return None
        found = found or v.isoformat()
    return found


def _iso_date(cell: str) -> bool:
    """Whether ``cell`` is an ISO-8601 date or time (as delimited files are read)."""
    import datetime as dt

    if not (len(cell) >= 8 and cell[:4].isdigit() and cell[4] == "-"):
        return False
    try:
        dt.datetime.fromisoformat(cell)
    except ValueError:
        return False
    return True


def _written_as(col: Any, pattern: Any, *, numbers_too: bool = False) -> str | None:
    """Return a cell of a text column whose every value ``pattern`` matches (markers aside).

    None when a non-missing cell is neither matched nor a missing-value
    marker (no letter or digit), nor (with ``numbers_too``) a plain number,
    or when none is matched.
    """
    if col.dtype != object:
        return None
    example = None
    for v in col.tolist():
        if v is None:
            continue
        if not isinstance(v, str):
            return None
        if pattern.fullmatch(v):
            example = example or v
        elif numbers_too and _plain_number(v):
            continue
        elif any(ch.isalnum() for ch in v):
            return None
    return example


def _plain_number(v: str) -> bool:
    """Whether ``v`` is a number as written plainly (4.5, 1,234.5, a Unicode minus)."""
    v = v.replace("\u2212", "-")
    if _PLAIN.fullmatch(v):
        return True
    try:
        float(v)
    except ValueError:
        return False
    return True


def _unit_number(col: Any) -> str | None:
    """Return a cell of a text column of numbers written with a unit or sign around them.

    ``12.5%``, ``$5.00``, ``(5.0)`` (an accountant's negative) or ``5-`` (a
    trailing minus) is text to the reader, so a column of such quantities was
    compared as categories ("no drift" for a shifted continuous column, exit 0).
    Returns the first such cell when every other non-missing cell is such a
    number, a plain number or a missing-value marker (no letter or digit),
    else None: as :func:`mllifecycle._io.grouped_number` does for thousands
    separators.
    """
    return _written_as(col, _UNIT_NUMBER, numbers_too=True)


def run(args: argparse.Namespace) -> int:
    """Run ``mllifecycle drift``; return 0 (no drift), 1 (drift); raise on bad input."""
    import json

    from mllifecycle.drift import detect

    if args.example:
        given = [f for f in (args.reference, args.current) if f]
        if given:  # the built-in data's answer must not pass for the files'
            raise ValueError(f"--example takes no files; got {', '.join(given)}")
        ref, cur = _example()
    else:
        if not args.reference or not args.current:
            raise ValueError("give REFERENCE.csv and CURRENT.csv (or --example)")
        from mllifecycle._io import read_table

        header = not args.no_header
        na_values = [
            c.strip() for opt in args.na_values or [] for c in opt.split(",") if c.strip()
        ]

        def read(which: str, path: str) -> Any:
            try:
                return read_table(path, sep=args.sep, header=header, na_values=na_values)
            except ValueError as exc:  # name the argument: which of the two files?
                if str(exc).startswith(path):
                    raise ValueError(f"{which} file {exc}") from None
                raise

        ref = read("reference", args.reference)
        cur = read("current", args.current)
        from mllifecycle._io import header_read_as_data

        found_in = [(path, header_read_as_data(table))
                    for path, table in ((args.reference, ref), (args.current, cur))]
        for path, found in found_in:
            if found is not None and args.no_header:  # else numbers compared as text categories
                raise ValueError(
                    f"{path}: with --no-header the first row is data, but its {found[1]!r} "
                    f"(column {found[0]!r}) sits above numbers, like a header; drop "
                    "--no-header"
                )
        path, found = found_in[0]
        if found is not None and found_in[1][1] is not None:
            # a second header row in both files (MultiIndex columns, units): every
            # column was text, chi_square, "no drift" (p = 1) for a shift; in one
            # file only, the column's kinds differ (refused below)
            raise ValueError(
                f"{path}: the first data row's {found[1]!r} (column {found[0]!r}) sits "
                "above numbers, like a second header row (a pandas MultiIndex's, or a row "
                "of units); keep one header row"
            )
        if list(ref) != list(cur) and sorted(ref) == sorted(cur):
            raise ValueError(
                f"the columns are in another order: {args.reference} has {list(ref)[:5]}, "
                f"{args.current} has {list(cur)[:5]}; write them in the same order"
            )
        if list(ref) != list(cur):
            raise ValueError(
                f"the columns differ: {args.reference} has {list(ref)[:5]}, "
                f"{args.current} has {list(cur)[:5]}"
            )
        from mllifecycle._io import (
            aware_columns,
            decimal_comma_number,
            grouped_number,
            missing_marker,
            other_digits_number,
        )

        ref_aware, cur_aware = aware_columns(ref), aware_columns(cur)
        for name in ref:
            if ref[name].dtype.kind == cur[name].dtype.kind == "M" and (
                (name in ref_aware) != (name in cur_aware)
            ):  # naive clock times would be read as UTC instants
                aware, naive = (
                    (args.reference, args.current)
                    if name in ref_aware
                    else (args.current, args.reference)
                )
                raise ValueError(
                    f"column {name!r} has timezone-aware times in {aware} and naive ones "
                    f"in {naive}; write both with their UTC offset, or both without"
                )

        for path, table in ((args.reference, ref), (args.current, cur)):
            for name, col in table.items():
                marker = missing_marker(col)
                if marker is not None:  # else compared as categories
                    import shlex

                    row, mark = marker
                    raise ValueError(
                        f"{path}: column {name!r} holds numbers (or dates) and {mark!r} "
                        f"(data row {row + 1}), so it was read as text and would be compared "
                        f"as categories; if {mark!r} marks a missing value, pass "
                        f"--na-values={shlex.quote(mark)} (and --nan-policy omit to leave "
                        "such cells out)"
                    )
                cell = grouped_number(col)
                if cell is not None:  # else compared as categories: "no drift"
                    raise ValueError(
                        f"{path}: column {name!r} holds numbers with a thousands separator "
                        f"({cell!r}), read as text; write them without one"
                    )
                cell = other_digits_number(col)
                if cell is not None:  # else compared as categories: "no drift"
                    raise ValueError(
                        f"{path}: column {name!r} holds numbers written with digits other "
                        f"than 0-9 ({cell!r}, full-width or another script's), read as "
                        "text; write them with the digits 0-9"
                    )
                cell = _unit_number(col)
                if cell is not None:  # else compared as categories: "no drift"
                    raise ValueError(
                        f"{path}: column {name!r} holds numbers with a unit or sign written "
                        f"around them ({cell!r}), read as text; write them as plain numbers "
                        "(no %, currency symbol, parentheses or trailing minus)"
                    )
                cell = _written_as(col, _DURATION)
                if cell is not None:  # else compared as categories
                    raise ValueError(
                        f"{path}: column {name!r} holds durations or clock times ({cell!r}), "
                        "read as text and so compared as categories; write them as numbers "
                        "of one unit (such as seconds)"
                    )
                cell = _time_of_day(col)
                if cell is not None:  # a Parquet time64 column: each time a category,
                    # "no drift" (p = 1) for times moved to the afternoon
                    raise ValueError(
                        f"{path}: column {name!r} holds times of day ({cell!r}), which "
                        "would be compared as categories; store them as numbers of one "
                        "unit (such as seconds since midnight)"
                    )
                cell = _written_as(col, _DATE)
                if cell is not None:  # else compared as categories: a shift of the
                    # times "no drift" (p = 1), the same times in another draw "drift"
                    how = (
                        "store them as a date or timestamp column"
                        if _iso_date(cell)  # a Parquet text column
                        else "write them in ISO 8601 (2024-01-31, 2024-01-31 13:45:00), "
                        "which is read as times"
                    )
                    raise ValueError(
                        f"{path}: column {name!r} holds dates written as text ({cell!r}), "
                        f"so they would be compared as categories; {how}"
                    )
                cell = decimal_comma_number(col)
                if cell is not None:  # else compared as categories
                    raise ValueError(
                        f"{path}: column {name!r} holds numbers with a decimal comma "
                        f"({cell!r}), read as text (a decimal comma is read only in "
                        "semicolon-separated files); write them with a decimal point"
                    )
        ref, cur = _matched_booleans(ref, cur)
        _check_kinds(ref, cur, args.reference, args.current, args.test)
    correction = None if str(args.correction).lower() == "none" else args.correction
    from mllifecycle.exceptions import InvalidParameterError

    try:
        report = detect(
            ref,
            cur,
            tests=args.test,
            alpha=args.alpha,
            correction=correction,
            min_effect=args.min_effect,
            nan_policy=args.nan_policy,
            rng=args.seed,
        )
    except InvalidParameterError as exc:
        text = str(exc)
        if args.example or "nan_policy='omit'" not in text:
            raise
        # the test's words name detect's keyword, not the file or the option
        which = "current" if text.startswith("The 'current'") else "reference"
        path = args.current if which == "current" else args.reference
        raise ValueError(
            f"{text} In {which} file {path}: pass --nan-policy omit to leave empty or "
            "missing cells out of each column's test, or fill them."
        ) from None
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report)
    return 1 if report.drift_detected else 0
