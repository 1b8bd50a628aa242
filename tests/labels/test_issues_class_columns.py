"""find_label_issues reads a table named by class with the library's one rule.

Its own matcher compared names and labels as text, so a table whose names
are numbers written another way than the labels (``[1, 0]`` against labels
``0.0, 1.0``, ``"1"`` against ``1.0``, ``1.0`` against ``1``) was read by
position: every label was checked against the other class's column (mean
self-confidence 0.25 for 0.75, and the right rows hidden among "issues").
A table naming some labels beside other columns, or naming one class twice,
was read by position too. See tests/foundation/test_frames_class_columns.py
for the same tables in CBPE and the gates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import estimate_noise_matrix, find_label_issues

_g = np.random.default_rng(3)
N = 300
CODES = _g.integers(0, 2, N)
P = np.full((N, 2), 0.1)
P[np.arange(N), CODES] = 0.9
NOISY = CODES.copy()
NOISY[:15] = 1 - NOISY[:15]


@pytest.mark.parametrize("names", [[1, 0], ["1", "0"], [1.0, 0.0], ["1.0", "0.0"]])
@pytest.mark.parametrize("kind", [float, int], ids=["float-labels", "int-labels"])
def test_numeric_names_are_matched_by_value(names, kind):
    want = find_label_issues(NOISY, P)
    got = find_label_issues(NOISY.astype(kind), pd.DataFrame(P[:, ::-1], columns=names))
    np.testing.assert_array_equal(np.sort(got.indices), np.arange(15))
    np.testing.assert_array_equal(got.label_quality, want.label_quality)
    # the classes are the labels as y gives them, in the table's column order
    assert got.noise.classes.tolist() == [1, 0]
    assert {type(v) for v in got.given_labels.tolist()} == {kind}


def test_a_further_column_is_a_class_no_row_was_given():
    P3 = np.column_stack([P * 0.9, np.full(N, 0.1)])
    got = estimate_noise_matrix(NOISY.astype(float), pd.DataFrame(P3[:, [2, 1, 0]],
                                                                   columns=["2", "1", "0"]))
    assert got.classes.tolist() == ["2", 1.0, 0.0]  # named columns take y's labels


@pytest.mark.parametrize(
    ("names", "match"),
    [([1, "x"], "no column for the class 0"), (["1", "1.0"], "both naming the class 1"),
     ([True, False], "the column True for the class 1")],
)
def test_partial_repeated_or_flag_names_are_refused(names, match):
    with pytest.raises(InvalidParameterError, match=rf"'y_proba' parameter of "
                                                    rf"find_label_issues.*{match}"):
        find_label_issues(NOISY, pd.DataFrame(P[:, ::-1], columns=names))


def test_a_partial_naming_of_text_labels_is_refused():
    labels = np.array(["a", "b", "c"])[_g.integers(0, 3, N)]
    frame = pd.DataFrame(np.full((N, 3), 1 / 3), columns=["c", "a", "p2"])
    with pytest.raises(InvalidParameterError, match="no column for the class 'b'"):
        find_label_issues(labels, frame)
