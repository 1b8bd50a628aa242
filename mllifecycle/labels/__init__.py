"""Cheaper labels: weak sources, crowds, wrong labels, the labelling budget, unlabelled data.

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
- **Label-error detection** by confident learning: :func:`out_of_fold_proba`,
  :func:`find_label_issues` (which also takes a :class:`CrowdResult`),
  :func:`estimate_noise_matrix`.
- **Active learning**: query strategies (:func:`margin`, :func:`entropy`,
  :func:`k_center_greedy`, :func:`cluster_margin`, ...), the
  :class:`ActiveLearner` loop and :func:`simulate`.
- **Self-training**: :class:`SelfTraining`, :func:`pseudo_label_gain` and
  :func:`spread_labels`.

The ``mllifecycle labels aggregate`` command aggregates a CSV of answers.

Examples
--------
>>> import numpy as np
>>> from mllifecycle.labels import find_label_issues
>>> y = np.array([0, 0, 0, 1, 1, 1])
>>> proba = np.array([[.9, .1], [.8, .2], [.2, .8], [.1, .9], [.3, .7], [.2, .8]])
>>> find_label_issues(y, proba).indices
array([2])
"""

from __future__ import annotations

# --- weak supervision and crowd aggregation ---
from mllifecycle.labels._crowd import (
    AGGREGATION_METHODS,
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

# isort: split
# --- label issues, active learning, self-training ---
from mllifecycle.labels._active import (
    ActiveLearner,
    Query,
    SimulationResult,
    StabilizingPredictions,
    cluster_margin,
    density_weighted,
    entropy,
    k_center_greedy,
    kl_divergence,
    least_confident,
    margin,
    random_sampling,
    simulate,
    vote_entropy,
)
from mllifecycle.labels._issues import (
    LabelIssues,
    NoiseMatrix,
    confident_joint,
    estimate_noise_matrix,
    find_label_issues,
    label_quality,
    out_of_fold_proba,
)
from mllifecycle.labels._self_training import (
    PseudoLabelGainResult,
    SelfTraining,
    SpreadLabels,
    pseudo_label_gain,
    spread_labels,
)

__all__ = [
    # weak supervision and crowd aggregation
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
    "AGGREGATION_METHODS",
    "CrowdResult",
    # label issues
    "LabelIssues",
    "NoiseMatrix",
    "out_of_fold_proba",
    "confident_joint",
    "estimate_noise_matrix",
    "find_label_issues",
    "label_quality",
    # active learning
    "Query",
    "random_sampling",
    "least_confident",
    "margin",
    "entropy",
    "vote_entropy",
    "kl_divergence",
    "density_weighted",
    "k_center_greedy",
    "cluster_margin",
    "StabilizingPredictions",
    "ActiveLearner",
    "SimulationResult",
    "simulate",
    # self-training
    "SelfTraining",
    "PseudoLabelGainResult",
    "pseudo_label_gain",
    "SpreadLabels",
    "spread_labels",
]
