"""CBPE reads probability tables by column name, not by position."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.estimate import CBPE
from mllifecycle.exceptions import InvalidParameterError

_g = np.random.default_rng(0)
P1 = _g.beta(2, 2, 3000)
Y = (_g.random(3000) < P1).astype(int)
P = np.column_stack([1 - P1, P1])


def _report(est):
    return est.to_dict()


def test_columns_named_by_class_index_are_read_by_name():
    plain = CBPE(random_state=0).fit(y_true=Y, y_proba=P)
    named = CBPE(random_state=0).fit(y_true=Y, y_proba=pd.DataFrame(P[:, ::-1], columns=[1, 0]))
    assert _report(named.estimate(pd.DataFrame(P[:800, ::-1], columns=[1, 0]))) == _report(
        plain.estimate(P[:800])
    )
    # text names "0", "1" too
    text = CBPE(random_state=0).fit(y_true=Y, y_proba=pd.DataFrame(P[:, ::-1], columns=["1", "0"]))
    assert _report(text.estimate(P[:800])) == _report(plain.estimate(P[:800]))


def test_estimate_reorders_a_table_to_fits_columns():
    plain = CBPE(random_state=0).fit(y_true=Y, y_proba=P)
    named = CBPE(random_state=0).fit(y_true=Y, y_proba=pd.DataFrame(P, columns=["neg", "pos"]))
    swapped = pd.DataFrame(P[:800, ::-1], columns=["pos", "neg"])
    assert _report(named.estimate(swapped)) == _report(plain.estimate(P[:800]))
    np.testing.assert_allclose(named.calibrate(swapped), plain.calibrate(P[:800]))


def test_estimate_refuses_a_table_with_other_columns():
    named = CBPE(random_state=0).fit(y_true=Y, y_proba=pd.DataFrame(P, columns=["neg", "pos"]))
    with pytest.raises(InvalidParameterError, match=r"columns of fit's y_proba \['neg', 'pos'\]"):
        named.estimate(pd.DataFrame(P, columns=["a", "b"]))


@pytest.mark.parametrize(
    "cols", [[1.0, 0.0], [True, False], [np.float32(1), np.float32(0)]],
    ids=["float", "bool", "float32"],
)
def test_float_and_bool_class_names_are_read_by_name(cols):
    # classes_ of a model fitted on 0.0/1.0 (or bool) labels: the table was read
    # by position, so the reference ROC AUC came out as 1 - AUC, with exit 0
    from sklearn.metrics import roc_auc_score

    plain = CBPE(random_state=0).fit(y_true=Y, y_proba=P)
    named = CBPE(random_state=0).fit(y_true=Y, y_proba=pd.DataFrame(P[:, ::-1], columns=cols))
    assert named.reference_metrics_["roc_auc"] == pytest.approx(roc_auc_score(Y, P1))
    assert _report(named.estimate(pd.DataFrame(P[:800, ::-1], columns=cols))) == _report(
        plain.estimate(P[:800])
    )
