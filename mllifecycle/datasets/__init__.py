"""Seeded synthetic data with known change points, for tests, benchmarks and docs.

Every generator takes ``rng`` and returns the same data for the same seed on
every platform.
"""

from __future__ import annotations

# --- streams for change detectors (mllifecycle.drift.stream) ----------------
from mllifecycle.datasets._streams import (
    ChangeStream,
    bernoulli_stream,
    mean_shift_stream,
    variance_shift_stream,
)

# isort: split
# --- drifting classification streams (mllifecycle.replay) -------------------
from mllifecycle.datasets._classification import (
    ClassificationStream,
    agrawal_stream,
    gaussian_stream,
    hyperplane_stream,
    sea_stream,
)

# isort: split
# --- keyed streams (mllifecycle.twotier) -------------------------------------
from mllifecycle.datasets._personal import PersonalStream, personalization_stream

__all__: list[str] = [
    # streams for change detectors
    "ChangeStream",
    "mean_shift_stream",
    "variance_shift_stream",
    "bernoulli_stream",
    # drifting classification streams
    "ClassificationStream",
    "sea_stream",
    "hyperplane_stream",
    "agrawal_stream",
    "gaussian_stream",
    # keyed streams
    "PersonalStream",
    "personalization_stream",
]
