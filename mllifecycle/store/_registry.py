"""The model registry: versions with lineage, gated promotion, rollback."""

from __future__ import annotations

import decimal
import fractions
import html
import json
import math
import numbers
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from mllifecycle._results import html_table, jsonable
from mllifecycle._validation import described, fail
from mllifecycle.store._artifacts import (
    FORMATS,
    DataFingerprint,
    dumps,
    fingerprint,
    loads,
    package_versions,
    refuse_unloadable,
    sha256,
    verify,
)
from mllifecycle.store._db import (
    Store,
    _checkpoint,
    _Tx,
    as_store,
    bad_char,
    check_count,
    check_text,
    lone_surrogate,
    padded_twins,
)
from mllifecycle.store._errors import NotFoundError, StoreError

__all__ = ["Registry", "ModelVersion", "RegistryEvent", "PromotionResult", "LEARNING_TYPES"]

#: Learning types a registered model may declare (for :func:`portfolio`).
LEARNING_TYPES = (
    "supervised",
    "semi-supervised",
    "weakly-supervised",
    "self-supervised",
    "unsupervised",
    "reinforcement",
    "other",
)

_VERSION_COLUMNS = (
    "name, version, artifact, reference, parent, created_at, n_labels, cost, metrics, tags, lineage"
)


def _check_name(store: Store, name: Any, caller: str) -> str:
    """Return a checked model name; one with surrounding whitespace only if the store holds it."""

    def exists(text: str) -> bool:
        with store._read() as tx:
            return tx.one("SELECT 1 FROM models WHERE name = :name", {"name": text}) is not None

    return check_text(name, "name", caller, exists=exists)


def _no_model(tx: _Tx, name: str) -> NotFoundError:
    """Return the error for a model the store lacks, naming any whitespace twin it holds."""
    twins = padded_twins((r[0] for r in tx.execute("SELECT name FROM models")), name)
    hint = ""
    if twins:
        shown = ", ".join(repr(t) for t in twins)
        hint = f" (it holds {shown}, which differs only by leading or trailing whitespace)"
    return NotFoundError(f"no model named {name!r} in the store{hint}")


def _finite(value: Any) -> bool:
    """``math.isfinite(value)``, False for an int beyond the float range (not OverflowError)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _event_time() -> float:
    """Return the time of a change, read once the model's row is locked.

    Read before the lock, a job that waited for another's promotion wrote an
    earlier time than the event it follows in the history (``at`` went back).
    """
    return time.time()


def _check_version(version: Any, caller: str, name: str = "version") -> int:
    return check_count(version, name, caller, low=1)


def _json(value: Any) -> str:
    return json.dumps(jsonable(value), sort_keys=True)


def _exact(value: Any, where: str, caller: str) -> Any:
    """Like ``jsonable``, but floats stay as they are (NaN and inf included).

    Keys become strings, as JSON has them; two keys that would become the
    same string (``1`` and ``"1"``) are refused rather than one silently lost.
    A 0-d array is its one value (it raised a bare ``TypeError``), pandas'
    ``NA`` is missing (``None``, not the text ``"<NA>"``), ``Decimal`` and
    ``Fraction`` numbers are floats (they were stored as text, which
    ``to_metrics`` left out), and bytes are refused (a list of their codes
    was stored).
    """
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value
    if type(value).__name__ == "NAType":
        return None
    if isinstance(value, decimal.Decimal | fractions.Fraction):
        return float(value)
    if isinstance(value, bytes | bytearray | memoryview):
        fail(where.split("[", 1)[0], "JSON-like values (numbers, text, lists, mappings)",
             described(f"bytes in {where}"), caller)
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            key = str(k.item() if isinstance(k, np.generic) else k)
            if key in out:
                fail(where.split("[", 1)[0], "a mapping whose keys stay distinct as strings",
                     described(f"two keys written {key!r} in {where}"), caller)
            out[key] = _exact(v, f"{where}[{key!r}]", caller)
        return out
    if isinstance(value, np.ndarray):
        return [_exact(v, where, caller) for v in value.tolist()]
    if isinstance(value, list | tuple):
        return [_exact(v, where, caller) for v in value]
    return jsonable(value)


def _json_exact(value: Any, where: str, caller: str) -> str:
    # non-finite floats are written as JSON's NaN / Infinity extensions, which
    # json.loads reads back: a metric of inf must not come back as None
    exact = _exact(value, where, caller)
    text = json.dumps(exact, sort_keys=True)
    _refuse_surrogate(exact, text, where, caller)
    return text


def _refuse_surrogate(value: Any, text: str, name: str, caller: str) -> None:
    """Refuse a value whose strings hold a surrogate (stored, it could not be printed or sent)."""
    bad = lone_surrogate(value, text)
    if bad is not None:
        fail(name, "a mapping whose names and texts hold no lone surrogates (no UTF-8 text "
             "can carry them)", described(f"a text holding {bad!r}"), caller)


def _check_reason(reason: Any, caller: str) -> str | None:
    """Return a promotion's or rollback's reason: None or a string a text column stores."""
    if reason is not None and not isinstance(reason, str):
        fail("reason", "a string", reason, caller)
    bad = None if reason is None else bad_char(reason)
    if bad is not None:
        # NUL was kept by SQLite and refused by PostgreSQL's driver; a surrogate
        # failed in either driver (after the gates had run)
        fail("reason", "a string without NUL characters or lone surrogates",
             described(f"{reason!r}, which holds {bad!r}"), caller)
    return None if reason is None else str(reason)


@attrs.frozen(kw_only=True)
class ModelVersion:
    """One registered version of a model, with its lineage.

    Attributes
    ----------
    name : str
    version : int
        1, 2, ... per model name, in registration order.
    artifact : str
        SHA-256 of the model file (its content address and checksum).
    format : str
        ``"skops"`` or ``"pickle"``.
    created_at : float
        Registration time (seconds since the epoch).
    metrics : dict
    tags : dict
    parent : int or None
        The version this one was retrained from.
    n_labels : int or None
        Labels used to train it.
    cost : float or None
        What training it cost (your unit: seconds, dollars ...).
    data : DataFingerprint or None
        Schema and content hash of the training data.
    has_reference : bool
        Whether a fitted drift ``Reference`` of the training data is stored
        (:meth:`Registry.reference` loads it).
    decision : dict or None
        The policy decision (and its reason) that caused this retrain.
    packages : dict
        Python and package versions at registration.
    is_champion : bool
        Whether this version was the champion when it was read.

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> from mllifecycle.store import Registry, Store
    >>> registry = Registry(Store(":memory:"))
    >>> v = registry.register("churn", DummyClassifier().fit([[0], [1]], [0, 1]),
    ...                       metrics={"accuracy": 0.5})
    >>> v.name, v.version, v.metrics, v.is_champion
    ('churn', 1, {'accuracy': 0.5}, False)
    """

    name: str
    version: int
    artifact: str
    format: str
    created_at: float
    metrics: dict[str, Any]
    tags: dict[str, Any]
    parent: int | None
    n_labels: int | None
    cost: float | None
    data: DataFingerprint | None
    has_reference: bool
    decision: dict[str, Any] | None
    packages: dict[str, str]
    is_champion: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the version as a JSON-safe dict."""
        out: dict[str, Any] = {}
        for f in attrs.fields(type(self)):
            value = getattr(self, f.name)
            out[f.name] = value.to_dict() if isinstance(value, DataFingerprint) else jsonable(value)
        return out

    def to_metrics(self) -> dict[str, float]:
        """Return the numeric metrics (``version`` included) as a flat dict.

        An int beyond the float range is written as an infinity of its sign.
        """
        out = {"version": float(self.version)}
        for k, v in self.metrics.items():
            if isinstance(v, int | float) and not isinstance(v, bool) and str(k) != "version":
                try:
                    out[str(k)] = float(v)
                except OverflowError:  # an int beyond the float range
                    out[str(k)] = math.inf if v > 0 else -math.inf
        return out

    def __repr__(self) -> str:
        champ = " (champion)" if self.is_champion else ""
        parent = f", parent={self.parent}" if self.parent is not None else ""
        return (
            f"ModelVersion({self.name!r}, version={self.version}{champ}{parent}, "
            f"artifact={self.artifact[:12]}..., metrics={self.metrics})"
        )

    def _repr_html_(self) -> str:
        rows = [[k, json.dumps(v) if isinstance(v, dict) else v] for k, v in self.to_dict().items()]
        return html_table(rows, ["field", "value"], caption=f"{self.name} v{self.version}")


