"""The portfolio report: what the registered models are and what they cost to keep."""

from __future__ import annotations

import math
import os
from typing import Any

import attrs
import numpy as np

from mllifecycle._results import format_value, html_table, jsonable
from mllifecycle._validation import described, fail
from mllifecycle.store._db import Store, as_store

__all__ = ["portfolio", "PortfolioReport", "ModelSummary"]

_DAY = 86_400.0


def _nan_key(value: Any) -> Any:
    """Compare (and hash) a float field with NaN equal to NaN.

    A model with one version has a NaN cadence, so two reports of one
    unchanged store (or a report and its pickled copy) compared unequal.
    """
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    return value


def _nan_equal() -> Any:
    return attrs.field(eq=_nan_key)


@attrs.frozen(kw_only=True)
class ModelSummary:
    """One model of the portfolio, summarised from its registry history.

    Attributes
    ----------
    name : str
    learning_type : str
    n_versions : int
        Versions registered (each retrain registers one).
    n_promotions, n_rejections, n_rollbacks : int
    champion : int or None
    labels_per_retrain : float
        Mean labels used per version (NaN when none recorded).
    total_labels : int
    cadence_days : float
        Median days between consecutive registrations (NaN with fewer than two).
    total_cost : float
        Sum of the recorded costs (0 when none recorded).
    labels_per_day : float
        ``labels_per_retrain / cadence_days``: the model's ongoing labelling
        demand (NaN when either is unknown).

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> from mllifecycle.store import Registry, Store, portfolio
    >>> registry = Registry(Store(":memory:"))
    >>> for day in (0, 7, 14):
    ...     _ = registry.register("churn", DummyClassifier().fit([[0], [1]], [0, 1]),
    ...                           n_labels=700, created_at=day * 86400.0)
    >>> m = portfolio(registry.store).models[0]
    >>> m.cadence_days, m.labels_per_day
    (7.0, 100.0)
    """

    name: str
    learning_type: str
    n_versions: int
    n_promotions: int
    n_rejections: int
    n_rollbacks: int
    champion: int | None
    labels_per_retrain: float = _nan_equal()
    total_labels: int
    cadence_days: float = _nan_equal()
    total_cost: float
    labels_per_day: float = _nan_equal()

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as a JSON-safe dict (NaN as None)."""
        out: dict[str, Any] = jsonable(attrs.asdict(self))
        return out


@attrs.frozen(kw_only=True)
class PortfolioReport:
    """Per registered model and in total: learning type, labels, cadence and cost.

    Attributes
    ----------
    models : tuple of ModelSummary
        One per model, by name (sorted by code point, on every backend).
    n_models : int
    learning_types : dict
        Number of models per learning type.
    supervised_share : float
        Fraction of the models that are supervised (the seed's "proportion
        of the portfolio that relies on supervised learning"; NaN with no
        model).
    labels_per_day : float
        Sum of the models' ongoing labelling demand (models whose demand is
        unknown are left out and counted in ``n_unknown_demand``).
    n_unknown_demand : int
    total_labels : int
    total_cost : float

    Examples
    --------
    >>> from mllifecycle.store import Store, portfolio
    >>> portfolio(Store(":memory:")).n_models
    0
    """

    models: tuple[ModelSummary, ...]
    n_models: int
    learning_types: dict[str, int]
    supervised_share: float = _nan_equal()
    labels_per_day: float = _nan_equal()
    n_unknown_demand: int
    total_labels: int
    total_cost: float

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-safe dict."""
        out: dict[str, Any] = jsonable(attrs.asdict(self))
        out["models"] = [m.to_dict() for m in self.models]
        return out

    def to_metrics(self) -> dict[str, float]:
        """Return the portfolio totals as a flat dict of floats."""
        return {
            "n_models": float(self.n_models),
            "supervised_share": self.supervised_share,
            "labels_per_day": self.labels_per_day,
            "total_labels": float(self.total_labels),
            "total_cost": self.total_cost,
        }

    _COLUMNS = (
        "name",
        "learning_type",
        "n_versions",
        "n_promotions",
        "champion",
        "labels_per_retrain",
        "cadence_days",
        "labels_per_day",
        "total_cost",
    )

    def _rows(self) -> list[list[Any]]:
        return [[getattr(m, c) for c in self._COLUMNS] for m in self.models]

    def __repr__(self) -> str:
        lines = [
            f"PortfolioReport: {self.n_models} model(s), supervised share "
            f"{format_value(self.supervised_share)}, {format_value(self.labels_per_day)} "
            f"labels/day, total cost {format_value(self.total_cost)}"
        ]
        for m in self.models:
            lines.append(
                f"  {m.name} [{m.learning_type}] v{m.n_versions} champion={m.champion} "
                f"labels/retrain={format_value(m.labels_per_retrain)} "
                f"every {format_value(m.cadence_days)} d"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return html_table(self._rows(), list(self._COLUMNS), caption=repr(self).splitlines()[0])


def portfolio(store: Store | str) -> PortfolioReport:
    """Summarise the registered models: learning type, labels, retrain cadence and cost.

    Parameters
    ----------
    store : Store, path or URL
        A path must name an existing store file (a typo is refused rather
        than reported as an empty portfolio).

    Returns
    -------
    PortfolioReport

    Notes
    -----
    Labels and costs are those recorded at registration (``n_labels``,
    ``cost``); the cadence is the median gap between registrations, so a
    backtest that registers with its stream's ``created_at`` reports the
    stream's cadence.

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> from mllifecycle.store import Registry, Store, portfolio
    >>> registry = Registry(Store(":memory:"))
    >>> fit = DummyClassifier().fit([[0], [1]], [0, 1])
    >>> _ = registry.register("churn", fit, n_labels=500, cost=2.0)
    >>> _ = registry.register("fraud", fit, learning_type="weakly-supervised")
    >>> report = portfolio(registry.store)
    >>> report.n_models, report.supervised_share, report.learning_types
    (2, 0.5, {'supervised': 1, 'weakly-supervised': 1})
    """
    if isinstance(store, str | os.PathLike):
        from mllifecycle.store._db import sqlite_file

        given = os.fspath(store)
        # URL schemes are case-insensitive: SQLITE:///x.db names a file too
        path = sqlite_file(given, "portfolio", "store") if isinstance(given, str) else None
        if path is not None and not os.path.exists(os.path.expanduser(path)):
            # a typo must not create (and report on) a new empty store
            fail(
                "store",
                "an existing store file or a database URL",
                described(f"no file {path!r}"),
                "portfolio",
            )
    st = as_store(store, "portfolio")
    with st._read() as tx:
        # sorted by code point, not by ORDER BY name: PostgreSQL orders text by
        # the database's collation, so one store's models came in two orders
        models = sorted(
            tx.execute("SELECT name, learning_type, champion FROM models"),
            key=lambda r: str(r[0]),
        )
        versions = tx.execute(
            "SELECT name, created_at, n_labels, cost FROM versions ORDER BY name, version"
        )
        events = tx.execute("SELECT name, kind, COUNT(*) FROM events GROUP BY name, kind")
    counts: dict[tuple[str, str], int] = {(str(n), str(k)): int(c) for n, k, c in events}
    by_name: dict[str, list[tuple[float, Any, Any]]] = {}
    for name, at, n_labels, cost in versions:
        by_name.setdefault(str(name), []).append((float(at), n_labels, cost))
    summaries = []
    for name, lt, champion in models:
        rows = by_name.get(str(name), [])
        labels = [int(r[1]) for r in rows if r[1] is not None]
        costs = [float(r[2]) for r in rows if r[2] is not None]
        times = np.sort(np.array([r[0] for r in rows], dtype=float))
        cadence = float(np.median(np.diff(times))) / _DAY if times.size >= 2 else math.nan
        per_retrain = float(np.mean(labels)) if labels else math.nan
        demand = per_retrain / cadence if cadence > 0 and labels else math.nan
        summaries.append(
            ModelSummary(
                name=str(name),
                learning_type=str(lt),
                n_versions=len(rows),
                n_promotions=counts.get((str(name), "promote"), 0),
                n_rejections=counts.get((str(name), "reject"), 0),
                n_rollbacks=counts.get((str(name), "rollback"), 0),
                champion=None if champion is None else int(champion),
                labels_per_retrain=per_retrain,
                total_labels=int(sum(labels)),
                cadence_days=cadence,
                total_cost=float(sum(costs)),
                labels_per_day=demand,
            )
        )
    types: dict[str, int] = {}
    for s in summaries:
        types[s.learning_type] = types.get(s.learning_type, 0) + 1
    known = [s.labels_per_day for s in summaries if not math.isnan(s.labels_per_day)]
    n = len(summaries)
    return PortfolioReport(
        models=tuple(summaries),
        n_models=n,
        learning_types=dict(sorted(types.items())),
        supervised_share=types.get("supervised", 0) / n if n else math.nan,
        labels_per_day=float(sum(known)),
        n_unknown_demand=n - len(known),
        total_labels=int(sum(s.total_labels for s in summaries)),
        total_cost=float(sum(s.total_cost for s in summaries)),
    )
