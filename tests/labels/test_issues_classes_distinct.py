"""``classes`` naming one class twice is refused (a dict lookup kept the last).

``classes=[0, 0.0]`` (or ``[1, True]``) maps every label of that class to the
second column; the rows were scored against the wrong probabilities.
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.labels import (
    confident_joint,
    estimate_noise_matrix,
    find_label_issues,
    label_quality,
)

Y = np.zeros(6, dtype=int)
P = np.array([[.9, .1], [.8, .2], [.2, .8], [.1, .9], [.3, .7], [.6, .4]])


@pytest.mark.parametrize(
    "fn", [find_label_issues, estimate_noise_matrix, label_quality, confident_joint],
    ids=lambda f: f.__name__,
)
@pytest.mark.parametrize("classes", [[0, 0], [0, 0.0], [0, False], ["a", np.str_("a")]])
def test_repeated_class_is_refused(fn, classes):
    y = np.array(["a"] * 6, dtype=object) if classes[0] == "a" else Y
    with pytest.raises(InvalidParameterError, match=r"'classes' parameter.*distinct") as err:
        fn(y, P, classes=classes)
    assert "repeated" in str(err.value)