@attrs.frozen(kw_only=True)
class RegistryEvent:
    """One entry of a model's history: a registration, promotion attempt or rollback.

    Attributes
    ----------
    id : int
        Increasing across the store.
    name : str
    kind : str
        ``"register"``, ``"promote"`` (gates passed, champion moved),
        ``"reject"`` (gates failed, champion kept) or ``"rollback"``.
    version : int or None
        The version concerned.
    from_version, to_version : int or None
        The champion before and after.
    passed : bool or None
        The gates' verdict (promotions).
    at : float
        Time (seconds since the epoch).
    reason : str or None
    report : dict or None
        The :class:`~mllifecycle.gates.GateReport` as a dict.

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> from mllifecycle.store import Registry, Store
    >>> registry = Registry(Store(":memory:"))
    >>> _ = registry.register("churn", DummyClassifier().fit([[0], [1]], [0, 1]))
    >>> [(e.kind, e.version) for e in registry.history("churn")]
    [('register', 1)]
    """

    id: int
    name: str
    kind: str
    version: int | None
    from_version: int | None
    to_version: int | None
    passed: bool | None
    at: float
    reason: str | None
    report: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        """Return the event as a JSON-safe dict."""
        out: dict[str, Any] = jsonable(attrs.asdict(self))
        return out


