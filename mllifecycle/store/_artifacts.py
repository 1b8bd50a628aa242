"""Model files (skops, or pickle only when trusted), checksums and data fingerprints."""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import platform
import re
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from mllifecycle._frames import refuse_duplicate_names
from mllifecycle._results import jsonable
from mllifecycle._validation import column_names, described, fail, label_kind
from mllifecycle.store._errors import IntegrityError, StoreError, UntrustedModelError

__all__ = ["DataFingerprint", "fingerprint", "dumps", "loads", "sha256", "package_versions"]

FORMATS = ("skops", "pickle")


def sha256(data: bytes) -> str:
    """Return the hex SHA-256 of ``data`` (the content address of a file)."""
    return hashlib.sha256(data).hexdigest()


def _skops() -> Any:
    try:
        import skops.io as sio
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the extra
        raise StoreError(
            "model files are written with skops: pip install 'mllifecycle[store]' "
            "(or register with format='pickle' and load with trusted=True)"
        ) from exc
    return sio


def dumps(obj: Any, fmt: str) -> bytes:
    """Serialise ``obj`` in format ``fmt`` ("skops" or "pickle")."""
    if fmt == "skops":
        data: bytes = _skops().dumps(obj)
        return data
    import pickle

    return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


# each object of a skops file's schema opens with its class and module
_SCHEMA_NAME = re.compile(
    rb'"__class__":\s*("(?:[^"\\]|\\.)*"),\s*"__module__":\s*("(?:[^"\\]|\\.)*")'
)


def _resolves(module: str, name: str) -> bool:
    """Whether ``getattr(import_module(module), name)`` finds something, as skops loads."""
    import importlib

    try:
        return hasattr(importlib.import_module(module), name)
    except Exception:  # any import failure: not found by name either
        return False


def refuse_unloadable(data: bytes, caller: str) -> None:
    """Refuse a skops file holding functions or classes it cannot find again by name.

    skops writes a function or class by its module and name and imports it
    on loading: a lambda (``FunctionTransformer(lambda x: ...)``) or a
    function or class defined inside another function was written without
    complaint, registered, and failed on every later load with a bare
    ``AttributeError: module '__main__' has no attribute '<lambda>'``. The
    names are read from the file's schema (each looked up once); one that
    cannot be found is refused only when loading the file back really fails.
    """
    import zipfile

    try:
        schema = zipfile.ZipFile(io.BytesIO(data)).read("schema.json")
    except (zipfile.BadZipFile, KeyError):  # pragma: no cover - skops' own layout
        return
    pairs = {(json.loads(m), json.loads(c)) for c, m in set(_SCHEMA_NAME.findall(schema))}
    lost = sorted(f"{m}.{c}" for m, c in pairs if not _resolves(m, c))
    if not lost:
        return
    sio = _skops()
    try:
        sio.loads(data, trusted=sio.get_untrusted_types(data=data))
    except Exception:
        fail(
            "model",
            "a model that loads back: its functions and classes defined at the top level "
            "of a module (skops, like pickle, stores them by name)",
            described(
                f"a model holding {', '.join(repr(t) for t in lost)}, which no module "
                "defines under that name (a lambda, or a function or class defined inside "
                "another function)"
            ),
            caller,
        )


def verify(data: bytes, expected: str) -> None:
    """Raise :class:`IntegrityError` unless ``data`` hashes to ``expected``."""
    got = sha256(data)
    if got != expected:
        raise IntegrityError(
            f"model file {expected[:12]}... was altered or damaged: its bytes hash to "
            f"{got[:12]}...; refusing to load it"
        )


