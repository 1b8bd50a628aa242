"""find_label_issues reads a probability table by its column names.

``DataFrame(model.predict_proba(X), columns=model.classes_)`` in another
column order than the labels' codes was read by position: the wrong rows
came back as label issues.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mllifecycle.labels import estimate_noise_matrix, find_label_issues

_g = np.random.default_rng(0)
N = 300
Y = _g.integers(0, 3, N)
P = np.full((N, 3), 0.05)
P[np.arange(N), Y] = 0.9
NOISY = Y.copy()
NOISY[:20] = (NOISY[:20] + 1) % 3
PERM = [2, 0, 1]
NAMES = np.array(["cat", "dog", "eel"])


@pytest.mark.parametrize(
    ("labels", "frame"),
    [
        (NOISY, pd.DataFrame(P[:, PERM], columns=PERM)),
        (NOISY, pd.DataFrame(P[:, PERM], columns=[str(c) for c in PERM])),
        (NAMES[NOISY], pd.DataFrame(P[:, PERM], columns=NAMES[PERM])),
    ],
    ids=["int-names", "text-names", "string-labels"],
)
def test_tables_named_by_class_are_read_by_name(labels, frame):
    want = np.sort(find_label_issues(NOISY, P).indices)
    got = np.sort(find_label_issues(labels, frame).indices)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(want, np.arange(20))


def test_noise_matrix_by_name_is_the_permuted_one():
    want = estimate_noise_matrix(NOISY, P)
    got = estimate_noise_matrix(NOISY, pd.DataFrame(P[:, PERM], columns=PERM))
    w = np.asarray(getattr(want, "noise_matrix", want))
    g = np.asarray(getattr(got, "noise_matrix", got))
    np.testing.assert_allclose(g, w[np.ix_(PERM, PERM)], atol=1e-12)  # in column order


def test_other_names_are_read_by_position():
    frame = pd.DataFrame(P, columns=["p0", "p1", "p2"])
    np.testing.assert_array_equal(
        np.sort(find_label_issues(NOISY, frame).indices), np.arange(20)
    )
