"""Choose a retraining policy by backtesting candidates on the user's own history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from mllifecycle._results import format_value, html_table, jsonable
from mllifecycle._validation import check_scalar, fail

__all__ = ["select", "PolicySelection"]

_COLUMNS = ("policy", "accuracy", "errors", "retrains", "labels", "cost")


@attrs.frozen(kw_only=True)
class PolicySelection:
    """The candidate policies backtested on one history, and the cheapest one.

    Attributes
    ----------
    best : str
        Name of the candidate with the lowest total cost.
    policy : RetrainPolicy
        That candidate (the object passed in, never run: replay ran copies).
    table : tuple of dict
        One row per candidate, cheapest first: ``policy``, ``accuracy``,
        ``errors``, ``retrains``, ``labels``, ``cost``.
    retrain_cost, error_cost : float
        The costs the choice was made with.
    replay : ReplayResult
        The full backtest (curves, retrain events).

    Examples
    --------
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from mllifecycle.datasets import sea_stream
    >>> from mllifecycle.policies import Periodic, select
    >>> s = sea_stream(4000, rng=0)
    >>> choice = select(s.X, s.y, GaussianNB(), {"every 1000": Periodic(every=1000),
    ...                                         "never": lambda state: False},
    ...                 retrain_cost=10_000.0)
    >>> choice.best, choice.table[0]["retrains"]
    ('never', 0)
    """

    best: str
    policy: Any = attrs.field(repr=False)
    table: tuple[dict[str, Any], ...] = attrs.field(repr=False)
    retrain_cost: float
    error_cost: float
    replay: Any = attrs.field(repr=False, eq=False)

    def summary(self) -> str:
        """Return the comparison table as plain text, cheapest first."""
        rows = [[format_value(r[c]) for c in _COLUMNS] for r in self.table]
        widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(_COLUMNS)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(_COLUMNS, widths, strict=True))]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
        lines.append(
            f"best: {self.best} (retrain cost {self.retrain_cost:g}, error cost "
            f"{self.error_cost:g})"
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Return the choice and the table, JSON-safe."""
        return {
            "best": self.best,
            "retrain_cost": self.retrain_cost,
            "error_cost": self.error_cost,
            "table": [{k: jsonable(v) for k, v in r.items()} for r in self.table],
        }

    def to_metrics(self) -> dict[str, float]:
        """Return ``{"<policy>.<figure>": value}`` for every candidate (floats)."""
        return {
            f"{r['policy']}.{k}": float(v)
            for r in self.table
            for k, v in r.items()
            if k != "policy"
        }

    def _repr_html_(self) -> str:
        rows = [[r[c] for c in _COLUMNS] for r in self.table]
        return html_table(rows, list(_COLUMNS), caption=f"PolicySelection: best {self.best}")


def select(
    X: Any,
    y: Any,
    estimator: Any,
    candidates: Mapping[str, Any],
    *,
    retrain_cost: float = 100.0,
    error_cost: float = 1.0,
    **replay_kwargs: Any,
) -> PolicySelection:
    """Backtest candidate policies on past data; return the cheapest under your costs.

    Each candidate is replayed over the history with
    :func:`mllifecycle.replay.replay` (test-then-train, labels arriving
    ``label_delay`` samples late, each candidate on its own copy), and scored
    by its total cost ``retrains * retrain_cost + errors * error_cost``: a
    retrain is worth ``retrain_cost / error_cost`` wrong predictions. The
    cheapest wins (ties: fewer retrains, then the order given).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The history's features, in time order.
    y : array-like of shape (n_samples,)
        Its labels.
    estimator : scikit-learn classifier
        Cloned for every fit; never mutated.
    candidates : mapping of str to policy
        Name -> :class:`~mllifecycle.protocols.RetrainPolicy` or a function
        ``state -> bool | RetrainDecision`` (e.g. ``Periodic`` schedules,
        :func:`recommended`, a never-retrain baseline).
    retrain_cost : float, default=100.0
        Cost of one retrain, in units of ``error_cost``.
    error_cost : float, default=1.0
        Cost of one wrong prediction.
    **replay_kwargs
        Passed to :func:`mllifecycle.replay.replay` (``window``,
        ``label_delay``, ``initial_train_size``, ``batch_size``, ``n_jobs``,
        ...).

    Returns
    -------
    PolicySelection
        The best candidate's name and object, and the comparison table.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.datasets import sea_stream
    >>> from mllifecycle.policies import Periodic, recommended, select
    >>> s = sea_stream(12_000, noise=0.02, rng=0)
    >>> choice = select(s.X, s.y, LogisticRegression(),
    ...                 {"never": lambda state: False,
    ...                  "every 500": Periodic(every=500),
    ...                  "recommended": recommended()},
    ...                 retrain_cost=20.0)
    >>> choice.best
    'every 500'
    >>> [(row["policy"], row["retrains"], row["cost"]) for row in choice.table]
    [('every 500', 22, 1032.0), ('never', 0, 1065.0), ('recommended', 4, 1067.0)]
    """
    from mllifecycle.replay import replay

    if not isinstance(candidates, Mapping) or not candidates:
        fail(
            "candidates",
            "a non-empty mapping of name to policy, e.g. {'weekly': Periodic(every=7)}",
            candidates,
            "select",
        )
    rc = check_scalar(retrain_cost, "retrain_cost", caller="select", low=0.0)
    ec = check_scalar(error_cost, "error_cost", caller="select", low=0.0)
    for bad in ("retrain_cost", "error_cost", "policies"):
        replay_kwargs.pop(bad, None)
    result = replay(X, y, estimator, candidates, retrain_cost=rc, error_cost=ec, **replay_kwargs)
    order = {name: i for i, name in enumerate(candidates)}
    runs = sorted(result.runs.values(), key=lambda r: (r.cost, r.retrains, order[r.name]))
    table = tuple(
        {
            "policy": r.name,
            "accuracy": r.accuracy,
            "errors": r.errors,
            "retrains": r.retrains,
            "labels": r.labels,
            "cost": r.cost,
        }
        for r in runs
    )
    best = runs[0].name
    return PolicySelection(
        best=best,
        policy=candidates[best],
        table=table,
        retrain_cost=rc,
        error_cost=ec,
        replay=result,
    )
