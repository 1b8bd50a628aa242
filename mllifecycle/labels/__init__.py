"""Cheaper labels: find wrong labels, spend the labelling budget well, use unlabelled data.

- label-error detection by confident learning: :func:`out_of_fold_proba`,
  :func:`find_label_issues`, :func:`estimate_noise_matrix`;
- active learning: query strategies (:func:`margin`, :func:`entropy`,
  :func:`k_center_greedy`, ...), the :class:`ActiveLearner` loop and
  :func:`simulate`;
- self-training: :class:`SelfTraining`, :func:`pseudo_label_gain` and
  :func:`spread_labels`.

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

# --- curate: label issues, active learning, self-training (helper "curate") ---
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
    # --- curate ---
    "LabelIssues",
    "NoiseMatrix",
    "out_of_fold_proba",
    "confident_joint",
    "estimate_noise_matrix",
    "find_label_issues",
    "label_quality",
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
    "SelfTraining",
    "PseudoLabelGainResult",
    "pseudo_label_gain",
    "SpreadLabels",
    "spread_labels",
]