@attrs.frozen(kw_only=True)
class PromotionResult:
    """The outcome of :meth:`Registry.promote`: the gates' report and where the champion is.

    Attributes
    ----------
    name : str
    version : int
        The candidate.
    passed : bool
        Whether every gate passed (and so the champion moved, unless
        ``version`` already was the champion).
    previous : int or None
        The champion before.
    champion : int or None
        The champion after: ``version`` when passed, else ``previous``.
    report : GateReport

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> from mllifecycle.gates import GateContext, MetricThreshold
    >>> from mllifecycle.store import Registry, Store
    >>> registry = Registry(Store(":memory:"))
    >>> v = registry.register("churn", DummyClassifier().fit([[0], [1]], [0, 1]))
    >>> ctx = GateContext(y_true=[0, 1, 1, 0], challenger=[0, 1, 1, 0])
    >>> result = registry.promote("churn", v.version,
    ...                           gates=[MetricThreshold("accuracy", minimum=0.9)], context=ctx)
    >>> result.passed, result.previous, result.champion
    (True, None, 1)
    """

    name: str
    version: int
    passed: bool
    previous: int | None
    champion: int | None
    report: Any

    def to_dict(self) -> dict[str, Any]:
        """Return the outcome (report included) as a JSON-safe dict."""
        return {
            "name": self.name,
            "version": self.version,
            "passed": self.passed,
            "previous": self.previous,
            "champion": self.champion,
            "report": self.report.to_dict(),
        }

    def to_metrics(self) -> dict[str, float]:
        """Return ``passed`` (0/1) and the versions as a flat dict of floats."""
        nan = math.nan
        return {
            "passed": float(self.passed),
            "version": float(self.version),
            "champion": float(self.champion) if self.champion is not None else nan,
        }

    def __repr__(self) -> str:
        verdict = "promoted" if self.passed else "rejected"
        return (
            f"PromotionResult({self.name!r} v{self.version} {verdict}; champion "
            f"{self.previous} -> {self.champion})\n{self.report!r}"
        )

    def _repr_html_(self) -> str:
        verdict = "promoted" if self.passed else "rejected"
        head = (
            f"<p><b>{html.escape(self.name)} v{self.version} {verdict}</b>: champion "
            f"{self.previous} &rarr; {self.champion}</p>"
        )
        return head + str(self.report._repr_html_())


def _check_reference_columns(reference: Any, fp: Any, X: Any, caller: str) -> None:
    """Refuse a drift reference fitted on other columns than the data registered with it.

    It was stored, and monitoring later compared the wrong columns with each
    other. The widths must agree; the names too when both were fitted on a
    table (a reference fitted on an array has the names ``x0, x1, ...`` and
    is compared by position, as :meth:`Reference.compare` does).
    """
    from mllifecycle._frames import column_names

    ref_names = [str(c) for c in reference.names]
    cols = [str(c) for c in fp.columns]
    if len(ref_names) != fp.n_features:
        fail(
            "reference",
            f"a drift Reference fitted on the {fp.n_features} column(s) of data {cols}",
            described(f"a Reference of {len(ref_names)} column(s) {ref_names}"),
            caller,
        )
    by_position = ref_names == [f"x{j}" for j in range(len(ref_names))]
    if column_names(X) is not None and not by_position and ref_names != cols:
        fail(
            "reference",
            f"a drift Reference fitted on the columns of data {cols} (in that order)",
            described(f"a Reference of columns {ref_names}"),
            caller,
        )


def _champion_stack(events: Iterable[Row]) -> list[int]:
    """Replay promotions and rollbacks into the stack of champions."""
    stack: list[int] = []
    for kind, to_version in events:
        if to_version is None:
            continue
        if kind == "promote":
            # promoting the champion again leaves it where it is
            if not stack or stack[-1] != int(to_version):
                stack.append(int(to_version))
        elif kind == "rollback":
            if int(to_version) in stack:
                while stack and stack[-1] != int(to_version):
                    stack.pop()
            else:
                stack.append(int(to_version))
    return stack


Row = tuple[Any, ...]


