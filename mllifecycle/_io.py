"""One table reader for every command-line subcommand.

CSV with the delimiter detected (comma, semicolon, tab, pipe) or given, TSV,
files without a header row (only when asked: ``header=False``), Parquet when
pyarrow is installed, JSON (``.jsonl``/``.ndjson`` lines of records; ``.json``
an array of records, JSON lines, or an object of columns as pandas writes
it); any of them gzip-, bzip2- or xz-compressed (``t.csv.gz``); text in UTF-8,
or UTF-16 (with a byte-order mark, or without one when its zero bytes say
so); an Excel ``sep=;`` first line names the delimiter. Numeric columns as
float64 (empty cells as NaN; integers beyond 2**53, which float64 cannot
hold, as int64 or text, exactly), ISO-8601 date and datetime columns as
``datetime64``, everything else as text. A header row repeated as a row of
data (files joined with their headers) is refused. Every problem is
a ``ValueError`` naming the file, which the command line turns into exit
status 2 with one line on stderr.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import importlib.util
import io
import itertools
import json
import os
import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "Table",
    "read_table",
    "aware_columns",
    "data_lines",
    "read_column_file",
    "match_label_types",
    "refuse_data_header",
    "header_read_as_data",
    "text_cell",
    "check_output_path",
    "check_n_resamples",
    "refuse_numbers_written_two_ways",
    "grouped_number",
    "decimal_comma_number",
    "other_digits_number",
    "missing_marker",
    "whole_numbers",
    "SEPARATORS",
]

#: Delimiters the reader detects; ``sep=`` may name any single character.
SEPARATORS = ",;\t|"
_SEP_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe", " ": "space"}
_EXCEL_SEP = re.compile(r"sep=(.)[ \t]*(\r\n|\n|\r)")  # Excel's "sep=;" first line
_SEP_ALIASES = {"\\t": "\t", **{name: sep for sep, name in _SEP_NAMES.items()}}

Table = dict[str, npt.NDArray[Any]]


class _ZonedTable(dict[str, npt.NDArray[Any]]):
    """A :data:`Table` that remembers its timezone-aware datetime columns."""

    aware: frozenset[str] = frozenset()
    lines: tuple[int, ...] | None = None  # the file line of each data row (delimited text)


def aware_columns(table: Table) -> frozenset[str]:
    """Names of the datetime columns that were timezone-aware (read as UTC instants).

    A naive datetime column is read as written, so comparing it with an aware
    one (now UTC) would shift one of them by the zone's offset.
    """
    return getattr(table, "aware", frozenset())


def data_lines(table: Table) -> tuple[int, ...] | None:
    """Return the line of the file each data row starts on (delimited text; else None)."""
    return getattr(table, "lines", None)


def _zoned(table: Table, aware: set[str]) -> Table:
    out = _ZonedTable(table)
    out.aware = frozenset(aware)
    return out


def _sep_name(sep: str) -> str:
    return _SEP_NAMES.get(sep, repr(sep))


def _sample(text: str, size: int = 65536) -> str:
    """Return the whole lines of ``text`` that its first ``size`` characters reach.

    Cut at ``size`` characters, the last line of a file with very long lines
    (thousands of columns) was a part line with fewer fields than the others,
    so no delimiter split every sampled line alike: a semicolon- or
    tab-separated file was refused as one column.
    """
    if len(text) <= size:
        return text
    end = text.find("\n", size)
    return text if end < 0 else text[: end + 1]


def _detect_sep(path: str, sample: str) -> str:
    ext = _extension(path)
    if ext in {".tsv", ".tab"}:
        return "\t"
    lines = [ln for ln in sample.splitlines() if ln.strip()][:50]
    if not lines:
        return ","
    # the delimiter that splits every sampled line into the same number (> 1)
    # of fields, most fields first; csv.Sniffer is tried when none does
    best: tuple[int, str] | None = None
    decimal: str | None = None  # a delimiter whose cells with a comma are decimal numbers
    for sep in SEPARATORS:
        try:
            split = list(csv.reader(lines, delimiter=sep))
        except csv.Error:
            continue
        counts = {len(r) for r in split}
        n = counts.pop() if len(counts) == 1 else 0
        if n > 1 and (best is None or n > best[0]):
            best = (n, sep)
        if n > 1 and sep != "," and decimal is None:
            commas = [c.strip() for r in split for c in r if "," in c]
            if commas and all(_DECIMAL_COMMA.fullmatch(c) for c in commas):
                decimal = sep
    if best is not None and best[1] == "," and decimal is not None:
        # "0,53;1,27" on every line (no header) split on commas into more
        # fields, "0", "53;1" and "27", than on semicolons: the commas are
        # decimal commas inside the semicolon-separated cells
        return decimal
    if best is not None:
        return best[1]
    try:
        return csv.Sniffer().sniff(sample, delimiters=SEPARATORS).delimiter
    except csv.Error:
        return ","


class _MixedZonesError(ValueError):
    """A datetime column with both timezone-aware and naive cells."""


def _parse_datetime(cells: list[str]) -> tuple[npt.NDArray[Any], bool] | None:
    """Return the cells as datetime64 and whether they were timezone-aware.

    None unless every non-empty cell is ISO-8601. Aware cells become UTC
    instants; a column mixing aware and naive cells is refused
    (:class:`_MixedZonesError`): a naive time is a clock time in a zone the
    file does not say, so reading it as UTC beside true UTC instants shifts
    it by that zone's offset without a word.
    """
    values: list[Any] = []
    first: dict[bool, str] = {}  # the first aware / naive cell
    for c in cells:
        if c in NA_TOKENS:
            values.append(None)
            continue
        if not (len(c) >= 8 and c[:4].isdigit() and c[4] == "-"):
            return None
        try:
            d = _dt.datetime.fromisoformat(c.replace("Z", "+00:00"))
        except ValueError:
            return None
        first.setdefault(d.tzinfo is not None, c)
        if d.tzinfo is not None:
            d = d.astimezone(_dt.UTC).replace(tzinfo=None)
        values.append(np.datetime64(d, "us"))
    if not first:
        return None
    if len(first) == 2:
        raise _MixedZonesError(
            f"mixes timezone-aware and naive datetimes ({first[True]!r} and "
            f"{first[False]!r}); write every time with its UTC offset, or none"
        )
    arr = np.array([np.datetime64("NaT", "us") if v is None else v for v in values])
    return arr, True in first


#: Cells read as missing (pandas' default ``na_values``, the empty cell included):
#: without them a numeric column with a "NA" in it became a text column.
NA_TOKENS = frozenset(
    {
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
        "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    }
)  # fmt: skip

# a number written with a decimal comma (semicolon-separated files)
_DECIMAL_COMMA = re.compile(r"[+-]?\d+(,\d+)?([eE][+-]?\d+)?")


def _floats(cells: list[str], decimal_comma: bool) -> npt.NDArray[np.float64] | None:
    out = np.empty(len(cells))
    for i, c in enumerate(cells):
        if c in NA_TOKENS:
            out[i] = np.nan
            continue
        if not c.isascii():  # float() reads "\uff11\uff12" (full-width) and Arabic-Indic
            # digits as 12; pandas and a CSV reader leave them text
            return None
        if decimal_comma and "," in c:
            if "." in c or not _DECIMAL_COMMA.fullmatch(c):
                return None
            c = c.replace(",", ".")
        elif "_" in c:  # float() accepts "1_000"; a CSV reader does not
            return None
        try:
            out[i] = float(c)
        except ValueError:
            return None
    return out


_INTEGER = re.compile(r"[+-]?\d+")
# a whole number grouped by thousands: 1.234 and 12.345.678 (semicolon files),
# 1,234 and 1,234.5 (comma files, where the cell is quoted)
_DOT_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(\.\d{3})+")
_COMMA_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?")
# grouped the other ways, never a plain number: 1.234,5 and 1.234.567 (points
# and a decimal comma, as in German), 1 234,5 (spaces, as in French) and
# 1'234.5 (apostrophes, as in Swiss) -- read as text, compared as categories
_OTHER_GROUPED = re.compile(
    r"[+-]?[1-9]\d{0,2}((\.\d{3}){2,}(,\d+)?|(\.\d{3})+,\d+"
    r"|([ '\u00a0\u202f\u2019]\d{3})+([.,]\d+)?)"
)
_MINUS = "\u2212"  # the minus sign, beside the hyphen-minus "-"
_EXACT = 2**53  # float64 holds every integer up to here, not 2**53 + 1


def _exact_integers(cells: list[str]) -> npt.NDArray[Any] | None:
    """Integers float64 cannot hold, kept exact: int64, else the text as written.

    Read as float64, 2**53 + 1 became 2**53, and two ids (tasks, labels,
    keys) differing beyond float precision became one. Returns None when
    float64 holds every cell exactly, and when a cell is a number that is not
    an integer (``1.5``, ``1e3``): such a column holds measurements, read as
    float64 like any other (as text, one large integer among decimals made
    it categories, and a drift test compared its values one by one).
    """
    big = [c for c in cells if _INTEGER.fullmatch(c) and abs(int(c)) > _EXACT]
    if not big or any(not (c in NA_TOKENS or _INTEGER.fullmatch(c)) for c in cells):
        return None
    if all(_INTEGER.fullmatch(c) and -(2**63) <= int(c) < 2**63 for c in cells):
        return np.array([int(c) for c in cells], dtype=np.int64)
    if all(
        c in NA_TOKENS or (_INTEGER.fullmatch(c) and -(2**63) <= int(c) < 2**63) for c in cells
    ):  # empty cells: Python ints and None (int64 has no missing value; text was categories)
        return np.array([None if c in NA_TOKENS else int(c) for c in cells], dtype=object)
    return np.array([None if c in NA_TOKENS else c for c in cells], dtype=object)


def _column(cells: list[str], decimal_comma: bool = False) -> tuple[npt.NDArray[Any], bool]:
    """Read cells as numbers, datetimes or text; also say whether they were timezone-aware.

    A minus sign written as such (U+2212, as typeset tables and some
    spreadsheets export negative numbers) is a minus: ``float()`` refused
    ``"\u22121.5"``, so the column became text and a drift test compared
    its numbers as categories.
    """
    numeric = [c.replace(_MINUS, "-") for c in cells] if any(_MINUS in c for c in cells) else cells
    values = _floats(numeric, decimal_comma)
    if values is not None:
        exact = _exact_integers(numeric)
        if exact is not None and any(isinstance(v, str) for v in exact.tolist()):
            exact = np.array([None if c in NA_TOKENS else c for c in cells], dtype=object)
        return (values if exact is None else exact), False
    dates = _parse_datetime(cells)
    if dates is not None:
        return dates
    return np.array([None if c in NA_TOKENS else c for c in cells], dtype=object), False


def _table(
    path: str, columns: dict[str, list[str]], decimal_comma: bool = False, as_written: bool = False
) -> Table:
    """Columns of text cells read by :func:`_column`, with their time zones remembered.

    With ``as_written`` every column is the cells as written (object: str, or
    None for a missing cell).
    """
    if as_written:
        return {
            name: np.array([None if c in NA_TOKENS else c for c in cells], dtype=object)
            for name, cells in columns.items()
        }
    table: Table = {}
    aware: set[str] = set()
    for name, cells in columns.items():
        try:
            table[name], is_aware = _column(cells, decimal_comma)
        except _MixedZonesError as exc:
            raise ValueError(f"{path}: column {name!r} {exc}") from None
        if is_aware:
            aware.add(name)
    return _zoned(table, aware)


def _read_parquet(path: str) -> Table:
    if importlib.util.find_spec("pyarrow") is None:
        raise ValueError(
            f"{path}: reading Parquet needs pyarrow, which is not installed "
            "(pip install pyarrow); or give a CSV file"
        )
    import pyarrow.parquet as pq

    from mllifecycle._frames import to_columns

    try:
        table = pq.read_table(path)
    except Exception as exc:
        raise ValueError(f"{path}: not a readable Parquet file ({exc})") from None
    from mllifecycle._frames import datetime_zones

    table = _without_pandas_index(path, table)
    import pyarrow.types as pat

    for field in table.schema:
        kind = field.type.value_type if pat.is_dictionary(field.type) else field.type
        if pat.is_nested(kind):  # a list column failed with NumPy's "truth value ...
            # is ambiguous", a struct column's dicts were compared as categories
            raise ValueError(
                f"{path}: column {field.name!r} holds nested values ({field.type}); "
                "expected flat columns of numbers, text, dates or true/false"
            )
    names, cols = to_columns(table)
    _check_names(path, [str(n) for n in names])
    cols = [_parquet_nulls(table.column(j), c) for j, c in enumerate(cols)]
    cols = [_parquet_decimals(table.column(j), c) for j, c in enumerate(cols)]
    aware = {str(names[j]) for j, tz in datetime_zones(table).items() if tz}
    return _zoned({str(n): c for n, c in zip(names, cols, strict=True)}, aware)


def _without_pandas_index(path: str, table: Any) -> Any:
    """Return a Parquet table without the columns pandas stored its index in.

    ``DataFrame.to_parquet`` stores an index other than a plain range (a
    filtered frame's row numbers, a time index) as a column such as
    ``__index_level_0__``, which ``pandas.read_parquet`` makes the index
    again. Read as data, the row labels were tested as a feature: two windows
    of one stream "drifted" (exit 1) on their disjoint row numbers or times.
    """
    meta = table.schema.pandas_metadata or {}
    index = [c for c in meta.get("index_columns", []) if isinstance(c, str)]
    index = [c for c in index if c in table.column_names]
    if not index:
        return table
    if len(index) == table.num_columns:
        raise ValueError(
            f"{path}: every column is the pandas index ({', '.join(index)}); expected data "
            "columns (write the frame with reset_index() to keep the index as data)"
        )
    return table.drop_columns(index)


def _check_na_values(na_values: Any) -> frozenset[str]:
    """``na_values`` as a set of cells (``--na-values``), checked."""
    if na_values is None:
        return frozenset()
    if isinstance(na_values, str) or not all(isinstance(v, str) for v in na_values):
        raise ValueError(
            f"--na-values must be a list of cell values (text), got {na_values!r}"
        )
    return frozenset(v.strip() for v in na_values)


def _na(cell: str, extra: frozenset[str]) -> str:
    """Return the empty cell (missing) for a cell the user named a missing-value marker."""
    return "" if cell in extra else cell


def _missing_text(table: Table, extra: frozenset[str]) -> Table:
    """Return a Parquet table with its text cells named in ``na_values`` as None."""
    if not extra:
        return table
    for name, col in table.items():
        if col.dtype == object:
            table[name] = np.array(
                [None if isinstance(v, str) and v.strip() in extra else v for v in col.tolist()],
                dtype=object,
            )
    return table


def _parquet_decimals(column: Any, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Return a Parquet decimal column as the numbers its text is in a CSV.

    pyarrow gives ``decimal.Decimal`` objects, which the command line took
    for text: refused against the same numbers in a CSV file ("holds text
    ... such as Decimal('0.13')"), and refused as probabilities or values by
    ``gate``. Read as its cells written out, the column is float64 (integers
    beyond 2**53 exact), as in a CSV.
    """
    import pyarrow as pa

    if not pa.types.is_decimal(column.type):
        return values
    cells = ["" if v is None else format(v, "f") for v in column.to_pylist()]
    return _column(cells)[0]


def _parquet_nulls(column: Any, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Return a boolean Parquet column with nulls as ``True``/``False``/``None``.

    pyarrow makes such a column float64 (1.0/0.0/NaN): the flags became
    numbers, tested with a numeric test, and refused against the same flags
    in a CSV (read as booleans).
    """
    import pyarrow as pa

    if not column.null_count:
        return values
    if pa.types.is_boolean(column.type):
        return np.array(column.to_pylist(), dtype=object)
    return values


_PARQUET = frozenset({".parquet", ".pq"})
_JSON = frozenset({".json", ".jsonl", ".ndjson"})


#: Compression read by its magic bytes: (name, module, its extension)
_COMPRESSIONS = (
    (b"\x1f\x8b", "gzip", "gzip", ".gz"),
    (b"BZh", "bzip2", "bz2", ".bz2"),
    (b"\xfd7zXZ\x00", "xz", "lzma", ".xz"),
)
#: Archives and compressions the reader does not open, by their magic bytes
_UNREAD = ((b"PK\x03\x04", "a zip archive"), (b"\x28\xb5\x2f\xfd", "zstd-compressed"))


def _extension(path: str) -> str:
    """Return the lower-case extension, behind a compression's (``t.jsonl.gz``: ``.jsonl``)."""
    stem, ext = os.path.splitext(path)
    if ext.lower() in {c[3] for c in _COMPRESSIONS}:
        ext = os.path.splitext(stem)[1]
    return ext.lower()


def _decompressed(path: str, raw: bytes) -> bytes:
    """Return the bytes of a gzip, bzip2 or xz file decompressed; others as they are.

    A ``.csv.gz`` (as pandas and many CI jobs write) was decoded as UTF-8 and
    refused as "not UTF-8 text (invalid start byte at byte 1)", naming no
    compression.
    """
    import importlib

    for magic, name, module, _ in _COMPRESSIONS:
        if raw.startswith(magic):
            try:
                return bytes(importlib.import_module(module).decompress(raw))
            except Exception as exc:  # OSError, EOFError, lzma.LZMAError: truncated, corrupt
                raise ValueError(f"{path}: not a readable {name} file ({exc})") from None
    for magic, what in _UNREAD:
        if raw.startswith(magic):
            raise ValueError(
                f"{path}: {what}; expected a CSV, TSV, JSON or Parquet file (uncompressed, "
                "or compressed with gzip, bzip2 or xz)"
            )
    return raw


def _utf16_without_bom(raw: bytes) -> str | None:
    """Return ``"utf-16-le"``/``"utf-16-be"`` for UTF-16 text without a byte-order mark.

    Decoded as UTF-8, such a file's every other byte became a NUL character:
    no cell was a number, and two files of numbers were compared as
    categories ("no drift", exit 0). Text that is mostly ASCII has a zero
    byte in every character's high half, at odd positions (little-endian)
    or even ones (big-endian); None unless one parity clearly holds them.
    """
    head = raw[: 8192 - 8192 % 2] if len(raw) >= 2 else b""
    if len(head) < 2:
        return None
    even = head[0::2].count(0) / (len(head) // 2)
    odd = head[1::2].count(0) / (len(head) // 2)
    if odd >= 0.3 and odd >= 4 * even:
        return "utf-16-le"
    if even >= 0.3 and even >= 4 * odd:
        return "utf-16-be"
    return None


def _names_its_columns(path: str) -> bool:
    """Whether the file's format names its columns (Parquet, JSON): no header row."""
    return _extension(path) in _PARQUET | _JSON


def _json_cell(path: str, name: str, value: Any, row: int) -> str:
    """Return a JSON value as the text cell a CSV would hold (null: an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)  # exact: integers beyond 2**53 stay exact
    if isinstance(value, float):
        return repr(value)  # round-trips
    if isinstance(value, str):
        return value.strip()
    kind = "list" if isinstance(value, list) else "object"
    raise ValueError(
        f"{path}: column {name!r} holds a {kind} in row {row}; expected numbers, text or null"
    )


class _DuplicateKeyError(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:  # json.loads keeps the last: a column lost without a word
            raise _DuplicateKeyError(k)
        out[k] = v
    return out


def _loads(path: str, text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except _DuplicateKeyError as exc:
        raise ValueError(f"{path}: duplicate key {exc.args[0]!r} in a JSON object") from None


def _json_lines(path: str, text: str) -> list[Any]:
    records = []
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = _loads(path, line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: line {i} is not JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise ValueError(
                f"{path}: line {i} is not a JSON object; expected one record per line"
            )
        records.append(obj)
    return records


def _read_json(
    path: str, text: str, extra: frozenset[str] = frozenset(), as_written: bool = False
) -> Table:
    """Read JSON lines, a JSON array of records, or an object of columns."""
    if not text.strip():
        raise ValueError(f"{path}: empty file; expected JSON records")
    records: list[Any]
    if _extension(path) in {".jsonl", ".ndjson"}:
        records = _json_lines(path, text)
    else:
        try:
            doc = _loads(path, text)
        except json.JSONDecodeError as exc:
            if len([ln for ln in text.splitlines() if ln.strip()]) < 2:
                raise ValueError(f"{path}: not JSON ({exc.msg}, line {exc.lineno})") from None
            doc = _json_lines(path, text)  # JSON lines behind a .json name
        if isinstance(doc, dict) and doc and all(isinstance(v, list) for v in doc.values()):
            lengths = {k: len(v) for k, v in doc.items()}
            first = next(iter(lengths))
            for k, n in lengths.items():
                if n != lengths[first]:
                    raise ValueError(
                        f"{path}: column {k!r} has {n} value(s), column {first!r} "
                        f"{lengths[first]}"
                    )
            records = [dict(zip(doc, row, strict=True)) for row in zip(*doc.values(), strict=True)]
        elif isinstance(doc, dict) and doc and all(isinstance(v, dict) for v in doc.values()):
            # pandas' DataFrame.to_json(): {column: {index: value}}
            columns = list(doc.values())
            index = list(columns[0])
            _refuse_keyed_by_row(path, list(doc), index)
            for k, col in doc.items():
                if set(col) != set(index):
                    raise ValueError(
                        f"{path}: column {k!r} has other row labels than column {next(iter(doc))!r}"
                    )
            records = [{k: col[i] for k, col in doc.items()} for i in index]
        elif isinstance(doc, dict):
            records = [doc]
        elif isinstance(doc, list):
            records = doc
        else:
            raise ValueError(
                f"{path}: expected a JSON array of records, JSON lines or an object of columns; "
                f"got a JSON {type(doc).__name__}"
            )
    for i, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            raise ValueError(f"{path}: record {i} is not a JSON object")
    if not records:
        raise ValueError(f"{path}: no data rows")
    names = list(dict.fromkeys(k for rec in records for k in rec))
    _check_names(path, names)
    return _table(
        path,
        {
            k: [
                _na(_json_cell(path, k, rec.get(k), i), extra)
                for i, rec in enumerate(records, start=1)
            ]
            for k in names
        },
        as_written=as_written,
    )


def _refuse_keyed_by_row(path: str, outer: list[str], inner: list[str]) -> None:
    """Refuse an object of objects that looks keyed by row (``to_json(orient="index")``).

    ``{"0": {"a": 1.5, "b": 2}, "1": {...}}`` has the shape of pandas'
    default ``{column: {row: value}}``; read that way each row was a column
    of two values, and a shifted column went unseen ("no drift", exit 0).
    Outer keys that are row numbers, more of them than inner keys, and
    inner keys with a name among them say rows.
    """
    if (
        len(outer) > len(inner)
        and all(_INTEGER.fullmatch(k) for k in outer)
        and not all(_INTEGER.fullmatch(k) for k in inner)
    ):
        raise ValueError(
            f"{path}: an object of {len(outer)} objects keyed by row numbers ({outer[0]!r}, "
            f"...), each with the keys {inner[:3]}: rows, as DataFrame.to_json("
            "orient='index') writes them, not columns; write the file with orient='records' "
            "(or the default orient='columns')"
        )


def _looks_like_json(text: str) -> bool:
    line = next((ln for ln in text.splitlines() if ln.strip()), "").strip()
    if not line.startswith(("{", "[")):
        return False
    try:
        return isinstance(json.loads(line), dict | list)
    except json.JSONDecodeError:
        return line in {"{", "["}


def _check_names(path: str, header: list[str]) -> None:
    seen: set[str] = set()
    for h in header:
        if not h:
            raise ValueError(f"{path}: the header has an empty column name")
        if h in seen:
            raise ValueError(f"{path}: duplicate column name {h!r} in the header")
        seen.add(h)


def read_table(
    path: str,
    *,
    sep: str | None = None,
    header: bool = True,
    na_values: Any = None,
    empty_lines: str = "skip",
    as_written: bool = False,
) -> Table:
    r"""Read a CSV, TSV, JSON or Parquet file into ``{column name: 1-D array}``.

    Parameters
    ----------
    path : str
        The file. ``.parquet`` / ``.pq`` files are read with pyarrow;
        ``.jsonl`` / ``.ndjson`` as JSON lines (one object per line) and
        ``.json`` as an array of records, JSON lines or an object of columns
        (``sep`` and ``header`` do not apply; null is a missing cell); anything
        else as delimited text (UTF-8, a byte-order mark is ignored; UTF-16
        with its byte-order mark), and refused when it looks like JSON.
    sep : str, optional
        The delimiter (one character, or ``"tab"``, ``"comma"``,
        ``"semicolon"``, ``"pipe"``, ``"space"``, ``"\\t"``); detected from the first
        lines when omitted (``.tsv`` files are tab-separated).
    header : bool, default=True
        Whether the first row names the columns. Without a header the columns
        are named ``"0"``, ``"1"``, ...
    na_values : collection of str, optional
        Cells read as missing besides :data:`NA_TOKENS` (pandas' markers and
        the empty cell), such as ``"?"`` or ``"-"``; in every format (in a
        Parquet file, in its text columns).
    empty_lines : {"skip", "missing"}, default="skip"
        What an empty line of a delimited file of one column is: skipped, or
        (``"missing"``, for files of one value per line such as labels) a
        row holding a missing value, kept in its place. The line break that
        ends the last line does not start a row. In a file of several columns
        an empty line is always skipped (a row of missing values is ``,,``).
        A line ``""`` (one quoted empty cell, as pandas writes a missing
        value of a one-column frame) is a missing value either way.
    as_written : bool, default=False
        Return every column of a delimited or JSON file as the cells written
        (object arrays of str, None for a missing cell), not read as numbers
        or dates: ids such as ``001`` stay as written. Parquet files keep
        their own types.

    Returns
    -------
    dict of str to numpy.ndarray
        Columns in file order: float64 for numbers (digits 0-9; empty cells NaN),
        datetime64 for ISO-8601 dates, object (str or None) otherwise. A
        column of integers with one beyond 2**53 (which float64 would round)
        is int64 when every cell is within int64's range (Python ints and
        None when some cells are empty), else text; a column of numbers with
        a fraction (``1.5``) or an exponent is float64 whatever its integers.

    Raises
    ------
    ValueError
        For a missing, empty or malformed file (rows of unequal length, a
        malformed quoted field, duplicate or empty column names), for a
        single column whose header holds another common delimiter, which is a
        delimited file read with the wrong one, and for a datetime column
        mixing timezone-aware and naive times (:func:`aware_columns` names a
        table's aware columns, read as UTC instants).

    Examples
    --------
    >>> import tempfile, os
    >>> from mllifecycle._io import read_table
    >>> path = os.path.join(tempfile.mkdtemp(), "x.tsv")
    >>> with open(path, "w") as fh:
    ...     _ = fh.write("a\tb\n1\tx\n2\ty\n")
    >>> {k: v.tolist() for k, v in read_table(path).items()}
    {'a': [1.0, 2.0], 'b': ['x', 'y']}
    """
    with _no_field_limit():
        return _read_table(
            path,
            sep=sep,
            header=header,
            na_values=na_values,
            empty_lines=empty_lines,
            as_written=as_written,
        )


@contextlib.contextmanager
def _no_field_limit() -> Iterator[None]:
    """Lift the csv module's limit on a cell's length (131072 characters) while reading.

    A valid file with a long cell (a document, a JSON blob) was refused as
    "malformed CSV (field larger than field limit (131072))", where pandas
    reads it. The limit is the process's; it is restored afterwards.
    """
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, 2**31 - 1))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _read_table(
    path: str,
    *,
    sep: str | None,
    header: bool,
    na_values: Any,
    empty_lines: str,
    as_written: bool,
) -> Table:
    """Read a table (:func:`read_table`, which lifts the csv cell-length limit around it)."""
    if isinstance(sep, str):
        # --sep '\t' reaches us as a backslash and a t; names read better in CI files
        sep = _SEP_ALIASES.get(sep.lower(), sep)
    if sep is not None and (not isinstance(sep, str) or len(sep) != 1):
        raise ValueError(
            f"--sep must be one character (or tab, comma, semicolon, pipe, space, '\\t'), "
            f"got {sep!r}"
        )
    if not os.path.exists(path):
        raise ValueError(f"{path}: No such file")
    extra = _check_na_values(na_values)
    if empty_lines not in ("skip", "missing"):
        raise ValueError(f"empty_lines must be 'skip' or 'missing', got {empty_lines!r}")
    if _extension(path) in _PARQUET:  # pyarrow reads a directory as a Parquet data set
        return _missing_text(_read_parquet(path), extra)
    if os.path.isdir(path):
        raise ValueError(f"{path}: is a directory; expected a file (CSV, TSV, JSON or Parquet)")
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:  # permissions, a device, a file gone since the check
        raise ValueError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    raw = _decompressed(path, raw)
    if raw.startswith(b"PAR1"):  # before decoding: Parquet's bytes are not text
        raise ValueError(f"{path}: this is a Parquet file; give it a .parquet extension")
    # UTF-16/32 with a byte-order mark (spreadsheets' "Unicode text"), UTF-16
    # without one when its zero bytes say so; else UTF-8
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        encoding = "utf-32"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = (b"\x00" in raw[:8192] and _utf16_without_bom(raw)) or "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        what = encoding.upper().replace("-SIG", "").replace("-LE", "").replace("-BE", "")
        hint = "" if what != "UTF-8" else " (Latin-1 or Windows-1252?); save it as UTF-8"
        raise ValueError(
            f"{path}: not {what} text ({exc.reason} at byte {exc.start}){hint}"
        ) from None
    if "\x00" in text:  # a binary file, or text in an encoding not recognised
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ValueError(
            f"{path}: line {line} holds a NUL character, which text does not; is it a binary "
            "file, or text in another encoding (such as UTF-16)? Save it as UTF-8 text"
        )
    if _extension(path) in _JSON:
        return _read_json(path, text, extra, as_written)
    if _looks_like_json(text):
        raise ValueError(
            f"{path}: this looks like JSON, not delimited text; give it a .json or .jsonl "
            "extension"
        )
    # a first line "sep=;" names the delimiter (Excel's CSV): it was read as
    # the header, refused as one column or as an empty column name
    excel = _EXCEL_SEP.match(text)
    if excel is not None and sep is None:
        sep = excel.group(1)
    delim = sep if sep is not None else _detect_sep(path, _sample(text))
    try:
        # newline="": lines end at \n, \r\n or a lone \r (old Mac files)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        rows: list[list[str]] = []
        ends: list[int] = []  # the line each row ends on
        quoted_empty: set[int] = set()  # rows that are one quoted empty cell: ""
        for r in reader:
            if r == [""]:  # an empty line reads as []; "" is a cell, as pandas
                # writes a missing value in a frame of one column
                quoted_empty.add(len(rows))
            if r:  # the byte-order mark of a file appended to another (cat a.csv b.csv)
                r[0] = r[0].lstrip("\ufeff")
            rows.append([c.strip() for c in r])
            ends.append(reader.line_num)
    except csv.Error as exc:
        raise ValueError(f"{path}: malformed CSV ({exc})") from None
    # the line each row starts on (a quoted cell may span lines)
    starts = [1] + [end + 1 for end in ends[:-1]]
    if ends and ends[-1] > starts[-1]:
        _refuse_unclosed_quote(path, text, delim, starts[-1])
    if excel is not None:
        rows, starts = rows[1:], starts[1:]
        quoted_empty = {i - 1 for i in quoted_empty if i}
    # blank lines are skipped; a row of empty cells (",,") is a row of missing
    # values, as in pandas and as a JSON record of nulls: dropping it turned
    # nan_policy="raise" into an answer and changed the row counts
    # and so is a line "" (one quoted empty cell): pandas writes a missing value
    # of a one-column frame so, and skipping it dropped the value without a word
    # (--nan-policy raise answered, on one row fewer)
    filled = [i for i, r in enumerate(rows) if len(r) > 1 or any(r) or i in quoted_empty]
    if not filled:
        raise ValueError(f"{path}: empty file; expected a header row of column names")
    width = len(rows[filled[0]])
    if empty_lines == "missing" and width == 1:
        # one value per line: an empty line is a missing value in its place
        # (skipped, the column came out shorter and the error was a length
        # mismatch); before a header row it is still nothing
        keep = list(range(filled[0] if header else 0, len(rows)))
        rows = [rows[i] or [""] for i in keep]
    else:
        keep = filled
        rows = [rows[i] for i in filled]
    starts = [starts[i] for i in keep]
    if header:
        names = rows[0]
        if len(names) > 1 and names[-1] == "" and "" not in names[:-1]:
            raise ValueError(
                f"{path}: the header row ends with a {_sep_name(delim)}, so its last column "
                "has an empty column name; remove the delimiter at the end of the lines"
            )
        if len(names) > 1 and names[0] == "" and "" not in names[1:]:
            raise ValueError(
                f"{path}: the header's first column has an empty column name, as "
                "DataFrame.to_csv() writes a frame's index (row labels, not data); write it "
                "with index=False, or name the column"
            )
        _check_names(path, names)
        body = rows[1:]
        if width == 1 and sep is None:
            others = [s for s in SEPARATORS if s != delim and s in names[0]]
            if others:
                raise ValueError(
                    f"{path}: one column named {names[0][:40]!r}, which holds a "
                    f"{_sep_name(others[0])}; is the file {_sep_name(others[0])}-separated? "
                    "Pass the delimiter with --sep"
                )
            _refuse_space_separated(path, names[0], [r[0] for r in rows[1:] if r and r[0]])
        if width == 1 and sep is not None:
            # a given delimiter that reads one column of a file that reads as
            # several with another: `--sep tab` on a comma file compared whole
            # lines as categories ("no drift", exit 0)
            found = _detect_sep(path, _sample(text))
            if found != sep and _sep_name(found) != _sep_name(sep) and found in names[0]:
                raise ValueError(
                    f"{path}: --sep {_sep_name(sep)} reads one column named "
                    f"{names[0][:40]!r}, but the file reads as {_sep_name(found)}-separated "
                    "columns; check --sep"
                )
    else:
        names = [str(j) for j in range(width)]
        body = rows
        if width == 1 and sep is None and rows and rows[0]:
            _refuse_space_separated(path, rows[0][0], [r[0] for r in rows[1:] if r and r[0]])
    for k, r in enumerate(body, start=1 if header else 0):
        if len(r) != width:
            # the file's own line (blank lines skipped before it counted no more)
            hint = ""
            pairs = [f"{a},{b}" for a, b in itertools.pairwise(r)]
            split = next((c for c in pairs if "," in c and _DECIMAL_COMMA.fullmatch(c)), None)
            if len(r) == width + 1 and r[-1] == "" and header:
                # "1,2," under "a,b": a delimiter at the end of the data lines,
                # not a decimal comma ("1,2") as the hint below said
                hint = (
                    f"; the line ends with a {_sep_name(delim)} (an empty last field): "
                    "remove the delimiter at the end of the lines"
                )
            elif delim == "," and split is not None:
                hint = (
                    f"; numbers with a decimal comma ({split!r})? Pass --sep ';' for a "
                    "semicolon-separated file or a file of one column"
                )
            raise ValueError(
                f"{path}: line {starts[k]} has {len(r)} field(s); "
                f"{'the header has' if header else 'the first line has'} {width} "
                f"({_sep_name(delim)}-separated){hint}"
            )
    if header:
        _refuse_repeated_header(path, names, body, starts[1:])
    if not body:
        raise ValueError(f"{path}: no data rows")
    if extra:
        body = [[_na(c, extra) for c in r] for r in body]
    comma = delim == ";"
    table = _table(
        path, {name: [r[j] for r in body] for j, name in enumerate(names)}, comma, as_written
    )
    if comma and not as_written:
        _check_decimal_marks(path, table, names, body)
    if isinstance(table, _ZonedTable):
        table.lines = tuple(starts[1:] if header else starts)
    return table


def _refuse_space_separated(path: str, name: str, cells: list[str]) -> None:
    """Refuse one column whose lines are columns separated by spaces.

    A space-separated file (``np.savetxt``, R's ``write.table``) was read as
    one column of whole lines, compared as categories: a shift of 1 sd was
    "no drift", p = 1, exit 0. Refused when the header and every line split
    on spaces into the same number of fields, and one field is a number on
    every line; ``--sep ,`` reads such a file as one column.
    """
    width = len(name.split())
    if width < 2 or not cells:
        return
    split = [c.split() for c in cells]
    if any(len(r) != width for r in split):
        return
    if any(all(_is_number(r[j]) for r in split) for j in range(width)):
        raise ValueError(
            f"{path}: one column ({name[:40]!r}, ...), whose every line is {width} fields "
            "separated by spaces; is the file space-separated? Pass --sep space (one space "
            "between fields), or --sep , to read each line as one value"
        )


def _refuse_unclosed_quote(path: str, text: str, delim: str, start: int) -> None:
    """Refuse a last row whose quoted cell the file never closes.

    The reader took every line from an opening quote to the end of the file
    as one cell: the rows after it were lost without a word (a one-column
    file of 5 labels became 2), where pandas refuses "EOF inside string".
    """
    lines = io.StringIO(text, newline="").readlines()
    try:
        for _ in csv.reader(lines[start - 1 :], delimiter=delim, strict=True):
            pass
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise ValueError(
                f"{path}: line {start} opens a quoted cell (\") that the file never closes, "
                "so every line after it would be one cell; close the quote, or double a "
                "quote inside a quoted cell (\"\")"
            ) from None


def _refuse_repeated_header(
    path: str, names: list[str], body: list[list[str]], starts: list[int]
) -> None:
    """Refuse a data row that repeats the header row (files joined with their headers).

    ``cat a.csv b.csv`` keeps ``b.csv``'s header as a row of data: the column
    of numbers it heads became text, compared as categories ("no drift",
    exit 0), and a label file gained a label that is the column's name. A
    header of numbers (probability columns ``0,1``) may equal a data row, and
    a single column of text may hold its own name as a label; neither is
    refused.
    """
    if all(_is_number(n) for n in names):
        return
    for k, r in enumerate(body):
        if r != names:
            continue
        if len(names) == 1:
            others = [c[0] for c in body if c != names and c[0] not in NA_TOKENS]
            if not others or not all(_is_number(c) for c in others):
                return
        raise ValueError(
            f"{path}: line {starts[k]} repeats the header row {_delimited(names)!r}, as when "
            "files are joined with their headers (cat a.csv b.csv); remove the repeated "
            "header line(s)"
        )


def _delimited(names: list[str], limit: int = 60) -> str:
    text = ",".join(names)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _check_decimal_marks(path: str, table: Table, names: list[str], body: list[list[str]]) -> None:
    """Refuse a semicolon-separated file with decimal commas and points in its numbers.

    Where ``1,5`` is one and a half, ``1.000`` is one thousand (a thousands
    separator); read with a decimal point it was 1.0. One way of writing
    numbers per file is read; both ways are refused rather than guessed at.
    """
    first: dict[str, tuple[str, str]] = {}
    for j, name in enumerate(names):
        if table[name].dtype.kind != "f":
            continue
        dotted = [r[j] for r in body if "." in r[j] and r[j] not in NA_TOKENS]
        plain = [r[j] for r in body if _INTEGER.fullmatch(r[j])]
        if dotted and plain and all(_DOT_GROUPED.fullmatch(c) for c in dotted):
            # "999" beside "1.234": the signature of a thousands separator
            raise ValueError(
                f"{path}: column {name!r} has {plain[0]!r} beside {dotted[0]!r}; in a "
                "semicolon-separated file a point may be a thousands separator (1.234 = "
                "one thousand two hundred and thirty-four), so it is not guessed at: write "
                "numbers without a thousands separator"
            )
        for r in body:
            cell = r[j]
            for mark in ",." if cell not in NA_TOKENS else "":
                if mark in cell and mark not in first:
                    first[mark] = (name, cell)
        if len(first) == 2:
            (cname, ccell), (pname, pcell) = first[","], first["."]
            raise ValueError(
                f"{path}: numbers with a decimal comma (column {cname!r}: {ccell!r}) and with "
                f"a point (column {pname!r}: {pcell!r}); in a semicolon-separated file a point "
                "may be a thousands separator (1.000 = one thousand), so neither is guessed at: "
                "write every number one way"
            )


def _is_number(cell: str) -> bool:
    """Whether the reader would read ``cell`` as a number (a missing-value marker is not)."""
    return cell not in NA_TOKENS and _floats([cell.replace(_MINUS, "-")], False) is not None


def text_cell(values: Any) -> Any:
    """Return the first cell of ``values`` that is text ``float()`` cannot read, else None.

    Shown in messages about a column read as text, so that the user sees the
    cell that made it so (``"#DIV/0!"``, ``"n/a"``), not a number beside it.
    """
    for v in values:
        if isinstance(v, str):
            try:
                float(v)
            except ValueError:
                return v
    return None


def _header_is_data(names: list[str]) -> bool:
    """Whether a header row reads as a row of data: every cell a number.

    Several columns named by distinct integers written as such (``0,1`` as
    pandas writes an unnamed frame, class names of probability columns) are a
    header; one column named by a number is not told apart from a headerless
    file of numbers, whose first row would be lost without a word.
    """
    if not all(_is_number(n) for n in names):
        return False
    return not (len(names) > 1 and all(n.lstrip("-").isdigit() for n in names))


def header_read_as_data(table: Table) -> tuple[str, str] | None:
    """Return ``(column, cell)`` where a headerless read took a header for data.

    Read without a header (``--no-header``), a file with one made its first
    row data: a column of numbers became text (``height`` above numbers),
    compared as categories or counted as a label. Returns the first column
    whose first cell is text that is not a number and whose every other
    non-missing cell is a number, else None.
    """
    for name, col in table.items():
        if col.dtype != object or col.shape[0] < 2:
            continue
        first, rest = col[0], [v for v in col[1:].tolist() if v is not None]
        if not isinstance(first, str) or _is_number(first) or _is_marker(first):
            continue
        if rest and all(isinstance(v, str) and _is_number(v) for v in rest):
            return name, first
    return None


def refuse_data_header(path: str, names: list[str]) -> None:
    """Refuse a header row that reads as data (see :func:`_header_is_data`).

    For files read with a header row where a row of data taken for one would
    be lost without a word (a learning curve's first point).
    """
    if not _names_its_columns(path) and _header_is_data(names):
        raise ValueError(
            f"{path}: the first row {','.join(names)!r} is numbers, like a data row, not "
            "column names; pass --no-header for a file without a header row, or name the columns"
        )


def read_column_file(
    path: str,
    name: str,
    *,
    header: bool | None = True,
    sep: str | None = None,
    explicit_header: bool = False,
) -> tuple[list[str] | None, Any]:
    """Read a file of one or more columns of labels, predictions or probabilities.

    Returns ``(header or None, array)``. The file is read by :func:`read_table`
    (delimiter detected, TSV, Parquet). With ``header=True`` (the default) its
    first row names the columns -- a header is never guessed, so a header that
    equals one of the labels is not read as data -- and a first row that is all
    numbers is refused (it looks like data: a file without a header needs
    ``header=False``, ``--no-header``). ``header=None`` (the command line's
    default) reads a header too, but refuses a single column whose first row
    is also one of its values (``cat`` above ``cat``, ``dog``): that row may be
    a label of a file without a header, so ``--header`` or ``--no-header``
    must say which. ``explicit_header=True`` (``--header`` on the command
    line) says the first row is a header whatever it holds: a first row of
    numbers is then column names (probability columns headed ``1.0,0.0``),
    not refused. A column of numbers becomes a float
    array (integers when one column of whole numbers), anything else an array
    of strings. A missing value -- an empty cell, a missing-value marker
    (``NA``), or an empty line of a one-column file, which is a value per line
    (it was skipped, and the column came out shorter) -- is refused naming the
    file and its line. Every problem is an
    :class:`~mllifecycle.exceptions.InvalidParameterError` naming ``name``.
    """
    from mllifecycle._validation import described, fail

    ask = header is None  # a header unless the first row could be a label
    header = header is None or bool(header)
    try:
        table = read_table(path, sep=sep, header=header, empty_lines="missing")
    except ValueError as exc:
        fail(name, "a readable CSV file with at least one data row", described(str(exc)))
    lines = data_lines(table)
    table, names = _true_false_one_way(path, table)

    def refuse_missing(row: int) -> None:
        where = f"line {lines[row]}" if lines is not None else f"data row {row + 1}"
        fail(
            name,
            "a value in every cell (no missing values)",
            described(f"{path!r}, whose {where} is empty or a missing value"),
        )

    def refuse_infinite(row: int) -> None:
        # "inf" is a number to float(): it became a class of its own (a label
        # "inf" beside 0 and 1) or an infinite value, with exit 0
        where = f"line {lines[row]}" if lines is not None else f"data row {row + 1}"
        fail(
            name,
            "finite numbers (no inf or -inf)",
            described(f"{path!r}, whose {where} is infinite"),
        )

    if not header and not _names_its_columns(path):
        found = header_read_as_data(table)
        if found is not None:
            fail(
                name,
                "a file without a header row (--no-header), or one read with its header",
                described(
                    f"{path!r}, whose first row ({found[1]!r} in a column of numbers) looks "
                    "like a header; drop --no-header"
                ),
            )
    if ask and len(names) == 1 and not _names_its_columns(path):
        col = next(iter(table.values()))
        if col.dtype.kind not in "fiuM" and names[0] in {str(v) for v in col.tolist()}:
            fail(
                name,
                "a first row that is clearly a header, or --header / --no-header to say "
                "whether it is one",
                described(
                    f"{path!r}, whose first row {names[0]!r} is also one of its labels "
                    "(a header, or the first label of a file without one?)"
                ),
            )
    if header and not explicit_header and not _names_its_columns(path) and _header_is_data(names):
        fail(
            name,
            "a file whose first row names its column(s), or --no-header for a file "
            "without a header row",
            described(f"{path!r}, whose first row {','.join(names)!r} is numbers (a data row?)"),
        )
    cols = list(table.values())
    values: Any
    if len(cols) == 1 and cols[0].dtype.kind == "i":  # integers beyond 2**53, kept exact
        values = cols[0][:, None]
    elif all(c.dtype.kind == "f" for c in cols):
        values = np.column_stack(cols)
        if len(cols) == 1 and whole_numbers(values):
            values = values.astype(np.int64)
        if np.isnan(values.astype(np.float64)).any():
            refuse_missing(int(np.argwhere(np.isnan(values))[0, 0]))
        if np.isinf(values.astype(np.float64)).any():
            refuse_infinite(int(np.argwhere(np.isinf(values))[0, 0]))
    else:
        texts = []
        for c in cols:
            if c.dtype.kind == "M":
                if np.isnat(c).any():
                    refuse_missing(int(np.argmax(np.isnat(c))))
                texts.append(np.datetime_as_string(c))
                continue
            if c.dtype == object and any(v is None for v in c.tolist()):
                refuse_missing([v is None for v in c.tolist()].index(True))
            if c.dtype.kind == "f":
                if np.isnan(c).any():
                    refuse_missing(int(np.argmax(np.isnan(c))))
                if np.isinf(c).any():
                    refuse_infinite(int(np.argmax(np.isinf(c))))
                texts.append(np.array([format(v, "g") for v in c.tolist()]))
            else:
                if c.dtype == object:
                    try:
                        refuse_numbers_written_two_ways(path, names[len(texts)], c)
                    except ValueError as exc:
                        fail(name, "labels written one way", described(str(exc)))
                texts.append(c.astype(str))
        values = np.column_stack(texts)
    return (names if header else None), values[:, 0] if values.shape[1] == 1 else values


_TRUE_FALSE = ("true", "false")


def _true_false_one_way(path: str, table: Table) -> tuple[Table, list[str]]:
    """Return true/false labels and column names written one way: lower case.

    Booleans (a Parquet file's) are the labels ``true``/``false`` too.

    Each file was read as written, so ``True`` in the probabilities' header
    was not the class ``true`` of ``y_true`` (as pandas writes booleans,
    beside JSON's or R's ``true``): the columns ``True,False`` were read by
    position, P(True) as P(false), and ROC AUC 0.91 became 0.09; predictions
    ``TRUE`` were refused as labels absent from ``y_true``.
    """
    names = [n.lower() if n.lower() in _TRUE_FALSE else n for n in table]
    if len(set(names)) != len(names):
        raise ValueError(
            f"{path}: the header names one class twice, written two ways ({list(table)})"
        )
    out: dict[str, npt.NDArray[Any]] = {}
    for name, col in zip(names, table.values(), strict=True):
        if col.dtype.kind == "b" or (col.dtype == object and any(
            isinstance(v, bool | np.bool_) for v in col.tolist()
        )):
            # a Parquet boolean column (object with None where it has nulls):
            # its labels were the text "True"/"False", refused beside the same
            # labels read from a CSV or JSON file ("true"/"false")
            col = np.array(
                [v if v is None or not isinstance(v, bool | np.bool_) else
                 ("true" if v else "false") for v in col.tolist()],
                dtype=object,
            )
        values = col.tolist() if col.dtype == object else None
        if values and all(v is None or (isinstance(v, str) and v.lower() in _TRUE_FALSE)
                          for v in values) and any(v is not None for v in values):
            col = np.array([v if v is None else v.lower() for v in values], dtype=object)
        out[name] = col
    return out, names


def whole_numbers(values: npt.NDArray[Any]) -> bool:
    """Whether float ``values`` are whole numbers that int64 holds exactly (to 2**53).

    ``1e19`` is whole but beyond int64: cast, every such value became
    -2**63, and distinct labels, ids or targets became one.
    """
    return bool(np.all(np.isfinite(values)) and np.all(values == np.round(values))
                and np.all(np.abs(values) <= _EXACT))


def match_label_types(y: npt.NDArray[Any], values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Predicted labels in the type of the true labels (``1.0`` is the label ``1``).

    Whole-number floats become integers when ``y`` holds integers, and numbers
    become their text when ``y`` holds text, so equal labels compare equal.
    """
    if y.dtype.kind in "iu" and values.dtype.kind == "f":
        return values.astype(np.int64) if whole_numbers(values) else values
    if y.dtype.kind in "US" and values.dtype.kind in "iuf":
        return values.astype(str)
    return values


def check_output_path(path: str, option: str) -> str:
    """Refuse an output file whose directory does not exist, before any work.

    Checked up front, so a command fails before it computes and prints a
    result it then cannot write (the error named no option).
    """
    parent = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise ValueError(f"{option} {path!r} is a directory; expected a file path")
    if not os.path.isdir(parent):
        raise ValueError(f"{option} {path!r}: no directory {os.path.dirname(path) or parent!r}")
    return path


def check_n_resamples(value: Any, alpha: float, caller: str) -> int:
    """Check ``--n-resamples`` against the level ``alpha`` (already checked); return it.

    Fewer than ``1 / alpha`` resamples cannot put a one-sided bound at level
    ``alpha`` inside the resampled values, nor a Monte Carlo p-value below
    ``alpha``: ``--n-resamples 1`` gave a "95% bound" that was one resample's
    value, and a gate passed or failed on it with exit 0 or 1.
    """
    # the rule is the library's (gates), written once
    from mllifecycle._levels import check_gate_resamples

    return check_gate_resamples(value, alpha, caller, default=10000)


def refuse_numbers_written_two_ways(path: str, column: str, values: npt.NDArray[Any]) -> None:
    """Refuse a text column holding one number written two ways (``1`` and ``1.0``).

    A column with any text in it is read as text, where ``1`` and ``1.0`` are
    two labels (or two task ids) although the writer meant one. Spellings that
    differ only by leading zeros (``01``, ``1``) may be distinct codes and are
    let through; a decimal point or exponent makes them the same number.
    """
    seen: dict[float, str] = {}
    for v in dict.fromkeys(values.tolist()):
        if not isinstance(v, str) or not _is_number(v):
            continue
        x = float(v)
        other = seen.setdefault(x, v)
        if other != v and any(m in c for c in (v, other) for m in ".eE"):
            a, b = sorted((other, v), key=len)
            raise ValueError(
                f"{path}: column {column!r} writes one number two ways: {a!r} and {b!r}, "
                "which as text are two different values; write it one way"
            )


def _numbers_written_as(
    values: npt.NDArray[Any], written: Any, also: Any = None
) -> str | None:
    """Return the first cell ``written(cell)`` accepts if every other non-missing cell is a number.

    None when the column is not text, or a cell is neither a number nor
    written that way (nor accepted by ``also``), or no cell is.
    """
    if values.dtype != object:
        return None
    example = None
    for v in values.tolist():
        if v is None:
            continue
        if not isinstance(v, str):
            return None
        if written(v):
            example = example or v
        elif not _is_number(v) and not (also is not None and also(v)):
            return None
    return example


def grouped_number(values: npt.NDArray[Any]) -> str | None:
    """Return a cell of a text column of numbers written with thousands separators.

    ``"5,346"`` (quoted in a comma-separated file), ``"5.346,7"``, ``"5 346,7"``
    or ``"5'346.7"`` is read as text, which is
    right for an id or a label and wrong for a quantity: a drift test on it
    compares categories. Returns the first such cell when every non-missing
    cell is a number, with or without the separators, else None.
    """
    return _numbers_written_as(
        values,
        lambda v: _COMMA_GROUPED.fullmatch(v) or _OTHER_GROUPED.fullmatch(v),
        # beside 1.234,5: 999,5 (a decimal comma, no separator needed)
        lambda v: _DECIMAL_COMMA.fullmatch(v),
    )


def other_digits_number(values: npt.NDArray[Any]) -> str | None:
    """Return a cell of a text column of numbers written with digits other than 0-9.

    Full-width (``"\uff11\uff12"``) or Arabic-Indic digits are read as text,
    as pandas reads them (``float()`` alone took them for numbers); a drift
    test on such a column compares categories. Returns the first such cell
    when every non-missing cell is a number, with such digits or without,
    else None.
    """

    def written(v: str) -> bool:
        if v.isascii():
            return False
        try:
            float(v.replace(_MINUS, "-"))
        except ValueError:
            return False
        return True

    return _numbers_written_as(values, written)


def decimal_comma_number(values: npt.NDArray[Any]) -> str | None:
    """Return a cell of a text column of numbers written with a decimal comma.

    ``"4,35"`` is a number only in a semicolon-separated file; in a tab-,
    pipe- or (quoted) comma-separated one it is read as text, and a drift test
    on it compares categories. Returns the first such cell when every
    non-missing cell is a number, with a decimal comma or without, else None.
    """
    return _numbers_written_as(values, lambda v: "," in v and _DECIMAL_COMMA.fullmatch(v))


#: Words that mark a missing value (beside pandas' markers, read as missing)
_MISSING_WORDS = frozenset(
    {"na", "n.a.", "n.a", "nan", "none", "null", "nil", "missing", "unknown", "undefined"}
)


#: A spreadsheet's error values, exported as text in a cell of numbers
_SPREADSHEET_ERRORS = frozenset(
    {"#div/0!", "#value!", "#ref!", "#name?", "#num!", "#null!", "#n/a", "#spill!", "#calc!"}
)


def _is_marker(cell: str) -> bool:
    """Whether a cell looks like a missing-value marker: ``?``, ``-``, ``.``, ``n.a.``, ``na``.

    A spreadsheet's error value (``#DIV/0!``) too: it made a column of
    numbers text, compared as categories.
    """
    low = cell.lower()
    return not any(ch.isalnum() for ch in cell) or low in _MISSING_WORDS or (
        low in _SPREADSHEET_ERRORS
    )


def missing_marker(values: npt.NDArray[Any]) -> tuple[int, str] | None:
    """Return a missing-value marker that made a column of numbers or dates text.

    A ``?`` (or ``-``, ``n.a.``, ...) among numbers is not one of pandas'
    markers, so the column was read as text and a drift test compared its
    values as categories: a shift of the numbers went unseen, and a ``?`` in
    one file only gave one file a category of its own. Returns the first
    such cell (its row, from 0) when every other non-missing cell is a number
    (with a decimal point or comma), or every other one an ISO-8601 date, or
    every other one true/false, else None.
    """
    if values.dtype != object:
        return None
    first: tuple[int, str] | None = None
    rest: list[str] = []
    for i, v in enumerate(values.tolist()):
        if v is None:
            continue
        if not isinstance(v, str):
            return None
        if _is_marker(v):
            first = first or (i, v)
        else:
            rest.append(v)
    if first is None or not rest:
        return None
    if _floats(rest, True) is not None or all(v.lower() in ("true", "false") for v in rest):
        return first
    try:
        return first if _parse_datetime(rest) is not None else None
    except ValueError:  # a mix of aware and naive times: dates all the same
        return first
