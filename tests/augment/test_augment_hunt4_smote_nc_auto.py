"""``smote_nc(categorical_features="auto")`` reads text and boolean columns as categorical.

"auto" took only columns typed categorical (pandas ``category``), as
imbalanced-learn does: a pandas ``string`` or ``object`` text column beside
it was read as numeric ("X must be numeric ... use a categorical test"), a
table of numbers and text only was refused as having no categorical column,
and a ``bool`` column was interpolated into fractional flags (0.37). Such
columns are categorical under "auto" now; numbers (nullable too) stay numeric.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.augment import SMOTENC, smote_nc
from mllifecycle.exceptions import InvalidParameterError

_g = np.random.default_rng(0)
N = 60
Y = np.r_[np.zeros(50, int), np.ones(10, int)]
A = _g.normal(size=N)
B = _g.normal(size=N)
TEXT = _g.choice(["red", "blue", "green"], N)
FLAG = _g.random(N) < 0.5
KIND = _g.choice(["x", "y"], N)


def _explicit(frame, columns):
    return smote_nc(frame, Y, categorical_features=columns, rng=0)[0]


@pytest.mark.parametrize("text", [
    pd.Series(TEXT, dtype="string"),
    pd.Series(TEXT, dtype=object),
    pd.Series(TEXT, dtype="string[pyarrow]"),
    pd.Categorical(TEXT),
], ids=["string", "object", "string-pyarrow", "category"])
def test_text_columns_are_categorical(text):
    X = pd.DataFrame({"a": A, "b": B, "c": text})
    out = smote_nc(X, Y, categorical_features="auto", rng=0)[0]
    pd.testing.assert_frame_equal(out, _explicit(X, ["c"]))
    assert set(out["c"].astype(str)) <= set(TEXT)


def test_text_beside_a_category_column():
    X = pd.DataFrame({"a": A, "k": pd.Categorical(KIND), "s": pd.Series(TEXT, dtype="string")})
    out = smote_nc(X, Y, categorical_features="auto", rng=0)[0]
    pd.testing.assert_frame_equal(out, _explicit(X, ["k", "s"]))


@pytest.mark.parametrize("flag", [pd.Series(FLAG), pd.Series(FLAG, dtype="boolean")],
                         ids=["bool", "boolean"])
def test_boolean_columns_stay_flags(flag):
    X = pd.DataFrame({"a": A, "k": pd.Categorical(KIND), "f": flag})
    out = smote_nc(X, Y, categorical_features="auto", rng=0)[0]
    pd.testing.assert_frame_equal(out, _explicit(X, ["k", "f"]))
    assert set(out["f"].tolist()) <= {True, False}


def test_numbers_stay_numeric():
    X = pd.DataFrame({"a": A, "n": pd.Series(np.arange(N), dtype="Int64"),
                      "x": pd.Series(B, dtype="Float64"), "s": TEXT})
    out = smote_nc(X, Y, categorical_features="auto", rng=0)[0]
    pd.testing.assert_frame_equal(out, _explicit(X, ["s"]))


def test_object_numpy_array_read_by_values():
    X = np.empty((N, 3), dtype=object)
    X[:, 0], X[:, 1], X[:, 2] = A, TEXT, FLAG
    out = smote_nc(X, Y, categorical_features="auto", rng=0)[0]
    np.testing.assert_array_equal(out, smote_nc(X, Y, categorical_features=[1, 2], rng=0)[0])


def test_other_table_kinds():
    pa = pytest.importorskip("pyarrow")
    ref = _explicit(pd.DataFrame({"a": A, "s": TEXT, "f": FLAG}), [1, 2])
    out = smote_nc(pa.table({"a": A, "s": TEXT, "f": FLAG}), Y, categorical_features="auto",
                   rng=0)[0]
    assert (out.to_pandas().to_numpy() == ref.to_numpy()).all()


def test_sampler_reads_auto_alike():
    X = pd.DataFrame({"a": A, "s": pd.Series(TEXT, dtype="string"), "f": FLAG})
    Xs, _ = SMOTENC(categorical_features="auto", random_state=0).fit_resample(X, Y)
    pd.testing.assert_frame_equal(Xs, _explicit(X, ["s", "f"]))


def test_refusals_still_clear():
    with pytest.raises(InvalidParameterError, match="text columns or boolean columns"):
        smote_nc(pd.DataFrame({"a": A, "b": B}), Y, categorical_features="auto", rng=0)
    with pytest.raises(InvalidParameterError, match="leaving at least one numeric column"):
        smote_nc(pd.DataFrame({"s": TEXT}), Y, categorical_features="auto", rng=0)
    s = pd.Series(TEXT, dtype="string")
    s[3] = pd.NA
    with pytest.raises(InvalidParameterError, match="free of missing"):
        smote_nc(pd.DataFrame({"a": A, "s": s}), Y, categorical_features="auto", rng=0)


def test_input_not_changed():
    X = pd.DataFrame({"a": A, "s": pd.Series(TEXT, dtype="string"), "f": FLAG})
    before = X.copy()
    smote_nc(X, Y, categorical_features="auto", rng=0)
    pd.testing.assert_frame_equal(X, before)
