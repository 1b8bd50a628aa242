"""Cheaper labels: labelling functions, a label model, and crowd aggregation.

Two ways to get training labels without an expert labelling every example:

- **Weak supervision**: write heuristics as labelling functions (plain
  callables returning a class or :data:`ABSTAIN`), :func:`apply` them to get
  a label matrix, inspect it with :func:`analyze`, and combine the votes with
  a :class:`LabelModel` that learns each function's accuracy without gold
  labels.
- **Crowdsourcing**: several unreliable workers answer each task; aggregate
  the long-format answers with :func:`majority_vote`, :func:`wawa`,
  :func:`zero_based_skill`, :func:`dawid_skene`, :func:`one_coin`,
  :func:`glad` or :func:`mace` (or :func:`aggregate` by name). Each returns a
  :class:`CrowdResult` whose ``proba`` is an ``(n_tasks, n_classes)``
  posterior with columns in the order of ``classes``.

The ``mllifecycle labels aggregate`` command aggregates a CSV of answers.
"""

from __future__ import annotations

# --- weak supervision and crowd aggregation (helper "labels") ---
from mllifecycle.labels._crowd import (
    CrowdResult,
    aggregate,
    dawid_skene,
    glad,
    mace,
    majority_vote,
    one_coin,
    wawa,
    zero_based_skill,
)
from mllifecycle.labels._label_model import LabelModel
from mllifecycle.labels._lf import (
    ABSTAIN,
    LabelingFunction,
    LabelMatrix,
    LFAnalysis,
    analyze,
    apply,
    labeling_function,
)

__all__ = [
    # --- weak supervision and crowd aggregation (helper "labels") ---
    "ABSTAIN",
    "labeling_function",
    "LabelingFunction",
    "apply",
    "LabelMatrix",
    "analyze",
    "LFAnalysis",
    "LabelModel",
    "majority_vote",
    "wawa",
    "zero_based_skill",
    "dawid_skene",
    "one_coin",
    "glad",
    "mace",
    "aggregate",
    "CrowdResult",
    # --- end labels ---
]
