"""Probabilities given as float16/float32 are judged by the gates, not refused.

``check_proba`` lets a row miss 1 by the rounding of the type it was given
in. ``GateContext`` accepted a float16 softmax output, then stored it as
float64, and every gate checking it again refused it ("rows of class
probabilities that sum to 1"); ROC AUC on a 2-column float16 table was
refused by ``paired_bootstrap``/``paired_permutation``/``delong``; the
``gate`` command converted a float16 Parquet file to float64 and refused it.
"""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import log_loss, roc_auc_score

from mllifecycle import gates as G
from mllifecycle.cli import main
from mllifecycle.exceptions import InvalidParameterError

_g = np.random.default_rng(0)
N = 400
Y = _g.integers(0, 2, N)
_LOGITS = _g.normal(size=(N, 2)) + np.column_stack([np.zeros(N), 1.5 * Y])
_P64 = np.exp(_LOGITS) / np.exp(_LOGITS).sum(axis=1, keepdims=True)
P16 = _P64.astype(np.float16)  # rows miss 1 by up to ~2e-4
SLICES = _g.integers(0, 2, N)


def test_float16_rows_do_miss_one():
    assert np.abs(P16.astype(np.float64).sum(axis=1) - 1).max() > 1e-5


def _ctx(p):
    pred = np.asarray(p, dtype=np.float64).argmax(axis=1)
    return G.GateContext(y_true=Y, challenger=pred, challenger_proba=p, champion=pred,
                         champion_proba=p, slices=SLICES, rng=0)


GATES = [
    G.MetricThreshold("roc_auc", minimum=0.5),
    G.MetricThreshold("log_loss", maximum=5.0),
    G.NoRegression("roc_auc", margin=0.05, n_resamples=200),
    G.NoRegression("log_loss", margin=0.05, n_resamples=200),
    G.NoRegression("brier_score", margin=0.05, n_resamples=200),
    G.SliceNoRegression("roc_auc", margin=0.1, n_resamples=200),
    G.SliceNoRegression("log_loss", margin=0.1, n_resamples=200),
    G.CalibrationNoWorse(n_resamples=200),
    G.SignificantImprovement("roc_auc", method="delong"),
]


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("gate", GATES, ids=lambda g: g.name)
def test_every_gate_judges_low_precision_probabilities(gate, dtype):
    p = P16 if dtype is np.float16 else _P64.astype(dtype)
    result = gate.check(_ctx(p))
    assert isinstance(result.passed, bool)


def test_threshold_value_is_that_of_the_values_given():
    p = P16.astype(np.float64)
    for metric, ref in (("roc_auc", roc_auc_score(Y, p[:, 1])),
                        ("log_loss", log_loss(Y, p / p.sum(axis=1, keepdims=True)))):
        res = G.MetricThreshold(metric, minimum=0.0).check(_ctx(P16))
        assert res.evidence["value"] == pytest.approx(ref, abs=1e-3)


def test_table_of_float16_columns_named_by_class():
    frame = pd.DataFrame(P16[:, ::-1], columns=[1, 0])
    res = G.NoRegression("log_loss", margin=0.05, n_resamples=200).check(_ctx(frame))
    assert res.passed


def test_context_keeps_float64_and_survives_pickle_and_subset():
    ctx = _ctx(P16)
    assert ctx.challenger_proba.dtype == np.float64
    for other in (pickle.loads(pickle.dumps(ctx)), ctx.subset(np.arange(50))):
        assert G.NoRegression("log_loss", margin=0.05, n_resamples=200).check(other).passed


@pytest.mark.parametrize("func", [G.paired_bootstrap, G.paired_permutation])
def test_comparisons_read_float16_roc_auc_tables(func):
    res = func(Y, P16, P16, metric="roc_auc", n_resamples=200, rng=0)
    assert res.difference == 0


def test_delong_reads_float16_tables():
    other = np.column_stack([1 - _P64[::-1, 1], _P64[::-1, 1]]).astype(np.float16)
    res = G.delong(Y, P16, other)
    assert res.champion_auc == pytest.approx(roc_auc_score(Y, P16[:, 1].astype(float)))


def test_rows_off_by_more_than_rounding_are_still_refused():
    bad16 = P16.copy()
    bad16[0] = [0.5, 0.6]
    with pytest.raises(InvalidParameterError, match=r"challenger_proba.*sum to 1"):
        _ctx(bad16)
    bad64 = P16.astype(np.float64)  # float64 rows missing 1 by float16 rounding
    with pytest.raises(InvalidParameterError, match="sum to 1"):
        _ctx(bad64)


def test_cli_reads_float16_parquet_probabilities(tmp_path, capsys):
    pytest.importorskip("pyarrow")
    y = tmp_path / "y.csv"
    pd.DataFrame({"label": Y}).to_csv(y, index=False)
    b = tmp_path / "b.parquet"
    pd.DataFrame(P16, columns=["0", "1"]).to_parquet(b)
    for metric in ("log_loss", "roc_auc", "accuracy"):
        status = main(["gate", "--y-true", str(y), "--challenger", str(b), "--champion",
                       str(b), "--metric", metric, "--margin", "0.1", "--n-resamples", "200"])
        out = capsys.readouterr().out
        assert status == 0, out
        assert "PASSED" in out
