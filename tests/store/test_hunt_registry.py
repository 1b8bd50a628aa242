"""Hunt: values written with a registration come back exactly after reopening."""

from __future__ import annotations

import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import Registry, Store

FIT = DummyClassifier().fit([[0], [1]], [0, 1])


@pytest.mark.parametrize("n_labels", [0, 2**53 + 1, 2**62 + 3, 2**63 - 1])
def test_n_labels_round_trips_exactly(tmp_path, n_labels):
    # 2**53 + 1 came back as 2**53: the count went through a float
    path = str(tmp_path / "s.db")
    Registry(Store(path)).register("m", FIT, n_labels=n_labels)
    got = Registry(Store(path)).get("m", 1).n_labels
    assert got == n_labels
    assert type(got) is int


@pytest.mark.parametrize(
    ("n_labels", "match"),
    [
        (2**63, r"'n_labels' parameter of register must be an int in the range \[0, "),
        (10**30, r"'n_labels' parameter of register must be an int in the range \[0, "),
        (-1, r"'n_labels' parameter of register"),
        (1.0, r"'n_labels' parameter of register"),
    ],
)
def test_n_labels_out_of_range_is_a_clear_error(tmp_path, n_labels, match):
    # 2**63 raised a raw OverflowError from sqlite3
    reg = Registry(Store(str(tmp_path / "s.db")))
    with pytest.raises(InvalidParameterError, match=match):
        reg.register("m", FIT, n_labels=n_labels)
    assert reg.names() == []
