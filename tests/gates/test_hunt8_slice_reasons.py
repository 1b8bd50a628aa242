"""SliceNoRegression says why a slice was not judged: its size, or one class / one group.

A slice of 100 rows holding one class (ROC AUC undefined) or one group (no
cluster resample) was reported as "fewer than 30 examples": a false statement
in the gate's reasons.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.gates import GateContext, SliceNoRegression


def _context(**extra: object) -> GateContext:
    y = np.r_[np.zeros(100, int), np.ones(100, int)]
    p = np.random.default_rng(0).random(200)
    return GateContext(y_true=y, champion=(p > 0.5) * 1, challenger=(p > 0.5) * 1,
                       champion_proba=p, challenger_proba=p, rng=0, **extra)


def test_all_slices_one_class_is_not_called_too_small() -> None:
    slices = np.r_[["a"] * 100, ["b"] * 100]  # each slice holds one class
    res = SliceNoRegression("roc_auc", n_resamples=200).check(_context(slices=slices))
    assert res.skipped
    text = res.reasons[0]
    assert "fewer than" not in text
    assert "at least 30" not in text
    assert "one class or one group only" in text
    assert "a (one class only)" in text
    assert "b (one class only)" in text


def test_one_group_slice_is_not_called_too_small() -> None:
    groups = np.repeat(np.arange(40), 5)
    slices = np.where(groups == 0, "one", "rest")  # "one": 5 rows of one group
    res = SliceNoRegression("accuracy", n_resamples=200, min_slice_size=2).check(
        _context(slices=slices, groups=groups))
    note = [r for r in res.reasons if r.startswith("not judged")]
    assert len(note) == 1
    assert "fewer than 2 examples" not in note[0]
    assert "one (one group only)" in note[0]


@pytest.mark.parametrize(("sizes", "expected"), [
    # only small slices set aside: the size is the reason
    ((190, 10), "not judged (fewer than 30 examples): s1 (n=10)"),
])
def test_small_slices_still_say_fewer_than(sizes: tuple[int, int], expected: str) -> None:
    slices = np.r_[["s0"] * sizes[0], ["s1"] * sizes[1]]
    res = SliceNoRegression("accuracy", n_resamples=200).check(_context(slices=slices))
    assert expected in res.reasons
