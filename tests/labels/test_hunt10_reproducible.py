"""Round 10: results read back as computed, and the same rng gives the same answer."""

from __future__ import annotations

import numpy as np
import pytest

from mllifecycle.labels import analyze


def _lf_data():
    L = np.array([[1, -1], [1, 1], [0, 1], [-1, -1]] * 10)
    y = [1, 1, 0, 0] * 10
    return L, y


@pytest.mark.parametrize(
    ("level", "header"),
    [(0.995, "99.5% CI"), (0.9999, "99.99% CI"), (0.975, "97.5% CI"), (0.95, "95% CI"),
     (0.5, "50% CI")],
)
def test_lf_analysis_names_its_confidence_level(level, header):
    # rounded to a whole percent, 0.995 and 0.9999 were headed "100% CI" and
    # 0.975 "98% CI", though the intervals are computed at the level given
    L, y = _lf_data()
    res = analyze(L, y, confidence_level=level)
    assert res.confidence_level == level
    lines = repr(res).splitlines()[1:]
    assert lines
    assert all(f"  {header}=[" in line for line in lines)
    assert f"<th>{header}</th>" in res._repr_html_()


def test_active_learner_same_seed_sequence_same_run():
    # the estimator's seed was drawn from a child spawned off the caller's own
    # SeedSequence: the second fit with it got the next child, another forest
    # and other queries, and the caller's SeedSequence counted a child
    from sklearn.ensemble import RandomForestClassifier

    from mllifecycle.labels import ActiveLearner, margin

    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 2))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)

    def run(seed):
        learner = ActiveLearner(estimator=RandomForestClassifier(n_estimators=5),
                                strategy=margin, batch_size=5, budget=20, rng=seed)
        learner.fit(X[10:], X[:10], y[:10]).run(lambda idx: y[10:][idx])
        return learner.labelled_indices_, learner.estimator_.predict_proba(X)

    ss = np.random.SeedSequence(0)
    first, second = run(ss), run(ss)
    fresh = run(np.random.SeedSequence(0))
    assert ss.n_children_spawned == 0
    for got in (second, fresh):
        np.testing.assert_array_equal(got[0], first[0])
        np.testing.assert_array_equal(got[1], first[1])


def test_cli_gold_accuracy_below_minimum_shows_distinct_numbers(tmp_path, capsys):
    # at four digits, 0.93333 below 0.93334 read "gold accuracy 0.9333 below 0.9333"
    import csv

    from mllifecycle.cli import main
    from mllifecycle.labels import dawid_skene

    rng = np.random.default_rng(3)
    truth = rng.integers(0, 2, 30)
    rows = [(f"t{t:02d}", f"w{w}", int(truth[t]) if rng.random() < 0.8 else 1 - int(truth[t]))
            for t in range(30) for w in range(3)]
    answers, gold_file = tmp_path / "answers.csv", tmp_path / "gold.csv"
    with answers.open("w", newline="") as fh:
        csv.writer(fh).writerows([("task", "worker", "label"), *rows])
    with gold_file.open("w", newline="") as fh:
        csv.writer(fh).writerows([("task", "label")]
                                 + [(f"t{t:02d}", int(truth[t])) for t in range(30)])
    gold = {f"t{t:02d}": int(truth[t]) for t in range(30)}
    acc = dawid_skene(np.array(rows, dtype=object), gold=gold, rng=0).gold_accuracy
    assert 0.0 < acc < 1.0
    minimum = acc + 1e-6
    status = main(["labels", "aggregate", str(answers), "--gold", str(gold_file),
                   "--min-gold-accuracy", repr(minimum)])
    assert status == 1
    err = capsys.readouterr().err
    shown = err.split("gold accuracy ")[1].split()
    assert shown[1] == "below"
    assert float(shown[0]) < float(shown[2])
    assert float(shown[0]) == pytest.approx(acc, rel=1e-6)