class Registry:
    """Registered models: versions with lineage, a champion moved only by passing gates.

    Parameters
    ----------
    store : Store, path or URL
        Where the registry lives (a path or URL is opened as a :class:`Store`).

    Notes
    -----
    Model files are written with skops (``format="skops"``, the default),
    which loads without executing arbitrary code: a type outside skops'
    trusted set must be named by the caller in ``load(..., trusted=[...])``.
    Pickle (``format="pickle"``) is available for models skops cannot write,
    and loads only with ``trusted=True``. Files are content-addressed by
    SHA-256 (identical files are stored once) and the hash is checked on every
    load, so altered bytes are refused. A registration or promotion is one
    transaction; the champion is always a fully registered version.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.gates import GateContext, MetricThreshold, NoRegression
    >>> from mllifecycle.store import Registry, Store
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 3)); y = (X[:, 0] > 0).astype(int)
    >>> registry = Registry(Store(":memory:"))
    >>> model = LogisticRegression().fit(X[:100], y[:100])
    >>> v1 = registry.register("churn", model, data=(X[:100], y[:100]))
    >>> gates = [MetricThreshold("accuracy", minimum=0.8)]
    >>> ctx = GateContext(y_true=y[100:], challenger=model.predict(X[100:]))
    >>> registry.promote("churn", v1.version, gates=gates, context=ctx).passed
    True
    >>> registry.champion("churn").version
    1
    >>> registry.load("churn").predict(X[:3]).tolist() == model.predict(X[:3]).tolist()
    True
    """

    def __init__(self, store: Store | str) -> None:
        self.store = as_store(store, "Registry")

    def __repr__(self) -> str:
        return f"Registry({self.store!r})"

    # -- writing ----------------------------------------------------------

    def register(
        self,
        name: str,
        model: Any,
        *,
        data: Any = None,
        metrics: Mapping[str, Any] | None = None,
        reference: Any = None,
        parent: int | None = None,
        tags: Mapping[str, Any] | None = None,
        decision: Any = None,
        learning_type: str | None = None,
        n_labels: int | None = None,
        cost: float | None = None,
        format: str = "skops",
        created_at: float | None = None,
    ) -> ModelVersion:
        """Store a new version of model ``name`` with its lineage.

        Parameters
        ----------
        name : str
            The model's name (created on first registration). Matched
            exactly (after Unicode NFC normalisation): a name with leading
            or trailing whitespace is refused, unless the store already
            holds it (written by an earlier release).
        model : object
            The fitted model (any object skops can write; see ``format``). One
            holding a function or class skops cannot find again by name (a
            lambda, a class defined inside a function) is refused, as it could
            never be loaded.
        data : array-like, DataFrame or tuple (X, y), optional
            The training data, fingerprinted (schema and content hash; the
            data itself is not stored). Features and labels go in a tuple:
            a list ``[x, y]`` of two 1-D arrays is refused as ambiguous (it
            would read as a table of two rows).
        metrics : mapping, optional
            Offline metrics (JSON-like values; NaN and inf are kept as floats,
            ``Decimal`` and ``Fraction`` numbers stored as floats, pandas'
            ``NA`` as None; bytes are refused).
        reference : mllifecycle.drift.Reference, optional
            The fitted drift reference of the training data, stored with the
            version so monitoring can start from the registry.
        parent : int, optional
            The version this one was retrained from (must exist).
        tags : mapping, optional
        decision : RetrainDecision or mapping, optional
            The policy decision that caused the retrain (kept with its reason).
        learning_type : str, optional
            One of :data:`LEARNING_TYPES`; set on the model (default
            ``"supervised"`` for a new model).
        n_labels : int, optional
            Labels used for training (default: the length of ``y`` when
            ``data=(X, y)``; none recorded for ``data=(X, None)``).
        cost : float, optional
            What the training cost, in your unit.
        format : {"skops", "pickle"}, default "skops"
        created_at : float, optional
            Registration time in seconds since the epoch (default now; a
            backtest writes its stream's times).

        Returns
        -------
        ModelVersion

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.tree import DecisionTreeClassifier
        >>> from mllifecycle.drift import Reference
        >>> from mllifecycle.store import Registry, Store
        >>> X = np.random.default_rng(0).normal(size=(50, 2)); y = (X[:, 0] > 0).astype(int)
        >>> registry = Registry(Store(":memory:"))
        >>> v = registry.register("risk", DecisionTreeClassifier(random_state=0).fit(X, y),
        ...                       data=(X, y), reference=Reference.fit(X),
        ...                       metrics={"auc": 0.91}, tags={"team": "credit"})
        >>> v.version, v.n_labels, v.data.n_features, v.has_reference
        (1, 50, 2, True)
        """
        caller = "register"
        name = _check_name(self.store, name, caller)
        if format not in FORMATS:
            fail("format", "'skops' or 'pickle'", format, caller)
        if model is None:
            fail("model", "a fitted model", model, caller)
        if learning_type is not None and learning_type not in LEARNING_TYPES:
            fail("learning_type", f"one of {list(LEARNING_TYPES)}", learning_type, caller)
        if parent is not None:
            parent = _check_version(parent, caller, "parent")
        if n_labels is not None:
            n_labels = check_count(n_labels, "n_labels", caller)
        # numbers.Real: NumPy numbers too (np.int64 is no int)
        if cost is not None and (
            not isinstance(cost, numbers.Real)
            or isinstance(cost, bool | np.bool_)
            or not _finite(cost)
            or cost < 0
        ):
            fail("cost", "a finite number >= 0", cost, caller)
        if created_at is not None and (
            not isinstance(created_at, numbers.Real)
            or isinstance(created_at, bool | np.bool_)
            or not _finite(created_at)
        ):
            fail("created_at", "a finite number of seconds since the epoch", created_at, caller)
        for label, mapping in (("metrics", metrics), ("tags", tags)):
            if mapping is not None and not isinstance(mapping, Mapping):
                fail(label, "a mapping", mapping, caller)
        if metrics is not None and "version" in metrics:
            # to_metrics() holds the version number under that name: the metric
            # overwrote it there (or was overwritten)
            fail("metrics", "metric names other than 'version' (the registry's own field)",
                 described("a metric named 'version'"), caller)
        fp = None
        if data is not None:
            if isinstance(data, tuple):
                if len(data) != 2:
                    fail("data", "X or a tuple (X, y)", described(f"a {len(data)}-tuple"), caller)
                fp = fingerprint(data[0], data[1])
                if n_labels is None and data[1] is not None:
                    # (X, None) holds no labels: its rows are not labels used
                    n_labels = fp.n_samples
            else:
                if (
                    isinstance(data, list)
                    and len(data) == 2
                    and all(getattr(part, "ndim", None) == 1 for part in data)
                    and len(data[0]) == len(data[1])
                ):
                    # [x, y] read as a table of two rows (n features): one feature
                    # and its labels were fingerprinted as two training rows
                    fail("data", "X, or a tuple (X, y) for features and labels (a list of two "
                         "1-D arrays is ambiguous: pass (x, y) for one feature and its labels, "
                         "or a 2-D array such as np.vstack([a, b]) for a table of two rows)",
                         described(f"a list of two 1-D arrays of {len(data[0])} values"),
                         caller)
                fp = fingerprint(data)
        ref_bytes = None
        if reference is not None:
            from mllifecycle.drift import Reference

            if not isinstance(reference, Reference):
                fail("reference", "a fitted mllifecycle.drift.Reference", reference, caller)
            if fp is not None:
                _check_reference_columns(
                    reference, fp, data[0] if isinstance(data, tuple) else data, caller
                )
            ref_bytes = dumps(reference, "skops")
        decision_dict = None
        if decision is not None:
            if hasattr(decision, "to_dict"):
                decision_dict = jsonable(decision.to_dict())
            elif isinstance(decision, Mapping):
                decision_dict = jsonable(dict(decision))
            else:
                fail("decision", "a RetrainDecision or a mapping", decision, caller)
            _refuse_surrogate(decision_dict, json.dumps(decision_dict), "decision", caller)
        metrics_json = _json_exact(dict(metrics or {}), "metrics", caller)
        tags_json = _json_exact(dict(tags or {}), "tags", caller)
        model_bytes = dumps(model, format)
        if format == "skops":
            refuse_unloadable(model_bytes, caller)
        model_sha = sha256(model_bytes)
        ref_sha = sha256(ref_bytes) if ref_bytes is not None else None
        lineage = {
            "format": format,
            "data": fp.to_dict() if fp is not None else None,
            "decision": decision_dict,
            "packages": package_versions(model),
            "model_class": f"{type(model).__module__}.{type(model).__qualname__}",
        }
        # + 0.0: -0.0 is 0.0 (SQLite stores it so, PostgreSQL kept the sign)
        now = time.time() if created_at is None else float(created_at) + 0.0
        with self.store._write() as tx:
            self._put_artifact(tx, model_sha, format, model_bytes, now)
            if ref_bytes is not None and ref_sha is not None:
                self._put_artifact(tx, ref_sha, "skops", ref_bytes, now)
            _checkpoint("register:artifact")
            tx.execute(
                "INSERT INTO models (name, learning_type, champion, created_at) "
                "VALUES (:name, :lt, NULL, :now) ON CONFLICT (name) DO NOTHING",
                {"name": name, "lt": learning_type or "supervised", "now": now},
            )
            tx.one("SELECT name FROM models WHERE name = :name{for_update}", {"name": name})
            if created_at is None:
                now = _event_time()
            if learning_type is not None:
                tx.execute(
                    "UPDATE models SET learning_type = :lt WHERE name = :name",
                    {"lt": learning_type, "name": name},
                )
            row = tx.one(
                "SELECT COALESCE(MAX(version), 0) FROM versions WHERE name = :name",
                {"name": name},
            )
            version = int(row[0] if row else 0) + 1
            if parent is not None and parent >= version:
                known = f"1..{version - 1}" if version > 1 else "none registered yet"
                fail("parent", f"a registered version of {name!r} ({known})", parent, caller)
            params = {
                "name": name,
                "version": version,
                "artifact": model_sha,
                "reference": ref_sha,
                "parent": parent,
                "created_at": now,
                "n_labels": n_labels,
                "cost": None if cost is None else float(cost) + 0.0,
                "metrics": metrics_json,
                "tags": tags_json,
                "lineage": _json(lineage),
            }
            tx.execute(
                f"INSERT INTO versions ({_VERSION_COLUMNS}) VALUES (:name, :version, :artifact, "
                ":reference, :parent, :created_at, :n_labels, :cost, :metrics, :tags, :lineage)",
                params,
            )
            _checkpoint("register:version")
            tx.execute(
                "INSERT INTO events (name, kind, version, at) VALUES (:name, 'register', :v, :at)",
                {"name": name, "v": version, "at": now},
            )
            _checkpoint("register:event")
        return self.get(name, version)

    @staticmethod
    def _put_artifact(tx: _Tx, sha: str, fmt: str, data: bytes, now: float) -> None:
        tx.execute(
            "INSERT INTO artifacts (sha256, format, size, data, created_at) "
            "VALUES (:sha, :fmt, :size, :data, :now) ON CONFLICT (sha256) DO NOTHING",
            {"sha": sha, "fmt": fmt, "size": len(data), "data": data, "now": now},
        )

    def promote(
        self,
        name: str,
        version: int,
        *,
        gates: Any,
        context: Any,
        reason: str | None = None,
    ) -> PromotionResult:
        """Run the gates on a candidate; make it the champion only if they pass.

        Parameters
        ----------
        name : str
        version : int
            The candidate version (registered).
        gates : Gate or iterable of Gate
            As :func:`mllifecycle.gates.evaluate_gates` takes.
        context : GateContext
            The labels and both models' outputs the gates check (the
            candidate as ``challenger``, the current champion as ``champion``).
        reason : str, optional
            Kept in the history.

        Returns
        -------
        PromotionResult
            The :class:`~mllifecycle.gates.GateReport` is recorded in the
            history whether the gates passed (event ``"promote"``) or not
            (``"reject"``). Promoting the version that is already the
            champion changes nothing: when its gates pass, no event is
            recorded (a ``UserWarning`` says so) and the result has
            ``previous == champion == version``; when they fail, a
            ``"reject"`` is recorded and it stays the champion (roll back, or
            promote another version, to replace it).

        Examples
        --------
        >>> from sklearn.dummy import DummyClassifier
        >>> from mllifecycle.gates import GateContext, MetricThreshold
        >>> from mllifecycle.store import Registry, Store
        >>> registry = Registry(Store(":memory:"))
        >>> v = registry.register("churn", DummyClassifier().fit([[0], [1]], [0, 1]))
        >>> bad = GateContext(y_true=[0, 1, 1, 0], challenger=[1, 0, 0, 0])
        >>> result = registry.promote("churn", 1, gates=MetricThreshold("accuracy", minimum=0.9),
        ...                           context=bad)
        >>> result.passed, registry.champion("churn")
        (False, None)
        >>> [e.kind for e in registry.history("churn")]
        ['register', 'reject']
        """
        from mllifecycle.gates import evaluate_gates

        caller = "promote"
        name = _check_name(self.store, name, caller)
        version = _check_version(version, caller)
        reason = _check_reason(reason, caller)
        self.get(name, version)  # exists, before spending time on the gates
        report = evaluate_gates(gates, context)
        passed = bool(report.passed)
        with self.store._write() as tx:
            row = tx.one(
                "SELECT champion FROM models WHERE name = :name{for_update}", {"name": name}
            )
            now = _event_time()
            previous = None if row is None or row[0] is None else int(row[0])
            champion = version if passed else previous
            # the champion again, gates passed: nothing moves, so no promotion
            # is recorded (it counted as one in the history and the
            # portfolio's n_promotions); failed gates are a "reject" as ever
            again = passed and previous == version
            if not again:
                tx.execute(
                    "INSERT INTO events (name, kind, version, from_version, to_version, passed, "
                    "at, reason, report) VALUES (:name, :kind, :v, :f, :t, :p, :at, :reason, "
                    ":report)",
                    {
                        "name": name,
                        "kind": "promote" if passed else "reject",
                        "v": version,
                        "f": previous,
                        "t": champion,
                        "p": int(passed),
                        "at": now,
                        "reason": reason,
                        "report": _json(report.to_dict()),
                    },
                )
                _checkpoint("promote:event")
                if passed:
                    tx.execute(
                        "UPDATE models SET champion = :v WHERE name = :name",
                        {"v": version, "name": name},
                    )
                _checkpoint("promote:champion")
        if again:
            import warnings

            warnings.warn(
                f"version {version} is already the champion of model {name!r}: its gates "
                "passed and nothing changed (no promotion recorded in the history)",
                UserWarning,
                stacklevel=2,
            )
        return PromotionResult(
            name=name,
            version=version,
            passed=passed,
            previous=previous,
            champion=champion,
            report=report,
        )

    def rollback(self, name: str, *, to: int | None = None, reason: str | None = None) -> int:
        """Make an earlier version the champion again.

        Parameters
        ----------
        name : str
        to : int, optional
            The version to restore (any registered version). Default: the
            champion before the current one (promotions and rollbacks are
            replayed as a stack, so repeated rollbacks walk back in time).
            Rolling back to the current champion changes nothing: no event
            is recorded, and a ``UserWarning`` says so.
        reason : str, optional
            Kept in the history.

        Returns
        -------
        int
            The new champion.

        Examples
        --------
        >>> from sklearn.dummy import DummyClassifier
        >>> from mllifecycle.gates import GateContext, MetricThreshold
        >>> from mllifecycle.store import Registry, Store
        >>> registry = Registry(Store(":memory:"))
        >>> gate, ctx = MetricThreshold("accuracy", minimum=0.5), GateContext(
        ...     y_true=[0, 1], challenger=[0, 1])
        >>> for _ in range(3):
        ...     v = registry.register("churn", DummyClassifier().fit([[0], [1]], [0, 1]))
        ...     _ = registry.promote("churn", v.version, gates=gate, context=ctx)
        >>> registry.rollback("churn", reason="latency regression"), registry.rollback("churn")
        (2, 1)
        """
        caller = "rollback"
        name = _check_name(self.store, name, caller)
        if to is not None:
            to = _check_version(to, caller, "to")
        reason = _check_reason(reason, caller)
        with self.store._write() as tx:
            row = tx.one(
                "SELECT champion FROM models WHERE name = :name{for_update}", {"name": name}
            )
            now = _event_time()
            if row is None:
                raise _no_model(tx, name)
            current = None if row[0] is None else int(row[0])
            if to is None:
                events = tx.execute(
                    "SELECT kind, to_version FROM events WHERE name = :name "
                    "AND kind IN ('promote', 'rollback') ORDER BY id",
                    {"name": name},
                )
                stack = _champion_stack(events)
                if len(stack) < 2:
                    raise StoreError(f"model {name!r} has no earlier champion to roll back to")
                target = stack[-2]
            else:
                exists = tx.one(
                    "SELECT version FROM versions WHERE name = :name AND version = :v",
                    {"name": name, "v": to},
                )
                if exists is None:
                    raise NotFoundError(f"model {name!r} has no version {to}")
                target = to
            # rolling back to the champion moves nothing: no rollback is
            # recorded (it counted in the history and the portfolio's
            # n_rollbacks), as promoting the champion again records none
            again = target == current
            if not again:
                tx.execute(
                    "INSERT INTO events (name, kind, version, from_version, to_version, at, "
                    "reason) VALUES (:name, 'rollback', :v, :f, :v, :at, :reason)",
                    {"name": name, "v": target, "f": current, "at": now, "reason": reason},
                )
                _checkpoint("rollback:event")
                tx.execute(
                    "UPDATE models SET champion = :v WHERE name = :name",
                    {"v": target, "name": name},
                )
        if again:
            import warnings

            warnings.warn(
                f"version {target} is already the champion of model {name!r}: nothing "
                "changed (no rollback recorded in the history)",
                UserWarning,
                stacklevel=2,
            )
        return target

    # -- reading ----------------------------------------------------------

    def _version(self, row: Row, champion: int | None) -> ModelVersion:
        (name, version, artifact, reference, parent, created_at, n_labels, cost) = row[:8]
        metrics, tags, lineage = (json.loads(x) for x in row[8:11])
        data = lineage.get("data")
        return ModelVersion(
            name=name,
            version=int(version),
            artifact=artifact,
            format=lineage.get("format", "skops"),
            created_at=float(created_at),
            metrics=metrics,
            tags=tags,
            parent=None if parent is None else int(parent),
            n_labels=None if n_labels is None else int(n_labels),
            cost=None if cost is None else float(cost),
            data=DataFingerprint.from_dict(data) if data else None,
            has_reference=reference is not None,
            decision=lineage.get("decision"),
            packages=lineage.get("packages", {}),
            is_champion=champion == int(version),
        )

    def _champion_of(self, tx: _Tx, name: str) -> int | None:
        row = tx.one("SELECT champion FROM models WHERE name = :name", {"name": name})
        if row is None:
            raise _no_model(tx, name)
        return None if row[0] is None else int(row[0])

    def get(self, name: str, version: int) -> ModelVersion:
        """Return version ``version`` of model ``name``.

        Examples
        --------
        >>> from sklearn.dummy import DummyClassifier
        >>> from mllifecycle.store import Registry, Store
        >>> registry = Registry(Store(":memory:"))
        >>> _ = registry.register("churn", DummyClassifier().fit([[0], [1]], [0, 1]))
        >>> registry.get("churn", 1).version
        1
        """
        caller = "get"
        name = _check_name(self.store, name, caller)
        version = _check_version(version, caller)
        with self.store._read() as tx:
            champion = self._champion_of(tx, name)
            row = tx.one(
                f"SELECT {_VERSION_COLUMNS} FROM versions WHERE name = :name AND version = :v",
                {"name": name, "v": version},
            )
        if row is None:
            raise NotFoundError(f"model {name!r} has no version {version}")
        return self._version(row, champion)

    def champion(self, name: str) -> ModelVersion | None:
        """Return the champion of model ``name`` (None before any promotion).

        Examples
        --------
        >>> from sklearn.dummy import DummyClassifier
        >>> from mllifecycle.gates import GateContext, MetricThreshold
        >>> from mllifecycle.store import Registry, Store
        >>> registry = Registry(Store(":memory:"))
        >>> v = registry.register("churn", DummyClassifier().fit([[0], [1]], [0, 1]))
        >>> registry.champion("churn") is None
        True
        >>> _ = registry.promote("churn", 1, gates=MetricThreshold("accuracy", minimum=0.5),
        ...                      context=GateContext(y_true=[0, 1], challenger=[0, 1]))
        >>> registry.champion("churn").version
        1
        """
        name = _check_name(self.store, name, "champion")
        with self.store._read() as tx:
            champion = self._champion_of(tx, name)
            if champion is None:
                return None
            row = tx.one(
                f"SELECT {_VERSION_COLUMNS} FROM versions WHERE name = :name AND version = :v",
                {"name": name, "v": champion},
            )
        if row is None:  # pragma: no cover - prevented by the transactions
            raise StoreError(f"model {name!r}: champion {champion} is not a registered version")
        return self._version(row, champion)

    def versions(self, name: str) -> list[ModelVersion]:
        """Return every version of model ``name``, oldest first.

        Examples
        --------
        >>> from sklearn.dummy import DummyClassifier
        >>> from mllifecycle.store import Registry, Store
        >>> registry = Registry(Store(":memory:"))
        >>> for _ in range(2):
        ...     _ = registry.register("churn", DummyClassifier().fit([[0], [1]], [0, 1]))
        >>> [v.version for v in registry.versions("churn")]
        [1, 2]
        """
        name = _check_name(self.store, name, "versions")
        with self.store._read() as tx:
            champion = self._champion_of(tx, name)
            rows = tx.execute(
                f"SELECT {_VERSION_COLUMNS} FROM versions WHERE name = :name ORDER BY version",
                {"name": name},
            )
        return [self._version(r, champion) for r in rows]

    def names(self) -> list[str]:
        """Return the names of the registered models, sorted by code point.

        The same order on every backend (``"B"`` before ``"a"``, as Python's
        ``sorted``), whatever a PostgreSQL database's collation.

        Examples
        --------
        >>> from sklearn.dummy import DummyClassifier
        >>> from mllifecycle.store import Registry, Store
        >>> registry = Registry(Store(":memory:"))
        >>> _ = registry.register("b", DummyClassifier().fit([[0], [1]], [0, 1]))
        >>> _ = registry.register("a", DummyClassifier().fit([[0], [1]], [0, 1]))
        >>> registry.names()
        ['a', 'b']
        """
        with self.store._read() as tx:
            rows = tx.execute("SELECT name FROM models")
        # sorted here, not by ORDER BY: PostgreSQL orders text by the database's
        # collation ('B' after 'a' in en_US), SQLite by code point, so the same
        # store listed its models in two orders
        return sorted(str(r[0]) for r in rows)

    def models(self) -> list[dict[str, Any]]:
        """Summarise every model: name, learning type, champion, number of versions.

        In the order of :meth:`names` (by code point, on every backend).

        Examples
        --------
        >>> from sklearn.dummy import DummyClassifier
        >>> from mllifecycle.store import Registry, Store
        >>> registry = Registry(Store(":memory:"))
        >>> _ = registry.register("churn", DummyClassifier().fit([[0], [1]], [0, 1]))
        >>> registry.models()
        [{'name': 'churn', 'learning_type': 'supervised', 'champion': None, 'n_versions': 1}]
        """
        with self.store._read() as tx:
            rows = tx.execute(
                "SELECT m.name, m.learning_type, m.champion, COUNT(v.id) FROM models m "
                "LEFT JOIN versions v ON v.name = m.name "
                "GROUP BY m.name, m.learning_type, m.champion"
            )
        # sorted by code point on every backend (see names())
        return [
            {
                "name": str(n),
                "learning_type": str(lt),
                "champion": None if c is None else int(c),
                "n_versions": int(k),
            }
            for n, lt, c, k in sorted(rows, key=lambda r: str(r[0]))
        ]

    def history(self, name: str) -> list[RegistryEvent]:
        """Return the history of model ``name``, oldest first.

        Examples
        --------
        >>> from sklearn.dummy import DummyClassifier
        >>> from mllifecycle.store import Registry, Store
        >>> registry = Registry(Store(":memory:"))
        >>> _ = registry.register("churn", DummyClassifier().fit([[0], [1]], [0, 1]))
        >>> registry.history("churn")[0].kind
        'register'
        """
        name = _check_name(self.store, name, "history")
        with self.store._read() as tx:
            self._champion_of(tx, name)
            rows = tx.execute(
                "SELECT id, name, kind, version, from_version, to_version, passed, at, reason, "
                "report FROM events WHERE name = :name ORDER BY id",
                {"name": name},
            )
        return [
            RegistryEvent(
                id=int(r[0]),
                name=str(r[1]),
                kind=str(r[2]),
                version=None if r[3] is None else int(r[3]),
                from_version=None if r[4] is None else int(r[4]),
                to_version=None if r[5] is None else int(r[5]),
                passed=None if r[6] is None else bool(r[6]),
                at=float(r[7]),
                reason=r[8],
                report=None if r[9] is None else json.loads(r[9]),
            )
            for r in rows
        ]

    def _artifact(self, sha: str) -> tuple[bytes, str]:
        with self.store._read() as tx:
            row = tx.one("SELECT data, format FROM artifacts WHERE sha256 = :sha", {"sha": sha})
        if row is None:
            raise NotFoundError(f"model file {sha[:12]}... is missing from the store")
        data = bytes(row[0])
        verify(data, sha)
        return data, str(row[1])

    def load(
        self, name: str, version: int | None = None, *, trusted: bool | Sequence[str] = False
    ) -> Any:
        """Load a model, after checking its file's checksum.

        Parameters
        ----------
        name : str
        version : int, optional
            Default: the champion.
        trusted : bool or sequence of str, default False
            skops files: the type names outside skops' default trusted set
            that you checked and accept (``True`` accepts all). Pickle files
            load only with ``trusted=True``.

        Returns
        -------
        object
            The model.

        Raises
        ------
        IntegrityError
            The stored bytes do not hash to the recorded SHA-256.
        UntrustedModelError
            The file needs types (or a pickle) not trusted by ``trusted``.

        Examples
        --------
        >>> from sklearn.dummy import DummyClassifier
        >>> from mllifecycle.store import Registry, Store
        >>> registry = Registry(Store(":memory:"))
        >>> _ = registry.register("churn", DummyClassifier().fit([[0], [1]], [0, 1]))
        >>> registry.load("churn", 1).predict([[0]]).tolist()
        [0]
        """
        caller = "load"
        if not isinstance(trusted, bool) and (
            isinstance(trusted, str)
            or not isinstance(trusted, Sequence)
            or not all(isinstance(t, str) for t in trusted)
        ):
            fail("trusted", "True, False or a list of type names", trusted, caller)
        if version is None:
            champ = self.champion(name)
            if champ is None:
                raise StoreError(f"model {name!r} has no champion: pass a version")
            v = champ
        else:
            v = self.get(name, version)
        data, fmt = self._artifact(v.artifact)
        return loads(data, fmt, trusted)

    def reference(self, name: str, version: int | None = None) -> Any:
        """Load the drift ``Reference`` stored with a version (default: the champion's).

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.dummy import DummyClassifier
        >>> from mllifecycle.drift import Reference
        >>> from mllifecycle.store import Registry, Store
        >>> X = np.random.default_rng(0).normal(size=(300, 2))
        >>> registry = Registry(Store(":memory:"))
        >>> _ = registry.register("churn", DummyClassifier().fit(X, X[:, 0] > 0),
        ...                       reference=Reference.fit(X))
        >>> registry.reference("churn", 1).compare(X + [0, 1]).drift_detected
        True
        """
        from mllifecycle.drift import Reference

        name = _check_name(self.store, name, "reference")
        if version is None:
            champ = self.champion(name)
            if champ is None:
                raise StoreError(f"model {name!r} has no champion: pass a version")
            version = champ.version
        version = _check_version(version, "reference")
        with self.store._read() as tx:
            row = tx.one(
                "SELECT reference FROM versions WHERE name = :name AND version = :v",
                {"name": name, "v": version},
            )
        if row is None:
            raise NotFoundError(f"model {name!r} has no version {version}")
        if row[0] is None:
            raise NotFoundError(f"model {name!r} version {version} has no stored reference")
        data, fmt = self._artifact(str(row[0]))
        trusted_type = f"{Reference.__module__}.{Reference.__qualname__}"
        return loads(data, fmt, False, always=[trusted_type])
