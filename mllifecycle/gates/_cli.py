"""``mllifecycle gate``: decide in CI whether a challenger may replace the champion.

Exit status: 0 the challenger passed, 1 it failed, 2 bad input (one line on
stderr). Only :mod:`argparse` is imported at module level; the gates load in
:func:`run`.
"""

from __future__ import annotations

import argparse
from typing import Any

from mllifecycle._cli_seed import seed

__all__ = ["add_arguments", "run", "read_column_file"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``gate`` subcommand's options to ``parser``."""
    parser.add_argument(
        "--y-true",
        required=True,
        metavar="Y.csv",
        help="one column of true labels/values",
    )
    parser.add_argument(
        "--challenger",
        required=True,
        metavar="B.csv",
        help="the challenger's output: one column of labels/values/positive-class "
        "probabilities, or one column per class of probabilities",
    )
    parser.add_argument(
        "--champion",
        metavar="A.csv",
        help="the champion's output, same format (omit for a first model: only "
        "absolute gates then apply)",
    )
    parser.add_argument(
        "--metric",
        default="accuracy",
        help="metric name, e.g. accuracy, f1, log_loss, brier_score, roc_auc, "
        "mean_squared_error (default: accuracy)",
    )
    parser.add_argument(
        "--margin",
        type=float,
        default=0.0,
        help="tolerated loss (non-inferiority) or required gain (improvement), in "
        "the metric's units (default: 0)",
    )
    parser.add_argument(
        "--require",
        choices=["improvement", "non-inferiority"],
        default="non-inferiority",
        help="what the challenger must show against the champion (default: non-inferiority)",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        help="absolute floor (higher-is-better metrics) or ceiling (lower-is-better) "
        "on the challenger's metric; applies to a first model too",
    )
    parser.add_argument(
        "--slices", metavar="S.csv", help="one column of slice labels, one per example"
    )
    parser.add_argument(
        "--groups",
        metavar="G.csv",
        help="one column of group labels (user, patient, session), one per example: "
        "the bootstrap then resamples whole groups (rows of a group are not "
        "independent)",
    )
    parser.add_argument(
        "--min-slice-size",
        type=int,
        default=30,
        help="smallest slice judged (default: 30)",
    )
    parser.add_argument("--alpha", type=float, default=0.05, help="one-sided level (default: 0.05)")
    parser.add_argument(
        "--n-resamples",
        type=int,
        default=10_000,
        help="bootstrap resamples, at least 1/alpha (default: 10000)",
    )
    parser.add_argument("--seed", type=seed, default=0, help="bootstrap seed (default: 0)")
    heading = parser.add_mutually_exclusive_group()
    heading.add_argument(
        "--no-header",
        action="store_true",
        help="the files have no header row (by default their first row names the columns)",
    )
    heading.add_argument(
        "--header",
        action="store_true",
        help="the first row is a header even where it equals a label or is numbers "
        "(by default such a file is refused as ambiguous)",
    )
    parser.add_argument(
        "--sep", default=None, help="field delimiter of the files (default: detected)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def header_choice(args: Any) -> bool | None:
    """``--header`` -> True, ``--no-header`` -> False, neither -> None (refuse ambiguity)."""
    if getattr(args, "header", False):
        return True
    return False if args.no_header else None


def read_column_file(
    path: str,
    name: str,
    *,
    header: bool | None = True,
    sep: str | None = None,
    explicit_header: bool = False,
) -> tuple[list[str] | None, Any]:
    """Read a file of one or more columns; return (header or None, array).

    The command line's one reader of label and prediction files,
    :func:`mllifecycle._io.read_column_file` (imported when called, so this
    module stays light): with ``header=True`` the first row names the columns
    and a first row of numbers is refused, unless ``explicit_header=True``
    (``--header``) says it is a header; ``header=False`` for files without.
    An empty cell or empty line (a missing value) is refused naming the file
    and its line.
    """
    from mllifecycle._io import read_column_file as read

    return read(path, name, header=header, sep=sep, explicit_header=explicit_header)


def _text_values(values: Any) -> Any:
    """Describe a column read as text, saying why where numbers were written oddly.

    A cell such as ``"0,8"`` (quoted, in a comma-separated file) is a number
    with a decimal comma, read as text; the refusal said only "text values".
    """
    import numpy as np

    from mllifecycle._io import decimal_comma_number, grouped_number
    from mllifecycle._validation import described

    cells = np.asarray(values, dtype=object).ravel()
    comma = decimal_comma_number(cells) or grouped_number(cells)
    if comma is not None:
        return described(
            f"numbers written with a comma such as {comma!r} (a decimal comma or a "
            "thousands separator), read as text; write them with a decimal point and no "
            "thousands separator, or pass --sep ';' for a semicolon-separated file with "
            "decimal commas"
        )
    from mllifecycle._io import text_cell

    text = text_cell([str(c) for c in cells.tolist()])
    return described(f"text values such as {str(cells[0] if text is None else text)!r}")


def _model_output(
    path: str,
    name: str,
    y: Any,
    kind: str,
    header: bool | None,
    sep: str | None,
    explicit_header: bool = False,
) -> tuple[Any, Any]:
    """Return (predictions, probabilities) for one model's CSV."""
    import numpy as np

    from mllifecycle._validation import described, fail
    from mllifecycle.gates._context import _labels_from_proba

    names, values = read_column_file(
        path, name, header=header, sep=sep, explicit_header=explicit_header
    )
    if values.ndim == 2:
        if kind == "regression":  # was refused as "probabilities in [0, 1]"
            fail(name, "one column of predicted values for a regression metric",
                 described(f"{values.shape[1]} columns"))
        if values.dtype.kind not in "fi":
            fail(name, "numeric probabilities when it has several columns", _text_values(values))
        # float16/float32 columns (Parquet) keep their type: their rows may miss
        # 1 by its rounding (they were refused as float64)
        proba = values if values.dtype.kind == "f" else values.astype(np.float64)
        # a header naming the classes is read by name, by the library's one rule
        # (numbers by value, exactly beyond 2**53; "1_0" is no number); one
        # naming only some ("yes,maybe": "yes" became class "no" by position)
        # is refused, and one naming none is read in sorted class order
        from mllifecycle._frames import columns_by_class

        order = None if names is None else columns_by_class(
            names, np.unique(y).tolist(), name, "mllifecycle gate")
        if order is not None:
            proba = proba[:, order]
        from mllifecycle._validation import check_proba

        checked = check_proba(proba, name, "mllifecycle gate")
        return _labels_from_proba(y, checked, name), proba
    if kind in ("proba", "score"):
        if values.dtype.kind not in "fi":
            fail(name, "numeric probabilities for this metric", _text_values(values))
        proba = values if values.dtype.kind == "f" else values.astype(np.float64)
        from mllifecycle._validation import check_proba

        checked = check_proba(proba, name, "mllifecycle gate")
        if names is not None:
            # a column headed "no" holds P(no): read as P(yes), AUC became 1 - AUC
            # (the library's rule, as for a DataFrame column; "0" is let through)
            from mllifecycle.gates._metrics import _refuse_other_class

            values = np.unique(y).tolist()
            _refuse_other_class(
                names[0], values, [str(c) for c in values], None, name, "mllifecycle gate"
            )
        return _labels_from_proba(y, checked, name), proba
    if kind == "regression" and values.dtype.kind not in "fiu":
        # was the library's "numeric (... use a categorical test)", naming no cell
        fail(name, "numbers (predicted values) for a regression metric", _text_values(values))
    if kind == "label":
        from mllifecycle._io import match_label_types

        values = match_label_types(y, values)
    return values, None


def run(args: argparse.Namespace) -> int:
    """Run the gates; return 0 (passed), 1 (failed)."""
    import json

    from mllifecycle._validation import check_alpha, check_int, check_scalar
    from mllifecycle.gates import (
        GateContext,
        MetricThreshold,
        NoRegression,
        SignificantImprovement,
        SliceNoRegression,
        evaluate_gates,
    )
    from mllifecycle.gates._metrics import resolve_metric

    caller = "mllifecycle gate"
    spec = resolve_metric(args.metric, None, caller)
    margin = check_scalar(args.margin, "margin", caller=caller, low=0.0)
    alpha = check_alpha(args.alpha, caller=caller)
    from mllifecycle._io import check_n_resamples

    n_resamples = check_n_resamples(args.n_resamples, alpha, caller)
    header, sep = header_choice(args), args.sep
    said = bool(getattr(args, "header", False))  # --header: the first row is a header
    if not args.champion and args.threshold is None:
        raise ValueError(
            "nothing to decide: give --champion (compare with the deployed model) "
            "or --threshold (an absolute bound), or both"
        )
    _, y = read_column_file(args.y_true, "y_true", header=header, sep=sep, explicit_header=said)
    if y.ndim != 1:
        from mllifecycle._validation import described, fail

        fail("y_true", "a CSV file of one column", described(f"{y.shape[1]} columns"))
    if spec.kind == "regression" and y.dtype.kind not in "fi":
        from mllifecycle._validation import described, fail

        fail("y_true", f"numbers for metric {spec.name!r}", _text_values(y))
    chal, chal_proba = _model_output(args.challenger, "challenger", y, spec.kind, header, sep, said)
    champ, champ_proba = (None, None)
    if args.champion:
        champ, champ_proba = _model_output(
            args.champion, "champion", y, spec.kind, header, sep, said
        )
    slices = None
    if args.slices:
        _, slices = read_column_file(
            args.slices, "slices", header=header, sep=sep, explicit_header=said
        )
        if slices.ndim != 1:
            from mllifecycle._validation import described, fail

            fail(
                "slices",
                "a CSV file of one column",
                described(f"{slices.shape[1]} columns"),
            )
    groups = None
    if getattr(args, "groups", None):
        _, groups = read_column_file(
            args.groups, "groups", header=header, sep=sep, explicit_header=said
        )
        if groups.ndim != 1:
            from mllifecycle._validation import described, fail

            fail(
                "groups",
                "a CSV file of one column",
                described(f"{groups.shape[1]} columns"),
            )
    ctx = GateContext(
        y_true=y,
        challenger=chal,
        champion=champ,
        challenger_proba=chal_proba,
        champion_proba=champ_proba,
        slices=slices,
        groups=groups,
        rng=args.seed,
    )
    gates: list[Any] = []
    if args.threshold is not None:
        bound = check_scalar(args.threshold, "threshold", caller=caller)
        if spec.higher_is_better:
            gates.append(MetricThreshold(spec.name, minimum=bound))
        else:
            gates.append(MetricThreshold(spec.name, maximum=bound))
    if args.require == "improvement":
        gates.append(
            SignificantImprovement(spec.name, margin=margin, alpha=alpha, n_resamples=n_resamples)
        )
    else:
        gates.append(NoRegression(spec.name, margin=margin, alpha=alpha, n_resamples=n_resamples))
    if slices is not None:
        import numpy as np

        from mllifecycle._levels import min_resamples

        min_size = check_int(args.min_slice_size, "min_slice_size", caller=caller, low=2)
        # 2000 resamples per slice, or what Holm needs for the slices judged
        # (a slice regressing alone among k is flagged with k/alpha or more),
        # within --n-resamples: with 2000 fixed, no slice among more than 100
        # could be flagged (the gate now refuses that), whatever --n-resamples said
        _, counts = np.unique(ctx.slices, return_counts=True)
        judged = max(int(np.count_nonzero(counts >= min_size)), 1)
        per_slice = min(n_resamples, max(2000, min_resamples(alpha / judged)))
        gates.append(
            SliceNoRegression(
                spec.name,
                margin=margin,
                alpha=alpha,
                min_slice_size=min_size,
                n_resamples=per_slice,
            )
        )
    report = evaluate_gates(gates, ctx)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(repr(report))
    return 0 if report.passed else 1
