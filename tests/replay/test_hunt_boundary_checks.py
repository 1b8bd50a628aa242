"""replay refuses n_jobs=0 at its boundary, as select does."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic
from mllifecycle.replay import replay


@pytest.mark.parametrize("n_policies", [1, 2])
def test_n_jobs_zero_is_refused_naming_the_argument(n_policies):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 2))
    y = (X[:, 0] > 0).astype(int)
    policies = {"a": Periodic(every=20), "b": lambda s: False}
    policies = dict(list(policies.items())[:n_policies])
    # before: one policy ran serially (n_jobs=0 ignored); two raised joblib's
    # "n_jobs == 0 in Parallel has no meaning", naming no argument of replay
    with pytest.raises(InvalidParameterError, match="n_jobs"):
        replay(X, y, LogisticRegression(), policies, initial_train_size=30,
               batch_size=10, n_jobs=0)


@pytest.mark.parametrize("metrics", ["roc_auc", ("f1",)])
def test_an_estimator_without_accuracy_is_refused_before_training(metrics):
    from mllifecycle.estimate import CBPE

    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 2))
    y = (X[:, 0] > 0).astype(int)
    # before: a KeyError "'accuracy' was not estimated" at the first batch
    with pytest.raises(InvalidParameterError, match="performance_estimator"):
        replay(X, y, LogisticRegression(), {"never": lambda s: False},
               initial_train_size=30, batch_size=10,
               performance_estimator=CBPE(metrics=metrics))
    # accuracy among others is fine
    replay(X, y, LogisticRegression(), {"never": lambda s: False},
           initial_train_size=30, batch_size=10,
           performance_estimator=CBPE(metrics=("f1", "accuracy"), random_state=0))
