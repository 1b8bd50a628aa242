"""Compute scaling, retrain cadence, the plan and the `mllifecycle plan` command."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from mllifecycle.budget import (
    cadence,
    fit_compute,
    fit_curve,
    plan,
    redundancy,
    samples_needed,
    time_fits,
)
from mllifecycle.cli import main
from mllifecycle.exceptions import InvalidParameterError


def test_power_law_recovered_exactly():
    rows = np.array([1e3, 2e3, 4e3, 8e3, 1e3, 4e3])
    feats = np.array([10, 10, 10, 10, 40, 40.0])
    secs = 3e-6 * rows**1.5 * feats**0.8
    model = fit_compute(rows, feats, secs)
    assert model.rows_exponent == pytest.approx(1.5)
    assert model.features_exponent == pytest.approx(0.8)
    est, lo, hi = model.predict(64_000, 20)
    assert est == pytest.approx(3e-6 * 64_000**1.5 * 20**0.8)
    assert lo <= est <= hi


def test_no_residual_degrees_of_freedom_gives_an_unbounded_interval():
    """Three runs and three parameters (features varied) leave no residual to
    estimate the noise: the interval was zero-width (certainty), it is (0, inf)."""
    model = fit_compute([100, 200, 400], [5, 10, 5], [0.1, 0.25, 0.4],
                        peak_memory=[1e6, 3e6, 4e6])
    est, lo, hi = model.predict(1000, 5)
    assert est == pytest.approx(1.0)
    assert (lo, hi) == (0.0, math.inf)
    assert model.predict_memory(1000, 5)[1:] == (0.0, math.inf)


@pytest.mark.slow
def test_compute_prediction_interval_coverage():
    hits, trials = 0, 300
    for s in range(trials):
        rng = np.random.default_rng(s)
        rows = np.array([500, 1000, 2000, 4000, 8000.0])
        noisy = 1e-5 * rows**1.2 * np.exp(rng.normal(0, 0.1, rows.size))
        model = fit_compute(rows, np.full(5, 8.0), noisy, confidence_level=0.9)
        new = 1e-5 * 32_000**1.2 * np.exp(rng.normal(0, 0.1))
        _, lo, hi = model.predict(32_000, 8)
        hits += lo <= new <= hi
    rate = hits / trials
    assert rate >= 0.9 - 3 * np.sqrt(0.09 / trials)


def test_time_fits_times_real_fits():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 4))
    y = (X[:, 0] > 0).astype(int)
    model = time_fits(LogisticRegression(), X, y, [300, 1000, 3000], repeats=2,
                      measure_memory=True, rng=0)
    assert model.seconds.size == 3
    assert np.all(model.seconds > 0)
    assert model.predict_memory(6000, 4) is not None


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (([1, 2], [1, 1], [1, 1]), "at least 3 timed runs"),
        (([5, 5, 5], [1, 1, 1], [1, 2, 3]), "2 or more distinct row counts"),
        (([1, 2, 3], [1, 1], [1, 2, 3]), "'n_features'"),
        (([1, 2, 3], [1, 1, 1], [1, 0, 3]), "'seconds'"),
        # features in lockstep with rows: lstsq split the exponent arbitrarily
        # (rows^-2.04 x features^3.04 for time linear in rows)
        (([100, 200, 400, 800], [10, 20, 40, 80], [0.01, 0.02, 0.04, 0.08]),
         r"'n_features' parameter of fit_compute must be counts that vary independently"),
    ],
)
def test_fit_compute_bad_input(args, match):
    with pytest.raises(InvalidParameterError, match=match):
        fit_compute(*args)


def test_garwood_interval_known_values():
    from mllifecycle.budget._plan import _garwood

    assert _garwood(0, 0.9) == pytest.approx((0.0, -np.log(0.05)))
    lo, hi = _garwood(10, 0.95)
    assert lo == pytest.approx(4.7954, abs=1e-3)
    assert hi == pytest.approx(18.390, abs=1e-3)


def test_cadence_of_a_periodic_policy():
    from sklearn.naive_bayes import GaussianNB

    from mllifecycle.datasets import sea_stream
    from mllifecycle.policies import Periodic
    from mllifecycle.replay import replay

    stream = sea_stream(11_000, rng=0)
    result = replay(stream.X, stream.y, GaussianNB(), {"p": Periodic(every=2000)})
    report = cadence(result, period=1000, horizon=50_000)
    run = result["p"]
    span = 11_000 - result.initial_train_size
    p = report.policies["p"]
    assert p.retrains_per_period == pytest.approx(run.retrains / (span / 1000))
    # the labels of the initial window are held before the span
    assert p.labels_per_period == pytest.approx(
        (run.labels - result.initial_train_size) / (span / 1000)
    )
    assert p.horizon_retrains_ci_low <= p.horizon_retrains <= p.horizon_retrains_ci_high
    assert "cadence.p.retrains" in report.to_metrics()
    with pytest.raises(InvalidParameterError, match="'result' parameter of cadence"):
        cadence({"p": 1}, period=1, horizon=1)
    with pytest.raises(InvalidParameterError, match="'period'"):
        cadence(result, period=0, horizon=1)


def _curve():
    sizes = np.array([100, 200, 400, 800.0])
    return fit_curve(sizes, 0.9 - sizes**-0.5, family="inverse_power", rng=0)


def test_plan_figures_are_consistent():
    red = redundancy(0.8, 0.95, rng=0)
    compute = fit_compute([1000, 2000, 4000], [5, 5, 5], [0.1, 0.2, 0.4])
    sizes = np.array([100, 200, 400, 800.0])
    # an accuracy: bounds (0, 1) make it a proportion, with held-out rows
    curve = fit_curve(sizes, 0.9 - sizes**-0.5, bounds=(0, 1), family="inverse_power", rng=0)
    p = plan(curve, 0.88, price_per_label=0.5, labels_per_hour=60, redundancy=red,
             compute=compute)
    add = p.figure("acquire", "additional rows")
    answers = p.figure("label", "answers")
    k = red.weighted_needed
    assert answers.value == pytest.approx(add.value * k)
    assert p.figure("label", "cost").value == pytest.approx(answers.value * 0.5)
    assert p.figure("label", "labeller hours").value == pytest.approx(answers.value / 60)
    assert p.figure("train", "seconds per fit").value == pytest.approx(
        compute.predict(p.samples.n_samples, 5)[0]
    )
    # 95% interval of +-0.02 around 0.88: z^2 p (1-p) / m^2
    assert p.figure("evaluate", "held-out rows").value == np.ceil(
        1.959963984540054**2 * 0.88 * 0.12 / 0.02**2
    )
    assert json.dumps(p.to_dict())
    assert p.to_metrics()["plan.acquire.rows"] == pytest.approx(2500, rel=1e-3)


def test_plan_with_nothing_to_add_buys_no_answers():
    """Target already reached (0 additional rows) with a label-accuracy target no
    redundancy reaches: 0 * inf made every label figure NaN; no rows, no answers."""
    red = redundancy(0.6, 0.999, max_answers=3, rng=0)
    assert red.weighted_needed is None
    assert red.majority_needed is None
    p = plan(_curve(), 0.5, price_per_label=0.5, labels_per_hour=60, redundancy=red)
    assert p.figure("acquire", "additional rows").value == 0
    for name in ("answers", "cost", "labeller hours"):
        f = p.figure("label", name)
        assert (f.value, f.ci_low, f.ci_high) == (0.0, 0.0, 0.0)
    # rows to add at an unbounded redundancy still cost an unbounded number of answers
    far = plan(_curve(), 0.88, redundancy=red)
    assert far.figure("label", "answers").value == math.inf


@pytest.mark.parametrize("price", [0.0, 0.5])
def test_plan_unreachable_label_accuracy_costs_inf_not_nan(price):
    """Free labels, a label-accuracy target no redundancy reaches: infinite answers
    times a price of 0 gave a cost of NaN. The labels cannot be had: the cost is
    inf (None in to_dict) like every unreachable figure, and the plan says it is
    not reachable."""
    red = redundancy(0.6, 0.999, max_answers=3, rng=0)
    assert red.weighted_needed is None
    assert red.majority_needed is None
    p = plan(_curve(), 0.88, price_per_label=price, labels_per_hour=60, redundancy=red)
    assert p.samples.reachable  # the curve reaches 0.88; the labels do not
    assert p.figure("acquire", "additional rows").value > 0
    for name in ("answers", "cost", "labeller hours"):
        f = p.figure("label", name)
        assert (f.value, f.ci_low, f.ci_high) == (math.inf, math.inf, math.inf), name
    assert p.reachable is False
    assert any(n.startswith("not reachable") for n in p.notes)
    cost = next(f for s in p.to_dict()["stages"] if s["name"] == "label"
                for f in s["figures"] if f["name"] == "cost")
    assert (cost["value"], cost["ci_low"], cost["ci_high"]) == (None, None, None)
    assert json.dumps(p.to_dict(), allow_nan=False)
    # nothing to add needs no labels: reachable, and free
    done = plan(_curve(), 0.5, price_per_label=price, redundancy=red)
    assert done.reachable
    assert done.figure("label", "cost").value == 0.0


def test_unreachable_sample_target_at_price_zero_costs_inf():
    """The same 0 * inf in plan and samples_needed for a target beyond the asymptote."""
    p = plan(_curve(), 0.95, price_per_label=0.0)
    assert not p.reachable
    f = p.figure("label", "cost")
    assert (f.value, f.ci_low, f.ci_high) == (math.inf, math.inf, math.inf)
    need = samples_needed(_curve(), 0.95, price_per_label=0.0)
    assert not need.reachable
    assert (need.cost, need.cost_ci_low, need.cost_ci_high) == (math.inf,) * 3
    assert need.to_dict()["cost"] is None
    # a reachable target at price 0 still costs exactly 0
    assert samples_needed(_curve(), 0.88, price_per_label=0.0).cost == 0.0


def test_plan_bad_input():
    with pytest.raises(InvalidParameterError, match="'curve' parameter of plan"):
        plan(None, 0.9)
    with pytest.raises(InvalidParameterError, match="'policy'"):
        plan(_curve(), 0.88, policy="p")
    with pytest.raises(InvalidParameterError, match="'price_per_label'"):
        plan(_curve(), 0.88, price_per_label=-1)


def _curve_csv(tmp_path, sep=","):
    sizes = np.array([100, 200, 400, 800, 1600])
    rng = np.random.default_rng(0)
    folds = 0.9 - sizes[:, None] ** -0.5 + rng.normal(0, 0.002, (5, 3))
    lines = [sep.join(["size", "f1", "f2", "f3"])]
    lines += [
        sep.join([str(s), *(f"{v:.6f}" for v in row)])
        for s, row in zip(sizes, folds, strict=True)
    ]
    path = tmp_path / "curve.csv"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_cli_plan_exit_codes(tmp_path, capsys):
    path = _curve_csv(tmp_path, sep=";")
    assert main(["plan", path, "--target", "0.88", "--price", "0.1", "--json",
                 "--worker-accuracy", "0.8", "0.7", "0.9", "--label-accuracy", "0.85"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["reachable"] is True
    assert out["redundancy"]["weighted_needed"] in (2, 3)
    assert main(["plan", path, "--target", "0.99"]) == 1
    assert "not reachable" in capsys.readouterr().out
    assert main(["plan", path, "--target", "0.9", "--family", "cubic"]) == 2
    assert "'family'" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("size,score\n1,0.5\n")
    assert main(["plan", str(bad), "--target", "0.9"]) == 2
    assert "at least 3" in capsys.readouterr().err


def test_reports_render():
    p = plan(_curve(), 0.88, price_per_label=0.5)
    html = p._repr_html_()
    assert "<table>" in html
    assert "acquire" in html
    assert "additional rows" in repr(p)
    assert "<table>" in _curve()._repr_html_()
    assert "<table>" in redundancy(0.8, 0.9, rng=0)._repr_html_()


def test_plan_plot():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    ax = plan(_curve(), 0.88, price_per_label=0.5).plot()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert any("acquire: rows" in t for t in labels)


@pytest.mark.parametrize(
    ("first_line", "flags", "status", "n_points", "match"),
    [
        # the bug: a curve file without a header lost its first point (taken
        # for column names) and the plan ran on the rest, exit 0
        (None, [], 2, None, r"curve.csv: the first row '100,0.\d+,.*' is numbers.*--no-header"),
        (None, ["--no-header"], 0, 5, None),
        ("size,f1,f2,f3", [], 0, 5, None),
        ("0,1,2,3", [], 0, 5, None),  # pandas' names for an unnamed frame: a header
    ],
)
def test_cli_plan_header_row(tmp_path, capsys, first_line, flags, status, n_points, match):
    path = _curve_csv(tmp_path)
    from pathlib import Path

    lines = Path(path).read_text().splitlines()[1:]
    Path(path).write_text("\n".join(([first_line] if first_line else []) + lines) + "\n")
    assert main(["plan", path, "--target", "0.88", "--json", *flags]) == status
    out, err = capsys.readouterr()
    if match:
        import re

        assert re.search(match, err), err
        assert len(err.strip().splitlines()) == 1
    else:
        assert len(json.loads(out)["curve"]["sizes"]) == n_points


@pytest.mark.parametrize(
    ("scores", "bounds", "target"),
    [
        (lambda n: -0.3 - n**-0.5, (None, 0.0), -0.31),  # neg_log_loss
        (lambda n: 3.0 + 50 * n**-0.5, None, 3.5),  # an RMSE
        (lambda n: 0.5 - n**-0.5, (-1.0, 1.0), 0.45),  # a correlation
    ],
)
def test_plan_gives_no_held_out_rows_for_a_metric_that_is_not_a_proportion(
    scores, bounds, target
):
    # the held-out rows come from a proportion's variance p(1 - p): for a log
    # loss or an RMSE they were a made-up 2401 (p = 0.5), with exit 0
    sizes = np.array([100, 200, 400, 800.0])
    curve = fit_curve(sizes, scores(sizes), bounds=bounds, family="inverse_power", rng=0)
    p = plan(curve, target)
    assert [s.name for s in p.stages][-1] == "evaluate"
    assert p.stages[-1].figures == ()
    assert any("not a proportion" in n for n in p.notes)
    with pytest.raises(InvalidParameterError, match="held-out rows"):
        p.figure("evaluate", "held-out rows")
    assert json.dumps(p.to_dict())
    p._repr_html_()
