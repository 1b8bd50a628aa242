"""Choose a retraining policy by backtesting candidates on the user's own history."""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs

from mllifecycle._progress import make_progress
from mllifecycle._results import format_value, html_table, jsonable
from mllifecycle._validation import (
    check_int,
    check_mapping_keys,
    check_scalar,
    described,
    fail,
    refusal_as,
)
from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies._state import as_policy

__all__ = ["select", "PolicySelection"]

_COLUMNS = ("policy", "accuracy", "errors", "retrains", "labels", "cost")


def _cell(column: str, value: Any) -> str:
    """Format a table cell: a cost with every digit before the point, else ``format_value``.

    To four significant digits a cost of 31234 was shown as 3.123e+04 (and
    31236 alike): candidates the table tells apart looked tied.
    """
    if column == "cost" and isinstance(value, float) and math.isfinite(value):
        if value == round(value) and abs(value) < 2**53:
            return str(int(value))
        if abs(value) >= 1e4:
            return f"{value:.1f}"
    return format_value(value)


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


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
        rows = [[_cell(c, r[c]) for c in _COLUMNS] for r in self.table]
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
        rows = [[_cell(c, r[c]) for c in _COLUMNS] for r in self.table]
        return html_table(rows, list(_COLUMNS), caption=f"PolicySelection: best {self.best}")



def _replay_for_select(*args: Any, **kwargs: Any) -> Any:
    """Run :func:`mllifecycle.replay.replay` for :func:`select`, its errors naming select.

    The replay checks select's inputs (``X``, ``y``, ``estimator``, the
    replay keywords); its refusals named ``replay``, a call the user never
    made. The argument and the expectation are replay's own, and the same.
    """
    from mllifecycle.replay import replay

    try:
        return replay(*args, **kwargs)
    except InvalidParameterError as exc:
        mine = refusal_as(exc, "replay", "select")
        if mine is None:
            raise
        raise mine from exc


