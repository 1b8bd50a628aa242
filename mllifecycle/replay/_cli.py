"""``mllifecycle demo``: replay four retraining policies on a drifting stream."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from mllifecycle._cli_seed import seed

__all__ = ["add_arguments", "run", "demo_policies"]


def _never(state: Any) -> bool:
    """Never retrain (the baseline)."""
    return False


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``demo`` options to ``parser``."""
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")
    parser.add_argument("--plot", metavar="FILE.png", help="save the metric-over-time plot")
    parser.add_argument("--seed", type=seed, default=0, help="seed of the stream (default 0)")
    parser.add_argument(
        "--n-samples",
        type=int,
        default=40_000,
        help="length of the stream (default 40000; at least 20000)",
    )
    parser.add_argument(
        "--label-delay",
        type=int,
        default=0,
        help="samples before a label arrives (default 0)",
    )
    parser.add_argument(
        "--n-jobs", type=int, default=None, help="run the policies in parallel (joblib)"
    )
    parser.add_argument("--progress", action="store_true", help="show progress on stderr")


def demo_policies() -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the demo's policies and their training windows.

    - ``never``: keep the first model;
    - ``periodic``: retrain every 500 samples on the last 1000;
    - ``recommended``: :func:`mllifecycle.policies.recommended` -- retrain
      when HDDM-A (Frias-Blanco et al. 2015) finds a rise in the deployed
      model's error rate, refit at 500, 1000, 2000 and 4000 labels after the
      change, retrain a new model that settles below the level before
      the change, retrain models that go stale with age, and retrain when a
      clone fitted on recent rows beats the deployed model on the newest
      labels; on the rows since the change;
    - ``cost-aware``: retrain when the expected loss of keeping the model
      over the next 5000 samples exceeds the retraining cost.
    """
    from mllifecycle.policies import (
        CostAware,
        Periodic,
        SinceLastDrift,
        SlidingWindow,
        recommended,
    )

    policies: dict[str, Any] = {
        "never": _never,
        "periodic": Periodic(every=500),
        "recommended": recommended(),
        "cost-aware": CostAware(horizon=5000, min_samples=500),
    }
    since = SinceLastDrift(500)
    windows: dict[str, Any] = {
        "never": SlidingWindow(1000),
        "periodic": SlidingWindow(1000),
        "recommended": since,
        "cost-aware": since,
    }
    return policies, windows


def run(args: argparse.Namespace) -> int:
    """Run the demo; return 0."""
    from sklearn.linear_model import LogisticRegression

    from mllifecycle._validation import check_int, refusal_as
    from mllifecycle.datasets import sea_stream
    from mllifecycle.exceptions import InvalidParameterError
    from mllifecycle.replay import replay

    if args.plot:
        # fail before a replay whose plot could not be drawn or saved
        import importlib.util

        from mllifecycle._io import check_output_path

        check_output_path(args.plot, "--plot")

        if importlib.util.find_spec("matplotlib") is None:
            raise ImportError(
                "--plot needs matplotlib, which is not installed: pip install mllifecycle[plot]"
            )
    n = check_int(args.n_samples, "--n-samples", caller="mllifecycle demo", low=20_000)
    label_delay = check_int(args.label_delay, "--label-delay", caller="mllifecycle demo", low=0)
    stream = sea_stream(n, noise=0.02, rng=args.seed)
    policies, windows = demo_policies()
    t0 = time.perf_counter()
    try:
        result = replay(
            stream.X,
            stream.y,
            LogisticRegression(solver="newton-cholesky"),
            policies,
            window=windows,
            label_delay=label_delay,
            retrain_cost=100.0,
            error_cost=1.0,
            initial_train_size=1000,
            batch_size=100,
            change_points=stream.change_points,
            n_jobs=args.n_jobs,
            progress=bool(args.progress),
        )
    except InvalidParameterError as exc:  # 'n_jobs' of replay: name the option
        named = refusal_as(exc, "replay", "mllifecycle demo", {"n_jobs": "--n-jobs"})
        if named is None:
            raise
        raise named from None
    seconds = time.perf_counter() - t0
    if args.plot:
        try:
            result.plot(path=args.plot)
        except ImportError as exc:
            print(f"mllifecycle demo: error: {exc}", file=sys.stderr)
            return 2
    if args.json:
        out = result.to_dict()
        out["stream"] = stream.to_dict()
        print(json.dumps(out, indent=2))
        return 0
    never, drift, periodic = result["never"], result["recommended"], result["periodic"]
    print(
        f"SEA stream (Street & Kim 2001): {n} samples, concepts "
        f"{', '.join(stream.concepts)}, changes at {list(stream.change_points)}, "
        f"2% label noise; LogisticRegression; a retrain costs 100 errors."
    )
    print()
    print(result.summary())
    print()
    print(
        f"recommended policy: {100 * (drift.accuracy - never.accuracy):+.1f} "
        f"accuracy points over never retraining, "
        f"{100 * (drift.accuracy - periodic.accuracy):+.1f} against retraining every "
        f"500 samples, with {drift.retrains} retrains instead of {periodic.retrains} "
        f"and {drift.labels} labels instead of {periodic.labels}."
    )
    print(f"(replayed in {seconds:.1f} s; --json for JSON, --plot FILE.png for the plot)")
    return 0
