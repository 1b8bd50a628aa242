"""Seeded synthetic data with known change points, for tests, benchmarks and docs.

Every generator takes ``rng`` and returns the same data for the same seed on
every platform.
"""

from __future__ import annotations

# --- streams for change detectors (mllifecycle.drift.stream) ----------------
# --- drifting classification streams (mllifecycle.replay) -------------------
from mllifecycle.datasets._classification import (
    ClassificationStream,
    agrawal_stream,
    gaussian_stream,
    hyperplane_stream,
    sea_stream,
)

__all__: list[str] = [
    # drifting classification streams
    "ClassificationStream",
    "sea_stream",
    "hyperplane_stream",
    "agrawal_stream",
    "gaussian_stream",
]
