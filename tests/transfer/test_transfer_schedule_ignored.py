"""A ``schedule`` is refused where SGD's learning rate ignores ``eta0``.

``SGDClassifier``'s default ``learning_rate="optimal"`` does not use
``eta0``: ``finetune(..., strategy="partial_fit", schedule=...)`` set
``eta0`` at every epoch to no effect (the model was the one without a
schedule) while ``details["learning_rates"]`` listed the rates as used.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import Perceptron, SGDClassifier, SGDRegressor

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import finetune, progressive


def _data(regression=False):
    rng = np.random.default_rng(0)
    xs, xt = rng.normal(size=(300, 3)), rng.normal(size=(40, 3))
    if regression:
        return (xs, xs @ [1.0, 2.0, 0.0]), (xt, xt @ [1.0, 2.2, 0.0])
    return (xs, (xs[:, 0] > 0).astype(int)), (xt, (xt[:, 0] + 0.3 > 0).astype(int))


MSG = r"'schedule' parameter of {} must be None for an estimator whose learning_rate ignores eta0"


def test_finetune_refuses_a_schedule_sgd_would_ignore():
    src, tgt = _data()
    with pytest.raises(InvalidParameterError, match=MSG.format("finetune")):
        finetune(SGDClassifier(), src, tgt, strategy="partial_fit",
                 schedule=lambda e: 100.0, rng=0)


def test_progressive_refuses_it_too():
    src, tgt = _data()
    with pytest.raises(InvalidParameterError, match=MSG.format("progressive")):
        progressive(SGDClassifier(learning_rate="optimal"), [src, tgt], validation=tgt,
                    strategy="partial_fit", schedule=lambda e: 0.5, rng=0)


@pytest.mark.parametrize("est", [
    SGDClassifier(learning_rate="constant", eta0=0.1),
    SGDClassifier(learning_rate="adaptive", eta0=0.1),
    SGDRegressor(),  # invscaling by default
    Perceptron(),
])
def test_rates_that_use_eta0_take_the_schedule(est):
    src, tgt = _data(regression=isinstance(est, SGDRegressor))
    plain = finetune(est, src, tgt, strategy="partial_fit", rng=0)
    res = finetune(est, src, tgt, strategy="partial_fit", schedule=lambda e: 0.5**e, rng=0)
    assert len(res.details["learning_rates"]) == 10
    # the schedule acts: another model than without it
    assert not np.array_equal(res.model.coef_, plain.model.coef_)


def test_a_schedule_is_still_ignored_by_the_other_strategies():
    src, tgt = _data()
    res = finetune(SGDClassifier(), src, tgt, strategy="weighted", schedule=lambda e: 2.0,
                   source_weight=1.0, rng=0)
    assert res.strategy == "weighted"