def loads(data: bytes, fmt: str, trusted: bool | Sequence[str], always: Sequence[str] = ()) -> Any:
    """Deserialise a checked file; refuse types (or pickles) nobody trusted.

    ``always`` lists type names this library itself wrote and trusts (the
    drift ``Reference``).
    """
    if fmt == "pickle":
        if trusted is not True:
            raise UntrustedModelError(
                "this model was stored as a pickle, which can run arbitrary code when "
                "loaded; pass trusted=True only if you trust whoever wrote the store"
            )
        import pickle

        return pickle.loads(data)
    if fmt != "skops":
        raise StoreError(f"unknown model file format {fmt!r}")
    sio = _skops()
    untrusted = [t for t in sio.get_untrusted_types(data=data) if t not in always]
    if trusted is True:
        allowed = untrusted
    elif trusted is False:
        allowed = []
    else:
        allowed = [t for t in untrusted if t in set(trusted)]
    missing = sorted(set(untrusted) - set(allowed))
    if missing:
        raise UntrustedModelError(
            f"the model file holds types skops does not trust by default: {missing}; "
            "check them and pass trusted=[...] with those names (or trusted=True)"
        )
    return sio.loads(data, trusted=[*allowed, *always])


def package_versions(model: Any = None) -> dict[str, str]:
    """Return the versions of Python and of the packages a model depends on.

    Only modules already imported are asked (nothing new is imported): numpy,
    scipy, scikit-learn, skops, mllifecycle, and the top-level package the
    model's class comes from.
    """
    import mllifecycle

    out = {"python": platform.python_version(), "mllifecycle": mllifecycle.__version__}
    names = {"numpy": "numpy", "scipy": "scipy", "sklearn": "scikit-learn", "skops": "skops"}
    if model is not None:
        top = type(model).__module__.split(".")[0]
        names.setdefault(top, top)
    for module, label in names.items():
        mod = sys.modules.get(module)
        version = getattr(mod, "__version__", None)
        if isinstance(version, str):
            out[label] = version
    return out


@attrs.frozen(kw_only=True)
class DataFingerprint:
    """What a model was trained on, without keeping the data: schema and content hash.

    Attributes
    ----------
    n_samples : int
    n_features : int
    columns : tuple of str
        Column names (DataFrames) or ``x0, x1, ...``.
    dtypes : tuple of str
    sha256 : str
        Hash of the schema and every value (and of ``y`` when given): equal
        fingerprints mean the same training data, to SHA-256's strength. A
        NaN is one value, however it was made (``np.nan``, ``0/0``); in a column
        of objects (text) ``pd.NA`` and ``NaT`` are a missing value, as None.
    y_sha256 : str or None
        Hash of the labels alone.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.store import fingerprint
    >>> fp = fingerprint(np.arange(6.0).reshape(3, 2), y=[0, 1, 0])
    >>> fp.n_samples, fp.n_features, fp.columns
    (3, 2, ('x0', 'x1'))
    >>> fp.sha256 == fingerprint(np.arange(6.0).reshape(3, 2), y=[0, 1, 0]).sha256
    True
    """

    n_samples: int
    n_features: int
    columns: tuple[str, ...]
    dtypes: tuple[str, ...]
    sha256: str
    y_sha256: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the fingerprint as a JSON-safe dict."""
        out: dict[str, Any] = jsonable(attrs.asdict(self))
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DataFingerprint:
        """Rebuild a fingerprint from :meth:`to_dict`'s output."""
        return cls(
            n_samples=int(d["n_samples"]),
            n_features=int(d["n_features"]),
            columns=tuple(d["columns"]),
            dtypes=tuple(d["dtypes"]),
            sha256=str(d["sha256"]),
            y_sha256=d.get("y_sha256"),
        )


