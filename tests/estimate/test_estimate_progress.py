"""CBPE.fit reports its calibration fits through progress=."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.estimate import CBPE
from mllifecycle.exceptions import InvalidParameterError


def _reference(n=600, seed=0):
    rng = np.random.default_rng(seed)
    p = rng.random(n)
    return (rng.random(n) < p).astype(int), p


@pytest.mark.parametrize(
    ("kw", "total"),
    [
        ({"calibration": "auto", "cv": 3, "n_resamples": 4}, 3 + 1 + 4),
        ({"calibration": "isotonic", "n_resamples": 0}, 1),
        ({"calibration": "sigmoid", "n_resamples": 5}, 1 + 5),
    ],
)
def test_fit_reports_each_calibration_fit(kw, total):
    y, p = _reference()
    seen: list[tuple[int, int]] = []
    CBPE(random_state=0, **kw).fit(y_true=y, y_proba=p,
                                   progress=lambda d, t: seen.append((d, t)))
    assert [d for d, _ in seen] == list(range(1, total + 1))
    assert {t for _, t in seen} == {total}


def test_progress_does_not_change_the_estimate():
    y, p = _reference(seed=1)
    a = CBPE(n_resamples=3, random_state=0).fit(y_true=y, y_proba=p)
    b = CBPE(n_resamples=3, random_state=0).fit(y_true=y, y_proba=p,
                                                 progress=lambda d, t: None)
    q = np.linspace(0.01, 0.99, 200)
    assert a.estimate(q).to_dict() == b.estimate(q).to_dict()


@pytest.mark.parametrize("bad", ["yes", 0, None])
def test_bad_progress_is_refused_naming_it(bad):
    y, p = _reference()
    with pytest.raises(InvalidParameterError, match=r"'progress' parameter of CBPE.fit must"):
        CBPE().fit(y_true=y, y_proba=p, progress=bad)
