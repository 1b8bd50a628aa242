"""cadence counts the labels bought after the initial training window."""

from __future__ import annotations

import pytest
from sklearn.naive_bayes import GaussianNB

from mllifecycle.budget import cadence
from mllifecycle.datasets import sea_stream
from mllifecycle.policies import Periodic
from mllifecycle.replay import replay


@pytest.fixture(scope="module")
def report():
    stream = sea_stream(6_000, rng=0)
    result = replay(
        stream.X, stream.y, GaussianNB(),
        {"never": Periodic(every=100_000), "every 1000": Periodic(every=1000)},
        initial_train_size=1000,
    )
    assert result["never"].labels == 1000  # the initial window only
    assert result["every 1000"].labels == 6000
    return cadence(result, period=1000, horizon=10_000)


def test_a_policy_that_never_retrains_labels_nothing_per_period(report):
    # its 1000 initial labels were spread over the 5 periods: "200 per period"
    assert report.policies["never"].labels_per_period == 0.0


def test_a_periodic_policy_labels_one_period_per_period(report):
    # retrains every 1000 rows on the 1000 new rows: 1000 labels a period (was 1200)
    assert report.policies["every 1000"].labels_per_period == pytest.approx(1000.0)
    assert report.policies["every 1000"].retrains_per_period == pytest.approx(1.0)
