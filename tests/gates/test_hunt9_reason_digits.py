"""The gates' reasons show numbers on the side of the bound they are on.

Values were printed with 4 significant digits and bounds with ``:g`` (6):
an accuracy of 0.79995 against a minimum of 0.8 read "accuracy 0.8 < minimum
0.8", a lower bound just above ``-margin`` "-0.03 > -margin -0.03", a bound of
0.8000001 was named "0.8", and the one-sided level of ``alpha=0.025`` was
printed as "98%" (``alpha=0.005``: "100%").
"""

from __future__ import annotations

import operator
import re

import numpy as np
import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.gates import (
    GateContext,
    MetricThreshold,
    NoRegression,
    SignificantImprovement,
)

_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_NUM = r"([-+]?[0-9.]+(?:e[-+]?[0-9]+)?)"


def _claims(text: str) -> list[tuple[float, str, float]]:
    """Every "X op [words] Y" comparison of two numbers stated in ``text``."""
    pattern = _NUM + r" (<=|>=|<|>) (?:[-a-z ]+ )?(?:= )?" + _NUM
    return [(float(a), op, float(b)) for a, op, b in re.findall(pattern, text)]


def _assert_true_claims(reasons: tuple[str, ...]) -> int:
    n = 0
    for line in reasons:
        for a, op, b in _claims(line):
            assert _OPS[op](a, b), f"{line!r} states {a} {op} {b}"
            n += 1
    return n


def _accuracy_context(n_wrong: int, n: int = 20000) -> GateContext:
    y = np.zeros(n, dtype=int)
    y[: n // 2] = 1
    challenger = y.copy()
    challenger[:n_wrong] = 1 - challenger[:n_wrong]
    return GateContext(y_true=y, challenger=challenger)


@pytest.mark.parametrize(
    ("bounds", "n_wrong"),
    [
        ({"minimum": 0.8}, 4001),  # 0.79995 < 0.8
        ({"minimum": 0.8}, 3999),  # 0.80005 >= 0.8
        ({"maximum": 0.8}, 3999),
        ({"maximum": 0.79995}, 4001),  # equal
        ({"minimum": 0.7999, "maximum": 0.80004}, 3999),
    ],
)
def test_threshold_reason_states_a_true_comparison(bounds: dict, n_wrong: int) -> None:
    res = MetricThreshold("accuracy", **bounds).check(_accuracy_context(n_wrong))
    assert _assert_true_claims(res.reasons) == len(bounds)
    value = res.evidence["value"]
    expected = all(
        (value >= b) if k == "minimum" else (value <= b) for k, b in bounds.items()
    )
    assert res.passed is expected


def test_threshold_name_shows_the_bound_given() -> None:
    gate = MetricThreshold("accuracy", minimum=0.8000001)
    assert gate.name == "MetricThreshold(accuracy >= 0.8000001)"
    res = gate.check(_accuracy_context(4000))  # accuracy exactly 0.8: below the bound
    assert not res.passed
    assert res.reasons == ("accuracy 0.8 < minimum 0.8000001",)
    # bounds :g printed exactly keep their text
    assert MetricThreshold("accuracy", minimum=0.8).name == "MetricThreshold(accuracy >= 0.8)"


def _paired_context(worse: bool = False) -> GateContext:
    rng = np.random.default_rng(1)
    n = 3000
    y = rng.integers(0, 2, n)
    old = np.where(rng.random(n) < 0.8, y, 1 - y)
    new = np.where(rng.random(n) < 0.85, y, 1 - y)
    if worse:
        old, new = new, old
    return GateContext(y_true=y, champion=old, challenger=new, rng=0)


@pytest.mark.parametrize("side", [-1, 1])
def test_no_regression_verdict_states_a_true_comparison(side: int) -> None:
    ctx = _paired_context(worse=True)
    first = NoRegression("accuracy", margin=0.1, n_resamples=400).check(ctx)
    lower = first.evidence["lower_bound"]
    assert lower < 0.0
    # -margin a hair above (side=1: fail) or below (side=-1: pass) the lower bound, which the
    # margin does not move
    margin = -lower - side * 1e-9
    res = NoRegression("accuracy", margin=margin, n_resamples=400).check(ctx)
    assert res.evidence["lower_bound"] == lower
    assert res.passed is (side == -1)
    verdict = res.reasons[1]
    assert verdict.startswith("lower bound")
    assert _assert_true_claims((verdict,)) == 1
    assert repr(margin) in res.name


def test_permutation_verdict_states_a_true_comparison() -> None:
    rng = np.random.default_rng(6)
    n = 40
    y = rng.integers(0, 2, n)
    old = np.where(rng.random(n) < 0.6, y, 1 - y)
    new = np.where(rng.random(n) < 0.9, y, 1 - y)
    ctx = GateContext(y_true=y, champion=old, challenger=new, rng=0)
    p = SignificantImprovement("accuracy", alpha=0.4, n_resamples=200).check(ctx).evidence[
        "p_value"]
    alpha = float(np.nextafter(p, 1.0))  # p is just below alpha
    assert float(f"{p:.4g}") > alpha  # 4 digits round p up past alpha
    res = SignificantImprovement("accuracy", alpha=alpha, n_resamples=1000).check(ctx)
    assert res.evidence["test"] == "permutation"
    assert res.passed
    assert _assert_true_claims(res.reasons[1:2]) == 1


@pytest.mark.parametrize(
    ("alpha", "shown"), [(0.05, "95%"), (0.025, "97.5%"), (0.005, "99.5%"), (0.1, "90%")]
)
def test_one_sided_level_is_printed_as_it_is(alpha: float, shown: str) -> None:
    res = NoRegression("accuracy", margin=0.01, alpha=alpha, n_resamples=1000).check(
        _paired_context())
    assert f"with one-sided {shown} bounds" in res.reasons[0]


def _undefined_metric(y_true, y_pred) -> float:
    return float("nan")


@pytest.mark.parametrize("bounds", [{"minimum": 0.8}, {"maximum": 0.8}])
def test_threshold_refuses_an_undefined_callable_value(bounds: dict) -> None:
    # it failed on "_undefined_metric nan < minimum 0.8", a false statement;
    # NoRegression refuses such data
    gate = MetricThreshold(_undefined_metric, **bounds)
    with pytest.raises(InvalidParameterError,
                       match="'y_true' parameter of MetricThreshold must be data on which "
                       "'_undefined_metric' is defined"):
        gate.check(_accuracy_context(10, n=100))
