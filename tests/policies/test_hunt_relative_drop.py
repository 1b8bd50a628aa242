"""OnPerformanceDrop(relative=True) measures the drop against |baseline|."""

from __future__ import annotations

import pytest

from mllifecycle.policies import LifecycleState, OnPerformanceDrop


@pytest.mark.parametrize(
    ("baseline", "metric", "size", "fires"),
    [
        # negative log-loss (higher is better): -0.5 -> -0.9 is a drop of 0.4,
        # lower bound 0.4 - 1.6449 * 0.01 = 0.38355, 76.7 % of |-0.5|
        (-0.5, -0.9, 0.38355 / 0.5, True),
        # an improvement on a negative baseline is not a drop
        (-0.5, -0.3, (-0.2 - 0.016449) / 0.5, False),
        # positive baselines unchanged
        (0.5, 0.1, 0.38355 / 0.5, True),
        (0.5, 0.45, (0.05 - 0.016449) / 0.5, False),
    ],
)
def test_relative_drop_on_a_baseline_of_either_sign(baseline, metric, size, fires):
    p = OnPerformanceDrop(0.1, relative=True, baseline=baseline)
    d = p.should_retrain(
        LifecycleState(step=1, metric=metric, metric_n=1000, metric_std_error=0.01,
                       metric_name="neg_log_loss")
    )
    assert d.retrain is fires
    assert f"drop lower bound {size:.4g} (relative)" in d.reason


def test_relative_drop_on_a_zero_baseline_is_measured_in_metric_units_as_documented():
    # no relative drop is defined against 0: the lower bound 0.3 - 1.6449 * 0.01
    # is compared, in metric units, with the threshold (the reason said
    # "(relative)")
    p = OnPerformanceDrop(0.1, relative=True, baseline=0.0)
    d = p.should_retrain(
        LifecycleState(step=1, metric=-0.3, metric_n=1000, metric_std_error=0.01,
                       metric_name="r2")
    )
    assert d.retrain
    assert (f"drop lower bound {0.3 - 1.6448536269514722 * 0.01:.4g} (in metric units: the "
            "baseline is 0) vs threshold 0.1") in d.reason
