"""Durable lifecycle state: a model registry with lineage, and a label queue.

One :class:`Store` holds both: an embedded SQLite file by default (standard
library only; WAL, one transaction per change, schema migrations), or a
PostgreSQL server through a SQLAlchemy URL for a team (``pip install
'mllifecycle[store-server]'``), with the same code.

- :class:`Registry`: :meth:`~Registry.register` a model with its lineage
  (training-data :func:`fingerprint`, drift ``Reference``, the policy
  decision, parent, package versions), written with skops, content-addressed
  and checksummed; :meth:`~Registry.promote` runs
  :func:`mllifecycle.gates.evaluate_gates` and moves the champion only on a
  pass; :meth:`~Registry.rollback`, :meth:`~Registry.champion`,
  :meth:`~Registry.history`. ``mllifecycle registry ...`` on the command line.
- :class:`LabelQueue`: prioritised labelling tasks, leased to one worker at a
  time, answered, resolved by vote (or :mod:`mllifecycle.labels` aggregation)
  and exported for training.
- :func:`portfolio`: learning types, labels, retrain cadence and cost across
  the registered models.
- :func:`serve` / :func:`create_app`: a JSON endpoint and a minimal labelling
  page over a label queue (Starlette + uvicorn, ``pip install
  'mllifecycle[serve]'``).

SQLAlchemy and skops are imported only when used.
"""

from __future__ import annotations

from mllifecycle.store._artifacts import DataFingerprint, fingerprint
from mllifecycle.store._db import Store
from mllifecycle.store._errors import (
    IntegrityError,
    LeaseError,
    NotFoundError,
    SchemaVersionError,
    StoreError,
    UntrustedModelError,
)
from mllifecycle.store._portfolio import ModelSummary, PortfolioReport, portfolio
from mllifecycle.store._queue import LabelQueue, LabelTask, majority_vote
from mllifecycle.store._registry import (
    LEARNING_TYPES,
    ModelVersion,
    PromotionResult,
    Registry,
    RegistryEvent,
)
from mllifecycle.store._serve import create_app, serve

__all__ = [
    "Store",
    "Registry",
    "ModelVersion",
    "RegistryEvent",
    "PromotionResult",
    "LEARNING_TYPES",
    "fingerprint",
    "DataFingerprint",
    "LabelQueue",
    "LabelTask",
    "majority_vote",
    "portfolio",
    "PortfolioReport",
    "ModelSummary",
    "create_app",
    "serve",
    "StoreError",
    "NotFoundError",
    "IntegrityError",
    "UntrustedModelError",
    "LeaseError",
    "SchemaVersionError",
]
