"""mllifecycle: keep supervised models fit for purpose after they ship.

Small, composable primitives on NumPy, SciPy, scikit-learn and attrs:

- :mod:`mllifecycle.drift`: two-sample drift tests, fitted references and
  streaming change detectors (:mod:`mllifecycle.drift.stream`);
- :mod:`mllifecycle.estimate`: model performance estimated without labels;
- :mod:`mllifecycle.policies`: when to retrain, and on which data;
- :mod:`mllifecycle.gates`: may the challenger replace the champion;
- :mod:`mllifecycle.augment`: more training data from little;
- :mod:`mllifecycle.labels`: labels from weak sources (labelling functions, a
  label model, crowd aggregation), wrong-label detection, active learning,
  self-training;
- :mod:`mllifecycle.transfer`: pretrain-then-finetune and covariate-shift tools;
- :mod:`mllifecycle.replay`: the lifecycle loop backtested over a stream;
- :mod:`mllifecycle.twotier`: a global batch model with per-key local models;
- :mod:`mllifecycle.budget`: training resources planned with intervals;
- :mod:`mllifecycle.store`: a model registry with lineage and gated promotion,
  and a label queue (embedded SQLite, or PostgreSQL);
- :mod:`mllifecycle.datasets`: seeded drifting streams with known change points.

Subpackages load lazily: ``import mllifecycle`` imports neither scikit-learn
nor :mod:`scipy.stats`.

Examples
--------
>>> import mllifecycle
>>> mllifecycle.__version__
'0.1.0'
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_submodules = [
    "augment",
    "budget",
    "datasets",
    "drift",
    "estimate",
    "exceptions",
    "gates",
    "labels",
    "policies",
    "protocols",
    "replay",
    "store",
    "testing",
    "transfer",
    "twotier",
]

__all__ = ["__version__", *_submodules]


def __getattr__(name: str) -> Any:
    if name in _submodules:
        return importlib.import_module(f"mllifecycle.{name}")
    raise AttributeError(f"module 'mllifecycle' has no attribute {name!r}")


def __dir__() -> list[str]:
    return list(__all__)
