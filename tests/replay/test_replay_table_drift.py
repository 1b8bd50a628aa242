"""``OnDrift`` with a batch drift test, replayed on a table with a text column.

The states' ``current_X`` / ``reference_X`` were ``None`` for a table with a
non-numeric column, so ``OnDrift(drift.detect)`` answered "no features to
compare" at every batch and never retrained, however far the data moved.
The states now show the table's values as an object array (text kept), which
``drift.detect`` and ``drift.Reference`` test column by column.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from mllifecycle.drift import Reference, detect
from mllifecycle.policies import OnDrift
from mllifecycle.replay import replay


def _stream(shift_numeric: bool, shift_text: bool, n: int = 2000):
    rng = np.random.default_rng(0)
    a = rng.normal(size=n)
    p_x = np.full(n, 0.5)
    if shift_numeric:
        a[1000:] += 3.0
    if shift_text:
        p_x[1000:] = 0.05
    c = np.where(rng.random(n) < p_x, "x", "y")
    y = (a + (c == "x") + 0.3 * rng.normal(size=n) > 0.5).astype(int)
    return {"a": a, "c": c}, y


def _pipeline():
    return make_pipeline(
        make_column_transformer((OneHotEncoder(), ["c"]), remainder="passthrough"),
        LogisticRegression(),
    )


def _table(kind, cols):
    if kind == "pandas":
        pd = pytest.importorskip("pandas")
        return pd.DataFrame(cols)
    pl = pytest.importorskip("polars")
    return pl.DataFrame(cols)


@pytest.mark.parametrize("kind", ["pandas", "polars"])
@pytest.mark.parametrize("shift", ["numeric", "text"])
def test_batch_test_on_a_table_with_text_detects_the_change(kind, shift):
    cols, y = _stream(shift == "numeric", shift == "text")
    policies = {
        "detect": OnDrift(functools.partial(detect, alpha=0.005), refits=None, rng=0),
        "reference": OnDrift(Reference, refits=None),
    }
    r = replay(_table(kind, cols), y, _pipeline(), policies, initial_train_size=500)
    for name in policies:
        run = r[name]
        assert run.retrains >= 1, name
        # the first detection is on the first batch after the change (rows 1000:1100)
        assert run.events[0].step == 1100, name
        assert "found drift in the latest batch" in run.events[0].reason


def test_no_change_no_detection_on_a_table_with_text():
    cols, y = _stream(False, False)
    pd = pytest.importorskip("pandas")
    run = replay(pd.DataFrame(cols), y, _pipeline(),
                 {"d": OnDrift(functools.partial(detect, alpha=0.005), refits=None, rng=0)},
                 initial_train_size=500)["d"]
    assert run.retrains == 0


def test_text_column_is_tested_as_categorical():
    pd = pytest.importorskip("pandas")
    cols, y = _stream(False, True)
    seen = []

    def spy(state):
        if state.current_X is not None:
            seen.append(detect(state.reference_X, state.current_X))
        return False

    replay(pd.DataFrame(cols), y, _pipeline(), {"spy": spy}, initial_train_size=500)
    tests = {f.name: f.test for f in seen[0].features}
    assert tests == {"x0": "ks", "x1": "chi_square"}
