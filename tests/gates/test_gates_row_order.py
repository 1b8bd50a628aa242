"""Gates and paired comparisons match pandas inputs to y_true's rows by index.

A challenger Series sorted by index while ``y_true`` was not was read by
position: accuracy 0.503 for 0.9, and a gate decided on mismatched rows.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import (
    GateContext,
    MetricThreshold,
    NoRegression,
    SliceNoRegression,
    delong,
    mcnemar,
    paired_bootstrap,
    paired_permutation,
)

pd = pytest.importorskip("pandas")

N = 600


def _data(seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, N)
    old = np.where(rng.random(N) < 0.8, y, 1 - y)
    new = np.where(rng.random(N) < 0.9, y, 1 - y)
    score = y + rng.normal(0, 0.8, N)
    idx = rng.permutation(N) + 10
    return y, old, new, score, idx


def test_functions_match_rows_by_index():
    y, old, new, score, idx = _data()
    ys = pd.Series(y, index=idx)
    olds = pd.Series(old, index=idx).sort_index()
    news = pd.Series(new, index=idx).iloc[::-1]
    res = paired_bootstrap(ys, olds, news, metric="accuracy", rng=0, n_resamples=200)
    ref = paired_bootstrap(y, old, new, metric="accuracy", rng=0, n_resamples=200)
    assert res.challenger_value == pytest.approx((new == y).mean())  # was 0.503 for 0.9
    assert res.p_value == pytest.approx(ref.p_value)
    perm = paired_permutation(ys, olds, news, metric="accuracy", rng=0)
    assert perm.p_value == pytest.approx(paired_permutation(y, old, new, metric="accuracy",
                                                            rng=0).p_value)
    assert mcnemar(ys, olds, news).to_dict() == mcnemar(y, old, new).to_dict()
    other = score + np.random.default_rng(1).normal(0, 1.0, N)
    got = delong(ys, pd.Series(other, index=idx).sort_index(), pd.Series(score, index=idx))
    want = delong(y, other, score)
    assert got.to_dict() == pytest.approx(want.to_dict())


def test_context_matches_rows_by_index():
    y, old, new, score, idx = _data()
    region = np.where(np.arange(N) % 2 == 0, "a", "b")
    ys = pd.Series(y, index=idx)
    ctx = GateContext(
        y_true=ys,
        champion=pd.Series(old, index=idx).sort_index(),
        challenger=pd.Series(new, index=idx).sort_index(),
        champion_proba=pd.Series(score.clip(0, 1), index=idx).sort_index(),
        sample_weight=pd.Series(np.ones(N), index=idx).sort_index(),
        slices=pd.DataFrame({"region": region}, index=idx).sort_index(),
        rng=0,
    )
    ref = GateContext(y_true=y, champion=old, challenger=new, champion_proba=score.clip(0, 1),
                      sample_weight=np.ones(N), rng=0,
                      slices=pd.DataFrame({"region": region}, index=idx))
    assert ctx == ref
    assert MetricThreshold("accuracy", minimum=0.85).check(ctx).passed
    gate = NoRegression("accuracy", margin=0.01, n_resamples=200)
    assert gate.check(ctx).evidence["challenger_value"] == pytest.approx((new == y).mean())
    sl = SliceNoRegression("accuracy", by="region", n_resamples=200)
    assert sl.check(ctx).evidence == sl.check(ref).evidence
    # a mapping of slice Series is matched too
    ctx2 = GateContext(y_true=ys, champion=old, challenger=new,
                       slices={"region": pd.Series(region, index=idx).sort_index()})
    assert np.array_equal(ctx2.slices["region"], region)


def test_fresh_index_is_read_by_position():
    y, old, new, _, idx = _data()
    ctx = GateContext(y_true=pd.Series(y, index=idx), champion=pd.Series(old),
                      challenger=pd.Series(new), rng=0)
    assert np.array_equal(ctx.challenger, new)


def test_a_default_index_against_its_permutation_is_refused():
    # predictions wrapped in a fresh Series on a shuffled test set: by label
    # the rows would be paired wrongly, by position a sorted table would be
    y, old, new, _, _ = _data()
    perm = np.random.default_rng(2).permutation(N)
    ys = pd.Series(y[perm], index=perm)
    with pytest.raises(InvalidParameterError,
                       match=r"'challenger'.*challenger's is a default 0\.\.n-1 RangeIndex"):
        GateContext(y_true=ys, challenger=pd.Series(new[perm]))
    with pytest.raises(InvalidParameterError, match=r"'champion'.*y_true's is a default"):
        paired_bootstrap(pd.Series(y), pd.Series(old).iloc[perm], new, metric="accuracy")
    ctx = GateContext(y_true=ys.to_numpy(), challenger=pd.Series(new[perm]))
    assert np.array_equal(ctx.challenger, new[perm])


def test_duplicate_labels_in_another_order_are_refused():
    y = np.array([0, 1, 0, 1, 1, 0])
    idx = np.array([0, 0, 1, 1, 2, 2])
    ys = pd.Series(y, index=idx)
    with pytest.raises(InvalidParameterError, match=r"'challenger'.*y_true's order"):
        GateContext(y_true=ys, challenger=pd.Series(y, index=idx[::-1]))
    with pytest.raises(InvalidParameterError, match=r"'champion'.*y_true's order"):
        paired_bootstrap(ys, pd.Series(y, index=idx[::-1]), y, metric="accuracy")
    # the same duplicated index in the same order is read as given
    ctx = GateContext(y_true=ys, challenger=pd.Series(y, index=idx))
    assert np.array_equal(ctx.challenger, y)
