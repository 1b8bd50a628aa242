"""Generate the Parquet partitions for benchmarks/dask_drift.py (not run by the suite).

Two data sets, ``reference/`` and ``current/``, each ``N_FILES`` files of
``ROWS_PER_FILE`` rows x 10 float32 columns (1e8 rows x 10 = 4 GB each at the
defaults). The current data drift in columns ``x0`` (shift 0.01) and ``x1``
(scale 1.01); the others are identically distributed.

    python benchmarks/dask_drift_data.py /work/bench-data 100
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROWS_PER_FILE = 1_000_000
N_COLUMNS = 10


def write(root: Path, n_files: int) -> None:
    for kind, seed in (("reference", 1), ("current", 2)):
        d = root / kind
        d.mkdir(parents=True, exist_ok=True)
        for i in range(n_files):
            path = d / f"part-{i:04d}.parquet"
            if path.exists():
                continue
            rng = np.random.default_rng([seed, i])
            x = rng.standard_normal((N_COLUMNS, ROWS_PER_FILE), dtype=np.float32)
            if kind == "current":
                x[0] += np.float32(0.01)
                x[1] *= np.float32(1.01)
            table = pa.table({f"x{j}": x[j] for j in range(N_COLUMNS)})
            tmp = path.with_suffix(".tmp")
            pq.write_table(table, tmp, compression="none")
            tmp.rename(path)


if __name__ == "__main__":
    write(Path(sys.argv[1]), int(sys.argv[2]))
