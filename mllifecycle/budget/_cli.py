"""``mllifecycle plan``: labels, cost and redundancy from a learning-curve CSV.

Exit status: 0 the target is reachable, 1 it is not (more data alone will not
get there, or the rows to add cannot be labelled to ``--label-accuracy``), 2
bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``plan`` subcommand's arguments to ``parser``."""
    parser.add_argument(
        "curve",
        metavar="CURVE.csv",
        help="learning curve: a column 'size' (training rows, any case; else the first column) "
        "and one or more score columns (one per fold), one row per size, under a header row",
    )
    parser.add_argument("--target", type=float, required=True, help="metric value to reach")
    parser.add_argument("--price", type=float, default=None, help="money per label (answer)")
    parser.add_argument(
        "--labels-per-hour", type=float, default=None, help="labeller throughput"
    )
    parser.add_argument(
        "--worker-accuracy",
        type=float,
        nargs="+",
        default=None,
        help="labellers' accuracies (one, or one per worker): plans answers per item",
    )
    parser.add_argument(
        "--label-accuracy", type=float, default=0.95, help="label accuracy to reach (0.95)"
    )
    parser.add_argument("--n-classes", type=int, default=2, help="classes (default 2)")
    parser.add_argument(
        "--family",
        default="auto",
        help="auto (default), inverse_power, exponential or log_linear",
    )
    parser.add_argument(
        "--direction",
        choices=["auto", "higher", "lower"],
        default="auto",
        help="is a higher score better (accuracy) or a lower one (an error)? auto (default) "
        "reads it from the scores, which noise can turn around on a nearly flat curve",
    )
    parser.add_argument(
        "--bounds",
        nargs=2,
        metavar=("LOW", "HIGH"),
        default=None,
        help="the metric's range, each a number or 'none' (open): '0 1' for an accuracy "
        "(a proportion: the plan then counts held-out rows), '0 none' for an RMSE or a log "
        "loss; default: unbounded",
    )
    parser.add_argument("--confidence-level", type=float, default=0.9)
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    parser.add_argument("--sep", default=None, help="field delimiter (default: detected)")
    parser.add_argument(
        "--no-header",
        action="store_true",
        help="the file has no header row: the first column is the size, the others scores",
    )
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")


def run(args: argparse.Namespace) -> int:
    """Run ``mllifecycle plan``; return 0 (reachable) or 1 (not reachable)."""
    import json
    import sys

    import numpy as np

    from mllifecycle._io import read_table, refuse_data_header
    from mllifecycle.budget import fit_curve, plan, redundancy

    table = read_table(args.curve, sep=args.sep, header=not args.no_header)
    names = list(table)
    if not args.no_header:
        refuse_data_header(args.curve, names)
    else:
        from mllifecycle._io import header_read_as_data

        found = header_read_as_data(table)
        if found is not None:  # was "column '0' is not numeric"
            raise ValueError(
                f"{args.curve}: with --no-header the first row is a point of the curve, but "
                f"its {found[1]!r} sits above numbers, like a header; drop --no-header"
            )
    # 'Size', 'SIZE ' are the size column too (else a fold's scores were the sizes)
    named = [n for n in names if str(n).strip().lower() == "size"]
    size_col = named[0] if named else names[0]
    scores = [table[n] for n in names if n != size_col]
    if not scores:
        raise ValueError(f"{args.curve}: no score column besides {size_col!r}")
    for n in [size_col, *[n for n in names if n != size_col]]:
        if table[n].dtype.kind != "f":
            raise ValueError(f"{args.curve}: column {n!r} is not numeric{_why_text(table[n])}")
    sizes = np.asarray(table[size_col], dtype=np.float64)
    bad = sizes[~(np.isfinite(sizes) & (sizes >= 1) & (sizes == np.round(sizes)))]
    if bad.size:
        raise ValueError(
            f"{args.curve}: column {size_col!r} (the training sizes: a column 'size', else "
            f"the first) must hold whole row counts of at least 1; got {bad[0]:g}"
        )
    bounds = None
    if args.bounds is not None:
        bounds = (_bound(args.bounds[0]), _bound(args.bounds[1]))
        low, high = bounds
        if (low is not None and args.target < low) or (high is not None and args.target > high):
            # a target the metric cannot take (--target 1.5 for an accuracy) is a
            # usage error, not a finding: it exited 1, "not reachable"
            from mllifecycle._validation import described, fail

            shown = ", ".join("none" if b is None else f"{b:g}" for b in bounds)
            fail("target", f"a value within --bounds [{shown}], the metric's range",
                 described(f"{args.target:g}"), "mllifecycle plan")
    curve = fit_curve(
        table[size_col],
        np.column_stack(scores),
        bounds=bounds,
        family=args.family,
        higher_is_better={"auto": None, "higher": True, "lower": False}[args.direction],
        confidence_level=args.confidence_level,
        rng=args.seed,
    )
    red = None
    if args.worker_accuracy:
        red = redundancy(
            args.worker_accuracy,
            args.label_accuracy,
            n_classes=args.n_classes,
            price_per_answer=args.price,
            rng=args.seed,
        )
    result = plan(
        curve,
        args.target,
        price_per_label=args.price,
        labels_per_hour=args.labels_per_hour,
        redundancy=red,
    )
    if args.json:
        out = result.to_dict()
        out["curve"] = curve.to_dict()
        if red is not None:
            out["redundancy"] = red.to_dict()
        print(json.dumps(out, indent=2))
    else:
        print(repr(curve))
        if red is not None:
            print(repr(red))
        print(repr(result))
    if bounds is None and 0.0 <= args.target <= 1.0:
        # an accuracy curve without --bounds plans no held-out rows: say how
        print(
            "mllifecycle plan: note: no held-out rows planned, as the metric's range is "
            "unknown; pass --bounds 0 1 if it is a proportion (accuracy, AUC), or "
            "--bounds 0 none for an error such as an RMSE",
            file=sys.stderr,
        )
    return 0 if result.reachable else 1


def _why_text(col: Any) -> str:
    """Say what made a column of a learning curve text: a cell to look at."""
    from mllifecycle._io import decimal_comma_number, grouped_number

    if col.dtype != object:
        return ""
    comma = grouped_number(col) or decimal_comma_number(col)
    if comma is not None:  # "1,000" (quoted): was only "is not numeric"
        return (f" (it holds {comma!r}, a number written with a comma: write numbers with a "
                "decimal point and no thousands separator)")
    from mllifecycle._io import text_cell

    cell = text_cell(col.tolist())
    return "" if cell is None else f" (it holds {cell!r})"


def _bound(text: str) -> float | None:
    """One side of ``--bounds``: a number, or ``none`` for an open side."""
    from mllifecycle._validation import fail

    if text.strip().lower() == "none":
        return None
    try:
        return float(text)
    except ValueError:
        fail("bounds", "two numbers or 'none' (LOW HIGH)", text, "mllifecycle plan")