def select(
    X: Any,
    y: Any,
    estimator: Any,
    candidates: Mapping[str, Any],
    *,
    retrain_cost: float = 100.0,
    error_cost: float = 1.0,
    n_jobs: int | None = None,
    progress: Any = False,
    **replay_kwargs: Any,
) -> PolicySelection:
    """Backtest candidate policies on past data; return the cheapest under your costs.

    Each candidate is replayed over the history with
    :func:`mllifecycle.replay.replay` (test-then-train, labels arriving
    ``label_delay`` samples late, each candidate on its own copy), and scored
    by its total cost ``retrains * retrain_cost + errors * error_cost``: a
    retrain is worth ``retrain_cost / error_cost`` wrong predictions. The
    cheapest wins (ties: fewer retrains, then the order given).

    The candidates' backtests are independent: they fan out through joblib
    (one task per candidate), so ``n_jobs=2`` runs two at a time and a
    ``joblib.parallel_backend(...)`` context (threads, loky processes, a Dask
    cluster) is honoured. The result is the same as the serial run's: each
    backtest is deterministic and runs on its own copies.

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
    n_jobs : int, optional
        Candidates backtested at once, with :class:`joblib.Parallel` (``-1``:
        all cores). ``None`` runs them one after the other unless a
        ``joblib.parallel_backend`` context says otherwise.
    progress : bool or callable, default=False
        ``True`` draws a bar (tqdm, the ``progress`` extra); a callable is
        called as ``progress(done, total)`` after each candidate's backtest.
    **replay_kwargs
        Passed to :func:`mllifecycle.replay.replay` (``window``, a window or a
        mapping of candidate name to window, ``label_delay``,
        ``initial_train_size``, ``batch_size``, ``gates``, ...). ``policies``
        is refused: the candidates are the policies replayed. With a
        ``registry``, each candidate registers as a replay of all of them
        would: under ``"<model_name>/<candidate>"`` (several candidates), or
        its entry of a ``model_name`` mapping.

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
    'recommended'
    >>> [(row["policy"], row["retrains"], row["cost"]) for row in choice.table]
    [('recommended', 12, 820.0), ('every 500', 22, 1032.0), ('never', 0, 1065.0)]
    """
    # scikit-learn's wrappers: each replay runs under the caller's scikit-learn
    # configuration (metadata routing), as replay's own n_jobs does
    from sklearn.utils.parallel import Parallel, delayed

    from mllifecycle.replay import ReplayResult

    if not isinstance(candidates, Mapping) or not candidates:
        fail(
            "candidates",
            "a non-empty mapping of name to policy, e.g. {'weekly': Periodic(every=7)}",
            candidates,
            "select",
        )
    # checked here, naming candidates: replay's errors named its own "policies"
    # (which select refuses), and with n_jobs came from a worker
    for key, candidate in candidates.items():
        if not isinstance(key, str):
            fail("candidates", "a mapping with str keys (candidate names)", key, "select")
        as_policy(candidate, f"candidates[{key}]", "select")
    rc = check_scalar(retrain_cost, "retrain_cost", caller="select", low=0.0)
    ec = check_scalar(error_cost, "error_cost", caller="select", low=0.0)
    # retrain_cost, error_cost, n_jobs and progress are select's own parameters
    # (they never land here); policies would replace the candidates: refused
    # rather than dropped
    if "policies" in replay_kwargs:
        fail(
            "policies",
            "left out: select backtests its candidates (pass the policies as "
            "candidates, a mapping of name to policy)",
            described(f"policies={_short_repr(replay_kwargs['policies'])}"),
            "select",
        )
    if n_jobs is not None:
        n_jobs = check_int(n_jobs, "n_jobs", caller="select", low=-1)
        if n_jobs == 0:
            fail("n_jobs", "a positive int, -1 (all cores) or None", n_jobs, "select")
    window = replay_kwargs.pop("window", None)
    if isinstance(window, Mapping):
        check_mapping_keys(window, candidates, "window", "candidate", "select")
    model_name = replay_kwargs.get("model_name")
    if isinstance(model_name, Mapping):
        check_mapping_keys(model_name, candidates, "model_name", "candidate", "select")
    bar = make_progress(progress, total=len(candidates), desc="select", caller="select")

    def registry_names(name: str) -> dict[str, Any]:
        """Return the registry arguments of one candidate's replay: those a replay of all gives.

        Each candidate is replayed alone, and a replay of one policy registers
        it under ``model_name`` itself: with several candidates, each gets
        ``"<model_name>/<candidate>"`` (or its entry of a mapping) as a
        replay of all of them would give it, not one model for all.
        """
        if replay_kwargs.get("registry") is None or len(candidates) == 1:
            return {}
        if isinstance(model_name, str) and model_name.strip():
            return {"model_name": f"{model_name}/{name}"}
        if isinstance(model_name, Mapping) and model_name:
            if name in model_name:
                return {"model_name": {name: model_name[name]}}
            return {"registry": None, "model_name": None}  # not registered
        return {}  # replay refuses it, naming model_name

    def task(name: str) -> Any:
        if isinstance(window, Mapping):
            win: Any = {name: window[name]} if name in window else None
        else:
            win = window
        return delayed(_replay_for_select)(
            X,
            y,
            estimator,
            {name: candidates[name]},
            retrain_cost=rc,
            error_cost=ec,
            window=win,
            **{**replay_kwargs, **registry_names(name)},
        )

    with bar:
        parts: list[Any] = []
        # return_as="generator": results in submission order, as they finish
        for part in Parallel(n_jobs=n_jobs, return_as="generator")(
            task(name) for name in candidates
        ):
            parts.append(part)
            bar.update()
    first = parts[0]
    result = ReplayResult(
        runs={name: part[name] for name, part in zip(candidates, parts, strict=True)},
        metric=first.metric,
        n_samples=first.n_samples,
        initial_train_size=first.initial_train_size,
        batch_size=first.batch_size,
        label_delay=first.label_delay,
        retrain_cost=first.retrain_cost,
        error_cost=first.error_cost,
        change_points=first.change_points,
    )
    order = {name: i for i, name in enumerate(candidates)}
    # Costs compared exactly, in the decimals the user wrote: in floats
    # 1 * 0.3 < 3 * 0.1, so a tie between a retrain costing 0.3 and three
    # errors costing 0.1 each would not reach the fewer-retrains rule.
    rc_q, ec_q = Fraction(repr(rc)), Fraction(repr(ec))

    def _key(r: Any) -> tuple[Fraction, int, int]:
        return (rc_q * r.retrains + ec_q * r.errors, r.retrains, order[r.name])

    runs = sorted(result.runs.values(), key=_key)
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
