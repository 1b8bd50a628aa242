"""Hunt: transfer_gain refuses training folds too small for finetune's tuning, itself.

With ``source_weight="auto"`` each split's finetune tunes the weight by
5-fold cross-validation on the split's training rows. A target of 4 rows in 2
folds failed inside finetune: "The 'target' parameter of finetune must be at
least cv=5 rows", naming a function and a ``cv`` the caller never used.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression, Ridge

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import transfer_gain

_rng = np.random.default_rng(0)
XS = _rng.normal(size=(100, 3))
YS = (XS[:, 0] > 0).astype(int)
XT = _rng.normal(size=(12, 3))

CASES = [
    (LogisticRegression(), XT[:4], np.array([0, 1, 0, 1]), {"cv": 2}, 5, 2),
    (Ridge(), XT[:6], XT[:6, 0], {"cv": 3}, 5, 4),
    (Ridge(), XT[:6], XT[:6, 0], {"cv": 2, "finetune_params": {"cv": 4}}, 4, 3),
]


@pytest.mark.parametrize(("est", "xt", "yt", "kw", "inner", "rows"), CASES,
                         ids=["clf-default-cv", "reg-default-cv", "reg-inner-cv-4"])
def test_small_training_folds_are_refused_by_transfer_gain(est, xt, yt, kw, inner, rows):
    ys = YS if isinstance(est, LogisticRegression) else XS[:, 0]
    with pytest.raises(InvalidParameterError) as info:
        transfer_gain(est, (XS, ys), (xt, yt), n_repeats=1, rng=0, **kw)
    assert str(info.value) == (
        f"The 'target' parameter of transfer_gain must be at least {inner} rows in every "
        f"training fold, for finetune to tune source_weight='auto' by {inner}-fold "
        "cross-validation (pass finetune_params={'source_weight': w}, a smaller "
        "finetune_params['cv'], or more folds in cv: larger training folds). Got a "
        f"training fold of {rows} row(s) instead."
    )


def test_a_fixed_source_weight_or_a_small_inner_cv_still_runs():
    xt, yt = XT[:6], XT[:6, 0]
    for params in ({"source_weight": 1.0}, {"cv": 2}):
        res = transfer_gain(Ridge(), (XS, XS[:, 0]), (xt, yt), cv=3, n_repeats=1,
                            finetune_params=params, rng=0)
        assert res.n_splits == 3


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"source_weight": -1.0},
         r"The \"finetune_params\['source_weight'\]\" parameter of transfer_gain must be a "
         r"float in the range \[0\.0, inf\)\. Got -1\.0"),
        ({"cv": 1},
         r"The \"finetune_params\['cv'\]\" parameter of transfer_gain must be an int in the "
         r"range \[2, inf\)\. Got 1"),
    ],
)
def test_finetune_params_refusals_name_transfer_gain(params, message):
    # they said "The 'cv' parameter of finetune": a call the user never made, and
    # transfer_gain has a cv of its own
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 3))
    y = (X[:, 0] > 0).astype(int)
    Xs = rng.normal(size=(80, 3))
    ys = (Xs[:, 0] > 0).astype(int)
    with pytest.raises(InvalidParameterError, match=message):
        transfer_gain(LogisticRegression(), (Xs, ys), (X, y), method="weighted",
                      finetune_params=params, rng=0)
