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
    r"source\[1\] \(y\) \(numbers, text or booleans, not a mix: '1', 1 and True are different "
    r"labels\). "
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
        # True == 1: booleans pooled with numbers merged True into the class 1
        # (as the gates, labels and augment packages refuse it too)
        (YS.astype(bool), YT, "numbers after booleans"),
        (YS, YT.astype(bool), "booleans after numbers"),
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
        (YS.astype(bool), YT.astype(bool)),
        (YS.astype(str), np.array(YT.astype(str), dtype=object)),
    ],
)
def test_finetune_accepts_labels_of_one_kind(ys, yt):
    res = finetune(LogisticRegression(), (XS, ys), (XT, yt), strategy="weighted",
                   source_weight=1.0, rng=0)
    assert res.model.classes_.size == 2


@pytest.mark.parametrize(
    ("y", "shown"),
    [
        ([True, 1, 0, False] * 10, "booleans and numbers (True and 1)"),
        (np.array(["1", 1, 0, "0"] * 10, dtype=object), "text and numbers ('1' and 1)"),
    ],
)
@pytest.mark.parametrize("side", ["source", "target"])
def test_finetune_refuses_labels_of_two_kinds_in_one_data_set(y, shown, side):
    # a list [True, 1, 0, False] reached NumPy as the ints [1, 1, 0, 0]
    x = RNG.normal(size=(40, 2))
    source, target = ((x, y), (XT, YT)) if side == "source" else ((XS, YS), (x, y))
    with pytest.raises(InvalidParameterError,
                       match=rf"The '{side}\[1\] \(y\)' parameter of finetune must be labels "
                       r"of one kind") as err:
        finetune(LogisticRegression(), source, target, strategy="weighted", source_weight=1.0,
                 rng=0)
    assert f"Got {shown} instead" in str(err.value)
