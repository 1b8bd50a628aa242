"""Training-resource planning across the lifecycle, each figure with an interval.

Labels, labelling redundancy, compute and retrain cadence:

- :func:`fit_curve` / :func:`learning_curve`: the metric against training size,
  fitted with bootstrap intervals; :func:`samples_needed` inverts it;
- :func:`redundancy`: answers per item that reach a target label accuracy
  under majority vote and under Dawid-Skene-style weighted voting;
- :func:`fit_compute` / :func:`time_fits`: training time against rows and
  features, projected to a future data size;
- :func:`cadence`: retrains, labels and compute per period of each policy of a
  :func:`mllifecycle.replay.replay` result, projected over a horizon;
- :func:`plan`: one estimate per lifecycle stage (acquire, label, train,
  evaluate).
"""

from __future__ import annotations

from mllifecycle.budget._compute import ComputeModel, fit_compute, time_fits
from mllifecycle.budget._curves import (
    FAMILIES,
    LearningCurve,
    SamplesNeeded,
    fit_curve,
    learning_curve,
    samples_needed,
)
from mllifecycle.budget._plan import (
    CadenceReport,
    Figure,
    Plan,
    PolicyCadence,
    Stage,
    cadence,
    plan,
)
from mllifecycle.budget._redundancy import RedundancyPlan, majority_vote_accuracy, redundancy

__all__ = [
    "FAMILIES",
    "LearningCurve",
    "SamplesNeeded",
    "fit_curve",
    "learning_curve",
    "samples_needed",
    "RedundancyPlan",
    "redundancy",
    "majority_vote_accuracy",
    "ComputeModel",
    "fit_compute",
    "time_fits",
    "CadenceReport",
    "PolicyCadence",
    "cadence",
    "Figure",
    "Stage",
    "Plan",
    "plan",
]
