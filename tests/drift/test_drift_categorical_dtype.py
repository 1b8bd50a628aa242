"""Columns whose type declares them categorical get a categorical test.

A pandas ``Categorical`` of integers (or a pyarrow dictionary column) holds
labels: KS on their values answered a question about an order the labels do
not have, and relabelling the categories changed the p-value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.drift import Reference, detect
from mllifecycle.exceptions import InvalidParameterError

pa = pytest.importorskip("pyarrow")

_g = np.random.default_rng(0)
REF = _g.choice([0, 1, 2], 400, p=[0.5, 0.3, 0.2])
CUR = _g.choice([0, 1, 2], 300, p=[0.3, 0.3, 0.4])


def _frames(ref, cur):
    return (pd.DataFrame({"c": pd.Categorical(ref), "x": np.arange(len(ref)) % 7}),
            pd.DataFrame({"c": pd.Categorical(cur), "x": np.arange(len(cur)) % 7}))


@pytest.mark.parametrize("kind", ["pandas", "pyarrow"])
def test_categorical_typed_integer_column_gets_chi_square(kind):
    a, b = _frames(REF, CUR)
    if kind == "pyarrow":
        a, b = pa.Table.from_pandas(a), pa.Table.from_pandas(b)
        assert pa.types.is_dictionary(a.schema.field("c").type)
    rep = detect(a, b)
    assert rep["c"].test == "chi_square"
    assert rep["x"].test == "ks"


def test_relabelling_categories_leaves_the_answer_unchanged():
    # labels carry no order: any relabelling gives the same statistic and p-value
    relabel = np.array([2, 0, 1])
    plain = detect(*_frames(REF, CUR))["c"]
    moved = detect(*_frames(relabel[REF], relabel[CUR]))["c"]
    assert moved.statistic == pytest.approx(plain.statistic, rel=1e-12)
    assert moved.p_value == pytest.approx(plain.p_value, rel=1e-12)
    # plain ints are numbers (ordered): KS there, and relabelling changes it
    ints_a = pd.DataFrame({"c": REF})
    ints_b = pd.DataFrame({"c": CUR})
    assert detect(ints_a, ints_b)["c"].test == "ks"


def test_one_categorical_side_makes_the_column_categorical():
    a, b = _frames(REF, CUR)
    b = b.assign(c=b["c"].astype(int))
    assert detect(a, b)["c"].test == "chi_square"


def test_fitted_reference_keeps_the_declared_kind():
    a, b = _frames(REF, CUR)
    ref = Reference.fit(a)
    assert ref.compare(b)["c"].test == "chi_square"
    assert ref.compare(b)["c"].p_value == pytest.approx(detect(a, b)["c"].p_value, rel=1e-12)


def test_reference_fitted_numeric_refuses_a_categorical_current_column():
    a, b = _frames(REF, CUR)
    ref = Reference.fit(a.assign(c=a["c"].astype(int)))
    with pytest.raises(InvalidParameterError, match="categorical-typed column 'c'"):
        ref.compare(b)


def test_missing_categories_follow_nan_policy():
    a, b = _frames(REF, CUR)
    a.loc[:4, "c"] = np.nan
    with pytest.raises(InvalidParameterError, match="missing value"):
        detect(a, b)
    rep = detect(a, b, nan_policy="omit")
    assert rep["c"].test == "chi_square"
