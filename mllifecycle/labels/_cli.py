"""``mllifecycle labels``: label tools on the command line.

Sub-subcommands live in ``_SUBCOMMANDS`` (name -> (add_arguments, run, help));
``aggregate`` aggregates a CSV of crowd answers. Exit status: 0 success, 1 the
gold accuracy fell below ``--min-gold-accuracy``, 2 bad input (one line on
stderr). Only :mod:`argparse` is imported at module level.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from mllifecycle._cli_seed import seed

__all__ = ["add_arguments", "run"]


def _add_aggregate(p: argparse.ArgumentParser) -> None:
    from mllifecycle.labels._crowd import METHODS

    p.add_argument("answers", metavar="ANSWERS.csv",
                   help="one answer per row, with a header row naming the task, worker "
                        "and label columns (see --columns, --no-header); CSV, TSV, "
                        "JSON or Parquet")
    p.add_argument("--method", default="dawid-skene",
                   choices=sorted(m.replace("_", "-") for m in METHODS),
                   help="aggregation method (default: dawid-skene)")
    p.add_argument("--columns", default="task,worker,label", metavar="T,W,L",
                   help="names of the task, worker and label columns "
                        "(default: task,worker,label)")
    p.add_argument("--no-header", action="store_true",
                   help="ANSWERS.csv has no header: its first three columns are task, "
                        "worker, label")
    p.add_argument("--sep", default=None,
                   help="field delimiter of the files (default: detected)")
    p.add_argument("--gold", metavar="G.csv",
                   help="known labels for some tasks: two columns with a header row, task "
                        "and label (a first row naming a task of the answers is refused)")
    p.add_argument("--duplicates", default="raise", choices=["raise", "first", "last", "keep"],
                   help="several answers by one worker on one task: refuse (default), keep "
                        "the first or last, or keep all")
    p.add_argument("--min-gold-accuracy", type=float, metavar="A",
                   help="exit 1 when the accuracy on the gold tasks is below A")
    p.add_argument("--output", "-o", metavar="OUT.csv",
                   help="write task,label,confidence here (default: standard output)")
    p.add_argument("--seed", type=seed, default=0, help="seed for ties and restarts (default: 0)")
    p.add_argument("--json", action="store_true",
                   help="print the result (summary, workers, tasks) as JSON")


def _ids(values: Any, path: str, column: str, written: list[Any] | None = None) -> Any:
    """Numbers that are whole become ints (ids and labels print as written).

    A column with an integer written with leading zeros (``001``) is kept as
    the text written (``written``, the cells as in the file): read as numbers,
    task ``001`` was printed as ``1`` and merged with a task ``1``. Dates are
    kept as written too (``2024-01-05`` was printed ``2024-01-05T00:00:00.000000``).
    """
    import re

    import numpy as np

    if written is not None and (values.dtype.kind == "M" or (values.dtype.kind in "iuf" and any(
        isinstance(c, str) and re.fullmatch(_ZERO_PADDED, c) for c in written
    ))):
        values = np.array(written, dtype=object)
    if values.dtype.kind == "f":
        if np.isnan(values).any():
            raise ValueError(f"{path}: empty cell(s) in column {column!r} (drop unanswered rows)")
        if np.isinf(values).any():  # a label or task "inf" beside numbers made every one a float
            cell = values[np.isinf(values)][0]
            raise ValueError(
                f"{path}: column {column!r} holds {str(cell)!r} (an infinite number) among "
                "numbers; expected finite numbers (task ids, worker ids, labels)"
            )
        from mllifecycle._io import whole_numbers

        if whole_numbers(values):  # not 1e19: beyond int64, every such id became one
            return values.astype(np.int64)
        return values
    if values.dtype.kind == "M":
        return values.astype(str)
    if any(v is None for v in values.tolist()):
        raise ValueError(f"{path}: empty cell(s) in column {column!r} (drop unanswered rows)")
    from mllifecycle._io import refuse_numbers_written_two_ways

    refuse_numbers_written_two_ways(path, column, values)
    return values


_ZERO_PADDED = r"[+-]?0\d+"  # an integer written with leading zeros (a code)


def _as_written(path: str, sep: str | None, header: bool) -> dict[str, Any]:
    """Return the file's cells as written (text; None missing), for ids kept as written.

    Parquet files keep their own types (an empty mapping: nothing to keep).
    """
    from mllifecycle._io import read_table

    table = read_table(path, sep=sep, header=header, as_written=True)
    return {k: v for k, v in table.items() if v.dtype.kind == "O"}


def _answers_table(path: str, columns: list[str], no_header: bool, sep: str | None
                   ) -> dict[str, Any]:
    from mllifecycle._io import read_table

    table = read_table(path, sep=sep, header=not no_header)
    written = _as_written(path, sep, not no_header)
    if no_header:
        if len(table) < 3:
            raise ValueError(f"{path}: {len(table)} column(s); expected at least three "
                             "(task, worker, label)")
        names = list(table)[:3]
        first = [str(table[n][0]).strip().lower() for n in names]
        if first == [c.lower() for c in columns]:
            # a header read as an answer: task "task" got the label "label" (exit 0)
            raise ValueError(f"{path}: the first row {','.join(str(table[n][0]) for n in names)!r} "
                             "names the columns (task, worker, label), so the file has a "
                             "header row; drop --no-header")
        from mllifecycle._io import header_read_as_data

        found = header_read_as_data({n: table[n] for n in names})
        if found is not None:  # a header with other names than --columns
            raise ValueError(f"{path}: with --no-header the first row is an answer, but its "
                             f"{found[1]!r} (column {int(found[0]) + 1}) sits above numbers, "
                             "like a header; drop --no-header (and name the columns with "
                             "--columns)")
    else:
        missing = [c for c in columns if c not in table]
        if missing:
            raise ValueError(f"{path}: no column(s) {missing} in the header {list(table)}; "
                             "name the columns with --columns T,W,L (or pass --no-header)")
        names = columns
        from mllifecycle._io import header_read_as_data

        found = header_read_as_data({n: table[n] for n in names})
        if found is not None:  # a second header row: a task 'id' labelled 'class' (exit 0)
            raise ValueError(f"{path}: the first answer's {found[1]!r} (column {found[0]!r}) "
                             "sits above numbers, like a second header row; keep one "
                             "header row")
    return {c: _ids(table[n], path, n, written.get(n)) for c, n in zip(columns, names, strict=True)}


def _gold_table(path: str, task: str, label: str, sep: str | None,
                tasks: Any = None, labels: Any = None) -> dict[Any, Any]:
    from mllifecycle._io import read_table

    table = read_table(path, sep=sep)
    written = _as_written(path, sep, True)
    if len(table) != 2:
        raise ValueError(f"{path}: {len(table)} column(s); expected two (task, label) "
                         "with a header row")
    named = task in table and label in table
    t_name, l_name = (task, label) if named else list(table)
    if not named and tasks is not None and t_name in {str(t) for t in tasks.tolist()}:
        # a gold file without a header lost its first gold task to the header
        raise ValueError(f"{path}: the first row {t_name + ',' + l_name!r} names task "
                         f"{t_name!r} of the answers, so it is data, not a header; give the "
                         f"gold file a header row ({task},{label})")
    ids = _ids(table[t_name], path, t_name, written.get(t_name))
    labs = _ids(table[l_name], path, l_name, written.get(l_name))
    if tasks is not None:
        ids = _typed_like(ids, tasks)
    if labels is not None:
        labs = _typed_like(labs, labels)
    return dict(zip(ids.tolist(), labs.tolist(), strict=True))


def _typed_like(values: Any, answers: Any) -> Any:
    """Gold numbers as text where the answers' column is text (``1`` is the label ``"1"``).

    Each file's column is typed on its own: a gold file of ``1``, ``2`` beside
    answers labelled ``1``, ``2``, ``x`` (text) was refused as unknown labels.
    """
    import numpy as np

    if answers.dtype == object and values.dtype.kind in "iuf":
        return np.array([str(v) for v in values.tolist()], dtype=object)
    return values


def _distinct(value: float, bound: float) -> tuple[str, str]:
    """Format two numbers with the fewest digits (at least 4) that tell them apart.

    At four digits a gold accuracy of 0.93333 below a minimum of 0.93334
    read "gold accuracy 0.9333 below 0.9333".
    """
    for d in range(4, 18):
        a, b = f"{value:.{d}g}", f"{bound:.{d}g}"
        if a != b:
            return a, b
    return repr(value), repr(bound)


def _run_aggregate(args: argparse.Namespace) -> int:
    import csv
    import json
    import sys

    from mllifecycle._results import jsonable
    from mllifecycle._validation import check_probability, fail
    from mllifecycle.labels._crowd import aggregate

    columns = [c.strip() for c in args.columns.split(",")]
    if len(columns) != 3 or len(set(columns)) != 3 or "" in columns:
        fail("columns", "three distinct comma-separated names", args.columns)
    if args.output:
        from mllifecycle._io import check_output_path

        check_output_path(args.output, "--output")
    answers = _answers_table(args.answers, columns, args.no_header, args.sep)
    gold = (_gold_table(args.gold, columns[0], columns[2], args.sep, answers[columns[0]],
                        answers[columns[2]])
            if args.gold else None)
    threshold = None
    if args.min_gold_accuracy is not None:
        threshold = check_probability(args.min_gold_accuracy, "min_gold_accuracy")
        if gold is None:
            fail("min_gold_accuracy", "used together with --gold", args.min_gold_accuracy)
    kwargs: dict[str, Any] = {"columns": tuple(columns), "gold": gold,
                              "duplicates": args.duplicates, "rng": args.seed}
    from mllifecycle.exceptions import InvalidParameterError

    try:
        res = aggregate(answers, method=args.method, **kwargs)
    except InvalidParameterError as exc:
        text = str(exc)
        if "(or pass classes=)" not in text:
            raise
        # the command has no classes option: it read the classes from the answers
        raise InvalidParameterError(text.replace(
            "(or pass classes=)", f"(the command reads the classes from the answers in "
            f"{args.answers})")) from None
    if threshold is not None and not res.n_gold:
        # gold for tasks nobody answered is ignored: with none left there is no
        # gold accuracy to check, and the missing check passed (exit 0)
        raise ValueError(f"{args.gold}: none of its {len(gold or {})} task(s) is a task of "
                         f"{args.answers}, so --min-gold-accuracy cannot be checked")
    conf = res.confidence
    if args.json:
        summary = ("method", "classes", "prior", "n_tasks", "n_workers", "n_answers", "n_iter",
                   "converged", "log_likelihood", "n_gold", "gold_accuracy")
        out = {
            **{k: getattr(res, k) for k in summary},
            "workers": [
                {"worker": str(w), "skill": float(s), "spammer_score": float(sp),
                 "n_answers": int(n)}
                for w, s, sp, n in zip(res.workers, res.skills, res.spammer_score,
                                       res.worker_n_answers, strict=True)
            ],
            "tasks": [{"task": str(t), "label": str(lab), "confidence": float(c)}
                      for t, lab, c in zip(res.tasks, res.labels, conf, strict=True)],
        }
        print(json.dumps(jsonable(out), indent=2))
    if args.output or not args.json:
        fh = open(args.output, "w", newline="") if args.output else sys.stdout  # noqa: SIM115
        try:
            w = csv.writer(fh)
            w.writerow(["task", "label", "confidence"])
            for t, lab, c in zip(res.tasks, res.labels, conf, strict=True):
                w.writerow([t, lab, f"{c:.6g}"])
            fh.flush()  # piped into `head`, mllifecycle.cli drops the rest quietly
        finally:
            if args.output:
                fh.close()
        if args.output and not args.json:
            print(repr(res))
    if threshold is not None and res.gold_accuracy is not None and res.gold_accuracy < threshold:
        acc_text, min_text = _distinct(res.gold_accuracy, threshold)
        print(f"mllifecycle labels aggregate: gold accuracy {acc_text} "
              f"below {min_text}", file=sys.stderr)
        return 1
    return 0


# name -> (add_arguments, run, one-line help); other sub-subcommands register here
def _add_serve(parser: argparse.ArgumentParser) -> None:
    # the labelling endpoint lives with the label queue, in mllifecycle.store;
    # like mllifecycle.cli, reach the command module by name (it loads only
    # the standard library until the server starts)
    import importlib

    importlib.import_module("mllifecycle.store._serve").add_arguments(parser)


def _run_serve(args: argparse.Namespace) -> int:
    import importlib
    import os

    from mllifecycle._validation import described, fail

    # URL schemes are case-insensitive (SQLITE:///x.db is a file), as the store reads them
    path = importlib.import_module("mllifecycle.store._db").sqlite_file(
        args.store, "labels serve", "store"
    )
    if path is not None and not os.path.exists(os.path.expanduser(path)):
        # as in `registry`: a typo must not create (and serve) a new, empty store
        fail("store", "an existing store file or a database URL", described(f"no file {path!r}"),
             "labels serve")

    return int(importlib.import_module("mllifecycle.store._serve").run(args))


_SUBCOMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None],
                              Callable[[argparse.Namespace], int], str]] = {
    "aggregate": (_add_aggregate, _run_aggregate,
                  "aggregate crowd answers (task, worker, label) into one label per task"),
    "serve": (_add_serve, _run_serve,
              "serve the label queue of a store over HTTP (JSON API and a labelling page)"),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``labels`` subcommand's sub-subcommands to ``parser``."""
    sub = parser.add_subparsers(dest="labels_command", metavar="SUBCOMMAND")
    for name, (add, runner, help_text) in _SUBCOMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        add(p)
        p.set_defaults(_labels_run=runner)
    parser.set_defaults(_labels_parser=parser)


def run(args: argparse.Namespace) -> int:
    """Run the chosen ``labels`` sub-subcommand; return the exit status."""
    runner = getattr(args, "_labels_run", None)
    if runner is None:
        args._labels_parser.print_help()
        return 2
    return int(runner(args))
