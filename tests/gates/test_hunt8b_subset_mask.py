"""GateContext.subset reads a pandas boolean mask by row label, as the context's inputs.

A mask computed on a sorted or shuffled table (same row labels, another
order) selected other rows by position: a NoRegression on "the south"
judged rows of the north.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import GateContext


def _context():
    rng = np.random.default_rng(0)
    n = 40
    index = [f"row{i}" for i in range(n)]
    y = pd.Series(rng.integers(0, 2, n), index=index)
    champion = pd.Series(rng.integers(0, 2, n), index=index)
    challenger = pd.Series(rng.integers(0, 2, n), index=index)
    region = pd.Series(rng.choice(["north", "south"], n), index=index)
    ctx = GateContext(y_true=y, champion=champion, challenger=challenger)
    return ctx, y, champion, challenger, region


@pytest.mark.parametrize("dtype", ["bool", "boolean"])
def test_a_shuffled_mask_selects_its_rows_by_label(dtype):
    ctx, y, champion, challenger, region = _context()
    shuffled = region.sample(frac=1.0, random_state=0)
    mask = (shuffled == "south").astype(dtype)
    sub = ctx.subset(mask)
    keep = (region == "south").to_numpy()  # the same flags in y_true's order
    np.testing.assert_array_equal(sub.y_true, y.to_numpy()[keep])
    np.testing.assert_array_equal(sub.champion, champion.to_numpy()[keep])
    np.testing.assert_array_equal(sub.challenger, challenger.to_numpy()[keep])
    assert sub == ctx.subset(keep)


def test_an_aligned_mask_and_numpy_flags_are_unchanged():
    ctx, _, _, _, region = _context()
    keep = (region == "south").to_numpy()
    assert ctx.subset(region == "south") == ctx.subset(keep)


def test_a_mask_with_repeated_labels_in_another_order_is_refused_by_name():
    ctx, _, _, _, region = _context()
    labels = list(region.index)
    labels[1] = labels[0]  # y_true's rows: "row0" twice
    dup = GateContext(y_true=pd.Series(ctx.y_true, index=labels), challenger=ctx.challenger)
    flags = (region == "south").to_numpy()
    with pytest.raises(InvalidParameterError, match="'mask'"):
        dup.subset(pd.Series(flags[::-1], index=labels[::-1]))
