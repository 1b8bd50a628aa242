"""Hunt: source labels as text and target labels as numbers (or the reverse)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression, SGDClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.transfer import finetune, progressive, transfer_gain

RNG = np.random.default_rng(4)
XS = RNG.normal(size=(200, 2))
YS = (XS[:, 0] > 0).astype(int)
XT = RNG.normal(size=(40, 2))
YT = (XT[:, 0] > 0).astype(int)

MSG = (
    r"The 'target\[1\] \(y\)' parameter of {caller} must be labels of the same kind as "
    r"source\[1\] \(y\) \(numbers or text, not both: '1' and 1 are different labels\). "
    r"Got {got} instead"
)


@pytest.mark.parametrize(
    ("ys", "yt", "got"),
    [
        # weighted with source_weight=1.0 fitted on the strings: '1' and 1 merged,
        # the model predicted text for a numeric target; with "auto" every candidate
        # using the source failed silently and weight 0 was reported as the best
        (YS.astype(str), YT, "numbers after text"),
        (YS, YT.astype(str), "text after numbers"),
        (YS, pd.Series(YT.astype(str), dtype="string"), "text after numbers"),
        (np.array(YS.astype(str), dtype=object), YT.astype(float), "numbers after text"),
    ],
)
@pytest.mark.parametrize(
    ("estimator", "kw"),
    [
        (LogisticRegression(), {"strategy": "weighted", "source_weight": 1.0}),
        (LogisticRegression(), {"strategy": "weighted"}),
        (SGDClassifier(loss="log_loss", random_state=0), {"strategy": "partial_fit"}),
        (SGDClassifier(loss="log_loss", random_state=0), {"strategy": "warm_start"}),
    ],
)
def test_finetune_refuses_text_and_numeric_labels_together(ys, yt, got, estimator, kw):
    with pytest.raises(InvalidParameterError, match=MSG.format(caller="finetune", got=got)):
        finetune(estimator, (XS, ys), (XT, yt), rng=0, **kw)


def test_transfer_gain_refuses_text_and_numeric_labels_together():
    with pytest.raises(InvalidParameterError,
                       match=MSG.format(caller="transfer_gain", got="numbers after text")):
        transfer_gain(LogisticRegression(), (XS, YS.astype(str)), (XT, YT), rng=0,
                      n_repeats=1, cv=2)


def test_progressive_refuses_text_and_numeric_labels_together():
    with pytest.raises(
        InvalidParameterError,
        match=r"The 'validation\[1\] \(y\)' parameter of progressive must be labels of the "
        r"same kind as stages\[0\]\[1\] \(y\) .* Got text after numbers instead",
    ):
        progressive(LogisticRegression(), [(XS, YS), (XT, YT)],
                    validation=(XT, YT.astype(str)), rng=0)


@pytest.mark.parametrize(
    ("ys", "yt"),
    [
        (YS, YT.astype(float)),  # 1 and 1.0 are one label
        (YS.astype(bool), YT),  # bools are numbers to NumPy and scikit-learn
        (YS.astype(str), np.array(YT.astype(str), dtype=object)),
    ],
)
def test_finetune_accepts_labels_of_one_kind(ys, yt):
    res = finetune(LogisticRegression(), (XS, ys), (XT, yt), strategy="weighted",
                   source_weight=1.0, rng=0)
    assert res.model.classes_.size == 2
