"""``mllifecycle registry``: the model registry from the command line.

``list``, ``show``, ``promote``, ``rollback`` and ``history``, each with
``--store URL`` (a file path or a database URL), print JSON on stdout. Exit
status: 0 success, 1 the gates refused a promotion, 2 bad input (one line on
stderr). Only :mod:`argparse` is imported at module level.
"""

from __future__ import annotations

import argparse
from typing import Any

from mllifecycle._cli_seed import seed

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``registry`` subcommand's actions and options to ``parser``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--store",
        required=True,
        metavar="URL",
        help="the store: a SQLite file path, or a database URL (postgresql+psycopg://user@host/db)",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", parents=[common], help="list the registered models")
    show = actions.add_parser("show", parents=[common], help="show a model's versions")
    show.add_argument("name")
    show.add_argument("--version", type=int, help="one version only (default: all)")
    hist = actions.add_parser("history", parents=[common], help="a model's history")
    hist.add_argument("name")
    roll = actions.add_parser(
        "rollback", parents=[common], help="make an earlier version the champion again"
    )
    roll.add_argument("name")
    roll.add_argument("--to", type=int, help="the version to restore (default: the previous)")
    roll.add_argument("--reason", help="kept in the history")
    promote = actions.add_parser(
        "promote",
        parents=[common],
        help="run gates on a version; make it the champion if they pass",
        description="Run gates on a version's predictions; make it the champion only if "
        "they pass (exit 0), else keep the champion (exit 1).",
    )
    promote.add_argument("name")
    promote.add_argument("version", type=int)
    promote.add_argument(
        "--y-true", required=True, metavar="Y.csv", help="one column of true labels/values"
    )
    promote.add_argument(
        "--challenger", required=True, metavar="B.csv", help="one column: the version's output"
    )
    promote.add_argument(
        "--champion",
        metavar="A.csv",
        help="one column: the current champion's output (comparative gate; omit for a first model)",
    )
    promote.add_argument("--metric", default="accuracy", help="metric name (default: accuracy)")
    promote.add_argument("--minimum", type=float, help="absolute floor on the metric")
    promote.add_argument("--maximum", type=float, help="absolute ceiling on the metric")
    promote.add_argument(
        "--margin", type=float, default=0.0, help="tolerated loss or required gain (default: 0)"
    )
    promote.add_argument(
        "--require",
        choices=["improvement", "non-inferiority"],
        default="non-inferiority",
        help="what the version must show against the champion (default: non-inferiority)",
    )
    promote.add_argument("--alpha", type=float, default=0.05, help="one-sided level (0.05)")
    promote.add_argument(
        "--n-resamples",
        type=int,
        default=10_000,
        help="bootstrap resamples, at least 1/alpha (10000)",
    )
    promote.add_argument("--seed", type=seed, default=0, help="bootstrap seed (default: 0)")
    promote.add_argument("--reason", help="kept in the history")
    heading = promote.add_mutually_exclusive_group()
    heading.add_argument(
        "--no-header",
        action="store_true",
        help="the files have no header row (by default their first row names the column)",
    )
    heading.add_argument(
        "--header",
        action="store_true",
        help="the first row is a header even where it equals a label or is numbers "
        "(by default such a file is refused as ambiguous)",
    )
    promote.add_argument(
        "--sep", default=None, help="field delimiter of the files (default: detected)"
    )


def _print(obj: Any) -> None:
    import json

    from mllifecycle._results import jsonable

    print(json.dumps(jsonable(obj), indent=2, sort_keys=False))


def run(args: argparse.Namespace) -> int:
    """Run one registry action; return the exit status."""
    import os

    from mllifecycle._validation import described, fail
    from mllifecycle.store import Registry, Store
    from mllifecycle.store._db import sqlite_file

    # URL schemes are case-insensitive: SQLITE:///x.db names a file too
    path = sqlite_file(args.store, "mllifecycle registry", "store")
    if path is not None and not os.path.exists(os.path.expanduser(path)):
        # a typo must not create (and report on) a new empty store
        fail("store", "an existing store file or a database URL", described(f"no file {path!r}"))
    registry = Registry(Store(args.store))
    if args.action == "list":
        _print(registry.models())
        return 0
    if args.action == "show":
        if args.version is not None:
            _print(registry.get(args.name, args.version).to_dict())
        else:
            _print([v.to_dict() for v in registry.versions(args.name)])
        return 0
    if args.action == "history":
        _print([e.to_dict() for e in registry.history(args.name)])
        return 0
    if args.action == "rollback":
        champion = registry.rollback(args.name, to=args.to, reason=args.reason)
        # the name as stored (NFC), as ``list`` and ``history`` print it
        _print({"name": registry.get(args.name, champion).name, "champion": champion})
        return 0
    return _promote(registry, args)


def _promote(registry: Any, args: argparse.Namespace) -> int:
    from mllifecycle._io import match_label_types
    from mllifecycle._validation import fail
    from mllifecycle.gates import GateContext, MetricThreshold, NoRegression, SignificantImprovement

    def column(path: str, name: str) -> Any:
        from mllifecycle._io import read_column_file
        from mllifecycle._validation import described

        header = True if args.header else (False if args.no_header else None)
        values = read_column_file(
            path, name, header=header, sep=args.sep, explicit_header=bool(args.header)
        )[1]
        if values.ndim != 1:
            fail(name, "a file of one column", described(f"{values.shape[1]} columns in {path!r}"))
        return values

    y = column(args.y_true, "y_true")
    chal = match_label_types(y, column(args.challenger, "challenger"))
    champ = match_label_types(y, column(args.champion, "champion")) if args.champion else None
    if champ is None:
        current = registry.champion(args.name)
        if current is not None and current.version != args.version:
            import warnings

            # the gate report then reads "no champion (first model)"
            warnings.warn(
                f"model {current.name!r} has a champion (version {current.version}) and no "
                f"--champion file was given: version {args.version} is judged by absolute "
                "gates only, without comparing it with the champion",
                UserWarning,
                stacklevel=2,
            )
    ctx = GateContext(y_true=y, challenger=chal, champion=champ, rng=args.seed)
    gates: list[Any] = []
    if args.minimum is not None or args.maximum is not None:
        gates.append(MetricThreshold(args.metric, minimum=args.minimum, maximum=args.maximum))
    if champ is not None:
        from mllifecycle._io import check_n_resamples
        from mllifecycle._validation import check_alpha

        caller = "mllifecycle registry promote"
        alpha = check_alpha(args.alpha, caller=caller)
        n_resamples = check_n_resamples(args.n_resamples, alpha, caller)
        kind = SignificantImprovement if args.require == "improvement" else NoRegression
        gates.append(kind(args.metric, margin=args.margin, alpha=alpha, n_resamples=n_resamples))
    if not gates:
        fail(
            "gates",
            "--minimum/--maximum, or --champion for a comparison",
            "no gate",
            "mllifecycle registry promote",
        )
    result = registry.promote(args.name, args.version, gates=gates, context=ctx, reason=args.reason)
    _print(result.to_dict())
    return 0 if result.passed else 1
