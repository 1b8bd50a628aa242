"""The labelling page's ``choices`` are labels the queue takes, of one kind.

``create_app(choices="yes")`` offered the buttons ``y``, ``e`` and ``s``;
NumPy labels (``np.array([0, 1])``) failed with a raw ``TypeError``; ``NaN``
(invalid JSON in the page's script) and ``None`` made buttons whose every
answer was refused, as did a mix of kinds (``[True, 1]``).
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import Store

pytest.importorskip("starlette")




def _page(asgi, app):
    status, text = asgi(app, "GET", "/", headers=[])
    assert status == 200
    return text


@pytest.mark.parametrize(
    ("choices", "shown"),
    [
        (np.array([0, 1]), "[0, 1]"),
        ([np.float32(0.5), 1], "[0.5, 1]"),
        (("cat", "dog"), '["cat", "dog"]'),
        ([], "[]"),
    ],
)
def test_choices_are_written_as_labels(asgi, choices, shown):
    from mllifecycle.store import create_app

    page = _page(asgi, create_app(Store(":memory:"), choices=choices))
    assert f"const CHOICES = {shown};" in page


@pytest.mark.parametrize(
    ("choices", "match"),
    [
        ("yes", r"'choices' parameter of create_app must be a sequence of labels\. Got 'yes'"),
        (5, r"'choices' parameter of create_app must be a sequence of labels\. Got 5"),
        ([float("nan")], r"must be labels that are strings, integers, booleans or finite "
                         r"floats\. Got nan"),
        (["a", None], r"must be labels that are strings.*Got None"),
        ([True, 1], r"must be labels of one kind .*Got booleans and numbers \(True and 1\)"),
        (["1", 1], r"must be labels of one kind .*Got text and numbers"),
    ],
)
def test_choices_that_are_no_labels_are_refused(choices, match):
    from mllifecycle.store import create_app

    with pytest.raises(InvalidParameterError, match=match):
        create_app(Store(":memory:"), choices=choices)
