"""PerformanceEstimate prints its confidence level with every digit it has.

Four significant digits showed ``confidence_level=0.99999`` as
``confidence_level=1`` and its intervals as "100% CI" (an interval of finite
width called certain).
"""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.estimate import CBPE


@pytest.mark.parametrize(
    ("level", "head", "percent"),
    [
        (0.95, "0.95", "95"),
        (0.9, "0.9", "90"),
        (0.975, "0.975", "97.5"),
        (0.99999, "0.99999", "99.999"),
        (0.123456, "0.123456", "12.3456"),
    ],
)
def test_repr_and_html_show_the_level(level: float, head: str, percent: str) -> None:
    rng = np.random.default_rng(0)
    p = rng.uniform(size=2000)
    y = (rng.uniform(size=2000) < p).astype(int)
    est = CBPE(confidence_level=level, calibration="none").fit(y_true=y, y_proba=p)
    res = est.estimate(p[:300])
    text = repr(res)
    assert f"confidence_level={head})" in text
    assert f"  {percent}% CI [" in text
    assert f"{percent}% intervals" in res._repr_html_()
    assert res.confidence_level == level
