"""ReplayResult's HTML table shows the numbers its summary shows.

The HTML table formatted costs to four significant digits: 31234 and 31236
were both 3.123e+04, where the summary showed 31234.0 and 31236.0.
"""

from __future__ import annotations

import numpy as np

from mllifecycle.replay import PolicyRun, ReplayResult


def _run(name, cost, accuracy):
    return PolicyRun(
        name=name, accuracy=accuracy, n_evaluated=100_000, errors=int(cost), retrains=0,
        events=(), labels=1000, fit_seconds=0.125, predict_seconds=0.0,
        total_seconds=1.0, cost=cost, batch_ends=np.array([100_000]),
        batch_accuracy=np.array([accuracy]),
    )


def test_html_cells_are_the_summary_cells():
    result = ReplayResult(
        runs={"a": _run("a", 31234.0, 0.68766), "b": _run("b", 31236.0, 0.68764)},
        n_samples=101_000, initial_train_size=1000, batch_size=100, label_delay=0,
        retrain_cost=100.0, error_cost=1.0,
    )
    html = result._repr_html_()
    for line in result.summary().splitlines()[2:]:
        for cell in line.split():
            assert f"<td>{cell}</td>" in html
    assert "<td>31234.0</td>" in html
    assert "<td>31236.0</td>" in html
