"""Hunt: only a bound pair inside [0, 1] makes the plan read a metric as a proportion.

``plan`` counted held-out rows from a proportion's variance ``p (1 - p)`` for
any target in [0, 1] unless a bound lay outside [0, 1]: a metric bounded below
only (``(0, None)``: an RMSE, a log loss), above only (``(None, 0)``: a negated
error) or not at all was read as a proportion in [0, 1].
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from mllifecycle.budget import fit_curve, plan
from mllifecycle.cli import main

SIZES = np.array([100, 200, 400, 800, 1600.0])
RMSE = 0.2 + 3.0 * SIZES**-0.5  # lower is better, bounded below by 0
Z = 1.959963984540054


def _inverse_power_size(curve, target):
    """Where the fitted ``a + b n**-c`` meets ``target``, solved directly."""
    a, b, c = curve.params
    return ((target - a) / b) ** (-1.0 / c)


CASES = [
    # bounds, scores, target, a proportion?
    ((0, None), RMSE, 0.25, False),  # an RMSE
    ((0, None), RMSE, 0.22, False),
    ((None, 0), -RMSE, -0.25, False),  # a negated error (scikit-learn's neg_*)
    ((None, 0), -(SIZES**-0.5), -0.01, False),
    ((None, None), RMSE, 0.25, False),  # no bounds given: unknown, not a proportion
    ((None, 1), 0.9 - SIZES**-0.5, 0.88, False),  # one side only
    ((0, 1), 0.9 - SIZES**-0.5, 0.88, True),  # an accuracy
    ((0.5, 1), 0.9 - SIZES**-0.5, 0.88, True),  # an AUC, at least chance
    ((0, 2), 0.9 - SIZES**-0.5, 0.88, False),  # a pair beyond [0, 1]
]


@pytest.mark.parametrize(("bounds", "scores", "target", "proportion"), CASES)
def test_plan_reads_a_proportion_only_from_bounds_inside_zero_one(
    bounds, scores, target, proportion
):
    curve = fit_curve(SIZES, scores, bounds=bounds, family="inverse_power", rng=0)
    assert curve.bounds == tuple(None if b is None else float(b) for b in bounds)
    p = plan(curve, target)
    # the rows to acquire are where the fitted curve reaches the target
    assert p.reachable
    rows = p.figure("acquire", "rows").value
    assert rows == pytest.approx(_inverse_power_size(curve, target), rel=1e-6)
    assert float(curve.predict(rows)[0]) == pytest.approx(target, abs=1e-9)
    assert p.figure("acquire", "additional rows").value == pytest.approx(rows - 1600)
    evaluate = next(s for s in p.stages if s.name == "evaluate")
    if proportion:
        n_eval = math.ceil(Z**2 * target * (1 - target) / 0.02**2)
        assert p.figure("evaluate", "held-out rows").value == n_eval
        assert any("proportion near" in n for n in p.notes)
    else:
        assert evaluate.figures == ()
        assert any("is not a proportion" in n for n in p.notes)
        assert not any("proportion near" in n for n in p.notes)
    assert json.dumps(p.to_dict())


@pytest.mark.parametrize(
    ("bounds", "scores", "target"),
    [((None, 0), -RMSE, 0.0), ((None, 0), -RMSE, -0.0), ((0, None), RMSE, 1.0),
     ((None, None), -RMSE, 0.0)],
)
def test_targets_in_zero_one_of_one_sided_metrics_get_no_proportion_rows(
    bounds, scores, target
):
    # a neg_* scorer's best value 0 lies in [0, 1]: it was read as a proportion
    curve = fit_curve(SIZES, scores, bounds=bounds, family="inverse_power", rng=0)
    p = plan(curve, target)
    assert p.stages[-1].figures == ()
    assert any("is not a proportion" in n for n in p.notes)


def test_an_rmse_target_is_reached_at_the_size_the_curve_implies():
    # 0.2 + 3 / sqrt(n) = 0.25 at n = (3 / 0.05)**2 = 3600
    curve = fit_curve(SIZES, RMSE, bounds=(0, None), family="inverse_power", rng=0)
    p = plan(curve, 0.25)
    assert p.figure("acquire", "rows").value == pytest.approx(3600, rel=1e-6)
    assert p.stages[-1].figures == ()
    # below the bound: never reached
    assert not plan(curve, -0.01).reachable


def _curve_file(tmp_path, scores):
    path = tmp_path / "curve.csv"
    rows = "".join(f"{n:g},{s:.17g}\n" for n, s in zip(SIZES, scores, strict=True))
    path.write_text("size,score\n" + rows)
    return str(path)


@pytest.mark.parametrize(
    ("bounds", "scores", "target", "held_out"),
    [
        (["0", "1"], 0.9 - SIZES**-0.5, "0.88", True),
        (["0", "none"], RMSE, "0.25", False),
        (["none", "0"], -RMSE, "-0.25", False),
        (None, 0.9 - SIZES**-0.5, "0.88", False),
    ],
)
def test_cli_plan_takes_the_bounds(tmp_path, capsys, bounds, scores, target, held_out):
    path = _curve_file(tmp_path, scores)
    extra = ["--bounds", *bounds] if bounds else []
    code = main(["plan", path, "--target", target, "--family", "inverse_power", "--json",
                 *extra])
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert code == 0
    figures = {s["name"]: s["figures"] for s in out["stages"]}
    assert bool(figures["evaluate"]) is held_out
    # without --bounds, a target in [0, 1] gets a note saying how to plan held-out rows
    assert ("pass --bounds 0 1 if it is a proportion" in captured.err) is (bounds is None)


def test_cli_plan_refuses_bounds_that_are_not_numbers(tmp_path, capsys):
    path = _curve_file(tmp_path, RMSE)
    assert main(["plan", path, "--target", "0.25", "--bounds", "0", "big"]) == 2
    err = capsys.readouterr().err
    assert "'bounds' parameter of mllifecycle plan must be two numbers or 'none'" in err
    assert "Got 'big' instead" in err
