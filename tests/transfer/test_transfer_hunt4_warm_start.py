"""``extra_estimators`` under ``strategy="warm_start"``.

- A model that does not grow by members (``LogisticRegression``,
  ``MLPClassifier``) ignored ``extra_estimators=3`` silently; it is refused,
  naming the argument (other strategies still ignore it, as ``schedule``).
- An early-stopped ensemble: the size was set from the configured number
  (100) rather than the members held (82), and ``estimators_added`` reported
  the number asked for (100), not the members early stopping on the target
  actually added.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import (
    GradientBoostingClassifier,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import finetune, progressive


def _data(n_source=300, n_target=40):
    rng = np.random.default_rng(0)
    xs, xt = rng.normal(size=(n_source, 3)), rng.normal(size=(n_target, 3))
    return (xs, (xs[:, 0] > 0).astype(int)), (xt, (xt[:, 0] + 0.3 > 0).astype(int))


MSG = r"'extra_estimators' parameter of {} must be None for an estimator that is not an ensemble"


@pytest.mark.parametrize("est", [LogisticRegression(), MLPClassifier(max_iter=20)])
def test_finetune_refuses_extra_estimators_it_would_ignore(est):
    src, tgt = _data()
    with pytest.raises(InvalidParameterError, match=MSG.format("finetune")):
        finetune(est, src, tgt, strategy="warm_start", extra_estimators=3, rng=0)
    with pytest.raises(InvalidParameterError, match=MSG.format("finetune")):
        finetune(est, src, tgt, strategy="warm_start", extra_estimators=np.int64(3), rng=0)


def test_progressive_refuses_it_too():
    src, tgt = _data()
    with pytest.raises(InvalidParameterError, match=MSG.format("progressive")):
        progressive(LogisticRegression(), [src, tgt], validation=tgt,
                    strategy="warm_start", extra_estimators=3, rng=0)


def test_without_extra_estimators_warm_start_still_runs():
    src, tgt = _data()
    res = finetune(LogisticRegression(), src, tgt, strategy="warm_start", rng=0)
    assert res.strategy == "warm_start"
    assert "estimators_added" not in res.details


def test_other_strategies_still_ignore_it():
    src, tgt = _data()
    res = finetune(LogisticRegression(), src, tgt, strategy="weighted", source_weight=1.0,
                   extra_estimators=3, rng=0)
    assert res.strategy == "weighted"


def test_forest_adds_what_it_says():
    src, tgt = _data()
    res = finetune(RandomForestClassifier(n_estimators=5), src, tgt, strategy="warm_start",
                   extra_estimators=3, rng=0)
    assert res.details["estimators_added"] == 3
    assert len(res.model.estimators_) == 8


@pytest.mark.parametrize("extra", [None, 50])
def test_early_stopped_boosting_reports_the_members_added(extra):
    src, tgt = _data(3000, 400)
    est = GradientBoostingClassifier(n_estimators=100, n_iter_no_change=3, random_state=0)
    source_only = est.fit(*src).n_estimators_
    assert source_only < 100  # early stopping on the source
    res = finetune(est, src, tgt, strategy="warm_start", extra_estimators=extra, rng=0)
    model = res.model
    added = model.n_estimators_ - source_only
    assert res.details["estimators_added"] == added
    # the budget counts from the members held: at most ``extra`` (or as many
    # as the source model has) new ones
    assert model.n_estimators == source_only + (source_only if extra is None else extra)


def test_early_stopped_hist_boosting_reports_the_iterations_added():
    src, tgt = _data(3000, 400)
    est = HistGradientBoostingClassifier(max_iter=100, early_stopping=True, random_state=0)
    res = finetune(est, src, tgt, strategy="warm_start", extra_estimators=50, rng=0)
    source_only = est.fit(*src).n_iter_
    assert res.details["estimators_added"] == res.model.n_iter_ - source_only
    assert res.details["estimators_added"] < 50  # early stopping on the target
