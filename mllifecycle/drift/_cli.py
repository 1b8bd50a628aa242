"""``mllifecycle drift``: compare two CSV files column by column.

Exit status: 0 no drift, 1 drift, 2 bad input (one line on stderr, from
:func:`mllifecycle.cli.main`). Top-level imports are light; NumPy and the
tests load when the command runs.
"""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_arguments", "run"]

_TESTS = (
    "auto",
    "ks",
    "cramer_von_mises",
    "anderson_darling",
    "wasserstein",
    "chi_square",
    "psi",
    "jensen_shannon",
    "hellinger",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``drift`` subcommand's arguments to ``parser``."""
    parser.add_argument(
        "reference",
        nargs="?",
        metavar="REFERENCE.csv",
        help="reference data: CSV with a header row of column names",
    )
    parser.add_argument(
        "current",
        nargs="?",
        metavar="CURRENT.csv",
        help="current data: CSV with the same columns",
    )
    parser.add_argument(
        "--alpha",
        type=float,
        default=0.05,
        help="family-wise significance level (default 0.05)",
    )
    parser.add_argument(
        "--correction",
        default="holm",
        help="holm (default), bonferroni, fdr_bh or none",
    )
    parser.add_argument(
        "--test",
        default="auto",
        metavar="NAME",
        help="test for every column: "
        + ", ".join(_TESTS)
        + " (default auto: ks for numbers, chi_square for categories)",
    )
    parser.add_argument(
        "--min-effect",
        type=float,
        default=None,
        help="also require this effect size for a detection",
    )
    parser.add_argument(
        "--nan-policy",
        default="raise",
        choices=("raise", "omit"),
        help="empty cells: raise (default) or omit them per column",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed for permutation tests (default 0)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--example", action="store_true", help="run on built-in data with a known shift"
    )


def _read_csv(path: str) -> dict[str, Any]:
    """Read a CSV with a header row; numeric columns become float arrays."""
    import csv

    import numpy as np

    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    if not rows or not any(c.strip() for c in rows[0]):
        raise ValueError(f"{path}: empty file; expected a header row of column names")
    header = [c.strip() for c in rows[0]]
    if len(set(header)) != len(header):
        raise ValueError(f"{path}: duplicate column names in the header")
    body = [r for r in rows[1:] if r and any(c.strip() for c in r)]
    for i, r in enumerate(body, start=2):
        if len(r) != len(header):
            raise ValueError(
                f"{path}: line {i} has {len(r)} field(s); the header has {len(header)}"
            )
    out: dict[str, Any] = {}
    for j, name in enumerate(header):
        cells = [r[j].strip() for r in body]
        try:
            out[name] = np.array([float(c) if c else np.nan for c in cells], dtype=float)
        except ValueError:
            out[name] = np.array([c if c else None for c in cells], dtype=object)
    return out


def _example() -> tuple[dict[str, Any], dict[str, Any]]:
    """Seeded built-in data: income and channel shift, age and tenure do not."""
    import numpy as np

    rng = np.random.default_rng(20240601)
    channels = np.array(["web", "store", "phone"], dtype=object)

    def sample(n: int, income_scale: float, channel_p: list[float]) -> dict[str, Any]:
        return {
            "age": rng.normal(40.0, 10.0, n).round(),
            "income": rng.lognormal(10.0, 0.5, n) * income_scale,
            "tenure": rng.poisson(3.0, n).astype(float),
            "channel": channels[rng.choice(3, size=n, p=channel_p)],
        }

    ref = sample(2000, 1.0, [0.5, 0.3, 0.2])
    cur = sample(1000, 1.25, [0.65, 0.2, 0.15])
    return ref, cur


def run(args: argparse.Namespace) -> int:
    """Run ``mllifecycle drift``; return 0 (no drift), 1 (drift); raise on bad input."""
    import json

    from mllifecycle.drift import detect

    if args.example:
        ref, cur = _example()
    else:
        if not args.reference or not args.current:
            raise ValueError("give REFERENCE.csv and CURRENT.csv (or --example)")
        ref, cur = _read_csv(args.reference), _read_csv(args.current)
        if list(ref) != list(cur):
            raise ValueError(
                f"the columns differ: {args.reference} has {list(ref)[:5]}, "
                f"{args.current} has {list(cur)[:5]}"
            )
    correction = None if str(args.correction).lower() == "none" else args.correction
    report = detect(
        ref,
        cur,
        tests=args.test,
        alpha=args.alpha,
        correction=correction,
        min_effect=args.min_effect,
        nan_policy=args.nan_policy,
        rng=args.seed,
    )
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report)
    return 1 if report.drift_detected else 0
