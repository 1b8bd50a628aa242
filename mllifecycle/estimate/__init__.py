"""Model performance estimated without labels.

:class:`CBPE` (confidence-based performance estimation, after NannyML)
calibrates a classifier's probabilities on a labelled reference set and then
estimates accuracy, precision, recall, F1 and ROC AUC on unlabelled windows,
each with the standard error of the metric the labels would realise. It is
valid under covariate shift and wrong under concept shift (see the user
guide, ``docs/estimate.md``).

Examples
--------
>>> import numpy as np
>>> from mllifecycle.estimate import CBPE
>>> rng = np.random.default_rng(0)
>>> p = rng.uniform(size=4000)
>>> y = (rng.uniform(size=4000) < p).astype(int)
>>> est = CBPE(metrics=["accuracy", "recall"], random_state=0).fit(y_true=y, y_proba=p)
>>> r = est.estimate(p[:1000])
>>> 0.7 < r["accuracy"].value < 0.8
True
"""

from __future__ import annotations

from mllifecycle.estimate._cbpe import CBPE
from mllifecycle.estimate._result import MetricEstimate, PerformanceEstimate

__all__ = ["CBPE", "PerformanceEstimate", "MetricEstimate"]
