"""SliceNoRegression(by=callable) matches a pandas answer to y_true's rows by label."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import GateContext, SliceNoRegression

RNG = np.random.default_rng(0)
N = 400
IDX = [f"r{i}" for i in range(N)]
REGION = np.where(np.arange(N) < N // 2, "a", "b")
Y = RNG.integers(0, 2, N)
# the challenger regresses on region "b" only
CHAMP = np.where(RNG.random(N) < 0.9, Y, 1 - Y)
CHAL = np.where(REGION == "b", np.where(RNG.random(N) < 0.6, Y, 1 - Y), CHAMP)


def _ctx():
    s = lambda v: pd.Series(v, index=IDX)  # noqa: E731
    return GateContext(y_true=s(Y), challenger=s(CHAL), champion=s(CHAMP), rng=0)


def test_a_callable_answer_in_another_row_order_is_matched_by_label():
    # before: read by position, so region "a" was reported regressing (its
    # rows held region "b"'s labels after the shuffle)
    regions = pd.Series(REGION, index=IDX)
    order = RNG.permutation(N)
    gate = SliceNoRegression("accuracy", by=lambda ctx: regions.iloc[order])
    aligned = SliceNoRegression("accuracy", by=lambda ctx: regions)
    got, want = gate.check(_ctx()), aligned.check(_ctx())
    assert got.passed == want.passed
    assert got.evidence["slices"] == want.evidence["slices"]


def test_a_default_index_against_the_same_labels_is_refused():
    ctx = GateContext(y_true=pd.Series(Y), challenger=CHAL, champion=CHAMP, rng=0)
    shuffled = pd.Series(REGION).iloc[RNG.permutation(N)]
    with pytest.raises(InvalidParameterError, match="'by' parameter"):
        SliceNoRegression("accuracy", by=lambda c: shuffled).check(ctx)


def test_subsets_keep_the_row_labels():
    ctx = _ctx()
    part = ctx.subset(np.arange(N) % 2 == 0)
    regions = pd.Series(REGION, index=IDX)
    kept = regions.iloc[np.arange(0, N, 2)]
    a = SliceNoRegression("accuracy", by=lambda c: kept.iloc[::-1]).check(part)
    b = SliceNoRegression("accuracy", by=lambda c: kept).check(part)
    assert a.evidence["slices"] == b.evidence["slices"]
