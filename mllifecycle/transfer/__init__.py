"""Transfer: reuse related data and pretrained models when labels are scarce.

Pretrain-then-finetune for any scikit-learn estimator (:func:`finetune`, four
strategies: ``weighted``, ``partial_fit``, ``warm_start``, ``stacked``),
training through data sets of increasing quality (:func:`progressive`),
density-ratio weights under covariate shift (:func:`importance_weights`:
domain classifier, KLIEP, kernel mean matching), covariance alignment
(:class:`CORAL`), how far apart two domains are (:func:`domain_distance`), and
whether transfer helped at all (:func:`transfer_gain`). scikit-learn, SciPy and
NumPy only.

Examples
--------
>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> from mllifecycle import transfer
>>> rng = np.random.default_rng(0)
>>> Xs = rng.normal(size=(500, 3)); ys = (Xs[:, 0] > 0).astype(int)
>>> Xt = rng.normal(size=(30, 3)); yt = (Xt[:, 0] > 0).astype(int)
>>> transfer.finetune(LogisticRegression(), (Xs, ys), (Xt, yt), rng=0).strategy
'weighted'
"""

from __future__ import annotations

from mllifecycle.transfer._align import CORAL
from mllifecycle.transfer._distance import DomainDistance, domain_distance
from mllifecycle.transfer._finetune import FinetuneResult, finetune
from mllifecycle.transfer._gain import TransferGainResult, transfer_gain
from mllifecycle.transfer._progressive import ProgressiveResult, StageReport, progressive
from mllifecycle.transfer._reweight import ImportanceWeights, importance_weights
from mllifecycle.transfer._stacked import (
    StackedTransferClassifier,
    StackedTransferRegressor,
)
from mllifecycle.transfer._strategies import STRATEGIES

__all__ = [
    "finetune",
    "progressive",
    "transfer_gain",
    "importance_weights",
    "domain_distance",
    "CORAL",
    "StackedTransferClassifier",
    "StackedTransferRegressor",
    "FinetuneResult",
    "ProgressiveResult",
    "StageReport",
    "TransferGainResult",
    "ImportanceWeights",
    "DomainDistance",
    "STRATEGIES",
]
