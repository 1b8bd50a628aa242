"""Results of a replay: a :class:`PolicyRun` per policy, in a :class:`ReplayResult`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from mllifecycle._results import format_value, html_table, jsonable
from mllifecycle._validation import check_int

__all__ = ["PolicyRun", "RetrainEvent", "ReplayResult"]


@attrs.frozen(kw_only=True)
class RetrainEvent:
    """One retrain a policy asked for during a replay.

    Parameters
    ----------
    step : int
        Stream position (samples seen) when the retrain happened.
    reason : str
        The policy's reason.
    deployed : bool
        Whether the new model replaced the old one (False when a gate refused
        it, or when no model was fitted).
    train_start, train_stop : int
        The history rows it was trained on.
    gate_reasons : tuple of str
        The gates' reasons, when gates were used: the report's verdict and
        notes, then each gate's own reasons as ``"[STATUS] gate name: reason"``.
    fitted : bool, default=True
        Whether a model was fitted (and the retrain paid for). False when the
        retrain was skipped: the window held fewer than two labelled rows or
        a single class (rows of ``sample_weight`` 0 not counted).

    Examples
    --------
    >>> from mllifecycle.replay import RetrainEvent
    >>> e = RetrainEvent(step=5000, reason="drift", deployed=True,
    ...                  train_start=4500, train_stop=5000)
    >>> e.to_dict()["train_stop"] - e.to_dict()["train_start"]
    500
    """

    step: int
    reason: str
    deployed: bool
    train_start: int
    train_stop: int
    gate_reasons: tuple[str, ...] = ()
    fitted: bool = True

    def to_dict(self) -> dict[str, Any]:
        """Return the event as a JSON-safe dict."""
        return {f.name: jsonable(getattr(self, f.name)) for f in attrs.fields(type(self))}


@attrs.frozen(kw_only=True)
class PolicyRun:
    """What one policy did and cost over a replay.

    Parameters
    ----------
    name : str
        The policy's name in the ``policies`` mapping.
    accuracy : float
        Prequential (test-then-train) accuracy over every sample after the
        initial training set.
    n_evaluated : int
        Samples predicted.
    errors : int
        Wrong predictions.
    retrains : int
        Retrains paid for: a model fitted, deployed or not (a gate may refuse it).
    events : tuple of RetrainEvent
        Every retrain a policy asked for, with its step, reason, whether a
        model was fitted (``fitted``; False when skipped) and whether it deployed.
    labels : int
        Distinct labelled rows used for training (the initial set included;
        rows a window weighted 0 are not used).
    fit_seconds, predict_seconds : float
        Time spent in the model's ``clone`` + ``fit`` and in its ``predict`` /
        ``predict_proba``.
    policy_seconds : float
        Time spent in the policy's ``should_retrain`` (detectors included).
    total_seconds : float
        Wall time of this policy's replay.
    cost : float
        ``retrains * retrain_cost + errors * error_cost``.
    batch_ends : ndarray of int
        Stream position at the end of each batch.
    batch_accuracy : ndarray of float
        Accuracy on each batch (the metric over time).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.datasets import sea_stream
    >>> from mllifecycle.policies import Periodic
    >>> from mllifecycle.replay import replay
    >>> s = sea_stream(5000, noise=0.02, rng=0)
    >>> run = replay(s.X, s.y, LogisticRegression(solver="newton-cholesky"),
    ...              {"p": Periodic(every=2000)})["p"]
    >>> run.retrain_steps, run.cost == run.retrains * 100.0 + run.errors * 1.0
    ((3000, 5000), True)
    """

    name: str
    accuracy: float
    n_evaluated: int
    errors: int
    retrains: int
    events: tuple[RetrainEvent, ...]
    labels: int
    fit_seconds: float
    predict_seconds: float
    policy_seconds: float = 0.0
    total_seconds: float
    cost: float
    batch_ends: npt.NDArray[np.int64] = attrs.field(eq=False, repr=False)
    batch_accuracy: npt.NDArray[np.float64] = attrs.field(eq=False, repr=False)

    @property
    def retrain_steps(self) -> tuple[int, ...]:
        """Stream positions of the retrains paid for (deployed or not), one per ``retrains``.

        A skipped retrain (``fitted=False``: too few labelled rows or a single
        class) is not one; it stays in :attr:`events`.
        """
        return tuple(e.step for e in self.events if e.fitted)

    @property
    def deployments(self) -> int:
        """Retrains whose model was deployed."""
        return sum(e.deployed for e in self.events)

    @property
    def overhead_seconds(self) -> float:
        """Time spent outside the model's own fit and predict (policies included)."""
        return max(self.total_seconds - self.fit_seconds - self.predict_seconds, 0.0)

    def to_dict(self, *, detail: bool = False) -> dict[str, Any]:
        """Return the headline figures (and, with ``detail``, events and curves)."""
        out: dict[str, Any] = {
            "accuracy": self.accuracy,
            "retrains": self.retrains,
            "labels": self.labels,
            "cost": self.cost,
            "errors": self.errors,
            "deployments": self.deployments,
            "compute_seconds": self.fit_seconds,
        }
        if detail:
            out["events"] = [e.to_dict() for e in self.events]
            out["batch_ends"] = self.batch_ends
            out["batch_accuracy"] = self.batch_accuracy
        return jsonable(out)  # type: ignore[no-any-return]


