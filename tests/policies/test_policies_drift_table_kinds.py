"""OnDrift's batch test on a replayed table tests columns as drift.detect does on it.

Boolean columns and columns typed categorical holding numbers reached
``state.current_X`` / ``state.reference_X`` as floats (or ints in an object
array), so ``OnDrift(drift.detect)`` ran KS on them while ``drift.detect``
on the same table runs chi-square: another p-value, another decision.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from mllifecycle.drift import detect
from mllifecycle.policies import OnDrift, RetrainDecision
from mllifecycle.replay import replay

rng = np.random.default_rng(0)
N = 600
FRAME = pd.DataFrame({
    "c": pd.Categorical(np.r_[rng.integers(0, 3, 300), rng.integers(0, 2, 300)] * 10),
    "b": np.r_[rng.random(300) < 0.5, rng.random(300) < 0.6],
    "nb": pd.array(np.r_[rng.random(300) < 0.5, rng.random(300) < 0.5], dtype="boolean"),
    "x": rng.normal(size=N),
})
FRAME.loc[5, "nb"] = pd.NA
Y = (FRAME["x"] > 0).astype(int).to_numpy()


def _model():
    enc = make_column_transformer((OneHotEncoder(handle_unknown="ignore"), ["c"]),
                                  ("passthrough", ["x"]))
    return make_pipeline(enc, LogisticRegression())


_SEEN: list = []


class _Record:
    # (replay runs a copy of the policy: the states go to a module list)
    def should_retrain(self, state):
        _SEEN.append((state.step, state.reference_X, state.current_X))
        return RetrainDecision(retrain=False, reason="recorded")


def _states(frame, y, model=None):
    _SEEN.clear()
    replay(frame, y, _model() if model is None else model, {"r": _Record()},
           initial_train_size=200, batch_size=100)
    assert len(_SEEN) == 4
    return list(_SEEN)


def _same_report(a, b):
    # (both reports list the features in one order: the names differ)
    assert [f.test for f in a.features] == [f.test for f in b.features]
    np.testing.assert_allclose([f.p_value for f in a.features],
                               [f.p_value for f in b.features], rtol=1e-12)
    assert a.drift_detected == b.drift_detected


def test_states_test_like_the_table_itself():
    for step, ref, cur in _states(FRAME, Y):
        shown = detect(ref, cur, nan_policy="omit")
        table = detect(FRAME.iloc[:200], FRAME.iloc[step - 100:step], nan_policy="omit")
        assert {f.name: f.test for f in table.features} == {
            "c": "chi_square", "b": "chi_square", "nb": "chi_square", "x": "ks"}
        _same_report(shown, table)


def test_values_shown():
    _, ref, _ = _states(FRAME, Y)[0]
    assert ref.dtype == object
    assert ref[:3, 0].tolist() == [str(v) for v in FRAME["c"].iloc[:3]]
    assert ref[:, 1].tolist() == FRAME["b"].iloc[:200].tolist()
    assert ref[5, 2] is None
    assert ref[0, 2] is bool(FRAME["nb"].iloc[0])
    assert ref[:, 3].tolist() == FRAME["x"].iloc[:200].tolist()


def test_bool_and_float_table():
    # a bool column with floats was a float array: KS on 0/1
    frame = FRAME[["b", "x"]]
    for step, ref, cur in _states(frame, Y, LogisticRegression()):
        _same_report(detect(ref, cur),
                     detect(frame.iloc[:200], frame.iloc[step - 100:step]))


def test_on_drift_fires_where_detect_on_the_table_does():
    # categories 0, 1, 2 equally often, then 1 in one row of ten: chi-square
    # sees it (p ~ 1e-7), KS on the numbers 0, 1, 2 does not (D = 0.13)
    after = np.tile([0, 2, 0, 2, 1, 0, 2, 0, 2, 2], 30)
    frame = pd.DataFrame({"c": pd.Categorical(np.r_[np.tile([0, 1, 2], 100), after]),
                          "x": FRAME["x"]})
    table = detect(frame.iloc[:200], frame.iloc[300:400])
    assert table.drift_detected
    assert detect(frame.iloc[:200].astype({"c": int}),
                  frame.iloc[300:400].astype({"c": int})).drift_detected is False
    run = replay(frame, Y, _model(), {"d": OnDrift(detect)}, initial_train_size=200,
                 batch_size=100)["d"]
    # the first batch after the change (rows 300:400), against rows 0:200
    assert run.events
    assert run.events[0].step == 400


@pytest.mark.parametrize("kind", ["polars", "pyarrow"])
def test_other_tables(kind):
    pytest.importorskip(kind)
    frame = FRAME[["b", "x"]]
    if kind == "polars":
        import polars as pl

        other = pl.from_pandas(frame)
    else:
        import pyarrow as pa

        other = pa.Table.from_pandas(frame, preserve_index=False)
    for step, ref, cur in _states(other, Y, LogisticRegression()):
        _same_report(detect(ref, cur),
                     detect(frame.iloc[:200], frame.iloc[step - 100:step]))
