"""CBPE pairs pandas labels and probabilities by row label, not by position."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.estimate import CBPE
from mllifecycle.exceptions import InvalidParameterError

pd = pytest.importorskip("pandas")


def _data(n=400, seed=0):
    rng = np.random.default_rng(seed)
    p = rng.random(n)
    y = (rng.random(n) < p).astype(int)
    idx = rng.permutation(n) + 1000
    return y, p, idx


def _fitted(y, p):
    est = CBPE(metrics=["accuracy", "roc_auc"], calibration="none")
    return est.fit(y_true=y, y_proba=p)


@pytest.mark.parametrize(
    "reorder",
    [
        lambda ys, ps, frame: (ys.sort_index(), ps),
        lambda ys, ps, frame: (ys, frame.sort_index()),
        lambda ys, ps, frame: (ys.iloc[::-1], frame),
    ],
    ids=["labels-sorted", "proba-table-sorted", "labels-reversed"],
)
def test_realized_matches_rows_by_index(reorder):
    y, p, idx = _data()
    want = _fitted(y, p).realized(y, p)
    ys, ps = pd.Series(y, index=idx), pd.Series(p, index=idx)
    frame = pd.DataFrame({0: 1 - p, 1: p}, index=idx)
    est = _fitted(ys, ps)
    a, b = reorder(ys, ps, frame)
    got = est.realized(a, b)
    # by position these were 0.4725 and 0.473 (for 0.7725 and 0.851)
    assert got == pytest.approx(want, abs=1e-12)


def test_fit_matches_rows_by_index():
    y, p, idx = _data()
    ref = CBPE(calibration="isotonic").fit(y_true=y, y_proba=p)
    est = CBPE(calibration="isotonic").fit(
        y_true=pd.Series(y, index=idx).sort_index(), y_proba=pd.Series(p, index=idx)
    )
    assert est.reference_metrics_ == pytest.approx(ref.reference_metrics_)
    assert est.estimate(p)["accuracy"].value == pytest.approx(ref.estimate(p)["accuracy"].value)


def test_fresh_index_is_read_by_position():
    # a table of probabilities built from predict_proba has a fresh 0..n-1 index
    y, p, idx = _data()
    est = _fitted(y, p)
    got = est.realized(pd.Series(y, index=idx), pd.DataFrame({0: 1 - p, 1: p}))
    assert got == pytest.approx(est.realized(y, p))


def test_a_default_index_against_its_permutation_is_refused():
    # y_true of a shuffled test set (index a permutation of 0..n-1) against
    # pd.DataFrame(model.predict_proba(X_test)) (a fresh RangeIndex): the
    # fresh index numbers rows, matching by label would pair the wrong rows;
    # and a RangeIndex read from a file may name rows: refused either way
    y, p, _ = _data()
    est = _fitted(y, p)
    perm = np.random.default_rng(1).permutation(y.size)
    shuffled = pd.Series(y[perm], index=perm)
    with pytest.raises(InvalidParameterError, match=r"default 0\.\.n-1 RangeIndex"):
        est.realized(shuffled, pd.DataFrame({0: 1 - p[perm], 1: p[perm]}))
    with pytest.raises(InvalidParameterError, match="y_true's is a default"):
        est.realized(pd.Series(y), pd.Series(p).iloc[perm])
    # as NumPy, or in one order, it is read as given
    got = est.realized(shuffled.to_numpy(), pd.DataFrame({0: 1 - p[perm], 1: p[perm]}))
    assert got == pytest.approx(est.realized(y, p))


def test_duplicate_labels_in_another_order_are_refused():
    y, p, _ = _data(n=6)
    idx = np.array([0, 0, 1, 1, 2, 2])
    est = _fitted(y, p)
    ys = pd.Series(y, index=idx)
    ps = pd.Series(p, index=idx[::-1])
    with pytest.raises(InvalidParameterError, match=r"'y_true'.*y_proba's order"):
        est.realized(ys, ps)
    # the same duplicated index in the same order is fine
    assert est.realized(ys, pd.Series(p, index=idx)) == pytest.approx(est.realized(y, p))
