"""Rebuild benchmarks/RESULTS.md from the per-capability files in benchmarks/results/.

Each benchmark script (or its author) writes benchmarks/results/<name>.md; this
script concatenates them under one header so RESULTS.md is the single record.
Run: python benchmarks/assemble_results.py
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = [
    "summary", "drift_batch", "drift_scaling", "drift_calibration", "drift_stream", "gates",
    "gates_calibration", "replay", "policies", "estimate", "augment", "transfer", "labels",
    "label_issues", "active", "store", "budget", "twotier", "dask_drift",
]

HEADER = """# Benchmark results

Each section records the machine, library versions, the exact command, the
number of runs and their min/median/max. Ratios compare mllifecycle with the
strongest baseline a user would pick (the peer library and the plain
vectorised NumPy/SciPy version), on the same data in the same run, answers
checked equal first; no ratio is extrapolated. Runs of 2026-11-26 were made on
a 2-core Intel Xeon, runs of 2026-12-04 on a 2-core AMD EPYC (Python 3.11.7,
NumPy 2.4.6, SciPy 1.17.1, scikit-learn 1.9.1), many of them while other jobs
shared the CPU (each section gives its load average), so absolute times are
upper bounds. The first section lists every goal and whether it was met.

This file is assembled from `benchmarks/results/*.md` by
`python benchmarks/assemble_results.py`; edit those files, not this one.
"""


def main() -> None:
    parts = [HEADER]
    names = ORDER + sorted(p.stem for p in (HERE / "results").glob("*.md") if p.stem not in ORDER)
    for name in names:
        path = HERE / "results" / f"{name}.md"
        if not path.exists():
            continue
        text = path.read_text().strip()
        # shift headings so each file's top heading is a section (##) here,
        # whatever level its file starts at
        raw = text.splitlines()
        levels = [len(ln) - len(ln.lstrip("#")) for ln in raw if ln.startswith("#")]
        shift = 2 - min(levels) if levels else 0
        lines = [
            "#" * (len(ln) - len(ln.lstrip("#")) + shift) + ln.lstrip("#")
            if ln.startswith("#")
            else ln
            for ln in raw
        ]
        parts.append("\n".join(lines))
    (HERE / "RESULTS.md").write_text("\n\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