def _exact(value: Any) -> Any:
    """Like ``jsonable``, but floats stay as they are (NaN and inf included).

    ``jsonable`` writes NaN, inf and -inf as None: an object column holding
    ``inf`` hashed as the one holding ``-inf`` or ``None``. JSON's ``NaN`` and
    ``Infinity`` extensions keep them apart; every other value is written as
    before, so the fingerprints of data without them do not change.
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value
    if isinstance(value, Mapping):
        return {str(k): _exact(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return [_exact(v) for v in value.tolist()]
    if isinstance(value, list | tuple):
        return [_exact(v) for v in value]
    return jsonable(value)


def _native(col: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """``col`` in the machine's byte order: the same values hash alike however stored.

    Big-endian data (read from a file written on another machine, ``>f8``)
    hashed its bytes as they lay, so the same training data got another
    fingerprint (and dtype ``>f8`` for ``float64``).
    """
    if col.dtype.byteorder not in "=|" and col.dtype.kind in "biufcmM":
        return col.astype(col.dtype.newbyteorder("="))
    return col


def _column_bytes(col: np.ndarray[Any, Any]) -> bytes:
    if col.dtype.kind == "f":
        nan = np.isnan(col)
        if nan.any():
            # one NaN, however made: np.log(-1) and 0/0 give a NaN with its sign
            # bit set, np.nan and a file's empty cell one without, so the same
            # data with a missing value hashed two ways by how it was computed
            col = np.where(nan, np.array(np.nan, dtype=col.dtype), col)
    if col.dtype.kind in "biufcmM":
        return np.ascontiguousarray(col).tobytes()
    return json.dumps(
        [None if _is_missing(v) else _exact(v) for v in col.tolist()], sort_keys=True
    ).encode()


def _is_missing(value: Any) -> bool:
    """Whether a cell of an object column is pandas' ``pd.NA`` or ``NaT`` (or NumPy's NaT).

    They were hashed as the *text* ``"<NA>"`` and ``"NaT"``: a pandas
    ``string`` (or nullable) column with a missing cell got the fingerprint of
    a column holding the word ``"<NA>"``, and a timezone-aware datetime
    column with a missing time that of one holding ``"NaT"`` -- different
    data, equal fingerprints. They are a missing value, hashed as None is
    (JSON null), so a ``string`` column also hashes as the same column from
    polars or an object column with None. NaN stays NaN (told apart from None).
    """
    if isinstance(value, np.datetime64 | np.timedelta64):
        return bool(np.isnat(value))
    return type(value).__name__ in ("NAType", "NaTType")  # pandas, not imported here


def _leaves(values: Any, kinds: set[str], ints: list[Any], floats: bool) -> None:
    """Collect the kinds (:func:`label_kind`) of the values of nested lists and arrays.

    With ``floats`` (NumPy read the values as floats), ``ints`` gathers the
    Python and NumPy integers beyond 2**53, which that may have rounded.
    Values are looked at type by type (a list of a million floats is one type).
    """
    stack: list[list[Any]] = [list(values)]
    while stack:
        seq = stack.pop()
        types = set(map(type, seq))
        if types and all(issubclass(t, list | tuple) for t in types):
            stack.append(list(itertools.chain.from_iterable(seq)))  # rows: one flat list
            continue
        for t in types:
            of_type: list[Any] = seq if len(types) == 1 else [v for v in seq if type(v) is t]
            if issubclass(t, list | tuple):
                stack.extend(list(v) for v in of_type)
            elif hasattr(t, "to_numpy") or issubclass(t, np.ndarray):
                for v in of_type:
                    arr = np.asarray(v.to_numpy() if hasattr(v, "to_numpy") else v)
                    if arr.dtype.kind == "O":
                        stack.append(arr.ravel().tolist())
                    elif arr.size:
                        kinds.add(label_kind(arr.ravel()[0]))
                        if floats and arr.dtype.kind in "iu":
                            flat = arr.ravel()
                            ints.extend(flat[(flat > 2**53) | (flat < -(2**53))].tolist())
            else:
                kinds.add(label_kind(of_type[0]))
                if floats and issubclass(t, int | np.integer) and not issubclass(
                    t, bool | np.bool_
                ):
                    ints.extend(v for v in of_type if abs(int(v)) > 2**53)


def _as_array(values: Any, name: str, expected: str, caller: str) -> np.ndarray[Any, Any]:
    """``values`` as an array; a list or tuple of several kinds as objects.

    NumPy merges the kinds of a list: ``[True, 1]`` becomes the ints
    ``[1, 1]``, ``[1, "a"]`` the strings ``["1", "a"]`` and
    ``[2**53 + 1, 0.5]`` the floats ``[2**53, 0.5]``, so two different data
    sets got one fingerprint. Such lists are kept as objects (hashed as the
    values they hold); lists of one kind, and arrays, are read as before.
    """
    try:
        arr = np.asarray(values)
    except ValueError:  # ragged: a list [X, y] is not the tuple (X, y)
        fail(name, expected, described("rows of different lengths"), caller)
    if not isinstance(values, list | tuple) or arr.dtype.kind == "O":
        return arr
    kinds: set[str] = set()
    ints: list[Any] = []
    _leaves(values, kinds, ints, floats=arr.dtype.kind == "f")
    rounded = any(int(float(v)) != int(v) for v in ints)
    if len(kinds) < 2 and not rounded:
        return arr
    out = np.empty(arr.shape, dtype=object)
    out[...] = values
    return out


def fingerprint(X: Any, y: Any = None) -> DataFingerprint:
    """Fingerprint training data: its schema and a SHA-256 of its content.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features) or DataFrame
        Training features (a 1-D array counts as one feature).
    y : array-like of shape (n_samples,), optional
        Training labels.

    Returns
    -------
    DataFingerprint

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle.store import fingerprint
    >>> a = fingerprint(np.zeros((4, 2)))
    >>> b = fingerprint(np.ones((4, 2)))
    >>> a.sha256 == b.sha256, a.columns == b.columns
    (False, True)
    """
    caller = "fingerprint"
    names = column_names(X)
    if names is not None:
        # the names as text; a repeated one (also 1 and "1") would be two
        # columns hashed as one name
        refuse_duplicate_names(names, "X", caller)
        if hasattr(X, "iloc"):  # pandas: by position (names may be ints or tuples)
            cols = [np.asarray(X.iloc[:, j].to_numpy()) for j in range(len(names))]
        else:
            cols = [np.asarray(X[c].to_numpy() if hasattr(X[c], "to_numpy") else X[c])
                    for c in names]
        n = len(cols[0]) if cols else len(X)
    else:
        arr = _as_array(X, "X", "a 2-D array or a DataFrame (features and labels as a tuple "
                        "(X, y))", caller)
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim != 2:
            fail("X", "a 2-D array or a DataFrame", described(f"{arr.ndim}-D input"), caller)
        names = [f"x{j}" for j in range(arr.shape[1])]
        cols = [arr[:, j] for j in range(arr.shape[1])]
        n = arr.shape[0]
    h = hashlib.sha256()
    dtypes = []
    cols = [_native(c) for c in cols]
    for name, col in zip(names, cols, strict=True):
        dtypes.append(str(col.dtype))
        h.update(json.dumps([str(name), str(col.dtype)]).encode())
        h.update(_column_bytes(col))
    y_sha = None
    if y is not None:
        y_arr = _native(_as_array(y.to_numpy() if hasattr(y, "to_numpy") else y, "y",
                                  f"a 1-D array of {n} labels", caller))
        if y_arr.ndim != 1 or y_arr.shape[0] != n:
            fail("y", f"a 1-D array of {n} labels", described(f"shape {y_arr.shape}"), caller)
        y_sha = sha256(str(y_arr.dtype).encode() + _column_bytes(y_arr))
        h.update(y_sha.encode())
    return DataFingerprint(
        n_samples=int(n),
        n_features=len(names),
        columns=tuple(str(c) for c in names),
        dtypes=tuple(dtypes),
        sha256=h.hexdigest(),
        y_sha256=y_sha,
    )
