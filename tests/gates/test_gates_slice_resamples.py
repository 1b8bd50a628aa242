"""SliceNoRegression refuses too few resamples for any slice to be flagged.

A resampled p-value is at least ``1 / (n_resamples + 1)``; for a slice
regressing alone among ``S`` the corrections multiply it by ``S``
(Benjamini-Yekutieli by ``S * H_S``). Below ``factor / alpha`` resamples such
a slice cannot be flagged (a broken slice passed at 60 resamples with 5 slices
under Holm, and at any count below 100 under Hochberg or Benjamini-Hochberg).
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import GateContext, SliceNoRegression


def _context(n_slices=5, n=5000, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    region = rng.choice([f"r{k}" for k in range(n_slices)], n)
    old = np.where(rng.random(n) < 0.85, y, 1 - y)
    new = old.copy()
    broken = region == "r0"
    new[broken] = 1 - y[broken]  # the challenger is wrong on every row of r0
    return GateContext(y_true=y, champion=old, challenger=new, slices=region, rng=0)


# (slices, correction, alpha, fewest resamples that can flag a slice)
TABLE = [
    (5, "holm", 0.05, 100),
    (5, "bonferroni", 0.05, 100),
    (3, "holm", 0.01, 300),
    (5, "hochberg", 0.05, 100),
    (5, "fdr_bh", 0.05, 100),
    (5, "fdr_by", 0.05, 229),  # 5 * H_5 = 11.417 -> ceil(228.3)
    (2, "holm", 0.05, 40),
]


@pytest.mark.parametrize(("n_slices", "correction", "alpha", "need"), TABLE)
def test_too_few_resamples_for_the_slices_are_refused(n_slices, correction, alpha, need):
    ctx = _context(n_slices)
    gate = SliceNoRegression("accuracy", correction=correction, alpha=alpha,
                             n_resamples=need - 1, margin=0.01)
    with pytest.raises(InvalidParameterError) as info:
        gate.check(ctx)
    msg = str(info.value)
    assert "'n_resamples'" in msg
    assert f"= {need} resamples" in msg
    assert f"a slice regressing alone among {n_slices} slices" in msg
    assert f"Got {need - 1}" in msg
    # at the minimum the broken slice is flagged
    res = SliceNoRegression("accuracy", correction=correction, alpha=alpha,
                            n_resamples=need, margin=0.01).check(ctx)
    assert not res.passed
    assert res.evidence["regressed"] == ["r0"]


def test_no_correction_keeps_the_construction_minimum():
    res = SliceNoRegression("accuracy", correction=None, n_resamples=20,
                            margin=0.01, ci_method="percentile").check(_context())
    assert not res.passed
    assert res.evidence["regressed"] == ["r0"]


def test_only_judged_slices_count():
    # five slices, four below min_slice_size: one is judged, so 1/alpha is enough
    rng = np.random.default_rng(1)
    n = 440
    y = rng.integers(0, 2, n)
    old = y.copy()
    new = old.copy()
    new[:400] = 1 - y[:400]  # broken on the large slice
    slices = np.array(["big"] * 400 + [f"tiny{k}" for k in range(4) for _ in range(10)])
    ctx = GateContext(y_true=y, champion=old, challenger=new, slices=slices, rng=0)
    res = SliceNoRegression("accuracy", n_resamples=20, margin=0.01,
                            ci_method="percentile").check(ctx)
    assert not res.passed
    assert res.evidence["regressed"] == ["big"]
    assert len(res.evidence["too_small"]) == 4


def _cli_files(tmp_path, n_slices, per_slice=30):
    rng = np.random.default_rng(3)
    n = n_slices * per_slice
    y = rng.integers(0, 2, n)
    old = np.where(rng.random(n) < 0.85, y, 1 - y)
    old[:per_slice] = y[:per_slice]
    new = old.copy()
    new[:per_slice] = 1 - y[:per_slice]  # right -> wrong on every row of slice s000
    slices = np.repeat([f"s{k:03d}" for k in range(n_slices)], per_slice)
    out = {}
    for name, col in (("y", y), ("a", old), ("b", new), ("s", slices)):
        path = tmp_path / f"{name}.csv"
        path.write_text("value\n" + "\n".join(str(v) for v in col) + "\n")
        out[name] = str(path)
    return out


def test_cli_gives_the_slices_the_resamples_holm_needs(tmp_path, capsys):
    from mllifecycle.cli import main

    f = _cli_files(tmp_path, 120)
    argv = ["gate", "--y-true", f["y"], "--champion", f["a"], "--challenger", f["b"],
            "--slices", f["s"], "--metric", "accuracy", "--margin", "0.01", "--json"]
    # 120 slices need 2400 resamples each; a fixed 2000 made the gate refuse
    assert main([*argv, "--n-resamples", "2400"]) == 1
    out = capsys.readouterr().out
    import json

    report = json.loads(out)
    slice_gate = [r for r in report["results"] if r["name"].startswith("SliceNoRegression")]
    assert slice_gate[0]["evidence"]["regressed"] == ["s000"]
    # fewer than the slices need: a usage error naming n_resamples
    assert main([*argv, "--n-resamples", "2000"]) == 2
    err = capsys.readouterr().err
    assert "n_resamples" in err
    assert "2400" in err
