"""Hunt 8: probabilistic scores of a model that knows a class the scored rows lack.

With a class found only in the source, a model trained with the source
predicts probabilities for it, and scikit-learn's ``neg_log_loss`` (and its
kin) read the columns' classes from the held-out labels: "y_true and y_prob
contain different number of classes". transfer_gain failed with that bare
ValueError, progressive too, and finetune's tuning of ``source_weight``
refused every weight but 0 (the source) with a FitFailedWarning.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import check_scoring, log_loss
from threadpoolctl import threadpool_limits

from mllifecycle.transfer import finetune, progressive, transfer_gain
from mllifecycle.transfer._common import resolve_scorer


@pytest.fixture(autouse=True)
def _one_blas_thread():
    """Many tiny BLAS calls inside LogisticRegression thrash when threaded."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _domains(text: bool = False):
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(300, 3))
    ys = (xs[:, 0] > 0).astype(int) + (xs[:, 1] > 1)  # classes 0, 1, 2
    xt = rng.normal(size=(40, 3))
    yt = (xt[:, 0] > 0.2).astype(int)  # classes 0, 1 only
    if text:
        names = np.array(["cat", "dog", "eel"])
        return xs, names[ys], xt, names[yt]
    return xs, ys, xt, yt


@pytest.mark.parametrize("text", [False, True], ids=["int", "text"])
def test_transfer_gain_scores_log_loss_with_a_source_only_class(text):
    xs, ys, xt, yt = _domains(text)
    res = transfer_gain(LogisticRegression(), (xs, ys), (xt, yt), scoring="neg_log_loss",
                        n_repeats=1, finetune_params={"source_weight": 1.0}, rng=0)
    assert np.all(np.isfinite(res.candidate_scores))
    assert np.all(np.isfinite(res.baseline_scores))


def test_finetune_tuning_scores_every_weight_with_a_source_only_class():
    xs, ys, xt, yt = _domains()
    res = finetune(LogisticRegression(), (xs, ys), (xt, yt), scoring="neg_log_loss", rng=0)
    assert res.details["n_failed_fits"] == 0
    assert all(v is not None and np.isfinite(v) for v in res.details["cv_scores"])
    assert res.source_weight == res.details["candidates"][
        int(np.argmax(res.details["cv_scores"]))]


def test_progressive_final_score_is_the_log_loss_over_the_models_classes():
    xs, ys, xt, yt = _domains()
    res = progressive(LogisticRegression(), [(xs, ys), (xt[:20], yt[:20])],
                      validation=(xt[20:], yt[20:]), scoring="neg_log_loss",
                      source_weight=1.0, rng=0)
    model = res.model
    expected = -log_loss(yt[20:], model.predict_proba(xt[20:]), labels=model.classes_)
    assert res.final_score == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("scoring", ["neg_log_loss", "neg_brier_score", "d2_log_loss_score",
                                     "accuracy", "roc_auc_ovr"])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_scores_that_could_be_computed_are_unchanged(scoring, n_classes):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(120, 3))
    y = (x[:, 0] > 0).astype(int) + ((x[:, 1] > 0.5) if n_classes == 3 else 0)
    model = LogisticRegression().fit(x, y)
    ours = resolve_scorer(model, scoring, "test")(model, x, y)
    assert ours == check_scoring(model, scoring=scoring)(model, x, y)
