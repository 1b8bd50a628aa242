"""GateContext.subset: row selections of every form, and slices kept."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import GateContext


def _ctx() -> GateContext:
    y = np.array([0, 1, 1, 0, 1, 0])
    return GateContext(
        y_true=y,
        challenger=np.array([0, 1, 0, 0, 1, 1]),
        champion=y.copy(),
        slices={"region": np.array(list("aabbab")), "size": np.arange(6) % 2},
        sample_weight=np.arange(1.0, 7.0),
        rng=0,
    )


@pytest.mark.parametrize("mask", [[1, 0, 1, 0, 1, 0], np.array([1, 0, 1, 0, 1, 0], np.uint8)])
def test_subset_refuses_integer_flags_read_as_positions(mask) -> None:
    # NumPy read 0/1 integers as the positions 0 and 1: rows 1, 0, 1, 0, 1, 0
    with pytest.raises(InvalidParameterError, match=r"'mask'.*astype\(bool\)"):
        _ctx().subset(mask)


@pytest.mark.parametrize(
    ("mask", "shown"),
    [
        (np.array([True, False]), "length 2"),
        (pd.Series([True, False, True, False, True, pd.NA], dtype="boolean"), "missing"),
        (np.array([0.0, 2.0]), "float64"),
        ([9], "position 9"),
        ([-1], "position -1"),
        ([False] * 6, "no row"),
        ([], "empty"),
    ],
)
def test_subset_refuses_bad_masks_naming_mask(mask, shown) -> None:
    with pytest.raises(InvalidParameterError, match=f"'mask'.*{shown}"):
        _ctx().subset(mask)


@pytest.mark.parametrize(
    "mask",
    [
        np.array([True, False, True, False, True, False]),
        [True, False, True, False, True, False],
        pd.Series([True, False, True, False, True, False], dtype="boolean"),
        pd.Series([True, False, True, False, True, False]),
        [0, 2, 4],
        np.array([0, 2, 4], dtype=np.int8),
    ],
)
def test_subset_selects_the_rows_and_keeps_slices(mask) -> None:
    sub = _ctx().subset(mask)
    np.testing.assert_array_equal(sub.y_true, [0, 1, 1])
    np.testing.assert_array_equal(sub.challenger, [0, 0, 1])
    np.testing.assert_array_equal(sub.sample_weight, [1.0, 3.0, 5.0])
    # slices were dropped: SliceNoRegression on a subset refused it
    assert set(sub.slices) == {"region", "size"}
    np.testing.assert_array_equal(sub.slices["region"], ["a", "b", "a"])
    np.testing.assert_array_equal(sub.slices["size"], [0, 0, 0])


def test_subset_keeps_one_dimensional_slices() -> None:
    ctx = GateContext(y_true=[0, 1, 1, 0], challenger=[0, 1, 0, 0], slices=["x", "y", "x", "y"])
    np.testing.assert_array_equal(ctx.subset([True, True, False, False]).slices, ["x", "y"])
