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

__all__ = ["add_arguments", "run"]


def _add_aggregate(p: argparse.ArgumentParser) -> None:
    from mllifecycle.labels._crowd import METHODS

    p.add_argument("answers", metavar="ANSWERS.csv",
                   help="one answer per row, with a header row naming the task, worker "
                        "and label columns (see --columns, --no-header)")
    p.add_argument("--method", default="dawid-skene",
                   choices=sorted(m.replace("_", "-") for m in METHODS),
                   help="aggregation method (default: dawid-skene)")
    p.add_argument("--columns", default="task,worker,label", metavar="T,W,L",
                   help="names of the task, worker and label columns "
                        "(default: task,worker,label)")
    p.add_argument("--no-header", action="store_true",
                   help="ANSWERS.csv has no header: its first three columns are task, "
                        "worker, label")
    p.add_argument("--gold", metavar="G.csv",
                   help="known labels for some tasks: two columns, task and label")
    p.add_argument("--duplicates", default="raise", choices=["raise", "first", "last", "keep"],
                   help="several answers by one worker on one task: refuse (default), keep "
                        "the first or last, or keep all")
    p.add_argument("--min-gold-accuracy", type=float, metavar="A",
                   help="exit 1 when the accuracy on the gold tasks is below A")
    p.add_argument("--output", "-o", metavar="OUT.csv",
                   help="write task,label,confidence here (default: standard output)")
    p.add_argument("--seed", type=int, default=0, help="seed for ties and restarts (default: 0)")
    p.add_argument("--json", action="store_true",
                   help="print the result (summary, workers, tasks) as JSON")


def _read_csv(path: str, name: str) -> list[list[str]]:
    import csv

    from mllifecycle._validation import described, fail

    try:
        with open(path, newline="") as fh:
            rows = [[f.strip() for f in r] for r in csv.reader(fh) if any(f.strip() for f in r)]
    except UnicodeDecodeError as exc:
        fail(name, "a UTF-8 CSV file", described(f"{path!r} ({exc.reason})"))
    if not rows:
        fail(name, "a CSV file with at least one row", described(f"empty file {path!r}"))
    return rows


def _answers_table(path: str, columns: list[str], no_header: bool) -> dict[str, list[str]]:
    from mllifecycle._validation import described, fail

    rows = _read_csv(path, "answers")
    header = rows[0]
    if no_header:
        if len(header) < 3:
            fail("answers", "at least three columns (task, worker, label)",
                 described(f"{len(header)} in {path!r}"))
        idx = [0, 1, 2]
        body = rows
    elif all(c in header for c in columns):
        idx = [header.index(c) for c in columns]
        body = rows[1:]
    else:
        fail("answers", f"a header row naming the columns {columns} (pass --columns "
             "T,W,L to name others, or --no-header)",
             described(f"the first row {header} of {path!r}"))
    width = len(rows[0])
    for i, r in enumerate(body):
        if len(r) != width:
            fail("answers", f"rows of {width} fields",
                 described(f"{len(r)} fields on data row {i + 1} of {path!r}"))
        if any(r[j] == "" for j in idx):
            fail("answers", "no empty task, worker or label fields (drop unanswered rows)",
                 described(f"an empty field on data row {i + 1} of {path!r}"))
    return {c: [r[j] for r in body] for c, j in zip(columns, idx, strict=True)}


def _gold_table(path: str, task: str, label: str) -> dict[str, str]:
    from mllifecycle._validation import described, fail

    rows = _read_csv(path, "gold")
    if rows[0] in ([task, label], ["task", "label"]):
        rows = rows[1:]
    bad = [r for r in rows if len(r) != 2]
    if bad:
        fail("gold", "a CSV of two columns (task, label)", described(f"the row {bad[0]}"))
    return {r[0]: r[1] for r in rows}


def _run_aggregate(args: argparse.Namespace) -> int:
    import csv
    import json
    import sys

    from mllifecycle._results import jsonable
    from mllifecycle._validation import check_probability, described, fail
    from mllifecycle.labels._crowd import aggregate

    columns = [c.strip() for c in args.columns.split(",")]
    if len(columns) != 3 or len(set(columns)) != 3 or "" in columns:
        fail("columns", "three distinct comma-separated names", args.columns)
    answers = _answers_table(args.answers, columns, args.no_header)
    if not answers[columns[0]]:
        fail("answers", "at least one answer", described(f"only a header in {args.answers!r}"))
    gold = _gold_table(args.gold, columns[0], columns[2]) if args.gold else None
    threshold = None
    if args.min_gold_accuracy is not None:
        threshold = check_probability(args.min_gold_accuracy, "min_gold_accuracy")
        if gold is None:
            fail("min_gold_accuracy", "used together with --gold", args.min_gold_accuracy)
    kwargs: dict[str, Any] = {"columns": tuple(columns), "gold": gold,
                              "duplicates": args.duplicates, "rng": args.seed}
    res = aggregate(answers, method=args.method, **kwargs)
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
        finally:
            if args.output:
                fh.close()
        if args.output and not args.json:
            print(repr(res))
    if threshold is not None and res.gold_accuracy is not None and res.gold_accuracy < threshold:
        print(f"mllifecycle labels aggregate: gold accuracy {res.gold_accuracy:.4g} "
              f"below {threshold:.4g}", file=sys.stderr)
        return 1
    return 0


# name -> (add_arguments, run, one-line help); other sub-subcommands register here
_SUBCOMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None],
                              Callable[[argparse.Namespace], int], str]] = {
    "aggregate": (_add_aggregate, _run_aggregate,
                  "aggregate crowd answers (task, worker, label) into one label per task"),
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