_COLUMNS = ("policy", "accuracy", "retrains", "labels", "cost", "compute_s")


@attrs.frozen(kw_only=True)
class ReplayResult:
    """Policies compared side by side over one replayed stream.

    Index it by policy name for a :class:`PolicyRun`.

    Parameters
    ----------
    runs : dict of str to PolicyRun
        One run per policy, in the order given.
    metric : str
        The metric (``"accuracy"``).
    n_samples, initial_train_size, batch_size, label_delay : int
        The replay's set-up.
    retrain_cost, error_cost : float
        The costs used for ``cost``.
    change_points : tuple of int
        Known change points of the stream (for plots), if given.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from mllifecycle.datasets import sea_stream
    >>> from mllifecycle.policies import Periodic
    >>> from mllifecycle.replay import replay
    >>> s = sea_stream(5000, noise=0.02, rng=0)
    >>> result = replay(s.X, s.y, LogisticRegression(solver="newton-cholesky"),
    ...                 {"never": lambda state: False, "p": Periodic(every=2000)})
    >>> sorted(result.to_dict()["policies"]["p"])[:4]
    ['accuracy', 'compute_seconds', 'cost', 'deployments']
    >>> print(result.summary().splitlines()[0])
    policy  accuracy  retrains  labels  cost  compute_s
    """

    runs: Mapping[str, PolicyRun]
    metric: str = "accuracy"
    n_samples: int
    initial_train_size: int
    batch_size: int
    label_delay: int
    retrain_cost: float
    error_cost: float
    change_points: tuple[int, ...] = ()

    def __getitem__(self, name: str) -> PolicyRun:
        return self.runs[name]

    def __iter__(self) -> Any:
        return iter(self.runs)

    def __len__(self) -> int:
        return len(self.runs)

    def _rows(self) -> list[list[Any]]:
        return [
            [name, r.accuracy, r.retrains, r.labels, r.cost, r.fit_seconds]
            for name, r in self.runs.items()
        ]

    def _text_rows(self) -> list[list[str]]:
        """Return the rows as the tables show them (the summary's and the HTML's alike).

        Costs keep every digit before the point: to four significant digits
        (``format_value``), the HTML table showed 31234 and 31236 both as
        3.123e+04.
        """
        rows = [[format_value(v) for v in row] for row in self._rows()]
        for row, (_, r) in zip(rows, self.runs.items(), strict=True):
            row[1] = f"{r.accuracy:.4f}"
            row[4] = f"{r.cost:.1f}"
            row[5] = f"{r.fit_seconds:.3f}"
        return rows

    def summary(self) -> str:
        """Return the comparison as a plain-text table (one row per policy)."""
        rows = self._text_rows()
        widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(_COLUMNS)]
        lines = [
            "  ".join(
                h.ljust(w) if i == 0 else h.rjust(w)
                for i, (h, w) in enumerate(zip(_COLUMNS, widths, strict=True))
            )
        ]
        lines.append("  ".join("-" * w for w in widths))
        for row in rows:
            lines.append(
                "  ".join(
                    c.ljust(w) if i == 0 else c.rjust(w)
                    for i, (c, w) in enumerate(zip(row, widths, strict=True))
                )
            )
        return "\n".join(lines)

    def to_dict(self, *, detail: bool = False) -> dict[str, Any]:
        """Return ``{"policies": {name: {"accuracy", ...}}, ...}``, JSON-safe."""
        return {
            "policies": {n: r.to_dict(detail=detail) for n, r in self.runs.items()},
            "metric": self.metric,
            "n_samples": self.n_samples,
            "initial_train_size": self.initial_train_size,
            "batch_size": self.batch_size,
            "label_delay": self.label_delay,
            "retrain_cost": self.retrain_cost,
            "error_cost": self.error_cost,
            "change_points": list(self.change_points),
        }

    def __repr__(self) -> str:
        return f"ReplayResult(n_samples={self.n_samples}, metric={self.metric!r})\n" + (
            self.summary()
        )

    def _repr_html_(self) -> str:
        return html_table(
            self._text_rows(),
            list(_COLUMNS),
            caption=f"Replay of {self.n_samples} samples ({self.metric})",
        )

    def plot(self, ax: Any = None, *, smooth: int = 5, path: str | None = None) -> Any:
        """Plot the metric over time, with retrain markers and the true change points.

        Needs matplotlib (``pip install mllifecycle[plot]``).

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw (default: a new figure).
        smooth : int, default=5
            Batches in the moving average of the curve (1: no smoothing).
        path : str, optional
            Save the figure to this file.

        Returns
        -------
        matplotlib.axes.Axes
        """
        # checked before matplotlib is needed: int() took 2.7 as 2, "3" as 3,
        # and 0, -5 or True as 1, silently
        k = check_int(smooth, "smooth", caller="ReplayResult.plot", low=1)
        try:
            import matplotlib

            if ax is None and path is not None:
                matplotlib.use("Agg", force=False)
            import matplotlib.pyplot as plt
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "ReplayResult.plot needs matplotlib: pip install mllifecycle[plot]"
            ) from exc
        if ax is None:
            _, ax = plt.subplots(figsize=(9, 4.5))
        for name, run in self.runs.items():
            acc = run.batch_accuracy
            if k > 1 and acc.size >= k:
                curve = np.convolve(acc, np.ones(k) / k, mode="valid")
                xs = run.batch_ends[k - 1 :]
            else:
                curve, xs = acc, run.batch_ends
            (line,) = ax.plot(xs, curve, lw=1.3, label=f"{name} ({run.retrains} retrains)")
            steps = np.asarray(run.retrain_steps)
            if steps.size:
                ys = np.interp(steps, xs, curve) if xs.size else np.zeros(steps.size)
                ax.plot(steps, ys, "v", color=line.get_color(), ms=5)
        for i, cp in enumerate(self.change_points):
            ax.axvline(
                cp,
                color="0.4",
                ls="--",
                lw=0.9,
                label="true change" if i == 0 else None,
            )
        ax.set_xlabel("samples")
        ax.set_ylabel(f"{self.metric} (moving average of {k} batches)")
        ax.set_title("Replay: metric over time (v = retrain)")
        ax.legend(loc="lower left", fontsize=8)
        if path is not None:
            ax.figure.savefig(path, dpi=110, bbox_inches="tight")
        return ax
