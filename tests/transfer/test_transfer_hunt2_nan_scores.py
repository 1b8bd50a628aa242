"""NaN scores in finetune's weight tuning and progressive's validation."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression, Ridge

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import finetune, progressive


def test_a_candidate_scored_nan_is_not_chosen() -> None:
    # np.argmax took the NaN mean of a candidate for the best: source_weight 0.6
    # (cv score None) was chosen over 0.0 (cv score 0.975)
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(200, 2))
    ys = (xs[:, 0] > 0).astype(int)
    xt = rng.normal(size=(40, 2))
    yt = (xt[:, 1] > 0).astype(int)

    def scorer(est: LogisticRegression, x: np.ndarray, y: np.ndarray) -> float:
        acc = float((est.predict(x) == y).mean())
        return float("nan") if abs(est.coef_[0, 0]) > abs(est.coef_[0, 1]) else acc

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = finetune(LogisticRegression(), (xs, ys), (xt, yt), scoring=scorer, rng=0)
    scores = res.details["cv_scores"]
    best = res.details["candidates"].index(res.source_weight)
    assert scores[best] is not None
    assert scores[best] == max(s for s in scores if s is not None)
    assert res.source_weight == 0.0
    assert any(issubclass(w.category, FitFailedWarning) and "NaN" in str(w.message)
               for w in caught)


def test_every_candidate_nan_names_the_scorer() -> None:
    # R^2 on one-row folds: the error said "every candidate failed (first error: )"
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(100, 2))
    xt = rng.normal(size=(6, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(InvalidParameterError, match="scorer returned NaN on a fold of 1"):
            finetune(Ridge(), (xs, xs[:, 0]), (xt, xt.sum(axis=1)), rng=0)


def test_progressive_refuses_a_nan_validation_score() -> None:
    # R^2 on one validation row is NaN: stage 0 was kept, every later stage dropped
    # (score >= NaN is False) and final_score was NaN, with exit 0
    rng = np.random.default_rng(0)
    x = rng.normal(size=(451, 3))
    y = x[:, 0].copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(InvalidParameterError, match=r"'validation'.*NaN score"):
            progressive(Ridge(), [(x[:300], y[:300]), (x[300:450], y[300:450])],
                        validation=(x[450:], y[450:]), rng=0)
