"""One rule for the column keys of ``categorical_features`` and ``tests``.

A string is a column label, an int a position; an int that is also the label
of a column at another position is refused as ambiguous (``categorical_features``
read it as a position and ``tests`` as a label, in the same call).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.drift import Reference, detect
from mllifecycle.exceptions import InvalidParameterError


def _pair(labels, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for shift in (0.0, 0.5):
        out.append(
            pd.DataFrame(
                {labels[0]: rng.integers(0, 3, 300), labels[1]: rng.normal(size=300) + shift}
            )
        )
    return out


def _tests(report):
    return {f.name: f.test for f in report.features}


@pytest.mark.parametrize(
    ("kwargs", "arg"),
    [
        ({"categorical_features": [0]}, "categorical_features"),
        ({"tests": {0: "psi"}}, "tests"),
        ({"tests": {10: "ks"}}, "tests"),
        ({"categorical_features": [np.int64(0)]}, "categorical_features"),
    ],
)
def test_int_that_labels_another_column_is_refused(kwargs, arg):
    a, b = _pair([10, 0])
    with pytest.raises(InvalidParameterError, match=rf"'{arg}'.*label of the column at position"):
        detect(a, b, rng=0, **kwargs)
    with pytest.raises(InvalidParameterError, match=f"'{arg}'"):
        Reference.fit(a, **kwargs)
    with pytest.raises(InvalidParameterError, match=f"'{arg}'"):
        Reference.fit(a, sketch=True, **kwargs)
    with pytest.raises(InvalidParameterError, match=f"'{arg}'"):
        detect(dict(a.items()), dict(b.items()), rng=0, **kwargs)


def test_text_labels_and_positions_agree():
    a, b = _pair([10, 0])
    by_label = detect(a, b, categorical_features=["10"], tests={"0": "psi"}, rng=0)
    assert _tests(by_label) == {"10": "chi_square", "0": "psi"}
    by_pos = detect(a, b, categorical_features=[], tests={1: "psi"}, rng=0)
    # position 1 is column 0 (its label is not an int of another position)
    assert _tests(by_pos)["0"] == "psi"


def test_labels_equal_to_positions_read_either_way():
    a, b = _pair([0, 1])
    r1 = detect(a, b, categorical_features=[0], tests={1: "psi"}, rng=0)
    r2 = detect(a, b, categorical_features=["0"], tests={"1": "psi"}, rng=0)
    assert _tests(r1) == _tests(r2) == {"0": "chi_square", "1": "psi"}
    assert r1.to_dict() == r2.to_dict()


def test_array_tests_keys_by_position():
    a, b = _pair(["p", "q"])
    r = detect(a.to_numpy(), b.to_numpy(), tests={1: "psi"}, categorical_features=[0], rng=0)
    assert _tests(r) == {"x0": "chi_square", "x1": "psi"}


def test_two_keys_for_one_column_refused():
    a, b = _pair(["p", "q"])
    with pytest.raises(InvalidParameterError, match=r"'tests'.*naming each column once"):
        detect(a, b, tests={0: "ks", "p": "chi_square"})


def test_sketched_reference_with_int_labels_compares():
    # the categorical column at position 0 while label 0 is at position 1:
    # compare passes the kinds on by name, not by a position now ambiguous
    a, b = _pair([10, 0])
    exact = detect(a, b, categorical_features=["10"])
    for sketch in (None, True):
        ref = Reference.fit(a, categorical_features=["10"], sketch=sketch)
        rep = ref.compare(b)
        assert _tests(rep) == _tests(exact)
        assert rep.drifted == exact.drifted


def test_dask_frames_follow_the_same_rule():
    dd = pytest.importorskip("dask.dataframe")
    import dask

    a, b = _pair([10, 0])
    da, db = dd.from_pandas(a, npartitions=2), dd.from_pandas(b, npartitions=2)
    with dask.config.set(scheduler="synchronous"):
        with pytest.raises(InvalidParameterError, match="'categorical_features'"):
            detect(da, db, categorical_features=[0])
        with pytest.raises(InvalidParameterError, match="'tests'"):
            Reference.fit(da, tests={0: "ks"})
        rep = detect(da, db, categorical_features=["10"])
    assert _tests(rep) == {"10": "chi_square", "0": "ks"}


def test_float_labels_equal_to_an_int_are_labels_too():
    # pandas' df[0] selects a column labelled 0.0: an int 0 at another position is ambiguous
    a, b = _pair([1.0, 0.0])
    with pytest.raises(InvalidParameterError, match=r"'categorical_features'.*'0\.0'"):
        detect(a, b, categorical_features=[0])
    assert _tests(detect(a, b, categorical_features=["1.0"]))["1.0"] == "chi_square"
