"""Hunt: a champion given only as probabilities, judged on a slice of the data."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import GateContext, NoRegression, SliceNoRegression


def _context() -> GateContext:
    rng = np.random.default_rng(0)
    n = 2000
    y = rng.integers(0, 2, n)
    region = np.where(rng.random(n) < 0.5, "a", "b")
    y[region == "a"] = 1  # slice "a" holds one class only
    # the champion predicts class 0 everywhere: wrong on every example of slice "a"
    champion_proba = np.where(y == 1, 0.2, 0.3)
    challenger = y.copy()
    challenger[(region == "a") & (rng.random(n) < 0.1)] = 0  # 90 % right on "a"
    return GateContext(
        y_true=y, challenger=challenger, champion_proba=champion_proba, slices=region, rng=0
    )


def test_slice_gate_reads_champion_labels_from_proba_with_all_classes() -> None:
    # slice "a" has only the label 1: the champion's labels from its 1-D
    # probabilities were read against that one class (p > 0.5 -> 1, else 1),
    # so a champion wrong on every example scored accuracy 1.0 and the
    # challenger (0.89) was flagged as a regression
    res = SliceNoRegression("accuracy", min_slice_size=10, n_resamples=500).check(_context())
    rows = {r["slice"]: r for r in res.evidence["slices"]}
    assert rows["a"]["champion"] == 0.0
    assert rows["a"]["challenger"] == pytest.approx(0.89, abs=0.03)
    assert res.passed


def test_subset_with_one_class_refuses_1d_champion_proba_for_labels() -> None:
    # a user's own slice (context.subset) cannot tell which class 1-D
    # probabilities are of when only one class is present: refused, not guessed
    ctx = _context()
    sub = ctx.subset(np.asarray(ctx.slices) == "a")
    sub = GateContext(y_true=sub.y_true, challenger=sub.y_true, champion_proba=sub.champion_proba)
    with pytest.raises(InvalidParameterError, match="'champion_proba' parameter"):
        NoRegression("accuracy", margin=0.0, n_resamples=200).check(sub)
