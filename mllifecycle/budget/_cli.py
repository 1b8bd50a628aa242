"""``mllifecycle plan``: labels, cost and redundancy from a learning-curve CSV.

Exit status: 0 the target is reachable, 1 it is not (more data alone will not
get there, or the rows to add cannot be labelled to ``--label-accuracy``), 2
bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
from typing import Any

from mllifecycle._cli_seed import seed

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``plan`` subcommand's arguments to ``parser``."""
    parser.add_argument(
        "curve",
        metavar="CURVE.csv",
        help="learning curve: a column of training sizes (named size, n, n_train, n_samples, "
        "train_size, ... in any case, or given with --size-column) and one or more score "
        "columns (one per fold), one row per size, under a header row",
    )
    parser.add_argument(
        "--size-column",
        default=None,
        metavar="NAME",
        help="the column holding the training sizes, when its name is not one of the usual "
        "ones (size, n, n_train, n_samples, train_size, ...)",
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
    parser.add_argument("--seed", type=seed, default=0, help="bootstrap seed (default 0)")
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
    size_col = _size_column(args.curve, names, args.size_column, positional=args.no_header)
    for n in names:
        col = table[n]
        if col.dtype.kind in "iu" and (col.size == 0 or np.abs(col).max() <= 2**53):
            # integers (a Parquet file's int64 sizes) as the numbers a CSV's are:
            # they were refused as "not numeric"
            table[n] = col.astype(np.float64)
    scores = [table[n] for n in names if n != size_col]
    for n in names:
        summary = set(_normal_name(n).split("_")) & _SUMMARY_WORDS
        if n != size_col and summary:
            # 'size,mean,std': the standard deviations were fitted as a fold's scores
            raise ValueError(
                f"{args.curve}: column {n!r} looks like a summary of the folds "
                f"({sorted(summary)[0]!r}), not one fold's scores; give one score column per "
                "fold, or only the mean scores (drop the other columns)"
            )
    if not scores:
        raise ValueError(f"{args.curve}: no score column besides {size_col!r}")
    others = [n for n in names if n != size_col]
    for n in others:
        words = set(_normal_name(n).split("_"))
        kind = ("training scores" if words & _TRAIN_WORDS
                else "timings" if words & _TIME_WORDS else None)
        if kind is not None and len(others) > 1:
            # scikit-learn's 'train_size,train_score,test_score': the training scores
            # were fitted as a fold ("reachable, n=1" for n=625, exit 0)
            raise ValueError(
                f"{args.curve}: column {n!r} looks like {kind}, not one fold's held-out "
                "scores; give one held-out (validation or test) score column per fold "
                "(drop the other columns)"
            )
    for n in [size_col, *[n for n in names if n != size_col]]:
        if table[n].dtype.kind != "f":
            raise ValueError(f"{args.curve}: column {n!r} is not numeric{_why_text(table[n])}")
    sizes = np.asarray(table[size_col], dtype=np.float64)
    # an empty or infinite cell: fit_curve's "must be finite scores" named no column or row
    for n in [size_col, *[n for n in names if n != size_col]]:
        col = np.asarray(table[n], dtype=np.float64)
        if not np.isfinite(col).all():
            i = int(np.flatnonzero(~np.isfinite(col))[0])
            what = "an empty cell" if np.isnan(col[i]) else f"{col[i]:g}"
            at = f"data row {i + 1}" if n == size_col else f"size {sizes[i]:g}"
            raise ValueError(
                f"{args.curve}: column {n!r} holds {what} at {at}; every column needs a "
                "finite value on every row (drop that row or that fold's column)"
            )
    bad = sizes[~(np.isfinite(sizes) & (sizes >= 1) & (sizes == np.round(sizes)))]
    if bad.size:
        raise ValueError(
            f"{args.curve}: column {size_col!r} (the training sizes) must hold whole row "
            f"counts of at least 1; got {bad[0]:g}"
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


#: Names of a learning curve's size column (compared stripped, in lower case, with
#: spaces and hyphens read as underscores)
_SIZE_NAMES = frozenset(
    {
        "size", "sizes", "n", "n_train", "n_samples", "n_sample", "train_size", "train_sizes",
        "train_sizes_abs", "training_size", "training_sizes", "sample_size", "sample_sizes",
        "n_rows", "rows", "n_examples", "num_samples", "n_train_samples", "n_training",
        "n_training_samples", "num_train", "num_train_samples", "train_samples", "n_obs",
        "data_size", "dataset_size",
    }
)  # fmt: skip


#: Words of a column name that make it a summary of folds, not a fold's scores
_SUMMARY_WORDS = frozenset(
    {"std", "sd", "stdev", "stddev", "sem", "se", "stderr", "var", "variance", "ci", "lower",
     "upper", "min", "max", "count"}
)


#: Words of a column name that make it training scores or timings (scikit-learn's
#: ``train_score``, ``fit_time``), not a fold's held-out scores
_TRAIN_WORDS = frozenset({"train", "training", "trn"})
_TIME_WORDS = frozenset({"time", "times", "seconds", "secs", "duration", "elapsed"})


def _size_column(path: str, names: list[str], given: str | None, positional: bool) -> str:
    """Return the column of training sizes: ``--size-column``, else a usual name.

    Only a headerless file (``--no-header``, or pandas' names ``0, 1, ...``
    for an unnamed frame) has its sizes in the first column by position: a
    file headed ``rmse,n_train`` had its RMSEs fitted as the sizes and its
    row counts as the scores ("reachable, n=1089", exit 0).
    """
    if given is not None:
        if given in names:
            return given
        stripped = [n for n in names if str(n).strip() == given.strip()]
        if len(stripped) == 1:
            return stripped[0]
        raise ValueError(
            f"{path}: --size-column {given!r} is not a column; the columns are {names}"
        )
    if positional or names == [str(j) for j in range(len(names))]:
        return names[0]
    found = [n for n in names if _normal_name(n) in _SIZE_NAMES]
    if len(found) == 1:
        return found[0]
    if found:
        raise ValueError(
            f"{path}: columns {found} could each be the training sizes; say which with "
            "--size-column NAME"
        )
    raise ValueError(
        f"{path}: no column of training sizes among the columns {names}; name it 'size' "
        "(or n, n_train, n_samples, train_size) or say which with --size-column NAME"
    )


def _normal_name(name: str) -> str:
    return "_".join(str(name).strip().lower().replace("-", " ").split())


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
