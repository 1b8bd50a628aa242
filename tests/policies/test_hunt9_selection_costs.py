"""PolicySelection's tables show costs with every digit before the point.

To four significant digits (``format_value``) a cost of 31234 was shown as
3.123e+04, and 31236 alike: candidates the table ranks apart looked tied.
"""

from __future__ import annotations

import pytest

from mllifecycle.policies import PolicySelection


def _selection(costs):
    table = tuple(
        {"policy": f"p{i}", "accuracy": 0.9, "errors": int(c), "retrains": 0,
         "labels": 1000, "cost": c}
        for i, c in enumerate(costs)
    )
    return PolicySelection(best="p0", policy=None, table=table, retrain_cost=100.0,
                           error_cost=1.0, replay=None)


@pytest.mark.parametrize(
    ("costs", "shown"),
    [
        ((31234.0, 31236.0), ("31234", "31236")),
        ((1712.0, 1937.0), ("1712", "1937")),  # as before
        ((123456.5, 123457.25), ("123456.5", "123457.2")),
        ((0.25, 7.3), ("0.25", "7.3")),  # as before
    ],
)
def test_costs_are_shown_in_full(costs, shown):
    sel = _selection(costs)
    lines = sel.summary().splitlines()[2:4]
    for line, text in zip(lines, shown, strict=True):
        assert line.split()[-1] == text
    html = sel._repr_html_()
    for text in shown:
        assert f"<td>{text}</td>" in html
